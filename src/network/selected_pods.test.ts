import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../api/types.js';
import { SelectedPods } from './selected_pods.js';
import { selectorFromSet } from '../api/labels.js';
import { newCluster, pod } from '../../test/helpers/cluster.js';

// SelectedPods keeps the previous sync's order instead of sorting the namespace's pods each time:
// after any sequence of pod creations, relabels and deletions it must list what
// selectedPods(api.list('Pod', ns), svc) lists, in the same order.

const op = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), name: fc.integer({ min: 0, max: 30 }), app: fc.constantFrom('web', 'db'), ns: fc.constantFrom('default', 'other') }),
  fc.record({ kind: fc.constant('relabel' as const), name: fc.integer({ min: 0, max: 30 }), app: fc.constantFrom('web', 'db'), ns: fc.constantFrom('default', 'other') }),
  fc.record({ kind: fc.constant('delete' as const), name: fc.integer({ min: 0, max: 30 }), app: fc.constant(''), ns: fc.constantFrom('default', 'other') }),
  fc.record({ kind: fc.constant('sync' as const), name: fc.constant(0), app: fc.constant(''), ns: fc.constant('') }),
);

describe('SelectedPods', () => {
  it('lists what a sorted list of the namespace filtered by the selector lists', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const c = newCluster({ nodes: 1 });
        c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
        const svcs: KubeObject[] = [
          c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }),
          c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'all' }, spec: { selector: {}, ports: [{ port: 80 }] } }),
          c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'other' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }),
        ];
        const memo = new SelectedPods();
        const check = () => {
          for (const s of svcs) {
            const got = memo.of(c.api, s).map((p) => p.metadata.name);
            expect(got).toEqual(selectedPods(c.api.list('Pod', s.metadata.namespace), s).map((p) => p.metadata.name));
          }
        };
        for (const o of ops) {
          const name = `p-${o.name}`;
          const cur = o.ns ? c.api.get('Pod', o.ns, name) : undefined;
          if (o.kind === 'create' && !cur) c.api.create(pod(name, { namespace: o.ns, labels: { app: o.app } }));
          if (o.kind === 'relabel' && cur) c.api.mutate('Pod', o.ns, name, (d) => (d.metadata.labels = { app: o.app }));
          if (o.kind === 'delete' && cur) c.api.delete('Pod', o.ns, name, { gracePeriodSeconds: 0 });
          if (o.kind === 'sync') check();
        }
        check();
      }),
      { numRuns: 150 },
    );
  });

  it('selects nothing for a Service without a selector', () => {
    const c = newCluster({ nodes: 1 });
    c.api.create(pod('a', { labels: { app: 'web' } }));
    const s = c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { ports: [{ port: 80 }] } });
    expect(new SelectedPods().of(c.api, s)).toEqual([]);
  });
});

// the scan the index replaced, kept as the reference its answers are checked against
/** Pods the Service selects: a nil selector selects nothing (getServicesForPod). */
function selectedPods(pods: Iterable<KubeObject>, svc: KubeObject): KubeObject[] {
  const sel = svc.spec?.selector;
  if (!sel) return [];
  const s = selectorFromSet(sel);
  const out: KubeObject[] = [];
  for (const p of pods) if (s.matches(p.metadata.labels)) out.push(p);
  return out;
}
