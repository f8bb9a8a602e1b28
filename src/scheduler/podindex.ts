// The pods of the scheduler cache indexed by namespace and by label pair, kept up to date as
// NodeInfos gain and lose pods, so the per-cycle states of PodTopologySpread (PreFilter
// calPreFilterState, PreScore initPreScoreState) and InterPodAffinity (PreFilter, PreScore) count
// the pods matching a selector per topology domain by visiting only the pods that can match,
// not every pod of every node. Upstream walks every NodeInfo's pods in parallel
// (podtopologyspread/filtering.go calPreFilterState, scoring.go initPreScoreState,
// interpodaffinity/filtering.go getIncomingAffinityAntiAffinityCounts); the counts are the same.

import type { KubeObject } from '../api/types.js';
import type { Selector } from '../api/labels.js';
import { MatchCounts, type OwnedPod } from './matchcounts.js';

/** A pod counted on a node: the pod object (as assumed or last seen) and that node. */
export interface IndexedPod {
  readonly pod: KubeObject;
  readonly node: KubeObject;
}

/**
 * The pods that may match a selector, with the node each is counted on: a superset of the
 * matching pods (callers apply the exact test). `namespaces` narrows the candidates when the
 * selector has no equality pair to look up; undefined means any namespace.
 */
export interface PodLookup {
  candidates(selector: Selector, namespaces: Iterable<string> | undefined): Iterable<IndexedPod>;
  /**
   * countPodsMatchSelector for every node at once, when the lookup keeps such counts: per node
   * name, the pods of `namespace` that are not terminating and match `selector` (nodes with none
   * absent). Without it, callers count over the candidates.
   */
  matchingPerNode?(selector: Selector, namespace: string | undefined): Map<string, { node: KubeObject; count: number }>;
  /**
   * For an affinity term without a namespaceSelector, when the lookup keeps such counts: per
   * node name, the pods whose namespace is one of `namespaces` (a pod without one counts as "")
   * and whose labels match `selector` (nodes with none absent).
   */
  termMatchingPerNode?(selector: Selector, namespaces: ReadonlySet<string>): Map<string, { node: KubeObject; count: number }>;
}

/** A lookup over plain per-node pod lists (tests, small snapshots): every pod is a candidate. */
export function scanLookup(nodes: readonly { node: KubeObject; pods(): Iterable<KubeObject> }[]): PodLookup {
  return {
    *candidates() {
      for (const n of nodes) for (const pod of n.pods()) yield { pod, node: n.node };
    },
  };
}

const labelPair = (k: string, v: string) => `${k}\u0000${v}`;

interface Entry<N> {
  pod: KubeObject;
  owner: N;
}

/**
 * The index. `owner` is the cache's NodeInfo holding the pod; `nodeOf(owner)` gives its current
 * Node object, or undefined when the owner is no longer part of the snapshot (its pods are then
 * skipped, as a snapshot walk over the current nodes would skip them).
 */
export class PodIndex<N> implements PodLookup {
  private readonly entries = new Map<string, Entry<N>>();
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly byLabel = new Map<string, Set<string>>();
  /** per-owner counts of the pods matching each selector in use (matchcounts.ts) */
  private readonly matchCounts: MatchCounts<N>;

  /** `sweepEvery`: see MatchCounts (tests shorten it) */
  constructor(
    private readonly nodeOf: (owner: N) => KubeObject | undefined,
    sweepEvery?: number,
  ) {
    this.matchCounts = new MatchCounts<N>(sweepEvery);
  }

  get size(): number {
    return this.entries.size;
  }

  /** selectors whose per-node counts are kept (tests) */
  get trackedSelectors(): number {
    return this.matchCounts.size;
  }

  add(key: string, pod: KubeObject, owner: N): void {
    if (this.entries.has(key)) this.remove(key);
    this.entries.set(key, { pod, owner });
    this.matchCounts.added(pod, owner);
    addTo(this.byNamespace, pod.metadata.namespace ?? '', key);
    for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) addTo(this.byLabel, labelPair(k, v), key);
  }

  /** a newer object of the same pod (its labels may have changed) */
  replace(key: string, pod: KubeObject): void {
    const e = this.entries.get(key);
    if (!e || e.pod === pod) return;
    const before: Record<string, string> = e.pod.metadata.labels ?? {}, after: Record<string, string> = pod.metadata.labels ?? {};
    // most updates (status, conditions) keep the labels and the deletion mark: nothing to re-index
    if (!e.pod.metadata.deletionTimestamp === !pod.metadata.deletionTimestamp && sameLabels(before, after)) {
      e.pod = pod;
      return;
    }
    let relabelled = false;
    for (const [k, v] of Object.entries(before)) {
      if (after[k] !== v) {
        removeFrom(this.byLabel, labelPair(k, v), key);
        relabelled = true;
      } else if (!Object.prototype.hasOwnProperty.call(after, k)) relabelled = true;
    }
    for (const [k, v] of Object.entries(after)) {
      if (before[k] !== v) {
        addTo(this.byLabel, labelPair(k, v), key);
        relabelled = true;
      } else if (!Object.prototype.hasOwnProperty.call(before, k)) relabelled = true;
    }
    // the counts read the labels, the namespace (the same for one key) and whether the pod is
    // terminating: a status change alone leaves them as they are
    if (relabelled || !e.pod.metadata.deletionTimestamp !== !pod.metadata.deletionTimestamp) {
      this.matchCounts.removed(e.pod, e.owner);
      this.matchCounts.added(pod, e.owner);
    }
    e.pod = pod;
  }

  remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.matchCounts.removed(e.pod, e.owner);
    removeFrom(this.byNamespace, e.pod.metadata.namespace ?? '', key);
    for (const [k, v] of Object.entries(e.pod.metadata.labels ?? {})) removeFrom(this.byLabel, labelPair(k, v), key);
  }

  *candidates(selector: Selector, namespaces: Iterable<string> | undefined): Iterable<IndexedPod> {
    if (selector.isNothing()) return;
    // the smallest set among the selector's `k=v` pairs holds every matching pod
    let keys: Iterable<string> | undefined;
    let best = Infinity;
    for (const [k, v] of selector.equalityPairs()) {
      const set = this.byLabel.get(labelPair(k, v));
      if (!set) return;
      if (set.size < best) {
        best = set.size;
        keys = set;
      }
    }
    if (!keys && namespaces) keys = this.inNamespaces(namespaces);
    for (const key of keys ?? this.entries.keys()) {
      const e = this.entries.get(key)!;
      const node = this.nodeOf(e.owner);
      if (node) yield { pod: e.pod, node };
    }
  }

  matchingPerNode(selector: Selector, namespace: string | undefined): Map<string, { node: KubeObject; count: number }> {
    // countPodsMatchSelector counts none for an empty selector, and Nothing matches nothing
    if (selector.empty() || selector.isNothing()) return new Map();
    const key = spreadKey(selector, namespace);
    // the workload's counts are usually kept already: no predicate to build
    const kept = this.matchCounts.cached(key);
    if (kept) return this.perNode(kept);
    const match = (p: KubeObject) => !p.metadata.deletionTimestamp && p.metadata.namespace === namespace && selector.matches(p.metadata.labels ?? {});
    return this.perNode(
      this.matchCounts.counts(key, selector.equalityPairs(), match, this.pairSize, (anchor) =>
        this.owned(anchor === undefined ? this.byNamespace.get(namespace ?? '') : this.byLabel.get(anchor)),
      ),
    );
  }

  termMatchingPerNode(selector: Selector, namespaces: ReadonlySet<string>): Map<string, { node: KubeObject; count: number }> {
    if (selector.isNothing() || namespaces.size === 0) return new Map();
    const key = `term\u0000${JSON.stringify([...namespaces].sort())}\u0000${requirementsKey(selector)}`;
    const match = (p: KubeObject) => namespaces.has(p.metadata.namespace ?? '') && selector.matches(p.metadata.labels ?? {});
    return this.perNode(
      this.matchCounts.counts(key, selector.equalityPairs(), match, this.pairSize, (anchor) =>
        this.owned(anchor === undefined ? this.inNamespaces(namespaces) : this.byLabel.get(anchor)),
      ),
    );
  }

  private readonly pairSize = (pair: string) => this.byLabel.get(pair)?.size ?? 0;

  /** owner counts as counts per node name, for the owners that are nodes of the snapshot */
  private perNode(counts: ReadonlyMap<N, number>): Map<string, { node: KubeObject; count: number }> {
    const out = new Map<string, { node: KubeObject; count: number }>();
    for (const [owner, count] of counts) {
      const node = this.nodeOf(owner);
      if (node) out.set(node.metadata.name!, { node, count });
    }
    return out;
  }

  private *owned(keys: Iterable<string> | undefined): Iterable<OwnedPod<N>> {
    for (const key of keys ?? []) yield this.entries.get(key)!;
  }

  private *inNamespaces(namespaces: Iterable<string>): Iterable<string> {
    for (const ns of new Set(namespaces)) yield* this.byNamespace.get(ns) ?? [];
  }
}

// a Selector is immutable: its requirements' text is kept with it (the pods of one workload
// share one Selector object, topologyspread.ts defaultSelector)
const requirementsKeys = new WeakMap<Selector, string>();
function requirementsKey(selector: Selector): string {
  let k = requirementsKeys.get(selector);
  if (k === undefined) requirementsKeys.set(selector, (k = JSON.stringify(selector.requirements())));
  return k;
}

/** the MatchCounts key of countPodsMatchSelector(selector, namespace), kept per Selector */
const spreadKeys = new WeakMap<Selector, Map<string | undefined, string>>();
function spreadKey(selector: Selector, namespace: string | undefined): string {
  let byNs = spreadKeys.get(selector);
  if (!byNs) spreadKeys.set(selector, (byNs = new Map()));
  let k = byNs.get(namespace);
  if (k === undefined) byNs.set(namespace, (k = `spread\u0000${namespace === undefined ? '\u0001' : JSON.stringify(namespace)}\u0000${requirementsKey(selector)}`));
  return k;
}

function addTo(m: Map<string, Set<string>>, k: string, key: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(key);
}

function removeFrom(m: Map<string, Set<string>>, k: string, key: string): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(key);
  if (s.size === 0) m.delete(k);
}

/** the same label pairs (key order aside); label values are strings */
function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i];
    if (a[k] !== b[k] || !Object.prototype.hasOwnProperty.call(b, k)) return false;
  }
  return true;
}
