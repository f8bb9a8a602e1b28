// The eviction manager's pod admission (pkg/kubelet/eviction/eviction_manager.go Admit) and the
// kubelet's rejection of a pod it does not admit (kubelet.go rejectPod).

import { describe, expect, it } from 'vitest';
import { admitUnderNodeConditions, isCriticalPod } from './eviction.js';
import { advance, condition, eventsFor, newCluster, pod } from '../../test/helpers/cluster.js';
import type { KubeObject } from '../api/types.js';

const Mi = 1024 * 1024;

function withResources(p: KubeObject, requests?: Record<string, string>, limits?: Record<string, string>): KubeObject {
  const r: any = {};
  if (requests) r.requests = requests;
  if (limits) r.limits = limits;
  if (requests || limits) p.spec.containers[0].resources = r;
  return p;
}

describe('Admit (eviction_manager_test.go TestMemoryPressure, admission part)', () => {
  // the two pods upstream tries to admit: best-admit (no resources) and burst-admit (100m/100Mi, 200m/200Mi)
  const bestEffort = withResources(pod('best-admit'));
  const burstable = withResources(pod('burst-admit'), { cpu: '100m', memory: '100Mi' }, { cpu: '200m', memory: '200Mi' });
  const table: { when: string; conditions: string[]; expected: [boolean, boolean] }[] = [
    { when: 'no memory pressure: both admitted', conditions: [], expected: [true, true] },
    { when: 'memory pressure: the best-effort pod is not admitted, the burstable one is', conditions: ['MemoryPressure'], expected: [false, true] },
  ];
  for (const row of table) {
    it(row.when, () => {
      expect([bestEffort, burstable].map((p) => admitUnderNodeConditions(row.conditions, p).admit)).toEqual(row.expected);
    });
  }

  it('the rejection says which condition, as nodeConditionMessageFmt prints it', () => {
    expect(admitUnderNodeConditions(['MemoryPressure'], bestEffort)).toEqual({ admit: false, reason: 'Evicted', message: 'The node had condition: [MemoryPressure]. ' });
  });

  it('a BestEffort pod that tolerates the memory-pressure taint is admitted under memory pressure', () => {
    const tolerant = pod('tolerant');
    tolerant.spec.tolerations = [{ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' }];
    expect(admitUnderNodeConditions(['MemoryPressure'], tolerant).admit).toBe(true);
    // a toleration of another taint does not help
    const other = pod('other');
    other.spec.tolerations = [{ key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' }];
    expect(admitUnderNodeConditions(['MemoryPressure'], other).admit).toBe(false);
  });

  it('any other condition rejects every pod that is not critical (TestDiskPressureNodeFs admission)', () => {
    expect(admitUnderNodeConditions(['DiskPressure'], burstable)).toEqual({ admit: false, reason: 'Evicted', message: 'The node had condition: [DiskPressure]. ' });
    expect(admitUnderNodeConditions(['MemoryPressure', 'DiskPressure'], burstable).admit).toBe(false);
  });

  it('critical pods are admitted under any condition (TestAdmitUnderNodeConditions critical pod)', () => {
    const critical = pod('critical');
    critical.spec.priority = 2_000_000_000;
    const mirror = pod('mirror', { annotations: { 'kubernetes.io/config.mirror': 'abc', 'kubernetes.io/config.source': 'file' } });
    expect(isCriticalPod(critical) && isCriticalPod(mirror)).toBe(true);
    expect(isCriticalPod(bestEffort)).toBe(false);
    expect(admitUnderNodeConditions(['MemoryPressure'], critical).admit).toBe(true);
    expect(admitUnderNodeConditions(['DiskPressure'], mirror).admit).toBe(true);
  });
});

describe('the kubelet rejects a BestEffort pod while its node has MemoryPressure', () => {
  const apps = [
    { key: 'fixed/300', memory: { initial: 300 * Mi, growBy: 0, everyMs: 1000 } },
    { key: 'leaky', memory: { initial: 100 * Mi, growBy: 50 * Mi, everyMs: 1000 } },
  ];

  it('Failed, reason Evicted, "Pod was rejected: ..." and never started; a Burstable pod is admitted', () => {
    const c = newCluster({ nodes: [{ name: 'node-1', capacity: { cpu: '4', memory: '1Gi', pods: '110' } }], apps });
    c.api.create(withResources(pod('steady', { nodeName: 'node-1', image: 'fixed/300' }), { memory: '400Mi' }));
    c.api.create(pod('leaky', { nodeName: 'node-1', image: 'leaky' }));
    advance(c, 30_000);
    expect(c.api.get('Pod', 'default', 'leaky')!.status.reason).toBe('Evicted');
    expect(condition(c.api.get('Node', undefined, 'node-1'), 'MemoryPressure')).toMatchObject({ status: 'True' });
    // MemoryPressure is held for the 5-minute transition period: new pods arrive meanwhile
    c.api.create(pod('late-best-effort', { nodeName: 'node-1', image: 'fixed/300' }));
    c.api.create(withResources(pod('late-burstable', { nodeName: 'node-1', image: 'fixed/300' }), { memory: '100Mi' }));
    advance(c, 5_000);
    const rejected = c.api.get('Pod', 'default', 'late-best-effort')!;
    expect(rejected.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Pod was rejected: The node had condition: [MemoryPressure]. ', qosClass: 'BestEffort' });
    expect(rejected.status.containerStatuses).toBeUndefined();
    expect(rejected.status.podIP).toBeUndefined();
    expect(eventsFor(c, 'Pod', 'late-best-effort')).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'Evicted', message: 'The node had condition: [MemoryPressure]. ' }));
    expect(c.api.get('Pod', 'default', 'late-burstable')!.status.phase).toBe('Running');
    // the rejected pod stays Failed; deleting it removes it at once (nothing runs)
    advance(c, 30_000);
    expect(c.api.get('Pod', 'default', 'late-best-effort')!.status.phase).toBe('Failed');
    c.api.delete('Pod', 'default', 'late-best-effort');
    advance(c, 1_000);
    expect(c.api.get('Pod', 'default', 'late-best-effort')).toBeUndefined();
    // once the pressure has cleared, a BestEffort pod is admitted again
    advance(c, 300_000);
    expect(condition(c.api.get('Node', undefined, 'node-1'), 'MemoryPressure')).toMatchObject({ status: 'False' });
    c.api.create(pod('after', { nodeName: 'node-1', image: 'fixed/300' }));
    advance(c, 5_000);
    expect(c.api.get('Pod', 'default', 'after')!.status.phase).toBe('Running');
  });
});

describe('the kubelet\'s sets of workers the eviction re-plan reads (localStorageWorkers, memoryWorkers)', () => {
  it('hold, after every event, every worker with local-storage limits and every worker running a memory model', async () => {
    const { advance, newCluster } = await import('../../test/helpers/cluster.js');
    const { kubeletFor } = await import('./registry.js');
    const Mi = 1024 * 1024;
    const c = newCluster({
      apps: [
        { key: 'grow', memory: { initial: 100 * Mi, growBy: 10 * Mi, everyMs: 1000 }, exitAfter: { min: 3000, max: 3000 }, exitCode: 1 },
        { key: 'flat', memory: { initial: 50 * Mi, growBy: 0, everyMs: 1000 } },
      ],
    });
    const podWith = (name: string, spec: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', ...spec } });
    c.api.create(podWith('m1', { containers: [{ name: 'a', image: 'grow' }, { name: 'b', image: 'flat' }] }));
    c.api.create(podWith('m2', { containers: [{ name: 'a', image: 'grow' }] }));
    c.api.create(podWith('ls', { containers: [{ name: 'a', image: 'nginx:1.27', resources: { limits: { 'ephemeral-storage': '1Gi' } } }] }));
    c.api.create(podWith('plain', { containers: [{ name: 'a', image: 'nginx:1.27' }] }));
    const k = kubeletFor(c.api, 'node-1')!;
    let withMemory = 0;
    c.sim.onAfterEvent(() => {
      for (const w of k.podWorkerValues()) {
        if (w.hasMemoryModels) {
          withMemory++;
          expect(k.memoryWorkers.has(w)).toBe(true);
        }
        if (w.localStorageLimits) expect(k.localStorageWorkers.has(w)).toBe(true);
      }
    });
    advance(c, 20_000);
    expect(k.localStorageWorkers.size).toBe(1);
    c.sim.schedule(0, 'test', () => {
      for (const n of ['m1', 'm2', 'ls']) c.api.delete('Pod', 'default', n, { gracePeriodSeconds: 1 });
    });
    advance(c, 20_000);
    expect(withMemory).toBeGreaterThan(0);
    // the deleted pods' workers are gone from both sets
    expect(k.memoryWorkers.size).toBe(0);
    expect(k.localStorageWorkers.size).toBe(0);
  });
});
