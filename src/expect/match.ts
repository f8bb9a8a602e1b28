// Partial-tree matching for `object: ... match:` expectations (DESIGN §3.2), reporting every
// mismatch rather than the first, because a user fixing a scenario wants the whole picture.
//
// Expected-tree forms:
//   {a: ..., b: ...}          partial object: only the listed keys are checked, recursively
//   leaf scalar               a comparator (see compare.ts): 3, ">=2", "2..4", "/re/", "=text"
//   null                      the field is absent or null (Kubernetes omits empty fields)
//   {$absent: true}           the key must not exist at all (false: it must exist, any value)
//   [e1, e2, ...]             unordered subset: each expected element matches a DISTINCT actual
//                             element (maximum bipartite matching, so the order and overlap of
//                             partial elements do not matter)
//   [{type: X, ...}, ...]     when every expected element has a literal string `type` (conditions),
//                             elements pair up by `type`; paths read `conditions[type=Available]`
//   {$exact: [e1, e2]}        order and length must match; each element still matches partially.
//                             `{$exact: true, items: [...]}` is accepted as a spelled-out alias.
//
// An absent or null actual field is a 'missing' mismatch ("not yet true"), never an exception.
// A malformed expected tree throws MatchSpecError; call checkExpected() at load time to report it.

import { ComparatorError, formatValue, parseComparator, type Comparator } from './compare.js';

export type MismatchKind = 'missing' | 'mismatch' | 'extra' | 'length';

export interface Mismatch {
  /** e.g. "status.conditions[type=Available].status", "spec.containers[0].image" */
  path: string;
  /** a description of what was expected, e.g. ">= 2", "\"Running\"", "absent" */
  expected: string;
  actual: unknown;
  kind: MismatchKind;
}

export class MatchSpecError extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly hint: string,
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'MatchSpecError';
  }
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `a.b`, `a["app.kubernetes.io/name"]` for keys that would be ambiguous after a dot. */
export function joinKey(path: string, key: string): string {
  if (IDENT_RE.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

const OPERATOR_KEYS = new Set(['$absent', '$exact']);

function operatorKeys(e: Obj): string[] {
  return Object.keys(e).filter((k) => k.startsWith('$'));
}

/** Returns the exact-array elements if `e` is an `$exact` form, undefined otherwise. */
function exactItems(e: Obj, path: string): unknown[] | undefined {
  if (!('$exact' in e)) return undefined;
  const v = e.$exact;
  if (Array.isArray(v)) {
    if (Object.keys(e).length !== 1) throw badSpec(path, '`$exact: [...]` cannot be combined with other keys');
    return v;
  }
  if (v === true && Array.isArray(e.items) && Object.keys(e).length === 2) return e.items;
  throw badSpec(path, '`$exact` takes the list itself: `{$exact: [a, b]}` (or `{$exact: true, items: [a, b]}`)');
}

function badSpec(path: string, message: string): MatchSpecError {
  return new MatchSpecError(
    path,
    message,
    'match trees use plain values and comparators at the leaves, partial objects, lists (unordered subset), ' +
      '`null` (absent or null), `{$absent: true}` and `{$exact: [...]}` (ordered, same length)',
  );
}

function comparator(spec: unknown, path: string): Comparator {
  try {
    return parseComparator(spec);
  } catch (e) {
    if (e instanceof ComparatorError) throw new MatchSpecError(path, e.message, e.hint);
    throw e;
  }
}

/** A compact rendering of an expected subtree for messages. */
export function describeExpected(expected: unknown): string {
  if (Array.isArray(expected)) return `[${expected.map(describeExpected).join(', ')}]`;
  if (isObject(expected)) {
    const exact = '$exact' in expected ? (Array.isArray(expected.$exact) ? expected.$exact : expected.items) : undefined;
    if (Array.isArray(exact)) return `exactly ${describeExpected(exact)}`;
    if (expected.$absent === true) return 'absent';
    if (expected.$absent === false) return 'present';
    const parts = Object.keys(expected).map((k) => `${IDENT_RE.test(k) ? k : JSON.stringify(k)}: ${describeExpected(expected[k])}`);
    return `{${parts.join(', ')}}`;
  }
  return comparator(expected, '').describe();
}

/** Validates an expected tree without an actual value; returns problems (empty = valid). */
export function checkExpected(expected: unknown, path = ''): MatchSpecError[] {
  const problems: MatchSpecError[] = [];
  const walk = (e: unknown, p: string): void => {
    try {
      if (Array.isArray(e)) {
        e.forEach((x, i) => walk(x, `${p}[${i}]`));
      } else if (isObject(e)) {
        const ops = operatorKeys(e);
        const unknown = ops.filter((k) => !OPERATOR_KEYS.has(k));
        if (unknown.length > 0) throw badSpec(p, `unknown match operator ${unknown.map((k) => `"${k}"`).join(', ')}`);
        const items = exactItems(e, p);
        if (items) {
          items.forEach((x, i) => walk(x, `${p}[${i}]`));
        } else if ('$absent' in e) {
          if (typeof e.$absent !== 'boolean' || Object.keys(e).length !== 1) {
            throw badSpec(p, '`$absent` takes true or false and stands alone: `{$absent: true}`');
          }
        } else {
          for (const k of Object.keys(e)) walk(e[k], joinKey(p, k));
        }
      } else {
        comparator(e, p);
      }
    } catch (err) {
      if (err instanceof MatchSpecError) problems.push(err);
      else throw err;
    }
  };
  walk(expected, path);
  return problems;
}

/** Every way `actual` fails to match `expected`; an empty list means it matches. */
export function matchTree(actual: unknown, expected: unknown, path = ''): Mismatch[] {
  const out: Mismatch[] = [];
  matchInto(actual, expected, path, out);
  return out;
}

function matchInto(actual: unknown, expected: unknown, path: string, out: Mismatch[]): void {
  if (Array.isArray(expected)) return matchSubset(actual, expected, path, out);
  if (isObject(expected)) {
    const ops = operatorKeys(expected);
    if (ops.length > 0) {
      const unknown = ops.filter((k) => !OPERATOR_KEYS.has(k));
      if (unknown.length > 0) throw badSpec(path, `unknown match operator ${unknown.map((k) => `"${k}"`).join(', ')}`);
      const items = exactItems(expected, path);
      if (items) return matchExact(actual, items, path, out);
      return matchAbsent(actual, expected, path, out);
    }
    return matchObject(actual, expected, path, out);
  }
  const c = comparator(expected, path);
  if (c.test(actual)) return;
  const absent = actual === undefined || actual === null;
  out.push({ path, expected: c.describe(), actual, kind: absent ? 'missing' : 'mismatch' });
}

function matchAbsent(actual: unknown, expected: Obj, path: string, out: Mismatch[]): void {
  if (typeof expected.$absent !== 'boolean' || Object.keys(expected).length !== 1) {
    throw badSpec(path, '`$absent` takes true or false and stands alone: `{$absent: true}`');
  }
  if (expected.$absent && actual !== undefined) out.push({ path, expected: 'absent', actual, kind: 'extra' });
  if (!expected.$absent && actual === undefined) out.push({ path, expected: 'present', actual, kind: 'missing' });
}

function matchObject(actual: unknown, expected: Obj, path: string, out: Mismatch[]): void {
  // A missing/null parent is walked with `undefined` so each expected leaf reports itself as
  // missing (and `null`/`$absent` leaves are satisfied), which reads better than one big blob.
  const absent = actual === undefined || actual === null;
  if (!absent && !isObject(actual)) {
    out.push({ path, expected: 'an object', actual, kind: 'mismatch' });
    return;
  }
  const obj: Obj = absent ? {} : (actual as Obj);
  for (const key of Object.keys(expected)) {
    const value = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
    matchInto(value, expected[key], joinKey(path, key), out);
  }
}

function matchExact(actual: unknown, items: unknown[], path: string, out: Mismatch[]): void {
  // Kubernetes omits empty lists, so an absent list equals an exact empty one.
  if (actual === undefined || actual === null) {
    if (items.length > 0) out.push({ path, expected: describeExpected({ $exact: items }), actual, kind: 'missing' });
    return;
  }
  if (!Array.isArray(actual)) {
    out.push({ path, expected: 'a list', actual, kind: 'mismatch' });
    return;
  }
  if (actual.length !== items.length) {
    out.push({ path, expected: `exactly ${items.length} element${items.length === 1 ? '' : 's'}`, actual: actual.length, kind: 'length' });
  }
  const n = Math.min(actual.length, items.length);
  for (let i = 0; i < n; i++) matchInto(actual[i], items[i], `${path}[${i}]`, out);
}

/** The literal `type` of an expected condition-like element, or undefined. */
function literalType(e: unknown, path: string): string | undefined {
  if (!isObject(e) || typeof e.type !== 'string' || operatorKeys(e).length > 0) return undefined;
  if (comparator(e.type, path).kind !== 'equal') return undefined;
  if (e.type.startsWith('==')) return e.type.slice(2).trim();
  return e.type.startsWith('=') ? e.type.slice(1) : e.type;
}

function matchSubset(actual: unknown, expected: unknown[], path: string, out: Mismatch[]): void {
  if (expected.length === 0) return;
  if (actual === undefined || actual === null) {
    out.push({ path, expected: describeExpected(expected), actual, kind: 'missing' });
    return;
  }
  if (!Array.isArray(actual)) {
    out.push({ path, expected: 'a list', actual, kind: 'mismatch' });
    return;
  }
  const types = expected.map((e, i) => literalType(e, `${path}[${i}]`));
  if (types.every((t) => t !== undefined)) return matchByType(actual, expected, types as string[], path, out);

  // ok[i][j]: expected[i] matches actual[j] with no mismatches.
  const ok = expected.map((e) => actual.map((a) => matchTree(a, e).length === 0));
  const owner = maxBipartiteMatching(ok, actual.length);
  const assigned = new Set<number>();
  const matchedExpected = new Set<number>();
  owner.forEach((i, j) => {
    if (i >= 0) {
      assigned.add(j);
      matchedExpected.add(i);
    }
  });
  for (let i = 0; i < expected.length; i++) {
    if (matchedExpected.has(i)) continue;
    const e = expected[i];
    // Explain an unmatched partial object against the closest still-free actual element
    // (fewest mismatches, then lowest index); scalars and unplaceable elements are "missing".
    let best: { j: number; mismatches: Mismatch[] } | undefined;
    if (isObject(e)) {
      for (let j = 0; j < actual.length; j++) {
        if (assigned.has(j)) continue;
        const m = matchTree(actual[j], e, `${path}[${j}]`);
        if (!best || m.length < best.mismatches.length) best = { j, mismatches: m };
      }
    }
    if (best) {
      assigned.add(best.j);
      out.push(...best.mismatches);
    } else {
      out.push({ path, expected: `an element matching ${describeExpected(e)}`, actual, kind: 'missing' });
    }
  }
}

/**
 * Kuhn's augmenting-path algorithm; deterministic (expected in order, actual in index order).
 * Returns, per actual index, the expected index it is paired with or -1.
 */
function maxBipartiteMatching(ok: boolean[][], actualCount: number): number[] {
  const owner = new Array<number>(actualCount).fill(-1);
  const tryAssign = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < actualCount; j++) {
      if (!ok[i][j] || seen[j]) continue;
      seen[j] = true;
      if (owner[j] < 0 || tryAssign(owner[j], seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < ok.length; i++) tryAssign(i, new Array<boolean>(actualCount).fill(false));
  return owner;
}

function matchByType(actual: unknown[], expected: unknown[], types: string[], path: string, out: Mismatch[]): void {
  expected.forEach((e, i) => {
    const type = types[i];
    const elementPath = `${path}[type=${type}]`;
    const candidates = actual.filter((a) => isObject(a) && a.type === type);
    if (candidates.length === 0) {
      out.push({ path: elementPath, expected: describeExpected(e), actual: undefined, kind: 'missing' });
      return;
    }
    let first: Mismatch[] | undefined;
    for (const c of candidates) {
      const m = matchTree(c, e, elementPath);
      if (m.length === 0) return;
      first ??= m;
    }
    out.push(...first!);
  });
}

/** Human lines: `status.availableReplicas: expected >= 2, got 1`, `x: missing (expected 3)`. */
export function describeMismatches(mismatches: Mismatch[]): string[] {
  return mismatches.map((m) => {
    const where = m.path || '(object)';
    switch (m.kind) {
      case 'missing':
        return `${where}: missing (expected ${m.expected})`;
      case 'length':
        return `${where}: expected ${m.expected}, got ${formatValue(m.actual)}`;
      case 'extra':
      case 'mismatch':
        return `${where}: expected ${m.expected}, got ${formatValue(m.actual)}`;
    }
  });
}
