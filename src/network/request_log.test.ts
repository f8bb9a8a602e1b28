// The columnar request log against what it replaces: a record object per request, its keys added
// in the order the traffic path sets them (Object.assign for a patch), and the trace record built
// from it as `{ ...rest, t: loggedAt, type: 'request', sentAt: t }` without the body.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { K, REQUEST_KEYS, RequestDraft, RequestLog, requestsOf, type RequestRecord } from './request_log.js';

const str = fc.constantFrom<string>('web-1', 'web-2', '10.244.0.5', 'kube-proxy/node-1', 'ok', 'refused', 'web-1\n', '');
const num = fc.integer({ min: 0, max: 100_000 });
/** a key the path may add after the base keys, with a value of its type */
const extra = fc.oneof(
  fc.record({ k: fc.constantFrom('node', 'via', 'tls', 'pod', 'namespace', 'podIP', 'sourceIP', 'body', 'outcome', 'clientIP'), v: str }),
  fc.record({ k: fc.constant('reason'), v: fc.option(str, { nil: undefined }) }),
  fc.record({ k: fc.constantFrom('connection', 'status', 'latency'), v: num }),
  fc.record({ k: fc.constant('newConnection'), v: fc.boolean() }),
);
const base = fc.record({ seq: fc.nat(), t: num, step: fc.option(fc.constantFrom('burst', 'probe'), { nil: undefined }), client: str, url: str, method: fc.constantFrom('GET', 'POST') });
/** patches applied one after another, as the path's direct writes and finish() patches do */
const patches = fc.array(fc.array(extra, { maxLength: 4 }), { maxLength: 5 });

type Base = typeof base extends fc.Arbitrary<infer T> ? T : never;
type Extra = typeof extra extends fc.Arbitrary<infer T> ? T : never;

/** the record the traffic path used to build: a class instance whose keys exist once assigned */
function plainRecord(b: Base, ps: Extra[][]): RequestRecord {
  const r: Record<string, unknown> = { seq: b.seq, t: b.t };
  if (b.step) r.step = b.step;
  Object.assign(r, { client: b.client, clientIP: '', url: b.url, method: b.method, outcome: 'error', latency: 0 });
  for (const p of ps) Object.assign(r, Object.fromEntries(p.map((e) => [e.k, e.v])));
  return r as unknown as RequestRecord;
}

function draftOf(d: RequestDraft, b: Base, ps: Extra[][]): RequestDraft {
  d.reset();
  d.set({ seq: b.seq, t: b.t, ...(b.step ? { step: b.step } : {}), client: b.client, clientIP: '', url: b.url, method: b.method, outcome: 'error', latency: 0 });
  for (const p of ps) d.set(Object.fromEntries(p.map((e) => [e.k, e.v])));
  return d;
}

function traceOf(r: RequestRecord, at: number): unknown {
  const { t, body: _body, ...rest } = r;
  return { ...rest, t: at, type: 'request', sentAt: t };
}

describe('RequestLog', () => {
  it('gives back each record and its trace record with the keys in the order they were set, as a record object would', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ b: base, ps: patches, at: num }), { minLength: 1, maxLength: 12 }), (reqs) => {
        const log = new RequestLog();
        // one draft reused for every request, as the traffic runtime does: nothing may leak
        const d = new RequestDraft();
        const want = reqs.map(({ b, ps }) => plainRecord(b, ps));
        reqs.forEach(({ b, ps, at }, i) => {
          draftOf(d, b, ps);
          expect(JSON.stringify(d.toRecord())).toBe(JSON.stringify(want[i]));
          expect(Object.keys(d.toRecord())).toEqual(Object.keys(want[i]));
          log.append(d, at);
        });
        expect(log.length).toBe(reqs.length);
        reqs.forEach(({ at }, i) => {
          expect(log.record(i)).toStrictEqual(want[i]);
          expect(Object.keys(log.record(i))).toEqual(Object.keys(want[i]));
          expect(JSON.stringify(log.traceRecord(i))).toBe(JSON.stringify(traceOf(want[i], at)));
          expect(Object.keys(log.traceRecord(i))).toEqual(Object.keys(traceOf(want[i], at) as object));
        });
        // the field readers answer as the records do, and as a plain list read the same way
        const plain = requestsOf(want);
        for (let i = 0; i < reqs.length; i++) {
          for (const k of ['seq', 't', 'step', 'client', 'clientIP', 'url', 'outcome', 'status', 'pod', 'namespace', 'sourceIP', 'via', 'reason'] as const) {
            expect(log[k](i)).toStrictEqual(want[i][k]);
            expect(plain[k](i)).toStrictEqual(want[i][k]);
          }
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('writes in KEYS order with the key bits (the traffic path) give the record set() gives', () => {
    const direct = new RequestDraft();
    direct.keys = K.seq | K.t | K.client | K.clientIP | K.url | K.method | K.outcome | K.latency;
    Object.assign(direct, { seq: 1, t: 5, client: 'curl', clientIP: '10.244.0.9', url: 'http://web/', method: 'GET', outcome: 'error', latency: 0 });
    direct.newConnection = true;
    direct.connection = 1;
    direct.node = 'node-1';
    direct.via = 'kube-proxy/node-1';
    direct.pod = 'web-1';
    direct.namespace = 'default';
    direct.podIP = '10.244.1.2';
    direct.sourceIP = '10.244.0.9';
    direct.status = 200;
    direct.body = 'web-1\n';
    direct.outcome = 'ok';
    direct.keys |= K.newConnection | K.connection | K.node | K.via | K.pod | K.namespace | K.podIP | K.sourceIP | K.status | K.body;
    expect(JSON.stringify(direct.toRecord())).toBe(
      JSON.stringify({ seq: 1, t: 5, client: 'curl', clientIP: '10.244.0.9', url: 'http://web/', method: 'GET', outcome: 'ok', latency: 0, newConnection: true, connection: 1, node: 'node-1', via: 'kube-proxy/node-1', pod: 'web-1', namespace: 'default', podIP: '10.244.1.2', sourceIP: '10.244.0.9', status: 200, body: 'web-1\n' }),
    );
  });

  it('numbers each key by its place in KEYS', () => {
    expect(Object.keys(K)).toEqual(REQUEST_KEYS);
    REQUEST_KEYS.forEach((k, i) => expect(K[k as keyof typeof K]).toBe(1 << i));
  });

  it('grows past its first columns and keeps every row', () => {
    const log = new RequestLog();
    const d = new RequestDraft();
    for (let i = 0; i < 1000; i++) {
      draftOf(d, { seq: i + 1, t: i, step: 'burst', client: 'curl', url: 'http://web/', method: 'GET' }, [[{ k: 'pod', v: i % 3 ? 'web-1' : 'web-2' }]]);
      log.append(d, i + 1);
    }
    expect(log.length).toBe(1000);
    expect([log.pod(0), log.pod(1), log.pod(999), log.seq(999), log.t(999)]).toEqual(['web-2', 'web-1', 'web-2', 1000, 999]);
    expect(log.traceRecord(999)).toMatchObject({ t: 1000, sentAt: 999, seq: 1000, pod: 'web-2' });
  });
});
