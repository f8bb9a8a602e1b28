// Go duration strings (time.ParseDuration / Duration.String from Go's src/time/format.go),
// the syntax Kubernetes uses for durations in flags and configs. The simulator's clock ticks in
// whole milliseconds, so values are returned as integer milliseconds.

const SYNTAX_HINT =
  'expected a Go duration such as "500ms", "30s", "1m30s", "1.5h" or "0" ' +
  '(a sequence of decimal numbers, each with a unit: ns, us, µs, ms, s, m, h)';

export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

const NS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const NS_PER_MS = 1_000_000n;
/** Go durations are int64 nanoseconds; larger values are an overflow error there. */
const MAX_NS = 2n ** 63n - 1n;

function fail(text: string, detail: string): never {
  throw new DurationError(`invalid duration ${JSON.stringify(text)}: ${detail}; ${SYNTAX_HINT}`);
}

/** Exact nanoseconds of a Go duration string (non-negative only). */
function parseNanos(text: string): bigint {
  if (typeof text !== 'string') fail(String(text), `durations must be strings, got ${typeof text}`);
  let s = text;
  if (s.startsWith('-')) fail(text, 'durations must not be negative');
  if (s.startsWith('+')) s = s.slice(1);
  // Go special-cases a bare "0"; any other number needs a unit.
  if (s === '0') return 0n;
  if (s === '') fail(text, 'empty duration');
  let total = 0n;
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const intPart = m[1];
    const fracPart = m[2] ?? '';
    if (intPart === '' && fracPart === '') fail(text, 'expected a number');
    s = s.slice(m[0].length);
    const unitMatch = /^[^0-9.]+/.exec(s);
    if (!unitMatch) fail(text, 'missing unit');
    const unit = unitMatch[0];
    const perUnit = NS_PER_UNIT[unit];
    if (perUnit === undefined || !Object.prototype.hasOwnProperty.call(NS_PER_UNIT, unit)) {
      fail(text, `unknown unit ${JSON.stringify(unit)}`);
    }
    s = s.slice(unit.length);
    // Go truncates fractions below one nanosecond.
    const whole = BigInt(intPart === '' ? '0' : intPart) * perUnit;
    const frac = fracPart === '' ? 0n : (BigInt(fracPart) * perUnit) / 10n ** BigInt(fracPart.length);
    total += whole + frac;
    if (total > MAX_NS) fail(text, 'value out of range');
  }
  return total;
}

/**
 * time.ParseDuration, returning integer milliseconds. Rejects negative durations and values
 * that are not a whole number of milliseconds (the simulator clock's resolution).
 * Numbers are not durations: `30` must be written `30s` (or `30000ms`).
 */
export function parseDuration(text: string): number {
  const ns = parseNanos(text);
  if (ns % NS_PER_MS !== 0n) {
    fail(text, 'the simulator clock counts whole milliseconds; sub-millisecond durations other than 0 are not supported');
  }
  return Number(ns / NS_PER_MS);
}

/** Go's fmtFrac: the fraction of v / 10^prec without trailing zeros (and no '.' if it is 0). */
function fmtFrac(v: bigint, prec: number): { frac: string; rest: bigint } {
  let digits = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) digits = digit.toString() + digits;
    v /= 10n;
  }
  return { frac: print ? `.${digits}` : '', rest: v };
}

/** Duration.String() for a millisecond count: "0s", "500ms", "1.5s", "1m30s", "2h0m0s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new DurationError(`cannot format duration ${ms}: not a finite number of milliseconds`);
  const nsSigned = BigInt(Math.round(ms * 1_000_000));
  const neg = nsSigned < 0n;
  let u = neg ? -nsSigned : nsSigned;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1_000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const { frac, rest } = fmtFrac(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const { frac, rest } = fmtFrac(u, 9);
    u = rest;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

export interface DurationRange {
  min: number;
  max: number;
}

/**
 * A duration or an inclusive range "<min>..<max>" (e.g. "0s..2s"), in milliseconds.
 * A single duration yields min === max.
 */
export function parseDurationRange(text: string): DurationRange {
  if (typeof text !== 'string') throw new DurationError(`invalid duration range ${String(text)}: must be a string such as "1s" or "0s..2s"`);
  const sep = text.indexOf('..');
  if (sep < 0) {
    const d = parseDuration(text.trim());
    return { min: d, max: d };
  }
  const min = parseDuration(text.slice(0, sep).trim());
  const max = parseDuration(text.slice(sep + 2).trim());
  if (min > max) {
    throw new DurationError(
      `invalid duration range ${JSON.stringify(text)}: the minimum (${formatDuration(min)}) is greater than the maximum (${formatDuration(max)}); write it as "<min>..<max>", e.g. "0s..2s"`,
    );
  }
  return { min, max };
}
