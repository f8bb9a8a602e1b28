// Golden traces (`snapshot: true`): the normalised trace of a scenario is kept in
// `__snapshots__/<scenario file name>.snap.json` beside the scenario, as vitest keeps
// `__snapshots__/<test file>.snap` beside a test file. The rules follow vitest's
// (packages/snapshot/src/port/state.ts, SnapshotState.match): a missing snapshot is written on the
// first run, except on CI (`CI` set), where it is a failure, since nothing would keep the file; a
// different trace fails the run until `--update` (`-u`) rewrites it.
// Only a run that passed is recorded: a golden file of a failing run would make the failure the
// expected behaviour.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ScenarioResult, SourceRef, TraceSnapshotCheck } from '../result.js';
import { diffLines, summariseDiff } from './diff.js';
import { normaliseTrace } from './trace.js';

/** The format tag inside every snapshot file; bumped when the line format changes. */
export const SNAPSHOT_FORMAT = 'kuberehearse-trace/v1';

export interface SnapshotFile {
  format: string;
  scenario: string;
  seed: number;
  trace: string[];
}

export interface SnapshotOptions {
  /** `--update`: rewrite a snapshot that differs */
  update: boolean;
  /** on CI a missing snapshot fails instead of being written (vitest's `ci` option) */
  ci: boolean;
  cwd: string;
  /** where `snapshot: true` is written, for annotations on that line */
  source?: SourceRef;
}

/**
 * `CI` set, not empty and not "false". vitest reads it through std-env's isCI, which also knows
 * CI providers by their own variables; `CI` is the one every provider sets.
 */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== 'false';
}

export function snapshotPath(scenarioFile: string): string {
  return path.join(path.dirname(scenarioFile), '__snapshots__', `${path.basename(scenarioFile)}.snap.json`);
}

export function renderSnapshotFile(s: SnapshotFile): string {
  return `${JSON.stringify({ format: s.format, scenario: s.scenario, seed: s.seed, trace: s.trace }, null, 2)}\n`;
}

function readSnapshot(file: string): SnapshotFile | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return `cannot read it: ${(e as Error).message}`;
  }
  try {
    const parsed = JSON.parse(text) as Partial<SnapshotFile>;
    if (parsed.format !== SNAPSHOT_FORMAT || !Array.isArray(parsed.trace)) return `it is not a ${SNAPSHOT_FORMAT} snapshot (format: ${JSON.stringify(parsed.format)})`;
    return parsed as SnapshotFile;
  } catch (e) {
    return `it is not valid JSON: ${(e as Error).message}`;
  }
}

/**
 * Compare (or write) the snapshot of one result, record the outcome in `result.traceSnapshot`, and
 * turn a passed result into a failed one when the snapshot does not match or is missing on CI.
 * Needs `result.trace`; results without one (errors, todo) are left alone.
 */
export function checkSnapshot(result: ScenarioResult, opts: SnapshotOptions): TraceSnapshotCheck | undefined {
  if (result.trace === undefined || result.status === 'error' || result.status === 'todo') return undefined;
  const abs = path.resolve(opts.cwd, result.file);
  const file = snapshotPath(abs);
  const shown = path.relative(opts.cwd, file).split(path.sep).join('/') || file;
  const actual: SnapshotFile = { format: SNAPSHOT_FORMAT, scenario: result.name, seed: result.seed, trace: normaliseTrace(result.trace, { file: abs, cwd: opts.cwd }) };
  const write = (): void => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, renderSnapshotFile(actual));
  };
  const record = (check: TraceSnapshotCheck): TraceSnapshotCheck => (result.traceSnapshot = opts.source ? { ...check, source: opts.source } : check);
  const fail = (check: TraceSnapshotCheck): TraceSnapshotCheck => {
    result.status = 'failed';
    return record(check);
  };
  const passedRun = result.status === 'passed';
  if (!existsSync(file)) {
    if (opts.ci && !opts.update)
      return fail({ file: shown, status: 'missing', message: `no trace snapshot ${shown}, and snapshots are not written on CI (CI is set)`, hint: 'run kuberehearse locally (or with --update) and commit the snapshot' });
    if (!passedRun) return record({ file: shown, status: 'missing', message: `trace snapshot ${shown} not written: the scenario failed`, hint: 'a snapshot records a passing run; fix the failure first' });
    write();
    return record({ file: shown, status: 'written' });
  }
  const stored = readSnapshot(file);
  const expectedLines = typeof stored === 'string' ? [] : stored.trace;
  const ops = diffLines(expectedLines, actual.trace);
  const sum = summariseDiff(ops);
  // the trace is the behaviour: a new name or seed that leaves it the same still matches
  if (sum === undefined && typeof stored !== 'string') return record({ file: shown, status: 'matched' });
  if (opts.update) {
    if (!passedRun) return record({ file: shown, status: 'mismatched', message: `trace snapshot ${shown} not updated: the scenario failed`, hint: 'a snapshot records a passing run; fix the failure first' });
    write();
    return record({ file: shown, status: 'updated' });
  }
  if (typeof stored === 'string')
    return fail({ file: shown, status: 'mismatched', message: `trace snapshot ${shown} is unusable: ${stored}`, hint: 'rewrite it with kuberehearse run --update' });
  const header: string[] = [];
  if (stored.seed !== actual.seed) header.push(`recorded with seed ${stored.seed}, this run used seed ${actual.seed}`);
  if (stored.scenario !== actual.scenario) header.push(`recorded for scenario ${JSON.stringify(stored.scenario)}, this one is named ${JSON.stringify(actual.scenario)}`);
  const n = sum!.removed + sum!.added;
  return fail({
    file: shown,
    status: 'mismatched',
    message: `the trace differs from snapshot ${shown}: ${n} trace line${n === 1 ? ' differs' : 's differ'} (${sum!.removed} removed, ${sum!.added} added), first at line ${sum!.firstLine}`,
    diff: [...header, ...sum!.excerpt],
    removed: sum!.removed,
    added: sum!.added,
    hint: 'if the new behaviour is right, accept it with kuberehearse run --update (-u)',
  });
}
