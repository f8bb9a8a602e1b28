// Node lifecycle and taint-based eviction: the timing rules of
// pkg/controller/nodelifecycle/node_lifecycle_controller_test.go (TestMonitorNodeHealthUpdateStatus:
// Unknown after the grace period; TestApplyNoExecuteTaints / TestTaintsNodeByCondition: the
// unreachable taints) and pkg/controller/tainteviction/taint_eviction_test.go (TestGetMinTolerationTime,
// TestCreatePod / TestUpdateNode: eviction after tolerationSeconds, cancelled when the taint goes).

import { describe, expect, it } from 'vitest';
import { advance, newCluster, pod } from '../../test/helpers/cluster.js';
import { LEASE_RENEW_MS, nextMonitorPass, nodeHealth, unknownAt } from './nodelifecycle.js';
import { getMatchingTolerations, minTolerationTime } from './tainteviction.js';
import { compileNodeFault, executeNodeFault } from '../engine/node_faults.js';
import type { Cluster } from '../engine/cluster.js';

const ready = (c: Cluster, n = 'node-1') => c.api.get('Node', undefined, n)!.status.conditions.find((x: any) => x.type === 'Ready');
const taints = (c: Cluster, n = 'node-1') => (c.api.get('Node', undefined, n)!.spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);

function runUntil(c: Cluster, t: number): void {
  advance(c, t - c.sim.now);
}

describe('heartbeat and grace period arithmetic', () => {
  it('monitor passes every 5 s; Unknown at the first pass strictly after heartbeat + grace', () => {
    expect(nextMonitorPass(0)).toBe(5_000);
    expect(nextMonitorPass(4_999)).toBe(5_000);
    expect(nextMonitorPass(5_000)).toBe(10_000);
    expect(unknownAt(30_000, 50_000)).toBe(85_000);
    expect(unknownAt(30_000, 40_000)).toBe(75_000);
    expect(unknownAt(37_000, 50_000)).toBe(90_000);
  });

  it('the last heartbeat is the last 10 s Lease renewal before the kubelet stopped (lazy: no event per renewal)', () => {
    const c = newCluster({ nodes: 1 });
    const h = nodeHealth(c);
    runUntil(c, 37_000);
    expect(h.lastHeartbeat('node-1', c.sim.now)).toBe(30_000);
    const before = c.sim.eventCount;
    h.markDown('node-1', 'down');
    runUntil(c, 60_000);
    expect(h.lastHeartbeat('node-1', c.sim.now)).toBe(30_000);
    expect(LEASE_RENEW_MS).toBe(10_000);
    // the idle cluster schedules only the controller's grace-period expiry, not renewals
    expect(c.sim.eventCount - before).toBeLessThan(5);
  });
});

describe('TestGetMinTolerationTime / GetMatchingTolerations', () => {
  it.each([
    [[], 0],
    [[{ key: 'a', tolerationSeconds: 1 }], 1_000],
    [[{ key: 'a' }], -1],
    [[{ key: 'a', tolerationSeconds: 300 }, { key: 'b', tolerationSeconds: 10 }], 10_000],
    [[{ key: 'a', tolerationSeconds: 300 }, { key: 'b' }], 300_000],
    [[{ key: 'a', tolerationSeconds: -5 }, { key: 'b', tolerationSeconds: 10 }], 0],
  ])('%j -> %d ms', (tols, want) => {
    expect(minTolerationTime(tols)).toBe(want);
  });

  it('every taint must be tolerated', () => {
    const t = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'x', effect: 'NoExecute' }];
    const tol = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
    expect(getMatchingTolerations(t, [tol]).allTolerated).toBe(false);
    expect(getMatchingTolerations(t.slice(0, 1), [tol])).toEqual({ allTolerated: true, used: [tol] });
  });
});

describe('node lifecycle controller and taint eviction on a simulated cluster', () => {
  function cluster(graceMs = 50_000): Cluster {
    const c = newCluster({ nodes: 2, timing: { nodeMonitorGracePeriod: { min: graceMs, max: graceMs } } });
    c.api.create(pod('victim', { nodeName: 'node-1' }));
    c.api.create(pod('forever', { nodeName: 'node-1' }));
    // a toleration without tolerationSeconds (as DaemonSet pods have) is never evicted
    c.api.mutate('Pod', 'default', 'forever', (d) => {
      d.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }];
    });
    runUntil(c, 30_000);
    return c;
  }

  it('TestMonitorNodeHealthUpdateStatus: Unknown after the grace period; unreachable taints; eviction after 300 s', () => {
    const c = cluster();
    expect(executeNodeFault(c, { kind: 'nodeDown', node: 'node-1' })).toBe('node node-1 stopped reporting');
    runUntil(c, 84_999);
    expect(ready(c).status).toBe('True');
    expect(taints(c)).toEqual([]);
    runUntil(c, 85_001);
    expect(ready(c)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(c.api.get('Node', undefined, 'node-1')!.status.conditions.every((x: any) => x.status === 'Unknown')).toBe(true);
    expect(taints(c)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect(ready(c, 'node-2').status).toBe('True');
    // default tolerationSeconds 300 from admission: evicted 300 s after the taint (+ watch latency)
    runUntil(c, 384_000);
    expect(c.api.get('Pod', 'default', 'victim')!.metadata.deletionTimestamp).toBeUndefined();
    runUntil(c, 386_000);
    const victim = c.api.get('Pod', 'default', 'victim');
    expect(victim === undefined || victim.metadata.deletionTimestamp !== undefined).toBe(true);
    expect(c.api.get('Pod', 'default', 'forever')!.metadata.deletionTimestamp).toBeUndefined();
  });

  it('before 1.32 the grace period is 40 s', () => {
    const c = cluster(40_000);
    executeNodeFault(c, { kind: 'partition', node: 'node-1' });
    runUntil(c, 74_999);
    expect(ready(c).status).toBe('True');
    runUntil(c, 75_001);
    expect(ready(c).status).toBe('Unknown');
  });

  it('TestUpdateNode: the node back before the toleration ends: taints removed, eviction cancelled', () => {
    const c = cluster();
    executeNodeFault(c, { kind: 'nodeDown', node: 'node-1', forMs: 120_000 });
    runUntil(c, 149_000);
    expect(taints(c)).toHaveLength(2);
    runUntil(c, 166_000);
    expect(ready(c)).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(taints(c)).toEqual([]);
    runUntil(c, 500_000);
    expect(c.api.get('Pod', 'default', 'victim')!.metadata.deletionTimestamp).toBeUndefined();
    expect(nodeHealth(c).isDown('node-1')).toBe(false);
  });

  it('a node back before the grace period ends never turns Unknown', () => {
    const c = cluster();
    executeNodeFault(c, { kind: 'nodeDown', node: 'node-1' });
    runUntil(c, 60_000);
    expect(executeNodeFault(c, { kind: 'nodeUp', node: 'node-1' })).toBe('node node-1 is reporting again');
    expect(executeNodeFault(c, { kind: 'nodeUp', node: 'node-1' })).toBe('node node-1 was already up');
    runUntil(c, 200_000);
    expect(ready(c).status).toBe('True');
    expect(taints(c)).toEqual([]);
  });
});

describe('compileNodeFault', () => {
  const errors: string[] = [];
  const c = { error: (_p: unknown, m: string) => void errors.push(m), duration: (_p: unknown, v: unknown) => (v === '2m' ? 120_000 : undefined) };
  it('accepts a node name or {node, for}; rejects unknown nodes and a missing node', () => {
    expect(compileNodeFault(c, { nodeDown: 'node-1' }, [], ['node-1'])).toEqual({ fault: { kind: 'nodeDown', node: 'node-1' }, description: 'fault nodeDown node-1' });
    expect(compileNodeFault(c, { partition: { node: 'node-1', for: '2m' } }, [], ['node-1'])!.fault).toEqual({ kind: 'partition', node: 'node-1', forMs: 120_000 });
    expect(compileNodeFault(c, { nodeDown: 'node-9' }, [], ['node-1'])).toBeUndefined();
    expect(compileNodeFault(c, { nodeUp: {} }, [], ['node-1'])).toBeUndefined();
    expect(errors).toEqual(['no node "node-9" in the cluster', 'the fault names no node']);
  });
});
