// A ReplicaSet/RC whose pod creates or deletes are refused: the sync returns the error and the key
// is requeued rate-limited (replica_set.go processNextWorkItem, client-go
// DefaultControllerRateLimiter), and the ReplicaFailure condition is added once and kept
// unchanged until a sync succeeds (replica_set_utils.go calculateStatus).

import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.js';
import type { Cluster } from '../engine/cluster.js';
import { advance, condition, newCluster, pods, refusePods, replicaSet, replicationController, traceEvents } from '../../test/helpers/cluster.js';
import { replicaFailureConditions } from './replicaset.js';


function statusWrites(c: Cluster, kind: string, name: string): number {
  return c.sim.trace.records.filter((r) => r.type === 'object' && r.op === 'modified' && r.kind === kind && r.name === name).length;
}

function failureTimes(c: Cluster, kind: string, name: string, reason: string): number[] {
  return traceEvents(c, kind, name)
    .filter((e) => e.reason === reason)
    .map((e) => e.t);
}

describe('ReplicaSet controller: a refused create is retried rate-limited', () => {
  it('retries 5 ms, 10 ms, 20 ms, ... after each failure instead of at every sync', () => {
    const c = newCluster();
    refusePods(c, 'create', () => true);
    c.api.create(replicaSet('web', { replicas: 1 }));
    advance(c, 20_000);
    const times = failureTimes(c, 'ReplicaSet', 'web', 'FailedCreate');
    // a 20 s run holds about log2(20 s / 5 ms) retries, not thousands
    expect(times.length).toBeGreaterThan(8);
    expect(times.length).toBeLessThan(16);
    // once nothing else wakes the key, each gap is the previous one doubled (each retry also
    // waits the queue's 5 ms processing latency)
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const tail = gaps.slice(-5);
    for (let i = 1; i < tail.length; i++) expect(tail[i] - 5).toBe(2 * (tail[i - 1] - 5));
    // the status was written when the condition appeared, and not again
    expect(statusWrites(c, 'ReplicaSet', 'web')).toBe(1);
  });

  it('keeps the first failure as the condition, then removes it and forgets the failures once a sync succeeds', () => {
    const c = newCluster();
    let refusing = true;
    refusePods(c, 'create', () => refusing);
    c.api.create(replicaSet('web', { replicas: 1 }));
    advance(c, 2000);
    const first = condition(c.api.get('ReplicaSet', 'default', 'web'), 'ReplicaFailure');
    expect(first).toMatchObject({ status: 'True', reason: 'FailedCreate', message: 'pods is forbidden: refused by the test (create)', lastTransitionTime: '1970-01-01T00:00:00Z' });
    advance(c, 3000);
    // still failing, still the very same condition
    expect(condition(c.api.get('ReplicaSet', 'default', 'web'), 'ReplicaFailure')).toEqual(first);
    refusing = false;
    // the next retry (within the back-off reached by now) succeeds
    advance(c, 10_000);
    expect(pods(c, 'app=web')).toHaveLength(1);
    const rs = c.api.get('ReplicaSet', 'default', 'web')!;
    expect(rs.status.conditions).toBeUndefined();
    // the key's failures were forgotten: a new failure starts again from 5 ms
    refusing = true;
    const before = failureTimes(c, 'ReplicaSet', 'web', 'FailedCreate').length;
    c.api.mutate('ReplicaSet', 'default', 'web', (d) => {
      d.spec.replicas = 2;
    });
    advance(c, 100);
    const again = failureTimes(c, 'ReplicaSet', 'web', 'FailedCreate').slice(before);
    expect(again.length).toBeGreaterThanOrEqual(3);
    expect(again[1] - again[0]).toBeLessThanOrEqual(15);
  });

  it('a refused delete is retried rate-limited with a FailedDelete condition', () => {
    const c = newCluster();
    c.api.create(replicaSet('web', { replicas: 2 }));
    advance(c, 2000);
    refusePods(c, 'delete', () => true);
    c.api.mutate('ReplicaSet', 'default', 'web', (d) => {
      d.spec.replicas = 1;
    });
    advance(c, 20_000);
    expect(pods(c, 'app=web')).toHaveLength(2);
    expect(condition(c.api.get('ReplicaSet', 'default', 'web'), 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedDelete' });
    const n = failureTimes(c, 'ReplicaSet', 'web', 'FailedDelete').length;
    expect(n).toBeGreaterThan(8);
    expect(n).toBeLessThan(16);
  });

  it('the ReplicationController controller retries the same way', () => {
    const c = newCluster();
    refusePods(c, 'create', () => true);
    c.api.create(replicationController('web', { replicas: 1 }));
    advance(c, 20_000);
    const n = failureTimes(c, 'ReplicationController', 'web', 'FailedCreate').length;
    expect(n).toBeGreaterThan(8);
    expect(n).toBeLessThan(16);
    expect(statusWrites(c, 'ReplicationController', 'web')).toBe(1);
  });
});

describe('replicaFailureConditions (calculateStatus)', () => {
  const err = new ApiError('Forbidden', 'no');
  const other = { type: 'Custom', status: 'True' };
  const kept = { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'old', lastTransitionTime: '1970-01-01T00:00:01Z' };

  it('adds one on the first failure, reason from the replica difference', () => {
    expect(replicaFailureConditions(undefined, err, -1, 5000)).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'no', lastTransitionTime: '1970-01-01T00:00:05Z' }]);
    expect(replicaFailureConditions([other], err, 2, 5000)).toEqual([other, { type: 'ReplicaFailure', status: 'True', reason: 'FailedDelete', message: 'no', lastTransitionTime: '1970-01-01T00:00:05Z' }]);
  });

  it('keeps an existing one unchanged while failing, and removes it on success', () => {
    const conds = [kept, other];
    expect(replicaFailureConditions(conds, err, 1, 9000)).toBe(conds);
    expect(replicaFailureConditions(conds, undefined, 0, 9000)).toEqual([other]);
    expect(replicaFailureConditions([other], undefined, 0, 9000)).toEqual([other]);
  });
});
