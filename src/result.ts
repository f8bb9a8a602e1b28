// What a run produces: the contract between the engine/expectations and the reporters.
// Everything here is deterministic (virtual times only), so a JSON report of the same scenario
// and seed is byte-identical between runs.

import type { TraceRecord } from './engine/trace.js';

export type Status = 'passed' | 'failed' | 'error' | 'todo';

export interface SourceRef {
  file: string;
  line: number;
  col: number;
}

/** A kubectl-get-style table of the objects involved, at one virtual instant. */
export interface Snapshot {
  /** virtual ms */
  at: number;
  kind: string;
  columns: string[];
  rows: string[][];
}

export interface Transition {
  /** virtual ms */
  t: number;
  /** e.g. "pod/web-abcde" */
  object: string;
  text: string;
}

export interface ExpectationResult {
  index: number;
  name: string;
  source: SourceRef;
  /** e.g. "at 2m", "within 30s after burst", "always from 10s until 2m", "never" */
  temporal: string;
  /** e.g. "pods app=kubia", "object deployment/kubia", "expr" */
  subject: string;
  status: 'passed' | 'failed' | 'todo';
  /** the reason a todo expectation is not expected to pass yet */
  todo?: string;
  /** the virtual instant that decided the result (ms) */
  decidedAt: number;
  /** first instant the condition held / stopped holding, where known (ms) */
  becameTrueAt?: number;
  becameFalseAt?: number;
  /** one-line summary: "expected ready 3, got 2" */
  message?: string;
  /** every mismatch, one human line each */
  mismatches?: string[];
  /** e.g. "3 pods matched; none Ready; closest web-abc Pending since 12s" */
  nearMiss?: string;
  snapshot?: Snapshot;
  transitions?: Transition[];
}

export interface StepResult {
  index: number;
  name?: string;
  source: SourceRef;
  /** e.g. "kubectl scale deployment kubia --replicas=5" */
  action: string;
  /** virtual ms when it ran; undefined if the run stopped before it */
  at?: number;
  outcome: 'ok' | 'error' | 'not-run';
  message?: string;
  /**
   * `kubectl get|describe` steps: exactly what kubectl would print at that virtual instant
   * (tables, -o yaml/json/name, describe), without a trailing newline.
   */
  view?: string;
}

export interface ScenarioResult {
  file: string;
  name: string;
  tags: string[];
  seed: number;
  status: Status;
  /** the scenario-level todo reason */
  todo?: string;
  /** virtual duration of the run (ms) */
  duration: number;
  /** events the engine processed */
  events: number;
  expectations: ExpectationResult[];
  steps: StepResult[];
  /** an error that stopped the run (invalid scenario, runaway event budget, internal error) */
  error?: { kind: 'input' | 'runtime' | 'internal'; message: string; source?: SourceRef };
  trace?: TraceRecord[];
  /** the golden-trace check of a `snapshot: true` scenario (src/snapshot/store.ts) */
  traceSnapshot?: TraceSnapshotCheck;
}

/**
 * How a `snapshot: true` scenario's trace compared with its golden file. `mismatched`, and
 * `missing` on CI, fail the scenario; `written` and `updated` say the file was (re)written.
 */
export interface TraceSnapshotCheck {
  /** the snapshot file, relative to the working directory */
  file: string;
  status: 'matched' | 'written' | 'updated' | 'mismatched' | 'missing';
  /** where `snapshot: true` is written in the scenario */
  source?: SourceRef;
  /** one line: what is wrong */
  message?: string;
  /** the first differing trace lines (`- ` snapshot, `+ ` this run, `  ` context) */
  diff?: string[];
  /** how many trace lines are only in the snapshot / only in this run */
  removed?: number;
  added?: number;
  hint?: string;
}

export interface RunSummary {
  scenarios: ScenarioResult[];
  passed: number;
  failed: number;
  errors: number;
  todo: number;
}
