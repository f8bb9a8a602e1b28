// Tables translated from pkg/controller/cronjob/utils_test.go (TestMostRecentScheduleTime,
// TestNextScheduleTimeDuration-style cases) and robfig/cron/v3 parser_test.go / spec_test.go.

import { describe, expect, it } from 'vitest';
import { parseStandard, ScheduleError } from './schedule.js';
import { getJobName, mostRecentScheduleTime, nextScheduleTimeDuration, ScheduleIntervalError } from './utils.js';
import { loadLocation, formatRFC3339, UTC } from './timezone.js';
import type { KubeObject } from '../../api/types.js';

const ts = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const topOfTheHour = Date.parse('2016-05-19T10:00:00Z');
const min = 60_000, hour = 3600_000;

function cronJob(schedule: string, created: number, opts: { last?: number; sds?: number } = {}): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', creationTimestamp: ts(created) },
    spec: { schedule, ...(opts.sds !== undefined ? { startingDeadlineSeconds: opts.sds } : {}) },
    status: opts.last !== undefined ? { lastScheduleTime: ts(opts.last) } : {},
  };
}

describe('TestMostRecentScheduleTime (utils_test.go)', () => {
  const cases: { name: string; schedule: string; created: number; last?: number; sds?: number; now: number; want?: number; missed?: string; err?: boolean }[] = [
    { name: 'now before next schedule', schedule: '0 * * * *', created: topOfTheHour, now: topOfTheHour + 30_000, want: undefined, missed: 'none' },
    { name: 'now just after next schedule', schedule: '0 * * * *', created: topOfTheHour, now: topOfTheHour + 61 * min, want: topOfTheHour + 60 * min, missed: 'none' },
    { name: 'missed 5 schedules', schedule: '0 * * * *', created: topOfTheHour + 10_000, now: topOfTheHour + 301 * min, want: topOfTheHour + 300 * min, missed: 'few' },
    { name: 'complex schedule', schedule: '30 6-16/4 * * 1-5', created: topOfTheHour, last: topOfTheHour + 30 * min, now: topOfTheHour + 24 * hour + 31 * min, want: topOfTheHour + 24 * hour + 30 * min, missed: 'few' },
    { name: 'another complex schedule', schedule: '30 10,11,12 * * 1-5', created: topOfTheHour, last: topOfTheHour + 30 * min, now: topOfTheHour + 30 * hour + 30 * min, want: undefined, missed: 'few' },
    { name: 'complex schedule with longer diff between executions', schedule: '30 6-16/4 * * 1-5', created: topOfTheHour, last: topOfTheHour + 30 * min, now: topOfTheHour + 96 * hour + 31 * min, want: topOfTheHour + 96 * hour + 30 * min, missed: 'few' },
    { name: '@every schedule, too many missed', schedule: '@every 1h', created: topOfTheHour, last: topOfTheHour + min, now: topOfTheHour + 7 * 24 * hour, want: topOfTheHour + 6 * 24 * hour + 23 * hour + min, missed: 'many' },
    { name: 'rogue cronjob (never fires)', schedule: '59 23 31 2 *', created: topOfTheHour, now: topOfTheHour + hour, err: true },
    { name: 'earliest time is now minus startingDeadlineSeconds', schedule: '*/5 * * * *', created: topOfTheHour, last: topOfTheHour + 30 * min, sds: 60, now: topOfTheHour + 32 * min, want: undefined, missed: 'none' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cj = cronJob(c.schedule, c.created, { last: c.last, sds: c.sds });
      const sched = parseStandard(c.schedule);
      if (c.err) {
        expect(() => mostRecentScheduleTime(cj, c.now, sched, true)).toThrow(ScheduleIntervalError);
        return;
      }
      const r = mostRecentScheduleTime(cj, c.now, sched, true);
      expect(r.mostRecent).toBe(c.want);
      expect(r.missed).toBe(c.missed);
    });
  }
});

describe('nextScheduleTimeDuration (TestControllerV2SyncCronJob requeue times)', () => {
  it('never ran, not time yet: requeue at the next hour + 100ms', () => {
    const created = Date.parse('2016-05-19T09:01:00Z');
    const cj = cronJob('0 * * * ?', created);
    expect(nextScheduleTimeDuration(cj, created + 58 * min, parseStandard('0 * * * ?'))).toBe(min + 100);
  });
  it('just ran at 10:00: requeue at 11:00 + 100ms', () => {
    const cj = cronJob('0 * * * ?', Date.parse('2016-05-19T09:01:00Z'), { last: topOfTheHour });
    expect(nextScheduleTimeDuration(cj, topOfTheHour + min, parseStandard('0 * * * ?'))).toBe(59 * min + 100);
  });
  it('a week overdue with nothing due: next time after now', () => {
    const cj = cronJob('0 * * * ?', Date.parse('2016-05-19T09:01:00Z'), { last: topOfTheHour });
    expect(nextScheduleTimeDuration(cj, topOfTheHour + 7 * 24 * hour + 30 * min, parseStandard('0 * * * ?'))).toBe(30 * min + 100);
  });
});

describe('robfig/cron ParseStandard', () => {
  const next = (spec: string, from: string, zone = UTC) => {
    const t = parseStandard(spec, zone).next(Date.parse(from));
    return t === null ? null : ts(t);
  };
  it('lists, ranges, steps and names', () => {
    expect(next('*/15 * * * *', '2024-01-01T00:07:00Z')).toBe('2024-01-01T00:15:00Z');
    expect(next('0 9-17/4 * * MON-FRI', '2024-01-06T00:00:00Z')).toBe('2024-01-08T09:00:00Z'); // Saturday -> Monday
    expect(next('0 0 1 JAN,jul *', '2024-02-01T00:00:00Z')).toBe('2024-07-01T00:00:00Z');
    expect(next('5/20 * * * *', '2024-01-01T00:06:00Z')).toBe('2024-01-01T00:25:00Z');
  });
  it('day-of-month OR day-of-week when neither is *', () => {
    // the 13th or any Friday: 2024-09-06 is a Friday, before the 13th
    expect(next('0 0 13 * 5', '2024-09-01T00:00:00Z')).toBe('2024-09-06T00:00:00Z');
    // with dow = * only the 13th matches
    expect(next('0 0 13 * *', '2024-09-01T00:00:00Z')).toBe('2024-09-13T00:00:00Z');
  });
  it('descriptors', () => {
    expect(next('@hourly', '2024-01-01T00:00:00Z')).toBe('2024-01-01T01:00:00Z');
    expect(next('@daily', '2024-01-01T00:00:00Z')).toBe('2024-01-02T00:00:00Z');
    expect(next('@midnight', '2024-01-01T13:00:00Z')).toBe('2024-01-02T00:00:00Z');
    expect(next('@weekly', '2024-01-01T00:00:00Z')).toBe('2024-01-07T00:00:00Z'); // Sunday
    expect(next('@monthly', '2024-01-15T00:00:00Z')).toBe('2024-02-01T00:00:00Z');
    expect(next('@yearly', '2024-01-15T00:00:00Z')).toBe('2025-01-01T00:00:00Z');
    expect(next('@annually', '2024-01-15T00:00:00Z')).toBe('2025-01-01T00:00:00Z');
    expect(next('@every 90s', '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:01:30Z');
  });
  it('strictly after, and null when no time exists within 5 years', () => {
    expect(next('0 * * * *', '2024-01-01T01:00:00Z')).toBe('2024-01-01T02:00:00Z');
    expect(next('59 23 31 2 *', '2024-01-01T00:00:00Z')).toBeNull();
  });
  it("robfig's error messages", () => {
    const err = (s: string) => {
      try {
        parseStandard(s);
      } catch (e) {
        expect(e).toBeInstanceOf(ScheduleError);
        return (e as Error).message;
      }
      return undefined;
    };
    expect(err('61 * * * *')).toBe('end of range (61) above maximum (59): 61');
    expect(err('* * * *')).toBe('expected exactly 5 fields, found 4: [* * * *]');
    expect(err('* * 0 * *')).toBe('beginning of range (0) below minimum (1): 0');
    expect(err('5-1 * * * *')).toBe('beginning of range (5) beyond end of range (1): 5-1');
    expect(err('*/0 * * * *')).toBe('step of range should be a positive number: */0');
    expect(err('x * * * *')).toBe('failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    expect(err('@fortnightly')).toBe('unrecognized descriptor: @fortnightly');
    expect(err('')).toBe('empty spec string');
    expect(err('* * * * 7')).toBe('end of range (7) above maximum (6): 7');
  });
  it('time zones: the schedule is read on the zone wall clock', () => {
    const ny = loadLocation('America/New_York')!;
    // 09:00 in New York in January is 14:00 UTC, in July 13:00 UTC
    expect(next('0 9 * * *', '2024-01-10T00:00:00Z', ny)).toBe('2024-01-10T14:00:00Z');
    expect(next('0 9 * * *', '2024-07-10T00:00:00Z', ny)).toBe('2024-07-10T13:00:00Z');
    expect(next('0 0 * * *', '1970-01-01T00:00:00Z', loadLocation('Etc/GMT-2')!)).toBe('1970-01-01T22:00:00Z');
    expect(formatRFC3339(Date.parse('2024-01-10T14:00:00Z'), ny)).toBe('2024-01-10T09:00:00-05:00');
    expect(formatRFC3339(0, UTC)).toBe('1970-01-01T00:00:00Z');
    expect(loadLocation('Europe/Pariss')).toBeUndefined();
    expect(loadLocation('europe/paris')).toBeUndefined();
  });
  it('job names are minutes since the epoch', () => {
    expect(getJobName('hello', Date.parse('2016-05-19T10:00:00Z'))).toBe('hello-24394200');
  });
});
