// cronjob_controllerv2.go processNextWorkItem: a sync whose job create (or Replace's delete) is
// refused returns the error and is requeued rate-limited (DefaultControllerRateLimiter, 5 ms
// doubling per key); a sync that requeues for the next schedule forgets the failures.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { advance, newCluster, refuseApiCalls, traceEvents } from '../../../test/helpers/cluster.js';

describe('CronJob controller: a refused job create', () => {
  it('is retried 5 ms doubling, and the job is created once allowed', () => {
    const c = newCluster();
    let refusing = true;
    refuseApiCalls(c, 'create', ([o]) => o.kind === 'Job', () => refusing, 'Forbidden', 'jobs.batch is forbidden: ');
    c.api.create({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick', namespace: 'default' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    } as KubeObject);
    advance(c, 75_000);
    const times = traceEvents(c, 'CronJob', 'tick').filter((e) => e.reason === 'FailedCreate').map((e) => e.t);
    expect(times[0]).toBeGreaterThanOrEqual(60_000);
    const gaps = times.slice(1).map((t, i) => t - times[i] - 5);
    expect(gaps.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(times.length).toBeGreaterThan(8);
    refusing = false;
    advance(c, 20_000);
    expect(c.api.list('Job', 'default').map((j) => j.metadata.name)).toEqual(['tick-1']);
  });
});
