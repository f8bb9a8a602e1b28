// The CronJob controller's time arithmetic (pkg/controller/cronjob/utils.go, 1.30+):
// which scheduled time is due now, how many were missed, and when to look again.

import type { KubeObject } from '../../api/types.js';
import { parseTimestamp } from '../../api/time.js';
import type { Schedule } from './schedule.js';

export type MissedSchedules = 'none' | 'few' | 'many';

export class ScheduleIntervalError extends Error {
  constructor() {
    super('time difference between two schedules is less than 1 second');
  }
}

export interface MostRecent {
  earliest: number;
  /** the most recent scheduled time <= now, if any */
  mostRecent?: number;
  missed: MissedSchedules;
}

/** nextScheduleDelta: the controller looks again 100 ms after the next scheduled time */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/**
 * utils.go mostRecentScheduleTime. `lastScheduleTime ?? creationTimestamp` is the earliest time
 * considered; with includeStartingDeadlineSeconds, no earlier than now - startingDeadlineSeconds.
 * Throws ScheduleIntervalError for a schedule whose two next times are under 1 s apart (or
 * that never fires, like `59 23 31 2 *`).
 */
export function mostRecentScheduleTime(cj: KubeObject, now: number, schedule: Schedule, includeStartingDeadlineSeconds: boolean): MostRecent {
  let earliest = parseTimestamp(cj.status?.lastScheduleTime) ?? parseTimestamp(cj.metadata.creationTimestamp) ?? 0;
  const sds = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadlineSeconds && typeof sds === 'number') {
    const deadline = now - sds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = schedule.next(earliest);
  const t2 = t1 === null ? null : schedule.next(t1);
  // Go's zero time is before every `now`: a schedule that never fires falls through to the error
  if (t1 !== null && now < t1) return { earliest, missed: 'none' };
  if (t1 !== null && t2 !== null && now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = t1 === null || t2 === null ? 0 : Math.round((t2 - t1) / 1000);
  if (between < 1) throw new ScheduleIntervalError();
  const elapsed = Math.trunc((now - t1!) / 1000);
  const missedCount = Math.trunc(elapsed / between) + 1;
  // go back one interval further than the estimate and let the schedule find the real times:
  // irregular schedules (30 6-16/4 * * 1-5) are not evenly spaced
  const potentialEarliest = t1! + (missedCount - 1 - 1) * between * 1000;
  let mostRecent: number | undefined;
  for (let t = schedule.next(potentialEarliest); t !== null && t <= now; t = schedule.next(t)) mostRecent = t;
  const missed: MissedSchedules = missedCount > 100 ? 'many' : missedCount > 0 ? 'few' : 'none';
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/**
 * utils.go nextScheduleTimeDuration: how long until the controller should look again, i.e. the
 * next scheduled time after the most recent one (or after `now` when times were missed but
 * none is due), plus 100 ms. Undefined when the schedule is invalid.
 */
export function nextScheduleTimeDuration(cj: KubeObject, now: number, schedule: Schedule): number | undefined {
  let r: MostRecent;
  try {
    r = mostRecentScheduleTime(cj, now, schedule, false);
  } catch {
    return undefined;
  }
  const base = r.mostRecent ?? (r.missed === 'none' ? r.earliest : now);
  const next = schedule.next(base);
  if (next === null) return undefined;
  return next + NEXT_SCHEDULE_DELTA_MS - now;
}

/** getJobName: `<cronjob>-<scheduled time in minutes since the epoch>` */
export function getJobName(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(Math.floor(scheduledMs / 1000) / 60)}`;
}

/** IsJobFinished + getFinishedStatus: the Complete or Failed condition that is True */
export function jobFinishedCondition(job: KubeObject): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}
