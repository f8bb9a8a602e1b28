// client-go's EventCorrelator (tools/record/events_cache.go), tables translated from
// events_cache_test.go: TestEventAggregatorByReasonFunc, TestEventCorrelator, TestEventSpamFilter.
// Upstream's SimpleIntervalClock advances by its interval on every Now() call, and one
// EventCorrelate plus the test's own timestamp read it three times (the test, EventAggregate,
// the rate limiter's TryAccept): the translation records the i-th Event at 3 * i * interval.

import { describe, expect, it } from 'vitest';
import { AGGREGATE_MESSAGE_PREFIX, DEFAULT_AGGREGATE_INTERVAL_MS, DEFAULT_AGGREGATE_MAX_EVENTS, DEFAULT_SPAM_BURST, EventCorrelator, type Correlation } from './event_correlator.js';

interface Ev { reason: string; message: string; object: string; component?: string; type?: string }

const first: Ev = { reason: 'first', message: 'i am first', object: 'my-pod' };
const duplicate: Ev = { reason: 'duplicate', message: 'me again', object: 'my-pod' };
const unique: Ev = { reason: 'unique', message: 'snowflake', object: 'my-pod' };
const similar: Ev = { reason: 'similar', message: 'similar message', object: 'my-pod' };
const makeEvents = (n: number, e: Ev): Ev[] => Array.from({ length: n }, () => e);
/** makeUniqueEvents: a reason and an object of its own each */
const makeUniqueEvents = (n: number): Ev[] => Array.from({ length: n }, (_, i) => ({ reason: `reason-${i}`, message: `message-${i}`, object: `pod${i}` }));
/** makeSimilarEvents: the template with message prefix + i */
const makeSimilarEvents = (n: number, e: Ev, prefix: string): Ev[] => Array.from({ length: n }, (_, i) => ({ ...e, message: `${prefix}${i}` }));

function play(previous: Ev[], next: Ev, intervalSeconds: number, c = new EventCorrelator()): Correlation {
  let seq = 0;
  const step = 3 * intervalSeconds * 1000;
  const rec = (e: Ev, t: number) => c.correlate({ object: e.object, component: e.component ?? 'eventTest' }, e.type ?? 'Normal', e.reason, e.message, t, () => `${e.object}.${seq++}`);
  previous.forEach((e, i) => rec(e, i * step));
  return rec(next, previous.length * step);
}

describe('EventCorrelator (TestEventCorrelator)', () => {
  const cases: [string, Ev[], Ev, number, Partial<Extract<Correlation, { skip: false }>> | 'skip'][] = [
    ['create-a-single-event', [], first, 5, { message: first.message, count: 1, update: false }],
    ['the-same-event-should-just-count', makeEvents(1, duplicate), duplicate, 5, { message: duplicate.message, count: 2, update: true }],
    ['the-same-event-should-just-count-even-if-more-than-aggregate', makeEvents(DEFAULT_AGGREGATE_MAX_EVENTS, duplicate), duplicate, 30, { message: duplicate.message, count: DEFAULT_AGGREGATE_MAX_EVENTS + 1 }],
    ['the-same-event-is-spam-if-happens-too-frequently', makeEvents(DEFAULT_SPAM_BURST + 1, duplicate), duplicate, 1, 'skip'],
    ['create-many-unique-events', makeUniqueEvents(30), unique, 5, { message: unique.message, count: 1, update: false }],
    ['similar-events-should-aggregate-event', makeSimilarEvents(DEFAULT_AGGREGATE_MAX_EVENTS - 1, similar, similar.message), similar, 5, { message: AGGREGATE_MESSAGE_PREFIX + similar.message, count: 1, update: false }],
    ['similar-events-many-times-should-count-the-aggregate', makeSimilarEvents(DEFAULT_AGGREGATE_MAX_EVENTS, similar, similar.message), similar, 5, { message: AGGREGATE_MESSAGE_PREFIX + similar.message, count: 2, update: true }],
    ['similar-events-whose-interval-is-greater-than-aggregate-interval-do-not-aggregate', makeSimilarEvents(DEFAULT_AGGREGATE_MAX_EVENTS - 1, similar, similar.message), similar, DEFAULT_AGGREGATE_INTERVAL_MS / 1000, { message: similar.message, count: 1 }],
  ];
  // events-from-different-containers-do-not-aggregate is left out: the simulator records no
  // involvedObject.fieldPath
  for (const [name, previous, next, interval, want] of cases) {
    it(name, () => {
      const got = play(previous, next, interval);
      if (want === 'skip') expect(got.skip).toBe(true);
      else expect(got).toMatchObject({ skip: false, ...want });
    });
  }

  it('the aggregate keeps its first name and firstTimestamp; count and message follow the latest', () => {
    const c = new EventCorrelator();
    const out = makeSimilarEvents(12, similar, 'm').map((e, i) => c.correlate({ object: 'p', component: 'x' }, 'Warning', e.reason, e.message, i * 1000, () => `n${i}`));
    expect(out.slice(0, 9).map((r) => !r.skip && r.message)).toEqual(Array.from({ length: 9 }, (_, i) => `m${i}`));
    expect(out.slice(9)).toEqual([9, 10, 11].map((i) => ({ skip: false, message: `${AGGREGATE_MESSAGE_PREFIX}m${i}`, name: 'n9', count: i - 8, firstTimestamp: 9000, update: i > 9 })));
  });

  it('a message still in the local key set is counted on its own Event, not aggregated', () => {
    const c = new EventCorrelator();
    const rec = (m: string, t: number) => c.correlate({ object: 'p', component: 'x' }, 'Normal', 'R', m, t, () => `n-${m}`);
    for (let i = 0; i < 10; i++) rec(`m${i}`, i);
    // the 10th message aggregated and the oldest (m0) left the set: m1 is still in it
    expect(rec('m1', 20)).toMatchObject({ message: 'm1', name: 'n-m1', count: 2 });
    expect(rec('m0', 21)).toMatchObject({ message: `${AGGREGATE_MESSAGE_PREFIX}m0`, name: 'n-m9', count: 2 });
  });

  it('the similar set starts afresh after 600 s without a similar Event (600 s exactly still aggregates)', () => {
    const c = new EventCorrelator();
    const rec = (m: string, t: number) => c.correlate({ object: 'p', component: 'x' }, 'Normal', 'R', m, t, () => `n-${m}`);
    for (let i = 0; i < 9; i++) rec(`m${i}`, i * DEFAULT_AGGREGATE_INTERVAL_MS);
    expect(rec('m9', 9 * DEFAULT_AGGREGATE_INTERVAL_MS)).toMatchObject({ message: `${AGGREGATE_MESSAGE_PREFIX}m9` });
    expect(rec('m10', 10 * DEFAULT_AGGREGATE_INTERVAL_MS + 1)).toMatchObject({ message: 'm10', count: 1 });
  });

  it('different sources, objects, types or reasons are not similar (TestEventAggregatorByReasonFunc)', () => {
    const c = new EventCorrelator();
    for (let i = 0; i < 9; i++) c.correlate({ object: 'pod1', component: 'x' }, 'Normal', 'end-of-world', `it was ${i}`, 0, () => `a${i}`);
    const other = [
      c.correlate({ object: 'pod1', component: 'x' }, 'Normal', 'nevermind', 'it was a bug', 0, () => 'b'),
      c.correlate({ object: 'pod2', component: 'x' }, 'Normal', 'end-of-world', 'it was 10', 0, () => 'c'),
      c.correlate({ object: 'pod1', component: 'y' }, 'Normal', 'end-of-world', 'it was 11', 0, () => 'd'),
      c.correlate({ object: 'pod1', component: 'x' }, 'Warning', 'end-of-world', 'it was 12', 0, () => 'e'),
    ];
    expect(other.map((r) => !r.skip && r.message)).toEqual(['it was a bug', 'it was 10', 'it was 11', 'it was 12']);
    expect(c.correlate({ object: 'pod1', component: 'x' }, 'Normal', 'end-of-world', 'it was awful', 0, () => 'f')).toMatchObject({ message: `${AGGREGATE_MESSAGE_PREFIX}it was awful` });
  });
});

describe('EventSourceObjectSpamFilter (TestEventSpamFilter)', () => {
  // burst 1, the default spam key (source + object): a second Event about the object is
  // dropped whatever its reason or message; the custom-key cases need an option the
  // simulator's recorders never set
  it('event should be reported as spam if object reference is the same for default spam filter', () => {
    const c = new EventCorrelator({ burst: 1 });
    const rec = (reason: string, message: string, t: number) => c.correlate({ object: 'my-pod', component: 'eventTest' }, 'Normal', reason, message, t, () => reason);
    expect(rec('original', 'i am first', 0).skip).toBe(false);
    expect(rec('duplicate', 'me again', 1000).skip).toBe(true);
  });

  it('25 Events pass, then one per 300 s; a dropped Event still counts', () => {
    const c = new EventCorrelator();
    const rec = (t: number) => c.correlate({ object: 'p', component: 'kubelet' }, 'Warning', 'Unhealthy', 'probe failed', t, () => 'n');
    for (let i = 0; i < 25; i++) expect(rec(i).skip).toBe(false);
    expect(rec(25).skip).toBe(true);
    expect(rec(299_999).skip).toBe(true);
    // float32(1/300) is a little above 1/300: one token after 300 s of virtual time
    expect(rec(300_024)).toMatchObject({ skip: false, count: 28 });
    expect(rec(300_025).skip).toBe(true);
    // another source about the same object has a bucket of its own
    expect(c.correlate({ object: 'p', component: 'other' }, 'Warning', 'Unhealthy', 'probe failed', 300_026, () => 'o')).toMatchObject({ skip: false, count: 1 });
  });
});

/**
 * events_cache.go as written: three caches keyed by joined strings (getEventKey, the
 * EventAggregatorByReasonFunc key, getSpamKey), the token bucket as rate.Limiter advances it.
 * The correlator's per-object maps must answer exactly as these.
 */
class JoinedKeyCorrelator {
  private readonly agg = new Map<string, { localKeys: string[]; last: number }>();
  private readonly logs = new Map<string, { name: string; count: number; firstTimestamp: number }>();
  private readonly spam = new Map<string, { tokens: number; last: number }>();
  correlate(object: string, component: string, type: string, reason: string, message: string, now: number, newName: () => string): Correlation {
    const aggregateKey = [component, '', 'Pod', 'ns', object, object, 'v1', type, reason, '', ''].join('\u0001');
    const eventKey = [component, '', 'Pod', 'ns', object, '', object, 'v1', type, reason, message].join('\u0001');
    let rec = this.agg.get(aggregateKey);
    if (!rec || now - rec.last > DEFAULT_AGGREGATE_INTERVAL_MS) this.agg.set(aggregateKey, (rec = { localKeys: [], last: 0 }));
    if (!rec.localKeys.includes(message)) rec.localKeys.push(message);
    rec.last = now;
    let key = eventKey, msg = message;
    if (rec.localKeys.length >= DEFAULT_AGGREGATE_MAX_EVENTS) {
      rec.localKeys.shift();
      key = aggregateKey;
      msg = AGGREGATE_MESSAGE_PREFIX + message;
    }
    const last = this.logs.get(key);
    const log = last ? { ...last, count: last.count + 1 } : { name: newName(), count: 1, firstTimestamp: now };
    this.logs.set(key, log);
    const spamKey = [component, '', 'Pod', 'ns', object, object, 'v1'].join('\u0001');
    const b = this.spam.get(spamKey) ?? { tokens: DEFAULT_SPAM_BURST, last: now };
    const tokens = Math.min(DEFAULT_SPAM_BURST, b.tokens + ((now - b.last) / 1000) * Math.fround(1 / 300));
    if (tokens < 1) { this.spam.set(spamKey, b); return { skip: true }; }
    this.spam.set(spamKey, { tokens: tokens - 1, last: now });
    return { skip: false, message: msg, ...log, update: last !== undefined };
  }
}

describe('EventCorrelator against the joined-key caches of events_cache.go', () => {
  it('answers every Event as they do', async () => {
    const fc = (await import('fast-check')).default;
    const ev = fc.record({
      dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400_000 })),
      object: fc.constantFrom('a', 'b'),
      component: fc.constantFrom('kubelet', 'replicaset-controller'),
      type: fc.constantFrom('Normal', 'Warning'),
      reason: fc.constantFrom('R1', 'R2'),
      message: fc.integer({ min: 0, max: 14 }).map((i) => `m${i}`),
    });
    fc.assert(fc.property(fc.array(ev, { maxLength: 120 }), (evs) => {
      const c = new EventCorrelator(), ref = new JoinedKeyCorrelator();
      let now = 0, n = 0;
      for (const e of evs) {
        now += e.dt;
        const name = `e${n++}`;
        expect(c.correlate({ object: e.object, component: e.component }, e.type, e.reason, e.message, now, () => name))
          .toEqual(ref.correlate(e.object, e.component, e.type, e.reason, e.message, now, () => name));
      }
    }), { numRuns: 300 });
  });
});
