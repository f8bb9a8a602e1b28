// Checking the built-in invariants of a run at every state it passes through: the run loop
// (src/engine/run.ts) calls afterEvent after each event, with the kinds that changed, and finish
// when the run ends. A monitor is re-checked when one of its kinds changed, when a request
// completed (traffic invariants), or when a grace window it waits on ends (a timer event, so a
// controller that is stuck with nothing else happening is still caught at the right instant).
// Results use the expectation result shape, so every reporter tells their story.

import type { ApiServer } from '../../api/server.js';
import type { Simulation, Timer } from '../../engine/sim.js';
import type { ExpectationResult, Transition } from '../../result.js';
import type { KubeObject } from '../../api/types.js';
import { trafficLog } from '../../network/traffic.js';
import type { Requests } from '../../network/request_log.js';
import { snapshotOf } from '../../expect/tables.js';
import type { CompiledInvariant } from './registry.js';
import { invariantByName } from './registry.js';
import type { InvariantDef, InvariantMonitor, Violation } from './types.js';

interface Slot {
  def: InvariantDef;
  inv: CompiledInvariant;
  index: number;
  monitor: InvariantMonitor;
  kinds: Set<string>;
  due: boolean;
  timer?: { at: number; timer: Timer };
  failed?: { at: number; violation: Violation; snapshot?: ExpectationResult['snapshot']; transitions: Transition[] };
}

export class InvariantChecker {
  private readonly slots: Slot[] = [];
  private requestsSeen = 0;
  private finishedAt?: number;

  /**
   * @param firstIndex index of the first invariant result, after the scenario's expectations
   */
  constructor(
    invariants: readonly CompiledInvariant[],
    private readonly api: ApiServer,
    firstIndex: number,
  ) {
    for (const inv of invariants) {
      const def = invariantByName(inv.name);
      if (!def || inv.expectation !== undefined) continue;
      this.slots.push({ def, inv, index: firstIndex + this.slots.length, monitor: def.create(), kinds: new Set(def.kinds), due: true });
    }
  }

  private get sim(): Simulation {
    return this.api.sim;
  }

  get active(): boolean {
    return this.slots.length > 0;
  }

  afterEvent(dirtyKinds: ReadonlySet<string>): void {
    if (!this.slots.length) return;
    const requests = trafficLog(this.api);
    const newRequests = requests.length !== this.requestsSeen;
    this.requestsSeen = requests.length;
    for (const s of this.slots) {
      if (s.failed) continue;
      let relevant = s.due || (newRequests && !!s.def.traffic);
      if (!relevant) for (const k of dirtyKinds) if (s.kinds.has(k)) relevant = true;
      if (!relevant) continue;
      s.due = false;
      this.check(s, requests);
    }
  }

  /** The run ended: a last look (time may have moved since the last event). */
  finish(): void {
    this.finishedAt = this.sim.now;
    const requests = trafficLog(this.api);
    for (const s of this.slots) {
      s.timer?.timer.cancel();
      if (!s.failed) this.check(s, requests);
    }
  }

  private check(s: Slot, requests: Requests): void {
    const now = this.sim.now;
    const v = s.monitor.check({ api: this.api, now, requests });
    if (v) {
      s.timer?.timer.cancel();
      s.timer = undefined;
      const objects = v.involved?.objects ?? [];
      s.failed = {
        at: now,
        violation: v,
        ...(objects.length ? { snapshot: snapshotOf(v.involved!.kind, objects, now) } : {}),
        transitions: this.transitions(objects, now),
      };
      this.sim.trace.add({ t: now, type: 'check', expectation: s.index, name: `invariant ${s.inv.name}`, outcome: 'failed', message: v.message });
      return;
    }
    const wake = s.monitor.wakeAt?.();
    if (wake === s.timer?.at) return;
    s.timer?.timer.cancel();
    s.timer = undefined;
    if (wake !== undefined && wake > now && this.finishedAt === undefined) {
      s.timer = { at: wake, timer: this.sim.scheduleAt(wake, `invariant/${s.inv.name}`, () => (s.due = true)) };
    }
  }

  private transitions(objects: KubeObject[], now: number): Transition[] {
    const out: Transition[] = [];
    for (const obj of objects.slice(0, 5)) {
      for (const r of this.sim.trace.transitionsOf(obj.kind, obj.metadata.namespace, obj.metadata.name!, now, 4)) {
        const text = r.type === 'object' ? `${r.op}${r.summary ? ` ${r.summary}` : ''}` : r.type === 'event' ? `${r.eventType} ${r.reason}: ${r.message}` : '';
        out.push({ t: r.t, object: `${obj.kind.toLowerCase()}/${obj.metadata.name}`, text });
      }
    }
    return out.sort((a, b) => a.t - b.t).slice(-10);
  }

  results(): ExpectationResult[] {
    return this.slots.map((s) => {
      const r: ExpectationResult = {
        index: s.index,
        name: `invariant ${s.inv.name}`,
        source: s.inv.source,
        temporal: 'always (invariant)',
        subject: `invariant ${s.inv.name}: ${s.def.summary}`,
        status: s.failed ? 'failed' : 'passed',
        decidedAt: s.failed?.at ?? this.finishedAt ?? this.sim.now,
      };
      if (s.failed) {
        r.message = s.failed.violation.message;
        if (s.failed.violation.mismatches?.length) r.mismatches = s.failed.violation.mismatches;
        if (s.failed.snapshot) r.snapshot = s.failed.snapshot;
        if (s.failed.transitions.length) r.transitions = s.failed.transitions;
      }
      return r;
    });
  }
}
