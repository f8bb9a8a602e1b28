// The discrete-event core: an integer-millisecond virtual clock and the event queue. Nothing in
// the simulated cluster reads a wall clock; everything that happens is an event here.

import { EventQueue } from './queue.js';
import { Rng } from './rng.js';
import { Trace } from './trace.js';

export class EventBudgetExceeded extends Error {
  constructor(
    readonly budget: number,
    readonly at: number,
    readonly topSources: [string, number][],
  ) {
    super(
      `the scenario scheduled more than ${budget} events by virtual time ${at}ms; ` +
        `the components that kept scheduling events: ${topSources.map(([s, n]) => `${s} (${n})`).join(', ')}`,
    );
    this.name = 'EventBudgetExceeded';
  }
}

export interface Timer {
  cancel(): void;
}

export class Simulation {
  now = 0;
  readonly queue = new EventQueue();
  readonly rng: Rng;
  readonly trace = new Trace();
  /** how many events ran, per source: the runaway diagnosis */
  private readonly eventsBySource = new Map<string, number>();
  private eventsRun = 0;
  private readonly afterEventHooks: (() => void)[] = [];

  constructor(
    seed: number,
    readonly eventBudget = 2_000_000,
  ) {
    this.rng = new Rng(seed);
  }

  /** Run `fn` `delay` ms from now (delay >= 0, integer ms). */
  schedule(delay: number, source: string, fn: () => void): Timer {
    if (!(delay >= 0)) delay = 0;
    return this.queue.push(this.now + Math.ceil(delay), source, fn);
  }

  /**
   * A series of `n` events scheduled one at a time (each run schedules the next, so the queue
   * holds one of them, not n): `reserveSeries` sets aside their places in the order of events, and
   * `scheduleInSeries(time, first + i, ...)` queues the i-th at absolute `time` in its place.
   */
  reserveSeries(n: number): number {
    return this.queue.reserve(n);
  }

  scheduleInSeries(time: number, seq: number, source: string, fn: () => void): Timer {
    return this.queue.pushReserved(time, seq, source, fn);
  }

  scheduleAt(time: number, source: string, fn: () => void): Timer {
    return this.schedule(Math.max(0, time - this.now), source, fn);
  }

  /**
   * `handler(event)` at absolute `time` (as scheduleAt(time, source, () => handler(event)), same
   * time and same place in the order) without a closure per call: the Informer's watch deliveries.
   */
  deliverAt<E>(time: number, source: string, handler: (ev: E) => void, event: E): Timer {
    let delay = time - this.now;
    if (!(delay >= 0)) delay = 0;
    return this.queue.pushDelivery(this.now + Math.ceil(delay), source, handler, event);
  }

  /** `fn(arg)` `delay` ms from now, exactly as schedule(delay, source, () => fn(arg)), without the closure */
  scheduleCall<A>(delay: number, source: string, fn: (arg: A) => void, arg: A): Timer {
    if (!(delay >= 0)) delay = 0;
    return this.queue.pushDelivery(this.now + Math.ceil(delay), source, fn, arg);
  }

  /** Called after every event: used by the expectation evaluator to see every state. */
  onAfterEvent(hook: () => void): void {
    this.afterEventHooks.push(hook);
  }

  /** Time of the next pending event, or undefined. */
  nextEventTime(): number | undefined {
    for (;;) {
      const top = this.queue.peek();
      if (!top) return undefined;
      if (!top.cancelled) return top.time;
      this.queue.pop();
    }
  }

  /**
   * Process events up to and including virtual time `until`; the clock ends at `until`.
   * `stop` is checked after every event: a true result stops early (used by `wait:` steps).
   */
  runUntil(until: number, stop?: () => boolean): void {
    for (;;) {
      const t = this.nextEventTime();
      if (t === undefined || t > until) break;
      const ev = this.queue.pop()!;
      this.now = ev.time;
      this.eventsRun++;
      this.eventsBySource.set(ev.source, (this.eventsBySource.get(ev.source) ?? 0) + 1);
      if (this.eventsRun > this.eventBudget) {
        const top = [...this.eventsBySource.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
        throw new EventBudgetExceeded(this.eventBudget, this.now, top);
      }
      ev.run();
      for (const hook of this.afterEventHooks) hook();
      if (stop && stop()) return;
    }
    if (this.now < until && Number.isFinite(until)) this.now = until;
  }

  get eventCount(): number {
    return this.eventsRun;
  }
}
