// Cron schedules as the CronJob controller parses them: robfig/cron/v3 ParseStandard
// (vendor/github.com/robfig/cron/v3/parser.go, spec.go). Five fields (minute hour dom month dow)
// with `*`, `?`, lists, ranges, steps and names (JAN-DEC, SUN-SAT), the @-descriptors, and
// `@every <duration>`. Error messages are robfig's, which the API server shows verbatim
// ("end of range (61) above maximum (59): 61").

import { UTC, type Zone } from './timezone.js';

export class ScheduleError extends Error {}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** robfig's starBit: the field was `*` or `?` (matters for the day-of-month/day-of-week rule) */
const STAR = 1n << 63n;

export interface Schedule {
  /** The first activation strictly after `ms` (rounded up to the next whole second), or null when none within 5 years. */
  next(ms: number): number | null;
}

class SpecSchedule implements Schedule {
  constructor(
    readonly minute: bigint,
    readonly hour: bigint,
    readonly dom: bigint,
    readonly month: bigint,
    readonly dow: bigint,
    readonly zone: Zone,
  ) {}

  /** dayMatches: with a `*` in dom or dow both must match, otherwise either may */
  private dayMatches(f: { day: number; weekday: number }): boolean {
    const domMatch = ((1n << BigInt(f.day)) & this.dom) > 0n;
    const dowMatch = ((1n << BigInt(f.weekday)) & this.dow) > 0n;
    if ((this.dom & STAR) > 0n || (this.dow & STAR) > 0n) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }

  /** spec.go SpecSchedule.Next, step by step (seconds field is always 0 in the standard form) */
  next(ms: number): number | null {
    const z = this.zone;
    let t = Math.floor(ms / 1000) * 1000 + 1000;
    let added = false;
    const yearLimit = z.fields(t).year + 5;
    wrap: for (;;) {
      let f = z.fields(t);
      if (f.year > yearLimit) return null;
      while (((1n << BigInt(f.month)) & this.month) === 0n) {
        if (!added) {
          added = true;
          t = z.date(f.year, f.month, 1, 0, 0, 0);
          f = z.fields(t);
        }
        t = z.date(f.year, f.month + 1, f.day, f.hour, f.minute, f.second);
        f = z.fields(t);
        if (f.month === 1) continue wrap;
      }
      while (!this.dayMatches(f)) {
        if (!added) {
          added = true;
          t = z.date(f.year, f.month, f.day, 0, 0, 0);
          f = z.fields(t);
        }
        t = z.date(f.year, f.month, f.day + 1, f.hour, f.minute, f.second);
        f = z.fields(t);
        // a DST change moved midnight: robfig steps back to it
        if (f.hour !== 0) {
          t += (f.hour > 12 ? 24 - f.hour : -f.hour) * 3600_000;
          f = z.fields(t);
        }
        if (f.day === 1) continue wrap;
      }
      while (((1n << BigInt(f.hour)) & this.hour) === 0n) {
        if (!added) {
          added = true;
          t = z.date(f.year, f.month, f.day, f.hour, 0, 0);
        }
        t += 3600_000;
        f = z.fields(t);
        if (f.hour === 0) continue wrap;
      }
      while (((1n << BigInt(f.minute)) & this.minute) === 0n) {
        if (!added) {
          added = true;
          t -= t % 60_000;
        }
        t += 60_000;
        f = z.fields(t);
        if (f.minute === 0) continue wrap;
      }
      while (f.second !== 0) {
        if (!added) {
          added = true;
          t -= t % 1000;
        }
        t += 1000;
        f = z.fields(t);
        if (f.second === 0) continue wrap;
      }
      return t;
    }
  }
}

/** `@every <duration>`: ConstantDelaySchedule, whole seconds, at least 1 s */
class ConstantDelay implements Schedule {
  constructor(readonly delayMs: number) {}
  next(ms: number): number {
    return Math.floor(ms / 1000) * 1000 + this.delayMs;
  }
}

function parseNumber(expr: string): number {
  // strconv.Atoi
  if (!/^[+-]?\d+$/.test(expr)) throw new ScheduleError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new ScheduleError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : parseNumber(expr);
}

function bits(min: number, max: number, step: number): bigint {
  let b = 0n;
  for (let i = min; i <= max; i += step) b |= 1n << BigInt(i);
  return b;
}

/** parser.go getRange */
function getRange(expr: string, r: Bounds): bigint {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number, end: number, step: number;
  let extra = 0n;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    extra = STAR;
  } else {
    start = parseIntOrName(lowAndHigh[0], r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], r.names);
    else throw new ScheduleError(`too many hyphens: ${expr}`);
  }
  if (rangeAndStep.length === 1) step = 1;
  else if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1]);
    // "N/step" means "N-max/step"
    if (singleDigit) end = r.max;
    if (step > 1) extra = 0n;
  } else throw new ScheduleError(`too many slashes: ${expr}`);
  if (start < r.min) throw new ScheduleError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new ScheduleError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new ScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new ScheduleError(`step of range should be a positive number: ${expr}`);
  return bits(start, end, step) | extra;
}

function getField(field: string, r: Bounds): bigint {
  let b = 0n;
  for (const expr of field.split(',')) b |= getRange(expr, r);
  return b;
}

const all = (r: Bounds) => bits(r.min, r.max, 1) | STAR;

function descriptor(spec: string, zone: Zone): Schedule {
  const at = (m: bigint, h: bigint, dom: bigint, mon: bigint, dow: bigint) => new SpecSchedule(m, h, dom, mon, dow, zone);
  switch (spec) {
    case '@yearly':
    case '@annually':
      return at(1n, 1n, 1n << 1n, 1n << 1n, all(DOW));
    case '@monthly':
      return at(1n, 1n, 1n << 1n, all(MONTHS), all(DOW));
    case '@weekly':
      return at(1n, 1n, all(DOM), all(MONTHS), 1n);
    case '@daily':
    case '@midnight':
      return at(1n, 1n, all(DOM), all(MONTHS), all(DOW));
    case '@hourly':
      return at(1n, all(HOURS), all(DOM), all(MONTHS), all(DOW));
  }
  const every = '@every ';
  if (spec.startsWith(every)) {
    const text = spec.slice(every.length);
    const ms = parseGoDuration(text);
    if (ms === undefined) throw new ScheduleError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(text)}`);
    // Every(): at least one second, rounded down to whole seconds
    return new ConstantDelay(Math.max(1000, Math.floor(ms / 1000) * 1000));
  }
  throw new ScheduleError(`unrecognized descriptor: ${spec}`);
}

/** time.ParseDuration for the units a schedule uses (h, m, s, ms); undefined when invalid */
function parseGoDuration(s: string): number | undefined {
  if (!/^([0-9]+(\.[0-9]+)?(h|m|s|ms))+$/.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|h|m|s)/g)) ms += Number(m[1]) * ({ h: 3600_000, m: 60_000, s: 1000, ms: 1 } as Record<string, number>)[m[2]];
  return ms;
}

/**
 * cron.ParseStandard, in a zone (the controller prefixes `TZ=<spec.timeZone>`; without one it
 * uses the controller-manager's local zone, UTC here).
 */
export function parseStandard(spec: string, zone: Zone = UTC): Schedule {
  if (spec.length === 0) throw new ScheduleError('empty spec string');
  let s = spec;
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const i = s.indexOf(' ');
    s = s.slice(i + 1).trim();
  }
  if (s.startsWith('@')) return descriptor(s, zone);
  const fields = s.split(/\s+/).filter((x) => x !== '');
  if (fields.length !== 5) throw new ScheduleError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  return new SpecSchedule(getField(fields[0], MINUTES), getField(fields[1], HOURS), getField(fields[2], DOM), getField(fields[3], MONTHS), getField(fields[4], DOW), zone);
}
