// DaemonSet placement and update arithmetic (pkg/controller/daemon/util/daemonset_util.go,
// daemon_controller.go NodeShouldRunDaemonPod, update.go): which nodes should run a daemon pod,
// the tolerations the controller adds, the node affinity that pins a pod to its node, and how
// maxSurge / maxUnavailable resolve (percentages round UP, unlike Deployment's maxUnavailable).

import type { KubeObject } from '../../api/types.js';
import { nodeSelectorTermsMatch, toleratesTaint } from '../../scheduler/helpers.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../controller_history.js';
import { parseTimestamp } from '../../api/time.js';

export const DAEMONSET_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
export const DAEMONSET_HASH_LABEL = CONTROLLER_REVISION_HASH_LABEL;

/** AddOrUpdateDaemonPodTolerations: daemon pods survive node problems and cordoning */
export function addOrUpdateDaemonPodTolerations(spec: any): void {
  const add = (key: string, effect: string) => addOrUpdateToleration(spec, { key, operator: 'Exists', effect });
  add('node.kubernetes.io/not-ready', 'NoExecute');
  add('node.kubernetes.io/unreachable', 'NoExecute');
  add('node.kubernetes.io/disk-pressure', 'NoSchedule');
  add('node.kubernetes.io/memory-pressure', 'NoSchedule');
  add('node.kubernetes.io/pid-pressure', 'NoSchedule');
  add('node.kubernetes.io/unschedulable', 'NoSchedule');
  if (spec.hostNetwork) add('node.kubernetes.io/network-unavailable', 'NoSchedule');
}

/** v1helper.AddOrUpdateTolerationInPodSpec: a toleration equal except for tolerationSeconds is replaced */
function addOrUpdateToleration(spec: any, t: { key: string; operator: string; effect: string }): void {
  const list: any[] = spec.tolerations ?? [];
  const i = list.findIndex((x) => (x.key ?? '') === t.key && (x.operator || 'Equal') === t.operator && (x.value ?? '') === '' && (x.effect ?? '') === t.effect);
  if (i >= 0) list[i] = { ...t };
  else list.push({ ...t });
  spec.tolerations = list;
}

/** NewPod: the daemon pod as it would run on `nodeName`, for the placement predicates */
export function newDaemonPod(ds: KubeObject, nodeName: string): KubeObject {
  const spec = structuredClone(ds.spec?.template?.spec ?? {});
  spec.nodeName = nodeName;
  addOrUpdateDaemonPodTolerations(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...(ds.spec?.template?.metadata ?? {}) }, spec };
}

/** GetRequiredNodeAffinity(pod).Match(node): nodeSelector and required node affinity terms */
function fitsNodeAffinity(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms) return nodeSelectorTermsMatch(terms, node);
  return true;
}

function untoleratedTaint(taints: any[], tolerations: any[], filter: (t: any) => boolean): any | undefined {
  return taints.find((t) => filter(t) && !tolerations.some((tol) => toleratesTaint(tol, t)));
}

/**
 * NodeShouldRunDaemonPod -> [shouldRun, shouldContinueRunning]. Resources, ports and
 * spec.unschedulable are not checked here: the scheduler handles those.
 */
export function nodeShouldRunDaemonPod(node: KubeObject, ds: KubeObject): [boolean, boolean] {
  const pod = newDaemonPod(ds, node.metadata.name!);
  const wanted = ds.spec?.template?.spec?.nodeName;
  if (wanted && wanted !== node.metadata.name) return [false, false];
  if (!fitsNodeAffinity(pod, node)) return [false, false];
  const taints: any[] = node.spec?.taints ?? [];
  const tolerations: any[] = pod.spec.tolerations ?? [];
  if (untoleratedTaint(taints, tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) {
    // a scheduled daemon pod keeps running unless a NoExecute taint is not tolerated
    return [false, !untoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute')];
  }
  return [true, true];
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become `metadata.name In [node]` */
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: any, nodeName: string): any {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const a = affinity ? structuredClone(affinity) : {};
  a.nodeAffinity ??= {};
  a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ??= {};
  a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = [term];
  return a;
}

/** GetTargetNodeName: spec.nodeName, or the node named by the pinning affinity of an unscheduled pod */
export function getTargetNodeName(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms: any[] = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t?.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** IsPodUpdated: the revision hash or the template generation matches */
export function isPodUpdated(pod: KubeObject, hash: string, templateGeneration: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = templateGeneration !== undefined && labels[DAEMONSET_TEMPLATE_GENERATION_LABEL] === String(templateGeneration);
  const hashMatches = hash.length > 0 && labels[DAEMONSET_HASH_LABEL] === hash;
  return hashMatches || templateMatches;
}

/** GetScaledValueFromIntOrPercent */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^([0-9]+)%$/.exec(v);
  if (!m) {
    const n = Number(v);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or percentage`);
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * updatedDesiredNodeCounts' arithmetic: maxSurge and maxUnavailable of `desired` (both round up),
 * and unavailability 1 when a configuration allows neither.
 */
export function surgeAndUnavailable(ds: KubeObject, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec?.updateStrategy?.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate : undefined;
  let maxUnavailable = ru ? scaledValue(ru.maxUnavailable, desired, true) : 0;
  const maxSurge = ru ? scaledValue(ru.maxSurge, desired, true) : 0;
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export function allowsSurge(ds: KubeObject): boolean {
  const ru = ds.spec?.updateStrategy?.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate : undefined;
  if (!ru || ru.maxSurge === undefined) return false;
  // SurgeCount with 1 node > 0 means surge is on (percentages round up, so any non-zero value)
  return scaledValue(ru.maxSurge, 1, true) !== 0;
}

/** podByCreationTimestampAndPhase: scheduled first, then oldest, then by name */
export function byCreationTimestampAndPhase(a: KubeObject, b: KubeObject): number {
  const sa = !!a.spec?.nodeName, sb = !!b.spec?.nodeName;
  if (sa !== sb) return sa ? -1 : 1;
  const ta = parseTimestamp(a.metadata.creationTimestamp) ?? 0, tb = parseTimestamp(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name!, nb = b.metadata.name!;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** findUpdatedPodsOnNode: at most one new and one old non-deleting pod, else not ok */
export function findUpdatedPodsOnNode(pods: KubeObject[], hash: string, templateGeneration: number | undefined): { newPod?: KubeObject; oldPod?: KubeObject; ok: boolean } {
  let newPod: KubeObject | undefined, oldPod: KubeObject | undefined;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, templateGeneration)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { newPod, oldPod, ok: true };
}

/** flowcontrol.Backoff as the DaemonSet controller uses it for failed pods: 1 s doubling, 15 min cap */
export class FailedPodsBackoff {
  private readonly entries = new Map<string, { backoff: number; lastUpdate: number }>();
  constructor(
    readonly initialMs = 1000,
    readonly maxMs = 15 * 60 * 1000,
  ) {}

  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  /** IsInBackOffSinceUpdate */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    return !!e && now - e.lastUpdate < e.backoff;
  }

  /** Next: start at the initial delay, or double up to the cap; an entry idle for 2x the cap restarts */
  next(key: string, now: number): void {
    const e = this.entries.get(key);
    if (!e || now - e.lastUpdate > 2 * this.maxMs) this.entries.set(key, { backoff: this.initialMs, lastUpdate: now });
    else this.entries.set(key, { backoff: Math.min(e.backoff * 2, this.maxMs), lastUpdate: now });
  }
}

