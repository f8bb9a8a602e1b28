// The `fuzz:` section of a scenario (DESIGN §3.3), compiled: how many runs, the window in which
// faults happen, and the fault vocabulary with its budgets (src/fuzz/faults.ts).
//
//   fuzz:
//     runs: 200                      # default 100 (--runs overrides)
//     window: 5s..60s                # when faults may happen (default 0s..duration, or last step + 30s, or 60s)
//     settle: 30s                    # how long a run goes on after the window (when no duration:)
//     faults:
//       deletePod: {max: 2, selector: app=web}
//       latencyJitter: {endpointsPropagation: 0s..2s}

import type { SourceRef } from '../result.js';
import type { CompiledStep } from '../scenario/model.js';
import { compileJitter, STEP_FAULTS, type FaultContext, type FuzzCompiler, type JitterSpec, type StepFault } from './faults.js';
import { didYouMean } from '../util/didYouMean.js';

export const DEFAULT_RUNS = 100;
export const DEFAULT_SETTLE_MS = 30_000;
/** fault instants are drawn at this resolution, so counterexamples read "at: 12.3s" */
export const TIME_RESOLUTION_MS = 100;

export interface FuzzSpec {
  runs: number;
  window: { from: number; until: number };
  /** the run's duration when the scenario sets none: the window's end plus `settle` */
  runDuration: number;
  faults: StepFault[];
  jitter?: JitterSpec;
  source: SourceRef;
}

const KEYS = ['runs', 'window', 'settle', 'faults'];

export function compileFuzz(c: FuzzCompiler, raw: any, ctx: FaultContext & { steps: readonly CompiledStep[]; duration?: number }): FuzzSpec | undefined {
  const p = ['fuzz'];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    c.error(p, '`fuzz:` is a mapping: runs, window, settle, faults', 'e.g. fuzz: {faults: {deletePod: {max: 2, selector: app=web}}}');
    return undefined;
  }
  for (const k of Object.keys(raw)) {
    if (!KEYS.includes(k)) c.error([...p, k], `unknown key "${k}" in fuzz:`, `${didYouMean(k, KEYS) ? `did you mean ${didYouMean(k, KEYS)}? ` : ''}allowed: ${KEYS.join(', ')}`);
  }
  const runs = raw.runs ?? DEFAULT_RUNS;
  if (!Number.isInteger(runs) || runs < 1) c.error([...p, 'runs'], `\`runs\` must be a positive whole number, got ${JSON.stringify(raw.runs)}`);
  const lastAt = ctx.steps.reduce<number | undefined>((m, s) => (s.at !== undefined && (m === undefined || s.at > m) ? s.at : m), undefined);
  const defaultUntil = ctx.duration ?? (lastAt !== undefined ? lastAt + 30_000 : 60_000);
  const w = raw.window !== undefined ? c.range([...p, 'window'], raw.window, { min: 0, max: defaultUntil }) : { min: 0, max: defaultUntil };
  if (ctx.duration !== undefined && w.max > ctx.duration) c.error([...p, 'window'], `the fuzz window ends after the scenario's duration`, 'end the window earlier or raise `duration:`');
  const settle = c.duration([...p, 'settle'], raw.settle, DEFAULT_SETTLE_MS)!;
  const faults: StepFault[] = [];
  let jitter: JitterSpec | undefined;
  const rawFaults = raw.faults ?? {};
  if (typeof rawFaults !== 'object' || Array.isArray(rawFaults) || rawFaults === null) {
    c.error([...p, 'faults'], '`faults:` maps fault kinds to their budget and options', 'e.g. faults: {deletePod: {max: 2, selector: app=web}}');
  } else {
    const names = [...STEP_FAULTS.map((f) => f.name), 'latencyJitter'];
    for (const [kind, opts] of Object.entries(rawFaults)) {
      const q = [...p, 'faults', kind];
      if (kind === 'latencyJitter') {
        jitter = compileJitter(c, opts, q);
        continue;
      }
      const def = STEP_FAULTS.find((f) => f.name === kind);
      if (!def) {
        const guess = didYouMean(kind, names);
        c.error(q, `unknown fault "${kind}"`, `${guess ? `did you mean ${guess}? ` : ''}faults: ${names.join(', ')}`);
        continue;
      }
      const f = def.compile(c, opts ?? {}, q, ctx);
      if (f) faults.push(f);
    }
    if (!faults.length && !jitter && Object.keys(rawFaults).length === 0) {
      c.error([...p, 'faults'], '`fuzz:` declares no fault, so every run would be the same', `declare at least one of ${names.join(', ')}`);
    }
  }
  const at = c.pos(p);
  return {
    runs,
    window: { from: w.min, until: w.max },
    runDuration: ctx.duration ?? w.max + settle,
    faults,
    ...(jitter ? { jitter } : {}),
    source: { file: at.file, line: at.line, col: at.col },
  };
}
