// Informer's `relevant` filter: a change the handler would ignore is not scheduled, and every
// other change is delivered at the very time it would have been without the filter.

import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.js';
import { AppRegistry } from '../apps/registry.js';
import { Informer } from './component.js';
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
