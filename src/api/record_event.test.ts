// ApiServer.recordEvent against the way it was written before its fast path, with the same
// EventCorrelator decisions (./event_correlator.ts): the Event created and the count bumped
// through the public, copying create and update. The server's own path keeps the Event it builds
// without a copy; the stored Events, their resourceVersions and the watch stream must be exactly
// the same.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../engine/sim.js';
import { ApiServer } from './server.js';
import type { KubeObject } from './types.js';
import { timestamp } from './time.js';
import { pod } from '../../test/helpers/cluster.js';
import { EventCorrelator } from './event_correlator.js';

function server(seed: number): ApiServer {
  const api = new ApiServer(new Simulation(seed), { kubernetesVersion: '1.34' });
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return api;
}

/** recordEvent as it was: public create and update (which copy), the same correlator decisions */
function recordEventCopying(api: ApiServer, correlator: EventCorrelator, seq: { n: number }, involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
  const ns = involved.metadata.namespace ?? 'default';
  const c = correlator.correlate({ object: involved.metadata.uid, component }, type, reason, message, api.sim.now,
    () => `${involved.metadata.name}.${(0x1800000000 + api.sim.now * 1000 + seq.n++).toString(16)}`);
  if (c.skip) return;
  if (c.update) {
    const cur = api.store.get('Event', ns, c.name);
    if (cur) {
      api.update({ ...cur, count: c.count, lastTimestamp: timestamp(api.sim.now), message: c.message } as KubeObject);
      return;
    }
  }
  api.create({
    apiVersion: 'v1', kind: 'Event', metadata: { name: c.name, namespace: ns },
    involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: involved.metadata.name, namespace: involved.metadata.namespace, uid: involved.metadata.uid },
    reason, message: c.message, type, count: c.count, source: { component },
    firstTimestamp: timestamp(c.firstTimestamp), lastTimestamp: timestamp(api.sim.now),
  });
}

// reasons and messages with '|' would make joined keys that collide; twenty messages take a
// reason past the EventAggregator's 10; `tick` moves the virtual clock (past the 600 s
// aggregation interval and the spam filter's 300 s refill)
const MESSAGES = [...Array.from({ length: 20 }, (_, i) => `m${i}`), '|m0', 'B|m0', ''];
const op = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('record' as const),
      obj: fc.nat(1),
      type: fc.constantFrom('Normal' as const, 'Warning' as const),
      reason: fc.constantFrom('A', 'B', 'A|B', 'A|'),
      message: fc.oneof(fc.constantFrom('m0', '|m0', 'B|m0'), fc.constantFrom(...MESSAGES)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deleteEvent' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 700_000 }) }) },
  // every message once: the reason aggregates
  { weight: 1, arbitrary: fc.record({ t: fc.constant('burst' as const), obj: fc.nat(1), reason: fc.constantFrom('A', 'B', 'A|B', 'A|') }) },
);

describe('recordEvent', () => {
  it('stores and announces exactly what the copying path with joined keys did', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), fc.nat(1000), (ops, seed) => {
      const fast = server(seed), slow = server(seed);
      const seen: string[][] = [[], []];
      fast.watch((ev) => seen[0].push(`${ev.type} ${JSON.stringify(ev.object)}`), ['Event']);
      slow.watch((ev) => seen[1].push(`${ev.type} ${JSON.stringify(ev.object)}`), ['Event']);
      const objs = [0, 1].map((i) => [fast.create(pod(`p${i}`)), slow.create(pod(`p${i}`))]);
      const correlator = new EventCorrelator(), seq = { n: 0 };
      for (const o of ops) {
        if (o.t === 'record') {
          const [f, s] = objs[o.obj];
          fast.recordEvent(f, o.type, o.reason, o.message, 'test');
          recordEventCopying(slow, correlator, seq, s, o.type, o.reason, o.message, 'test');
        } else if (o.t === 'burst') {
          const [f, s] = objs[o.obj];
          for (const m of MESSAGES) {
            fast.recordEvent(f, 'Normal', o.reason, m, 'test');
            recordEventCopying(slow, correlator, seq, s, 'Normal', o.reason, m, 'test');
          }
        } else if (o.t === 'tick') {
          fast.sim.now += o.ms;
          slow.sim.now += o.ms;
        } else {
          const evs = slow.list('Event', 'default');
          if (!evs.length) continue;
          const name = evs[o.pick % evs.length].metadata.name!;
          fast.delete('Event', 'default', name);
          slow.delete('Event', 'default', name);
        }
      }
      expect(JSON.stringify(fast.list('Event', 'default'))).toBe(JSON.stringify(slow.list('Event', 'default')));
      expect(seen[0]).toEqual(seen[1]);
      expect(fast.store.resourceVersion).toBe(slow.store.resourceVersion);
    }), { numRuns: 300 });
  });

  it('an aggregated Event is a new object; the version before it is left as it was', () => {
    const api = server(1);
    const p = api.create(pod('p'));
    api.recordEvent(p, 'Normal', 'Pulled', 'ok', 'kubelet');
    const first = api.list('Event', 'default')[0];
    const before = JSON.stringify(first);
    api.recordEvent(p, 'Normal', 'Pulled', 'ok', 'kubelet');
    const second = api.list('Event', 'default')[0];
    expect(second).not.toBe(first);
    expect(second.metadata).not.toBe(first.metadata);
    expect(JSON.stringify(first)).toBe(before);
    expect([first.count, second.count]).toEqual([1, 2]);
  });
});
