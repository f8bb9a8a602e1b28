// Indexed Jobs (pkg/controller/job/indexed_job_utils.go): each pod carries its completion index
// in an annotation (and, with PodIndexLabel, a label); status.completedIndexes is the set of
// succeeded indexes as ordered intervals ("1,3-5").

import type { KubeObject } from '../../api/types.js';

export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/** names.MaxGeneratedNameLength */
const MAX_GENERATED_NAME_LENGTH = 58;

/** getCompletionIndex: the annotation as a non-negative integer, or -1 */
export function getCompletionIndex(pod: KubeObject): number {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return -1;
  return Number(v);
}

export type Interval = [first: number, last: number];

/** parseIndexesFromString: "1,3-5" -> [[1,1],[3,5]], skipping anything >= completions */
export function parseIndexes(s: string | undefined, completions: number): Interval[] {
  const out: Interval[] = [];
  if (!s) return out;
  for (const part of s.split(',')) {
    const [a, b] = part.split('-');
    const first = Number(a), last = b === undefined ? first : Math.min(Number(b), completions - 1);
    if (!Number.isInteger(first) || first >= completions) continue;
    out.push([first, last]);
  }
  return out;
}

/** orderedIntervals.withOrderedIndexes + String: merge sorted indexes into intervals */
export function toIntervals(indexes: Iterable<number>): Interval[] {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && last[1] + 1 === i) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

/** orderedIntervals.String: an interval of exactly two is written "1,2", longer ones "3-5" */
export function intervalsToString(iv: Interval[]): string {
  const parts: string[] = [];
  for (const [a, b] of iv) {
    if (a === b) parts.push(String(a));
    else if (a + 1 === b) parts.push(`${a},${b}`);
    else parts.push(`${a}-${b}`);
  }
  return parts.join(',');
}

export function intervalsTotal(iv: Interval[]): number {
  return iv.reduce((n, [a, b]) => n + b - a + 1, 0);
}

export function intervalsHas(iv: Interval[], i: number): boolean {
  return iv.some(([a, b]) => a <= i && i <= b);
}

/**
 * calculateSucceededIndexes: the indexes in status.completedIndexes plus those of succeeded
 * pods with an index below completions.
 */
export function calculateSucceededIndexes(job: KubeObject, pods: KubeObject[]): { prev: Interval[]; all: Interval[] } {
  const completions: number = job.spec?.completions ?? 0;
  const prev = parseIndexes(job.status?.completedIndexes, completions);
  const set = new Set<number>();
  for (const [a, b] of prev) for (let i = a; i <= b; i++) set.add(i);
  for (const p of pods) {
    if (p.status?.phase !== 'Succeeded') continue;
    const ix = getCompletionIndex(p);
    if (ix >= 0 && ix < completions) set.add(ix);
  }
  return { prev, all: toIntervals(set) };
}

/**
 * firstPendingIndexes: the lowest `count` indexes in [0, completions) that are neither
 * succeeded nor held by a non-finished pod.
 */
export function firstPendingIndexes(activeOrHeld: KubeObject[], succeeded: Interval[], count: number, completions: number): number[] {
  if (count <= 0) return [];
  const taken = new Set<number>();
  for (const p of activeOrHeld) {
    const ix = getCompletionIndex(p);
    if (ix >= 0) taken.add(ix);
  }
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) {
    if (!taken.has(i) && !intervalsHas(succeeded, i)) out.push(i);
  }
  return out;
}

/** podGenerateNameWithIndex: `<job>-<index>-`, the job part truncated to keep the index */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = `${jobName}${suffix}`;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? `${prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length)}${suffix}` : prefix;
}
