// The EndpointSlice and EndpointSliceMirroring controllers when a slice write is refused (here by a
// ResourceQuota on count/endpointslices.discovery.k8s.io): the sync returns the error and handleErr
// requeues the key with their own rate limiter, 1 s doubling up to maxSyncBackOff (1000 s / 100 s)
// alongside the 10 qps bucket, dropping it after maxRetries
// (endpointslice_controller.go / endpointslicemirroring_controller.go handleErr).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import type { Cluster } from '../engine/cluster.js';
import { advance, newCluster, traceEvents } from '../../test/helpers/cluster.js';
import { MIRRORING_MAX_SYNC_BACKOFF_MS, SLICE_MAX_RETRIES, SLICE_MAX_SYNC_BACKOFF_MS, sliceRateLimiter } from './endpointslice.js';

const SLICES = 'count/endpointslices.discovery.k8s.io';

function refuseSlices(c: Cluster): void {
  c.api.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard: { [SLICES]: '0' } } });
  advance(c, 1000);
  expect(c.api.get('ResourceQuota', 'default', 'q')!.status?.hard).toEqual({ [SLICES]: '0' });
}

function allowSlices(c: Cluster): void {
  c.api.mutate('ResourceQuota', 'default', 'q', (d) => {
    d.spec.hard = { [SLICES]: '5' };
  });
}

const slicesOf = (c: Cluster, svc: string) => c.api.list('EndpointSlice', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);

/** the times of the refused slice creates (the API server's writes are not traced when refused) */
function countCreates(c: Cluster): number[] {
  const times: number[] = [];
  const api = c.api as any;
  const orig = api.create.bind(api);
  api.create = (obj: KubeObject, ...rest: unknown[]) => {
    if (obj.kind === 'EndpointSlice') times.push(c.sim.now);
    return orig(obj, ...rest);
  };
  return times;
}

describe('sliceRateLimiter', () => {
  it('backs off 1 s, 2 s, 4 s, ... per key up to maxSyncBackOff (the bucket starts full)', () => {
    const l = sliceRateLimiter(MIRRORING_MAX_SYNC_BACKOFF_MS);
    const waits = Array.from({ length: 9 }, () => l.when('k', 0));
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 64000, 100000, 100000]);
    expect(l.numRequeues('k')).toBe(9);
    expect(l.when('other', 0)).toBe(1000);
    l.forget('k');
    expect(l.numRequeues('k')).toBe(0);
    expect(sliceRateLimiter(SLICE_MAX_SYNC_BACKOFF_MS).when('k', 0)).toBe(1000);
  });
});

describe('EndpointSlice controller: a refused write is retried rate-limited', () => {
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } };
  const failures = (c: Cluster) => traceEvents(c, 'Service', 'web').filter((e) => e.reason === 'FailedToUpdateEndpointSlices');

  it('retries 1 s, 2 s, 4 s, ... after each refused create, with a FailedToUpdateEndpointSlices event', () => {
    const c = newCluster();
    refuseSlices(c);
    c.api.create(service);
    advance(c, 40_000);
    expect(slicesOf(c, 'web')).toHaveLength(0);
    const f = failures(c);
    // 0, ~1, ~3, ~7, ~15, ~31 s
    expect(f).toHaveLength(6);
    expect(f[0]).toMatchObject({ eventType: 'Warning', message: expect.stringMatching(/^Error updating Endpoint Slices for Service default\/web: failed to create EndpointSlice for Service default\/web: endpointslices.discovery.k8s.io "web-[a-z0-9]{5}" is forbidden: exceeded quota: q, /) });
    const gaps = f.slice(1).map((e, i) => e.t - f[i].t);
    gaps.forEach((g, i) => {
      expect(g).toBeGreaterThanOrEqual(1000 * 2 ** i);
      expect(g).toBeLessThan(1000 * 2 ** i + 100);
    });
  });

  it('creates the slice on the next retry once the quota allows it, and drops the key after maxRetries otherwise', () => {
    const c = newCluster();
    refuseSlices(c);
    c.api.create(service);
    advance(c, 5000);
    allowSlices(c);
    advance(c, 10_000);
    expect(slicesOf(c, 'web')).toHaveLength(1);

    const d = newCluster();
    refuseSlices(d);
    d.api.create(service);
    // 1 s * (2^15 - 1) ≈ 9.1 h of back-off in all
    advance(d, 12 * 3600_000);
    expect(failures(d)).toHaveLength(1 + SLICE_MAX_RETRIES);
  });
});

describe('EndpointSliceMirroring controller: a refused write is retried rate-limited', () => {
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { ports: [{ port: 80 }] } };
  const endpoints: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.168.1.10' }], ports: [{ port: 80, protocol: 'TCP' }] }] } as KubeObject;

  it('retries with back-off capped at 100 s, mirrors once allowed, and gives up after maxRetries', () => {
    const c = newCluster();
    refuseSlices(c);
    const creates = countCreates(c);
    c.api.create(service);
    c.api.create(endpoints);
    advance(c, 400_000);
    expect(slicesOf(c, 'ext')).toHaveLength(0);
    // 0, 1, 3, 7, 15, 31, 63, 127 s, then every 100 s
    const gaps = creates.slice(1).map((t, i) => t - creates[i]);
    expect(gaps.slice(0, 7).map((g) => Math.round(g / 1000))).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(gaps.slice(7).every((g) => g >= 100_000 && g < 100_100)).toBe(true);
    allowSlices(c);
    advance(c, 101_000);
    expect(slicesOf(c, 'ext')).toHaveLength(1);

    const d = newCluster();
    refuseSlices(d);
    const dCreates = countCreates(d);
    d.api.create(service);
    d.api.create(endpoints);
    advance(d, 3600_000);
    expect(dCreates).toHaveLength(1 + SLICE_MAX_RETRIES);
  });
});
