// daemon_controller.go processNextWorkItem / syncDaemonSet: a sync whose pod creates or deletes are
// refused returns the error and is requeued rate-limited (DefaultControllerRateLimiter, 5 ms
// doubling per key); a successful sync forgets the failures.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import type { Cluster } from '../../engine/cluster.js';
import { advance, newCluster, pods, refusePods, traceEvents } from '../../../test/helpers/cluster.js';

function daemonSet(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:1' }] } },
    },
  };
}


const failures = (c: Cluster, reason: string) => traceEvents(c, 'DaemonSet', 'agent').filter((e) => e.reason === reason).map((e) => e.t);

describe('DaemonSet controller: refused pod writes are retried rate-limited', () => {
  it('a refused create (even the only one, with nothing skipped) is retried 5 ms doubling until it succeeds', () => {
    const c = newCluster({ nodes: 1 });
    let refusing = true;
    refusePods(c, 'create', () => refusing);
    c.api.create(daemonSet());
    advance(c, 20_000);
    const times = failures(c, 'FailedCreate');
    expect(times.length).toBeGreaterThan(8);
    expect(times.length).toBeLessThan(16);
    const tail = times.slice(-4);
    for (let i = 2; i < tail.length; i++) expect(tail[i] - tail[i - 1] - 5).toBe(2 * (tail[i - 1] - tail[i - 2] - 5));
    refusing = false;
    advance(c, 30_000);
    expect(pods(c, 'app=agent')).toHaveLength(1);
  });

  it('a refused delete of a pod on a node it no longer fits is retried the same way', () => {
    const c = newCluster({ nodes: 1 });
    c.api.create(daemonSet());
    advance(c, 2000);
    expect(pods(c, 'app=agent')).toHaveLength(1);
    refusePods(c, 'delete', () => true);
    c.api.mutate('DaemonSet', 'default', 'agent', (d) => {
      d.spec.template.spec.nodeSelector = { role: 'none' };
    });
    advance(c, 20_000);
    const n = failures(c, 'FailedDelete').length;
    expect(n).toBeGreaterThan(8);
    expect(n).toBeLessThan(16);
  });
});
