// podFacts: the facts kept per pod object (and for the last pod asked about) answer as the
// computation afresh, whichever pods are asked about in whichever order.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../api/types.js';
import { computePodFacts, podFacts } from './podfacts.js';

const quantityArb = fc.option(fc.constantFrom('100m', '1', '250m', '2', '64Mi', '1Gi', '500M', '0'), { nil: undefined });
const containerArb = fc.record({
  image: fc.constantFrom('nginx', 'nginx:1.27', 'registry.local:5000/app', 'busybox@sha256:abc'),
  resources: fc.record({ requests: fc.record({ cpu: quantityArb, memory: quantityArb }, { requiredKeys: [] }) }),
  ports: fc.array(fc.record({ containerPort: fc.constant(80), hostPort: fc.option(fc.constantFrom(0, 8080, 9090), { nil: undefined }), protocol: fc.option(fc.constantFrom('TCP', 'UDP'), { nil: undefined }) }), { maxLength: 2 }),
});
const tolerationArb = fc.record({ key: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }), operator: fc.constantFrom('Exists', 'Equal'), effect: fc.option(fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute'), { nil: undefined }) }, { requiredKeys: ['operator'] });
const podArb = fc.record({
  containers: fc.array(containerArb, { maxLength: 3 }),
  initContainers: fc.array(containerArb, { maxLength: 2 }),
  tolerations: fc.option(fc.array(tolerationArb, { maxLength: 3 }), { nil: undefined }),
  preferred: fc.option(fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), preference: fc.constant({ matchExpressions: [{ key: 'z', operator: 'Exists' }] }) }), { maxLength: 2 }), { nil: undefined }),
});

function makePod(i: number, p: any): KubeObject {
  const spec: any = { containers: p.containers, initContainers: p.initContainers };
  if (p.tolerations) spec.tolerations = p.tolerations;
  if (p.preferred) spec.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: p.preferred } };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default' }, spec };
}

describe('podFacts', () => {
  it('answers as the uncached computation for any order of asks (property)', () => {
    fc.assert(
      fc.property(fc.array(podArb, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(4), { maxLength: 20 }), (specs, order) => {
        const pods = specs.map((s, i) => makePod(i, s));
        for (const i of [...order, 0]) {
          const pod = pods[i % pods.length];
          expect(podFacts(pod)).toEqual(computePodFacts(pod));
        }
      }),
    );
  });

  it('sums containers, takes the max with init containers, and defaults unset requests for NonZeroRequested', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [{ image: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { image: 'b:1' }],
        initContainers: [{ image: 'c', resources: { requests: { cpu: '500m' } } }],
        tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists' }],
      },
    };
    const f = podFacts(pod);
    expect(f.requests).toEqual({ cpu: 500, memory: 64 * 1024 * 1024 });
    expect(f.nonZero).toEqual({ cpu: 500, memory: 64 * 1024 * 1024 + 200 * 1024 * 1024 });
    expect(f.images).toEqual(['c:latest', 'a:latest', 'b:1']);
    expect(f.preferTolerations).toEqual([{ operator: 'Exists' }]);
  });
});
