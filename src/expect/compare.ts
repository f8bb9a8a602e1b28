// Leaf comparators for expectation matchers (DESIGN §3.2 "Comparators in matchers").
//
// Spec forms (a scenario author writes these as YAML scalars):
//   3, true, "Running", null     plain value: equality (null: absent or null)
//   ">=2" ">2" "<5" "<=5"         numeric comparison (whitespace after the operator is allowed)
//   "!=0"                         not equal (numeric when the operand is a number, else text)
//   "==3"                         equal (the rest taken as written, numeric when it is a number)
//   "2..4"                        inclusive numeric range
//   "/regex/i"                    JavaScript regular expression with optional flags
//   "=<text>"                     escape: literal equality with <text>, e.g. "=>=2" is the text ">=2"
//                                 (also for paths that read as a regex: "=/data/mid")
//
// Leniencies, because scenario YAML and API JSON disagree on scalar types in practice:
// - a number and a numeric string compare as numbers: 3 matches "3" and ">=2" matches "3"
//   (two strings compare as text, so a label "1.10" does not equal "1.1");
// - a boolean matches the strings "True"/"False" in any case, since YAML 1.2 reads an unquoted
//   `status: True` (the spelling Kubernetes conditions use) as a boolean.
// Numeric comparators against a non-numeric actual (e.g. the quantity "500m") are a mismatch.

export interface Comparator {
  /** 'equal' for plain values, '=' escapes and '=='; lets callers detect literal keys. */
  readonly kind: 'equal' | 'null' | 'compare' | 'notEqual' | 'range' | 'regex';
  test(actual: unknown): boolean;
  /** ASCII description used after "expected": `3`, `"Running"`, `>= 2`, `between 2 and 4`. */
  describe(): string;
}

export class ComparatorError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ComparatorError';
  }
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const RANGE_RE = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*\.\.\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*$/;
// Flags are restricted to real RegExp flags so paths like "/var/log" stay literal text.
const REGEX_RE = /^\/(.+)\/([dgimsuvy]*)$/s;
const SYNTAX_HINT =
  'comparators are a plain value, ">=N", ">N", "<=N", "<N", "==X", "!=X", "A..B" or "/regex/flags"; ' +
  'start a string with "=" to match it literally (e.g. "=>=2" is the text ">=2")';

/** The numeric value of a number or a plain decimal string; undefined for anything else. */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMBER_RE.test(v.trim())) return Number(v.trim());
  return undefined;
}

export function formatValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function equalTo(expected: string | number | boolean, description?: string): Comparator {
  const num = typeof expected === 'boolean' ? undefined : numericValue(expected);
  return {
    kind: 'equal',
    test(actual) {
      if (actual === expected) return true;
      if (typeof expected === 'boolean') {
        return typeof actual === 'string' && actual.toLowerCase() === String(expected);
      }
      // numeric only across types: two strings compare as text, so "1.10" is not "1.1"
      if (num !== undefined && (typeof expected === 'number' || typeof actual === 'number')) {
        const a = numericValue(actual);
        return a !== undefined && a === num;
      }
      return false;
    },
    describe: () => description ?? formatValue(expected),
  };
}

const NULL_COMPARATOR: Comparator = {
  kind: 'null',
  test: (actual) => actual === null || actual === undefined,
  describe: () => 'absent or null',
};

type Op = '>=' | '>' | '<=' | '<';

function compareOp(op: Op, operand: number): Comparator {
  return {
    kind: 'compare',
    test(actual) {
      const a = numericValue(actual);
      if (a === undefined) return false;
      switch (op) {
        case '>=':
          return a >= operand;
        case '>':
          return a > operand;
        case '<=':
          return a <= operand;
        case '<':
          return a < operand;
      }
    },
    describe: () => `${op} ${operand}`,
  };
}

function notEqual(rest: string): Comparator {
  const eq = equalTo(rest);
  return {
    kind: 'notEqual',
    test: (actual) => !eq.test(actual),
    describe: () => `!= ${numericValue(rest) !== undefined ? rest : formatValue(rest)}`,
  };
}

function regex(source: string, flags: string, spec: string): Comparator {
  // g and y make RegExp.test stateful (lastIndex); they mean nothing for a whole-value match.
  const safeFlags = flags.replace(/[gy]/g, '');
  let re: RegExp;
  try {
    re = new RegExp(source, safeFlags);
  } catch (e) {
    throw new ComparatorError(
      `invalid regular expression ${spec}: ${(e as Error).message}`,
      'write a JavaScript regular expression between slashes, e.g. "/^web-[a-z0-9]+$/"; flags go after the closing slash (i, s, m, u)',
    );
  }
  return {
    kind: 'regex',
    test(actual) {
      if (typeof actual === 'string') return re.test(actual);
      if (typeof actual === 'number' || typeof actual === 'boolean') return re.test(String(actual));
      return false;
    },
    describe: () => `matching /${source}/${safeFlags}`,
  };
}

function parseNumberOperand(spec: string, op: string, rest: string): number {
  const n = numericValue(rest);
  if (n === undefined) {
    throw new ComparatorError(
      `comparator ${JSON.stringify(spec)}: expected a number after "${op}", got ${JSON.stringify(rest)}`,
      `numeric comparators take a plain number (e.g. ">=2", "<0.5"); ${SYNTAX_HINT}`,
    );
  }
  return n;
}

function parseString(spec: string): Comparator {
  if (spec.startsWith('==')) {
    const rest = spec.slice(2).trim();
    return equalTo(rest);
  }
  if (spec.startsWith('=')) return equalTo(spec.slice(1));
  if (spec.startsWith('!=')) return notEqual(spec.slice(2).trim());
  for (const op of ['>=', '<=', '>', '<'] as const) {
    if (spec.startsWith(op)) return compareOp(op, parseNumberOperand(spec, op, spec.slice(op.length).trim()));
  }
  const range = RANGE_RE.exec(spec);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo > hi) {
      throw new ComparatorError(
        `comparator ${JSON.stringify(spec)}: the range is empty (${lo} > ${hi})`,
        'write the lower bound first: "2..4" means 2 <= value <= 4',
      );
    }
    return {
      kind: 'range',
      test(actual) {
        const a = numericValue(actual);
        return a !== undefined && a >= lo && a <= hi;
      },
      describe: () => `between ${lo} and ${hi}`,
    };
  }
  const re = REGEX_RE.exec(spec);
  if (re && new Set(re[2]).size === re[2].length) return regex(re[1], re[2], spec);
  return equalTo(spec);
}

// Comparators are rebuilt for every evaluation instant of an `always:` expectation, so the
// parsed form of each string spec is cached (bounded by the scenario's own text).
const stringCache = new Map<string, Comparator>();

/** Parses a leaf matcher. Throws ComparatorError (with a hint) on malformed specs. */
export function parseComparator(spec: unknown): Comparator {
  if (spec === null || spec === undefined) return NULL_COMPARATOR;
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec)) throw new ComparatorError(`comparator ${spec} is not a finite number`, SYNTAX_HINT);
    return equalTo(spec);
  }
  if (typeof spec === 'boolean') return equalTo(spec);
  if (typeof spec === 'string') {
    let c = stringCache.get(spec);
    if (!c) {
      c = parseString(spec);
      stringCache.set(spec, c);
    }
    return c;
  }
  throw new ComparatorError(
    `a comparator must be a number, boolean, string or null, got ${Array.isArray(spec) ? 'a list' : typeof spec}`,
    SYNTAX_HINT,
  );
}
