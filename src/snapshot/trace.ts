// A trace normalised for a golden file (`snapshot: true`): one line per record, in the engine's
// order (already deterministic: virtual time, then the order the run loop produced), keeping
// what a behaviour is made of and dropping what churns without a behaviour changing:
// - resourceVersions (`rv`): one extra internal write shifts every later number; the line that
//   caused the shift shows up as its own added line instead;
// - absolute paths: the scenario's folder and the working directory become `<dir>` and `<cwd>`,
//   so the file is the same on every machine and checkout;
// - wall-clock time: there is none, every time in a trace is virtual.
// A record becomes a single line (newlines escaped), so a diff of two traces is a line diff.

import path from 'node:path';
import type { TraceRecord } from '../engine/trace.js';
import { formatDuration } from '../util/duration.js';

export interface NormaliseContext {
  /** the scenario file (absolute or relative to cwd) */
  file: string;
  /** the working directory paths in messages may be relative to */
  cwd: string;
}

type Loose = Record<string, unknown>;

const ref = (r: Loose): string => `${r.kind as string} ${r.namespace !== undefined ? `${r.namespace as string}/` : ''}${r.name as string}`;
const opt = (v: unknown, prefix = ': '): string => (v === undefined || v === '' ? '' : `${prefix}${String(v)}`);

/** Fields each known record type prints in its own words; anything else is appended as JSON. */
const SHOWN: Record<string, (r: Loose) => string> = {
  object: (r) => `${r.op as string} ${ref(r)}${opt(r.summary)}`,
  event: (r) => `event ${ref(r)} ${r.eventType as string} ${r.reason as string}${opt(r.message)}`,
  step: (r) => `step ${(r.index as number) + 1}${r.name !== undefined ? ` "${r.name as string}"` : ''} ${r.action as string} -> ${r.outcome as string}${opt(r.message)}`,
  check: (r) => `check ${(r.expectation as number) + 1} "${r.name as string}" ${r.outcome as string}${opt(r.message)}`,
  note: (r) => `note ${r.message as string}`,
};
const CONSUMED: Record<string, readonly string[]> = {
  object: ['op', 'kind', 'namespace', 'name', 'summary'],
  event: ['kind', 'namespace', 'name', 'eventType', 'reason', 'message'],
  step: ['index', 'name', 'action', 'outcome', 'message'],
  check: ['expectation', 'name', 'outcome', 'message'],
  note: ['message'],
};
const DROPPED = new Set(['t', 'type', 'rv']);

/** Sorted keys at every level, so the JSON of equal values is equal text. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const out: Loose = {};
    for (const k of Object.keys(v as Loose).sort()) out[k] = (v as Loose)[k];
    return out;
  });
}

export function normaliseTraceLine(record: TraceRecord, ctx: NormaliseContext): string {
  const r = record as unknown as Loose;
  const type = String(r.type);
  const shown = SHOWN[type];
  const consumed = new Set(CONSUMED[type] ?? []);
  const rest: Loose = {};
  for (const k of Object.keys(r).sort()) if (!DROPPED.has(k) && !consumed.has(k) && r[k] !== undefined) rest[k] = r[k];
  const head = shown ? shown(r) : type;
  const tail = Object.keys(rest).length > 0 ? ` ${stableJson(rest)}` : '';
  return scrubPaths(`${formatDuration(r.t as number)} ${head}${tail}`, ctx).replace(/\r?\n/g, '\\n');
}

export function normaliseTrace(records: readonly TraceRecord[], ctx: NormaliseContext): string[] {
  return records.map((r) => normaliseTraceLine(r, ctx));
}

/** Absolute paths of the scenario's folder and of the working directory, longest first. */
function scrubPaths(line: string, ctx: NormaliseContext): string {
  const dir = path.dirname(path.resolve(ctx.cwd, ctx.file));
  const cwd = path.resolve(ctx.cwd);
  const pairs: [string, string][] = [
    [dir, '<dir>'],
    [cwd, '<cwd>'],
  ];
  pairs.sort((a, b) => b[0].length - a[0].length);
  let out = line;
  for (const [abs, token] of pairs) if (abs !== path.parse(abs).root) out = out.split(abs).join(token);
  return out;
}
