// The DaemonSet controller (pkg/controller/daemon/daemon_controller.go syncDaemonSet, manage,
// podsShouldBeOnNode, syncNodes, updateDaemonSetStatus; update.go constructHistory, cleanupHistory).
// One pod per node that should run it; pods are pinned to their node with a `metadata.name`
// matchFields affinity and bound by the default scheduler (upstream since 1.12).

import type { Cluster, Component } from '../../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../../engine/component.js';
import type { KubeObject } from '../../api/types.js';
import type { WatchEvent } from '../../api/server.js';
import { controllerRef, getControllerOf } from '../../api/server.js';
import { objectKey } from '../../api/store.js';
import { ApiError } from '../../api/errors.js';
import { jsonEqual } from '../../api/clone.js';
import { selectorFromLabelSelector, type Selector } from '../../api/labels.js';
import { claimObjects } from '../controller_ref_manager.js';
import { ControllerExpectations, podEventOwner, podMayConcern, SLOW_START_INITIAL_BATCH_SIZE, isPodAvailable, isPodReady } from '../controller_utils.js';
import { CONTROLLER_REVISION_HASH_LABEL, canonicalJson, controllerRevisionName, hashControllerRevision } from '../controller_history.js';
import {
  DAEMONSET_HASH_LABEL,
  DAEMONSET_TEMPLATE_GENERATION_LABEL,
  FailedPodsBackoff,
  addOrUpdateDaemonPodTolerations,
  allowsSurge,
  byCreationTimestampAndPhase,
  getTargetNodeName,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  replaceDaemonSetPodNodeNameNodeAffinity,
} from './util.js';
import { rollingUpdatePlan } from './update.js';

export const DAEMONSET_CONTROLLER = 'daemonset-controller';
/** BurstReplicas of the DaemonSet controller: creations and deletions per sync, each way */
export const DS_BURST_REPLICAS = 250;

export class DaemonSetController implements Component {
  readonly name = DAEMONSET_CONTROLLER;
  private readonly queue: WorkQueue;
  private readonly expectations = new ControllerExpectations();
  private readonly failedPodsBackoff = new FailedPodsBackoff();

  constructor(private readonly cluster: Cluster) {
    this.queue = controllerQueue(cluster, this.name, (key) => this.processNextWorkItem(key));
    controllerInformer(cluster, this.name, ['DaemonSet', 'Pod', 'Node', 'ControllerRevision'], (ev) => this.onEvent(ev), podMayConcern('DaemonSet'));
  }

  private enqueue(ds: KubeObject): void {
    this.queue.add(objectKey('DaemonSet', ds.metadata.namespace, ds.metadata.name!));
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === 'DaemonSet') return this.enqueue(o);
    if (o.kind === 'Node') return this.onNode(ev);
    if (o.kind === 'ControllerRevision') {
      const ref = getControllerOf(o);
      if (ref?.kind === 'DaemonSet') this.queue.add(objectKey('DaemonSet', o.metadata.namespace, ref.name));
      return;
    }
    // a pod (addPod/updatePod/deletePod): its owner hears about it; an orphan may be adopted
    const owner = podEventOwner(ev, 'DaemonSet', this.cluster.api.store, this.expectations, (k) => this.queue.add(k));
    if (owner !== 'orphan') {
      if (owner) this.queue.add(owner);
      return;
    }
    const ns = o.metadata.namespace;
    for (const ds of this.cluster.api.store.iterate('DaemonSet', ns)) {
      const sel = selectorOf(ds);
      if (sel && !sel.empty() && sel.matches(o.metadata.labels)) this.enqueue(ds);
    }
  }

  /** addNode / updateNode (shouldIgnoreNodeUpdate): enqueue sets whose placement answer changed */
  private onNode(ev: WatchEvent): void {
    if (ev.type === 'DELETED') return; // no handler upstream: PodGC and the next sync deal with it
    const node = ev.object, old = ev.old;
    if (ev.type === 'MODIFIED' && old && shouldIgnoreNodeUpdate(old, node)) return;
    for (const ds of this.cluster.api.store.iterate('DaemonSet')) {
      const now = nodeShouldRunDaemonPod(node, ds);
      if (ev.type === 'ADDED' || !old) {
        if (now[0]) this.enqueue(ds);
        continue;
      }
      const before = nodeShouldRunDaemonPod(old, ds);
      if (before[0] !== now[0] || before[1] !== now[1]) this.enqueue(ds);
    }
  }

  /** processNextWorkItem: a failed sync is requeued rate-limited, a successful one forgotten */
  private processNextWorkItem(key: string): void {
    if (this.sync(key)) this.queue.addRateLimited(key);
    else this.queue.forget(key);
  }

  /** syncDaemonSet; returns the error that makes upstream requeue the key rate-limited */
  private sync(key: string): ApiError | undefined {
    const api = this.cluster.api;
    const ds = api.store.getByKey(key);
    if (!ds) {
      this.expectations.delete(key);
      return undefined;
    }
    const nodes = api.list('Node');
    const sel = ds.spec?.selector;
    if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
      api.recordEvent(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.', this.name);
      return undefined;
    }
    if (ds.metadata.deletionTimestamp) return undefined;
    let hash: string;
    try {
      hash = this.constructHistory(ds);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return e;
    }
    if (!this.expectations.satisfied(key, this.cluster.sim.now)) {
      // only status; observedGeneration is not raised for a generation not acted on
      return this.updateStatus(ds, nodes, hash, false);
    }
    const err = this.updateDaemonSet(key, ds, nodes, hash);
    const statusErr = this.updateStatus(ds, nodes, hash, true);
    return err ?? statusErr;
  }

  /** updateDaemonSet: manage, then the rolling update, then history cleanup; stops at the first error */
  private updateDaemonSet(key: string, ds: KubeObject, nodes: KubeObject[], hash: string): ApiError | undefined {
    const err = this.manage(key, ds, nodes, hash);
    if (err) return err;
    if (this.expectations.satisfied(key, this.cluster.sim.now) && ds.spec?.updateStrategy?.type === 'RollingUpdate') {
      const nodeToPods = this.getNodesToDaemonPods(ds);
      const plan = rollingUpdatePlan(ds, nodes, nodeToPods, hash, templateGeneration(ds), this.cluster.sim.now);
      const rollErr = this.syncNodes(key, ds, plan.podsToDelete, plan.nodesToCreate, hash);
      if (rollErr) return rollErr;
    }
    return this.cleanupHistory(ds);
  }

  /** getNodesToDaemonPods: claimed pods by target node; terminal pods being deleted are left out */
  private getNodesToDaemonPods(ds: KubeObject): Map<string, KubeObject[]> {
    const api = this.cluster.api;
    const selector = selectorOf(ds);
    const out = new Map<string, KubeObject[]>();
    if (!selector) return out;
    const candidates = [...api.store.iterate('Pod', ds.metadata.namespace)];
    for (const pod of claimObjects(api, ds, selector, candidates, this.name)) {
      const phase = pod.status?.phase;
      if ((phase === 'Succeeded' || phase === 'Failed') && pod.metadata.deletionTimestamp) continue;
      const node = getTargetNodeName(pod);
      if (node === undefined) continue;
      let list = out.get(node);
      if (!list) out.set(node, (list = []));
      list.push(pod);
    }
    return out;
  }

  private manage(key: string, ds: KubeObject, nodes: KubeObject[], hash: string): ApiError | undefined {
    const nodeToPods = this.getNodesToDaemonPods(ds);
    const nodesNeeding: string[] = [];
    const podsToDelete: string[] = [];
    for (const node of nodes) {
      const r = this.podsShouldBeOnNode(key, node, nodeToPods, ds, hash);
      nodesNeeding.push(...r.create);
      podsToDelete.push(...r.del);
    }
    // getUnscheduledPodsWithoutNode: pending pods pinned to a node that no longer exists
    const names = new Set(nodes.map((n) => n.metadata.name!));
    for (const [node, pods] of nodeToPods) {
      if (names.has(node)) continue;
      for (const p of pods) if (!p.spec?.nodeName) podsToDelete.push(p.metadata.name!);
    }
    return this.syncNodes(key, ds, podsToDelete, nodesNeeding, hash);
  }

  private podsShouldBeOnNode(key: string, node: KubeObject, nodeToPods: Map<string, KubeObject[]>, ds: KubeObject, hash: string): { create: string[]; del: string[] } {
    const [shouldRun, shouldContinueRunning] = nodeShouldRunDaemonPod(node, ds);
    const nodeName = node.metadata.name!;
    const daemonPods = nodeToPods.get(nodeName);
    const create: string[] = [], del: string[] = [];
    if (shouldRun && !daemonPods) {
      create.push(nodeName);
      return { create, del };
    }
    if (shouldContinueRunning) {
      const running: KubeObject[] = [];
      const api = this.cluster.api;
      const now = this.cluster.sim.now;
      for (const pod of daemonPods ?? []) {
        if (pod.metadata.deletionTimestamp) continue;
        const phase = pod.status?.phase;
        if (phase === 'Failed') {
          // the kubelet may keep rejecting the pod: back off per (set, observed generation, node),
          // as failedPodsBackoffKey (pkg/controller/daemon/daemon_controller.go) keys it: the key
          // moves on once a status write has observed a new generation, not at the spec change
          const bk = `${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
          if (this.failedPodsBackoff.isInBackOffSinceUpdate(bk, now)) {
            this.queue.addAfter(key, this.failedPodsBackoff.get(bk));
            continue;
          }
          this.failedPodsBackoff.next(bk, now);
          api.recordEvent(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`, this.name);
          del.push(pod.metadata.name!);
        } else if (phase === 'Succeeded') {
          api.recordEvent(ds, 'Normal', 'SucceededDaemonPod', `Found succeeded daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to delete it`, this.name);
          del.push(pod.metadata.name!);
        } else running.push(pod);
      }
      if (!allowsSurge(ds)) {
        if (running.length > 1) {
          running.sort(byCreationTimestampAndPhase);
          for (const p of running.slice(1)) del.push(p.metadata.name!);
        }
        return { create, del };
      }
      if (running.length <= 1) {
        if (running.length === 0 && shouldRun) create.push(nodeName);
        return { create, del };
      }
      // surge: keep the oldest new and the oldest old pod; the old one goes when it is not ready or the new one is available
      running.sort(byCreationTimestampAndPhase);
      let oldestNew: KubeObject | undefined, oldestOld: KubeObject | undefined;
      for (const p of running) {
        if (p.metadata.labels?.[DAEMONSET_HASH_LABEL] === hash) {
          if (!oldestNew) {
            oldestNew = p;
            continue;
          }
        } else if (!oldestOld) {
          oldestOld = p;
          continue;
        }
        del.push(p.metadata.name!);
      }
      if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, now))) del.push(oldestOld.metadata.name!);
      return { create, del };
    }
    if (daemonPods) for (const p of daemonPods) if (!p.metadata.deletionTimestamp) del.push(p.metadata.name!);
    return { create, del };
  }

  /** syncNodes: capped creations (slow start) and deletions, with expectations; returns the first error */
  private syncNodes(key: string, ds: KubeObject, podsToDelete: string[], nodesNeeding: string[], hash: string): ApiError | undefined {
    let firstError: ApiError | undefined;
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    const createDiff = Math.min(nodesNeeding.length, DS_BURST_REPLICAS);
    const deleteDiff = Math.min(podsToDelete.length, DS_BURST_REPLICAS);
    this.expectations.setExpectations(key, createDiff, deleteDiff, now);
    const template = createPodTemplate(ds, hash);
    let pos = 0;
    for (let batch = Math.min(createDiff, SLOW_START_INITIAL_BATCH_SIZE); pos < createDiff; ) {
      let failed = false;
      for (let i = pos; i < pos + batch; i++) {
        const pod = podFromDaemonTemplate(ds, template, nodesNeeding[i]);
        try {
          const created = api.create(pod);
          api.recordEvent(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, this.name);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          failed = true;
          firstError ??= e;
          this.expectations.creationObserved(key);
          api.recordEvent(ds, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, this.name);
        }
      }
      pos += batch;
      const skipped = createDiff - pos;
      if (failed && skipped > 0) {
        // untried pods are not expected; the rate-limited retry of the failed sync retries the slow start
        for (let i = 0; i < skipped; i++) this.expectations.creationObserved(key);
        break;
      }
      batch = Math.min(2 * batch, createDiff - pos);
    }
    for (let i = 0; i < deleteDiff; i++) {
      const name = podsToDelete[i];
      try {
        api.delete('Pod', ds.metadata.namespace, name, { propagationPolicy: 'Background' });
        api.recordEvent(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`, this.name);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        this.expectations.deletionObserved(key);
        if (e.reason !== 'NotFound') {
          firstError ??= e;
          api.recordEvent(ds, 'Warning', 'FailedDelete', `Error deleting: ${e.message}`, this.name);
        }
      }
    }
    return firstError;
  }

  /**
   * constructHistory: the ControllerRevision matching the current template (created if missing,
   * its revision number raised above the old ones); returns its hash.
   */
  private constructHistory(ds: KubeObject): string {
    const api = this.cluster.api;
    const data = { spec: { template: { ...structuredClone(ds.spec?.template ?? {}), $patch: 'replace' } } };
    const histories = this.controlledHistories(ds);
    const current = histories.filter((h) => canonicalJson(h.data) === canonicalJson(data));
    const old = histories.filter((h) => !current.includes(h));
    const currRevision = Math.max(0, ...old.map((h) => (h.revision as number) ?? 0)) + 1;
    let cur: KubeObject;
    if (current.length === 0) {
      const collisionCount: number | undefined = ds.status?.collisionCount;
      const hash = hashControllerRevision(ds.spec?.template ?? {}, collisionCount);
      const name = controllerRevisionName(ds.metadata.name!, hash);
      const existing = api.get('ControllerRevision', ds.metadata.namespace, name);
      if (existing) {
        if (canonicalJson(existing.data) === canonicalJson(data)) return existing.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? hash;
        // a hash collision with another template: bump the collision count and retry
        api.mutate('DaemonSet', ds.metadata.namespace, ds.metadata.name!, (d) => {
          d.status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        }, 'status');
        throw new ApiError('AlreadyExists', `controllerrevisions.apps "${name}" already exists`);
      }
      cur = api.create({
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name,
          namespace: ds.metadata.namespace,
          labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
          ownerReferences: [controllerRef(ds)],
        },
        data,
        revision: currRevision,
      });
    } else {
      // dedupCurHistories: keep the highest revision
      cur = current.reduce((a, b) => (((b.revision as number) ?? 0) > ((a.revision as number) ?? 0) ? b : a));
      if (((cur.revision as number) ?? 0) < currRevision) {
        cur = api.mutate('ControllerRevision', cur.metadata.namespace, cur.metadata.name!, (d) => {
          d.revision = currRevision;
        });
      }
    }
    return cur.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
  }

  private controlledHistories(ds: KubeObject): KubeObject[] {
    const api = this.cluster.api;
    const out: KubeObject[] = [];
    for (const k of api.store.dependentsOf(ds.metadata.uid!)) {
      const o = api.store.getByKey(k);
      if (o?.kind === 'ControllerRevision' && getControllerOf(o)?.uid === ds.metadata.uid) out.push(o);
    }
    return out;
  }

  /** cleanupHistory: keep revisionHistoryLimit old revisions not used by any pod, oldest deleted first */
  private cleanupHistory(ds: KubeObject): ApiError | undefined {
    const api = this.cluster.api;
    const limit: number = ds.spec?.revisionHistoryLimit ?? 10;
    const hash = hashOfCurrent(ds, this.controlledHistories(ds));
    const old = this.controlledHistories(ds).filter((h) => h.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== hash);
    if (old.length <= limit) return undefined;
    const live = new Set<string>();
    for (const pods of this.getNodesToDaemonPods(ds).values()) for (const p of pods) if (p.metadata.labels?.[DAEMONSET_HASH_LABEL]) live.add(p.metadata.labels[DAEMONSET_HASH_LABEL]);
    const candidates = old.filter((h) => !live.has(h.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '')).sort((a, b) => ((a.revision as number) ?? 0) - ((b.revision as number) ?? 0));
    let toKill = old.length - limit;
    for (const h of candidates) {
      if (toKill <= 0) break;
      try {
        api.delete('ControllerRevision', h.metadata.namespace, h.metadata.name!);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return e; // upstream returns the delete's error: the sync is retried
      }
      toKill--;
    }
    return undefined;
  }

  /** updateDaemonSetStatus; returns the status write's error */
  private updateStatus(ds: KubeObject, nodes: KubeObject[], hash: string, updateObservedGen: boolean): ApiError | undefined {
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    const minReady: number = ds.spec?.minReadySeconds ?? 0;
    const nodeToPods = this.getNodesToDaemonPods(ds);
    let desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
    const gen = templateGeneration(ds);
    for (const node of nodes) {
      const [shouldRun] = nodeShouldRunDaemonPod(node, ds);
      const pods = nodeToPods.get(node.metadata.name!) ?? [];
      if (shouldRun) {
        desired++;
        if (pods.length === 0) continue;
        current++;
        const pod = [...pods].sort(byCreationTimestampAndPhase)[0];
        if (isPodReady(pod)) {
          ready++;
          if (isPodAvailable(pod, minReady, now)) available++;
        }
        if (isPodUpdated(pod, hash, gen)) updated++;
      } else if (pods.length > 0) misscheduled++;
    }
    const fresh = api.get('DaemonSet', ds.metadata.namespace, ds.metadata.name!);
    if (!fresh || fresh.metadata.uid !== ds.metadata.uid) return undefined;
    const prev = fresh.status ?? {};
    const status: any = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      ...(updateObservedGen ? { observedGeneration: ds.metadata.generation } : prev.observedGeneration !== undefined ? { observedGeneration: prev.observedGeneration } : {}),
      ...(updated ? { updatedNumberScheduled: updated } : {}),
      ...(available ? { numberAvailable: available } : {}),
      ...(desired - available ? { numberUnavailable: desired - available } : {}),
      ...(prev.collisionCount !== undefined ? { collisionCount: prev.collisionCount } : {}),
      ...(prev.conditions ? { conditions: prev.conditions } : {}),
    };
    if (JSON.stringify(prev) !== JSON.stringify(status)) {
      try {
        api.update({ ...fresh, status }, 'status');
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return e;
      }
    }
    // a last look once minReadySeconds have passed
    if (minReady > 0 && ready !== available) this.queue.addAfter(objectKey('DaemonSet', ds.metadata.namespace, ds.metadata.name!), minReady * 1000);
    return undefined;
  }
}

/**
 * The template generation of apps/v1 lives in the `deprecated.daemonset.template.generation`
 * annotation the registry maintains; we use it when present and metadata.generation otherwise.
 */
function templateGeneration(ds: KubeObject): number | undefined {
  const a = ds.metadata.annotations?.['deprecated.daemonset.template.generation'];
  if (a !== undefined && Number.isInteger(Number(a))) return Number(a);
  return ds.metadata.generation;
}

function hashOfCurrent(ds: KubeObject, histories: KubeObject[]): string | undefined {
  const data = canonicalJson({ spec: { template: { ...(ds.spec?.template ?? {}), $patch: 'replace' } } });
  return histories.find((h) => canonicalJson(h.data) === data)?.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
}

/** CreatePodTemplate: the tolerations, the template-generation label and the revision hash label */
function createPodTemplate(ds: KubeObject, hash: string): any {
  const t = structuredClone(ds.spec?.template ?? {});
  t.spec ??= {};
  addOrUpdateDaemonPodTolerations(t.spec);
  t.metadata ??= {};
  t.metadata.labels = { ...(t.metadata.labels ?? {}) };
  const gen = templateGeneration(ds);
  if (gen !== undefined) t.metadata.labels[DAEMONSET_TEMPLATE_GENERATION_LABEL] = String(gen);
  if (hash) t.metadata.labels[DAEMONSET_HASH_LABEL] = hash;
  return t;
}

function podFromDaemonTemplate(ds: KubeObject, template: any, nodeName: string): KubeObject {
  const meta = template.metadata ?? {};
  const spec = structuredClone(template.spec ?? {});
  spec.affinity = replaceDaemonSetPodNodeNameNodeAffinity(spec.affinity, nodeName);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef(ds)],
    },
    spec,
  };
}

/** shouldIgnoreNodeUpdate: only a change in labels, taints, spec or the set of True conditions matters */
function shouldIgnoreNodeUpdate(old: KubeObject, cur: KubeObject): boolean {
  const trueConds = (n: KubeObject) =>
    (n.status?.conditions ?? [])
      .filter((c: any) => c.status === 'True')
      .map((c: any) => c.type)
      .sort()
      .join(',');
  if (trueConds(old) !== trueConds(cur)) return false;
  // labels and spec printing the same (most node writes are status heartbeats) have the same
  // canonical form too; only when they do not is the canonical comparison needed
  if (jsonEqual(old.metadata.labels, cur.metadata.labels) && jsonEqual(old.spec, cur.spec)) return true;
  const strip = (n: KubeObject) => canonicalJson({ labels: n.metadata.labels, spec: n.spec });
  return strip(old) === strip(cur);
}

function selectorOf(ds: KubeObject): Selector | undefined {
  try {
    return selectorFromLabelSelector(ds.spec?.selector);
  } catch {
    return undefined;
  }
}
