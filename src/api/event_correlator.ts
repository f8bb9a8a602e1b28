// client-go's EventCorrelator (staging/src/k8s.io/client-go/tools/record/events_cache.go
// NewEventCorrelator / EventCorrelate), which every recorder runs before it writes an Event:
//
//  1. EventAggregator (EventAggregatorByReasonFunc): Events that differ only by message are
//     "similar" (key: source, involvedObject, type, reason). Each similar Event inserts its
//     message into the group's set of local keys; once that set holds
//     defaultAggregateMaxEvents (10) messages, the Event is replaced by one aggregate Event,
//     message "(combined from similar events): " + its own message, correlated under the group's
//     key, and one message leaves the set again (PopAny). The set starts afresh when the last
//     similar Event is more than defaultAggregateIntervalInSeconds (600 s) old.
//  2. eventLogger: the same key (the full getEventKey, message included; or the aggregate key)
//     seen before updates that Event: its name and firstTimestamp, count + 1, lastTimestamp now,
//     and the new message (the patch eventObserve builds carries count, lastTimestamp, message).
//  3. EventSourceObjectSpamFilter: a token bucket per source + involvedObject (getSpamKey), burst
//     defaultSpamBurst (25), refilled at defaultSpamQPS (1/300 per second, a float32); an Event
//     finding no token is dropped. It runs after 1 and 2, so a dropped Event still counts in
//     the aggregator and the logger (the next written count jumps past it).
//
// One correlator serves every component: each upstream recorder has its own, but all three keys
// start with the source component, so one map keyed by it answers the same.
// Not modelled: the LRU bound (maxLruCacheEntries 4096 per recorder), Source.Host,
// involvedObject.fieldPath, reportingController/Instance (empty for core/v1 recorders).
// Deterministic: PopAny takes an arbitrary member of a Go map; here it takes the oldest one.

export const DEFAULT_AGGREGATE_MAX_EVENTS = 10;
export const DEFAULT_AGGREGATE_INTERVAL_MS = 600_000;
export const DEFAULT_SPAM_BURST = 25;
/** defaultSpamQPS is 1./300. stored in a float32 field (EventSourceObjectSpamFilter.qps) */
export const DEFAULT_SPAM_QPS = Math.fround(1 / 300);
export const AGGREGATE_MESSAGE_PREFIX = '(combined from similar events): ';

/** the eventLogger's eventLog: what the recorder last wrote under one key */
export interface EventLog {
  name: string;
  count: number;
  /** virtual ms */
  firstTimestamp: number;
}

/** EventCorrelateResult: the Event to write, or skip */
export type Correlation =
  | { skip: true }
  | {
      skip: false;
      /** the message to write: the recorded one, or the aggregate message */
      message: string;
      name: string;
      count: number;
      /** virtual ms */
      firstTimestamp: number;
      /** a key seen before: patch the Event `name` (count, lastTimestamp, message) */
      update: boolean;
    };

/**
 * The Events one source recorded about one object with one type and reason. Most groups only
 * ever see one message: its eventLogger entry sits inline, and a map is made for the second.
 */
interface SimilarGroup {
  /** aggregateRecord.localKeys: at most maxEvents messages, oldest first */
  localKeys: string[];
  /** aggregateRecord.lastTimestamp (virtual ms) */
  last: number;
  /** the first message's eventLogger entry under the full key */
  message: string;
  log: EventLog | undefined;
  /** the other messages' entries, once there are any */
  logs: Map<string, EventLog> | undefined;
  /** the eventLogger entry under the aggregate key */
  aggregate: EventLog | undefined;
}

/** golang.org/x/time/rate Limiter as flowcontrol's token bucket uses it: starts full */
interface TokenBucket {
  component: string;
  tokens: number;
  /** virtual ms of the last accepted event */
  last: number;
}

/**
 * per involved object: its similar groups by component, then type, then reason (maps of maps,
 * not one map by a joined key: no key string built per Event), and a bucket per source
 */
interface ObjectEvents {
  groups: Map<string, Map<string, Map<string, SimilarGroup>>>;
  /** few sources write about one object: searched in order */
  buckets: TokenBucket[];
}

export interface CorrelatorOptions {
  maxEvents: number;
  maxIntervalMs: number;
  burst: number;
  qps: number;
}

const DEFAULTS: CorrelatorOptions = {
  maxEvents: DEFAULT_AGGREGATE_MAX_EVENTS,
  maxIntervalMs: DEFAULT_AGGREGATE_INTERVAL_MS,
  burst: DEFAULT_SPAM_BURST,
  qps: DEFAULT_SPAM_QPS,
};

/** what an Event is about: its involvedObject and source component */
export interface EventSubject {
  /** the involved object's identity (its uid; kind/namespace/name/apiVersion come with it) */
  object: string | undefined;
  component: string;
}

export class EventCorrelator {
  private readonly opts: CorrelatorOptions;
  private readonly objects = new Map<string | undefined, ObjectEvents>();

  constructor(opts: Partial<CorrelatorOptions> = {}) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /**
   * EventCorrelate for an Event recorded at `now` (virtual ms); `newName` names an Event the
   * recorder writes for the first time (upstream: involvedObject.name + "." + hex UnixNano).
   */
  correlate(subject: EventSubject, type: string, reason: string, message: string, now: number, newName: () => string): Correlation {
    let obj = this.objects.get(subject.object);
    if (!obj) this.objects.set(subject.object, (obj = { groups: new Map(), buckets: [] }));
    let byType = obj.groups.get(subject.component);
    if (!byType) obj.groups.set(subject.component, (byType = new Map()));
    let byReason = byType.get(type);
    if (!byReason) byType.set(type, (byReason = new Map()));
    let group = byReason.get(reason);
    if (!group) byReason.set(reason, (group = { localKeys: [], last: -Infinity, message, log: undefined, logs: undefined, aggregate: undefined }));

    // EventAggregate
    if (now - group.last > this.opts.maxIntervalMs) group.localKeys = [];
    if (!group.localKeys.includes(message)) group.localKeys.push(message);
    group.last = now;
    const aggregated = group.localKeys.length >= this.opts.maxEvents;
    if (aggregated) group.localKeys.shift();
    const written = aggregated ? AGGREGATE_MESSAGE_PREFIX + message : message;

    // eventObserve
    let log = aggregated ? group.aggregate : message === group.message ? group.log : group.logs?.get(message);
    const update = log !== undefined;
    if (log) log.count++;
    else {
      log = { name: newName(), count: 1, firstTimestamp: now };
      if (aggregated) group.aggregate = log;
      else if (message === group.message) group.log = log;
      else (group.logs ??= new Map()).set(message, log);
    }

    // EventSourceObjectSpamFilter.Filter
    let bucket = obj.buckets.find((b) => b.component === subject.component);
    if (!bucket) obj.buckets.push((bucket = { component: subject.component, tokens: this.opts.burst, last: now }));
    const tokens = Math.min(this.opts.burst, bucket.tokens + ((now - bucket.last) / 1000) * this.opts.qps);
    if (tokens < 1) return { skip: true };
    bucket.tokens = tokens - 1;
    bucket.last = now;
    return { skip: false, message: written, name: log.name, count: log.count, firstTimestamp: log.firstTimestamp, update };
  }
}
