// InterPodAffinity Filter and Score (pkg/scheduler/framework/plugins/interpodaffinity/
// filtering.go, scoring.go; framework/types.go AffinityTerm, getAffinityTerms). PreFilter and
// PreScore run once per scheduling cycle and reduce every pod in the snapshot to counts per
// topology pair (key, value), so Filter and Score cost O(labels) per node.

import type { KubeObject } from '../api/types.js';
import { newRequirement, nothing, selectorFromLabelSelector, selectorFromRequirements, type Labels, type Requirement, type Selector } from '../api/labels.js';
import { scanLookup, type IndexedPod, type PodLookup } from './podindex.js';

export const ERR_AFFINITY_RULES = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY_RULES = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
/** InterPodAffinityArgs.hardPodAffinityWeight default (v1.DefaultHardPodAffinitySymmetricWeight) */
export const HARD_POD_AFFINITY_WEIGHT = 1;

/** A node of the scheduler's snapshot and the pods counted on it. */
export interface SnapshotNode {
  node: KubeObject;
  pods(): Iterable<KubeObject>;
  /** the pods here with any pod affinity or anti-affinity (NodeInfo.PodsWithAffinity) */
  podsWithAffinity(): Iterable<KubeObject>;
}

/** Looks up a namespace's labels (the namespace lister), for namespaceSelector. */
export type NamespaceLabels = (namespace: string | undefined) => Labels | undefined;

/** framework.AffinityTerm: a PodAffinityTerm with its selectors parsed. */
export interface AffinityTerm {
  namespaces: ReadonlySet<string>;
  /** undefined for a nil namespaceSelector (labels.Nothing) */
  namespaceSelector: Selector | undefined;
  selector: Selector;
  topologyKey: string;
}
export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** PodInfo's parsed terms of one pod. */
export interface PodAffinityTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

// stored objects are never mutated (copy-on-write), so a pod's parsed terms can be cached
const termsCache = new WeakMap<object, PodAffinityTerms>();

export function hasPodAffinity(pod: KubeObject): boolean {
  const a = pod.spec?.affinity;
  return !!(a?.podAffinity || a?.podAntiAffinity);
}

/** The pod's terms, parsed once per pod object. */
export function podAffinityTerms(pod: KubeObject): PodAffinityTerms {
  let t = termsCache.get(pod);
  if (!t) {
    const a = pod.spec?.affinity ?? {};
    t = {
      requiredAffinity: (a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((x: any) => affinityTerm(pod, x)),
      requiredAntiAffinity: (a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((x: any) => affinityTerm(pod, x)),
      preferredAffinity: (a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((x: any) => weighted(pod, x)),
      preferredAntiAffinity: (a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((x: any) => weighted(pod, x)),
    };
    termsCache.set(pod, t);
  }
  return t;
}

function weighted(pod: KubeObject, w: any): WeightedAffinityTerm {
  return { ...affinityTerm(pod, w?.podAffinityTerm ?? {}), weight: Number(w?.weight ?? 0) };
}

/**
 * getAffinityTerm / GetNamespacesFromPodAffinityTerm: no namespaces and a nil namespaceSelector
 * mean the pod's own namespace; `{}` selects every namespace. matchLabelKeys / mismatchLabelKeys
 * (MatchLabelKeysInPodAffinity) add `key in (v)` / `key notin (v)` for the pod's own value of
 * each key — upstream's API server merges them into labelSelector when the pod is created; the
 * selection is the same.
 */
export function affinityTerm(pod: KubeObject, term: any): AffinityTerm {
  const namespaces = new Set<string>(term?.namespaces ?? []);
  const nsSel = term?.namespaceSelector;
  if (namespaces.size === 0 && (nsSel === undefined || nsSel === null)) namespaces.add(pod.metadata.namespace ?? '');
  let namespaceSelector: Selector | undefined;
  if (nsSel !== undefined && nsSel !== null) {
    try {
      namespaceSelector = selectorFromLabelSelector(nsSel);
    } catch {
      namespaceSelector = nothing();
    }
  }
  let selector: Selector;
  try {
    selector = selectorFromLabelSelector(term?.labelSelector);
  } catch {
    // an invalid selector fails upstream's PreFilter/PreScore; the API server rejects such pods
    selector = nothing();
  }
  try {
    selector = mergeLabelKeys(selector, pod.metadata.labels ?? {}, term?.matchLabelKeys, term?.mismatchLabelKeys);
  } catch {
    // an invalid key: upstream's API server refuses the pod; keep the plain selector
  }
  return { namespaces, namespaceSelector, selector, topologyKey: String(term?.topologyKey ?? '') };
}

function mergeLabelKeys(selector: Selector, podLabels: Labels, match: string[] | undefined, mismatch: string[] | undefined): Selector {
  if (selector.isNothing() || (!match?.length && !mismatch?.length)) return selector;
  const extra: Requirement[] = [];
  for (const k of match ?? []) if (k in podLabels) extra.push(newRequirement(k, 'in', [podLabels[k]]));
  for (const k of mismatch ?? []) if (k in podLabels) extra.push(newRequirement(k, 'notin', [podLabels[k]]));
  return extra.length ? selectorFromRequirements([...selector.requirements(), ...extra]) : selector;
}

/** AffinityTerm.Matches: the pod's namespace is selected, and its labels match. */
export function termMatches(term: AffinityTerm, pod: KubeObject, nsLabels: NamespaceLabels): boolean {
  const ns = pod.metadata.namespace ?? '';
  if (!term.namespaces.has(ns)) {
    if (!term.namespaceSelector || term.namespaceSelector.isNothing()) return false;
    if (!term.namespaceSelector.empty() && !term.namespaceSelector.matches(nsLabels(ns) ?? {})) return false;
  }
  return term.selector.matches(pod.metadata.labels ?? {});
}

/**
 * The snapshot's pods that may match the term (a superset; callers apply termMatches): looked up
 * by the selector's label pairs, else by the term's namespaces when no namespaceSelector widens
 * them.
 */
function termCandidates(lookup: PodLookup, term: AffinityTerm): Iterable<IndexedPod> {
  const anyNamespace = term.namespaceSelector !== undefined && !term.namespaceSelector.isNothing();
  return lookup.candidates(term.selector, anyNamespace ? undefined : term.namespaces);
}

/**
 * Per node, the snapshot's pods the term matches, from the counts the lookup keeps (the
 * scheduler's PodIndex, matchcounts.ts) in O(nodes); undefined when it keeps none, or when a
 * namespaceSelector makes the match depend on namespace labels (callers then walk the candidates).
 */
function termCountsPerNode(lookup: PodLookup, term: AffinityTerm): Iterable<{ node: KubeObject; count: number }> | undefined {
  if (!lookup.termMatchingPerNode) return undefined;
  if (term.namespaceSelector !== undefined && !term.namespaceSelector.isNothing()) return undefined;
  return lookup.termMatchingPerNode(term.selector, term.namespaces).values();
}

/** podMatchesAllAffinityTerms: false for no terms. */
function matchesAll(terms: AffinityTerm[], pod: KubeObject, nsLabels: NamespaceLabels): boolean {
  if (terms.length === 0) return false;
  return terms.every((t) => termMatches(t, pod, nsLabels));
}

/** topologyPair as a map key */
const pairKey = (k: string, v: string) => `${k}\u0000${v}`;

function bump(m: Map<string, number>, node: KubeObject, key: string, by: number): void {
  const v = node.metadata.labels?.[key];
  if (v === undefined) return;
  const p = pairKey(key, v);
  const n = (m.get(p) ?? 0) + by;
  if (n === 0) m.delete(p);
  else m.set(p, n);
}

/** preFilterState */
export interface InterPodAffinityState {
  terms: PodAffinityTerms;
  incoming: KubeObject;
  /** pairs → existing pods whose required anti-affinity matches the incoming pod */
  existingAntiAffinityCounts: Map<string, number>;
  /** pairs → existing pods matching all the incoming pod's required affinity terms */
  affinityCounts: Map<string, number>;
  /** pairs → existing pods matching one of the incoming pod's required anti-affinity terms */
  antiAffinityCounts: Map<string, number>;
  nsLabels: NamespaceLabels;
}

/**
 * PreFilter: undefined when the plugin is skipped (the pod has no required terms and no existing
 * pod's required anti-affinity matches it), as upstream returns Skip. `lookup` offers the pods of
 * `nodes` that may match a term (default: every pod of every node).
 */
export function interPodAffinityPreFilter(pod: KubeObject, nodes: readonly SnapshotNode[], nsLabels: NamespaceLabels, lookup: PodLookup = scanLookup(nodes)): InterPodAffinityState | undefined {
  const terms = podAffinityTerms(pod);
  const existingAntiAffinityCounts = new Map<string, number>();
  // getExistingAntiAffinityCounts: only pods with affinity can carry anti-affinity terms
  for (const n of nodes) {
    for (const existing of n.podsWithAffinity()) {
      for (const t of podAffinityTerms(existing).requiredAntiAffinity) {
        // the existing pod's namespaceSelector is matched against the incoming pod's namespace
        if (termMatches(t, pod, nsLabels)) bump(existingAntiAffinityCounts, n.node, t.topologyKey, 1);
      }
    }
  }
  const affinityCounts = new Map<string, number>();
  const antiAffinityCounts = new Map<string, number>();
  if (terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0) {
    // getIncomingAffinityAntiAffinityCounts: the pods that may match a term (a pod matching all
    // the affinity terms matches the first)
    if (terms.requiredAffinity.length > 0) {
      // one term: its kept counts per node (a pod matching it matches all the terms)
      const counted = terms.requiredAffinity.length === 1 ? termCountsPerNode(lookup, terms.requiredAffinity[0]) : undefined;
      if (counted) {
        for (const { node, count } of counted) bump(affinityCounts, node, terms.requiredAffinity[0].topologyKey, count);
      } else {
        for (const { pod: existing, node } of termCandidates(lookup, terms.requiredAffinity[0])) {
          if (matchesAll(terms.requiredAffinity, existing, nsLabels)) {
            for (const t of terms.requiredAffinity) bump(affinityCounts, node, t.topologyKey, 1);
          }
        }
      }
    }
    for (const t of terms.requiredAntiAffinity) {
      const counted = termCountsPerNode(lookup, t);
      if (counted) {
        for (const { node, count } of counted) bump(antiAffinityCounts, node, t.topologyKey, count);
        continue;
      }
      for (const { pod: existing, node } of termCandidates(lookup, t)) {
        if (termMatches(t, existing, nsLabels)) bump(antiAffinityCounts, node, t.topologyKey, 1);
      }
    }
  } else if (existingAntiAffinityCounts.size === 0) return undefined;
  return { terms, incoming: pod, existingAntiAffinityCounts, affinityCounts, antiAffinityCounts, nsLabels };
}

/** Filter: the first of the three checks that fails, or undefined. */
export function interPodAffinityFilter(s: InterPodAffinityState, node: KubeObject): string | undefined {
  const labels: Record<string, string> = node.metadata.labels ?? {};
  // satisfyPodAffinity
  let podsExist = true;
  for (const t of s.terms.requiredAffinity) {
    const v = labels[t.topologyKey];
    // all topology labels must exist on the node
    if (v === undefined) return ERR_AFFINITY_RULES;
    if ((s.affinityCounts.get(pairKey(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  if (!podsExist) {
    // the first pod of a group with affinity to itself: allowed when no pod anywhere matches and
    // the pod matches its own terms (and the node has every topology label, checked above)
    if (!(s.affinityCounts.size === 0 && matchesAll(s.terms.requiredAffinity, s.incoming, s.nsLabels))) return ERR_AFFINITY_RULES;
  }
  // satisfyPodAntiAffinity
  if (s.antiAffinityCounts.size > 0) {
    for (const t of s.terms.requiredAntiAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined && (s.antiAffinityCounts.get(pairKey(t.topologyKey, v)) ?? 0) > 0) return ERR_ANTI_AFFINITY_RULES;
    }
  }
  // satisfyExistingPodsAntiAffinity
  if (s.existingAntiAffinityCounts.size > 0) {
    for (const [k, v] of Object.entries(labels)) {
      if ((s.existingAntiAffinityCounts.get(pairKey(k, v)) ?? 0) > 0) return ERR_EXISTING_ANTI_AFFINITY;
    }
  }
  return undefined;
}

/** Filter failures preemption might resolve (Unschedulable, not UnschedulableAndUnresolvable). */
export function interPodAffinityResolvable(reason: string): boolean {
  return reason === ERR_ANTI_AFFINITY_RULES || reason === ERR_EXISTING_ANTI_AFFINITY;
}

/**
 * PreScore + Score + NormalizeScore: per feasible node, the sum of ± weights of the terms (the
 * incoming pod's preferred terms, and symmetrically existing pods' preferred terms and required
 * affinity × hardPodAffinityWeight) matched in the node's topology domains, normalised to
 * 0..100 between the lowest and highest node. undefined when the plugin is skipped.
 */
export function interPodAffinityScores(
  pod: KubeObject,
  feasible: readonly KubeObject[],
  nodes: readonly SnapshotNode[],
  nsLabels: NamespaceLabels,
  hardPodAffinityWeight = HARD_POD_AFFINITY_WEIGHT,
  lookup: PodLookup = scanLookup(nodes),
): number[] | undefined {
  if (feasible.length === 0) return undefined;
  const terms = podAffinityTerms(pod);
  /** topologyKey → value → score */
  const topologyScore = new Map<string, Map<string, number>>();
  const add = (term: AffinityTerm, weight: number, target: KubeObject | undefined, node: KubeObject) => {
    const labels = node.metadata.labels;
    if (!labels) return;
    const v = labels[term.topologyKey];
    // no target: `weight` is for pods already known to match
    if (v === undefined || (target && !termMatches(term, target, nsLabels))) return;
    let m = topologyScore.get(term.topologyKey);
    if (!m) topologyScore.set(term.topologyKey, (m = new Map()));
    m.set(v, (m.get(v) ?? 0) + weight);
  };
  // the incoming pod's preferred terms over the pods they match: from the kept counts per node,
  // else over the pods that may match (integer weights: the sums do not depend on the order pods
  // are visited in, and count × weight is the sum of count weights)
  const incoming = (t: WeightedAffinityTerm, weight: number) => {
    const counted = Number.isInteger(weight) ? termCountsPerNode(lookup, t) : undefined;
    if (counted) for (const { node, count } of counted) add(t, weight * count, undefined, node);
    else for (const { pod: existing, node } of termCandidates(lookup, t)) add(t, weight, existing, node);
  };
  for (const t of terms.preferredAffinity) incoming(t, t.weight);
  for (const t of terms.preferredAntiAffinity) incoming(t, -t.weight);
  for (const n of nodes) {
    // existing pods' terms: only pods with affinity have any
    for (const existing of n.podsWithAffinity()) {
      const et = podAffinityTerms(existing);
      if (hardPodAffinityWeight > 0) for (const t of et.requiredAffinity) add(t, hardPodAffinityWeight, pod, n.node);
      for (const t of et.preferredAffinity) add(t, t.weight, pod, n.node);
      for (const t of et.preferredAntiAffinity) add(t, -t.weight, pod, n.node);
    }
  }
  if (topologyScore.size === 0) return undefined;
  const raw = feasible.map((node) => {
    let s = 0;
    for (const [k, values] of topologyScore) {
      const v = node.metadata.labels?.[k];
      if (v !== undefined) s += values.get(v) ?? 0;
    }
    return s;
  });
  return normalizeAffinityScores(raw);
}

/** NormalizeScore: 100·(s − min)/(max − min) over the scored nodes, all 0 when they are equal. */
export function normalizeAffinityScores(raw: number[]): number[] {
  let min = Infinity, max = -Infinity;
  for (const s of raw) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const diff = max - min;
  return raw.map((s) => (diff > 0 ? Math.trunc(100 * ((s - min) / diff)) : 0));
}

/**
 * PreFilterExtensions AddPod / RemovePod (updateWithPod): the state as if `added` pods ran on
 * `node` and `removed` pods did not — preemption's dry runs and nominated pods. A copy; the
 * cycle's state is left alone.
 */
export function interPodAffinityWithPods(s: InterPodAffinityState, node: KubeObject, added: readonly KubeObject[], removed: readonly KubeObject[]): InterPodAffinityState {
  const c: InterPodAffinityState = {
    ...s,
    existingAntiAffinityCounts: new Map(s.existingAntiAffinityCounts),
    affinityCounts: new Map(s.affinityCounts),
    antiAffinityCounts: new Map(s.antiAffinityCounts),
  };
  const update = (p: KubeObject, by: number) => {
    for (const t of podAffinityTerms(p).requiredAntiAffinity) if (termMatches(t, s.incoming, s.nsLabels)) bump(c.existingAntiAffinityCounts, node, t.topologyKey, by);
    if (matchesAll(s.terms.requiredAffinity, p, s.nsLabels)) for (const t of s.terms.requiredAffinity) bump(c.affinityCounts, node, t.topologyKey, by);
    for (const t of s.terms.requiredAntiAffinity) if (termMatches(t, p, s.nsLabels)) bump(c.antiAffinityCounts, node, t.topologyKey, by);
  };
  for (const p of added) update(p, 1);
  for (const p of removed) update(p, -1);
  return c;
}
