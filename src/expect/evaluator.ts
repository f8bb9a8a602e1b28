// The four temporal operators, evaluated exactly over the states the cluster passes through:
// `always`/`never` are re-checked after every event that changed a kind the subject reads
// (so "never" means at no state in the window, not at sampled instants); `within` succeeds at
// the first state that satisfies it; `at` looks at the state once everything scheduled at that
// virtual millisecond has run.

import type { CompiledExpectation } from '../scenario/model.js';
import type { ExpectationResult, Transition } from '../result.js';
import type { ApiServer } from '../api/server.js';
import type { Trace } from '../engine/trace.js';
import { snapshotFor, type Outcome } from './subjects.js';
import { formatDuration } from '../util/duration.js';
import type { KubeObject } from '../api/types.js';

interface State {
  exp: CompiledExpectation;
  decided?: { passed: boolean; at: number; outcome?: Outcome; reason?: string };
  /** window for within/always/never once known */
  windowStart?: number;
  windowEnd?: number;
  needsEval: boolean;
  lastOk?: boolean;
  becameTrueAt?: number;
  becameFalseAt?: number;
  /** the snapshot, transitions and outcome captured at the deciding instant */
  story?: Pick<ExpectationResult, 'snapshot' | 'transitions'>;
  /** the latest outcome while undecided: what a window that closes reports */
  lastOutcome?: Outcome;
}

export class ExpectationEvaluator {
  private readonly states: State[];
  /** the last instant checkpoint() ran at: each instant is checked once */
  private lastCheckpoint = -1;

  constructor(
    expectations: CompiledExpectation[],
    private readonly api: ApiServer,
    private readonly trace: Trace,
  ) {
    this.states = expectations.map((exp) => {
      const s: State = { exp, needsEval: false };
      const t = exp.temporal;
      if (t.op === 'within' && !t.afterStep) {
        s.windowStart = 0;
        s.windowEnd = t.d;
        s.needsEval = true;
      } else if (t.op === 'always' || t.op === 'never') {
        s.windowStart = t.from;
        s.windowEnd = t.until;
      }
      return s;
    });
  }

  private get now(): number {
    return this.api.sim.now;
  }

  /** Set when a step opened a window: the runner's planned next checkpoint may be too late. */
  checkpointsMoved = false;

  /** A named step ran: `within ... after: <step>` windows open now. */
  stepRan(name: string | undefined): void {
    if (!name) return;
    for (const s of this.states) {
      const t = s.exp.temporal;
      if (t.op === 'within' && t.afterStep === name && s.windowStart === undefined) {
        s.windowStart = this.now;
        s.windowEnd = this.now + t.d;
        s.needsEval = true;
        this.checkpointsMoved = true;
      }
    }
  }

  /** After an event: re-check the expectations whose window is open and whose kinds changed. */
  afterEvent(dirtyKinds: ReadonlySet<string>): void {
    const now = this.now;
    for (const s of this.states) {
      if (s.decided) continue;
      const op = s.exp.temporal.op;
      if (op === 'at' || op === 'end') continue;
      if (s.windowStart === undefined || now < s.windowStart) continue;
      if (s.windowEnd !== undefined && now > s.windowEnd) continue;
      const kinds = s.exp.subject.kinds;
      const relevant = s.needsEval || kinds === 'all' || kinds.some((k) => dirtyKinds.has(k));
      if (!relevant) continue;
      s.needsEval = false;
      this.check(s);
    }
  }

  /** Times at which the runner must stop and call checkpoint(): at-times, window ends and starts. */
  nextCheckpoint(after: number): number | undefined {
    let best: number | undefined;
    const consider = (t: number | undefined) => {
      if (t === undefined || t < after || t <= this.lastCheckpoint) return;
      if (best === undefined || t < best) best = t;
    };
    for (const s of this.states) {
      if (s.decided) continue;
      const t = s.exp.temporal;
      if (t.op === 'at') consider(t.t);
      else if (t.op !== 'end') {
        consider(s.windowStart);
        consider(s.windowEnd);
      }
    }
    return best;
  }

  /** The state has settled at `now`: decide what is due at this instant. */
  checkpoint(): void {
    const now = this.now;
    this.lastCheckpoint = now;
    for (const s of this.states) {
      if (s.decided) continue;
      const t = s.exp.temporal;
      if (t.op === 'at') {
        if (t.t === now) {
          const o = s.exp.subject.evaluate({ api: this.api, now });
          this.decide(s, o.ok, o);
        }
        continue;
      }
      if (t.op === 'end') continue;
      if (s.windowStart === undefined || now < s.windowStart) continue;
      if (now === s.windowStart || s.needsEval) {
        s.needsEval = false;
        this.check(s);
        if (s.decided) continue;
      }
      if (s.windowEnd !== undefined && now >= s.windowEnd) this.closeWindow(s);
    }
  }

  /** The run ended (or stopped early with `reason`): decide everything still open. */
  finish(reason?: string): void {
    const now = this.now;
    for (const s of this.states) {
      if (s.decided) continue;
      const t = s.exp.temporal;
      if (t.op === 'at') {
        this.decide(s, false, undefined, reason ?? `the run ended at ${formatDuration(now)}, before ${formatDuration(t.t)}`);
      } else if (t.op === 'end') {
        if (reason) this.decide(s, false, undefined, reason);
        else {
          const o = s.exp.subject.evaluate({ api: this.api, now });
          this.decide(s, o.ok, o);
        }
      } else if (s.windowStart === undefined || now < s.windowStart) {
        const why = t.op === 'within' && t.afterStep ? `step "${t.afterStep}" never ran` : `the run ended at ${formatDuration(now)}, before the window opened`;
        this.decide(s, false, undefined, reason ?? why);
      } else if (reason && (t.op === 'within' || (s.windowEnd !== undefined && now < s.windowEnd))) {
        this.decide(s, false, s.lastOutcome, `the run stopped at ${formatDuration(now)} before the window closed: ${reason}`);
      } else {
        this.closeWindow(s);
      }
    }
  }

  private check(s: State): void {
    const now = this.now;
    const o = s.exp.subject.evaluate({ api: this.api, now });
    // a transition is a change from a previous evaluation; the first one only sets the baseline,
    // except that a condition true from the start "held from" then
    if (o.ok !== s.lastOk) {
      if (o.ok) s.becameTrueAt = now;
      else if (s.lastOk !== undefined) s.becameFalseAt = now;
      s.lastOk = o.ok;
    }
    const op = s.exp.temporal.op;
    if (op === 'within' && o.ok) this.decide(s, true, o);
    else if (op === 'always' && !o.ok) this.decide(s, false, o);
    else if (op === 'never' && o.ok) this.decide(s, false, o, undefined, true);
    // no story while a `within` waits: a failure is decided with the last outcome, and decide()
    // tells the story of that outcome at the deciding instant
    if (!s.decided) s.lastOutcome = o;
  }

  private closeWindow(s: State): void {
    const op = s.exp.temporal.op;
    const last = s.lastOutcome;
    if (op === 'within') {
      const d = (s.exp.temporal as { d: number }).d;
      this.decide(s, false, last, `did not hold within ${formatDuration(d)}${last?.message ? `: at ${formatDuration(this.now)} ${last.message}` : ''}`);
    } else {
      this.decide(s, true, last);
    }
  }

  private decide(s: State, passed: boolean, o?: Outcome, reason?: string, invert = false): void {
    const now = this.now;
    s.decided = { passed, at: now, outcome: o, reason };
    if (!passed && o) s.story = { snapshot: snapshotFor(o, now), transitions: this.transitions(o) };
    if (invert && o) s.decided.reason = `held at ${formatDuration(now)} but must never hold`;
    this.trace.add({ t: now, type: 'check', expectation: s.exp.index, name: s.exp.name, outcome: passed ? 'passed' : 'failed', ...(passed ? {} : { message: s.decided.reason ?? o?.message }) });
  }

  private transitions(o: Outcome): Transition[] {
    if (!o.involved) return [];
    const out: Transition[] = [];
    const objs: KubeObject[] = o.involved.objects.slice(0, 5);
    for (const obj of objs) {
      for (const r of this.trace.transitionsOf(obj.kind, obj.metadata.namespace, obj.metadata.name!, this.now, 4)) {
        const text = r.type === 'object' ? `${r.op}${r.summary ? ` ${r.summary}` : ''}` : r.type === 'event' ? `${r.eventType} ${r.reason}: ${r.message}` : '';
        out.push({ t: r.t, object: `${obj.kind.toLowerCase()}/${obj.metadata.name}`, text });
      }
    }
    return out.sort((a, b) => a.t - b.t).slice(-10);
  }

  results(): ExpectationResult[] {
    return this.states.map((s) => {
      const e = s.exp;
      const d = s.decided!;
      const o = d.outcome;
      const r: ExpectationResult = {
        index: e.index,
        name: e.name,
        source: e.source,
        temporal: describeTemporal(e),
        subject: e.subject.describe,
        status: e.todo ? 'todo' : d.passed ? 'passed' : 'failed',
        decidedAt: d.at,
      };
      if (e.todo) r.todo = e.todo;
      if (s.becameTrueAt !== undefined) r.becameTrueAt = s.becameTrueAt;
      if (s.becameFalseAt !== undefined) r.becameFalseAt = s.becameFalseAt;
      if (!d.passed) {
        r.message = d.reason ?? o?.message ?? 'did not hold';
        if (o?.mismatches && o.mismatches.length) r.mismatches = o.mismatches;
        if (o?.nearMiss) r.nearMiss = o.nearMiss;
        if (s.story?.snapshot) r.snapshot = s.story.snapshot;
        if (s.story?.transitions?.length) r.transitions = s.story.transitions;
      } else if (e.todo) {
        r.message = 'passes now: remove its todo';
      }
      return r;
    });
  }
}

export function describeTemporal(e: Pick<CompiledExpectation, 'temporal'>): string {
  const t = e.temporal;
  switch (t.op) {
    case 'at':
      return `at ${formatDuration(t.t)}`;
    case 'within':
      return `within ${formatDuration(t.d)}${t.afterStep ? ` after ${t.afterStep}` : ''}`;
    case 'end':
      return 'at the end of the run';
    case 'always':
    case 'never': {
      const from = t.from ? ` from ${formatDuration(t.from)}` : '';
      const until = t.until !== undefined ? ` until ${formatDuration(t.until)}` : '';
      return `${t.op}${from}${until}`;
    }
  }
}
