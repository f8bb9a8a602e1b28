// The traffic log (src/network/traffic.ts): one record per client request, kept in columns of
// typed arrays — the numbers, the strings as ids into the log's table of distinct strings (the
// client's, the URL's, the pod's names and the answer's body repeat from request to request), and
// the record's key order as a small shape id — instead of an object per request. A burst of
// 20,000 requests then leaves nothing behind for the young generation to copy and promote, and the
// columns' memory is outside the JS heap. Records are built as objects only when something reads
// them whole (the trace, CEL's `requests`, an exec curl); the traffic expectation and the fuzz
// invariants read the fields they need by index.
//
// A request's path adds keys in the order it learns them (a refused connection has `reason`
// before `node`, an answered one `node`, `via`, `pod` ... `body`): a record keeps that order, as
// the object the path used to build did, so the trace and the log print byte for byte as before.
// The order is a shape: the sequence of keys, numbered once per process (a handful exist)
// through a transition table, like V8's hidden classes.

import type { RequestSource, TraceRecord } from '../engine/trace.js';

/** One request of the log, as the trace and CEL's `requests` show it. */
export interface RequestRecord {
  seq: number;
  /** virtual ms the request was sent */
  t: number;
  step?: string;
  client: string;
  clientIP: string;
  url: string;
  method: string;
  connection?: number;
  newConnection?: boolean;
  /** the node whose rules handled the connection */
  node?: string;
  pod?: string;
  namespace?: string;
  podIP?: string;
  /** source IP of the connection as the serving pod saw it */
  sourceIP?: string;
  status?: number;
  body?: string;
  outcome: string;
  latency: number;
  reason?: string;
  via?: string;
  tls?: string;
}

/** The requests of a run, read by index: the traffic log, or a plain list of records (tests). */
export interface Requests {
  readonly length: number;
  /** the i-th record as an object (a new one on each call) */
  record(i: number): RequestRecord;
  seq(i: number): number;
  t(i: number): number;
  step(i: number): string | undefined;
  client(i: number): string;
  clientIP(i: number): string;
  url(i: number): string;
  outcome(i: number): string;
  status(i: number): number | undefined;
  pod(i: number): string | undefined;
  namespace(i: number): string | undefined;
  sourceIP(i: number): string | undefined;
  via(i: number): string | undefined;
  reason(i: number): string | undefined;
}

// ---- keys -----------------------------------------------------------------------------------

/**
 * Every key, in the order the traffic path adds them on all but one of its paths (the record's
 * base keys, then what the connection, the pod and the answer add); a key's id is its index.
 * A refused or dropped connection adds `reason` before `node`: a draft that adds a key before one
 * it already has keeps its own order (RequestDraft.order).
 */
const KEYS = ['seq', 't', 'step', 'client', 'clientIP', 'url', 'method', 'outcome', 'latency', 'newConnection', 'connection', 'node', 'via', 'tls', 'pod', 'namespace', 'podIP', 'sourceIP', 'status', 'body', 'reason'] as const satisfies readonly (keyof RequestRecord)[];
type Key = (typeof KEYS)[number];
const NF = KEYS.length;
const ID = new Map<string, number>(KEYS.map((k, i) => [k, i]));
/** the bit of each key in RequestDraft.keys: 1 << its index in KEYS (written out: a literal's
 * constants are folded by the JIT, and read cheaply before it has compiled a caller) */
export const K = {
  seq: 1 << 0,
  t: 1 << 1,
  step: 1 << 2,
  client: 1 << 3,
  clientIP: 1 << 4,
  url: 1 << 5,
  method: 1 << 6,
  outcome: 1 << 7,
  latency: 1 << 8,
  newConnection: 1 << 9,
  connection: 1 << 10,
  node: 1 << 11,
  via: 1 << 12,
  tls: 1 << 13,
  pod: 1 << 14,
  namespace: 1 << 15,
  podIP: 1 << 16,
  sourceIP: 1 << 17,
  status: 1 << 18,
  body: 1 << 19,
  reason: 1 << 20,
} as const satisfies Record<Key, number>;
/** the keys in KEYS order (for tests) */
export const REQUEST_KEYS: readonly string[] = KEYS;

/** number keys, in their column order */
const NUMBER_KEYS: readonly Key[] = ['seq', 't', 'latency', 'connection', 'status', 'newConnection'];
/** string keys, in their column order */
const STRING_KEYS: readonly Key[] = KEYS.filter((k) => !NUMBER_KEYS.includes(k));
const NN = NUMBER_KEYS.length;
const NS = STRING_KEYS.length;
/** key id -> its column: a number column (< NN) or NN + a string column */
const COLUMN = KEYS.map((k) => (NUMBER_KEYS.includes(k) ? NUMBER_KEYS.indexOf(k) : NN + STRING_KEYS.indexOf(k)));
const num = (k: Key) => NUMBER_KEYS.indexOf(k);
const str = (k: Key) => STRING_KEYS.indexOf(k);
const N_SEQ = num('seq'), N_T = num('t'), N_STATUS = num('status'), N_NEW_CONNECTION = num('newConnection');
const S_STEP = str('step'), S_CLIENT = str('client'), S_CLIENT_IP = str('clientIP'), S_URL = str('url'), S_OUTCOME = str('outcome'), S_VIA = str('via');
const S_POD = str('pod'), S_NAMESPACE = str('namespace'), S_SOURCE_IP = str('sourceIP'), S_REASON = str('reason');
const F_T = KEYS.indexOf('t'), F_BODY = KEYS.indexOf('body'), F_STATUS = KEYS.indexOf('status');

// ---- shapes: the keys of a record in the order they were added -----------------------------

/** shape id -> its keys in order, and the set of them as a bit mask */
const shapeKeys: number[][] = [[]];
const shapeMask: number[] = [0];
/** shape * NF + key -> the shape with that key added (0: not made yet; shape 0 is never a target) */
let transitions = new Int32Array(NF * 16);
/** key mask -> the shape of those keys in KEYS order */
const canonicalShapes = new Map<number, number>();

function addKey(shape: number, f: number): number {
  const slot = shape * NF + f;
  const known = slot < transitions.length ? transitions[slot] : 0;
  if (known !== 0) return known;
  const next = shapeKeys.length;
  shapeKeys.push([...shapeKeys[shape], f]);
  shapeMask.push(shapeMask[shape] | (1 << f));
  if ((next + 1) * NF > transitions.length) {
    const grown = new Int32Array(transitions.length * 2);
    grown.set(transitions);
    transitions = grown;
  }
  transitions[slot] = next;
  return next;
}

function canonicalShape(mask: number): number {
  let shape = canonicalShapes.get(mask);
  if (shape === undefined) {
    shape = 0;
    for (let f = 0; f < NF; f++) if (mask & (1 << f)) shape = addKey(shape, f);
    canonicalShapes.set(mask, shape);
  }
  return shape;
}

function shapeOf(order: readonly number[]): number {
  let shape = 0;
  for (const f of order) shape = addKey(shape, f);
  return shape;
}

/** shape ids are stored in a Uint16Array column */
const MAX_SHAPES = 0xffff;

/**
 * A request being decided: what the traffic path writes as it learns the outcome. Plain fields
 * (a store each, in every tier of the JIT) and `keys`, the bit of every key set: a writer sets
 * the field and its bit, in KEYS order (`rec.pod = name; rec.keys |= K.pod`); `set` adds keys in
 * any order. A draft is reused for the next request once logged (the traffic runtime keeps a few).
 */
export class RequestDraft implements RequestRecord {
  keys = 0;
  /** the keys in the order they were added, once one came before a key already set (else KEYS order) */
  order: number[] | undefined = undefined;
  seq = 0;
  t = 0;
  latency = 0;
  connection: number | undefined = undefined;
  status: number | undefined = undefined;
  newConnection: boolean | undefined = undefined;
  step: string | undefined = undefined;
  client = '';
  clientIP = '';
  url = '';
  method = '';
  outcome = '';
  node: string | undefined = undefined;
  via: string | undefined = undefined;
  tls: string | undefined = undefined;
  pod: string | undefined = undefined;
  namespace: string | undefined = undefined;
  podIP: string | undefined = undefined;
  sourceIP: string | undefined = undefined;
  body: string | undefined = undefined;
  reason: string | undefined = undefined;

  /** start a new record: no keys (fields of keys not set again are never read) */
  reset(): void {
    this.keys = 0;
    this.order = undefined;
  }

  /** set keys in the patch's order (Object.assign's), a key set to undefined included */
  set(patch: Partial<RequestRecord>): void {
    for (const k of Object.keys(patch) as Key[]) {
      const f = ID.get(k);
      if (f === undefined) throw new Error(`request record: unknown key ${k}`);
      (this as unknown as Record<string, unknown>)[k] = patch[k];
      const bit = 1 << f;
      if (this.keys & bit) continue;
      // a key before one already set: from now on the order is kept explicitly
      if (!this.order && this.keys >= bit) this.order = shapeKeys[canonicalShape(this.keys)].slice();
      this.order?.push(f);
      this.keys |= bit;
    }
  }

  /** the record's shape: its keys in order */
  shape(): number {
    return this.order ? shapeOf(this.order) : canonicalShape(this.keys);
  }

  /** the draft as a plain record, keys in the order they were set */
  toRecord(): RequestRecord {
    const r: Record<string, unknown> = {};
    for (const f of shapeKeys[this.shape()]) r[KEYS[f]] = (this as unknown as Record<string, unknown>)[KEYS[f]];
    return r as unknown as RequestRecord;
  }

  /** a copy, for a record logged later than it is decided (a timeout) */
  copy(): RequestDraft {
    const d = Object.assign(new RequestDraft(), this);
    d.order = this.order?.slice();
    return d;
  }
}

function numberValue(c: number, v: number): number | boolean | undefined {
  if (v !== v) return undefined;
  return c === N_NEW_CONNECTION ? v === 1 : v;
}

function buildRecord(keys: readonly number[], value: (f: number) => unknown): RequestRecord {
  const r: Record<string, unknown> = {};
  for (const f of keys) r[KEYS[f]] = value(f);
  return r as unknown as RequestRecord;
}

/**
 * The log of one run: records in the order their outcomes were logged, in typed arrays (their
 * memory is outside the JS heap: nothing for a collection to scan or copy). Per row: the record's
 * NN number fields and the instant it was logged (the trace record's `t`); its NS strings as ids
 * into the log's table of distinct strings (0: none); its shape.
 */
export class RequestLog implements Requests, RequestSource {
  private rows = 0;
  /** rows the columns have room for; they double together */
  private capacity = 256;
  private nums = new Float64Array((NN + 1) * 256);
  private ids = new Uint32Array(NS * 256);
  private shapes = new Uint16Array(256);
  /** id -> string (id 0: undefined) */
  private readonly strings: (string | undefined)[] = [undefined];
  private readonly stringIds = new Map<string, number>();
  /** the strings of the row being appended, and of the row before it */
  private readonly cur: (string | undefined)[] = new Array<string | undefined>(NS).fill(undefined);
  private readonly prev: (string | undefined)[] = new Array<string | undefined>(NS).fill(undefined);
  /** the key mask of the last record appended and its shape */
  private lastKeys = -1;
  private lastShape = 0;

  get length(): number {
    return this.rows;
  }

  /** Append a decided request, logged at `at`; returns its index. */
  append(d: RequestDraft, at: number): number {
    const i = this.rows;
    const keys = d.keys;
    let shape: number;
    if (d.order) shape = d.shape();
    else if (keys === this.lastKeys) shape = this.lastShape;
    else shape = this.lastShape = canonicalShape((this.lastKeys = keys));
    if (shape > MAX_SHAPES) throw new Error(`request log: more than ${MAX_SHAPES} key orders`);
    if (i === this.capacity) this.grow();
    this.shapes[i] = shape;
    const a = this.nums, o = i * (NN + 1);
    // in NUMBER_KEYS order; a key set to undefined reads back as undefined (NaN here)
    a[o] = d.seq;
    a[o + 1] = d.t;
    a[o + 2] = d.latency;
    a[o + 3] = d.connection ?? NaN;
    a[o + 4] = d.status ?? NaN;
    a[o + 5] = d.newConnection === undefined ? NaN : d.newConnection ? 1 : 0;
    a[o + NN] = at;
    const ids = this.ids, os = i * NS;
    // the strings in STRING_KEYS order, undefined for a key not set (its field holds an earlier
    // request's value)
    const cur = this.cur;
    cur[0] = keys & K.step ? d.step : undefined;
    cur[1] = d.client;
    cur[2] = d.clientIP;
    cur[3] = d.url;
    cur[4] = d.method;
    cur[5] = d.outcome;
    cur[6] = keys & K.node ? d.node : undefined;
    cur[7] = keys & K.via ? d.via : undefined;
    cur[8] = keys & K.tls ? d.tls : undefined;
    cur[9] = keys & K.pod ? d.pod : undefined;
    cur[10] = keys & K.namespace ? d.namespace : undefined;
    cur[11] = keys & K.podIP ? d.podIP : undefined;
    cur[12] = keys & K.sourceIP ? d.sourceIP : undefined;
    cur[13] = keys & K.body ? d.body : undefined;
    cur[14] = keys & K.reason ? d.reason : undefined;
    // a burst repeats the strings of the request before (the same client, URL, pod, answer):
    // compared by reference (the same string objects), its ids are copied, nothing is hashed
    const prev = this.prev;
    let same = i > 0;
    for (let k = 0; same && k < NS; k++) same = cur[k] === prev[k];
    if (same) ids.copyWithin(os, os - NS, os);
    else {
      for (let k = 0; k < NS; k++) {
        const v = cur[k];
        ids[os + k] = v === undefined ? 0 : i > 0 && v === prev[k] ? ids[os - NS + k] : this.intern(v);
        prev[k] = v;
      }
    }
    this.rows = i + 1;
    return i;
  }

  /** the id of a string in the log's table */
  private intern(v: string): number {
    let id = this.stringIds.get(v);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(v);
      this.stringIds.set(v, id);
    }
    return id;
  }

  private grow(): void {
    const n = (this.capacity *= 2);
    const nums = new Float64Array((NN + 1) * n);
    nums.set(this.nums);
    this.nums = nums;
    const ids = new Uint32Array(NS * n);
    ids.set(this.ids);
    this.ids = ids;
    const shapes = new Uint16Array(n);
    shapes.set(this.shapes);
    this.shapes = shapes;
  }

  /** Append a record given as an object (keys in its own order); for tests and adapters. */
  appendRecord(r: RequestRecord, at: number = r.t): number {
    const d = new RequestDraft();
    d.set(r);
    return this.append(d, at);
  }

  record(i: number): RequestRecord {
    return buildRecord(shapeKeys[this.shapes[i]], (f) => this.value(i, f));
  }

  /** Every record, in order (built on each call). */
  all(): RequestRecord[] {
    const out: RequestRecord[] = [];
    for (let i = 0; i < this.rows; i++) out.push(this.record(i));
    return out;
  }

  /**
   * The trace record of the i-th request (src/engine/trace.ts): the record without its body
   * (which stays in the log: it repeats for every request) and `t`, then `t` when the outcome was
   * logged, the type and `sentAt`, the time it was sent.
   */
  traceRecord(i: number): TraceRecord {
    const r: Record<string, unknown> = {};
    for (const f of shapeKeys[this.shapes[i]]) {
      if (f === F_T || f === F_BODY) continue;
      r[KEYS[f]] = this.value(i, f);
    }
    r.t = this.nums[i * (NN + 1) + NN];
    r.type = 'request';
    r.sentAt = this.nums[i * (NN + 1) + N_T];
    return r as TraceRecord;
  }

  private value(i: number, f: number): unknown {
    const c = COLUMN[f];
    return c < NN ? numberValue(c, this.nums[i * (NN + 1) + c]) : this.str(i, c - NN);
  }

  private str(i: number, k: number): string | undefined {
    return this.strings[this.ids[i * NS + k]];
  }

  seq(i: number): number {
    return this.nums[i * (NN + 1) + N_SEQ];
  }
  t(i: number): number {
    return this.nums[i * (NN + 1) + N_T];
  }
  status(i: number): number | undefined {
    const v = this.nums[i * (NN + 1) + N_STATUS];
    return (shapeMask[this.shapes[i]] & (1 << F_STATUS)) !== 0 && v === v ? v : undefined;
  }
  step(i: number): string | undefined {
    return this.str(i, S_STEP);
  }
  client(i: number): string {
    return this.str(i, S_CLIENT)!;
  }
  clientIP(i: number): string {
    return this.str(i, S_CLIENT_IP)!;
  }
  url(i: number): string {
    return this.str(i, S_URL)!;
  }
  outcome(i: number): string {
    return this.str(i, S_OUTCOME)!;
  }
  pod(i: number): string | undefined {
    return this.str(i, S_POD);
  }
  namespace(i: number): string | undefined {
    return this.str(i, S_NAMESPACE);
  }
  sourceIP(i: number): string | undefined {
    return this.str(i, S_SOURCE_IP);
  }
  via(i: number): string | undefined {
    return this.str(i, S_VIA);
  }
  reason(i: number): string | undefined {
    return this.str(i, S_REASON);
  }
}

/** A plain list of records read as `Requests` (it may grow after): the tests' hand-made logs. */
export function requestsOf(list: readonly RequestRecord[]): Requests {
  return {
    get length() {
      return list.length;
    },
    record: (i) => ({ ...list[i] }),
    seq: (i) => list[i].seq,
    t: (i) => list[i].t,
    step: (i) => list[i].step,
    client: (i) => list[i].client,
    clientIP: (i) => list[i].clientIP,
    url: (i) => list[i].url,
    outcome: (i) => list[i].outcome,
    status: (i) => list[i].status,
    pod: (i) => list[i].pod,
    namespace: (i) => list[i].namespace,
    sourceIP: (i) => list[i].sourceIP,
    via: (i) => list[i].via,
    reason: (i) => list[i].reason,
  };
}

/** An empty log (a run without traffic). */
export const NO_REQUESTS: Requests = requestsOf([]);
