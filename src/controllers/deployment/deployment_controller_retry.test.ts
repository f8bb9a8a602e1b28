// The Deployment controller's handleErr (deployment_controller.go): a failed sync is requeued
// rate-limited (DefaultControllerRateLimiter: 5 ms doubling) until maxRetries (15), then the key
// is forgotten; a sync that succeeds forgets the key's failures.

import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../engine/cluster.js';
import type { KubeObject } from '../../api/types.js';
import { advance, newCluster, podSpec, refuseApiCalls, traceEvents } from '../../../test/helpers/cluster.js';

/** no Progressing condition (progressDeadlineSeconds = MaxInt32): a failure writes no status */
function deployment(name: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      progressDeadlineSeconds: 2147483647,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec() },
    },
  };
}

function refuseReplicaSets(c: Cluster, refuse: () => boolean): void {
  refuseApiCalls(c, 'create', ([o]) => o.kind === 'ReplicaSet', refuse, 'Forbidden', 'replicasets.apps is forbidden: ');
}

const failures = (c: Cluster) => traceEvents(c, 'Deployment', 'web').filter((e) => e.reason === 'ReplicaSetCreateError').map((e) => e.t);

describe('Deployment controller: handleErr', () => {
  it('retries 5 ms doubling, and gives up after maxRetries (15)', () => {
    const c = newCluster();
    refuseReplicaSets(c, () => true);
    c.api.create(deployment('web'));
    advance(c, 400_000);
    const times = failures(c);
    // the first sync and 15 retries; each retry also waits the queue's 5 ms latency
    expect(times).toHaveLength(16);
    const gaps = times.slice(1).map((t, i) => t - times[i] - 5);
    expect(gaps).toEqual(Array.from({ length: 15 }, (_, i) => 5 * 2 ** i));
  });

  it('a sync that succeeds forgets the failures', () => {
    const c = newCluster();
    let refusing = true;
    refuseReplicaSets(c, () => refusing);
    c.api.create(deployment('web'));
    advance(c, 1000);
    refusing = false;
    advance(c, 10_000);
    expect(c.api.list('ReplicaSet', 'default')).toHaveLength(1);
    // a new failure (a template change needing a new ReplicaSet) starts again from 5 ms
    refusing = true;
    const before = failures(c).length;
    c.api.mutate('Deployment', 'default', 'web', (d) => {
      d.spec.template.metadata.labels.v = '2';
    });
    advance(c, 100);
    const again = failures(c).slice(before);
    expect(again.length).toBeGreaterThanOrEqual(3);
    expect(again[1] - again[0]).toBe(10);
  });
});
