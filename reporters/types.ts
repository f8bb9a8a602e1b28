// The reporter contract. This is public API: the built-in reporters implement it, and so do
// third-party reporters loaded with `--reporter ./path/to/module.js`.

import type { RunSummary, ScenarioResult } from '../src/result.js';

export type { RunSummary, ScenarioResult } from '../src/result.js';

/**
 * What the runner gives a reporter when it creates it.
 *
 * A reporter never writes to `process.stdout` itself: it calls {@link ReporterContext.write}, which
 * the runner points at the terminal or at the reporter's output file (`--output-file.<name>`).
 * That keeps several reporters usable at once and makes reporters testable.
 */
export interface ReporterContext {
  /**
   * Append text to the reporter's output. Text is written as given: include the `\n`.
   * @example ctx.write('3 passed, 0 failed\n')
   */
  write(text: string): void;
  /** Whether ANSI colours may be used (already resolves `--color`, `NO_COLOR`, `FORCE_COLOR`). */
  color: boolean;
  /** Whether the output is an interactive terminal (progress redraws are allowed only then). */
  isTTY: boolean;
  /** The directory the run started in; paths in results are shown relative to it. */
  cwd: string;
  /**
   * Reporter-specific options from the config file or the CLI, untyped because each reporter
   * defines its own (see `TerminalReporterOptions`, `JsonReporterOptions`).
   * @example { passWithNoTests: true }
   */
  options: Record<string, unknown>;
}

/**
 * Lifecycle hooks a reporter implements. Only {@link Reporter.onRunEnd} is required.
 *
 * Order: `onRunStart` once, then for each scenario `onScenarioStart` and `onScenarioEnd`
 * (scenarios may interleave when they run in parallel), then `onRunEnd` once with every result.
 * `onRunEnd` receives the complete summary, so a reporter that only writes a final document
 * (json, junit) needs nothing else. The runner awaits `onRunEnd` before exiting.
 *
 * Results contain virtual (simulated) times only, never wall-clock times, so a reporter that
 * prints only what it is given produces identical output for identical input.
 *
 * @example
 * ```ts
 * import type { ReporterFactory } from 'kuberehearse/reporters';
 * const factory: ReporterFactory = (ctx) => ({
 *   onRunEnd(summary) {
 *     ctx.write(`${summary.passed} passed\n`);
 *   },
 * });
 * export default factory;
 * ```
 */
export interface Reporter {
  /** Before any scenario runs. `seed` is the run seed when one was given or generated. */
  onRunStart?(info: { files: string[]; seed?: number }): void;
  /** A scenario is about to run. `file` is the scenario file path as the runner found it. */
  onScenarioStart?(file: string, name: string): void;
  /** A scenario finished (passed, failed, errored or was skipped as todo). */
  onScenarioEnd?(result: ScenarioResult): void;
  /** Every scenario has finished; `summary.scenarios` holds all results in a stable order. */
  onRunEnd(summary: RunSummary): void | Promise<void>;
}

/**
 * A module's default export, for custom reporters: called once per run.
 * @example export default (ctx) => ({ onRunEnd(summary) { ctx.write(JSON.stringify(summary)) } })
 */
export type ReporterFactory = (ctx: ReporterContext) => Reporter;
