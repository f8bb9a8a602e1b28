// Run scenarios inside a user's own vitest suite:
//
//   // rehearsal.test.ts
//   import { scenarioTests } from 'kuberehearse/vitest';
//   scenarioTests('scenarios/');          // one `it` per scenario file found
//
// or one at a time, inside tests of your own:
//
//   import { expectScenario } from 'kuberehearse/vitest';
//   it('rolls out', () => { expectScenario('scenarios/rollout.scenario.yaml'); });
//
// A failing scenario fails its test with the terminal reporter's failure story (expected vs
// actual, the virtual instant, the kubectl-style table, the last transitions) as the message.
// `snapshot: true` scenarios are checked against their golden traces; `vitest -u` updates them
// and on CI a missing one fails, as vitest does with its own snapshots.

import path from 'node:path';
import { expect, it } from 'vitest';
import { compileScenario } from './scenario/compile.js';
import { discoverScenarioFilesSync } from './scenario/discover.js';
import { InputError, formatDiagnostic } from './scenario/diagnostics.js';
import { loadScenarioFile } from './scenario/load.js';
import type { CompiledScenario } from './scenario/model.js';
import { runScenario } from './engine/run.js';
import type { ScenarioResult } from './result.js';
import { checkSnapshot, isCI } from './snapshot/store.js';
import { createTerminalReporter } from '../reporters/terminal.js';

export type { ScenarioResult } from './result.js';

export interface ScenarioTestOptions {
  /** one seed for every scenario (default: each scenario's own) */
  seed?: number;
  /** where relative paths start (default: process.cwd(), vitest's root) */
  cwd?: string;
  /** rewrite golden traces that differ (default: whether vitest runs with -u) */
  update?: boolean;
  /** a missing golden trace fails instead of being written (default: vitest's CI mode, else CI set) */
  ci?: boolean;
}

/** Thrown by expectScenario: the message is the terminal failure story, without colour. */
export class ScenarioFailure extends Error {
  constructor(
    message: string,
    readonly result: ScenarioResult,
  ) {
    super(message);
    this.name = 'ScenarioFailure';
  }
}

/**
 * vitest's snapshot mode inside a running test: 'all' under -u, 'none' on CI, else 'new'
 * (SnapshotState.snapshotUpdateState, @vitest/snapshot packages/snapshot/src/port/state.ts).
 */
function vitestSnapshotMode(): string | undefined {
  try {
    const state = expect.getState() as unknown as { snapshotState?: { snapshotUpdateState?: unknown } };
    const mode = state.snapshotState?.snapshotUpdateState;
    return typeof mode === 'string' ? mode : undefined;
  } catch {
    return undefined;
  }
}

function inputStory(e: InputError, cwd: string): string {
  return e.diagnostics.map((d) => formatDiagnostic({ ...d, file: path.relative(cwd, path.resolve(cwd, d.file)) || d.file })).join('\n');
}

/** The terminal reporter's "Failures" block for one result (without the summary around it). */
export function failureStory(result: ScenarioResult, cwd: string): string {
  const chunks: string[] = [];
  const reporter = createTerminalReporter({ write: (s) => chunks.push(s), color: false, isTTY: false, cwd, options: {} });
  const failed = result.status === 'failed' ? 1 : 0;
  const errors = result.status === 'error' ? 1 : 0;
  void reporter.onRunEnd({ scenarios: [result], passed: 1 - failed - errors, failed, errors, todo: 0 });
  const lines = chunks.join('').split('\n');
  const start = lines.findIndex((l) => /^Failures \(\d+\)$/.test(l));
  const end = lines.findIndex((l, i) => i > start && /^\s+Scenarios\s/.test(l));
  if (start < 0) return `${result.name}: ${result.status}`;
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

function runCompiled(s: CompiledScenario, options: ScenarioTestOptions, cwd: string): ScenarioResult {
  const result = runScenario(s, { seed: options.seed, trace: s.snapshot !== undefined });
  if (s.snapshot !== undefined) {
    const mode = vitestSnapshotMode();
    checkSnapshot(result, {
      update: options.update ?? mode === 'all',
      ci: options.ci ?? (mode !== undefined ? mode === 'none' : isCI(process.env)),
      cwd,
      source: s.snapshot,
    });
    delete result.trace;
  }
  return result;
}

function assertPassed(result: ScenarioResult, cwd: string): ScenarioResult {
  if (result.status === 'failed' || result.status === 'error') throw new ScenarioFailure(failureStory(result, cwd), result);
  return result;
}

/**
 * Load, run and check one scenario; throws ScenarioFailure (the failure story) unless it passed
 * or is todo, and InputError for an invalid scenario file. Returns the typed result.
 */
export function expectScenario(file: string, options: ScenarioTestOptions = {}): ScenarioResult {
  const cwd = options.cwd ?? process.cwd();
  let compiled: CompiledScenario;
  try {
    compiled = compileScenario(loadScenarioFile(path.resolve(cwd, file)));
  } catch (e) {
    if (e instanceof InputError) e.message = inputStory(e, cwd);
    throw e;
  }
  return assertPassed(runCompiled({ ...compiled, file: path.relative(cwd, compiled.file) || compiled.file }, options, cwd), cwd);
}

/**
 * Declare one vitest `it` per scenario under `paths` (files or folders; default scenarios/),
 * named "file > scenario name" as `kuberehearse run -t` matches. Todo scenarios are `it.todo`;
 * a file that does not load is a test that fails with its file:line:col errors.
 */
export function scenarioTests(paths: string | string[] = 'scenarios', options: ScenarioTestOptions = {}): void {
  const cwd = options.cwd ?? process.cwd();
  const files = discoverScenarioFilesSync(Array.isArray(paths) ? paths : [paths], cwd);
  for (const file of files) {
    let compiled: CompiledScenario;
    try {
      compiled = compileScenario(loadScenarioFile(path.resolve(cwd, file)));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const story = inputStory(e, cwd);
      it(`${file} (invalid)`, () => {
        const err = new InputError(e.diagnostics);
        err.message = story;
        throw err;
      });
      continue;
    }
    const title = `${file} > ${compiled.name}`;
    if (compiled.todo !== undefined) {
      it.todo(`${title} (todo: ${compiled.todo})`);
      continue;
    }
    const scenario = { ...compiled, file };
    it(title, () => {
      assertPassed(runCompiled(scenario, options, cwd), cwd);
    });
  }
}
