// The fuzz runner: fast-check generates timelines for a scenario (src/fuzz/timeline.ts), each is
// run by the ordinary engine, and a run that breaks a property is shrunk to the fewest and
// earliest faults. `fc.check` (never `fc.assert`) returns the run details, which become a report:
// confidence (runs, faults exercised) or a counterexample with the seed and path that replay it.

import fc from 'fast-check';
import type { CompiledScenario } from '../scenario/model.js';
import type { ScenarioResult } from '../result.js';
import { runScenario } from '../engine/run.js';
import { brokenProperties, prepareRun, propertyExpectations, timelineArbitrary, type BrokenProperty, type PreparedRun, type Timeline } from './timeline.js';
import type { FuzzSpec } from './spec.js';

export interface FuzzOptions {
  /** overrides fuzz.runs */
  runs?: number;
  /** fast-check's seed; default: the scenario's seed, so the same command finds the same thing */
  seed?: number;
  /** stop generating after this much wall time (fast-check interruptAfterTimeLimit) */
  timeBudgetMs?: number;
  /** replay one timeline: fast-check's seed and path of a reported counterexample */
  replay?: { seed: number; path: string };
  /** called after every run (generation and shrinking) */
  onProgress?: (p: FuzzProgress) => void;
  /** a wall clock in ms for runs/s and the slowest run; default none (all timings 0) */
  clock?: () => number;
}

export interface FuzzProgress {
  runs: number;
  failures: number;
  shrinks: number;
  shrinking: boolean;
}

export interface FuzzCounterexample {
  timeline: Timeline;
  broken: BrokenProperty[];
  prepared: PreparedRun;
  result: ScenarioResult;
  /** "<seed>:<path>" for --replay */
  replay: string;
}

export interface FuzzReport {
  file: string;
  name: string;
  status: 'passed' | 'failed';
  /** fast-check's seed for this scenario */
  seed: number;
  /** generated timelines run (shrinking runs not counted) */
  runs: number;
  shrinks: number;
  interrupted: boolean;
  /** fault occurrences that ran, by kind, over the generated runs (latencyJitter: runs it re-drew) */
  faults: Record<string, number>;
  /** built-in invariants and the scenario's property expectations checked */
  properties: string[];
  counterexample?: FuzzCounterexample;
  /** wall-clock facts (0 without a clock): not part of the deterministic result */
  timing: { elapsedMs: number; runsPerSecond: number; slowestRunMs: number; slowestRunSeed?: number };
}

export class FuzzError extends Error {}

/** The properties a fuzz run holds the scenario to, by name. */
export function propertyNames(s: CompiledScenario): string[] {
  const props = propertyExpectations(s);
  return [...s.invariants.filter((i) => i.expectation === undefined).map((i) => `invariant ${i.name}`), ...s.expectations.filter((e) => props.has(e.index)).map((e) => e.name)];
}

export function runTimeline(base: CompiledScenario, spec: FuzzSpec, tl: Timeline): { prepared: PreparedRun; result: ScenarioResult; broken: BrokenProperty[] } {
  const prepared = prepareRun(base, spec, tl);
  const result = runScenario(prepared.scenario);
  return { prepared, result, broken: brokenProperties(prepared.scenario, result) };
}

export function fuzzScenario(base: CompiledScenario, opts: FuzzOptions = {}): FuzzReport {
  const spec = base.fuzz;
  if (!spec) throw new FuzzError(`${base.file}: the scenario has no \`fuzz:\` section: nothing to generate`);
  const properties = propertyNames(base);
  if (!properties.length) throw new FuzzError(`${base.file}: the scenario has no property to fuzz: add \`invariants:\` (e.g. [replicaCount]) or an \`always:\`/\`never:\` expectation`);
  const clock = opts.clock ?? (() => 0);
  const seed = opts.replay?.seed ?? opts.seed ?? base.seed;
  const faults: Record<string, number> = Object.fromEntries([...spec.faults.map((f) => [f.kind, 0]), ...(spec.jitter ? [['latencyJitter', 0]] : [])]);
  let runs = 0;
  let failures = 0;
  let shrinks = 0;
  let shrinking = false;
  let slowest = { ms: 0, seed: undefined as number | undefined };
  const started = clock();

  const property = fc.property(timelineArbitrary(spec), (tl) => {
    const t0 = clock();
    const { prepared, result, broken } = runTimeline(base, spec, tl);
    const ms = clock() - t0;
    if (shrinking) shrinks++;
    else {
      runs++;
      if (ms > slowest.ms) slowest = { ms, seed: tl.seed };
      for (const g of prepared.generated) if (g.resolved && result.steps[g.index]?.outcome === 'ok') faults[g.occurrence.kind]++;
      if (spec.jitter) faults.latencyJitter++;
    }
    if (broken.length) {
      failures++;
      shrinking = true;
    }
    opts.onProgress?.({ runs, failures, shrinks, shrinking });
    return broken.length === 0;
  });

  const details = fc.check(property, {
    seed,
    numRuns: opts.replay ? 1 : opts.runs ?? spec.runs,
    ...(opts.replay ? { path: opts.replay.path, endOnFailure: true } : {}),
    ...(opts.timeBudgetMs !== undefined ? { interruptAfterTimeLimit: opts.timeBudgetMs, markInterruptAsFailure: false } : {}),
  });
  const elapsedMs = clock() - started;
  const timing = { elapsedMs, runsPerSecond: elapsedMs > 0 ? (runs * 1000) / elapsedMs : 0, slowestRunMs: slowest.ms, ...(slowest.seed !== undefined ? { slowestRunSeed: slowest.seed } : {}) };
  const report: FuzzReport = { file: base.file, name: base.name, status: 'passed', seed, runs, shrinks, interrupted: details.interrupted, faults, properties, timing };
  if (!details.failed) return report;
  if (details.errorInstance && details.counterexample === null) throw details.errorInstance;
  if (!details.counterexample) {
    // a property that threw (a bug in the simulator) rather than returned false
    throw details.errorInstance ?? new Error(`fuzz: fast-check failed without a counterexample`);
  }
  const tl = details.counterexample[0];
  const again = runTimeline(base, spec, tl);
  if (!again.broken.length) {
    // the property threw on this timeline: surface the error, it is a bug
    throw details.errorInstance ?? new Error('fuzz: the shrunk counterexample did not fail when run again (nondeterminism)');
  }
  report.status = 'failed';
  report.counterexample = { timeline: tl, broken: again.broken, prepared: again.prepared, result: again.result, replay: `${details.seed}:${details.counterexamplePath}` };
  return report;
}

/** "<seed>:<path>" as printed for --replay. */
export function parseReplay(text: string): { seed: number; path: string } | undefined {
  const m = /^(-?\d+):([0-9:]+)$/.exec(text.trim());
  return m ? { seed: Number(m[1]), path: m[2] } : undefined;
}
