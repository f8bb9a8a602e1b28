// The trace: the ordered record of every state change, step, Kubernetes Event and check of a run.
// It is what expectations read, what reporters draw, and what makes two runs comparable byte for
// byte (same scenario + seed -> identical JSON).

export type TraceRecord =
  | {
      t: number;
      type: 'object';
      op: 'added' | 'modified' | 'deleted';
      kind: string;
      namespace?: string;
      name: string;
      rv: number;
      /** one-line summary of what changed, for failure stories */
      summary?: string;
    }
  | { t: number; type: 'step'; index: number; name?: string; action: string; outcome: 'ok' | 'error'; message?: string }
  | { t: number; type: 'event'; kind: string; namespace?: string; name: string; eventType: string; reason: string; message: string }
  | { t: number; type: 'check'; expectation: number; name: string; outcome: 'passed' | 'failed'; message?: string }
  | { t: number; type: 'note'; message: string }
  /** what a `kubectl get|describe` step printed (src/engine/view_action.ts) */
  | { t: number; type: 'view'; index: number; command: string; text: string }
  /** a client request's outcome (src/network/traffic.ts RequestRecord), at the instant it was known */
  | { t: number; type: 'request'; sentAt: number; seq: number; client: string; url: string; outcome: string; latency: number; [field: string]: unknown };

type ObjectRecord = Extract<TraceRecord, { type: 'object' }>;
type EventRecord = Extract<TraceRecord, { type: 'event' }>;

/**
 * A trace record built only when someone reads the trace: hot paths (one record per client
 * request) keep what they already have and pay for the record's object when a reporter or a test
 * reads `records`. `expand` must give the record the eager path would have added.
 */
export abstract class DeferredRecord {
  abstract expand(): TraceRecord;
}

/**
 * Where request records come from (src/network/request_log.ts): a column store that builds the
 * trace record of its i-th request when the trace is read. A request is then a number in the
 * trace, not an object (a burst of client requests adds tens of thousands of them).
 */
export interface RequestSource {
  traceRecord(i: number): TraceRecord;
}

/** the trace item of a request whose log is not the trace's request source (not expected: one log per run) */
class SourcedRequest extends DeferredRecord {
  constructor(
    private readonly source: RequestSource,
    private readonly i: number,
  ) {
    super();
  }
  expand(): TraceRecord {
    return this.source.traceRecord(this.i);
  }
}

/** Strings that repeat across records (kinds, operations, event types and reasons), numbered. */
class StringTable {
  private readonly ids = new Map<string, number>();
  readonly strings: string[] = [];

  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.ids.set(s, i);
      this.strings.push(s);
    }
    return i;
  }
}

/**
 * One copy of each short summary: most are the same few texts (a pod's "Running node=node-7
 * ready", a ReplicaSet's "replicas=25 ready=25 spec=25"), each built afresh by its write. At most
 * MAX_SHARED of them are kept; a summary past that is stored as it is.
 */
class SharedStrings {
  private readonly seen = new Map<string, string>();

  share(s: string): string {
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    if (this.seen.size < MAX_SHARED) this.seen.set(s, s);
    return s;
  }
}
const SHARED_SUMMARY_LENGTH = 64;
const MAX_SHARED = 50_000;

const OPS: ObjectRecord['op'][] = ['added', 'modified', 'deleted'];
const opId = (op: ObjectRecord['op']) => (op === 'added' ? 0 : op === 'modified' ? 1 : 2);

/** A column of numbers: a typed array that doubles when full. */
class NumberColumn<A extends Float64Array | Uint16Array> {
  constructor(public a: A) {}
  set(i: number, v: number): void {
    if (i >= this.a.length) {
      const b = new (this.a.constructor as new (n: number) => A)(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
  }
}
const f64 = () => new NumberColumn(new Float64Array(256));
const u16 = () => new NumberColumn(new Uint16Array(256));

/**
 * Object change, Kubernetes Event and note records kept as columns: a large run holds hundreds of
 * thousands of them until a reporter reads the trace (at 1/30 of the scalability envelope: 133k
 * object changes, 62k Events, 37k notes), and an object per record costs its header and a slot
 * per key where the columns cost a number, small ids and the references to the strings the
 * record shares with the API objects. Records are built again, with the same keys in the same
 * order as their producers write them (src/api/server.ts, kube-proxy and the node manager), when
 * the trace is read.
 */
class ObjectColumns {
  readonly t = f64();
  readonly rv = f64();
  readonly kind = u16();
  readonly op = u16();
  readonly namespace: (string | undefined)[] = [];
  readonly name: string[] = [];
  readonly summary: (string | undefined)[] = [];
}
class EventColumns {
  readonly t = f64();
  readonly kind = u16();
  readonly eventType = u16();
  readonly reason = u16();
  readonly namespace: (string | undefined)[] = [];
  readonly name: string[] = [];
  readonly message: string[] = [];
}
class NoteColumns {
  readonly t = f64();
  readonly message: string[] = [];
}

// an item of the trace is a record, a deferred record, or a number: the index of a record held in
// columns (or of a request in the request source) times 4 plus the tag of its columns
const TAG_OBJECT = 0;
const TAG_EVENT = 1;
const TAG_NOTE = 2;
/** a request of the trace's request source, by its index there */
const TAG_REQUEST = 3;
/** ids above this do not fit a Uint16Array: such records stay objects */
const MAX_ID = 0xffff;

export class Trace {
  private readonly items: (TraceRecord | DeferredRecord | number)[] = [];
  /** index of the first item not yet expanded (a deferred record or a column index), -1 when none */
  private firstPacked = -1;
  private objects = new ObjectColumns();
  private events = new EventColumns();
  private notes = new NoteColumns();
  private strings = new StringTable();
  private summaries = new SharedStrings();
  /** the log the TAG_REQUEST items index (set by the first request added) */
  private requestSource?: RequestSource;

  add(record: TraceRecord): void {
    const packed = this.pack(record);
    if (packed === undefined) {
      this.items.push(record);
      return;
    }
    if (this.firstPacked < 0) this.firstPacked = this.items.length;
    this.items.push(packed);
  }

  /**
   * add() of an object record `{ t, type: 'object', op, kind, namespace, name, rv, summary }`
   * (the API server's record of every change), packed without building the record first.
   */
  addObject(t: number, op: ObjectRecord['op'], kind: string, namespace: string | undefined, name: string, rv: number, summary: string | undefined): void {
    const kindId = this.strings.id(kind);
    if (kindId > MAX_ID) {
      this.items.push({ t, type: 'object', op, kind, namespace, name, rv, summary });
      return;
    }
    const c = this.objects;
    const i = c.name.length;
    c.t.set(i, t);
    c.rv.set(i, rv);
    c.kind.set(i, kindId);
    c.op.set(i, opId(op));
    c.namespace.push(namespace);
    c.name.push(name);
    c.summary.push(summary !== undefined && summary.length <= SHARED_SUMMARY_LENGTH ? this.summaries.share(summary) : summary);
    if (this.firstPacked < 0) this.firstPacked = this.items.length;
    this.items.push(i * 4 + TAG_OBJECT);
  }

  addDeferred(record: DeferredRecord): void {
    if (this.firstPacked < 0) this.firstPacked = this.items.length;
    this.items.push(record);
  }

  /** The i-th request of `source`, built as a record only when the trace is read. */
  addRequest(source: RequestSource, i: number): void {
    if (this.requestSource === undefined) this.requestSource = source;
    if (this.requestSource !== source) return this.addDeferred(new SourcedRequest(source, i));
    if (this.firstPacked < 0) this.firstPacked = this.items.length;
    this.items.push(i * 4 + TAG_REQUEST);
  }

  /** Every record so far, in order (deferred and packed ones expanded in place). */
  get records(): TraceRecord[] {
    if (this.firstPacked >= 0) {
      const items = this.items;
      for (let i = this.firstPacked; i < items.length; i++) {
        const r = items[i];
        if (typeof r === 'number') items[i] = this.unpack(r);
        else if (r instanceof DeferredRecord) items[i] = r.expand();
      }
      this.firstPacked = -1;
      // no item refers to the columns any more
      this.objects = new ObjectColumns();
      this.events = new EventColumns();
      this.notes = new NoteColumns();
      this.strings = new StringTable();
      this.summaries = new SharedStrings();
    }
    return this.items as TraceRecord[];
  }

  /** The last `limit` object records for the given object at or before time t. */
  transitionsOf(kind: string, namespace: string | undefined, name: string, t: number, limit = 5): TraceRecord[] {
    const out: TraceRecord[] = [];
    const items = this.items;
    const o = this.objects, e = this.events, s = this.strings.strings;
    for (let i = items.length - 1; i >= 0 && out.length < limit; i--) {
      const r = items[i];
      if (typeof r === 'number') {
        const tag = r % 4, j = (r - tag) / 4;
        const c = tag === TAG_OBJECT ? o : tag === TAG_EVENT ? e : undefined;
        if (!c || c.t.a[j] > t) continue;
        if (c.name[j] === name && s[c.kind.a[j]] === kind && (c.namespace[j] ?? '') === (namespace ?? '')) out.push(this.unpack(r));
        continue;
      }
      // deferred records and requests are never object or event records
      if (r instanceof DeferredRecord || r.t > t) continue;
      if ((r.type === 'object' || r.type === 'event') && r.kind === kind && r.name === name && (r.namespace ?? '') === (namespace ?? '')) {
        out.push(r);
      }
    }
    return out.reverse();
  }

  toJSON(): TraceRecord[] {
    return this.records;
  }

  /** The item standing for an object, event or note record in the columns; undefined: keep the object. */
  private pack(r: TraceRecord): number | undefined {
    if (r.type === 'object') {
      const kind = this.strings.id(r.kind);
      if (kind > MAX_ID) return undefined;
      const c = this.objects;
      const i = c.name.length;
      c.t.set(i, r.t);
      c.rv.set(i, r.rv);
      c.kind.set(i, kind);
      c.op.set(i, opId(r.op));
      c.namespace.push(r.namespace);
      c.name.push(r.name);
      c.summary.push(r.summary !== undefined && r.summary.length <= SHARED_SUMMARY_LENGTH ? this.summaries.share(r.summary) : r.summary);
      return i * 4 + TAG_OBJECT;
    }
    if (r.type === 'event') {
      const kind = this.strings.id(r.kind), eventType = this.strings.id(r.eventType), reason = this.strings.id(r.reason);
      if (kind > MAX_ID || eventType > MAX_ID || reason > MAX_ID) return undefined;
      const c = this.events;
      const i = c.name.length;
      c.t.set(i, r.t);
      c.kind.set(i, kind);
      c.eventType.set(i, eventType);
      c.reason.set(i, reason);
      c.namespace.push(r.namespace);
      c.name.push(r.name);
      c.message.push(r.message);
      return i * 4 + TAG_EVENT;
    }
    if (r.type === 'note') {
      const c = this.notes;
      const i = c.message.length;
      c.t.set(i, r.t);
      c.message.push(r.message);
      return i * 4 + TAG_NOTE;
    }
    return undefined;
  }

  /** The record a packed item stands for, with the keys in the order its producer writes them. */
  private unpack(item: number): TraceRecord {
    const s = this.strings.strings;
    const tag = item % 4, i = (item - tag) / 4;
    if (tag === TAG_REQUEST) return this.requestSource!.traceRecord(i);
    if (tag === TAG_OBJECT) {
      const c = this.objects;
      const r: ObjectRecord = { t: c.t.a[i], type: 'object', op: OPS[c.op.a[i]], kind: s[c.kind.a[i]], namespace: c.namespace[i], name: c.name[i], rv: c.rv.a[i], summary: c.summary[i] };
      return r;
    }
    if (tag === TAG_EVENT) {
      const c = this.events;
      const r: EventRecord = { t: c.t.a[i], type: 'event', kind: s[c.kind.a[i]], namespace: c.namespace[i], name: c.name[i], eventType: s[c.eventType.a[i]], reason: s[c.reason.a[i]], message: c.message[i] };
      return r;
    }
    const c = this.notes;
    return { t: c.t.a[i], type: 'note', message: c.message[i] };
  }
}
