// A generated timeline and the run it becomes. A timeline is the engine's run seed (drawn by
// fast-check, never shrunk: it is the randomness of the simulated cluster), the fault occurrences
// with their instants, and the latencies a latencyJitter re-drew. Faults are merged into the
// scenario's own steps by time, as `at:` steps, exactly where a counterexample file puts them, so
// the fuzz run and the written file play the same step list.

import fc from 'fast-check';
import type { Timing } from '../engine/cluster.js';
import type { CompiledScenario, CompiledStep } from '../scenario/model.js';
import type { ScenarioResult } from '../result.js';
import { jitterArbitrary, type FaultParams, type ResolvedFault } from './faults.js';
import { TIME_RESOLUTION_MS, type FuzzSpec } from './spec.js';

export interface FaultOccurrence {
  kind: string;
  /** virtual ms */
  at: number;
  params: FaultParams;
}

export interface Timeline {
  seed: number;
  faults: FaultOccurrence[];
  timing: Partial<Timing>;
}

export function timelineArbitrary(spec: FuzzSpec): fc.Arbitrary<Timeline> {
  const slots = Math.floor((spec.window.until - spec.window.from) / TIME_RESOLUTION_MS);
  const at = fc.integer({ min: 0, max: Math.max(0, slots) }).map((k) => spec.window.from + k * TIME_RESOLUTION_MS);
  // one array per kind, so each kind's budget is its maxLength; arrays shrink toward fewer
  // occurrences and each instant toward the window's start: fewest and earliest events
  const perKind = spec.faults.map((f) => fc.array(fc.record({ at, params: f.params }), { maxLength: f.max }));
  return fc.record({
    seed: fc.noShrink(fc.integer({ min: 0, max: 0x7fffffff })),
    faults: fc.tuple(...perKind).map((lists) => sortOccurrences(lists.flatMap((l, i) => l.map((o) => ({ kind: spec.faults[i].kind, at: o.at, params: o.params }))), spec)),
    timing: spec.jitter ? jitterArbitrary(spec.jitter) : fc.constant({}),
  });
}

/** By instant, then by the order of the kinds in `fuzz.faults` (a stable sort keeps the rest). */
function sortOccurrences(list: FaultOccurrence[], spec: FuzzSpec): FaultOccurrence[] {
  const order = new Map(spec.faults.map((f, i) => [f.kind, i]));
  return [...list].sort((a, b) => a.at - b.at || order.get(a.kind)! - order.get(b.kind)!);
}

/** A generated step of a run, and what it became when the run reached it. */
export interface GeneratedStep {
  index: number;
  occurrence: FaultOccurrence;
  resolved?: ResolvedFault;
  skipped?: string;
}

export interface PreparedRun {
  scenario: CompiledScenario;
  generated: GeneratedStep[];
  /** the merged step list: the scenario's own step (its index in `steps:`) or a generated one */
  order: ({ original: number } | { generated: GeneratedStep })[];
}

/**
 * The scenario a timeline runs: its faults inserted before the first of the scenario's own
 * `at:` steps that comes later (never before an `after:` step, whose start would move), the
 * re-drawn latencies, the run seed, and the fuzz duration when the scenario sets none.
 */
export function prepareRun(base: CompiledScenario, spec: FuzzSpec, tl: Timeline): PreparedRun {
  const generated: GeneratedStep[] = [];
  const order: PreparedRun['order'] = [];
  const merged: (CompiledStep | FaultOccurrence)[] = [];
  const pending = [...tl.faults];
  for (const st of base.steps) {
    if (st.at !== undefined) while (pending.length && pending[0].at < st.at) merged.push(pending.shift()!);
    merged.push(st);
  }
  merged.push(...pending);
  const steps: CompiledStep[] = merged.map((x, index) => {
    if ('action' in x) {
      order.push({ original: x.index });
      return { ...x, index };
    }
    const g: GeneratedStep = { index, occurrence: x };
    generated.push(g);
    order.push({ generated: g });
    const fault = spec.faults.find((f) => f.kind === x.kind)!;
    return {
      index,
      source: spec.source,
      at: x.at,
      description: `fuzz ${x.kind}`,
      action: {
        type: 'generated',
        resolve: (cluster) => {
          const r = fault.resolve(x.params, cluster);
          if (typeof r === 'string') {
            g.skipped = r;
            return r;
          }
          g.resolved = r;
          return { description: r.description, action: r.action };
        },
      },
    };
  });
  return {
    scenario: {
      ...base,
      seed: tl.seed,
      duration: base.duration ?? spec.runDuration,
      cluster: { ...base.cluster, timing: { ...base.cluster.timing, ...tl.timing } },
      steps,
    },
    generated,
    order,
  };
}

/** A property a run broke: a built-in invariant, one of the scenario's properties, or a run error. */
export interface BrokenProperty {
  name: string;
  kind: 'invariant' | 'expectation' | 'error';
  message: string;
  /** virtual ms */
  at?: number;
  /** the scenario expectation's index (kind 'expectation') */
  expectation?: number;
}

/**
 * The expectations fuzzing holds a run to: every `always:`/`never:` expectation (a statement about
 * every instant) and every expectation named in `invariants:`. `at:`/`within:` expectations
 * describe the scripted timeline, which faults change on purpose, so they are not properties.
 */
export function propertyExpectations(s: CompiledScenario): Set<number> {
  const out = new Set<number>();
  for (const e of s.expectations) if (!e.todo && (e.temporal.op === 'always' || e.temporal.op === 'never')) out.add(e.index);
  for (const i of s.invariants) if (i.expectation !== undefined && !s.expectations[i.expectation]?.todo) out.add(i.expectation);
  return out;
}

export function brokenProperties(s: CompiledScenario, result: ScenarioResult): BrokenProperty[] {
  if (result.status === 'error') return [{ name: 'run', kind: 'error', message: result.error?.message ?? 'the run stopped with an error' }];
  const props = propertyExpectations(s);
  const out: BrokenProperty[] = [];
  for (const r of result.expectations) {
    if (r.status !== 'failed') continue;
    if (r.index >= s.expectations.length) out.push({ name: r.name.replace(/^invariant /, ''), kind: 'invariant', message: r.message ?? '', at: r.decidedAt });
    else if (props.has(r.index)) out.push({ name: r.name, kind: 'expectation', message: r.message ?? '', at: r.decidedAt, expectation: r.index });
  }
  return out;
}
