// stateful_set.go processNextWorkItem: a failed sync is requeued rate-limited
// (DefaultControllerRateLimiter, 5 ms doubling per key), a successful one forgets the failures.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { advance, newCluster, pods, refuseApiCalls, traceEvents } from '../../../test/helpers/cluster.js';

function sts(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
    },
  };
}

describe('StatefulSet controller: a refused pod create', () => {
  it('is retried 5 ms doubling, then forgotten once a sync succeeds', () => {
    const c = newCluster();
    let refusing = true;
    refuseApiCalls(c, 'create', ([o]) => o.kind === 'Pod', () => refusing, 'Forbidden', 'pods "web-0" is forbidden: ');
    c.api.create(sts());
    advance(c, 20_000);
    const times = traceEvents(c, 'StatefulSet', 'web').filter((e) => e.reason === 'FailedCreate').map((e) => e.t);
    expect(times.length).toBeGreaterThan(8);
    expect(times.length).toBeLessThan(16);
    const tail = times.slice(-5);
    for (let i = 2; i < tail.length; i++) expect(tail[i] - tail[i - 1] - 5).toBe(2 * (tail[i - 1] - tail[i - 2] - 5));
    refusing = false;
    advance(c, 30_000);
    expect(pods(c, 'app=web').map((p) => p.metadata.name)).toEqual(['web-0']);
  });
});
