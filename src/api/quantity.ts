// resource.Quantity, from staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go
// (ParseQuantity, parseQuantityString, CanonicalizeBytes), suffix.go and amount.go.
//
// Upstream keeps an int64 or an inf.Dec; every parsed value is rounded (away from zero) to
// nano precision, so an exact bigint count of nano-units represents every parse result.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9 (exact). */
  readonly nano: bigint;
  /** The suffix family remembered from parsing; drives canonical output. */
  readonly format: QuantityFormat;
}

const SPLIT_RE_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE_STRING}'`;
const ERR_NUMERIC = 'unable to parse numeric part of quantity';
const ERR_SUFFIX = "unable to parse quantity's suffix";
const QUANTITY_HINT =
  'expected a number with an optional suffix, e.g. "250m", "0.5", "2", "128Mi", "1Gi", "1.5G", "1e3" ' +
  '(binary suffixes Ki Mi Gi Ti Pi Ei; decimal suffixes n u m k M G T P E; no spaces)';

export class QuantityError extends Error {
  /** Upstream's message (ErrFormatWrong / ErrNumeric / ErrSuffix). */
  readonly detail: string;
  constructor(detail: string, input: string) {
    super(`invalid quantity ${JSON.stringify(input)}: ${detail}; ${QUANTITY_HINT}`);
    this.name = 'QuantityError';
    this.detail = detail;
  }
}

const NANO_PER_UNIT = 1_000_000_000n;
/** maxAllowed: 2^63-1 units, the cap applied to BinarySI values. */
const MAX_ALLOWED_NANO = (2n ** 63n - 1n) * NANO_PER_UNIT;
const MAX_INT32 = 2147483647;
/** Simulator guard: 10^400 and beyond cannot matter and would only burn memory. */
const MAX_DECIMAL_POWER = 400;

const SUFFIX_CHARS = 'eEinumkKMGTP';
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

interface Scanned {
  positive: boolean;
  /** Integer digits with leading zeros stripped; "0" when none remain. */
  num: string;
  /** Fraction digits (may be empty). */
  denom: string;
  suffix: string;
  /** Whether upstream's `value` string holds a digit (inf.Dec.SetString needs one). */
  valueHasDigit: boolean;
}

/** parseQuantityString, scanning byte by byte exactly as upstream. */
function scan(str: string, input: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  // Only zeros (or only a sign): upstream returns value "0".
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '', valueHasDigit: true };

  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    pos = i;
  }
  const valueHasDigit = /[0-9]/.test(str.slice(0, pos));
  if (pos >= end) return { positive, num, denom, suffix: '', valueHasDigit };

  const suffixStart = pos;
  i = pos;
  while (i < end && SUFFIX_CHARS.includes(str[i])) i++;
  if (i < end) {
    pos = i;
    if (str[pos] === '-' || str[pos] === '+') pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    // A character that is neither suffix letter, sign nor digit.
    if (i < end) throw new QuantityError(ERR_FORMAT_WRONG, input);
  }
  return { positive, num, denom, suffix: str.slice(suffixStart), valueHasDigit };
}

interface Interpreted {
  base: 10 | 2;
  exponent: number;
  format: QuantityFormat;
}

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** suffix.go interpret; exponents outside ±MaxInt32 are rejected (TestInterpretExponentInt32Bounds). */
function interpret(s: string): Interpreted | null {
  if (Object.prototype.hasOwnProperty.call(DECIMAL_SUFFIXES, s)) return { base: 10, exponent: DECIMAL_SUFFIXES[s], format: 'DecimalSI' };
  if (Object.prototype.hasOwnProperty.call(BINARY_SUFFIXES, s)) return { base: 2, exponent: BINARY_SUFFIXES[s], format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    const rest = s.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return null;
    const v = BigInt(rest);
    if (v > BigInt(MAX_INT32) || v < -BigInt(MAX_INT32)) return null;
    return { base: 10, exponent: Number(v), format: 'DecimalExponent' };
  }
  return null;
}

/** Division rounding up for non-negative operands (inf.RoundUp on a magnitude). */
function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/**
 * ParseQuantity. Accepts a YAML/JSON number as well (upstream parses the number's text).
 * Throws QuantityError with upstream's message.
 */
export function parseQuantity(text: string | number): Quantity {
  let str: string;
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) throw new QuantityError(ERR_FORMAT_WRONG, String(text));
    str = String(text);
  } else {
    str = text;
  }
  if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG, str);
  if (str === '0') return { nano: 0n, format: 'DecimalSI' };

  const { positive, num, denom, suffix, valueHasDigit } = scan(str, str);
  const interp = interpret(suffix);
  if (!interp) throw new QuantityError(ERR_SUFFIX, str);
  let { format } = interp;
  const { base, exponent } = interp;

  // Upstream has a fast int64 path and a slow inf.Dec path. They agree on every value except
  // that only the slow path needs `value` to contain a digit ("m" is 0, "e-20" is an error).
  let precision: number;
  let scale: number;
  if (base === 10) {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  } else {
    scale = 0;
    precision = exponent >= 0 && denom.length === 0 ? 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 : -1;
  }
  const fastPath = precision >= 0 && scale - denom.length >= -9;
  if (!fastPath && !valueHasDigit) throw new QuantityError(ERR_NUMERIC, str);

  const digits = BigInt(num + denom);
  let nano: bigint;
  if (digits === 0n) {
    nano = 0n;
  } else if (base === 10) {
    const power = 9 + exponent - denom.length;
    if (power >= 0) {
      if (power > MAX_DECIMAL_POWER) {
        throw new QuantityError(`exponent ${exponent} is too large for the simulator (values above 1e${MAX_DECIMAL_POWER - 9} are not supported)`, str);
      }
      nano = digits * 10n ** BigInt(power);
    } else if (-power > (num + denom).length) {
      // Smaller than one nano-unit: rounds up to 1n.
      nano = 1n;
    } else {
      nano = ceilDiv(digits, 10n ** BigInt(-power));
    }
  } else {
    nano = ceilDiv(digits * (1n << BigInt(exponent)) * NANO_PER_UNIT, 10n ** BigInt(denom.length));
  }

  if (format === 'BinarySI' && nano > MAX_ALLOWED_NANO) nano = MAX_ALLOWED_NANO;
  // Fractions below 1 cannot be written with a binary suffix; upstream switches the format.
  if (format === 'BinarySI' && nano > 0n && nano < NANO_PER_UNIT) format = 'DecimalSI';
  return { nano: positive ? nano : -nano, format };
}

const DECIMAL_SUFFIX_BY_EXPONENT: ReadonlyMap<number, string> = new Map(
  Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]),
);
const BINARY_SUFFIX_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** AsCanonicalBytes: largest exponent that is a multiple of 3 and keeps the mantissa integral. */
function canonicalDecimal(absNano: bigint): { mantissa: bigint; exponent: number } {
  let m = absNano;
  let t = 0;
  while (m % 10n === 0n) {
    m /= 10n;
    t++;
  }
  let exponent = t - 9;
  const r = ((exponent % 3) + 3) % 3;
  m *= 10n ** BigInt(r);
  exponent -= r;
  return { mantissa: m, exponent };
}

/** Quantity.String() / CanonicalizeBytes: e.g. 1.5 → "1500m", 1.5Gi → "1536Mi", 1024Mi → "1Gi". */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0';
  const sign = q.nano < 0n ? '-' : '';
  const abs = q.nano < 0n ? -q.nano : q.nano;
  let format = q.format;
  if (format === 'BinarySI') {
    // Small or fractional binary values print in DecimalSI rather than rounding.
    if (abs < 1024n * NANO_PER_UNIT || abs % NANO_PER_UNIT !== 0n) {
      format = 'DecimalSI';
    } else {
      let v = abs / NANO_PER_UNIT;
      let power = 0;
      while (v % 1024n === 0n && power < BINARY_SUFFIX_BY_POWER.length - 1) {
        v /= 1024n;
        power++;
      }
      // Past Ei there is no binary suffix (unreachable from parsing, which caps at 2^63-1).
      if (v % 1024n !== 0n || power < BINARY_SUFFIX_BY_POWER.length - 1) return `${sign}${v}${BINARY_SUFFIX_BY_POWER[power]}`;
      format = 'DecimalSI';
    }
  }
  const { mantissa, exponent } = canonicalDecimal(abs);
  if (format === 'DecimalExponent') return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  const suffix = DECIMAL_SUFFIX_BY_EXPONENT.get(exponent);
  // DecimalSI has no suffix past E (10^18): upstream falls back to exponent notation.
  return `${sign}${mantissa}${suffix ?? `e${exponent}`}`;
}

/** Rounds nano / divisor away from zero, as ScaledValue does (inf.RoundUp / negativeScaleInt64). */
function scaledAwayFromZero(nano: bigint, divisor: bigint): bigint {
  const neg = nano < 0n;
  const abs = neg ? -nano : nano;
  const v = ceilDiv(abs, divisor);
  return neg ? -v : v;
}

/**
 * MilliValue(): milli-units, rounded up in magnitude (0.1m → 1). A bigint because memory in
 * milli-bytes passes 2^53 at about 8Ti; upstream's int64 would wrap past 2^63, this does not.
 */
export function toMilli(q: Quantity): bigint {
  return scaledAwayFromZero(q.nano, 1_000_000n);
}

/** Value(): whole units, rounded up in magnitude (0.5 → 1, 1500m → 2). */
export function toValue(q: Quantity): bigint {
  return scaledAwayFromZero(q.nano, NANO_PER_UNIT);
}

/** Quantity.Cmp: -1, 0 or 1. Formats do not matter. */
export function compareQuantity(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/**
 * Rounds up (in magnitude) to milli precision, as SetDefaults_ResourceList does for every
 * pod request/limit (pkg/apis/core/v1/defaults.go: RoundUp(-3)).
 */
export function roundUpToMilli(q: Quantity): Quantity {
  return { nano: scaledAwayFromZero(q.nano, 1_000_000n) * 1_000_000n, format: q.format };
}
