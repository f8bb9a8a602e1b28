// Expectation subjects (DESIGN §3.2): what an expectation looks at, evaluated against the API
// server's state at one instant. Each subject says which kinds it reads, so the evaluator
// re-checks it only when one of them changed.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { parseSelector, selectorFromSet, type Selector } from '../api/labels.js';
import { parseComparator, type Comparator } from './compare.js';
import { describeMismatches, matchTree } from './match.js';
import { evaluateCelBoolean, type CompiledCel } from './cel.js';
import { snapshotOf, podStatus } from './tables.js';
import type { Snapshot } from '../result.js';
import { isPodReady } from '../controllers/controller_utils.js';
import { parseTimestamp } from '../api/time.js';
import { formatDuration } from '../util/duration.js';
import { pluralOf } from '../api/errors.js';
import { trafficLog } from '../network/traffic.js';

export interface EvalContext {
  api: ApiServer;
  now: number;
}

export interface Outcome {
  ok: boolean;
  /** one line: "expected ready 3, got 2" */
  message?: string;
  mismatches?: string[];
  nearMiss?: string;
  /** the objects a failure story shows */
  involved?: { kind: string; objects: KubeObject[] };
}

export interface Subject {
  /** "pods app=kubia", "object deployment/kubia", "expr" */
  readonly describe: string;
  /** kinds whose changes can change the outcome; 'all' for expressions */
  readonly kinds: readonly string[] | 'all';
  evaluate(ctx: EvalContext): Outcome;
}

export function snapshotFor(outcome: Outcome, now: number): Snapshot | undefined {
  if (!outcome.involved || outcome.involved.objects.length === 0) return undefined;
  return snapshotOf(outcome.involved.kind, outcome.involved.objects, now);
}

// ---- object ------------------------------------------------------------------------------

export class ObjectSubject implements Subject {
  readonly describe: string;
  readonly kinds: readonly string[];

  constructor(
    readonly kind: string,
    readonly name: string,
    readonly namespace: string | undefined,
    readonly match: unknown,
    readonly absent: boolean,
  ) {
    this.describe = `object ${kind.toLowerCase()}/${name}`;
    this.kinds = [kind];
  }

  evaluate({ api }: EvalContext): Outcome {
    const obj = api.get(this.kind, this.namespace, this.name);
    if (this.absent) {
      return obj
        ? { ok: false, message: `expected ${this.kind.toLowerCase()}/${this.name} to be absent, but it exists`, involved: { kind: this.kind, objects: [obj] } }
        : { ok: true };
    }
    if (!obj) return { ok: false, message: `${pluralOf(this.kind)} "${this.name}" not found` };
    if (this.match === undefined) return { ok: true, involved: { kind: this.kind, objects: [obj] } };
    const mismatches = matchTree(obj, this.match);
    if (mismatches.length === 0) return { ok: true, involved: { kind: this.kind, objects: [obj] } };
    const lines = describeMismatches(mismatches);
    return { ok: false, message: lines[0], mismatches: lines, involved: { kind: this.kind, objects: [obj] } };
  }
}

// ---- pods --------------------------------------------------------------------------------

export interface PodsMatchers {
  count?: Comparator;
  ready?: Comparator;
  phase?: Comparator;
  restarts?: Comparator;
  node?: Comparator;
  qosClass?: Comparator;
  names?: string[];
}

export class PodsSubject implements Subject {
  readonly describe: string;
  readonly kinds = ['Pod'];
  private readonly selector: Selector;

  constructor(
    selectorText: string,
    readonly namespace: string,
    readonly m: PodsMatchers,
  ) {
    this.selector = selectorText.trim() === '' ? selectorFromSet({}) : parseSelector(selectorText);
    this.describe = `pods ${selectorText || '(all)'}${namespace !== 'default' ? ` -n ${namespace}` : ''}`;
  }

  evaluate({ api, now }: EvalContext): Outcome {
    const pods = api.list('Pod', this.namespace, this.selector);
    const problems: string[] = [];
    const readyCount = pods.filter(isPodReady).length;
    if (this.m.count && !this.m.count.test(pods.length)) problems.push(`count: expected ${this.m.count.describe()}, got ${pods.length}`);
    if (this.m.ready && !this.m.ready.test(readyCount)) problems.push(`ready: expected ${this.m.ready.describe()}, got ${readyCount}`);
    if (this.m.names) {
      const actual = pods.map((p) => p.metadata.name!).sort();
      const want = [...this.m.names].sort();
      if (JSON.stringify(actual) !== JSON.stringify(want)) problems.push(`names: expected [${want.join(', ')}], got [${actual.join(', ')}]`);
    }
    const perPod: [string, Comparator | undefined, (p: KubeObject) => unknown][] = [
      ['phase', this.m.phase, (p) => p.status?.phase],
      ['restarts', this.m.restarts, (p) => (p.status?.containerStatuses ?? []).reduce((n: number, c: any) => n + (c.restartCount ?? 0), 0)],
      ['node', this.m.node, (p) => p.spec?.nodeName],
      ['qosClass', this.m.qosClass, (p) => p.status?.qosClass],
    ];
    for (const [field, cmp, get] of perPod) {
      if (!cmp) continue;
      // per-pod properties must hold for every matching pod and need at least one
      if (pods.length === 0) {
        problems.push(`${field}: expected ${cmp.describe()} for every matching pod, but no pod matched`);
        continue;
      }
      for (const p of pods) {
        const v = get(p);
        if (!cmp.test(v)) problems.push(`${field}: expected ${cmp.describe()}, pod ${p.metadata.name} has ${JSON.stringify(v ?? null)}`);
      }
    }
    if (problems.length === 0) return { ok: true, involved: { kind: 'Pod', objects: pods } };
    return { ok: false, message: problems[0], mismatches: problems, nearMiss: this.nearMiss(pods, readyCount, now), involved: { kind: 'Pod', objects: pods } };
  }

  /** "3 pods matched; 1 Ready; closest web-abc Pending since 12s" */
  private nearMiss(pods: KubeObject[], ready: number, now: number): string {
    if (pods.length === 0) return `no pod matched ${this.selector.toString() || 'the empty selector'} in namespace ${this.namespace}`;
    const notReady = pods.filter((p) => !isPodReady(p));
    let text = `${pods.length} pod${pods.length === 1 ? '' : 's'} matched; ${ready === 0 ? 'none' : ready} Ready`;
    if (notReady.length) {
      const closest = notReady[0];
      const since = lastTransition(closest);
      text += `; closest ${closest.metadata.name} ${podStatus(closest)}${since !== undefined ? ` since ${formatDuration(Math.max(0, Math.floor((now - since) / 1000) * 1000))}` : ''}`;
    }
    return text;
  }
}

function lastTransition(pod: KubeObject): number | undefined {
  let latest: number | undefined;
  for (const c of pod.status?.conditions ?? []) {
    const t = parseTimestamp(c.lastTransitionTime);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest ?? parseTimestamp(pod.metadata.creationTimestamp);
}

// ---- events ------------------------------------------------------------------------------

export class EventSubject implements Subject {
  readonly describe: string;
  readonly kinds = ['Event'];

  constructor(
    readonly reason: Comparator | undefined,
    readonly involvedKind: string | undefined,
    readonly involvedName: Comparator | undefined,
    readonly type: string | undefined,
    readonly message: Comparator | undefined,
    readonly namespace: string,
    readonly count: Comparator,
  ) {
    this.describe = `events${reason ? ` reason ${reason.describe()}` : ''}${involvedKind ? ` on ${involvedKind.toLowerCase()}` : ''}`;
  }

  evaluate({ api }: EvalContext): Outcome {
    const events = api.list('Event', this.namespace).filter((e: any) =>
      (!this.reason || this.reason.test(e.reason)) &&
      (!this.involvedKind || e.involvedObject?.kind === this.involvedKind) &&
      (!this.involvedName || this.involvedName.test(e.involvedObject?.name)) &&
      (!this.type || e.type === this.type) &&
      (!this.message || this.message.test(e.message)),
    );
    const n = events.reduce((sum, e: any) => sum + (e.count ?? 1), 0);
    if (this.count.test(n)) return { ok: true, involved: { kind: 'Event', objects: events } };
    return { ok: false, message: `count: expected ${this.count.describe()} matching events, got ${n}`, involved: { kind: 'Event', objects: events } };
  }
}

// ---- expr (CEL) --------------------------------------------------------------------------

/** What an expression's outcome was computed from, in one run (one API server). */
interface ExprMemo {
  /** the API server's resourceVersion: every write to the store bumps it */
  rv: number;
  /** the instant, when the evaluation read `now` */
  now?: number;
  /** how many requests the log held, when the evaluation read `requests` */
  requests?: number;
  outcome: Outcome;
}

export class ExprSubject implements Subject {
  readonly describe: string;
  readonly kinds = 'all' as const;
  /**
   * The last outcome per run. An expression is a pure function of what it reads: the API
   * objects (unchanged while the resourceVersion is), `now` and the request log (only appended
   * to). The evaluator asks after every event, most of which write nothing (watch deliveries), so
   * the outcome is reused while none of what the evaluation read has moved. A WeakMap, so a run's
   * cluster is not kept alive by the compiled scenario (fuzzing reuses it for every run).
   */
  private readonly memo = new WeakMap<ApiServer, ExprMemo>();

  constructor(readonly source: string, private readonly compiled: CompiledCel) {
    this.describe = `expr ${source.length > 60 ? `${source.slice(0, 57)}...` : source}`;
  }

  evaluate({ api, now }: EvalContext): Outcome {
    const rv = api.store.resourceVersion;
    const m = this.memo.get(api);
    if (m && m.rv === rv && (m.now === undefined || m.now === now) && (m.requests === undefined || m.requests === trafficLog(api).length)) return m.outcome;
    const reads: BindingReads = { now: false, requests: false };
    const outcome = this.evaluateFresh(celBindings(api, now, reads));
    this.memo.set(api, { rv, ...(reads.now ? { now } : {}), ...(reads.requests ? { requests: trafficLog(api).length } : {}), outcome });
    return outcome;
  }

  /** The outcome over these bindings, without the memo. */
  evaluateFresh(bindings: Record<string, unknown>): Outcome {
    const r = evaluateCelBoolean(this.compiled, bindings);
    if ('error' in r) return { ok: false, message: `expression error: ${r.error}` };
    return r.value ? { ok: true } : { ok: false, message: `expected ${this.source} to be true, got false` };
  }
}

/** Which bindings that are not API objects an evaluation read (set by their getters). */
export interface BindingReads {
  now: boolean;
  requests: boolean;
}

/** Every kind as a list named by its lower-case plural, plus `now` (virtual seconds) and `requests`. */
export function celBindings(api: ApiServer, now: number, reads?: BindingReads): Record<string, unknown> {
  const b: Record<string, unknown> = {};
  Object.defineProperty(b, 'now', {
    enumerable: true,
    configurable: true,
    get() {
      if (reads) reads.now = true;
      return now / 1000;
    },
  });
  // each list is built when the expression reads it (most read one or two)
  lazy(b, 'requests', () => {
    if (reads) reads.requests = true;
    return trafficLog(api).all();
  });
  for (const kind of api.store.kinds()) lazy(b, pluralOf(kind), () => api.list(kind));
  for (const k of ['pods', 'deployments', 'replicasets', 'replicationcontrollers', 'services', 'endpoints', 'nodes', 'configmaps', 'secrets', 'events', 'namespaces']) if (!(k in b)) b[k] = [];
  return b;
}

function lazy(b: Record<string, unknown>, name: string, get: () => unknown): void {
  let value: unknown;
  let done = false;
  Object.defineProperty(b, name, {
    enumerable: true,
    configurable: true,
    get() {
      if (!done) {
        value = get();
        done = true;
      }
      return value;
    },
  });
}
