// Cascading deletion: the API server's propagation policies and the garbage collector
// (staging/.../registry/generic/registry/store.go, pkg/controller/garbagecollector; reference
// workloads.md §9).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { advance, deletedAt, newCluster, pod, podNames, pods, replicaSet, replicationController } from '../../test/helpers/cluster.js';

type Cluster = ReturnType<typeof newCluster>;

function withReplicaSet(replicas = 3, apps: { key: string; ignoreSigterm?: boolean }[] = []): { c: Cluster; names: string[] } {
  const c = newCluster({ apps });
  c.api.create(replicaSet('web', { replicas, image: apps[0]?.key }));
  advance(c, 1000);
  const names = podNames(c, 'app=web');
  expect(names).toHaveLength(replicas);
  return { c, names };
}

describe('deleting a ReplicaSet', () => {
  it('Background: the ReplicaSet goes at once, the GC deletes its pods afterwards', () => {
    const { c, names } = withReplicaSet();
    const t0 = c.sim.now;
    expect(c.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Background' })).toBeUndefined();
    expect(c.api.get('ReplicaSet', 'default', 'web')).toBeUndefined();
    expect(deletedAt(c, 'ReplicaSet', 'web')).toBe(t0);
    // the pods are still there in the same instant
    expect(podNames(c, 'app=web')).toEqual(names);
    advance(c, 1000);
    expect(pods(c, 'app=web')).toEqual([]);
    for (const n of names) expect(deletedAt(c, 'Pod', n)).toBeGreaterThan(t0);
  });

  it('Foreground: the ReplicaSet stays with deletionTimestamp and foregroundDeletion until its pods are gone', () => {
    const { c, names } = withReplicaSet(2, [{ key: 'stubborn', ignoreSigterm: true }]);
    const t0 = c.sim.now;
    const held = c.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground' })!;
    expect(held.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(held.metadata.deletionTimestamp).toBe('1970-01-01T00:00:01Z');
    advance(c, 1000);
    // pods are terminating (30 s grace, SIGTERM ignored): the owner waits for them
    const rs = c.api.get('ReplicaSet', 'default', 'web')!;
    expect(rs.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(pods(c, 'app=web').every((p) => p.metadata.deletionTimestamp)).toBe(true);
    // the controller does not replace pods of an owner being deleted
    expect(podNames(c, 'app=web')).toEqual(names);
    advance(c, 40_000);
    expect(pods(c, 'app=web')).toEqual([]);
    expect(c.api.get('ReplicaSet', 'default', 'web')).toBeUndefined();
    const rsGone = deletedAt(c, 'ReplicaSet', 'web')!;
    for (const n of names) expect(deletedAt(c, 'Pod', n)!).toBeLessThanOrEqual(rsGone);
    expect(rsGone - t0).toBeGreaterThanOrEqual(30_000);
  });

  it('Orphan: the pods lose the ownerReference and stay; the ReplicaSet goes', () => {
    const { c, names } = withReplicaSet();
    const held = c.api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Orphan' })!;
    expect(held.metadata.finalizers).toEqual(['orphan']);
    advance(c, 1000);
    expect(c.api.get('ReplicaSet', 'default', 'web')).toBeUndefined();
    const left = pods(c, 'app=web');
    expect(left.map((p) => p.metadata.name)).toEqual(names);
    for (const p of left) {
      expect(p.metadata.ownerReferences).toBeUndefined();
      expect(p.metadata.deletionTimestamp).toBeUndefined();
    }
    // and a new ReplicaSet with a matching selector adopts them instead of creating pods
    c.api.create(replicaSet('web2', { replicas: 3, labels: { app: 'web' } }));
    advance(c, 1000);
    expect(podNames(c, 'app=web')).toEqual(names);
    expect(pods(c, 'app=web').every((p) => p.metadata.ownerReferences?.[0]?.name === 'web2')).toBe(true);
  });

  it('Orphan on an owner without dependents needs no finalizer: it goes at once', () => {
    const c = newCluster();
    c.api.create(replicaSet('empty', { replicas: 0 }));
    advance(c, 100);
    expect(c.api.delete('ReplicaSet', 'default', 'empty', { propagationPolicy: 'Orphan' })).toBeUndefined();
    expect(c.api.get('ReplicaSet', 'default', 'empty')).toBeUndefined();
  });
});

describe('deleting a ReplicationController', () => {
  it('with no propagation policy orphans its pods (DefaultGarbageCollectionPolicy = OrphanDependents)', () => {
    const c = newCluster();
    c.api.create(replicationController('web', { replicas: 2 }));
    advance(c, 1000);
    const names = podNames(c, 'app=web');
    const held = c.api.delete('ReplicationController', 'default', 'web')!;
    expect(held.metadata.finalizers).toEqual(['orphan']);
    advance(c, 1000);
    expect(c.api.get('ReplicationController', 'default', 'web')).toBeUndefined();
    expect(podNames(c, 'app=web')).toEqual(names);
    expect(pods(c, 'app=web').every((p) => p.metadata.ownerReferences === undefined)).toBe(true);
  });

  it('with Background deletes its pods, like `kubectl delete` (which sends Background)', () => {
    const c = newCluster();
    c.api.create(replicationController('web', { replicas: 2 }));
    advance(c, 1000);
    c.api.delete('ReplicationController', 'default', 'web', { propagationPolicy: 'Background' });
    advance(c, 1000);
    expect(pods(c, 'app=web')).toEqual([]);
  });
});

describe('objects with several owners', () => {
  function owner(c: Cluster, name: string): KubeObject {
    return c.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
  }
  const ref = (o: KubeObject) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name!, uid: o.metadata.uid! });

  it('survive while one owner remains; the dangling reference is removed', () => {
    const c = newCluster();
    const a = owner(c, 'a'), b = owner(c, 'b');
    c.api.create(pod('shared', { ownerReferences: [ref(a), ref(b)] }));
    advance(c, 1000);
    c.api.delete('ConfigMap', 'default', 'a');
    advance(c, 1000);
    const p = c.api.get('Pod', 'default', 'shared')!;
    expect(p.metadata.deletionTimestamp).toBeUndefined();
    expect(p.metadata.ownerReferences).toEqual([ref(b)]);
    c.api.delete('ConfigMap', 'default', 'b');
    advance(c, 1000);
    expect(c.api.get('Pod', 'default', 'shared')).toBeUndefined();
  });

  it('a dependent created with an owner that does not exist is deleted', () => {
    const c = newCluster();
    c.api.create(pod('stray', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'no-such-uid' }] }));
    advance(c, 1000);
    expect(c.api.get('Pod', 'default', 'stray')).toBeUndefined();
  });

  it('a reference whose uid matches but whose kind differs is dangling', () => {
    const c = newCluster();
    const a = owner(c, 'a');
    c.api.create(pod('mismatch', { ownerReferences: [{ apiVersion: 'v1', kind: 'Secret', name: 'a', uid: a.metadata.uid! }] }));
    advance(c, 1000);
    expect(c.api.get('Pod', 'default', 'mismatch')).toBeUndefined();
  });

  it('Foreground through two levels: grand-dependents go first', () => {
    const c = newCluster();
    const top = owner(c, 'top');
    const mid = c.api.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'mid', namespace: 'default', ownerReferences: [{ ...ref(top), blockOwnerDeletion: true }] },
    });
    c.api.create(pod('leaf', { ownerReferences: [{ ...ref(mid), blockOwnerDeletion: true }] }));
    advance(c, 1000);
    c.api.delete('ConfigMap', 'default', 'top', { propagationPolicy: 'Foreground' });
    advance(c, 2000);
    expect(c.api.get('ConfigMap', 'default', 'top')).toBeUndefined();
    expect(c.api.get('ConfigMap', 'default', 'mid')).toBeUndefined();
    expect(c.api.get('Pod', 'default', 'leaf')).toBeUndefined();
    expect(deletedAt(c, 'Pod', 'leaf')!).toBeLessThanOrEqual(deletedAt(c, 'ConfigMap', 'mid')!);
    expect(deletedAt(c, 'ConfigMap', 'mid')!).toBeLessThanOrEqual(deletedAt(c, 'ConfigMap', 'top')!);
  });
});
