// Small predicates of the Job controller (pkg/controller/job/job_controller.go, util/utils.go)
// and pkg/controller/controller_utils.go ActivePods, kept pure so the tests can table them.

import type { KubeObject } from '../../api/types.js';
import { parseTimestamp } from '../../api/time.js';
import { activePodsLess } from '../controller_utils.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

export function hasTrackingFinalizer(pod: KubeObject): boolean {
  return (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

export function isIndexedJob(job: KubeObject): boolean {
  return job.spec?.completionMode === 'Indexed';
}

export function jobSuspended(job: KubeObject): boolean {
  return job.spec?.suspend === true;
}

export function findCondition(job: KubeObject, type: string): any | undefined {
  return (job.status?.conditions ?? []).find((c: any) => c.type === type);
}

/** util.IsJobFinished: Complete or Failed is True */
export function isJobFinished(job: KubeObject): boolean {
  return (job.status?.conditions ?? []).some((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** onlyReplaceFailedPods: podReplacementPolicy Failed, or a podFailurePolicy */
export function onlyReplaceFailedPods(job: KubeObject): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy != null;
}

/** isPodFailed: Failed, or (unless only failed pods are replaced) deleted before succeeding */
export function isPodFailed(pod: KubeObject, job: KubeObject): boolean {
  const phase = pod.status?.phase;
  if (job.spec?.podFailurePolicy != null) return phase === 'Failed';
  if (phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && phase !== 'Succeeded';
}

/**
 * pastBackoffLimitOnFailure: with restartPolicy OnFailure the kubelet restarts containers in
 * place, so failures show up as restarts of Running/Pending pods; their sum against backoffLimit.
 */
export function pastBackoffLimitOnFailure(job: KubeObject, pods: KubeObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let sum = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) sum += s.restartCount ?? 0;
  }
  const limit: number = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? sum > 0 : sum >= limit;
}

/** pastActiveDeadline: elapsed since startTime >= activeDeadlineSeconds (not while suspended) */
export function pastActiveDeadline(job: KubeObject, nowMs: number): boolean {
  const ads = job.spec?.activeDeadlineSeconds;
  const start = parseTimestamp(job.status?.startTime);
  if (typeof ads !== 'number' || start === undefined || jobSuspended(job)) return false;
  return nowMs - start >= ads * 1000;
}

/** wantActive of manageJob: how many pods should be running */
export function wantActive(job: KubeObject, active: number, succeeded: number): number {
  const parallelism: number = job.spec?.parallelism ?? 1;
  const completions: number | undefined = job.spec?.completions ?? undefined;
  if (completions === undefined) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

/** the terminal check of syncJob (after manageJob) */
export function isComplete(job: KubeObject, succeeded: number, active: number): boolean {
  const completions: number | undefined = job.spec?.completions ?? undefined;
  return completions === undefined ? succeeded > 0 && active === 0 : succeeded >= completions && active === 0;
}

/** controller.ActivePods order (shared with the other controllers in controller_utils.ts) */
export { activePodsLess };

export function sortActivePods(pods: KubeObject[]): KubeObject[] {
  return [...pods].sort((a, b) => (activePodsLess(a, b) ? -1 : activePodsLess(b, a) ? 1 : 0));
}

export function minorAtLeast(version: string, min: number): boolean {
  const [major, minor] = versionParts(version);
  return major > 1 || (major === 1 && minor >= min);
}

/** a version's major and minor numbers, parsed once per version string (a cluster has one) */
const parsedVersions = new Map<string, number[]>();

function versionParts(version: string): number[] {
  let parts = parsedVersions.get(version);
  if (parts === undefined) {
    if (parsedVersions.size >= 64) parsedVersions.clear();
    parsedVersions.set(version, (parts = version.split('.').map(Number)));
  }
  return parts;
}
