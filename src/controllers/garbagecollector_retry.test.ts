// The garbage collector when its writes are refused: attemptToDeleteItem's delete or patch error
// makes processAttemptToDeleteWorker requeue the item rate-limited, an orphaning patch's error
// keeps the orphan finalizer and requeues the owner (attemptToOrphanWorker), and a refused
// finalizer removal requeues the owner too; all with DefaultControllerRateLimiter and no retry
// limit (garbagecollector.go; garbagecollector_test.go has no retry test of the workers).

import { describe, expect, it } from 'vitest';
import type { Cluster } from '../engine/cluster.js';
import { advance, newCluster, podNames, pods, refuseApiCalls, replicaSet } from '../../test/helpers/cluster.js';

function withReplicaSet(replicas: number): Cluster {
  const c = newCluster();
  c.api.create(replicaSet('web', { replicas }));
  advance(c, 1000);
  expect(podNames(c, 'app=web')).toHaveLength(replicas);
  return c;
}

/** refuse `op` calls that `match` while `refusing()` says so (500); returns the matching calls' times */
function refuse(c: Cluster, op: 'delete' | 'mutate', match: (args: any[]) => boolean, refusing: () => boolean): number[] {
  return refuseApiCalls(c, op, match, refusing, 'InternalError');
}

/** each gap is the previous one doubled, once the queue's processing latency is taken off */
function expectDoubling(times: number[]): void {
  expect(times.length).toBeGreaterThan(8);
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  const tail = gaps.slice(-4);
  const latency = 2 * tail[0] - tail[1];
  for (let i = 1; i < tail.length; i++) expect(tail[i] - latency).toBe(2 * (tail[i - 1] - latency));
}

describe('garbage collector: refused writes are retried rate-limited', () => {
  it('attemptToDelete: a dependent whose delete is refused is retried 5 ms, 10 ms, ... until it goes', () => {
    const c = withReplicaSet(1);
    let refusing = true;
    // the GC's deletes carry a propagation policy; the kubelet's do not
    const times = refuse(c, 'delete', (a) => a[0] === 'Pod' && a[3]?.propagationPolicy !== undefined, () => refusing);
    c.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Background' });
    advance(c, 5000);
    expect(pods(c, 'app=web')).toHaveLength(1);
    expect(times.length).toBeLessThan(13);
    expectDoubling(times);
    refusing = false;
    advance(c, 40_000);
    expect(pods(c, 'app=web')).toEqual([]);
  });

  it('attemptToOrphan: a refused ownerReference removal keeps the orphan finalizer until it goes through', () => {
    const c = withReplicaSet(2);
    let refusing = true;
    const times = refuse(c, 'mutate', (a) => a[0] === 'Pod' && a[4] === undefined, () => refusing);
    c.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Orphan' });
    advance(c, 5000);
    expect(c.api.get('ReplicaSet', 'default', 'web')!.metadata.finalizers).toEqual(['orphan']);
    // both dependents are tried at every attempt
    const attempts = times.filter((_, i) => i % 2 === 0);
    expect(times.length).toBe(2 * attempts.length);
    expectDoubling(attempts);
    refusing = false;
    advance(c, 10_000);
    expect(c.api.get('ReplicaSet', 'default', 'web')).toBeUndefined();
    expect(pods(c, 'app=web').map((p) => p.metadata.ownerReferences)).toEqual([undefined, undefined]);
  });

  it('foreground: a refused finalizer removal keeps the owner until it goes through', () => {
    const c = withReplicaSet(1);
    let refusing = true;
    const times = refuse(c, 'mutate', (a) => a[0] === 'ReplicaSet' && a[4] === undefined, () => refusing);
    c.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground' });
    advance(c, 40_000);
    expect(pods(c, 'app=web')).toEqual([]);
    expect(c.api.get('ReplicaSet', 'default', 'web')!.metadata.finalizers).toEqual(['foregroundDeletion']);
    expectDoubling(times);
    refusing = false;
    advance(c, 2000_000);
    expect(c.api.get('ReplicaSet', 'default', 'web')).toBeUndefined();
  });
});
