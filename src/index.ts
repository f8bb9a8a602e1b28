// The library API: load, compile and run scenarios from code, e.g. inside a user's own vitest
// suite:
//
//   import { loadScenario, run } from 'kuberehearse';
//   const result = run(loadScenario('scenarios/rollout.scenario.yaml'));
//   expect(result.status).toBe('passed');
//
// Everything here is deterministic: the same scenario and seed give the same result.

import { loadScenarioFile, loadScenarioText, discoverScenarioFiles, schemaJson } from './scenario/load.js';
import { compileScenario } from './scenario/compile.js';
import { runScenario, type RunOptions } from './engine/run.js';
import type { CompiledScenario } from './scenario/model.js';
import type { ScenarioResult } from './result.js';

export type { CompiledScenario } from './scenario/model.js';
export type { ScenarioResult, ExpectationResult, StepResult, RunSummary, Snapshot, Transition, SourceRef, Status, TraceSnapshotCheck } from './result.js';
export type { RunOptions } from './engine/run.js';
export type { Reporter, ReporterContext, ReporterFactory } from '../reporters/types.js';
export { InputError, formatDiagnostic, type Diagnostic } from './scenario/diagnostics.js';
export { discoverScenarioFiles, schemaJson };
export { defineConfig, type KuberehearseConfig } from './cli/config.js';

/** Load, validate and compile a scenario file; throws InputError (with file:line:col diagnostics). */
export function loadScenario(file: string): CompiledScenario {
  return compileScenario(loadScenarioFile(file));
}

/** The same from text already in memory; `file` names it and anchors relative manifest paths. */
export function loadScenarioFromText(file: string, text: string): CompiledScenario {
  return compileScenario(loadScenarioText(file, text));
}

/** Run a compiled scenario on a fresh simulated cluster. */
export function run(scenario: CompiledScenario, options: RunOptions = {}): ScenarioResult {
  return runScenario(scenario, options);
}

/** Load and run every scenario under the given paths (default: scenarios/), in file order. */
export async function runAll(paths: string[] = ['scenarios'], options: RunOptions & { cwd?: string } = {}): Promise<ScenarioResult[]> {
  const files = await discoverScenarioFiles(paths, options.cwd ?? process.cwd());
  return files.map((f) => run(loadScenario(f), options));
}
