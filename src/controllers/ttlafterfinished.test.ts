// The TTL-after-finished controller when the Job's delete is refused: processJob returns the error
// and handleErr requeues the key rate-limited (DefaultControllerRateLimiter) with no retry limit,
// forgetting it once the delete goes through (ttlafterfinished_controller.go processNextWorkItem,
// handleErr; ttlafterfinished_controller_test.go has no retry test to translate).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { advance, newCluster, refuseApiCalls } from '../../test/helpers/cluster.js';
import { ttlTimeLeft } from './ttlafterfinished.js';

const job: KubeObject = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'ttl', namespace: 'default' },
  spec: { ttlSecondsAfterFinished: 10, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'work' }] } } },
};
const apps = [{ key: 'work', exitAfter: { min: 2000, max: 2000 }, exitCode: 0 }];

describe('TTL-after-finished controller: a refused delete is retried rate-limited', () => {
  it('retries 5 ms, 10 ms, 20 ms, ... until the delete goes through', () => {
    const c = newCluster({ apps });
    let refusing = true;
    const attempts = refuseApiCalls(c, 'delete', ([kind]) => kind === 'Job', () => refusing, 'InternalError');
    c.api.create(job);
    advance(c, 5000);
    const finished = c.api.get('Job', 'default', 'ttl')!;
    const expiry = c.sim.now + ttlTimeLeft(finished, c.sim.now)!;
    advance(c, expiry + 5000 - c.sim.now);
    expect(c.api.get('Job', 'default', 'ttl')).toBeDefined();
    // the first attempt at the expiry, then about log2(5 s / 5 ms) retries
    expect(attempts[0]).toBeGreaterThanOrEqual(expiry);
    expect(attempts.length).toBeGreaterThan(8);
    expect(attempts.length).toBeLessThan(13);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
    const tail = gaps.slice(-4);
    const latency = 2 * tail[0] - tail[1];
    for (let i = 1; i < tail.length; i++) expect(tail[i] - latency).toBe(2 * (tail[i - 1] - latency));
    refusing = false;
    advance(c, 20_000);
    expect(c.api.get('Job', 'default', 'ttl')).toBeUndefined();
  });
});
