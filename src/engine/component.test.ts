// WorkQueue's rate-limited requeue (client-go rate_limiting_queue_test.go, delaying_queue_test.go),
// and Informer's `relevant` filter: a change the handler would ignore is not scheduled, and every
// other change is delivered at the very time it would have been without the filter.

import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.js';
import { AppRegistry } from '../apps/registry.js';
import { Informer, WorkQueue } from './component.js';
import { Simulation } from './sim.js';
import { ItemExponentialFailureRateLimiter, type RateLimiter } from './rate_limiters.js';
import { Rng } from './rng.js';
import { clusterConfig } from '../../test/helpers/cluster.js';

describe('Informer relevant filter', () => {
  it('drops ignored changes without moving the others', () => {
    const c = new Cluster(clusterConfig({ nodes: [] }), 1, new AppRegistry([]));
    const latency = { min: 1, max: 40 };
    const all: string[] = [];
    const some: string[] = [];
    const before = c.sim.eventCount;
    new Informer(c.sim, c.api, 'all', ['ConfigMap', 'Secret'], latency, new Rng(7, 'i'), (ev) => all.push(`${c.sim.now} ${ev.object.kind}/${ev.object.metadata.name}`));
    new Informer(c.sim, c.api, 'some', ['ConfigMap', 'Secret'], latency, new Rng(7, 'i'), (ev) => some.push(`${c.sim.now} ${ev.object.kind}/${ev.object.metadata.name}`), undefined, (ev) => ev.object.kind !== 'ConfigMap');
    c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    for (let i = 0; i < 20; i++) {
      c.sim.schedule(i * 3, 'test', () => {
        c.api.create({ apiVersion: 'v1', kind: i % 2 ? 'ConfigMap' : 'Secret', metadata: { name: `o-${i}`, namespace: 'default' } });
      });
    }
    c.sim.runUntil(10_000);
    expect(all.length).toBe(20);
    expect(some).toEqual(all.filter((x) => !x.includes('ConfigMap/')));
    // 20 writes, 20 deliveries to `all`, 10 to `some`
    expect(c.sim.eventCount - before).toBe(20 + 20 + 10);
  });
});

describe('WorkQueue rate-limited requeue', () => {
  /** a queue processing after 0 ms, recording `time key` per processed key */
  function queue(limiter: () => RateLimiter = () => new ItemExponentialFailureRateLimiter(1, 1000)) {
    const sim = new Simulation(1);
    const seen: string[] = [];
    const q = new WorkQueue(sim, 'q', { min: 0, max: 0 }, new Rng(1, 'q'), (k) => seen.push(`${sim.now} ${k}`), limiter);
    return { sim, q, seen };
  }

  it('waits the limiter delay per key and starts over after Forget (TestRateLimitingQueue)', () => {
    const { sim, q, seen } = queue();
    q.addRateLimited('one');
    sim.runUntil(10);
    q.addRateLimited('one');
    sim.runUntil(20);
    expect(q.numRequeues('one')).toBe(2);
    q.addRateLimited('two');
    sim.runUntil(30);
    q.addRateLimited('two');
    sim.runUntil(40);
    q.forget('one');
    expect(q.numRequeues('one')).toBe(0);
    q.addRateLimited('one');
    sim.runUntil(50);
    expect(seen).toEqual(['1 one', '12 one', '21 two', '32 two', '41 one']);
  });

  it('keeps the earlier ready time of a key already waiting (TestDeduping)', () => {
    // 50 then 70: fires once, at 50
    let delays = [50, 70];
    const scripted = () => ({ when: () => delays.shift()!, forget() {}, numRequeues: () => 0 });
    let { sim, q, seen } = queue(scripted);
    q.addRateLimited('foo');
    q.addRateLimited('foo');
    sim.runUntil(200);
    expect(seen).toEqual(['50 foo']);
    // 70 then 50: the earlier replaces the later, and fires once, at 50
    delays = [70, 50];
    ({ sim, q, seen } = queue(scripted));
    q.addRateLimited('foo');
    q.addRateLimited('foo');
    sim.runUntil(200);
    expect(seen).toEqual(['50 foo']);
    expect(sim.eventCount).toBe(2); // the cancelled timer does not run
  });

  it('adds at once when the limiter says 0, de-duplicated with a pending add', () => {
    const { sim, q, seen } = queue(() => ({ when: () => 0, forget() {}, numRequeues: () => 0 }));
    q.add('k');
    q.addRateLimited('k');
    sim.runUntil(10);
    expect(seen).toEqual(['0 k']);
  });

  it('uses DefaultControllerRateLimiter by default: 5, 10, 20 ms for a key failing in a row', () => {
    const sim = new Simulation(1);
    const seen: number[] = [];
    let failures = 3;
    const q: WorkQueue = new WorkQueue(sim, 'q', { min: 0, max: 0 }, new Rng(1, 'q'), () => {
      seen.push(sim.now);
      if (failures-- > 0) q.addRateLimited('k');
      else q.forget('k');
    });
    q.add('k');
    sim.runUntil(1000);
    expect(seen).toEqual([0, 5, 15, 35]);
    expect(q.numRequeues('k')).toBe(0);
  });
});
