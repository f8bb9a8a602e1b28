// Helpers of the pod worker's status generation.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { orderConditions } from './pod_worker.js';

const ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** the text orderConditions replaced: a find per known type, then a filter of the others */
function byScans(list: any[]): any[] {
  const known = ORDER.map((t) => list.find((c) => c.type === t)).filter(Boolean);
  return [...known, ...list.filter((c) => !ORDER.includes(c.type))];
}

describe('orderConditions', () => {
  it('puts the kubelet conditions first in their order (the first of each type), then the others in list order', () => {
    const list = [{ type: 'DisruptionTarget' }, { type: 'Ready', n: 1 }, { type: 'PodScheduled' }, { type: 'Ready', n: 2 }, { type: 'Custom' }, { type: 'Initialized' }];
    expect(orderConditions(list)).toEqual([{ type: 'Initialized' }, { type: 'Ready', n: 1 }, { type: 'PodScheduled' }, { type: 'DisruptionTarget' }, { type: 'Custom' }]);
  });

  it('answers as the scans it replaces, duplicates and unknown types included', () => {
    const type = fc.constantFrom(...ORDER, 'DisruptionTarget', 'Custom', 'ready');
    fc.assert(
      fc.property(fc.array(fc.record({ type, n: fc.nat(3) }), { maxLength: 12 }), (list) => {
        const got = orderConditions([...list]);
        const want = byScans(list);
        expect(got.length).toBe(want.length);
        // the same objects, not copies
        got.forEach((c, i) => expect(c).toBe(want[i]));
      }),
    );
  });
});

describe('the remembered container statuses (apiStatus)', () => {
  it('answer, after every event, as a fresh build of each container status: restarts, back-off, probes, init containers, sidecars, termination', async () => {
    const { advance, newCluster, traceEvents } = await import('../../test/helpers/cluster.js');
    const { kubeletFor } = await import('./registry.js');
    const c = newCluster({
      apps: [
        { key: 'crasher', exitAfter: { min: 1500, max: 1500 }, exitCode: 1 },
        { key: 'once', exitAfter: { min: 300, max: 300 }, exitCode: 0 },
        { key: 'flaky', http: [{ path: '/', status: 500, afterTimeMs: 4_000 }, { path: '/', status: 200 }] },
      ],
    });
    const podWith = (name: string, spec: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', ...spec } });
    c.api.create(podWith('crash', { containers: [{ name: 'app', image: 'crasher' }, { name: 'web', image: 'nginx:1.27', readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } }] }));
    c.api.create(podWith('init', {
      initContainers: [{ name: 'setup', image: 'once' }, { name: 'side', image: 'nginx:1.27', restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } }],
      containers: [{ name: 'main', image: 'flaky', livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, failureThreshold: 2 }, readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } }],
    }));
    c.api.create(podWith('never', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'crasher' }] }));
    let compared = 0;
    let reused = 0;
    c.sim.onAfterEvent(() => {
      for (const w of kubeletFor(c.api, 'node-1')!.podWorkers() as any[]) {
        for (const ctr of w.all) {
          const before = ctr.apiCache?.out;
          const got = w.apiStatus(ctr);
          if (got === before) reused++;
          const started = ctr.role === 'init' ? ctr.state.kind === 'running' : w.isStarted(ctr);
          expect(JSON.stringify(got)).toBe(JSON.stringify(w.buildApiStatus(ctr, w.isReady(ctr), started)));
          compared++;
        }
      }
    });
    advance(c, 40_000);
    c.sim.schedule(0, 'test', () => c.api.delete('Pod', 'default', 'init'));
    advance(c, 40_000);
    expect(compared).toBeGreaterThan(1000);
    expect(reused).toBeGreaterThan(0);
    // the run went through restarts and liveness kills
    expect(traceEvents(c, 'Pod', 'init').some((e) => e.reason === 'Unhealthy')).toBe(true);
    expect(traceEvents(c, 'Pod', 'crash').some((e) => e.reason === 'BackOff')).toBe(true);
  });
});
