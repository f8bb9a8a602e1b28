// The ReplicaSet controller, and the ReplicationController controller as the same code over
// another kind (pkg/controller/replicaset/replica_set.go; pkg/controller/replication is an
// adapter over it). syncReplicaSet: list the namespace's active pods, claim them (adopt/release
// by selector), create or delete to reach spec.replicas once earlier creates/deletes have been
// observed, then write status. A sync that fails (a create or delete refused, the status write
// refused) is requeued rate-limited; one that succeeds forgets the key's failures
// (processNextWorkItem).

import type { Cluster, Component } from '../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import type { WatchEvent } from '../api/server.js';
import { controllerRef, getControllerOf } from '../api/server.js';
import { objectKey } from '../api/store.js';
import { selectorFromSet, type Selector } from '../api/labels.js';
import { ApiError } from '../api/errors.js';
import {
  BURST_REPLICAS,
  ControllerExpectations,
  SLOW_START_INITIAL_BATCH_SIZE,
  getPodsToDelete,
  isPodActive,
  isPodAvailable,
  isPodReady,
  podEventOwner,
  podMayConcern,
  slowStartBatch,
  type RankedPod,
  selectorOfStored,
} from './controller_utils.js';
import { timestamp } from '../api/time.js';
import { jsonEqual } from '../api/clone.js';
import { claimObjects } from './controller_ref_manager.js';

export type ReplicatedKind = 'ReplicaSet' | 'ReplicationController';

export class ReplicaSetController implements Component {
  readonly name: string;
  private readonly queue: WorkQueue;
  private readonly expectations = new ControllerExpectations();

  constructor(
    private readonly cluster: Cluster,
    private readonly kind: ReplicatedKind,
  ) {
    this.name = kind === 'ReplicaSet' ? 'replicaset-controller' : 'replication-controller';
    this.queue = controllerQueue(cluster, this.name, (key) => this.processNextWorkItem(key));
    controllerInformer(cluster, this.name, [kind, 'Pod'], (ev) => this.onEvent(ev), podMayConcern(kind));
  }

  /** the stored object's selector, built once per selector object (stored objects are never changed in place) */
  private selectorOf(rs: KubeObject): Selector {
    return this.kind === 'ReplicaSet' ? selectorOfStored(rs.spec?.selector) : setSelectorOfStored(rs.spec?.selector);
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === this.kind) {
      this.queue.add(objectKey(o.kind, o.metadata.namespace, o.metadata.name!));
      return;
    }
    // a pod: the controller that owns it hears about it; an orphan may be adopted by any whose selector matches
    const owner = podEventOwner(ev, this.kind, this.cluster.api.store, this.expectations, (k) => this.queue.add(k));
    if (owner !== 'orphan') {
      if (owner) this.queue.add(owner);
      return;
    }
    const ns = o.metadata.namespace;
    for (const rs of this.cluster.api.store.iterate(this.kind, ns)) {
      const sel = safeSelector(() => this.selectorOf(rs));
      if (sel && !sel.empty() && sel.matches(o.metadata.labels)) this.queue.add(objectKey(rs.kind, ns, rs.metadata.name!));
    }
  }

  /** processNextWorkItem: a failed sync is retried after the rate limiter's delay */
  private processNextWorkItem(key: string): void {
    if (this.sync(key)) this.queue.addRateLimited(key);
    else this.queue.forget(key);
  }

  /** syncReplicaSet; returns the error that makes upstream requeue the key rate-limited */
  private sync(key: string): ApiError | undefined {
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    const rs = api.store.getByKey(key);
    if (!rs) {
      this.expectations.delete(key);
      return undefined;
    }
    const ns = rs.metadata.namespace!;
    const selector = safeSelector(() => this.selectorOf(rs));
    if (!selector) return undefined; // upstream: HandleError, not requeued
    const needsSync = this.expectations.satisfied(key, now);
    const active = this.candidatePods(rs, ns);
    const claimed = claimObjects(api, rs, selector, active, this.name);
    let manageError: ApiError | undefined;
    if (needsSync && !rs.metadata.deletionTimestamp) manageError = this.manageReplicas(key, rs, claimed);
    const statusError = this.updateStatus(rs, claimed, manageError);
    if (statusError) return statusError;
    if (manageError) return manageError;
    // a pod becomes available minReadySeconds after it became ready: look again then
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (minReady > 0) {
      const fresh = api.store.getByKey(key);
      if (fresh && fresh.status?.readyReplicas === fresh.spec?.replicas && fresh.status?.availableReplicas !== fresh.spec?.replicas) {
        this.queue.addAfter(key, minReady * 1000);
      }
    }
    return undefined;
  }

  /**
   * The namespace's active pods that claimObjects could keep, adopt or release, in the namespace's
   * order: upstream lists every pod of the namespace, and claimObjects skips those another
   * controller owns. With no orphan in the namespace, the rest are exactly the pods this
   * ReplicaSet controls, which the owner index holds in the same (last-written) order.
   */
  private candidatePods(rs: KubeObject, ns: string): KubeObject[] {
    const store = this.cluster.api.store;
    const out: KubeObject[] = [];
    if (store.hasOrphanPods(ns)) {
      for (const p of store.iterate('Pod', ns)) if (isPodActive(p)) out.push(p);
      return out;
    }
    const uid = rs.metadata.uid!;
    for (const k of store.dependentsOf(uid)) {
      const p = store.getByKey(k);
      if (p && p.kind === 'Pod' && p.metadata.namespace === ns && isPodActive(p) && getControllerOf(p)?.uid === uid) out.push(p);
    }
    return out;
  }

  private manageReplicas(key: string, rs: KubeObject, pods: KubeObject[]): ApiError | undefined {
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      const want = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, want, now);
      let lastError: ApiError | undefined;
      const created = slowStartBatch(want, SLOW_START_INITIAL_BATCH_SIZE, () => {
        try {
          const pod = api.create(podFromTemplate(rs));
          api.recordEvent(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, this.name);
          return true;
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          lastError = e;
          api.recordEvent(rs, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, this.name);
          return false;
        }
      });
      // pods never tried, and failed ones, will not be observed: lower the expectation for them
      for (let i = created; i < want; i++) this.expectations.creationObserved(key);
      return lastError;
    }
    if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const victims = getPodsToDelete(this.rank(rs, pods), n, now);
      this.expectations.expectDeletions(key, victims.length, now);
      let lastError: ApiError | undefined;
      for (const pod of victims) {
        try {
          api.delete('Pod', pod.metadata.namespace, pod.metadata.name!, { propagationPolicy: 'Background' });
          api.recordEvent(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, this.name);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          this.expectations.deletionObserved(key);
          if (e.reason !== 'NotFound') {
            lastError = e;
            api.recordEvent(rs, 'Warning', 'FailedDelete', `Error deleting: ${e.message}`, this.name);
          }
        }
      }
      return lastError;
    }
    return undefined;
  }

  /**
   * Ranks for ActivePodsWithRanks: for each pod, how many active pods related to it (pods of every
   * ReplicaSet with the same controller, e.g. one Deployment's) share its node.
   */
  private rank(rs: KubeObject, pods: KubeObject[]): RankedPod[] {
    const api = this.cluster.api;
    const related: KubeObject[] = [];
    const owner = getControllerOf(rs);
    if (owner) {
      for (const k of api.store.dependentsOf(owner.uid)) {
        const sibling = api.store.getByKey(k);
        if (!sibling || sibling.kind !== rs.kind) continue;
        for (const pk of api.store.dependentsOf(sibling.metadata.uid!)) {
          const p = api.store.getByKey(pk);
          if (p && p.kind === 'Pod' && isPodActive(p) && getControllerOf(p)?.uid === sibling.metadata.uid) related.push(p);
        }
      }
    }
    const perNode = new Map<string, number>();
    for (const p of related) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    return pods.map((pod) => ({ pod, rank: pod.spec?.nodeName ? perNode.get(pod.spec.nodeName) ?? 0 : 0 }));
  }

  /**
   * calculateStatus + updateReplicaSetStatus (replica_set_utils.go); returns the status write's
   * error, if the API server refused it.
   */
  private updateStatus(rs: KubeObject, pods: KubeObject[], manageError: ApiError | undefined): ApiError | undefined {
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const templateLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
    const templateKeys = Object.keys(templateLabels); // once per sync, not once per pod
    let fullyLabeled = 0, ready = 0, available = 0;
    for (const p of pods) {
      if (hasLabels(p.metadata.labels, templateLabels, templateKeys)) fullyLabeled++;
      if (isPodReady(p)) {
        ready++;
        if (isPodAvailable(p, minReady, now)) available++;
      }
    }
    // upstream omits zero counts (omitempty); keep the same shape (set only when non-zero: a
    // `delete` would turn the status into a slow dictionary object)
    const status: any = { replicas: pods.length };
    if (fullyLabeled !== 0) status.fullyLabeledReplicas = fullyLabeled;
    if (ready !== 0) status.readyReplicas = ready;
    if (available !== 0) status.availableReplicas = available;
    status.observedGeneration = rs.metadata.generation;
    const conditions = replicaFailureConditions(rs.status?.conditions, manageError, pods.length - (rs.spec?.replicas ?? 1), now);
    if (conditions.length) status.conditions = conditions;
    const fresh = api.store.getByKey(objectKey(rs.kind, rs.metadata.namespace, rs.metadata.name!));
    if (!fresh || fresh.metadata.uid !== rs.metadata.uid) return undefined;
    if (jsonEqual(fresh.status ?? {}, status)) return undefined;
    try {
      api.update({ ...fresh, status }, 'status');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return e;
    }
    return undefined;
  }
}

/**
 * calculateStatus's conditions: a failed manageReplicas adds a ReplicaFailure condition only when
 * there is none (reason from the replica difference, message the error's); an existing one is
 * kept as it is, message and lastTransitionTime included, however often the sync fails again; a
 * sync without that error removes it. Other conditions are kept.
 */
export function replicaFailureConditions(current: any[] | undefined, manageError: ApiError | undefined, diff: number, now: number): any[] {
  const conds = current ?? [];
  const failure = conds.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : undefined;
    const cond: any = { type: 'ReplicaFailure', status: 'True', reason, message: manageError.message, lastTransitionTime: timestamp(now) };
    if (reason === undefined) delete cond.reason;
    return [...conds, cond];
  }
  if (!manageError && failure) return conds.filter((c) => c.type !== 'ReplicaFailure');
  return conds;
}

export function podFromTemplate(owner: KubeObject): KubeObject {
  const t = owner.spec?.template ?? {};
  const meta = t.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: meta.labels ? { ...meta.labels } : undefined,
      annotations: meta.annotations ? { ...meta.annotations } : undefined,
      finalizers: meta.finalizers ? [...meta.finalizers] : undefined,
      ownerReferences: [controllerRef(owner)],
    },
    // api.create copies its input before anything changes it, so the template's spec is passed
    // as is (a second copy here was ~1% of a fuzz run)
    spec: t.spec ?? {},
  };
}

/** every `keys[i]` of `want` has the same value in `labels` (a missing one only matches undefined) */
export function hasLabels(labels: Record<string, string> | undefined, want: Record<string, string>, keys: string[]): boolean {
  for (const k of keys) if ((labels === undefined ? undefined : labels[k]) !== want[k]) return false;
  return true;
}

/** selectorFromSet of a stored ReplicationController's selector, by selector object */
const setSelectors = new WeakMap<object, Selector>();
export function setSelectorOfStored(set: Record<string, string> | undefined | null): Selector {
  if (!set || typeof set !== 'object') return selectorFromSet(set ?? {});
  let sel = setSelectors.get(set);
  if (!sel) setSelectors.set(set, (sel = selectorFromSet(set)));
  return sel;
}

function safeSelector(f: () => Selector): Selector | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
