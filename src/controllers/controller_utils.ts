// Shared controller machinery, named and ordered as upstream's pkg/controller/controller_utils.go
// and pkg/api/v1/pod/util.go.

import type { KubeObject, LabelSelector } from '../api/types.js';
import { parseTimestamp } from '../api/time.js';
import { getControllerOf, type WatchEvent } from '../api/server.js';
import { objectKey, type ObjectStore } from '../api/store.js';
import { selectorFromLabelSelector, type Selector } from '../api/labels.js';

export function getPodCondition(pod: KubeObject, type: string): any | undefined {
  return (pod.status?.conditions ?? []).find((c: any) => c.type === type);
}

/** IsPodReady: condition Ready == True */
export function isPodReady(pod: KubeObject): boolean {
  return getPodCondition(pod, 'Ready')?.status === 'True';
}

/**
 * IsPodAvailable (pkg/api/v1/pod/util.go): Ready, and ready for more than minReadySeconds.
 * The comparison is strict: at exactly LTT + minReadySeconds the pod is not yet available.
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  const c = getPodCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const ltt = parseTimestamp(c.lastTransitionTime);
  return ltt !== undefined && ltt + minReadySeconds * 1000 < nowMs;
}

/** IsPodActive: not Succeeded/Failed and not being deleted */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function isPodTerminating(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !!pod.metadata.deletionTimestamp;
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

export interface RankedPod {
  pod: KubeObject;
  /** number of active related pods on the same node (the pod itself included) */
  rank: number;
}

/**
 * ActivePodsWithRanks.Less (controller_utils.go), with the PodDeletionCost and
 * LogarithmicScaleDown behaviour of current releases (both on by default since 1.22/1.31).
 * Returns true when `a` should be deleted before `b`.
 */
export function activePodsWithRanksLess(a: RankedPod, b: RankedPod, nowMs: number): boolean {
  const pi = a.pod, pj = b.pod;
  // 1-3. unassigned < assigned; Pending < Unknown < Running; not ready < ready
  const byState = lessByState(pi, pj);
  if (byState !== undefined) return byState;
  // 4. lower pod-deletion-cost < higher
  const ci = deletionCost(pi), cj = deletionCost(pj);
  if (ci !== cj) return ci < cj;
  // 5. doubled up (higher rank) < lower rank
  if (a.rank !== b.rank) return a.rank > b.rank;
  // 6. both ready: ready for less time < ready longer (log2 buckets)
  if (isPodReady(pi) && isPodReady(pj)) {
    const ti = readyTime(pi), tj = readyTime(pj);
    if (ti !== tj) {
      const c = compareLogTimes(ti, tj, nowMs, pi, pj);
      if (c !== 0) return c > 0;
    }
  }
  // 7. higher max restart count < lower
  const rci = maxContainerRestarts(pi), rcj = maxContainerRestarts(pj);
  if (rci !== rcj) return rci > rcj;
  // 8. newer < older (log2 buckets)
  const cti = parseTimestamp(pi.metadata.creationTimestamp), ctj = parseTimestamp(pj.metadata.creationTimestamp);
  if (cti !== ctj) {
    const c = compareLogTimes(cti, ctj, nowMs, pi, pj);
    if (c !== 0) return c > 0;
  }
  return false;
}

/**
 * ActivePods.Less (controller_utils.go), the variant without ranks, deletion cost or logarithmic
 * buckets that the Job controller uses: rules 1-3, then ready for less time, more restarts, newer.
 */
export function activePodsLess(pi: KubeObject, pj: KubeObject): boolean {
  const byState = lessByState(pi, pj);
  if (byState !== undefined) return byState;
  if (isPodReady(pi) && isPodReady(pj)) {
    const ti = readyTime(pi), tj = readyTime(pj);
    if (ti !== tj) return afterOrZero(ti, tj);
  }
  const rci = maxContainerRestarts(pi), rcj = maxContainerRestarts(pj);
  if (rci !== rcj) return rci > rcj;
  const ci = parseTimestamp(pi.metadata.creationTimestamp), cj = parseTimestamp(pj.metadata.creationTimestamp);
  if (ci !== cj) return afterOrZero(ci, cj);
  return false;
}

/** Rules 1-3, shared by both orderings; undefined when they do not decide. */
function lessByState(pi: KubeObject, pj: KubeObject): boolean | undefined {
  const ai = !pi.spec?.nodeName, aj = !pj.spec?.nodeName;
  if (ai !== aj) return ai;
  const phi = PHASE_ORDER[pi.status?.phase] ?? 0, phj = PHASE_ORDER[pj.status?.phase] ?? 0;
  if (phi !== phj) return phi < phj;
  const ri = isPodReady(pi), rj = isPodReady(pj);
  if (ri !== rj) return !ri;
  return undefined;
}

/** afterOrZero: a missing time counts as newest */
function afterOrZero(ti: number | undefined, tj: number | undefined): boolean {
  if (ti === undefined || tj === undefined) return ti === undefined;
  return ti > tj;
}

/**
 * >0 when time i is "newer" than time j (so i goes first), <0 when older, 0 when equal.
 * A missing time counts as newest. With both times set, compare floor(log2(now - t)) buckets,
 * and in the same bucket the pod with the lower UID goes first (LogarithmicScaleDown).
 */
function compareLogTimes(ti: number | undefined, tj: number | undefined, nowMs: number, pi: KubeObject, pj: KubeObject): number {
  if (ti === undefined && tj === undefined) return 0;
  if (ti === undefined) return 1;
  if (tj === undefined) return -1;
  const bi = logBucket(nowMs - ti), bj = logBucket(nowMs - tj);
  if (bi !== bj) return bi < bj ? 1 : -1;
  const ui = pi.metadata.uid ?? '', uj = pj.metadata.uid ?? '';
  if (ui === uj) return 0;
  return ui < uj ? 1 : -1;
}

/** logarithmicRankDiff's bucket: int(log2(duration in ns)), -1 for a non-positive duration */
function logBucket(ms: number): number {
  return ms > 0 ? Math.floor(Math.log2(ms * 1e6)) : -1;
}

function readyTime(pod: KubeObject): number | undefined {
  return parseTimestamp(getPodCondition(pod, 'Ready')?.lastTransitionTime);
}

function deletionCost(pod: KubeObject): number {
  const v = pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

export function maxContainerRestarts(pod: KubeObject): number {
  let m = 0;
  for (const s of pod.status?.containerStatuses ?? []) m = Math.max(m, s.restartCount ?? 0);
  return m;
}

/** getPodsToDelete (replica_set.go): rank and take the first `diff`, or all in list order. */
export function getPodsToDelete(pods: RankedPod[], diff: number, nowMs: number): KubeObject[] {
  if (diff >= pods.length) return pods.map((p) => p.pod);
  // a stable sort with a deterministic comparator keeps the run reproducible where upstream's
  // unstable sort would not be
  const sorted = [...pods].sort((a, b) => (activePodsWithRanksLess(a, b, nowMs) ? -1 : activePodsWithRanksLess(b, a, nowMs) ? 1 : 0));
  return sorted.slice(0, diff).map((p) => p.pod);
}

/**
 * slowStartBatch (replica_set.go): calls fn in batches of 1, 2, 4, ... and stops at the first
 * batch with a failure. Returns the number of successes.
 */
export function slowStartBatch(count: number, initialBatchSize: number, fn: () => boolean): number {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let errored = false;
    for (let i = 0; i < batch; i++) {
      if (fn()) successes++;
      else errored = true;
    }
    if (errored) return successes;
    remaining -= batch;
  }
  return successes;
}

export const SLOW_START_INITIAL_BATCH_SIZE = 1;
export const BURST_REPLICAS = 500;
/** ExpectationsTimeout */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

/** ControllerExpectations: act only once the creates/deletes we made have been observed. */
export class ControllerExpectations {
  private readonly records = new Map<string, { add: number; del: number; at: number }>();

  satisfied(key: string, nowMs: number): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return nowMs - r.at > EXPECTATIONS_TIMEOUT_MS;
  }

  /** SetExpectations: creations and deletions in one record (the DaemonSet controller sets both) */
  setExpectations(key: string, add: number, del: number, nowMs: number): void {
    this.records.set(key, { add, del, at: nowMs });
  }

  expectCreations(key: string, n: number, nowMs: number): void {
    this.records.set(key, { add: n, del: 0, at: nowMs });
  }

  expectDeletions(key: string, n: number, nowMs: number): void {
    this.records.set(key, { add: 0, del: n, at: nowMs });
  }

  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.add--;
  }

  deletionObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.del--;
  }

  delete(key: string): void {
    this.records.delete(key);
  }
}

/**
 * The watch filter of a controller that owns pods through a controllerRef (an Informer's
 * `relevant`): a pod change in which both the old and the new pod have a controller of another
 * kind is one podEventOwner ignores without side effects (no expectation, no enqueue), so it
 * need not be delivered. Everything else (the controller's own kind, orphans, nodes) is.
 */
export function podMayConcern(kind: string): (ev: WatchEvent) => boolean {
  return (ev) => {
    const o = ev.object;
    if (o.kind !== 'Pod') return true;
    const ref = getControllerOf(o);
    if (!ref || ref.kind === kind) return true;
    return ev.old ? getControllerOf(ev.old)?.kind === kind : false;
  };
}

/**
 * addPod/updatePod/deletePod of a controller that owns pods through a controllerRef: the key of
 * the controller of `kind` that owns the pod, after noting an observed creation or deletion in
 * its expectations; 'orphan' for a live pod without a controller (candidates for adoption);
 * undefined when the pod is not this kind's concern. A pod that moved to another controller also
 * wakes its old one through `enqueue`.
 */
export function podEventOwner(ev: WatchEvent, kind: string, store: ObjectStore, expectations: ControllerExpectations, enqueue: (key: string) => void): string | 'orphan' | undefined {
  const o = ev.object;
  const ns = o.metadata.namespace;
  const ref = getControllerOf(o);
  const oldRef = ev.old ? getControllerOf(ev.old) : undefined;
  if (oldRef && oldRef.kind === kind && (!ref || ref.uid !== oldRef.uid)) enqueue(objectKey(kind, ns, oldRef.name));
  if (ref) {
    if (ref.kind !== kind) return undefined;
    const key = objectKey(kind, ns, ref.name);
    const owner = store.getByKey(key);
    if (!owner || owner.metadata.uid !== ref.uid) return undefined;
    if (ev.type === 'ADDED' && !o.metadata.deletionTimestamp) expectations.creationObserved(key);
    const becameDeleted = ev.type === 'DELETED' ? !ev.old?.metadata.deletionTimestamp : !!o.metadata.deletionTimestamp && !ev.old?.metadata.deletionTimestamp;
    if (becameDeleted) expectations.deletionObserved(key);
    return key;
  }
  return ev.type === 'DELETED' ? undefined : 'orphan';
}

/** selectorOfStored's answers (or errors), by the stored label selector they were built from */
const storedSelectors = new WeakMap<object, { selector: Selector } | { error: unknown }>();

/**
 * metav1.LabelSelectorAsSelector of a stored object's label selector (a Deployment's, a PDB's),
 * built once per selector object: stored objects are replaced on write and never changed in
 * place, so the same object always gives the same selector (Selectors are immutable). A
 * selector that fails to convert throws the same error each time. Only for selectors of stored
 * objects (or objects nobody changes): a selector changed in place would keep its old answer.
 */
export function selectorOfStored(ls: LabelSelector | undefined | null): Selector {
  if (!ls || typeof ls !== 'object') return selectorFromLabelSelector(ls);
  let r = storedSelectors.get(ls);
  if (!r) {
    try {
      r = { selector: selectorFromLabelSelector(ls) };
    } catch (error) {
      r = { error };
    }
    storedSelectors.set(ls, r);
  }
  if ('error' in r) throw r.error;
  return r.selector;
}
