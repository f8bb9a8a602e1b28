import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeferredRecord, Trace, type TraceRecord } from './trace.js';
import { RequestLog } from '../network/request_log.js';

class Deferred extends DeferredRecord {
  constructor(private readonly r: TraceRecord) {
    super();
  }
  expand(): TraceRecord {
    return this.r;
  }
}

// records with the keys in the order their producers write them (src/api/server.ts, kube-proxy,
// the node manager, the step runner, the traffic path)
const name = fc.constantFrom('web-1', 'web-2', 'svc', 'node-1');
const namespace = fc.constantFrom(undefined, 'default', 'ns-1');
const kind = fc.constantFrom('Pod', 'Service', 'EndpointSlice', 'Event');
const t = fc.integer({ min: 0, max: 100 });
const objectRecord = fc.record({ t, op: fc.constantFrom('added', 'modified', 'deleted'), kind, namespace, name, rv: fc.nat(), summary: fc.option(fc.string(), { nil: undefined }) })
  .map(({ t, op, kind, namespace, name, rv, summary }): TraceRecord => ({ t, type: 'object', op: op as 'added', kind, namespace, name, rv, summary }));
const eventRecord = fc.record({ t, kind, namespace, name, eventType: fc.constantFrom('Normal', 'Warning'), reason: fc.constantFrom('Scheduled', 'Started', 'Killing'), message: fc.string() })
  .map(({ t, kind, namespace, name, eventType, reason, message }): TraceRecord => ({ t, type: 'event', kind, namespace, name, eventType, reason, message }));
const noteRecord = fc.record({ t, message: fc.string() }).map(({ t, message }): TraceRecord => ({ t, type: 'note', message }));
const stepRecord = fc.record({ t, index: fc.nat(5) }).map(({ t, index }): TraceRecord => ({ t, type: 'step', index, action: 'kubectl scale', outcome: 'ok' }));
const requestRecord = fc.record({ t, seq: fc.nat() }).map(({ t, seq }): TraceRecord => ({ t, type: 'request', sentAt: t, seq, client: 'curl', url: 'http://web/', outcome: 'ok', latency: 1 }));
// a request kept in a request log (src/network/request_log.ts), logged at `at`; rarely in a
// second log (the trace numbers the requests of one log, and keeps others as deferred records)
const loggedRequest = fc.record({ seq: fc.nat(), sentAt: t, at: t, pod: fc.option(name, { nil: undefined }), other: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) });
// an item: a record added eagerly or deferred, a request added by its index in a log, or a read
// of the whole trace in between
const item = fc.oneof(
  fc.record({ add: fc.oneof(objectRecord, eventRecord, noteRecord, stepRecord) }),
  fc.record({ deferred: requestRecord }),
  fc.record({ logged: loggedRequest }),
  fc.constant({ read: true as const }),
);
type Item = typeof item extends fc.Arbitrary<infer T> ? T : never;

/** Feed the generated items to a Trace and to a plain list alike; `onRead` at each read item. */
function replay(items: Item[], onRead: (trace: Trace, plain: TraceRecord[]) => void): { trace: Trace; plain: TraceRecord[] } {
  const trace = new Trace();
  const plain: TraceRecord[] = [];
  const logs = [new RequestLog(), new RequestLog()];
  for (const it of items) {
    if ('logged' in it) {
      const { seq, sentAt, at, pod, other } = it.logged;
      const log = logs[other ? 1 : 0];
      const i = log.appendRecord({ seq, t: sentAt, client: 'curl', clientIP: '10.244.0.9', url: 'http://web/', method: 'GET', outcome: pod ? 'ok' : 'refused', latency: 0, ...(pod ? { pod, body: `${pod}\n` } : {}) }, at);
      trace.addRequest(log, i);
      // the trace record as the traffic path built it: the record without t and body, then t, type, sentAt
      plain.push({ seq, client: 'curl', clientIP: '10.244.0.9', url: 'http://web/', method: 'GET', outcome: pod ? 'ok' : 'refused', latency: 0, ...(pod ? { pod } : {}), t: at, type: 'request', sentAt });
    } else if ('add' in it) {
      trace.add(it.add);
      plain.push(it.add);
    } else if ('deferred' in it) {
      trace.addDeferred(new Deferred(it.deferred));
      plain.push(it.deferred);
    } else {
      onRead(trace, plain);
    }
  }
  return { trace, plain };
}

describe('Trace', () => {
  it('gives back every record, in order, with the same keys in the same order, as a plain list would', () => {
    fc.assert(fc.property(fc.array(item, { maxLength: 60 }), (items) => {
      const { trace, plain } = replay(items, (trace, plain) => expect(trace.records).toStrictEqual(plain));
      expect(trace.records).toStrictEqual(plain);
      expect(JSON.stringify(trace)).toBe(JSON.stringify(plain));
      expect(trace.records.map((r) => Object.keys(r))).toEqual(plain.map((r) => Object.keys(r)));
    }));
  });

  it('finds the transitions of an object as the scan of the plain list does', () => {
    fc.assert(fc.property(fc.array(item, { maxLength: 60 }), kind, namespace, name, t, fc.integer({ min: 1, max: 6 }), (items, k, ns, n, at, limit) => {
      const { trace, plain } = replay(items, (trace) => void trace.records);
      const scan = plain.filter((r) => r.t <= at && (r.type === 'object' || r.type === 'event') && r.kind === k && r.name === n && (r.namespace ?? '') === (ns ?? ''));
      expect(trace.transitionsOf(k, ns, n, at, limit)).toStrictEqual(scan.slice(Math.max(0, scan.length - limit)));
    }));
  });

  it('keeps a record it cannot number (more than 65,536 distinct kinds) as it is', () => {
    const trace = new Trace();
    const plain: TraceRecord[] = [];
    for (let i = 0; i < 65_540; i++) {
      const r: TraceRecord = { t: i, type: 'object', op: 'added', kind: `Kind${i}`, namespace: undefined, name: 'x', rv: i, summary: undefined };
      trace.add(r);
      plain.push(r);
    }
    expect(trace.records).toStrictEqual(plain);
  });
});

describe('Trace.addObject', () => {
  it('records what add() of the same object record records, in order with other records', () => {
    const ops = ['added', 'modified', 'deleted'] as const;
    const a = new Trace(), b = new Trace();
    for (let i = 0; i < 50; i++) {
      const r = { t: i * 7, type: 'object' as const, op: ops[i % 3], kind: `Kind${i % 4}`, namespace: i % 5 ? `ns${i % 2}` : undefined, name: `n${i}`, rv: i + 1, summary: i % 3 ? `s${i % 6}` : undefined };
      a.add(r);
      b.addObject(r.t, r.op, r.kind, r.namespace, r.name, r.rv, r.summary);
      const note = { t: i * 7, type: 'note' as const, message: `m${i}` };
      a.add(note);
      b.add(note);
    }
    expect(JSON.stringify(b.records)).toBe(JSON.stringify(a.records));
    expect(b.transitionsOf('Kind1', 'ns1', 'n1', 1000)).toEqual(a.transitionsOf('Kind1', 'ns1', 'n1', 1000));
  });
});
