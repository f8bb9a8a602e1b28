import { describe, expect, it } from 'vitest';
import { EventQueue } from './queue.js';
import { Rng } from './rng.js';

/** Pop everything, returning the labels in pop order. */
function drain(q: EventQueue, labels: Map<object, string>): string[] {
  const out: string[] = [];
  for (let ev = q.pop(); ev; ev = q.pop()) out.push(labels.get(ev)!);
  return out;
}

describe('EventQueue', () => {
  it('pops in time order', () => {
    const q = new EventQueue();
    const labels = new Map<object, string>();
    for (const t of [50, 10, 40, 0, 30, 20]) labels.set(q.push(t, 's', () => {}), `t${t}`);
    expect(q.size).toBe(6);
    expect(q.peek()!.time).toBe(0);
    expect(drain(q, labels)).toEqual(['t0', 't10', 't20', 't30', 't40', 't50']);
    expect(q.size).toBe(0);
    expect(q.pop()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
  });

  it('pops events of the same time in insertion order, for many equal times', () => {
    const q = new EventQueue();
    const labels = new Map<object, string>();
    // 200 events at 3 distinct times, pushed interleaved: within a time, order is push order
    const expected: Record<number, string[]> = { 0: [], 5: [], 9: [] };
    for (let i = 0; i < 200; i++) {
      const t = [9, 0, 5][i % 3];
      const label = `${t}:${i}`;
      labels.set(q.push(t, 's', () => {}), label);
      expected[t].push(label);
    }
    expect(drain(q, labels)).toEqual([...expected[0], ...expected[5], ...expected[9]]);
  });

  it('keeps (time, seq) order when pushes interleave with pops', () => {
    const q = new EventQueue();
    const labels = new Map<object, string>();
    const rng = new Rng(42, 'queue-test');
    const popped: { time: number; seq: number }[] = [];
    let now = 0;
    for (let i = 0; i < 2000; i++) {
      if (rng.int(3) === 0 && q.size > 0) {
        const ev = q.pop()!;
        expect(ev.time).toBeGreaterThanOrEqual(now);
        now = ev.time;
        popped.push({ time: ev.time, seq: ev.seq });
      } else {
        // only schedule at or after the current time, as the simulation does
        labels.set(q.push(now + rng.int(4), 's', () => {}), String(i));
      }
    }
    while (q.size) {
      const ev = q.pop()!;
      popped.push({ time: ev.time, seq: ev.seq });
    }
    for (let i = 1; i < popped.length; i++) {
      const a = popped[i - 1], b = popped[i];
      expect(a.time < b.time || (a.time === b.time && a.seq < b.seq)).toBe(true);
    }
  });

  it('carries source and run, and a cancelled flag the simulation honours', () => {
    const q = new EventQueue();
    let ran = 0;
    const ev = q.push(7, 'scheduler', () => ran++);
    expect(ev).toMatchObject({ time: 7, source: 'scheduler', cancelled: false });
    ev.run();
    expect(ran).toBe(1);
  });
});

describe('EventQueue reserved sequence numbers', () => {
  it('a series queued one at a time in reserved places pops as if all were pushed at once', () => {
    // eager: a series of 5 events every 10 ms pushed up front, then other events at the same times
    const eager = new EventQueue();
    const eagerLabels = new Map<object, string>();
    for (let i = 0; i < 5; i++) eagerLabels.set(eager.push(i * 10, 's', () => {}), `series${i}`);
    for (let i = 0; i < 5; i++) eagerLabels.set(eager.push(i * 10, 'o', () => {}), `other${i}`);
    // chained: the same series' places reserved, each pushed only when the previous one pops
    const chained = new EventQueue();
    const labels = new Map<object, string>();
    const first = chained.reserve(5);
    labels.set(chained.pushReserved(0, first, 's', () => {}), 'series0');
    for (let i = 0; i < 5; i++) labels.set(chained.push(i * 10, 'o', () => {}), `other${i}`);
    const out: string[] = [];
    for (let ev = chained.pop(); ev; ev = chained.pop()) {
      const label = labels.get(ev)!;
      out.push(label);
      const m = /^series(\d)$/.exec(label);
      const next = m ? Number(m[1]) + 1 : 5;
      if (next < 5) labels.set(chained.pushReserved(next * 10, first + next, 's', () => {}), `series${next}`);
    }
    expect(out).toEqual(drain(eager, eagerLabels));
    expect(out.slice(0, 4)).toEqual(['series0', 'other0', 'series1', 'other1']);
  });

  it('an event is its own timer: cancel() marks it', () => {
    const q = new EventQueue();
    const ev = q.push(5, 's', () => {});
    ev.cancel();
    expect(q.pop()!.cancelled).toBe(true);
  });

  it('a cancelled event lets go of its closure (what it captured can be collected before its time)', () => {
    const q = new EventQueue();
    let ran = false;
    const ev = q.push(5, 's', () => {
      ran = true;
    });
    const before = ev.run;
    ev.cancel();
    expect(ev.run).not.toBe(before);
    ev.run();
    expect(ran).toBe(false);
  });
});
