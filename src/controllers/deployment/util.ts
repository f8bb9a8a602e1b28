// Deployment helpers, named as upstream's pkg/controller/deployment/util/deployment_util.go and
// the RS helpers of pkg/controller/controller_utils.go that the Deployment controller uses.
// Pure functions over plain objects, so the upstream test tables can run against them directly.

import type { KubeObject } from '../../api/types.js';
import { parseTimestamp, timestamp } from '../../api/time.js';
import { NAME_ALPHABET } from '../../api/names.js';
import { fnv32a } from '../../util/hash.js';
import { jsonEqual } from '../../api/clone.js';

export { fnv32a };

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** apps.DefaultDeploymentUniqueLabelKey */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** sync.go maxRevHistoryLengthInChars */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;
export const MAX_INT32 = 2147483647;

// Progressing / Available condition reasons (deployment_util.go)
export const REASON = {
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  FailedRSCreate: 'ReplicaSetCreateError',
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** annotationsToSkip: never copied between a Deployment and its ReplicaSets */
export const ANNOTATIONS_TO_SKIP = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO,
]);

export type IntOrString = number | string | undefined | null;

// ---- replicas and percentages ---------------------------------------------------------------

export function replicasOf(o: KubeObject | undefined): number {
  return o?.spec?.replicas ?? 1;
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is; "N%" scaled by total, rounded up or down.
 * Throws for a string that is not "N%".
 */
export function scaledValueFromIntOrPercent(v: IntOrString, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const percent = percentOf(v);
  if (percent === undefined) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const n = (percent * total) / 100;
  return roundUp ? Math.ceil(n) : Math.floor(n);
}

/** "N%" strings parsed (N, or undefined when not a percentage): a sync reads maxSurge and
 * maxUnavailable several times; the few distinct strings in use are remembered (a bounded map) */
const percents = new Map<string, number | undefined>();

function percentOf(v: string): number | undefined {
  if (percents.has(v)) return percents.get(v);
  const m = /^(-?\d+)%$/.exec(v);
  const n = m ? Number(m[1]) : undefined;
  if (percents.size >= 256) percents.clear();
  percents.set(v, n);
  return n;
}

/** ResolveFenceposts: surge rounds up, unavailable down; both 0 -> unavailable 1. */
export function resolveFenceposts(maxSurge: IntOrString, maxUnavailable: IntOrString, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = scaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  // validation forbids both explicit zeros, but rounding down can still give 0: then allow 1
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function isRollingUpdate(d: KubeObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

function fenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const maxSurge = ru.maxSurge, maxUnavailable = ru.maxUnavailable, replicas = replicasOf(d);
  // a sync asks many times for the same deployment: the last answer, by the values it came from
  const last = lastFenceposts;
  if (last !== undefined && last.maxSurge === maxSurge && last.maxUnavailable === maxUnavailable && last.replicas === replicas) return last.answer;
  let answer: { surge: number; unavailable: number };
  try {
    answer = resolveFenceposts(maxSurge, maxUnavailable, replicas);
  } catch {
    // caught by validation upstream ("Error caught by validation")
    answer = { surge: 0, unavailable: 0 };
  }
  // only primitive inputs are remembered (an object's answer could change with its contents)
  if (typeof maxSurge !== 'object' && typeof maxUnavailable !== 'object') lastFenceposts = { maxSurge, maxUnavailable, replicas, answer };
  return answer;
}

let lastFenceposts: { maxSurge: unknown; maxUnavailable: unknown; replicas: unknown; answer: { surge: number; unavailable: number } } | undefined;

/** MaxUnavailable: 0 unless RollingUpdate with replicas > 0; never more than replicas. */
export function maxUnavailable(d: KubeObject): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

/** MaxSurge: 0 unless RollingUpdate. */
export function maxSurge(d: KubeObject): number {
  if (!isRollingUpdate(d)) return 0;
  return fenceposts(d).surge;
}

/** MinAvailable: replicas - MaxUnavailable; 0 for Recreate. */
export function minAvailable(d: KubeObject): number {
  if (!isRollingUpdate(d)) return 0;
  return replicasOf(d) - maxUnavailable(d);
}

// ---- replica set lists ----------------------------------------------------------------------

export function sumSpecReplicas(rss: (KubeObject | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
}

export function sumStatus(rss: (KubeObject | undefined)[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs ? rs.status?.[field] ?? 0 : 0), 0);
}

/** FilterActiveReplicaSets: spec.replicas > 0 */
export function filterActive(rss: (KubeObject | undefined)[]): KubeObject[] {
  return rss.filter((rs): rs is KubeObject => !!rs && replicasOf(rs) > 0);
}

function created(rs: KubeObject): number {
  return parseTimestamp(rs.metadata.creationTimestamp) ?? 0;
}

/** ReplicaSetsByCreationTimestamp.Less: older first, ties by name */
export function byCreationTimestamp(a: KubeObject, b: KubeObject): number {
  const ca = created(a), cb = created(b);
  if (ca !== cb) return ca - cb;
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: larger first, ties oldest first */
export function bySizeOlder(a: KubeObject, b: KubeObject): number {
  if (replicasOf(a) !== replicasOf(b)) return replicasOf(b) - replicasOf(a);
  return byCreationTimestamp(a, b);
}

/** ReplicaSetsBySizeNewer: larger first, ties newest first */
export function bySizeNewer(a: KubeObject, b: KubeObject): number {
  if (replicasOf(a) !== replicasOf(b)) return replicasOf(b) - replicasOf(a);
  return byCreationTimestamp(b, a);
}

/** ReplicaSetsByRevision: lower revision first; equal or unparsable -> by creation */
export function byRevision(a: KubeObject, b: KubeObject): number {
  const ra = revisionOf(a), rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreationTimestamp(a, b);
  return ra - rb;
}

// ---- revisions and annotations --------------------------------------------------------------

/** Revision: the revision annotation; 0 when absent, undefined when unparsable */
export function revisionOf(o: KubeObject): number | undefined {
  const v = o.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

export function maxRevision(rss: KubeObject[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/** LastRevision: the second-highest revision */
export function lastRevision(rss: KubeObject[]): number {
  let max = 0, sec = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (v >= max) {
      sec = max;
      max = v;
    } else if (v > sec) sec = v;
  }
  return sec;
}

function intAnnotation(rs: KubeObject, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

export function desiredReplicasAnnotation(rs: KubeObject): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

/** SetReplicasAnnotations (mutates); true if anything changed */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let updated = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    updated = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    updated = true;
  }
  return updated;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations (mutates newRS): copy the deployment's annotations (minus the skip
 * list), raise the revision (never lower it), keep the old revision in revision-history when an
 * existing RS gets a new one (a rollback), and set the replicas annotations on a new RS.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, newRS: KubeObject, newRevision: number, exists: boolean, revHistoryLimitInChars = MAX_REV_HISTORY_LENGTH_IN_CHARS): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, newRS);
  const a = (newRS.metadata.annotations ??= {});
  const hadRevision = REVISION_ANNOTATION in a;
  const oldRevision = a[REVISION_ANNOTATION] ?? '';
  let oldRevisionInt = 0;
  if (oldRevision !== '') {
    if (!/^[+-]?\d+$/.test(oldRevision)) return false;
    oldRevisionInt = Number(oldRevision);
  }
  if (oldRevisionInt < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (hadRevision) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
      const old = history.split(',');
      if (old[0].length === 0) a[REVISION_HISTORY_ANNOTATION] = oldRevision;
      else {
        let totalLen = history.length + oldRevision.length + 1;
        let start = 0;
        while (totalLen > revHistoryLimitInChars && start < old.length) {
          totalLen -= old[start].length + 1;
          start++;
        }
        if (totalLen <= revHistoryLimitInChars) a[REVISION_HISTORY_ANNOTATION] = [...old.slice(start), oldRevision].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(newRS, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/**
 * SetNewReplicaSetAnnotations(d, copy of rs, newRevision, exists=true) would leave the copy as it
 * is (printing as rs): every annotation it copies is already there, and the recorded revision is
 * unparsable (it then stops) or at least newRevision. Conservative: true only in those cases, so
 * a sync can skip copying the new RS when it is already up to date (the usual case).
 */
export function newReplicaSetAnnotationsInSync(d: KubeObject, rs: KubeObject, newRevision: number): boolean {
  const a = rs.metadata.annotations;
  if (a === null || typeof a !== 'object') return false;
  const da = d.metadata.annotations;
  if (da) for (const k of Object.keys(da)) if (!ANNOTATIONS_TO_SKIP.has(k) && a[k] !== da[k]) return false;
  const rev = a[REVISION_ANNOTATION];
  if (rev === undefined || rev === '') return false;
  return !/^[+-]?\d+$/.test(rev) || Number(rev) >= newRevision;
}

function copyDeploymentAnnotationsToReplicaSet(d: KubeObject, rs: KubeObject): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  // a Go map iterates in random order; sorted keys keep the copy deterministic
  for (const k of Object.keys(d.metadata.annotations ?? {}).sort()) {
    const v = d.metadata.annotations![k];
    if (ANNOTATIONS_TO_SKIP.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

// ---- templates and hashes -------------------------------------------------------------------

/**
 * A canonical JSON form for semantic comparison: keys sorted, and empty maps/lists dropped, as
 * apimachinery's Semantic.DeepEqual treats nil and empty alike.
 */
export function canonical(v: unknown): string {
  return JSON.stringify(normalise(v)) ?? 'null';
}

/**
 * canonical(a) === canonical(b), answered first by a walk over both (../../api/clone.ts
 * jsonEqual): API data that prints the same as JSON has the same canonical form, and an unchanged
 * status or label map (most syncs) is then known without printing either.
 */
export function sameCanonical(a: unknown, b: unknown): boolean {
  return jsonEqual(a, b) || canonicalEqual(a, b);
}

/**
 * canonical(a) === canonical(b) for JSON data, by walking both instead of printing them: a value
 * that normalises away (undefined, an empty list, a map of such values) prints as null where
 * JSON prints one (top level, list element) and is dropped as a map member; maps compare by
 * their sorted sets of remaining keys (a `__proto__` member never survives normalise's copy).
 * Anything not JSON data (a class instance, a function) is left to the printed comparison.
 */
export function canonicalEqual(a: unknown, b: unknown): boolean {
  const r = walkEqual(a, b);
  return r === undefined ? canonical(a) === canonical(b) : r;
}

/** the normalised value is undefined: dropped from a map, printed null elsewhere */
function absent(v: unknown): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return v.length === 0;
  for (const k of Object.keys(v)) if (k !== '__proto__' && !absent((v as Record<string, unknown>)[k])) return false;
  return true;
}

/** JSON prints null for these (null, NaN, +-Infinity, and a value normalised away) */
function printsNull(v: unknown): boolean {
  return v === null || (typeof v === 'number' && !Number.isFinite(v)) || absent(v);
}

function jsonData(v: unknown): boolean {
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return false;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** the keys normalise keeps (value not normalised away), sorted */
function presentKeys(o: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(o)) if (k !== '__proto__' && !absent(o[k])) keys.push(k);
  return keys.sort();
}

/** undefined: not JSON data, answer by printing */
function walkEqual(a: unknown, b: unknown): boolean | undefined {
  if (!jsonData(a) || !jsonData(b)) return undefined;
  const na = printsNull(a), nb = printsNull(b);
  if (na || nb) return na && nb;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const r = walkEqual(a[i], b[i]);
      if (r !== true) return r;
    }
    return true;
  }
  const oa = a as Record<string, unknown>, ob = b as Record<string, unknown>;
  const ka = presentKeys(oa), kb = presentKeys(ob);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return false;
  for (const k of ka) {
    const r = walkEqual(oa[k], ob[k]);
    if (r !== true) return r;
  }
  return true;
}

function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(normalise) : undefined;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalise((v as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

function withoutHashLabel(template: any): any {
  // only printed (canonical), never changed: copy just the path to the label, not the template
  const t = template ?? {};
  const labels = t.metadata?.labels;
  if (!labels || typeof labels !== 'object' || !Object.prototype.hasOwnProperty.call(labels, POD_TEMPLATE_HASH_LABEL)) return t;
  const rest = { ...labels };
  delete rest[POD_TEMPLATE_HASH_LABEL];
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}

/** EqualIgnoreHash: templates equal once the pod-template-hash label is removed from both */
export function equalIgnoreHash(a: any, b: any): boolean {
  return canonicalIgnoreHash(a) === canonicalIgnoreHash(b);
}

/** the canonical form EqualIgnoreHash compares: one side can be computed once for many comparisons */
function canonicalIgnoreHash(template: any): string {
  if (!templateMemo || !template || typeof template !== 'object') return canonical(withoutHashLabel(template));
  let text = templateMemo.get(template);
  if (text === undefined) templateMemo.set(template, (text = canonical(withoutHashLabel(template))));
  return text;
}

/** canonicalIgnoreHash by template object, while a memo is in force (see withTemplateMemo) */
let templateMemo: WeakMap<object, string> | undefined;

/**
 * Run fn with the templates' canonical forms remembered by object: a sync looks for the new
 * ReplicaSet several times (isScalingEvent, then the rollout, each through FindNewReplicaSet
 * and FindOldReplicaSets), printing the same templates each time. Without `memo` the texts are
 * remembered for this call only, which is exact as long as fn changes no template in place. A
 * caller may pass a memo it keeps across calls when it only ever hands over templates nobody
 * changes in place: stored API objects (replaced on write, never changed), and copies whose
 * templates it never changes (the Deployment controller, whose templates are the store's).
 */
export function withTemplateMemo<T>(fn: () => T, memo: WeakMap<object, string> = new WeakMap()): T {
  const outer = templateMemo;
  templateMemo = memo;
  try {
    return fn();
  } finally {
    templateMemo = outer;
  }
}

/**
 * A write copied a template the memo knows (the API server stores a copy of what it is given):
 * when the stored copy prints as the original (a walk, no printing), it has the original's
 * canonical text, so the next syncs need not print it again.
 */
export function carryTemplateText(from: unknown, to: unknown): void {
  if (!templateMemo || from === to || !from || !to || typeof from !== 'object' || typeof to !== 'object') return;
  const text = templateMemo.get(from);
  if (text !== undefined && !templateMemo.has(to) && jsonEqual(from, to)) templateMemo.set(to, text);
}

/** rand.SafeEncodeString: each character of s mapped to alphanums[code % 27] */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += NAME_ALPHABET[ch.codePointAt(0)! % NAME_ALPHABET.length];
  return out;
}

/**
 * ComputeHash (controller_utils.go): FNV-32a of the template, then of collisionCount as 8 bytes
 * (little-endian uint32 + 4 zero bytes), printed in decimal and safe-encoded. Upstream hashes a
 * spew dump of the Go struct, which cannot be reproduced; we hash the canonical JSON instead, so
 * names differ from a real cluster's but have the same alphabet, length and stability.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32a(enc.encode(canonical(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}

// ---- finding the new and old replica sets ---------------------------------------------------

/** FindNewReplicaSet: the oldest RS whose template equals the deployment's (ignoring the hash) */
export function findNewReplicaSet(d: KubeObject, rsList: KubeObject[]): KubeObject | undefined {
  const want = canonicalIgnoreHash(d.spec?.template);
  // the first match of the list sorted (stably) by creation: the match no later match precedes
  let found: KubeObject | undefined;
  for (const rs of rsList) {
    if (canonicalIgnoreHash(rs.spec?.template) !== want) continue;
    if (!found || byCreationTimestamp(rs, found) < 0) found = rs;
  }
  return found;
}

/** FindOldReplicaSets: (old RSes with replicas, all old RSes) */
export function findOldReplicaSets(d: KubeObject, rsList: KubeObject[]): { required: KubeObject[]; all: KubeObject[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const all: KubeObject[] = [];
  const required: KubeObject[] = [];
  for (const rs of rsList) {
    if (newRS && rs.metadata.uid === newRS.metadata.uid) continue;
    all.push(rs);
    if (replicasOf(rs) !== 0) required.push(rs);
  }
  return { required, all };
}

/** FindActiveOrLatest: the one active RS (or the newest when none is active); undefined if >= 2 are active */
export function findActiveOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** NewRSNewReplicas: how big the new RS may be now */
export function newRSNewReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject): number {
  const replicas = replicasOf(d);
  const strategy = d.spec?.strategy?.type ?? 'RollingUpdate';
  if (strategy === 'Recreate') return replicas;
  if (strategy !== 'RollingUpdate') throw new Error(`deployment type ${strategy} isn't supported`);
  const surge = scaledValueFromIntOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge, replicas, true);
  const current = sumSpecReplicas(allRSs);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - replicasOf(newRS));
  return replicasOf(newRS) + scaleUp;
}

/** IsSaturated: the new RS has, believes in, and has available all desired replicas */
export function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const replicas = replicasOf(d);
  return replicasOf(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/** integer.RoundToInt32: round half away from zero */
export function roundToInt32(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** getReplicaSetFraction: this RS's share of a scaling event, from its max-replicas annotation */
export function getReplicaSetFraction(rs: KubeObject, d: KubeObject): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  // without the annotation (or with 0, set by a third party) fall back to the current size: not
  // exact, but min/max in getProportion keep the result within bounds; never scale from zero
  let annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? 0;
  if (annotated === 0) annotated = d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  const newSize = (replicasOf(rs) * deploymentReplicas) / annotated;
  return roundToInt32(newSize) - replicasOf(rs);
}

/** GetProportion: the replicas to add to (or remove from) one RS in a proportional scale */
export function getProportion(rs: KubeObject | undefined, d: KubeObject, toAdd: number, added: number): number {
  if (!rs || replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

// ---- status and conditions ------------------------------------------------------------------

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export function newCondition(type: string, status: DeploymentCondition['status'], reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = timestamp(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: any, type: string): DeploymentCondition | undefined {
  return (status?.conditions ?? []).find((c: DeploymentCondition) => c.type === type);
}

/** SetDeploymentCondition: no-op for the same status and reason; keeps LTT when status is unchanged */
export function setCondition(status: any, c: DeploymentCondition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const next = { ...c };
  if (cur && cur.status === c.status) next.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x: DeploymentCondition) => x.type !== c.type), next];
}

export function removeCondition(status: any, type: string): void {
  const rest = (status.conditions ?? []).filter((x: DeploymentCondition) => x.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

export function hasProgressDeadline(d: KubeObject): boolean {
  const p = d.spec?.progressDeadlineSeconds;
  return p !== undefined && p !== null && p !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: KubeObject): boolean {
  const l = d.spec?.revisionHistoryLimit;
  return l !== undefined && l !== null && l !== MAX_INT32;
}

export interface DeploymentStatusCounts {
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
}

/** DeploymentComplete: every desired replica updated and available, no old ones, generation observed */
export function deploymentComplete(d: KubeObject, s: DeploymentStatusCounts | undefined): boolean {
  const replicas = replicasOf(d);
  return (s?.updatedReplicas ?? 0) === replicas && (s?.replicas ?? 0) === replicas && (s?.availableReplicas ?? 0) === replicas && (s?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: new pods added, old removed, or more ready/available than before */
export function deploymentProgressing(d: KubeObject, s: DeploymentStatusCounts): boolean {
  const old: DeploymentStatusCounts = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** DeploymentTimedOut: the Progressing condition's lastUpdateTime + deadline is strictly before now */
export function deploymentTimedOut(d: KubeObject, s: any, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === REASON.NewRSAvailable) return false;
  if (c.reason === REASON.TimedOut) return true;
  const from = parseTimestamp(c.lastUpdateTime) ?? 0;
  return from + d.spec.progressDeadlineSeconds * 1000 < nowMs;
}
