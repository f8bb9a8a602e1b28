import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ActiveQ, SchedulingQueue, prioritySortLess, type QueuedPodInfo } from './prioritysort.js';
import { Simulation } from '../engine/sim.js';

const info = (key: string, priority: number, timestamp: number, seq = 0): QueuedPodInfo => ({ key, priority, timestamp, seq });

// pkg/scheduler/framework/plugins/queuesort/priority_sort_test.go TestLess
describe('PrioritySort Less (TestLess)', () => {
  const t1 = 1000, t2 = 2000;
  it.each([
    ['p1.priority less than p2.priority', info('p1', 1, t1), info('p2', 2, t1), false],
    ['p1.priority greater than p2.priority', info('p1', 2, t1), info('p2', 1, t1), true],
    ['equal priority. p1 is added to schedulingQ earlier than p2', info('p1', 1, t1), info('p2', 1, t2), true],
    ['equal priority. p2 is added to schedulingQ earlier than p1', info('p1', 1, t2), info('p2', 1, t1), false],
  ])('%s', (_name, a, b, want) => expect(prioritySortLess(a, b)).toBe(want));
});

describe('activeQ', () => {
  it('property: pops in PrioritySort order', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ p: fc.integer({ min: -3, max: 3 }), t: fc.integer({ min: 0, max: 5 }) })), (items) => {
        const q = new ActiveQ();
        items.forEach((x, i) => q.push(info(`k${i}`, x.p, x.t, i)));
        const out: QueuedPodInfo[] = [];
        for (let x = q.pop(); x; x = q.pop()) out.push(x);
        expect(out.length).toBe(items.length);
        for (let i = 1; i < out.length; i++) expect(prioritySortLess(out[i], out[i - 1])).toBe(false);
      }),
    );
  });

  it('schedules the pods that became ready together highest priority first, one per pop', () => {
    const sim = new Simulation(1);
    const prio: Record<string, number> = { low: 1, high: 100, mid: 50 };
    const order: string[] = [];
    const q = new SchedulingQueue(sim, 'scheduler', { min: 10, max: 10 }, sim.rng.fork('q'), (k) => prio[k], (k) => order.push(`${k}@${sim.now}`));
    q.add('low');
    q.add('high');
    q.add('mid');
    q.add('low'); // already queued: not added twice
    sim.runUntil(5);
    q.add('later-high'); // ready at 15ms, after the others were popped
    prio['later-high'] = 1000;
    sim.runUntil(100);
    expect(order).toEqual(['high@10', 'mid@10', 'low@10', 'later-high@15']);
  });
});
