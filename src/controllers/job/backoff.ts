// The Job controller's pod-failure back-off (pkg/controller/job/backoff_utils.go): failures
// since the last success delay the next pod creation by 10 s doubling per failure, capped at
// 10 minutes (DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff in job_controller.go; the
// docs say 6 minutes, the code says 10).

import type { KubeObject } from '../../api/types.js';
import { parseTimestamp } from '../../api/time.js';

export const DEFAULT_JOB_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_JOB_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** getFinishedTime: the latest container finish, else Ready=False, else deletion, else creation */
export function getFinishedTime(pod: KubeObject): number {
  const fromContainers = finishTimeFromContainers(pod.status?.containerStatuses) ;
  if (fromContainers !== undefined) return fromContainers;
  const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'False');
  const readyAt = parseTimestamp(ready?.lastTransitionTime);
  if (readyAt !== undefined) return readyAt;
  const del = parseTimestamp(pod.metadata.deletionTimestamp);
  if (del !== undefined) return del - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return parseTimestamp(pod.metadata.creationTimestamp) ?? 0;
}

/** getFinishTimeFromContainers: only when every container has terminated with a finish time */
function finishTimeFromContainers(statuses: any[] | undefined): number | undefined {
  if (!statuses?.length) return undefined;
  let latest: number | undefined;
  for (const s of statuses) {
    const at = parseTimestamp(s.state?.terminated?.finishedAt);
    if (at === undefined) return undefined;
    if (latest === undefined || at > latest) latest = at;
  }
  return latest;
}

const byFinishedTime = (a: KubeObject, b: KubeObject) => getFinishedTime(a) - getFinishedTime(b);

/** backoffStore.newBackoffRecord: fold this sync's newly finished pods into the record */
export function newBackoffRecord(old: BackoffRecord | undefined, newSucceeded: KubeObject[], newFailed: KubeObject[]): BackoffRecord {
  const rec: BackoffRecord = old ? { ...old } : { failuresAfterLastSuccess: 0 };
  const succeeded = [...newSucceeded].sort(byFinishedTime);
  const failed = [...newFailed].sort(byFinishedTime);
  if (succeeded.length === 0) {
    if (failed.length === 0) return rec;
    rec.failuresAfterLastSuccess += failed.length;
    rec.lastFailureTime = getFinishedTime(failed[failed.length - 1]);
    return rec;
  }
  const out: BackoffRecord = { failuresAfterLastSuccess: 0 };
  const lastSuccess = getFinishedTime(succeeded[succeeded.length - 1]);
  for (let i = failed.length - 1; i >= 0; i--) {
    const t = getFinishedTime(failed[i]);
    if (t <= lastSuccess) break;
    out.lastFailureTime ??= t;
    out.failuresAfterLastSuccess++;
  }
  return out;
}

/** getRemainingTimeForFailuresCount: delay = base * 2^(n-1), capped; minus the time already waited */
export function remainingBackoffMs(rec: BackoffRecord, nowMs: number, baseMs = DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, maxMs = MAX_JOB_POD_FAILURE_BACKOFF_MS): number {
  if (rec.failuresAfterLastSuccess === 0 || rec.lastFailureTime === undefined) return 0;
  let delay = baseMs;
  for (let i = 1; i < rec.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= maxMs) {
      delay = maxMs;
      break;
    }
  }
  const elapsed = nowMs - rec.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}
