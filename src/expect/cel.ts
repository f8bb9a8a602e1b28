// CEL (`expr:` expectations, DESIGN §3.2) over the cluster state, using @marcbachmann/cel-js.
//
// Value mapping, chosen to follow how the Kubernetes apiserver types objects for CEL
// (staging/src/k8s.io/apiserver/pkg/cel/common/values.go, UnstructuredToVal: OpenAPI `integer`
// -> CEL int, `number` -> CEL double). We have no schemas at hand, so:
// - every JSON number that is an integer becomes a CEL int (a JS bigint), any other number a
//   double (API integer fields - replicas, ports, restartCount - are all `integer`). So `pods.size() == deployments[0].spec.replicas` and
//   `deployments[0].status.readyReplicas + 1 >= 3` work as they would in Kubernetes CEL;
// - `now` is virtual seconds as a CEL double (a JS number; fractional at sub-second instants).
//   Comparisons mix int and double freely (`now >= 30`, `now == 30`, `now >= 30.0`), but CEL
//   arithmetic does not: write `now - 30.0`, or `int(now) - 30`;
// - absent fields stay absent, so `has(x.f)` is false and `x.f` is a "no such key" error.
// Results handed back by `evaluate` are converted back to plain JS (ints -> numbers).
//
// Only standard CEL plus the library's macros (all, exists, exists_one, filter, map, has) and
// string/list functions are available; no Kubernetes CEL extension libraries.

import { Environment, EvaluationError, ParseError, TypeError as CelTypeError } from '@marcbachmann/cel-js';

export type CelErrorKind = 'syntax' | 'type';

/** A compile-time problem in a CEL expression, with its 1-based position in `source`. */
export class CelError extends Error {
  constructor(
    readonly kind: CelErrorKind,
    readonly summary: string,
    readonly source: string,
    /** 0-based character offset into `source`, when the library reports one */
    readonly offset: number | undefined,
    readonly hint: string,
  ) {
    super(formatCompileMessage(kind, summary, source, offset));
    this.name = 'CelError';
  }

  get line(): number | undefined {
    return this.offset === undefined ? undefined : lineCol(this.source, this.offset).line;
  }

  get column(): number | undefined {
    return this.offset === undefined ? undefined : lineCol(this.source, this.offset).column;
  }
}

export interface CompiledCel {
  readonly source: string;
  /** Evaluates against JSON-like bindings; throws the library's EvaluationError on failure. */
  evaluate(bindings: Record<string, unknown>): unknown;
}

export type CelBooleanResult = { value: boolean } | { error: string };

// One environment for the process: building one is the expensive part (README "Environment").
// Undeclared names are dyn because the set of bound kinds is open-ended.
const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });

const SYNTAX_HINT =
  'CEL uses double-quoted strings, &&, ||, !, ==, the macros all/exists/exists_one/filter/map and has(x.field); ' +
  'e.g. pods.all(p, p.status.phase == "Running")';
const NUMBER_HINT =
  'JSON integers are CEL ints and `now` is a double; CEL arithmetic does not mix them: write 30.0 instead of 30, ' +
  'or convert with int(now) / double(x)';

export function compileCel(source: string): CompiledCel {
  let program: ReturnType<typeof env.parse>;
  try {
    program = env.parse(source);
  } catch (e) {
    if (e instanceof ParseError) throw new CelError('syntax', e.summary, source, e.range?.start, SYNTAX_HINT);
    throw e;
  }
  patchHasOnExpressions(program.ast);
  const checked = program.check();
  if (!checked.valid) {
    const err: unknown = checked.error;
    if (err instanceof ParseError) throw new CelError('syntax', err.summary, source, err.range?.start, SYNTAX_HINT);
    if (err instanceof CelTypeError || err instanceof EvaluationError) {
      throw new CelError('type', err.summary, source, err.range?.start, hintFor(err.summary, []) || SYNTAX_HINT);
    }
    throw err;
  }
  const raw = (bindings: Record<string, unknown>): unknown => program(celContext(bindings));
  const compiled: CompiledCel = { source, evaluate: (bindings) => fromCelValue(raw(bindings)) };
  rawEvaluators.set(compiled, raw);
  return compiled;
}

// The unconverted CEL result, so a non-boolean result can be reported with its CEL type.
const rawEvaluators = new WeakMap<CompiledCel, (bindings: Record<string, unknown>) => unknown>();

/**
 * Evaluates to a boolean or explains why not. Errors (a missing key, a non-boolean result) are
 * data, not exceptions: the caller treats them as "not true at this instant" and reports them.
 */
export function evaluateCelBoolean(compiled: CompiledCel, bindings: Record<string, unknown>): CelBooleanResult {
  let value: unknown;
  try {
    const raw = rawEvaluators.get(compiled);
    value = raw ? raw(bindings) : compiled.evaluate(bindings);
  } catch (e) {
    if (e instanceof EvaluationError) {
      const at = e.range ? ` (${positionText(compiled.source, e.range.start)})` : '';
      const hint = hintFor(e.summary, Object.keys(bindings));
      return { error: `${e.summary}${at}${hint ? `; hint: ${hint}` : ''}` };
    }
    return { error: e instanceof Error ? e.message : String(e) };
  }
  if (typeof value === 'boolean') return { value };
  return {
    error:
      `the expression evaluated to ${describeValue(value)}, not a boolean; ` +
      'hint: compare the value, e.g. `pods.size() == 3` or `x.status.phase == "Running"`',
  };
}

/**
 * JSON -> CEL: integral numbers become ints (bigint), undefined fields are dropped.
 * Subtrees without numbers are returned as they are (not copied): this runs at every evaluation
 * instant and most of an object is strings.
 */
export function toCelValue(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = toCelValue(v[i]);
      if (x !== v[i] && !out) out = v.slice(0, i);
      if (out) out.push(x);
    }
    return out ?? v;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  const obj = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in obj) {
    const x = obj[k];
    const c = x === undefined ? undefined : toCelValue(x);
    if ((c !== x || x === undefined) && !out) {
      out = {};
      for (const k2 in obj) {
        if (k2 === k) break;
        out[k2] = obj[k2];
      }
    }
    if (out && c !== undefined) out[k] = c;
  }
  return out ?? obj;
}

/** CEL -> plain JS: ints become numbers, maps become objects. */
export function fromCelValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(fromCelValue);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[String(k)] = fromCelValue(x);
    return out;
  }
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromCelValue(x);
    return out;
  }
  return v;
}

// Converting every bound list at every instant would be wasteful when an expression reads one
// of them, so each binding converts on first access within one evaluation.
// The binding itself is read on first access too (celBindings builds its lists lazily), and a list's
// objects are converted once per object: API objects are never changed in place (every write
// stores a new object), so an object met again at a later instant converts to the same value.
function celContext(bindings: Record<string, unknown>): Record<string, unknown> {
  const ctx: Record<string, unknown> = Object.create(null);
  for (const name of Object.keys(bindings)) {
    if (name === 'now') {
      // read when the expression reads it (not before): a caller may track whether it did
      Object.defineProperty(ctx, name, {
        enumerable: true,
        get() {
          const raw = bindings[name];
          // stays a JS number = CEL double even at whole seconds, so its type never depends on time
          return typeof raw === 'bigint' ? Number(raw) : raw;
        },
      });
      continue;
    }
    let cached: unknown;
    let done = false;
    Object.defineProperty(ctx, name, {
      enumerable: true,
      get() {
        if (!done) {
          const raw = bindings[name];
          cached = Array.isArray(raw) && name !== 'requests' ? raw.map(celOfObject) : toCelValue(raw);
          done = true;
        }
        return cached;
      },
    });
  }
  return ctx;
}

const celObjects = new WeakMap<object, unknown>();

/** toCelValue of one listed API object, remembered for the object */
function celOfObject(o: unknown): unknown {
  if (typeof o !== 'object' || o === null) return toCelValue(o);
  let c = celObjects.get(o);
  if (c === undefined) celObjects.set(o, (c = toCelValue(o)));
  return c;
}

// --- has() on non-identifier operands -------------------------------------------------------
// cel-js 8.0.0 only accepts has(ident.f.g); has(deployments[0].status.x) fails with
// "has() invalid argument" (marcbachmann/cel-js#104), though the CEL spec allows any operand
// expression (cel-spec langdef.md "Field Selection" / "Macros"). We give those has() calls the
// spec's meaning: evaluate the operand, then test the last field's presence.

interface MacroNode {
  op: string;
  args: unknown;
  meta?: { macro?: MacroImpl };
}
interface MacroImpl {
  args: MacroNode[];
  typeCheck: (checker: any, macro: MacroImpl, ctx: unknown) => unknown;
  evaluate: (ev: any, macro: MacroImpl, ctx: unknown) => unknown;
}

function isNode(v: unknown): v is MacroNode {
  return typeof v === 'object' && v !== null && typeof (v as MacroNode).op === 'string' && 'args' in v;
}

function patchHasOnExpressions(root: unknown): void {
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isNode(v)) {
      for (const x of Object.values(v)) visit(x);
      return;
    }
    const args = v.args;
    if (v.op === 'call' && Array.isArray(args) && args[0] === 'has' && v.meta?.macro) patchHas(v.meta.macro);
    visit(args);
  };
  visit(root);
}

function patchHas(macro: MacroImpl): void {
  const arg = macro.args?.[0];
  if (!isNode(arg) || arg.op !== '.') return;
  let root: MacroNode = arg;
  while ((root.op === '.' || root.op === '.?') && Array.isArray(root.args) && isNode(root.args[0])) root = root.args[0];
  if (root.op === 'id') return; // the library handles identifier-rooted chains itself
  const [operand, field] = arg.args as [MacroNode, string];
  macro.typeCheck = (checker, _m, ctx) => {
    checker.check(operand, ctx);
    return checker.getType('bool');
  };
  macro.evaluate = (ev, _m, ctx) => {
    const obj = ev.run(operand, ctx);
    return ev.debugType(obj).fieldLazy(obj, field, arg, ev) !== undefined;
  };
}

// --- messages -------------------------------------------------------------------------------

function lineCol(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

function positionText(source: string, offset: number): string {
  const { line, column } = lineCol(source, offset);
  return source.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
}

function formatCompileMessage(kind: CelErrorKind, summary: string, source: string, offset: number | undefined): string {
  const head = `CEL ${kind} error${offset === undefined ? '' : ` at ${positionText(source, offset)}`}: ${summary}`;
  if (offset === undefined) return head;
  const { line, column } = lineCol(source, offset);
  const text = source.split('\n')[line - 1] ?? '';
  return `${head}\n  ${text}\n  ${' '.repeat(column - 1)}^`;
}

function hintFor(summary: string, bound: string[]): string {
  if (/^Unknown variable/i.test(summary)) {
    const names = [...bound].sort();
    return names.length > 0
      ? `bound names are ${names.join(', ')} (kinds are lower-case plurals, e.g. pods, deployments)`
      : 'kinds are bound as lower-case plurals (pods, deployments, ...), plus now and requests';
  }
  if (/^No such key/i.test(summary)) {
    return 'the field is absent at this instant; test it with has(x.field) first, e.g. has(d.status.readyReplicas) && d.status.readyReplicas >= 2';
  }
  if (/no such overload/i.test(summary) && /double/.test(summary) && /int/.test(summary)) return NUMBER_HINT;
  if (/no such overload/i.test(summary)) return 'the operator or function does not apply to these value types';
  return '';
}

function celTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'object') return 'map';
  return typeof v;
}

function describeValue(v: unknown): string {
  const s = JSON.stringify(fromCelValue(v));
  const text = s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return `${text} (${celTypeName(v)})`;
}
