// The API server's watch fan-out (server.ts notify): handlers indexed by kind must reach exactly
// the watchers the former "test every watcher" loop reached, in the same order, with the same
// answer for watches started or stopped while a change fans out. And the status subresource's
// no-op test, moved before the copy, still keeps resourceVersion and the stored object.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/sim.js';
import { ApiServer } from './server.js';
import { Rng } from '../engine/rng.js';

function server(): ApiServer {
  const api = new ApiServer(new Simulation(1), { kubernetesVersion: '1.34' });
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return api;
}
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });
const sa = (name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });

describe('watch fan-out by kind', () => {
  it('calls the watchers of the changed kind and the unfiltered ones, in registration order', () => {
    const api = server();
    const calls: string[] = [];
    api.watch((ev) => calls.push(`all:${ev.object.kind}`));
    api.watch((ev) => calls.push(`cm:${ev.object.metadata.name}`), ['ConfigMap']);
    api.watch((ev) => calls.push(`sa:${ev.object.metadata.name}`), ['ServiceAccount']);
    api.watch((ev) => calls.push(`both:${ev.object.kind}`), ['ServiceAccount', 'ConfigMap']);
    api.create(cm('x'));
    api.create(sa('y'));
    expect(calls).toEqual(['all:ConfigMap', 'cm:x', 'both:ConfigMap', 'all:ServiceAccount', 'sa:y', 'both:ServiceAccount']);
  });

  it('a watch started during a fan-out sees the next change, one stopped during it still sees this one', () => {
    const api = server();
    const calls: string[] = [];
    let stopLate: () => void = () => {};
    api.watch((ev) => {
      calls.push(`first:${ev.object.metadata.name}`);
      if (ev.object.metadata.name === 'a') {
        api.watch((e) => calls.push(`added:${e.object.metadata.name}`), ['ConfigMap']);
        stopLate();
      }
    }, ['ConfigMap']);
    stopLate = api.watch((ev) => calls.push(`late:${ev.object.metadata.name}`), ['ConfigMap']);
    api.create(cm('a'));
    api.create(cm('b'));
    expect(calls).toEqual(['first:a', 'late:a', 'first:b', 'added:b']);
  });

  it('matches a reference fan-out over random watch/unwatch/create sequences', () => {
    const kinds = ['ConfigMap', 'ServiceAccount', 'Secret'];
    for (let seed = 1; seed <= 30; seed++) {
      const rng = new Rng(seed);
      const api = server();
      const ref: { id: number; kinds?: Set<string>; on: boolean }[] = [];
      const got: number[][] = [];
      const want: number[][] = [];
      const stops: (() => void)[] = [];
      for (let step = 0; step < 60; step++) {
        const r = rng.int(10);
        if (r < 3) {
          const id = ref.length;
          const ks = rng.int(3) === 0 ? undefined : kinds.filter(() => rng.int(2) === 0);
          ref.push({ id, kinds: ks ? new Set(ks) : undefined, on: true });
          stops.push(api.watch(() => got[got.length - 1].push(id), ks));
        } else if (r < 4 && ref.length) {
          const i = rng.int(ref.length);
          ref[i].on = false;
          stops[i]();
        } else {
          const kind = kinds[rng.int(3)];
          want.push(ref.filter((w) => w.on && (!w.kinds || w.kinds.has(kind))).map((w) => w.id));
          got.push([]);
          const name = `o${step}`;
          api.create(kind === 'ConfigMap' ? cm(name) : kind === 'Secret' ? { apiVersion: 'v1', kind, metadata: { name } } : sa(name));
        }
      }
      expect(got).toEqual(want);
    }
  });
});

describe('status writes', () => {
  it('a status write equal to the stored status is a no-op: same object, same resourceVersion', () => {
    const api = server();
    const p = api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const same = api.update({ ...p, status: structuredClone(p.status) }, 'status');
    expect(same).toBe(p);
    const changed = api.update({ ...p, status: { ...p.status, phase: 'Running' } }, 'status');
    expect(changed).not.toBe(p);
    expect(Number(changed.metadata.resourceVersion)).toBe(Number(p.metadata.resourceVersion) + 1);
    expect(changed.status.phase).toBe('Running');
  });
});
