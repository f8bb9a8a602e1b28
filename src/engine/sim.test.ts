import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventBudgetExceeded, Simulation } from './sim.js';

describe('Simulation', () => {
  it('runs events in time order and advances the clock to each event', () => {
    const sim = new Simulation(1);
    const log: string[] = [];
    sim.schedule(30, 'a', () => log.push(`a@${sim.now}`));
    sim.schedule(10, 'b', () => {
      log.push(`b@${sim.now}`);
      // scheduled from inside an event: relative to the event's time
      sim.schedule(5, 'c', () => log.push(`c@${sim.now}`));
    });
    sim.schedule(10, 'd', () => log.push(`d@${sim.now}`));
    sim.runUntil(1000);
    expect(log).toEqual(['b@10', 'd@10', 'c@15', 'a@30']);
    expect(sim.eventCount).toBe(4);
  });

  it('runUntil processes events at the bound, leaves later ones, and ends the clock at `until`', () => {
    const sim = new Simulation(1);
    const log: number[] = [];
    for (const t of [5, 10, 11, 20]) sim.schedule(t, 's', () => log.push(t));
    sim.runUntil(10);
    expect(log).toEqual([5, 10]);
    expect(sim.now).toBe(10);
    sim.runUntil(15);
    expect(log).toEqual([5, 10, 11]);
    expect(sim.now).toBe(15);
    expect(sim.nextEventTime()).toBe(20);
    sim.runUntil(100);
    expect(sim.now).toBe(100);
    expect(sim.nextEventTime()).toBeUndefined();
  });

  it('runUntil(Infinity) stops at the last event without moving the clock to infinity', () => {
    const sim = new Simulation(1);
    sim.schedule(42, 's', () => {});
    sim.runUntil(Infinity);
    expect(sim.now).toBe(42);
  });

  it('rounds delays up to whole milliseconds and treats negative delays as 0', () => {
    const sim = new Simulation(1);
    const at: number[] = [];
    sim.schedule(0.2, 's', () => at.push(sim.now));
    sim.schedule(-5, 's', () => at.push(sim.now));
    sim.scheduleAt(7, 's', () => at.push(sim.now));
    sim.runUntil(10);
    expect(at).toEqual([0, 1, 7]);
    // scheduleAt in the past runs now
    sim.scheduleAt(3, 's', () => at.push(sim.now));
    sim.runUntil(10);
    expect(at).toEqual([0, 1, 7, 10]);
  });

  it('skips cancelled events', () => {
    const sim = new Simulation(1);
    const log: string[] = [];
    const t1 = sim.schedule(5, 's', () => log.push('cancelled'));
    sim.schedule(5, 's', () => log.push('kept'));
    const t2 = sim.schedule(8, 's', () => log.push('cancelled-later'));
    sim.schedule(6, 's', () => t2.cancel());
    t1.cancel();
    sim.runUntil(100);
    expect(log).toEqual(['kept']);
    expect(sim.eventCount).toBe(2);
    expect(sim.nextEventTime()).toBeUndefined();
  });

  it('stop() ends the run after the event that made it true, with the clock at that event', () => {
    const sim = new Simulation(1);
    let n = 0;
    for (const t of [1, 2, 3, 4]) sim.schedule(t, 's', () => n++);
    sim.runUntil(100, () => n === 2);
    expect(n).toBe(2);
    expect(sim.now).toBe(2);
    sim.runUntil(100);
    expect(n).toBe(4);
  });

  it('calls after-event hooks after every event', () => {
    const sim = new Simulation(1);
    const seen: number[] = [];
    sim.onAfterEvent(() => seen.push(sim.now));
    sim.schedule(1, 's', () => {});
    sim.schedule(3, 's', () => {});
    sim.runUntil(5);
    expect(seen).toEqual([1, 3]);
  });

  it('throws EventBudgetExceeded naming the component that keeps rescheduling itself', () => {
    const sim = new Simulation(1, 1000);
    const loop = () => sim.schedule(1, 'runaway-controller', loop);
    sim.schedule(0, 'runaway-controller', loop);
    // a well-behaved source, for contrast
    for (let i = 0; i < 10; i++) sim.schedule(i, 'kubelet/node-1', () => {});
    let err: unknown;
    try {
      sim.runUntil(1_000_000);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EventBudgetExceeded);
    const e = err as EventBudgetExceeded;
    expect(e.name).toBe('EventBudgetExceeded');
    expect(e.budget).toBe(1000);
    expect(e.topSources[0][0]).toBe('runaway-controller');
    expect(e.topSources[0][1]).toBeGreaterThan(900);
    expect(e.topSources.map(([s]) => s)).toContain('kubelet/node-1');
    expect(e.message).toMatch(/^the scenario scheduled more than 1000 events by virtual time \d+ms; the components that kept scheduling events: runaway-controller \(\d+\), kubelet\/node-1 \(10\)$/);
  });

  it('exposes a seeded rng: the same seed draws the same numbers', () => {
    const a = new Simulation(12), b = new Simulation(12), c = new Simulation(13);
    const draw = (s: Simulation) => [s.rng.nextUint32(), s.rng.fork('x').nextUint32()];
    expect(draw(a)).toEqual(draw(b));
    expect(draw(a)).not.toEqual(draw(c));
  });

  it('deliverAt and scheduleCall run fn(arg) at the same time and in the same order as scheduleAt and schedule would, cancel included', () => {
    // ops: [kind (0 scheduleAt, 1 deliverAt, 2 cancel an earlier one, 3 scheduleCall), time (fractional, past or NaN ones too), which]
    const op = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.oneof(fc.double({ min: -5, max: 50, noNaN: false }), fc.integer({ min: 0, max: 40 })), fc.nat());
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 6 }), { minLength: 1, maxLength: 8 }), (batches) => {
        const run = (useDeliver: boolean): string[] => {
          const sim = new Simulation(1);
          const log: string[] = [];
          const timers: { cancel(): void }[] = [];
          let n = 0;
          const handler = (ev: { id: number }) => log.push(`${ev.id}@${sim.now}`);
          const batch = (ops: [number, number, number][], rest: [number, number, number][][]) => {
            for (const [kind, time, which] of ops) {
              if (kind === 2) {
                if (timers.length) timers[which % timers.length].cancel();
                continue;
              }
              const ev = { id: n++ };
              const next = rest[0];
              const go = (e: { id: number }) => {
                handler(e);
                if (next) batch(next, rest.slice(1));
              };
              if (kind === 3) timers.push(useDeliver ? sim.scheduleCall(time, 'c', go, ev) : sim.schedule(time, 'c', () => go(ev)));
              else timers.push(kind === 1 && useDeliver ? sim.deliverAt(sim.now + time, 'd', go, ev) : sim.scheduleAt(sim.now + time, 's', () => go(ev)));
            }
          };
          batch(batches[0], batches.slice(1));
          sim.runUntil(Infinity);
          log.push(`events=${sim.eventCount}`);
          return log;
        };
        expect(run(true)).toEqual(run(false));
      }),
    );
  });
});
