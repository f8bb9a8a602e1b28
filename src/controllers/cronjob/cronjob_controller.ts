// The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go, utils.go). Each sync
// reconciles the cronjob's child Jobs into status.active, finds the most recent scheduled time
// that is due (one Job per sync, for the latest missed time only), applies
// startingDeadlineSeconds and the concurrency policy, creates `<cronjob>-<minutes since epoch>`,
// trims finished jobs beyond the history limits, and requeues itself 100 ms after the next
// scheduled time - no polling, so a day of virtual time costs one sync per schedule tick.

import type { Cluster, Component } from '../../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../../engine/component.js';
import type { KubeObject } from '../../api/types.js';
import type { WatchEvent } from '../../api/server.js';
import { controllerRef, getControllerOf } from '../../api/server.js';
import { objectKey } from '../../api/store.js';
import { ApiError } from '../../api/errors.js';
import { parseTimestamp, timestamp } from '../../api/time.js';
import { parseStandard, ScheduleError, type Schedule } from './schedule.js';
import { formatRFC3339, loadLocation, type Zone } from './timezone.js';
import { getJobName, jobFinishedCondition, mostRecentScheduleTime, nextScheduleTimeDuration, ScheduleIntervalError } from './utils.js';

export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export class CronJobController implements Component {
  readonly name = 'cronjob-controller';
  private readonly queue: WorkQueue;
  /** one pending timer per cronjob: a newer requeue replaces the older (AddAfter keeps the earliest) */
  private readonly timers = new Map<string, { at: number; cancel(): void }>();

  constructor(private readonly cluster: Cluster) {
    this.queue = controllerQueue(cluster, this.name, (key) => this.sync(key));
    controllerInformer(cluster, this.name, ['CronJob', 'Job'], (ev) => this.onEvent(ev));
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === 'CronJob') {
      if (ev.type === 'DELETED') {
        const key = objectKey('CronJob', o.metadata.namespace, o.metadata.name!);
        this.timers.get(key)?.cancel();
        this.timers.delete(key);
      }
      this.queue.add(objectKey('CronJob', o.metadata.namespace, o.metadata.name!));
      return;
    }
    // a Job: its controlling CronJob hears about it (addJob/updateJob/deleteJob)
    const ref = getControllerOf(o) ?? (ev.old ? getControllerOf(ev.old) : undefined);
    if (ref?.kind === 'CronJob') this.queue.add(objectKey('CronJob', o.metadata.namespace, ref.name));
  }

  private requeueAfter(key: string, delay: number): void {
    const at = this.cluster.sim.now + Math.max(0, delay);
    const cur = this.timers.get(key);
    if (cur && cur.at <= at && cur.at >= this.cluster.sim.now) return;
    cur?.cancel();
    const timer = this.cluster.sim.scheduleAt(at, `${this.name}/requeue`, () => {
      this.timers.delete(key);
      this.queue.add(key);
    });
    this.timers.set(key, { at, cancel: () => timer.cancel() });
  }

  private event(cj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.cluster.api.recordEvent(cj, type, reason, message, this.name);
  }

  /** getJobsToBeReconciled: jobs in the namespace whose controllerRef names this cronjob (by name only) */
  private childJobs(cj: KubeObject): KubeObject[] {
    const out: KubeObject[] = [];
    for (const j of this.cluster.api.store.iterate('Job', cj.metadata.namespace)) {
      const ref = getControllerOf(j);
      if (ref?.kind === 'CronJob' && ref.name === cj.metadata.name) out.push(j);
    }
    return out;
  }

  private sync(key: string): void {
    const api = this.cluster.api;
    const stored = api.store.getByKey(key);
    if (!stored) return;
    const cj = structuredClone(stored) as KubeObject;
    cj.status ??= {};
    const jobs = this.childJobs(cj);
    const before = JSON.stringify(cj.status);
    const result = this.syncCronJob(cj, jobs);
    this.cleanupFinishedJobs(cj, jobs);
    if (JSON.stringify(cj.status) !== before) {
      const fresh = api.store.getByKey(key);
      try {
        if (fresh && fresh.metadata.uid === cj.metadata.uid) api.update({ ...fresh, status: orderStatus(cj.status) }, 'status');
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        this.queue.addRateLimited(key);
        return;
      }
    }
    // processNextWorkItem: an error is retried rate-limited; a requeue forgets the failures first;
    // a sync with neither (suspended, unparseable schedule) leaves the queue as it is
    if (result instanceof ApiError) this.queue.addRateLimited(key);
    else if (result !== undefined) {
      this.queue.forget(key);
      this.requeueAfter(key, result);
    }
  }

  /** syncCronJob: returns the requeue delay, or the error that fails the sync, if any */
  private syncCronJob(cj: KubeObject, jobs: KubeObject[]): number | ApiError | undefined {
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    const active: any[] = (cj.status.active ??= []);
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata.uid!);
      const inActive = active.some((r) => r.uid === j.metadata.uid);
      const finished = jobFinishedCondition(j);
      if (!inActive && !finished) {
        this.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (inActive && finished) {
        cj.status.active = active.filter((r) => r.uid !== j.metadata.uid);
        active.splice(0, active.length, ...cj.status.active);
        this.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${finished}`);
      } else if (finished === 'Complete') {
        const done = parseTimestamp(j.status?.completionTime);
        const last = parseTimestamp(cj.status.lastSuccessfulTime);
        if (done !== undefined && (last === undefined || done > last)) cj.status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    for (const r of [...active]) {
      if (children.has(r.uid)) continue;
      const live = api.get('Job', r.namespace ?? cj.metadata.namespace, r.name);
      if (!live) {
        this.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${r.name}`);
        active.splice(active.indexOf(r), 1);
      }
    }
    if (cj.metadata.deletionTimestamp) return undefined;
    let zone: Zone | undefined;
    const tz = cj.spec?.timeZone;
    if (tz != null) {
      zone = loadLocation(tz);
      if (!zone) {
        this.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`);
        return undefined;
      }
    }
    let sched: Schedule;
    try {
      if (String(cj.spec?.schedule ?? '').includes('TZ')) {
        this.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(cj.spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
      }
      sched = parseStandard(cj.spec?.schedule ?? '', zone);
    } catch (e) {
      if (!(e instanceof ScheduleError)) throw e;
      this.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${e.message}`);
      return undefined;
    }
    if (cj.spec?.suspend) return undefined;
    let scheduled: number | undefined;
    try {
      const r = mostRecentScheduleTime(cj, now, sched, true);
      if (r.mostRecent !== undefined && r.mostRecent <= now) {
        scheduled = r.mostRecent;
        if (r.missed === 'many') this.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
      }
    } catch (e) {
      if (!(e instanceof ScheduleIntervalError)) throw e;
      this.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec.schedule} : ${e.message}`);
      return undefined;
    }
    if (scheduled === undefined) return nextScheduleTimeDuration(cj, now, sched);
    const sds = cj.spec?.startingDeadlineSeconds;
    if (typeof sds === 'number' && scheduled + sds * 1000 < now) {
      this.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return nextScheduleTimeDuration(cj, now, sched);
    }
    const name = getJobName(cj.metadata.name!, scheduled);
    if (active.some((r) => r.name === name) || parseTimestamp(cj.status.lastScheduleTime) === scheduled) {
      return nextScheduleTimeDuration(cj, now, sched);
    }
    if (cj.spec?.concurrencyPolicy === 'Forbid' && active.length > 0) {
      this.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return nextScheduleTimeDuration(cj, now, sched);
    }
    if (cj.spec?.concurrencyPolicy === 'Replace') {
      for (const r of [...active]) {
        const j = api.get('Job', r.namespace ?? cj.metadata.namespace, r.name);
        if (!j) continue;
        const err = this.deleteJob(cj, j);
        if (err) return err; // upstream: "could not replace job", retried rate-limited
      }
    }
    const job = jobFromTemplate(cj, scheduled, zone);
    let created: KubeObject;
    try {
      created = api.create(job);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // AlreadyExists too fails the sync upstream (another actor made the job): retried rate-limited
      if (e.reason !== 'AlreadyExists') this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${e.message}`);
      return e;
    }
    this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    active.push({ kind: 'Job', namespace: created.metadata.namespace, name: created.metadata.name, uid: created.metadata.uid, apiVersion: 'batch/v1', resourceVersion: created.metadata.resourceVersion });
    cj.status.lastScheduleTime = timestamp(scheduled);
    return nextScheduleTimeDuration(cj, now, sched);
  }

  /** deleteJob: Background propagation, drop it from active, SuccessfulDelete; returns a refusal */
  private deleteJob(cj: KubeObject, job: KubeObject): ApiError | undefined {
    try {
      this.cluster.api.delete('Job', job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Background' });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.reason !== 'NotFound') {
        this.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${e.message}`);
        return e;
      }
    }
    const active: any[] = cj.status.active ?? [];
    const i = active.findIndex((r) => r.uid === job.metadata.uid);
    if (i >= 0) active.splice(i, 1);
    this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    return undefined;
  }

  /** cleanupFinishedJobs/removeOldestJobs: oldest by status.startTime first (nil last) */
  private cleanupFinishedJobs(cj: KubeObject, jobs: KubeObject[]): void {
    const succeeded: KubeObject[] = [], failed: KubeObject[] = [];
    for (const j of jobs) {
      const f = jobFinishedCondition(j);
      if (f === 'Complete') succeeded.push(j);
      else if (f === 'Failed') failed.push(j);
    }
    const trim = (list: KubeObject[], limit: number | undefined) => {
      if (typeof limit !== 'number') return;
      const n = list.length - limit;
      if (n <= 0) return;
      const sorted = [...list].sort(byStartTime);
      for (let i = 0; i < n; i++) {
        if (this.cluster.api.get('Job', sorted[i].metadata.namespace, sorted[i].metadata.name!)) this.deleteJob(cj, sorted[i]);
      }
    };
    trim(succeeded, cj.spec?.successfulJobsHistoryLimit);
    trim(failed, cj.spec?.failedJobsHistoryLimit);
  }
}

/** byJobStartTime: by status.startTime, jobs without one last, then by name */
function byStartTime(a: KubeObject, b: KubeObject): number {
  const ta = parseTimestamp(a.status?.startTime), tb = parseTimestamp(b.status?.startTime);
  if (ta === undefined && tb !== undefined) return 1;
  if (tb === undefined && ta !== undefined) return -1;
  if (ta !== tb) return ta! - tb!;
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}

/** getJobFromTemplate2: labels and annotations from the template, the scheduled-timestamp annotation */
export function jobFromTemplate(cj: KubeObject, scheduled: number, zone: Zone | undefined): KubeObject {
  const t = cj.spec?.jobTemplate ?? {};
  const annotations: Record<string, string> = { ...(t.metadata?.annotations ?? {}) };
  annotations[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION] = formatRFC3339(scheduled, zone ?? loadLocation('')!);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: getJobName(cj.metadata.name!, scheduled),
      namespace: cj.metadata.namespace,
      ...(t.metadata?.labels ? { labels: { ...t.metadata.labels } } : {}),
      annotations,
      ownerReferences: [controllerRef(cj)],
    },
    spec: structuredClone(t.spec ?? {}),
  };
}

function orderStatus(s: any): any {
  const out: any = {};
  if (s.active?.length) out.active = s.active;
  if (s.lastScheduleTime) out.lastScheduleTime = s.lastScheduleTime;
  if (s.lastSuccessfulTime) out.lastSuccessfulTime = s.lastSuccessfulTime;
  return out;
}

/** Go's time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 -0700" */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
