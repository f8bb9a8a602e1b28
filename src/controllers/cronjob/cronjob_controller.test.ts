// The CronJob controller in a running cluster; cases after pkg/controller/cronjob/
// cronjob_controllerv2_test.go TestControllerV2SyncCronJob (Allow/Forbid/Replace with a job
// still active, suspend, startingDeadlineSeconds, long overdue) on the virtual clock.

import { describe, expect, it } from 'vitest';
import { advance, eventsFor, newCluster } from '../../../test/helpers/cluster.js';
import type { KubeObject } from '../../api/types.js';

const min = 60_000;
function cronJob(name: string, spec: any, image = 'forever'): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' },
    spec: { ...spec, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image }] } } } } },
  };
}
const apps = [{ key: 'forever' }, { key: 'quick', exitAfter: { min: 5000, max: 5000 }, exitCode: 0 }];
const jobNames = (c: ReturnType<typeof newCluster>) => c.api.list('Job', 'default').map((j) => j.metadata.name);

describe('CronJob controller', () => {
  it('defaults and validation (SetDefaults_CronJob, ValidateCronJobCreate)', () => {
    const c = newCluster();
    const cj = c.api.create(cronJob('hourly', { schedule: '@hourly' }));
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(() => c.api.create(cronJob('bad', { schedule: '61 * * * *' }))).toThrow('spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
    expect(() => c.api.create(cronJob('tz', { schedule: 'CRON_TZ=UTC * * * * *' }))).toThrow('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    expect(() => c.api.create(cronJob('zone', { schedule: '* * * * *', timeZone: 'Europe/Pariss' }))).toThrow('spec.timeZone: Invalid value: "Europe/Pariss": unknown time zone Europe/Pariss');
  });

  it('creates <name>-<minutes> at each scheduled minute, with the scheduled-timestamp annotation', () => {
    const c = newCluster({ apps });
    c.api.create(cronJob('every', { schedule: '*/2 * * * *' }, 'quick'));
    advance(c, 5 * min);
    expect(jobNames(c)).toEqual(['every-2', 'every-4']);
    const j = c.api.get('Job', 'default', 'every-2')!;
    expect(j.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('1970-01-01T00:02:00Z');
    expect(j.metadata.ownerReferences![0]).toMatchObject({ kind: 'CronJob', name: 'every', controller: true });
    const cj = c.api.get('CronJob', 'default', 'every')!;
    expect(cj.status.lastScheduleTime).toBe('1970-01-01T00:04:00Z');
    expect(cj.status.lastSuccessfulTime).toBe('1970-01-01T00:04:06Z');
    expect(eventsFor(c, 'CronJob', 'every').map((e) => e.reason)).toContain('SawCompletedJob');
  });

  it('Forbid: no new job while one is active (JobAlreadyActive)', () => {
    const c = newCluster({ apps });
    c.api.create(cronJob('f', { schedule: '* * * * *', concurrencyPolicy: 'Forbid' }));
    advance(c, 3 * min + 1000);
    expect(jobNames(c)).toEqual(['f-1']);
    expect(eventsFor(c, 'CronJob', 'f').find((e) => e.reason === 'JobAlreadyActive')).toMatchObject({ message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
  });

  it('Replace: the active job is deleted and a new one created', () => {
    const c = newCluster({ apps });
    c.api.create(cronJob('r', { schedule: '* * * * *', concurrencyPolicy: 'Replace' }));
    advance(c, 3 * min + 1000);
    expect(jobNames(c)).toEqual(['r-3']);
    expect(c.api.get('CronJob', 'default', 'r')!.status.active.map((a: any) => a.name)).toEqual(['r-3']);
  });

  it('Allow: jobs pile up while they run', () => {
    const c = newCluster({ apps });
    c.api.create(cronJob('a', { schedule: '* * * * *' }));
    advance(c, 3 * min + 1000);
    expect(jobNames(c)).toEqual(['a-1', 'a-2', 'a-3']);
  });

  it('suspend: nothing is created; on resume only the latest missed time within the deadline runs', () => {
    const c = newCluster({ apps });
    c.api.create(cronJob('s', { schedule: '* * * * *', suspend: true, startingDeadlineSeconds: 30 }, 'quick'));
    advance(c, 5 * min + 10_000);
    expect(jobNames(c)).toEqual([]);
    c.api.mutate('CronJob', 'default', 's', (d) => {
      d.spec.suspend = false;
    });
    advance(c, 1000);
    // 5:00 was 10 s ago, within the 30 s deadline: it runs, earlier minutes are skipped
    expect(jobNames(c)).toEqual(['s-5']);
  });

  it('startingDeadlineSeconds: a missed time past the deadline is skipped (not even seen: earliest = now - SDS)', () => {
    const c = newCluster({ apps });
    c.api.create(cronJob('late', { schedule: '* * * * *', suspend: true, startingDeadlineSeconds: 10 }, 'quick'));
    advance(c, 2 * min + 30_000);
    c.api.mutate('CronJob', 'default', 'late', (d) => {
      d.spec.suspend = false;
    });
    advance(c, 1000);
    expect(jobNames(c)).toEqual([]);
    advance(c, 30_000);
    expect(jobNames(c)).toEqual(['late-3']);
  });

  it('history limits: the oldest finished jobs are deleted first', () => {
    const c = newCluster({ apps });
    c.api.create(cronJob('h', { schedule: '* * * * *', successfulJobsHistoryLimit: 2 }, 'quick'));
    advance(c, 5 * min + 30_000);
    expect(jobNames(c)).toEqual(['h-4', 'h-5']);
  });

  it('stays cheap over a day of virtual time: one sync per schedule tick, no polling', () => {
    const c = newCluster({ apps });
    c.api.create(cronJob('daily', { schedule: '0 3 * * *', timeZone: 'America/New_York' }, 'quick'));
    advance(c, 24 * 60 * min);
    expect(jobNames(c)).toEqual(['daily-480']);
    expect(c.api.get('Job', 'default', 'daily-480')!.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('1970-01-01T03:00:00-05:00');
    expect(c.sim.eventCount).toBeLessThan(2000);
  });
});
