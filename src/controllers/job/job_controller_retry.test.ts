// job_controller.go processNextWorkItem: a sync whose pod creates fail returns manageJob's error
// and is requeued rate-limited with the Job controller's own limiter (DefaultJobApiBackOff 1 s
// doubling up to MaxJobApiBackOff 1 min); a successful sync forgets the failures.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { advance, newCluster, pods, refusePods, traceEvents } from '../../../test/helpers/cluster.js';

function job(): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'batch', namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

describe('Job controller: a refused pod create', () => {
  it('is retried 1 s doubling up to 1 min, then succeeds once allowed', () => {
    const c = newCluster();
    let refusing = true;
    refusePods(c, 'create', () => refusing);
    c.api.create(job());
    advance(c, 300_000);
    const times = traceEvents(c, 'Job', 'batch').filter((e) => e.reason === 'FailedCreate').map((e) => e.t);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // doubling from about a second, then the 1 min cap (each retry also waits the queue's latency)
    expect(gaps.slice(-3)).toEqual([60_005, 60_005, 60_005]);
    expect(times.length).toBeGreaterThan(8);
    expect(times.length).toBeLessThan(14);
    refusing = false;
    advance(c, 61_000);
    expect(pods(c).filter((p) => p.metadata.labels?.['job-name'] === 'batch')).toHaveLength(1);
  });
});
