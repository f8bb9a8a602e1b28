// The Endpoints controller when its write is refused (here by a ResourceQuota on count/endpoints):
// syncService returns the error with a FailedToCreateEndpoint event and handleErr requeues the
// Service rate-limited (DefaultControllerRateLimiter), dropping it after maxRetries
// (endpoints_controller.go handleErr; endpoints_controller_test.go has no retry test to translate).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import type { Cluster } from '../engine/cluster.js';
import { advance, newCluster, traceEvents } from '../../test/helpers/cluster.js';
import { MAX_RETRIES } from './endpoints.js';

const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } };

function quota(hard: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard } };
}

/** a quota that allows no new `resource`, synced by the quota controller before the Service comes */
function refuseBy(c: Cluster, resource: string): void {
  c.api.create(quota({ [resource]: '0' }));
  advance(c, 1000);
  expect(c.api.get('ResourceQuota', 'default', 'q')!.status?.hard).toEqual({ [resource]: '0' });
}

const failures = (c: Cluster) => traceEvents(c, 'Endpoints', 'web').filter((e) => e.reason === 'FailedToCreateEndpoint');

describe('Endpoints controller: a refused write is retried rate-limited', () => {
  it('retries 5 ms, 10 ms, 20 ms, ... after each refused create, with a FailedToCreateEndpoint event', () => {
    const c = newCluster();
    refuseBy(c, 'count/endpoints');
    c.api.create(service);
    advance(c, 5000);
    expect(c.api.get('Endpoints', 'default', 'web')).toBeUndefined();
    const times = failures(c).map((e) => e.t);
    // 5 s holds about log2(5 s / 5 ms) retries
    expect(times.length).toBeGreaterThan(8);
    expect(times.length).toBeLessThan(13);
    expect(failures(c)[0]).toMatchObject({ eventType: 'Warning', message: expect.stringMatching(/^Failed to create endpoint for service default\/web: endpoints "web" is forbidden: exceeded quota: q/) });
    // each gap is the previous one doubled (each retry also waits the queue's processing latency)
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const tail = gaps.slice(-4);
    const latency = 2 * tail[0] - tail[1];
    for (let i = 1; i < tail.length; i++) expect(tail[i] - latency).toBe(2 * (tail[i - 1] - latency));
  });

  it('creates the Endpoints on the first retry after the quota is raised', () => {
    const c = newCluster();
    refuseBy(c, 'count/endpoints');
    c.api.create(service);
    advance(c, 2000);
    expect(c.api.get('Endpoints', 'default', 'web')).toBeUndefined();
    c.api.mutate('ResourceQuota', 'default', 'q', (d) => {
      d.spec.hard = { 'count/endpoints': '5' };
    });
    advance(c, 10_000);
    expect(c.api.get('Endpoints', 'default', 'web')).toBeDefined();
  });

  it('drops the Service after maxRetries requeues (the first failure and 15 retries)', () => {
    const c = newCluster();
    refuseBy(c, 'count/endpoints');
    c.api.create(service);
    // 5 ms * (2^15 - 1) ≈ 164 s of back-off in all
    advance(c, 600_000);
    expect(failures(c)).toHaveLength(1 + MAX_RETRIES);
  });
});
