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
}

export interface RunSummary {
  scenarios: ScenarioResult[];
  passed: number;
  failed: number;
  errors: number;
  todo: number;
}
