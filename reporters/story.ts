// Failure stories as plain text (no colour), shared by the file reporters (junit bodies, the
// GitHub job summary, the html page). The terminal reporter tells the same story with colour;
// this is its uncoloured twin, so every report explains a failure the same way.

import type { ExpectationResult, ScenarioResult, Snapshot, StepResult, Transition } from '../src/result.js';
import { formatVirtual, renderTable } from './terminal.js';
import { displayPath, formatSource } from './util.js';

/** The one line that says what went wrong: the message, else the first mismatch. */
export function expectationHeadline(e: ExpectationResult): string {
  const first = e.message ?? e.mismatches?.[0];
  return firstLine(first ?? 'failed (no details were recorded)');
}

export function firstLine(text: string): string {
  return text.split('\n')[0];
}

/** "at 1m30s, held from 10s, stopped holding at 1m2.5s" */
export function decidedText(e: ExpectationResult): string {
  const decided = [`at ${formatVirtual(e.decidedAt)}`];
  if (e.becameTrueAt !== undefined) decided.push(`held from ${formatVirtual(e.becameTrueAt)}`);
  if (e.becameFalseAt !== undefined) decided.push(`stopped holding at ${formatVirtual(e.becameFalseAt)}`);
  return decided.join(', ');
}

export function snapshotLines(s: Snapshot): string[] {
  const head = `snapshot at ${formatVirtual(s.at)} (${s.kind}):`;
  if (s.rows.length === 0) return [head, '  No resources found.'];
  return [head, ...renderTable(s.columns, s.rows).map((l) => `  ${l}`)];
}

export function transitionLines(ts: Transition[]): string[] {
  const width = (s: string): number => [...s].length;
  const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)));
  const times = ts.map((t) => `+${formatVirtual(t.t)}`);
  const tw = Math.max(...times.map(width));
  const ow = Math.max(...ts.map((t) => width(t.object)));
  return ['last transitions:', ...ts.map((t, i) => `  ${pad(times[i], tw)} ${pad(t.object, ow)}  ${t.text}`.trimEnd())];
}

/**
 * Everything known about a failed (or todo) expectation, one fact per line: when it is checked,
 * on what, when it was decided, every mismatch (not only the first), the near miss, the
 * kubectl-style snapshot and the last transitions.
 */
export function expectationStory(e: ExpectationResult): string[] {
  const lines = [`when:    ${e.temporal}`, `subject: ${e.subject}`, `decided: ${decidedText(e)}`];
  const mismatches = e.mismatches ?? [];
  // a message that only repeats the first mismatch is not printed twice
  if (e.message !== undefined && !(mismatches.length > 0 && e.message === mismatches[0])) lines.push(...e.message.split('\n'));
  for (const m of mismatches) {
    const [first, ...rest] = m.split('\n');
    lines.push(`- ${first}`, ...rest.map((l) => (l === '' ? '' : `  ${l}`)));
  }
  if (e.message === undefined && mismatches.length === 0 && e.status === 'failed') lines.push('failed (no details were recorded)');
  if (e.nearMiss !== undefined) lines.push(`near miss: ${e.nearMiss}`);
  if (e.snapshot !== undefined) lines.push(...snapshotLines(e.snapshot));
  if (e.transitions !== undefined && e.transitions.length > 0) lines.push(...transitionLines(e.transitions));
  return lines;
}

/** "step 2 "bump image": kubectl set image ... at 30s" */
export function stepTitle(s: StepResult): string {
  const name = s.name !== undefined ? ` ${JSON.stringify(s.name)}` : '';
  const at = s.at !== undefined ? ` at ${formatVirtual(s.at)}` : '';
  return `step ${s.index + 1}${name}: ${s.action}${at}`;
}

export function stepStory(s: StepResult): string[] {
  return [stepTitle(s), ...(s.message !== undefined ? s.message.split('\n') : ['the step failed (no message was recorded)'])];
}

/** The error that stopped a scenario, with who to blame for an internal one. */
export function errorStory(r: ScenarioResult, cwd: string): string[] {
  const err = r.error;
  if (err === undefined) return ['the run stopped with an error but recorded no message'];
  const label =
    err.kind === 'internal' ? 'internal error (this is a bug in kuberehearse; please report it with the scenario and seed):' : `${err.kind} error:`;
  const lines = [label, ...err.message.split('\n')];
  if (err.source !== undefined) lines.push(`at ${formatSource(err.source, cwd)}`);
  return lines;
}

/** How to run exactly this scenario again, with the seed it ran with. */
export function rerunCommand(r: ScenarioResult, cwd: string): string {
  const file = displayPath(r.file, cwd);
  const quoted = /^[\w./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
  return `npx kuberehearse run ${quoted} --seed ${r.seed}`;
}

/** Whether a `snapshot: true` scenario's golden-trace check is a failure to show. */
export function snapshotFailed(r: ScenarioResult): boolean {
  const s = r.traceSnapshot;
  return s !== undefined && r.status === 'failed' && (s.status === 'mismatched' || s.status === 'missing');
}

/** "the trace differs from snapshot ...: 3 trace lines differ ..." */
export function snapshotHeadline(r: ScenarioResult): string {
  return r.traceSnapshot?.message ?? 'the trace snapshot check failed';
}

/** A golden-trace failure: the message, the first differing lines (- snapshot, + this run), the hint. */
export function snapshotStory(r: ScenarioResult): string[] {
  const s = r.traceSnapshot;
  if (s === undefined) return [];
  const lines = [snapshotHeadline(r)];
  if (s.diff !== undefined && s.diff.length > 0) lines.push('(- in the snapshot, + in this run)', ...s.diff);
  if (s.hint !== undefined) lines.push(`hint: ${s.hint}`);
  return lines;
}
