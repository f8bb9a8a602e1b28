// PodTopologySpread scoring with the system default constraints
// (pkg/scheduler/framework/plugins/podtopologyspread/scoring.go, plugin.go; defaultingType
// System). Pods that declare their own topologySpreadConstraints are not scored here yet.

import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import { selectorFromLabelSelector, selectorFromRequirements, selectorFromSet, type Requirement, type Selector } from '../api/labels.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** plugin.go systemDefaultConstraints (both ScheduleAnyway, so they only score). */
export const SYSTEM_DEFAULT_CONSTRAINTS = [
  { topologyKey: LABEL_HOSTNAME, maxSkew: 3 },
  { topologyKey: LABEL_ZONE, maxSkew: 5 },
] as const;

/**
 * helper.DefaultSelector (framework/plugins/helper/spread.go): the merged selectors of the
 * Services selecting the pod (nil selectors match nothing), plus the selector of its controller
 * when that is a ReplicationController, ReplicaSet or StatefulSet. Empty → no spreading.
 */
export function defaultSelector(api: ApiServer, pod: KubeObject): Selector {
  const ns = pod.metadata.namespace;
  const podLabels = pod.metadata.labels ?? {};
  const set: Record<string, string> = {};
  for (const svc of api.store.iterate('Service', ns)) {
    const sel = svc.spec?.selector;
    if (!sel) continue;
    if (selectorFromSet(sel).matches(podLabels)) Object.assign(set, sel);
  }
  const reqs: Requirement[] = [...selectorFromSet(set).requirements()];
  const owner = (pod.metadata.ownerReferences ?? []).find((r: any) => r.controller);
  if (owner) {
    const group = String(owner.apiVersion ?? '').includes('/') ? String(owner.apiVersion).split('/')[0] : '';
    const kind = owner.kind;
    if (kind === 'ReplicationController' && group === '') {
      const rc = api.get('ReplicationController', ns, owner.name);
      if (rc) {
        Object.assign(set, rc.spec?.selector ?? {});
        return selectorFromSet(set);
      }
    } else if ((kind === 'ReplicaSet' || kind === 'StatefulSet') && group === 'apps') {
      const o = api.get(kind, ns, owner.name);
      if (o) {
        try {
          reqs.push(...selectorFromLabelSelector(o.spec?.selector).requirements());
        } catch {
          // an invalid selector adds nothing, as LabelSelectorAsSelector's error is ignored
        }
      }
    }
  }
  return selectorFromRequirements(reqs);
}

/** countPodsMatchSelector: same namespace, not terminating, labels match. */
function countMatching(pods: Iterable<KubeObject>, selector: Selector, namespace: string | undefined): number {
  let n = 0;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp || p.metadata.namespace !== namespace) continue;
    if (selector.matches(p.metadata.labels ?? {})) n++;
  }
  return n;
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
  podsOn: (node: KubeObject) => Iterable<KubeObject>,
  inclusion: (node: KubeObject) => boolean,
): number[] | undefined {
  if ((pod.spec?.topologySpreadConstraints ?? []).length > 0) return undefined;
  const selector = defaultSelector(api, pod);
  if (selector.empty()) return undefined;
  const ns = pod.metadata.namespace;
  const constraints = SYSTEM_DEFAULT_CONSTRAINTS;
  // initPreScoreState: system defaults do not require all topology labels (requireAllTopologies
  // is false), so no node is ignored; domains are the label values among the feasible nodes, and
  // nodes without the label form one more domain, "" (it widens the weight; such nodes get no
  // score from that constraint)
  const domainCounts = constraints.map(() => new Map<string, number>());
  constraints.forEach((c, i) => {
    if (c.topologyKey === LABEL_HOSTNAME) return;
    for (const n of nodes) domainCounts[i].set(n.metadata.labels?.[c.topologyKey] ?? '', 0);
  });
  const weights = constraints.map((c, i) => topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? nodes.length : domainCounts[i].size));
  // pods are counted on every node (not only feasible ones) whose domain is one of the above
  for (const n of allNodes) {
    constraints.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME) return;
      const v = n.metadata.labels?.[c.topologyKey] ?? '';
      if (!domainCounts[i].has(v) || !inclusion(n)) return;
      domainCounts[i].set(v, domainCounts[i].get(v)! + countMatching(podsOn(n), selector, ns));
    });
  }
  const raw = nodes.map((n) => {
    let score = 0;
    constraints.forEach((c, i) => {
      const v = n.metadata.labels?.[c.topologyKey];
      if (v === undefined) return;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? countMatching(podsOn(n), selector, ns) : domainCounts[i].get(v)!;
      score += scoreForCount(cnt, c.maxSkew, weights[i]);
    });
    return Math.round(score);
  });
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

/** NormalizeScore: fewer matching pods → higher score; all zero → 100 each. */
export function normalizeSpreadScores(raw: number[]): number[] {
  let min = Number.MAX_SAFE_INTEGER, max = 0;
  for (const s of raw) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return raw.map((s) => (max === 0 ? 100 : Math.trunc((100 * (max + min - s)) / max)));
}
