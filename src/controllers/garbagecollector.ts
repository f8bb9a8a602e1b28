// The garbage collector (pkg/controller/garbagecollector/garbagecollector.go): deletes dependents
// whose owners are gone, orphans dependents of owners deleted with propagationPolicy=Orphan, and
// holds owners deleted with Foreground until their blocking dependents are gone. An item whose
// delete or patch fails is requeued rate-limited (DefaultControllerRateLimiter, no retry limit),
// as processAttemptToDeleteWorker and processAttemptToOrphanWorker do.

import type { Cluster, Component } from '../engine/cluster.js';
import { Informer, WorkQueue } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type PropagationPolicy, type WatchEvent } from '../api/server.js';
import { ApiError, apiError } from '../api/errors.js';
import { isNamespacedKind } from '../api/kinds.js';

export class GarbageCollector implements Component {
  readonly name = 'garbage-collector';
  /** attemptToDelete: dependents to re-examine, by uid */
  private readonly attemptToDelete: WorkQueue;
  /** owners being deleted with the orphan or foregroundDeletion finalizer, by uid */
  private readonly deletingOwners: WorkQueue;

  constructor(private readonly cluster: Cluster) {
    const t = cluster.timing;
    this.attemptToDelete = new WorkQueue(cluster.sim, `${this.name}/attemptToDelete`, t.controllerLatency, cluster.rng(`${this.name}/delete`), (uid) => this.processAttemptToDeleteWorker(uid));
    this.deletingOwners = new WorkQueue(cluster.sim, `${this.name}/owners`, t.controllerLatency, cluster.rng(`${this.name}/owners`), (uid) => this.processDeletingOwnerWorker(uid));
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

  /** processAttemptToDeleteWorker: requeueItem (AddRateLimited) when the attempt failed, else forgetItem */
  private processAttemptToDeleteWorker(uid: string): void {
    if (this.attemptToDeleteItem(uid)) this.attemptToDelete.addRateLimited(uid);
    else this.attemptToDelete.forget(uid);
  }

  /** processAttemptToOrphanWorker / processDeletingDependentsItem's requeue, for the owners' queue */
  private processDeletingOwnerWorker(uid: string): void {
    if (this.processDeletingOwner(uid)) this.deletingOwners.addRateLimited(uid);
    else this.deletingOwners.forget(uid);
  }

  /**
   * attemptToDeleteItem: classify every owner as solid, dangling or waiting for dependents'
   * deletion; returns the failed patch's or delete's error
   */
  private attemptToDeleteItem(uid: string): ApiError | undefined {
    const api = this.cluster.api;
    const item = api.store.getByUid(uid);
    if (!item) return undefined;
    const refs = item.metadata.ownerReferences ?? [];
    if (refs.length === 0) return undefined;
    const f = item.metadata.finalizers ?? [];
    if (item.metadata.deletionTimestamp && !f.includes(FINALIZER_FOREGROUND)) return undefined;
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
        return this.patch(item, (d) => {
          d.metadata.ownerReferences = (d.metadata.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
        });
      }
      return undefined;
    }
    let policy: PropagationPolicy;
    if (waiting.length && api.store.dependentsOf(uid).length) policy = 'Foreground';
    else if (f.includes(FINALIZER_ORPHAN)) policy = 'Orphan';
    else if (f.includes(FINALIZER_FOREGROUND)) policy = 'Foreground';
    else policy = 'Background';
    return this.delete(item, policy);
  }

  /**
   * orphan dependents, or wait for blocking dependents; then drop the finalizer. Returns the error
   * that makes upstream requeue the owner: an orphaning patch that failed (other than NotFound),
   * which keeps the finalizer (attemptToOrphanWorker), or the finalizer's removal failing.
   */
  private processDeletingOwner(uid: string): ApiError | undefined {
    const api = this.cluster.api;
    const owner = api.store.getByUid(uid);
    if (!owner || !owner.metadata.deletionTimestamp) return undefined;
    const f = owner.metadata.finalizers ?? [];
    const dependents = api.store.dependentsOf(uid).map((k) => api.store.getByKey(k)!).filter(Boolean);
    if (f.includes(FINALIZER_ORPHAN)) {
      // attemptToOrphanWorker: remove the owner reference from every dependent (orphanDependents
      // tries them all), and only when all went through, the finalizer
      let failed: ApiError | undefined;
      for (const d of dependents) {
        const err = this.patch(d, (draft) => {
          const refs = (draft.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (refs.length) draft.metadata.ownerReferences = refs;
          else delete draft.metadata.ownerReferences;
        });
        if (err && err.reason !== 'NotFound') failed ??= err;
      }
      if (failed) return failed;
      return this.removeFinalizer(owner, FINALIZER_ORPHAN);
    }
    if (f.includes(FINALIZER_FOREGROUND)) {
      const blocking = dependents.filter((d) => (d.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion));
      if (blocking.length) {
        for (const d of blocking) this.attemptToDelete.add(d.metadata.uid!);
        return undefined;
      }
      // non-blocking dependents go in the background afterwards, as their owner is now gone
      return this.removeFinalizer(owner, FINALIZER_FOREGROUND);
    }
    return undefined;
  }

  /** deleteObject with the item's UID as precondition; the ApiError it fails with */
  private delete(item: KubeObject, policy: PropagationPolicy): ApiError | undefined {
    return apiError(() => this.cluster.api.delete(item.kind, item.metadata.namespace, item.metadata.name!, { propagationPolicy: policy, preconditionUid: item.metadata.uid }));
  }

  private patch(item: KubeObject, fn: (d: KubeObject) => void): ApiError | undefined {
    return apiError(() => this.cluster.api.mutate(item.kind, item.metadata.namespace, item.metadata.name!, fn));
  }

  /** removeFinalizer: an owner already gone is done with (getObject's NotFound returns nil) */
  private removeFinalizer(owner: KubeObject, finalizer: string): ApiError | undefined {
    const err = this.patch(owner, (d) => {
      d.metadata.finalizers = (d.metadata.finalizers ?? []).filter((x) => x !== finalizer);
      if (!d.metadata.finalizers.length) delete d.metadata.finalizers;
    });
    return err?.reason === 'NotFound' ? undefined : err;
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
