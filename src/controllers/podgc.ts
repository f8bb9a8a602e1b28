// The pod garbage collector (pkg/controller/podgc/gc_controller.go). Every gcCheckPeriod (20 s,
// wait.Until from the controller's start) gc() runs, in this order:
//   gcTerminated      — terminated pods (phase Succeeded/Failed) above --terminated-pod-gc-threshold
//                       (12500) are deleted, evicted ones first, then the oldest (byEvictionAndCreationTimestamp);
//   gcTerminating     — terminating pods on a node that is not Ready and has the
//                       node.kubernetes.io/out-of-service taint;
//   gcOrphaned        — pods bound to a node that does not exist: the node name is quarantined for
//                       40 s (nodeQueue.AddAfter), and a pass that finds the quarantine over and the
//                       node still missing deletes its pods;
//   gcUnscheduledTerminating — terminating pods that were never bound to a node.
// A pod already force-deleted that only waits for its finalizers is never picked again.
// Each deletion is markFailedAndDeletePod: a pod not yet terminal is first patched to phase Failed
// (with DisruptionTarget=True, reason DeletionByPodGC, "PodGC: node no longer exists" for an
// orphan), then deleted with grace period 0. Before 1.26 (PodDisruptionConditions off by default)
// the pod is deleted without the status patch.
//
// The passes are lazy: they keep upstream's 20 s grid, but one is scheduled only while there is
// something for a pass to do; what there is to do is kept up to date from the Pod and Node watch
// (the store's pods-by-node index, never a scan of every pod).

import type { Cluster, Component } from '../engine/cluster.js';
import type { Timer } from '../engine/sim.js';
import type { WatchEvent } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { objectKey } from '../api/store.js';
import { ApiError } from '../api/errors.js';
import { timestamp } from '../api/time.js';
import { minorAtLeast } from './job/util.js';

/** gcCheckPeriod */
export const GC_CHECK_PERIOD_MS = 20_000;
/** quarantineTime: how long a missing node is waited for before its pods are deleted */
export const QUARANTINE_TIME_MS = 40_000;
/** kube-controller-manager --terminated-pod-gc-threshold default */
export const TERMINATED_POD_GC_THRESHOLD = 12_500;
export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

export interface PodGCOptions {
  /** --terminated-pod-gc-threshold; 0 turns gcTerminated off */
  terminatedPodThreshold?: number;
}

const isTerminated = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
/** eviction.PodIsEvicted */
const isEvicted = (pod: KubeObject) => pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';

/**
 * A pod whose immediate deletion the API server already accepted (grace 0) and that only waits for
 * its finalizers: deleting it again changes nothing, so no collection picks it (it still counts
 * towards the terminated-pod threshold).
 */
export const onlyWaitingForFinalizers = (pod: KubeObject) =>
  !!pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds === 0 && (pod.metadata.finalizers?.length ?? 0) > 0;

/** byEvictionAndCreationTimestamp: evicted pods first, then the older creationTimestamp, then the name */
export function byEvictionAndCreationTimestamp(a: KubeObject, b: KubeObject): number {
  const ea = isEvicted(a);
  const eb = isEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta === tb) return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
  return Date.parse(ta) - Date.parse(tb);
}

function isNodeReady(node: KubeObject): boolean {
  return (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

export class PodGCController implements Component {
  readonly name = 'pod-garbage-collector';
  private readonly t0: number;
  private readonly threshold: number;
  private readonly disruptionConditions: boolean;
  private timer?: Timer;
  /** keys of terminated pods (for the threshold) */
  private readonly terminated = new Set<string>();
  /** keys of terminating pods with no node */
  private readonly unscheduledTerminating = new Set<string>();
  /** node names pods are bound to that may not exist */
  private readonly suspectNodes = new Set<string>();
  /** nodeQueue: a missing node's name -> when its quarantine ends */
  private readonly quarantine = new Map<string, number>();
  /** nodes that are not Ready and carry the out-of-service taint */
  private readonly outOfService = new Set<string>();

  constructor(
    private readonly cluster: Cluster,
    opts: PodGCOptions = {},
  ) {
    this.t0 = cluster.sim.now;
    this.threshold = opts.terminatedPodThreshold ?? TERMINATED_POD_GC_THRESHOLD;
    this.disruptionConditions = minorAtLeast(cluster.config.kubernetesVersion, 26);
    // the handler only updates this controller's bookkeeping and schedules a pass (it never writes),
    // so it listens to the API server directly: an informer would add an event per pod change, and
    // its few milliseconds of lag do not matter to a controller that acts every 20 s
    cluster.api.watch((ev) => this.onEvent(ev), ['Pod', 'Node']);
  }

  private get api() {
    return this.cluster.api;
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === 'Node') {
      const name = o.metadata.name!;
      if (ev.type === 'DELETED') {
        this.outOfService.delete(name);
        this.suspectNodes.add(name);
      } else if (!isNodeReady(o) && (o.spec?.taints ?? []).some((t: any) => t.key === TAINT_OUT_OF_SERVICE)) this.outOfService.add(name);
      else this.outOfService.delete(name);
      return this.ensurePass();
    }
    const key = objectKey('Pod', o.metadata.namespace, o.metadata.name!);
    if (ev.type === 'DELETED') {
      this.terminated.delete(key);
      this.unscheduledTerminating.delete(key);
      return;
    }
    if (isTerminated(o)) this.terminated.add(key);
    else this.terminated.delete(key);
    if (o.metadata.deletionTimestamp && !o.spec?.nodeName && !onlyWaitingForFinalizers(o)) this.unscheduledTerminating.add(key);
    else this.unscheduledTerminating.delete(key);
    const node = o.spec?.nodeName;
    if (node && !this.api.get('Node', undefined, node)) this.suspectNodes.add(node);
    this.ensurePass();
  }

  private hasWork(): boolean {
    if (this.threshold > 0 && this.terminated.size > this.threshold) return true;
    if (this.unscheduledTerminating.size || this.suspectNodes.size || this.quarantine.size) return true;
    for (const n of this.outOfService) if (this.api.store.podsOnNode(n).some((p) => p.metadata.deletionTimestamp && !onlyWaitingForFinalizers(p))) return true;
    return false;
  }

  /** the next pass on the 20 s grid, if there is anything to do */
  private ensurePass(): void {
    if (this.timer || !this.hasWork()) return;
    const now = this.cluster.sim.now;
    const k = Math.floor((now - this.t0) / GC_CHECK_PERIOD_MS) + 1;
    this.timer = this.cluster.sim.scheduleAt(this.t0 + k * GC_CHECK_PERIOD_MS, `${this.name}/gc`, () => {
      this.timer = undefined;
      this.gc();
      this.ensurePass();
    });
  }

  /** gc: the four collections, in upstream's order */
  gc(): void {
    if (this.threshold > 0) this.gcTerminated();
    this.gcTerminating();
    this.gcOrphaned();
    this.gcUnscheduledTerminating();
  }

  private podsOf(keys: Iterable<string>): KubeObject[] {
    const out: KubeObject[] = [];
    for (const k of keys) {
      const p = this.api.store.getByKey(k);
      if (p) out.push(p);
    }
    return out;
  }

  private gcTerminated(): void {
    const pods = this.podsOf(this.terminated).filter(isTerminated);
    const deleteCount = pods.length - this.threshold;
    if (deleteCount <= 0) return;
    const candidates = pods.filter((p) => !onlyWaitingForFinalizers(p)).sort(byEvictionAndCreationTimestamp);
    for (const p of candidates.slice(0, deleteCount)) this.markFailedAndDeletePod(p);
  }

  private gcTerminating(): void {
    const pods: KubeObject[] = [];
    for (const n of [...this.outOfService].sort()) {
      const node = this.api.get('Node', undefined, n);
      if (!node || isNodeReady(node) || !(node.spec?.taints ?? []).some((t: any) => t.key === TAINT_OUT_OF_SERVICE)) continue;
      pods.push(...this.api.store.podsOnNode(n).filter((p) => p.metadata.deletionTimestamp && !onlyWaitingForFinalizers(p)));
    }
    pods.sort(byEvictionAndCreationTimestamp);
    for (const p of pods) this.markFailedAndDeletePod(p);
  }

  private gcOrphaned(): void {
    const now = this.cluster.sim.now;
    // add newly found unknown nodes to quarantine (AddAfter keeps the earlier ready time)
    for (const n of [...this.suspectNodes].sort()) {
      if (this.api.get('Node', undefined, n) || !this.api.store.podsOnNode(n).some((p) => !onlyWaitingForFinalizers(p))) {
        this.suspectNodes.delete(n);
        continue;
      }
      if (!this.quarantine.has(n)) this.quarantine.set(n, now + QUARANTINE_TIME_MS);
    }
    // discoverDeletedNodes: the names whose quarantine is over, checked with a GET
    const deleted: string[] = [];
    for (const [n, readyAt] of [...this.quarantine].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (readyAt > now) continue;
      this.quarantine.delete(n);
      if (!this.api.get('Node', undefined, n)) deleted.push(n);
    }
    for (const n of deleted) {
      for (const pod of this.api.store.podsOnNode(n)) {
        if (onlyWaitingForFinalizers(pod)) continue;
        this.markFailedAndDeletePod(pod, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
      }
    }
  }

  private gcUnscheduledTerminating(): void {
    for (const pod of this.podsOf([...this.unscheduledTerminating])) {
      if (!pod.metadata.deletionTimestamp || pod.spec?.nodeName || onlyWaitingForFinalizers(pod)) continue;
      this.markFailedAndDeletePod(pod);
    }
  }

  /** markFailedAndDeletePodWithCondition: phase Failed (and the condition) first, then a force delete */
  private markFailedAndDeletePod(pod: KubeObject, condition?: Record<string, string>): void {
    const api = this.api;
    const now = this.cluster.sim.now;
    try {
      if (this.disruptionConditions && !isTerminated(pod)) {
        api.mutate('Pod', pod.metadata.namespace, pod.metadata.name!, (d) => {
          d.status ??= {};
          d.status.phase = 'Failed';
          if (condition) {
            const list: any[] = (d.status.conditions ??= []);
            const i = list.findIndex((c) => c.type === condition.type);
            const next = { ...condition, lastTransitionTime: timestamp(now) };
            if (i < 0) list.push(next);
            else {
              if (list[i].status === condition.status) next.lastTransitionTime = list[i].lastTransitionTime;
              list[i] = { ...list[i], ...next };
            }
          }
        }, 'status');
      }
      api.delete('Pod', pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e; // already gone: ignored, as upstream ignores NotFound
    }
  }
}
