// The json reporter: one versioned document per run (schema in docs/json-report.md).
// Every object is rebuilt with a fixed key order instead of serialising whatever objects the
// engine produced, so the bytes depend only on the values: the same run gives the same file.

import type { ExpectationResult, RunSummary, ScenarioResult, SourceRef, StepResult } from '../src/result.js';
import type { TraceRecord } from '../src/engine/trace.js';
import type { Reporter, ReporterContext } from './types.js';
import { countResults, displayPath } from './util.js';

/** Bumped only for breaking changes (a field removed, renamed or changing meaning/type). */
export const JSON_SCHEMA_VERSION = 1;

/** Options read from `ReporterContext.options`. */
export interface JsonReporterOptions {
  /**
   * Include each scenario's full trace (every state change, step, Event and check). Off by
   * default because traces are large; CI artifacts for debugging want them.
   * @default false
   */
  trace?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Loose = Record<string, unknown>;

/**
 * The keys of `value` in the order given, then any keys this reporter does not know yet in
 * sorted order (so fields added to the result types later still come out deterministically).
 * Undefined values are dropped, as JSON.stringify would.
 */
function ordered(value: object, order: readonly string[], convert: (key: string, v: unknown) => unknown = (_k, v) => v): Loose {
  const src = value as Loose;
  const out: Loose = {};
  const known = new Set(order);
  const keys = [...order.filter((k) => Object.prototype.hasOwnProperty.call(src, k)), ...Object.keys(src).filter((k) => !known.has(k)).sort()];
  for (const k of keys) {
    if (src[k] === undefined) continue;
    out[k] = convert(k, src[k]);
  }
  return out;
}

const SOURCE_KEYS = ['file', 'line', 'col'] as const;
const SCENARIO_KEYS = ['file', 'name', 'tags', 'seed', 'status', 'todo', 'duration', 'events', 'error', 'expectations', 'steps', 'traceSnapshot', 'trace'] as const;
const ERROR_KEYS = ['kind', 'message', 'source'] as const;
const EXPECTATION_KEYS = [
  'index', 'name', 'source', 'temporal', 'subject', 'status', 'todo', 'decidedAt', 'becameTrueAt', 'becameFalseAt',
  'message', 'mismatches', 'nearMiss', 'snapshot', 'transitions',
] as const;
const SNAPSHOT_KEYS = ['at', 'kind', 'columns', 'rows'] as const;
const TRANSITION_KEYS = ['t', 'object', 'text'] as const;
const STEP_KEYS = ['index', 'name', 'source', 'action', 'at', 'outcome', 'message', 'view'] as const;
const TRACE_KEYS: Record<TraceRecord['type'], readonly string[]> = {
  object: ['t', 'type', 'op', 'kind', 'namespace', 'name', 'rv', 'summary'],
  step: ['t', 'type', 'index', 'name', 'action', 'outcome', 'message'],
  event: ['t', 'type', 'kind', 'namespace', 'name', 'eventType', 'reason', 'message'],
  check: ['t', 'type', 'expectation', 'name', 'outcome', 'message'],
  note: ['t', 'type', 'message'],
  view: ['t', 'type', 'index', 'command', 'text'],
  request: ['t', 'type', 'sentAt', 'seq', 'step', 'client', 'clientIP', 'method', 'url', 'connection', 'newConnection', 'node', 'via', 'tls', 'namespace', 'pod', 'podIP', 'sourceIP', 'status', 'outcome', 'latency', 'reason'],
};

/** Arrays and plain objects not listed above (tags, rows, unknown future fields): keys sorted. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return ordered(v, [], (_k, x) => plain(x));
  return v;
}

export function buildJsonReport(summary: RunSummary, options: { cwd: string; trace: boolean; seed?: number }): Loose {
  const source = (s: SourceRef): Loose => ordered(s, SOURCE_KEYS, (k, v) => (k === 'file' ? displayPath(v as string, options.cwd) : plain(v)));
  const expectation = (e: ExpectationResult): Loose =>
    ordered(e, EXPECTATION_KEYS, (k, v) => {
      if (k === 'source') return source(v as SourceRef);
      if (k === 'snapshot') return ordered(v as object, SNAPSHOT_KEYS, (_k, x) => plain(x));
      if (k === 'transitions') return (v as object[]).map((t) => ordered(t, TRANSITION_KEYS, (_k, x) => plain(x)));
      return plain(v);
    });
  const step = (s: StepResult): Loose => ordered(s, STEP_KEYS, (k, v) => (k === 'source' ? source(v as SourceRef) : plain(v)));
  const traceRecord = (r: TraceRecord): Loose => ordered(r, TRACE_KEYS[r.type] ?? ['t', 'type'], (_k, v) => plain(v));
  const scenario = (r: ScenarioResult): Loose => {
    const input = options.trace ? r : { ...r, trace: undefined };
    return ordered(input, SCENARIO_KEYS, (k, v) => {
      switch (k) {
        case 'file':
          return displayPath(v as string, options.cwd);
        case 'error':
          return ordered(v as object, ERROR_KEYS, (ek, ev) => (ek === 'source' ? source(ev as SourceRef) : plain(ev)));
        case 'expectations':
          return (v as ExpectationResult[]).map(expectation);
        case 'steps':
          return (v as StepResult[]).map(step);
        case 'trace':
          return (v as TraceRecord[]).map(traceRecord);
        default:
          return plain(v);
      }
    });
  };

  const { scenarios: s, expectations: e } = countResults(summary);
  const doc: Loose = { schemaVersion: JSON_SCHEMA_VERSION, tool: 'kuberehearse' };
  if (options.seed !== undefined) doc.seed = options.seed;
  doc.summary = {
    total: s.total,
    passed: s.passed,
    failed: s.failed,
    errors: s.errors,
    todo: s.todo,
    expectations: { total: e.total, passed: e.passed, failed: e.failed, todo: e.todo },
  };
  doc.scenarios = summary.scenarios.map(scenario);
  return doc;
}

/** The document as written: 2-space indentation and a trailing newline. */
export function renderJsonReport(summary: RunSummary, options: { cwd: string; trace: boolean; seed?: number }): string {
  return JSON.stringify(buildJsonReport(summary, options) as Json, null, 2) + '\n';
}

export function createJsonReporter(ctx: ReporterContext): Reporter {
  const opts = ctx.options as JsonReporterOptions;
  let seed: number | undefined;
  return {
    onRunStart(info) {
      seed = info.seed;
    },
    onRunEnd(summary) {
      ctx.write(renderJsonReport(summary, { cwd: ctx.cwd, trace: opts.trace === true, seed }));
    },
  };
}
