// The resource quota controller when its status write is refused: syncResourceQuota returns the
// error and the worker requeues the key rate-limited (DefaultControllerRateLimiter) with no retry
// limit, forgetting it once a sync succeeds (resource_quota_controller.go worker;
// resource_quota_controller_test.go has no retry test to translate).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import type { Cluster } from '../engine/cluster.js';
import { advance, newCluster, refuseApiCalls } from '../../test/helpers/cluster.js';

const quota: KubeObject = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard: { 'count/configmaps': '10' } } };

/** refuse ResourceQuota status writes while `refuse()` says so; returns the attempts' times */
function refuseStatus(c: Cluster, refuse: () => boolean): number[] {
  return refuseApiCalls(c, 'mutate', ([kind, , , , sub]) => kind === 'ResourceQuota' && sub === 'status', refuse, 'Conflict');
}

describe('resource quota controller: a refused status write is retried rate-limited', () => {
  it('retries 5 ms, 10 ms, 20 ms, ... and writes the status once allowed', () => {
    const c = newCluster();
    let refusing = true;
    const times = refuseStatus(c, () => refusing);
    c.api.create(quota);
    advance(c, 5000);
    expect(c.api.get('ResourceQuota', 'default', 'q')!.status).toBeUndefined();
    expect(times.length).toBeGreaterThan(8);
    expect(times.length).toBeLessThan(13);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const tail = gaps.slice(-4);
    const latency = 2 * tail[0] - tail[1];
    for (let i = 1; i < tail.length; i++) expect(tail[i] - latency).toBe(2 * (tail[i - 1] - latency));
    refusing = false;
    advance(c, 10_000);
    expect(c.api.get('ResourceQuota', 'default', 'q')!.status).toEqual({ hard: { 'count/configmaps': '10' }, used: { 'count/configmaps': '1' } });
  });

  it('has no retry limit', () => {
    const c = newCluster();
    const times = refuseStatus(c, () => true);
    c.api.create(quota);
    // the back-off reaches its 1000 s cap after 5 ms * 2^18: 20 h hold far more than 15 retries
    advance(c, 20 * 3600_000);
    expect(times.length).toBeGreaterThan(80);
  });
});
