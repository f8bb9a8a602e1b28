// Per-node counts of the cached pods matching each label selector in use, kept up to date as the
// scheduler cache gains, loses and relabels pods. PodTopologySpread's per-cycle states
// (podtopologyspread/filtering.go calPreFilterState, scoring.go initPreScoreState) count, per
// node, the pods of the incoming pod's namespace that are not terminating and match a selector
// (countPodsMatchSelector); InterPodAffinity's (interpodaffinity/filtering.go
// getIncomingAffinityAntiAffinityCounts, scoring.go PreScore) the pods an affinity term matches.
// Upstream walks every pod for them on every cycle; the pods of one workload share one selector,
// so the counts are kept between cycles instead: a cycle then reads O(nodes) counts, and a pod
// change costs one test per selector anchored on one of its label pairs.

import type { KubeObject } from '../api/types.js';

/** A count kept: the pods one predicate (a selector and namespaces) accepts, per owner. */
interface Tracked<N> {
  readonly key: string;
  readonly match: (pod: KubeObject) => boolean;
  /** the `k\0v` label pair every matching pod carries, or undefined (tested against every pod) */
  readonly anchor: string | undefined;
  /** owner -> matching pods there (owners with none are absent) */
  readonly counts: Map<N, number>;
  /** the query number of its last use, for dropping counts nobody asks about any more */
  lastUsed: number;
}

/** A pod as the counts see it, with the owner (the cache's NodeInfo) it is counted on. */
export interface OwnedPod<N> {
  readonly pod: KubeObject;
  readonly owner: N;
}

/** Counts unused for this many queries are dropped (and counted afresh if asked again). */
const SWEEP_EVERY = 1024;

const labelPair = (k: string, v: string) => `${k}\u0000${v}`;

export class MatchCounts<N> {
  private readonly tracked = new Map<string, Tracked<N>>();
  /** anchor label pair -> the selectors anchored on it */
  private readonly byAnchor = new Map<string, Set<Tracked<N>>>();
  private readonly unanchored = new Set<Tracked<N>>();
  private queries = 0;
  private nextSweep: number;

  /** `sweepEvery`: selectors unused for that many queries are dropped */
  constructor(private readonly sweepEvery = SWEEP_EVERY) {
    this.nextSweep = sweepEvery;
  }

  /** number of selectors whose counts are kept (tests) */
  get size(): number {
    return this.tracked.size;
  }

  /**
   * Per owner, the pods `match` accepts (owners with none absent). `key` names the predicate
   * (equal keys: equal predicates); every pod it accepts carries each of `pairs` (a selector's
   * equality requirements). On first use the counts are taken from `scan(anchor)`: every pod
   * carrying the anchor label pair, the rarest of `pairs` by `pairSize`, or every pod that may
   * match when there is none.
   */
  /** the counts kept under `key` (a query, as counts() is), or undefined when none are kept */
  cached(key: string): ReadonlyMap<N, number> | undefined {
    const q = ++this.queries;
    if (q >= this.nextSweep) this.sweep(q);
    const t = this.tracked.get(key);
    if (!t) return undefined;
    t.lastUsed = q;
    return t.counts;
  }

  counts(
    key: string,
    pairs: readonly (readonly [string, string])[],
    match: (pod: KubeObject) => boolean,
    pairSize: (pair: string) => number,
    scan: (anchor: string | undefined) => Iterable<OwnedPod<N>>,
  ): ReadonlyMap<N, number> {
    const q = ++this.queries;
    if (q >= this.nextSweep) this.sweep(q);
    let t = this.tracked.get(key);
    if (!t) {
      let anchor: string | undefined;
      let best = Infinity;
      for (const [k, v] of pairs) {
        const p = labelPair(k, v), size = pairSize(p);
        if (size < best) {
          best = size;
          anchor = p;
        }
      }
      t = { key, match, anchor, counts: new Map(), lastUsed: q };
      for (const { pod, owner } of scan(anchor)) if (match(pod)) bump(t.counts, owner, 1);
      this.tracked.set(key, t);
      if (anchor === undefined) this.unanchored.add(t);
      else {
        let s = this.byAnchor.get(anchor);
        if (!s) this.byAnchor.set(anchor, (s = new Set()));
        s.add(t);
      }
    }
    t.lastUsed = q;
    return t.counts;
  }

  /** a pod is now counted on `owner` */
  added(pod: KubeObject, owner: N): void {
    this.update(pod, owner, 1);
  }

  /** a pod is no longer counted on `owner` (the object it was added or last replaced with) */
  removed(pod: KubeObject, owner: N): void {
    this.update(pod, owner, -1);
  }

  private update(pod: KubeObject, owner: N, by: 1 | -1): void {
    if (this.tracked.size === 0) return;
    const labels: Record<string, string> = pod.metadata.labels ?? {};
    for (const k of Object.keys(labels)) {
      const anchored = this.byAnchor.get(labelPair(k, labels[k]));
      if (anchored) for (const t of anchored) if (t.match(pod)) bump(t.counts, owner, by);
    }
    for (const t of this.unanchored) if (t.match(pod)) bump(t.counts, owner, by);
  }

  private sweep(q: number): void {
    for (const t of this.tracked.values()) {
      if (t.lastUsed > q - this.sweepEvery) continue;
      this.tracked.delete(t.key);
      if (t.anchor === undefined) this.unanchored.delete(t);
      else {
        const s = this.byAnchor.get(t.anchor)!;
        s.delete(t);
        if (s.size === 0) this.byAnchor.delete(t.anchor);
      }
    }
    this.nextSweep = q + this.sweepEvery;
  }
}

function bump<N>(m: Map<N, number>, owner: N, by: number): void {
  const n = (m.get(owner) ?? 0) + by;
  if (n === 0) m.delete(owner);
  else m.set(owner, n);
}
