// The garbage collector (pkg/controller/garbagecollector/garbagecollector.go): deletes dependents
// whose owners are gone, orphans dependents of owners deleted with propagationPolicy=Orphan, and
// holds owners deleted with Foreground until their blocking dependents are gone.

import type { Cluster, Component } from '../engine/cluster.js';
import { Informer, WorkQueue } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type PropagationPolicy, type WatchEvent } from '../api/server.js';
import { ApiError } from '../api/errors.js';
import { isNamespacedKind } from '../api/kinds.js';

export class GarbageCollector implements Component {
  readonly name = 'garbage-collector';
  /** attemptToDelete: dependents to re-examine, by uid */
  private readonly attemptToDelete: WorkQueue;
  /** owners being deleted with the orphan or foregroundDeletion finalizer, by uid */
  private readonly deletingOwners: WorkQueue;

  constructor(private readonly cluster: Cluster) {
    const t = cluster.timing;
    this.attemptToDelete = new WorkQueue(cluster.sim, `${this.name}/attemptToDelete`, t.controllerLatency, cluster.rng(`${this.name}/delete`), (uid) => this.attemptToDeleteItem(uid));
    this.deletingOwners = new WorkQueue(cluster.sim, `${this.name}/owners`, t.controllerLatency, cluster.rng(`${this.name}/owners`), (uid) => this.processDeletingOwner(uid));
    // an add or update of an object with no owners and no deletion under way (every Event, most
    // Services, Deployments...) is one onEvent does nothing with: it is not delivered
    const relevant = (ev: WatchEvent) => ev.type === 'DELETED' || !!ev.object.metadata.ownerReferences?.length || !!ev.object.metadata.deletionTimestamp;
    new Informer(cluster.sim, cluster.api, this.name, undefined, t.watchLatency, cluster.rng(`${this.name}/informer`), (ev) => this.onEvent(ev), undefined, relevant);
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    const uid = o.metadata.uid!;
    const store = this.cluster.api.store;
    if (ev.type === 'DELETED') {
      // its dependents may now have no owner left
      for (const key of store.dependentsOf(uid)) {
        const d = store.getByKey(key);
        if (d) this.attemptToDelete.add(d.metadata.uid!);
      }
      // an owner waiting in foreground deletion may now be free to go
      for (const ref of o.metadata.ownerReferences ?? []) this.deletingOwners.add(ref.uid);
      return;
    }
    if (o.metadata.deletionTimestamp) {
      const f = o.metadata.finalizers ?? [];
      if (f.includes(FINALIZER_ORPHAN) || f.includes(FINALIZER_FOREGROUND)) this.deletingOwners.add(uid);
    }
    // an object whose owner references changed: check its owners still exist
    if (o.metadata.ownerReferences?.length && (ev.type === 'ADDED' || !sameOwnerReferences(o.metadata.ownerReferences, ev.old?.metadata.ownerReferences))) {
      this.attemptToDelete.add(uid);
    }
  }

  /** attemptToDeleteItem: classify every owner as solid, dangling or waiting for dependents' deletion */
  private attemptToDeleteItem(uid: string): void {
    const api = this.cluster.api;
    const item = api.store.getByUid(uid);
    if (!item) return;
    const refs = item.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const f = item.metadata.finalizers ?? [];
    if (item.metadata.deletionTimestamp && !f.includes(FINALIZER_FOREGROUND)) return;
    const solid: string[] = [], dangling: string[] = [], waiting: string[] = [];
    for (const ref of refs) {
      const owner = api.store.getByUid(ref.uid);
      // a namespaced owner is looked up in the dependent's namespace; a cluster-scoped dependent
      // cannot have a namespaced owner (that reference is invalid and never resolves)
      const ownerNs = isNamespacedKind(ref.kind) ? item.metadata.namespace : undefined;
      if (!owner || owner.kind !== ref.kind || owner.metadata.name !== ref.name || owner.metadata.namespace !== ownerNs) {
        if (!item.metadata.namespace && isNamespacedKind(ref.kind)) {
          solid.push(ref.uid); // invalid reference: upstream leaves the object alone
          continue;
        }
        dangling.push(ref.uid);
      } else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FINALIZER_FOREGROUND)) {
        waiting.push(ref.uid);
      } else {
        solid.push(ref.uid);
      }
    }
    if (solid.length) {
      if (dangling.length || waiting.length) {
        const drop = new Set([...dangling, ...waiting]);
        this.patch(item, (d) => {
          d.metadata.ownerReferences = (d.metadata.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
        });
      }
      return;
    }
    let policy: PropagationPolicy;
    if (waiting.length && api.store.dependentsOf(uid).length) policy = 'Foreground';
    else if (f.includes(FINALIZER_ORPHAN)) policy = 'Orphan';
    else if (f.includes(FINALIZER_FOREGROUND)) policy = 'Foreground';
    else policy = 'Background';
    this.delete(item, policy);
  }

  /** orphan dependents, or wait for blocking dependents; then drop the finalizer */
  private processDeletingOwner(uid: string): void {
    const api = this.cluster.api;
    const owner = api.store.getByUid(uid);
    if (!owner || !owner.metadata.deletionTimestamp) return;
    const f = owner.metadata.finalizers ?? [];
    const dependents = api.store.dependentsOf(uid).map((k) => api.store.getByKey(k)!).filter(Boolean);
    if (f.includes(FINALIZER_ORPHAN)) {
      // attemptToOrphanWorker: remove the owner reference from every dependent
      for (const d of dependents) {
        this.patch(d, (draft) => {
          const refs = (draft.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (refs.length) draft.metadata.ownerReferences = refs;
          else delete draft.metadata.ownerReferences;
        });
      }
      this.removeFinalizer(owner, FINALIZER_ORPHAN);
      return;
    }
    if (f.includes(FINALIZER_FOREGROUND)) {
      const blocking = dependents.filter((d) => (d.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion));
      if (blocking.length) {
        for (const d of blocking) this.attemptToDelete.add(d.metadata.uid!);
        return;
      }
      this.removeFinalizer(owner, FINALIZER_FOREGROUND);
      // non-blocking dependents go in the background afterwards, as their owner is now gone
    }
  }

  private delete(item: KubeObject, policy: PropagationPolicy): void {
    try {
      this.cluster.api.delete(item.kind, item.metadata.namespace, item.metadata.name!, { propagationPolicy: policy, preconditionUid: item.metadata.uid });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private patch(item: KubeObject, fn: (d: KubeObject) => void): void {
    try {
      this.cluster.api.mutate(item.kind, item.metadata.namespace, item.metadata.name!, fn);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private removeFinalizer(owner: KubeObject, finalizer: string): void {
    this.patch(owner, (d) => {
      d.metadata.finalizers = (d.metadata.finalizers ?? []).filter((x) => x !== finalizer);
      if (!d.metadata.finalizers.length) delete d.metadata.finalizers;
    });
  }
}

/**
 * Whether two ownerReferences lists serialize alike (the comparison is JSON.stringify's: the same
 * keys in the same order with the same values), without serializing them on every pod update.
 */
function sameOwnerReferences(a: unknown[] | undefined, b: unknown[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return JSON.stringify(a) === JSON.stringify(b);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Record<string, unknown>, y = b[i] as Record<string, unknown>;
    const kx = Object.keys(x), ky = Object.keys(y);
    if (kx.length !== ky.length) return JSON.stringify(a) === JSON.stringify(b);
    for (let j = 0; j < kx.length; j++) {
      const v = x[kx[j]];
      if (kx[j] !== ky[j] || v !== y[ky[j]] || (typeof v === 'object' && v !== null)) return JSON.stringify(a) === JSON.stringify(b);
    }
  }
  return true;
}
