import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import type { Cluster } from '../engine/cluster.js';
import { advance, newCluster } from '../../test/helpers/cluster.js';
import { SIMULATED_CA_CRT } from './serviceaccount.js';

describe('serviceaccount controller and root-ca-cert-publisher', () => {
  // serviceaccounts_controller_test.go TestServiceAccountCreation: new and existing namespaces get `default`
  it('creates default in every namespace, existing and new, and re-creates it when deleted', () => {
    const c = newCluster();
    c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    advance(c, 1000);
    const nss = c.api.list('Namespace').map((n) => n.metadata.name).sort();
    const sas = c.api.list('ServiceAccount').filter((s) => s.metadata.name === 'default').map((s) => s.metadata.namespace).sort();
    expect(sas).toEqual(nss);
    c.api.delete('ServiceAccount', 'team-a', 'default');
    advance(c, 1000);
    expect(c.api.get('ServiceAccount', 'team-a', 'default')).toBeDefined();
  });

  // publisher_test.go TestConfigMapCreation: every namespace gets kube-root-ca.crt; edits are reverted
  it('publishes kube-root-ca.crt and puts it back after an edit', () => {
    const c = newCluster();
    advance(c, 1000);
    expect(c.api.get('ConfigMap', 'kube-system', 'kube-root-ca.crt')?.data).toEqual({ 'ca.crt': SIMULATED_CA_CRT });
    c.api.mutate('ConfigMap', 'default', 'kube-root-ca.crt', (d) => { d.data = { 'ca.crt': 'x' }; });
    advance(c, 1000);
    expect(c.api.get('ConfigMap', 'default', 'kube-root-ca.crt')?.data).toEqual({ 'ca.crt': SIMULATED_CA_CRT });
  });
});

/** the times of `kind` creates (refused ones are not in the trace) */
function createTimes(c: Cluster, kind: string): number[] {
  const times: number[] = [];
  const api = c.api as any;
  const orig = api.create.bind(api);
  api.create = (obj: KubeObject, ...rest: unknown[]) => {
    if (obj.kind === kind) times.push(c.sim.now);
    return orig(obj, ...rest);
  };
  return times;
}

/** a quota allowing no new `resource` in team-a, synced; then `name` of `kind` is deleted */
function refuseRecreate(c: Cluster, resource: string, kind: string, name: string): number[] {
  c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
  advance(c, 1000);
  c.api.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'team-a' }, spec: { hard: { [resource]: '0' } } });
  advance(c, 1000);
  const times = createTimes(c, kind);
  c.api.delete(kind, 'team-a', name);
  return times;
}

function allow(c: Cluster, resource: string): void {
  c.api.mutate('ResourceQuota', 'team-a', 'q', (d) => {
    d.spec.hard = { [resource]: '5' };
  });
}

/** each gap is the previous one doubled, once the queue's processing latency is taken off */
function expectDoubling(times: number[]): void {
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  const tail = gaps.slice(-4);
  const latency = 2 * tail[0] - tail[1];
  for (let i = 1; i < tail.length; i++) expect(tail[i] - latency).toBe(2 * (tail[i - 1] - latency));
}

// serviceaccounts_controller.go / publisher.go processNextWorkItem: a failed sync is requeued
// rate-limited (DefaultControllerRateLimiter) with no retry limit, and forgotten once it succeeds
describe('a refused create is retried rate-limited', () => {
  it('serviceaccount controller: default is re-created once the quota allows it', () => {
    const c = newCluster();
    const times = refuseRecreate(c, 'count/serviceaccounts', 'ServiceAccount', 'default');
    advance(c, 5000);
    expect(c.api.get('ServiceAccount', 'team-a', 'default')).toBeUndefined();
    // about log2(5 s / 5 ms) retries, 5 ms doubling
    expect(times.length).toBeGreaterThan(8);
    expect(times.length).toBeLessThan(13);
    expectDoubling(times);
    allow(c, 'count/serviceaccounts');
    advance(c, 10_000);
    expect(c.api.get('ServiceAccount', 'team-a', 'default')).toBeDefined();
  });

  it('serviceaccount controller: no retry limit', () => {
    const c = newCluster();
    const times = refuseRecreate(c, 'count/serviceaccounts', 'ServiceAccount', 'default');
    // past 5 ms * 2^17 ≈ 655 s the back-off is capped at 1000 s: 20 h hold far more than 15 retries
    advance(c, 20 * 3600_000);
    expect(times.length).toBeGreaterThan(80);
  });

  it('root-ca-cert-publisher: kube-root-ca.crt is re-created once the quota allows it', () => {
    const c = newCluster();
    const times = refuseRecreate(c, 'count/configmaps', 'ConfigMap', 'kube-root-ca.crt');
    advance(c, 5000);
    expect(c.api.get('ConfigMap', 'team-a', 'kube-root-ca.crt')).toBeUndefined();
    expect(times.length).toBeGreaterThan(8);
    expectDoubling(times);
    allow(c, 'count/configmaps');
    advance(c, 10_000);
    expect(c.api.get('ConfigMap', 'team-a', 'kube-root-ca.crt')?.data).toEqual({ 'ca.crt': SIMULATED_CA_CRT });
  });
});
