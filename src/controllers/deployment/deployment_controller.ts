// The Deployment controller (pkg/controller/deployment/deployment_controller.go): watches
// Deployments, ReplicaSets and pod deletions, claims ReplicaSets by selector, and runs
// syncDeployment in upstream's order (SelectingAll, claim, deleting -> status only, paused
// conditions, paused -> sync, scaling event -> sync, else the strategy's rollout). It talks to
// the cluster only through the API server; the ReplicaSet controller creates the pods.

import type { Cluster, Component } from '../../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../../engine/component.js';
import type { KubeObject } from '../../api/types.js';
import type { WatchEvent } from '../../api/server.js';
import { getControllerOf } from '../../api/server.js';
import { objectKey } from '../../api/store.js';
import type { Selector } from '../../api/labels.js';
import { selectorOfStored } from '../controller_utils.js';
import { ApiError } from '../../api/errors.js';
import { claimObjects } from '../controller_ref_manager.js';
import { DeploymentSync, type DeploymentClient } from './sync.js';
import { rolloutRolling } from './rolling.js';
import { rolloutRecreate, type PodMap } from './recreate.js';
import { carryTemplateText, sameCanonical, withTemplateMemo } from './util.js';
import { cloneObject } from '../../api/clone.js';

/** deployment_controller.go maxRetries */
const MAX_RETRIES = 15;

export class DeploymentController implements Component {
  readonly name = 'deployment-controller';
  private readonly queue: WorkQueue;
  private readonly syncer: DeploymentSync;
  /**
   * canonical texts of templates (EqualIgnoreHash), by template object, kept across syncs: every
   * template a sync compares is a stored object's (the private copy of the Deployment shares its
   * spec with the stored one), and stored objects are replaced on write, never changed in place
   */
  private readonly templateTexts = new WeakMap<object, string>();

  constructor(private readonly cluster: Cluster) {
    this.queue = controllerQueue(cluster, this.name, (key) => this.processKey(key));
    // only a pod's deletion concerns the controller (deletePod; no addPod/updatePod handler):
    // other pod changes are not delivered
    const relevant = (ev: WatchEvent) => ev.object.kind !== 'Pod' || ev.type === 'DELETED';
    controllerInformer(cluster, this.name, ['Deployment', 'ReplicaSet', 'Pod'], (ev) => this.onEvent(ev), relevant);
    this.syncer = new DeploymentSync(this.apiClient());
  }

  private apiClient(): DeploymentClient {
    const api = this.cluster.api;
    const name = this.name;
    return {
      now: () => this.cluster.sim.now,
      createReplicaSet: (rs) => api.create(rs),
      getReplicaSet: (ns, n) => api.get('ReplicaSet', ns, n),
      updateReplicaSet: (rs) => {
        // optimistic concurrency, as a PUT with a stale resourceVersion gets a Conflict
        const cur = api.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name!);
        if (cur && rs.metadata.resourceVersion && cur.metadata.resourceVersion !== rs.metadata.resourceVersion) {
          throw new ApiError('Conflict', `Operation cannot be fulfilled on replicasets.apps "${rs.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
        }
        const updated = api.update(rs);
        carryTemplateText(rs.spec?.template, updated.spec?.template);
        return updated;
      },
      deleteReplicaSet: (ns, n) => {
        api.delete('ReplicaSet', ns, n);
      },
      updateDeploymentStatus: (d) => {
        // the status subresource of apps/v1 Deployments also persists annotations (the revision)
        const live = api.get('Deployment', d.metadata.namespace, d.metadata.name!);
        if (!live || live.metadata.uid !== d.metadata.uid) throw new ApiError('NotFound', `deployments.apps "${d.metadata.name}" not found`);
        let cur = live;
        if (!sameCanonical(live.metadata.annotations, d.metadata.annotations)) {
          cur = api.mutateOwned('Deployment', d.metadata.namespace, d.metadata.name!, (x) => {
            x.metadata.annotations = { ...(d.metadata.annotations ?? {}) };
          });
          carryTemplateText(live.spec?.template, cur.spec?.template);
        }
        // the status write copies the status it stores (and finds a no-op before copying)
        return api.update({ ...cur, status: d.status }, 'status');
      },
      event: (d, type, reason, message) => api.recordEvent(d, type, reason, message, name),
      requeueAfter: (d, ms) => this.queue.addAfter(objectKey('Deployment', d.metadata.namespace, d.metadata.name!), ms),
    };
  }

  // ---- event handlers -----------------------------------------------------------------------

  private enqueue(d: KubeObject): void {
    this.queue.add(objectKey('Deployment', d.metadata.namespace, d.metadata.name!));
  }

  private resolveControllerRef(ns: string | undefined, ref: { kind: string; name: string; uid: string }): KubeObject | undefined {
    if (ref.kind !== 'Deployment') return undefined;
    const d = this.cluster.api.get('Deployment', ns, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /** getDeploymentsForReplicaSet: deployments (non-empty selector) whose selector matches an orphan RS */
  private deploymentsForReplicaSet(rs: KubeObject): KubeObject[] {
    const out: KubeObject[] = [];
    for (const d of this.cluster.api.store.iterate('Deployment', rs.metadata.namespace)) {
      const sel = safeSelector(d);
      if (sel && !sel.empty() && sel.matches(rs.metadata.labels)) out.push(d);
    }
    return out;
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === 'Deployment') return this.enqueue(o);
    if (o.kind === 'ReplicaSet') return this.onReplicaSet(ev);
    if (o.kind === 'Pod' && ev.type === 'DELETED') this.onPodDeleted(o);
  }

  private onReplicaSet(ev: WatchEvent): void {
    const rs = ev.object;
    const ns = rs.metadata.namespace;
    const ref = getControllerOf(rs);
    if (ev.type === 'DELETED' || (ev.type === 'ADDED' && rs.metadata.deletionTimestamp)) {
      const d = ref && this.resolveControllerRef(ns, ref);
      if (d) this.enqueue(d);
      return;
    }
    if (ev.type === 'MODIFIED') {
      const oldRef = ev.old ? getControllerOf(ev.old) : undefined;
      const refChanged = !sameCanonical(oldRef, ref);
      if (refChanged && oldRef) {
        const d = this.resolveControllerRef(ns, oldRef);
        if (d) this.enqueue(d);
      }
      if (ref) {
        const d = this.resolveControllerRef(ns, ref);
        if (d) this.enqueue(d);
        return;
      }
      const labelsChanged = !sameCanonical(ev.old?.metadata.labels, rs.metadata.labels);
      if (labelsChanged || refChanged) for (const d of this.deploymentsForReplicaSet(rs)) this.enqueue(d);
      return;
    }
    // ADDED
    if (ref) {
      const d = this.resolveControllerRef(ns, ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsForReplicaSet(rs)) this.enqueue(d);
  }

  /** deletePod: a Recreate deployment waits for its last old pod to be gone */
  private onPodDeleted(pod: KubeObject): void {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.cluster.api.get('ReplicaSet', pod.metadata.namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const dref = getControllerOf(rs);
    const d = dref && this.resolveControllerRef(rs.metadata.namespace, dref);
    if (!d || d.spec?.strategy?.type !== 'Recreate') return;
    let numPods = 0;
    for (const pods of this.podMap(d, this.ownedReplicaSets(d)).values()) numPods += pods.length;
    if (numPods === 0) this.enqueue(d);
  }

  // ---- sync ---------------------------------------------------------------------------------

  private processKey(key: string): void {
    try {
      withTemplateMemo(() => this.syncDeployment(key), this.templateTexts);
      this.queue.forget(key);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // handleErr: requeue rate-limited (DefaultControllerRateLimiter), give up after maxRetries
      if (this.queue.numRequeues(key) < MAX_RETRIES) this.queue.addRateLimited(key);
      else this.queue.forget(key);
    }
  }

  /** ReplicaSets listed by the deployment's namespace and claimed by its selector */
  private ownedReplicaSets(d: KubeObject): KubeObject[] {
    const sel = safeSelector(d);
    if (!sel) return [];
    const out: KubeObject[] = [];
    for (const rs of this.cluster.api.store.iterate('ReplicaSet', d.metadata.namespace)) {
      if (getControllerOf(rs)?.uid === d.metadata.uid) out.push(rs);
    }
    return out.filter((rs) => sel.matches(rs.metadata.labels));
  }

  /** getPodMapForDeployment: pods matching the selector, by the uid of the owned RS controlling them */
  private podMap(d: KubeObject, rsList: KubeObject[]): PodMap {
    const api = this.cluster.api;
    const sel = safeSelector(d);
    const map: PodMap = new Map();
    for (const rs of rsList) {
      const pods: KubeObject[] = [];
      for (const k of api.store.dependentsOf(rs.metadata.uid!)) {
        const p = api.store.getByKey(k);
        if (p && p.kind === 'Pod' && getControllerOf(p)?.uid === rs.metadata.uid && sel?.matches(p.metadata.labels)) pods.push(p);
      }
      map.set(rs.metadata.uid!, pods);
    }
    return map;
  }

  private syncDeployment(key: string): void {
    const api = this.cluster.api;
    const live = api.store.getByKey(key);
    if (!live) return;
    const d = privateCopy(live);
    const s = this.syncer;
    const sel = d.spec?.selector;
    if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
      api.recordEvent(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.', this.name);
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation };
        s.client.updateDeploymentStatus(d);
      }
      return;
    }
    const selector = safeSelector(d);
    if (!selector) return;
    const candidates = [...api.store.iterate('ReplicaSet', d.metadata.namespace)];
    const rsList = claimObjects(api, d, selector, candidates, this.name);
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(d, rsList, false);
      s.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
      return;
    }
    s.checkPausedConditions(d);
    if (d.spec?.paused) return s.sync(d, rsList);
    // apps/v1 has no rollbackTo field; `kubectl rollout undo` patches the template instead
    // the ReplicaSets isScalingEvent finds are found again by what follows, as upstream: when
    // finding them wrote nothing, the second look would answer the same (DeploymentSync.again)
    const { scaling, found } = s.scalingEvent(d, rsList);
    if (scaling) return s.sync(d, rsList, found);
    // getPodMapForDeployment reads the store only; only Recreate uses the map
    if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(s, d, rsList, this.podMap(d, rsList), found);
    return rolloutRolling(s, d, rsList, found);
  }
}

/**
 * The sync's private copy of a Deployment (upstream's DeepCopy): a sync changes only the copy's
 * members of its status (counts, collisionCount, a new conditions list: a condition is replaced,
 * never changed in place) and its revision annotation, which setDeploymentRevision writes into
 * new copies of the metadata and annotations. So only the top level and the status map are
 * copied; the rest (metadata, spec, the conditions) is shared with the stored object, which
 * nothing changes in place. Keys keep their order, as in a full copy.
 */
export function privateCopy(live: KubeObject): KubeObject {
  const d = { ...live };
  if ('status' in live) {
    const st = live.status;
    d.status = st !== null && typeof st === 'object' && !Array.isArray(st) ? { ...st } : cloneObject(st);
  }
  return d;
}

function safeSelector(d: KubeObject): Selector | undefined {
  try {
    // d is a stored Deployment or a private copy sharing its spec (privateCopy)
    return selectorOfStored(d.spec?.selector);
  } catch {
    return undefined;
  }
}
