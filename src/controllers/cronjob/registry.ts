// The API server's side of batch/v1 CronJob: SetDefaults_CronJob (pkg/apis/batch/v1/defaults.go)
// and ValidateCronJobCreate/Update (pkg/apis/batch/validation/validation.go): the schedule must
// parse with robfig/cron's ParseStandard, `TZ=`/`CRON_TZ=` in the schedule is rejected in favour
// of spec.timeZone, and the time zone must be a known IANA name.

import type { KubeObject } from '../../api/types.js';
import { goString, goValue } from '../../api/validate.js';
import { defaultPodSpec } from '../../api/defaults.js';
import { validateJobSpec } from '../job/registry.js';
import { parseStandard, ScheduleError } from './schedule.js';
import { loadLocation } from './timezone.js';

export function setDefaultsCronJob(obj: KubeObject): void {
  const spec = (obj.spec ??= {});
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  // the generated defaulters reach the pod template inside the job template, not the job spec
  const podSpec = spec.jobTemplate?.spec?.template?.spec;
  if (podSpec) defaultPodSpec(podSpec);
}

/** validateScheduleFormat (create: TZ never allowed in the schedule) */
export function validateSchedule(schedule: unknown, field = 'spec.schedule'): string[] {
  if (typeof schedule !== 'string' || schedule === '') return [`${field}: Required value`];
  const errs: string[] = [];
  try {
    parseStandard(schedule);
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    errs.push(`${field}: Invalid value: ${goString(schedule)}: ${e.message}`);
  }
  if (schedule.includes('TZ')) errs.push(`${field}: Invalid value: ${goString(schedule)}: cannot use TZ or CRON_TZ in schedule, use timeZone field instead`);
  return errs;
}

const VALID_TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone */
export function validateTimeZone(tz: unknown, field = 'spec.timeZone'): string[] {
  if (tz === undefined || tz === null) return [];
  if (typeof tz !== 'string' || tz === '') return [`${field}: Invalid value: ${goValue(tz)}: timeZone must be nil or non-empty string`];
  const errs: string[] = [];
  if (tz.toLowerCase() === 'local') errs.push(`${field}: Invalid value: ${goString(tz)}: timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones`);
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !VALID_TZ_PART.test(part)) return [...errs, `${field}: Invalid value: ${goString(tz)}: unknown time zone ${tz}`];
  }
  if (errs.length === 0 && !loadLocation(tz)) errs.push(`${field}: Invalid value: ${goString(tz)}: unknown time zone ${tz}`);
  return errs;
}

export function validateCronJob(obj: KubeObject): string[] {
  const spec = obj.spec ?? {};
  const errs = [...validateSchedule(spec.schedule), ...validateTimeZone(spec.timeZone)];
  if (!['Allow', 'Forbid', 'Replace'].includes(spec.concurrencyPolicy)) {
    errs.push(`spec.concurrencyPolicy: Unsupported value: ${goString(String(spec.concurrencyPolicy))}: supported values: "Allow", "Forbid", "Replace"`);
  }
  for (const k of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    const v = spec[k];
    if (v != null && (!Number.isInteger(v) || v < 0)) errs.push(`spec.${k}: Invalid value: ${goValue(v)}: must be greater than or equal to 0`);
  }
  if (!spec.jobTemplate) errs.push('spec.jobTemplate: Required value');
  else errs.push(...validateJobSpec(spec.jobTemplate.spec ?? {}, 'spec.jobTemplate.spec', false));
  return errs;
}
