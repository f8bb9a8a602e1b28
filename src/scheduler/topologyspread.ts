// PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread/common.go, filtering.go,
// scoring.go, plugin.go): the pod's own topologySpreadConstraints (DoNotSchedule filter,
// ScheduleAnyway score) or, for a pod with none, the system default constraints (defaultingType
// System, score only).

import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import { nothing, selectorFromLabelSelector, selectorFromRequirements, selectorFromSet, type Requirement, type Selector } from '../api/labels.js';
import { tolerationsTolerateTaint } from './helpers.js';
import { scanLookup, type PodLookup } from './podindex.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** plugin.go systemDefaultConstraints (both ScheduleAnyway, so they only score). */
export const SYSTEM_DEFAULT_CONSTRAINTS = [
  { topologyKey: LABEL_HOSTNAME, maxSkew: 3 },
  { topologyKey: LABEL_ZONE, maxSkew: 5 },
] as const;

// Stored objects are never changed in place, so the selectors parsed from a Service or a
// controller object are kept with the object: DefaultSelector runs on every scheduling cycle.
const serviceSelectors = new WeakMap<object, Selector>();
const controllerSelectors = new WeakMap<object, readonly Requirement[]>();

function serviceSelector(svc: KubeObject, sel: Record<string, string>): Selector {
  let s = serviceSelectors.get(svc);
  if (!s) serviceSelectors.set(svc, (s = selectorFromSet(sel)));
  return s;
}

/** a ReplicaSet's or StatefulSet's spec.selector as requirements (none when invalid) */
function controllerRequirements(o: KubeObject): readonly Requirement[] {
  let reqs = controllerSelectors.get(o);
  if (!reqs) {
    try {
      reqs = selectorFromLabelSelector(o.spec?.selector).requirements();
    } catch {
      // an invalid selector adds nothing, as LabelSelectorAsSelector's error is ignored
      reqs = [];
    }
    controllerSelectors.set(o, reqs);
  }
  return reqs;
}

/**
 * helper.DefaultSelector (framework/plugins/helper/spread.go): the merged selectors of the
 * Services selecting the pod (nil selectors match nothing), plus the selector of its controller
 * when that is a ReplicationController, ReplicaSet or StatefulSet. Empty → no spreading.
 */
export function defaultSelector(api: ApiServer, pod: KubeObject): Selector {
  const ns = pod.metadata.namespace;
  const podLabels = pod.metadata.labels ?? {};
  const services: KubeObject[] = [];
  for (const svc of api.store.iterate('Service', ns)) {
    const sel = svc.spec?.selector;
    if (sel && serviceSelector(svc, sel).matches(podLabels)) services.push(svc);
  }
  // the controller object the selector reads (a ReplicationController, ReplicaSet or StatefulSet)
  let controller: KubeObject | undefined;
  const owner = (pod.metadata.ownerReferences ?? []).find((r: any) => r.controller);
  if (owner) {
    const group = String(owner.apiVersion ?? '').includes('/') ? String(owner.apiVersion).split('/')[0] : '';
    const kind = owner.kind;
    if (kind === 'ReplicationController' && group === '') controller = api.get('ReplicationController', ns, owner.name);
    else if ((kind === 'ReplicaSet' || kind === 'StatefulSet') && group === 'apps') controller = api.get(kind, ns, owner.name);
  }
  // the selector depends on nothing but these stored objects (never changed in place): the pods
  // of one workload share one Selector object, and with it their per-node match counts
  let at = defaultSelectors;
  for (const o of services) {
    let next = at.next.get(o);
    if (!next) at.next.set(o, (next = { next: new WeakMap() }));
    at = next;
  }
  const last = controller ?? NO_CONTROLLER;
  let leaf = at.next.get(last);
  if (!leaf) at.next.set(last, (leaf = { next: new WeakMap() }));
  return (leaf.selector ??= mergedDefaultSelector(services, controller));
}

/** A trie over object identities: the matched Services in order, then the controller. */
interface SelectorTrie {
  readonly next: WeakMap<object, SelectorTrie>;
  selector?: Selector;
}
const defaultSelectors: SelectorTrie = { next: new WeakMap() };
const NO_CONTROLLER = {};

/** DefaultSelector's merge of the Services' selectors and the controller's */
function mergedDefaultSelector(services: readonly KubeObject[], controller: KubeObject | undefined): Selector {
  const set: Record<string, string> = {};
  for (const svc of services) Object.assign(set, svc.spec.selector);
  if (controller?.kind === 'ReplicationController') {
    Object.assign(set, controller.spec?.selector ?? {});
    return selectorFromSet(set);
  }
  const reqs: Requirement[] = [...selectorFromSet(set).requirements()];
  if (controller) reqs.push(...controllerRequirements(controller));
  return selectorFromRequirements(reqs);
}

/**
 * countPodsMatchSelector for every node at once: per node name, the pods (same namespace, not
 * terminating, labels match; an empty selector counts none) counted on it. A lookup keeping
 * per-node counts (the scheduler's PodIndex, matchcounts.ts) answers from them in O(nodes);
 * otherwise only the pods the lookup offers as candidates are visited.
 */
function countMatchingPerNode(lookup: PodLookup, selector: Selector, namespace: string | undefined): Map<string, { node: KubeObject; count: number }> {
  if (lookup.matchingPerNode) return lookup.matchingPerNode(selector, namespace);
  const out = new Map<string, { node: KubeObject; count: number }>();
  if (selector.empty()) return out;
  for (const { pod: p, node } of lookup.candidates(selector, [namespace ?? ''])) {
    if (p.metadata.deletionTimestamp || p.metadata.namespace !== namespace) continue;
    if (!selector.matches(p.metadata.labels ?? {})) continue;
    const name = node.metadata.name!;
    const e = out.get(name);
    if (e) e.count++;
    else out.set(name, { node, count: 1 });
  }
  return out;
}

/** pods counted on the nodes: a PodLookup as is, or a per-node function scanned over `nodes` */
export type PodsSource = PodLookup | ((node: KubeObject) => Iterable<KubeObject>);
function asLookup(pods: PodsSource, nodes: readonly KubeObject[]): PodLookup {
  return typeof pods === 'function' ? scanLookup(nodes.map((node) => ({ node, pods: () => pods(node) }))) : pods;
}

export const ERR_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_NODE_LABEL_NOT_MATCH = "node(s) didn't match pod topology spread constraints (missing required label)";

/** common.go topologySpreadConstraint: a constraint with its selector parsed and defaults applied. */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

/**
 * filterTopologySpreadConstraints: the pod's own constraints with the given whenUnsatisfiable.
 * minDomains nil → 1, nodeAffinityPolicy nil → Honor, nodeTaintsPolicy nil → Ignore. matchLabelKeys
 * adds `key=value` for each key the pod carries (mergeLabelSetWithSelector; a nil labelSelector
 * stays Nothing).
 */
export function podSpreadConstraints(pod: KubeObject, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
  const podLabels: Record<string, string> = pod.metadata.labels ?? {};
  const out: SpreadConstraint[] = [];
  for (const c of pod.spec?.topologySpreadConstraints ?? []) {
    if (c?.whenUnsatisfiable !== action) continue;
    let selector: Selector;
    try {
      selector = selectorFromLabelSelector(c.labelSelector);
    } catch {
      selector = nothing();
    }
    const keys: string[] = (c.matchLabelKeys ?? []).filter((k: string) => k in podLabels);
    if (keys.length > 0 && !selector.isNothing()) {
      const set: Record<string, string> = {};
      for (const k of keys) set[k] = podLabels[k];
      selector = selectorFromRequirements([...selectorFromSet(set).requirements(), ...selector.requirements()]);
    }
    out.push({
      maxSkew: Number(c.maxSkew ?? 1),
      topologyKey: String(c.topologyKey ?? ''),
      selector,
      minDomains: Number(c.minDomains ?? 1),
      nodeAffinityPolicy: c.nodeAffinityPolicy === 'Ignore' ? 'Ignore' : 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy === 'Honor' ? 'Honor' : 'Ignore',
    });
  }
  return out;
}

/** matchNodeInclusionPolicies: Honor nodeAffinity → the pod's required node affinity must match;
 * Honor nodeTaints → the pod must tolerate the node's NoSchedule/NoExecute taints. */
function includesNode(c: SpreadConstraint, pod: KubeObject, node: KubeObject, nodeAffinity: (n: KubeObject) => boolean): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !nodeAffinity(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor') {
    const tolerations = pod.spec?.tolerations ?? [];
    for (const t of node.spec?.taints ?? []) {
      if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerationsTolerateTaint(tolerations, t)) return false;
    }
  }
  return true;
}

/** nodeLabelsMatchSpreadConstraints: the node has every constraint's topology key. */
function hasAllKeys(node: KubeObject, constraints: readonly SpreadConstraint[]): boolean {
  const labels = node.metadata.labels ?? {};
  return constraints.every((c) => c.topologyKey in labels);
}

const pairKey = (k: string, v: string) => `${k}\u0000${v}`;

/** A node of the scheduler's snapshot with the pods counted on it. */
export interface SpreadNode {
  node: KubeObject;
  pods(): Iterable<KubeObject>;
}

/** filtering.go preFilterState: matching pods per topology pair, domains and minimum per key. */
export interface SpreadFilterState {
  constraints: SpreadConstraint[];
  matchNum: Map<string, number>;
  domains: Map<string, number>;
  minMatch: Map<string, number>;
}

/**
 * PreFilter (calPreFilterState) for the pod's DoNotSchedule constraints (the system defaults are
 * all ScheduleAnyway, so they never filter). Only nodes with every topology key and passing the
 * inclusion policies count; undefined when there is nothing to check. `lookup` offers the pods
 * of `nodes` that may match (default: every pod of every node).
 */
export function topologySpreadPreFilter(pod: KubeObject, nodes: readonly SpreadNode[], nodeAffinity: (n: KubeObject) => boolean, lookup: PodLookup = scanLookup(nodes)): SpreadFilterState | undefined {
  const constraints = podSpreadConstraints(pod, 'DoNotSchedule');
  if (constraints.length === 0) return undefined;
  const ns = pod.metadata.namespace;
  // matching pods per node once per constraint, then summed per eligible domain (every eligible
  // domain gets an entry, zero included)
  const counts = constraints.map((c) => countMatchingPerNode(lookup, c.selector, ns));
  const matchNum = new Map<string, number>();
  for (const n of nodes) {
    if (!hasAllKeys(n.node, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!includesNode(c, pod, n.node, nodeAffinity)) return;
      const p = pairKey(c.topologyKey, n.node.metadata.labels![c.topologyKey]);
      matchNum.set(p, (matchNum.get(p) ?? 0) + (counts[i].get(n.node.metadata.name!)?.count ?? 0));
    });
  }
  const domains = new Map<string, number>();
  const minMatch = new Map<string, number>();
  for (const [p, num] of matchNum) {
    const key = p.slice(0, p.indexOf('\u0000'));
    domains.set(key, (domains.get(key) ?? 0) + 1);
    if (num < (minMatch.get(key) ?? Infinity)) minMatch.set(key, num);
  }
  return { constraints, matchNum, domains, minMatch };
}

/** Filter: matchNum(domain) + selfMatch − globalMinimum ≤ maxSkew for every constraint. */
export function topologySpreadFilter(s: SpreadFilterState, pod: KubeObject, node: KubeObject): string | undefined {
  const labels: Record<string, string> = node.metadata.labels ?? {};
  const podLabels = pod.metadata.labels ?? {};
  for (const c of s.constraints) {
    const v = labels[c.topologyKey];
    if (v === undefined) return ERR_NODE_LABEL_NOT_MATCH;
    // no eligible domain for the key: upstream logs an internal error and skips the constraint
    if (!s.domains.has(c.topologyKey)) continue;
    // fewer eligible domains than minDomains → the global minimum is taken as 0
    const min = s.domains.get(c.topologyKey)! < c.minDomains ? 0 : s.minMatch.get(c.topologyKey)!;
    const self = c.selector.matches(podLabels) ? 1 : 0;
    if ((s.matchNum.get(pairKey(c.topologyKey, v)) ?? 0) + self - min > c.maxSkew) return ERR_CONSTRAINTS_NOT_MATCH;
  }
  return undefined;
}

/** Filter failures preemption might resolve: skew (Unschedulable), not a missing label. */
export function topologySpreadResolvable(reason: string): boolean {
  return reason === ERR_CONSTRAINTS_NOT_MATCH;
}

/**
 * PodTopologySpread scores (0..100) for the feasible `nodes`: the pod's own ScheduleAnyway
 * constraints when it has any constraints (nodes missing a topology key score 0), else the system
 * defaults; undefined when the plugin skips. `allNodes` are every node, `podsOn` the pods counted
 * on them (a PodLookup yielding only pods of `allNodes`, or a per-node function),
 * `nodeAffinity(node)` the pod's required node affinity / nodeSelector check.
 */
export function podTopologySpreadScores(
  api: ApiServer,
  pod: KubeObject,
  nodes: KubeObject[],
  allNodes: KubeObject[],
  podsOn: PodsSource,
  nodeAffinity: (node: KubeObject) => boolean,
): number[] | undefined {
  if ((pod.spec?.topologySpreadConstraints ?? []).length === 0) return systemDefaultSpreadScores(api, pod, nodes, allNodes, podsOn, nodeAffinity);
  const constraints = podSpreadConstraints(pod, 'ScheduleAnyway');
  if (constraints.length === 0) return undefined;
  return spreadScores(pod, constraints, true, nodes, asLookup(podsOn, allNodes), nodeAffinity);
}

/**
 * Normalised PodTopologySpread scores (0..100) for `nodes` (the feasible ones), or undefined when
 * the plugin skips (the pod has its own constraints, or no Service/controller selects it).
 * `allNodes` are every node; `podsOn(node)` the pods counted on a node; `inclusion(node)` the
 * nodeAffinityPolicy Honor check (does the pod's nodeSelector/required affinity match the node).
 */
export function systemDefaultSpreadScores(
  api: ApiServer,
  pod: KubeObject,
  nodes: KubeObject[],
  allNodes: KubeObject[],
  podsOn: PodsSource,
  inclusion: (node: KubeObject) => boolean,
): number[] | undefined {
  if ((pod.spec?.topologySpreadConstraints ?? []).length > 0) return undefined;
  const selector = defaultSelector(api, pod);
  if (selector.empty()) return undefined;
  const constraints = systemDefaultConstraints(selector);
  // system defaults do not require all topology labels (requireAllTopologies is false), so a
  // node without a zone still gets hostname spreading
  return spreadScores(pod, constraints, false, nodes, asLookup(podsOn, allNodes), inclusion);
}

// the system defaults with a workload's DefaultSelector, kept with the (shared) Selector object
const systemDefaults = new WeakMap<Selector, readonly SpreadConstraint[]>();
function systemDefaultConstraints(selector: Selector): readonly SpreadConstraint[] {
  let cs = systemDefaults.get(selector);
  if (!cs) {
    cs = SYSTEM_DEFAULT_CONSTRAINTS.map((c) => ({
      topologyKey: c.topologyKey,
      maxSkew: c.maxSkew,
      selector,
      minDomains: 1,
      nodeAffinityPolicy: 'Honor' as const,
      nodeTaintsPolicy: 'Ignore' as const,
    }));
    systemDefaults.set(selector, cs);
  }
  return cs;
}

/**
 * initPreScoreState + PreScore + Score + NormalizeScore. Domains are the label values among the
 * feasible nodes (with requireAll false, nodes without the label form one more domain, ""; it
 * widens the weight, such nodes get no score from that constraint); with requireAll, feasible
 * nodes missing a key are ignored and score 0. Pods are counted on every node (feasible or not)
 * whose domain is one of those and that passes the inclusion policies; hostname counts are the
 * node's own pods. The matching pods are counted per node once per selector (the system
 * defaults share one), from the lookup's candidates.
 */
function spreadScores(
  pod: KubeObject,
  constraints: readonly SpreadConstraint[],
  requireAll: boolean,
  nodes: KubeObject[],
  lookup: PodLookup,
  nodeAffinity: (node: KubeObject) => boolean,
): number[] {
  const ns = pod.metadata.namespace;
  const nc = constraints.length;
  const hostname = constraints.map((c) => c.topologyKey === LABEL_HOSTNAME);
  /** nodes missing a topology key (requireAll only): they score 0 */
  const ignored = requireAll ? new Set<KubeObject>() : undefined;
  const domainCounts = constraints.map(() => new Map<string, number>());
  for (const n of nodes) {
    if (ignored && !hasAllKeys(n, constraints)) {
      ignored.add(n);
      continue;
    }
    const labels = n.metadata.labels;
    for (let i = 0; i < nc; i++) {
      if (!hostname[i]) domainCounts[i].set(labels?.[constraints[i].topologyKey] ?? '', 0);
    }
  }
  const scored = nodes.length - (ignored?.size ?? 0);
  const weights = constraints.map((c, i) => topologyNormalizingWeight(hostname[i] ? scored : domainCounts[i].size));
  // matching pods per node, once per selector (the system defaults share one)
  const bySelector = new Map<Selector, Map<string, { node: KubeObject; count: number }>>();
  const matching = constraints.map((c) => {
    let m = bySelector.get(c.selector);
    if (!m) bySelector.set(c.selector, (m = countMatchingPerNode(lookup, c.selector, ns)));
    return m;
  });
  // domain sums over the nodes holding matching pods (the others add nothing)
  for (let i = 0; i < nc; i++) {
    if (hostname[i]) continue;
    const c = constraints[i];
    for (const { node: n, count } of matching[i].values()) {
      if (requireAll && !hasAllKeys(n, constraints)) continue;
      if (!includesNode(c, pod, n, nodeAffinity)) continue;
      const v = n.metadata.labels?.[c.topologyKey] ?? '';
      const sum = domainCounts[i].get(v);
      if (sum !== undefined) domainCounts[i].set(v, sum + count);
    }
  }
  const raw: (number | undefined)[] = new Array(nodes.length);
  for (let j = 0; j < nodes.length; j++) {
    const n = nodes[j];
    if (ignored?.has(n)) {
      raw[j] = undefined;
      continue;
    }
    const labels = n.metadata.labels;
    let score = 0;
    for (let i = 0; i < nc; i++) {
      const c = constraints[i];
      const v = labels?.[c.topologyKey];
      if (v === undefined) continue;
      const cnt = hostname[i] ? (matching[i].get(n.metadata.name!)?.count ?? 0) : domainCounts[i].get(v)!;
      score += scoreForCount(cnt, c.maxSkew, weights[i]);
    }
    raw[j] = Math.round(score);
  }
  return normalizeSpreadScores(raw);
}

/** topologyNormalizingWeight: ln(size + 2), so constraints with more domains weigh more. */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** scoreForCount: matching pods weighted, plus maxSkew − 1 so bigger skews soften the preference. */
export function scoreForCount(cnt: number, maxSkew: number, weight: number): number {
  return cnt * weight + (maxSkew - 1);
}

/** NormalizeScore: fewer matching pods → higher score; all zero → 100 each; ignored nodes (undefined) → 0. */
export function normalizeSpreadScores(raw: (number | undefined)[]): number[] {
  let min = Number.MAX_SAFE_INTEGER, max = 0;
  for (const s of raw) {
    if (s === undefined) continue;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return raw.map((s) => (s === undefined ? 0 : max === 0 ? 100 : Math.trunc((100 * (max + min - s)) / max)));
}

/**
 * PreFilterExtensions AddPod / RemovePod (updateWithPod): the state as if `added` pods ran on
 * `node` and `removed` pods did not (preemption's dry runs, nominated pods); a copy. The number
 * of domains does not change; the global minimum is recomputed.
 */
export function topologySpreadWithPods(
  s: SpreadFilterState,
  pod: KubeObject,
  node: KubeObject,
  added: readonly KubeObject[],
  removed: readonly KubeObject[],
  nodeAffinity: (n: KubeObject) => boolean,
): SpreadFilterState {
  if (!hasAllKeys(node, s.constraints)) return s;
  const matchNum = new Map(s.matchNum);
  const update = (p: KubeObject, by: number) => {
    if (p.metadata.namespace !== pod.metadata.namespace) return;
    for (const c of s.constraints) {
      if (!c.selector.matches(p.metadata.labels ?? {}) || !includesNode(c, pod, node, nodeAffinity)) continue;
      const k = pairKey(c.topologyKey, node.metadata.labels![c.topologyKey]);
      matchNum.set(k, (matchNum.get(k) ?? 0) + by);
    }
  };
  for (const p of added) update(p, 1);
  for (const p of removed) update(p, -1);
  const minMatch = new Map<string, number>();
  for (const [p, num] of matchNum) {
    const key = p.slice(0, p.indexOf('\u0000'));
    if (num < (minMatch.get(key) ?? Infinity)) minMatch.set(key, num);
  }
  return { ...s, matchNum, minMatch };
}
