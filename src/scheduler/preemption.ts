// DefaultPreemption, the PostFilter plugin (pkg/scheduler/framework/plugins/defaultpreemption/
// default_preemption.go) and the preemption Evaluator (pkg/scheduler/framework/preemption/
// preemption.go): when no node fits a pod, find nodes where evicting lower-priority pods makes it
// fit, pick one, delete the victims gracefully and nominate the node for the pod.
// - PodEligibleToPreemptOthers: not with preemptionPolicy Never; not while a lower-priority pod
//   preempted earlier is still terminating on the pod's nominated node.
// - findCandidates: only nodes whose filter status was Unschedulable (not ...AndUnresolvable);
//   DryRunPreemption walks them from a random offset and stops once it has
//   max(10% of them, 100) candidates with at least one that violates no PodDisruptionBudget.
// - SelectVictimsOnNode: remove every lower-priority pod; if the pod then fits, add victims back
//   (PDB-violating ones first, each group most important first) while it still fits.
// - pickOneNodeForPreemption: fewest PDB violations, lowest highest-victim priority, smallest
//   sum of priorities, fewest victims, latest start of the highest-priority victims, first.
// - prepareCandidate/PreemptPod: DisruptionTarget condition (PreemptionByScheduler), graceful
//   delete, Normal event Preempted on the victim; lower-priority pods nominated to the node lose
//   their nomination.
// The Go map iteration and parallel dry run make upstream's final tie-break arbitrary; here the
// candidates keep their dry-run order, from the seeded random offset.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { ApiError } from '../api/errors.js';
import { objectKey } from '../api/store.js';
import { parseTimestamp, timestamp } from '../api/time.js';
import { selectorFromLabelSelector } from '../api/labels.js';
import type { Rng } from '../engine/rng.js';
import { PREEMPT_NEVER, podPriority } from '../admission/priority.js';

export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
/** DefaultPreemptionArgs defaults */
export const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
export const MIN_CANDIDATE_NODES_ABSOLUTE = 100;
const MAX_INT32_PLUS_1 = 2 ** 31;

/** What the dry run needs of the scheduler cache's NodeInfo: a private copy to change. */
export interface PreemptionNodeInfo {
  podObjects(): Iterable<KubeObject>;
  add(key: string, pod: KubeObject): void;
  remove(key: string): void;
  clone(): PreemptionNodeInfo;
}

export interface Victims {
  /** most important first */
  pods: KubeObject[];
  numPDBViolations: number;
}

export interface Candidate {
  name: string;
  victims: Victims;
}

/** A filter status: [] fits; otherwise the reasons and whether evicting pods cannot help. */
export type FilterRun = (pod: KubeObject, info: PreemptionNodeInfo) => string[];

function podKey(p: KubeObject): string {
  return objectKey('Pod', p.metadata.namespace, p.metadata.name!);
}

/** util.GetPodStartTime: status.startTime, or now for pods that have not started */
export function podStartTime(pod: KubeObject, now: number): number {
  return parseTimestamp(pod.status?.startTime) ?? now;
}

/** util.MoreImportantPod: higher priority, then the earlier start */
export function moreImportantPod(a: KubeObject, b: KubeObject, now: number): boolean {
  const pa = podPriority(a), pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a, now) < podStartTime(b, now);
}

function sortByImportance(pods: KubeObject[], now: number): void {
  pods.sort((a, b) => (moreImportantPod(a, b, now) ? -1 : moreImportantPod(b, a, now) ? 1 : 0));
}

/**
 * filterPodsWithPDBViolation: split pods (order kept) into those whose eviction would take a
 * matching budget below zero disruptionsAllowed and the rest. Pods already in a budget's
 * disruptedPods were counted by the API server and do not spend it again.
 */
export function filterPodsWithPDBViolation(pods: KubeObject[], pdbs: KubeObject[]): { violating: KubeObject[]; nonViolating: KubeObject[] } {
  const allowed = pdbs.map((p) => Number(p.status?.disruptionsAllowed ?? 0));
  const selectors = pdbs.map((p) => {
    const ls = p.spec?.selector;
    // a nil or empty selector matches nothing
    if (!ls || (Object.keys(ls.matchLabels ?? {}).length === 0 && (ls.matchExpressions ?? []).length === 0)) return undefined;
    try {
      return selectorFromLabelSelector(ls);
    } catch {
      return undefined;
    }
  });
  const violating: KubeObject[] = [], nonViolating: KubeObject[] = [];
  for (const pod of pods) {
    let violated = false;
    const labels = pod.metadata.labels ?? {};
    if (Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata.namespace !== pod.metadata.namespace) return;
        const sel = selectors[i];
        if (!sel || !sel.matches(labels)) return;
        if (pdb.status?.disruptedPods && pod.metadata.name! in pdb.status.disruptedPods) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

/**
 * SelectVictimsOnNode on a private copy of the node's info. Returns the victims (most
 * important first) and the PDB violations, or the failure reasons.
 */
export function selectVictimsOnNode(
  pod: KubeObject,
  info: PreemptionNodeInfo,
  runFilters: FilterRun,
  pdbs: KubeObject[],
  now: number,
): { victims: Victims } | { reasons: string[]; unresolvable: boolean } {
  const prio = podPriority(pod);
  const potential = [...info.podObjects()].filter((p) => podPriority(p) < prio);
  if (potential.length === 0) return { reasons: [NO_VICTIMS], unresolvable: true };
  for (const p of potential) info.remove(podKey(p));
  const without = runFilters(pod, info);
  if (without.length > 0) return { reasons: without, unresolvable: false };
  sortByImportance(potential, now);
  const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
  const victims: KubeObject[] = [];
  let numViolating = 0;
  const reprieve = (p: KubeObject): boolean => {
    info.add(podKey(p), p);
    const fits = runFilters(pod, info).length === 0;
    if (!fits) {
      info.remove(podKey(p));
      victims.push(p);
    }
    return fits;
  };
  for (const p of violating) if (!reprieve(p)) numViolating++;
  for (const p of nonViolating) reprieve(p);
  if (violating.length > 0 && nonViolating.length > 0) sortByImportance(victims, now);
  return { victims: { pods: victims, numPDBViolations: numViolating } };
}

/** calculateNumCandidates */
export function calculateNumCandidates(numNodes: number): number {
  let n = Math.trunc((numNodes * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
  if (n < MIN_CANDIDATE_NODES_ABSOLUTE) n = MIN_CANDIDATE_NODES_ABSOLUTE;
  return Math.min(n, numNodes);
}

/**
 * DryRunPreemption over the potential nodes from `offset`: candidates that violate no budget
 * first, and each tried node's failure reasons.
 */
export function dryRunPreemption(
  pod: KubeObject,
  potentialNodes: string[],
  nodeInfoCopy: (name: string) => PreemptionNodeInfo | undefined,
  runFilters: FilterRun,
  pdbs: KubeObject[],
  offset: number,
  numCandidates: number,
  now: number,
): { candidates: Candidate[]; statuses: Map<string, string[]> } {
  const nonViolating: Candidate[] = [], violating: Candidate[] = [];
  const statuses = new Map<string, string[]>();
  for (let i = 0; i < potentialNodes.length; i++) {
    const name = potentialNodes[(offset + i) % potentialNodes.length];
    const info = nodeInfoCopy(name);
    if (!info) continue;
    const r = selectVictimsOnNode(pod, info, runFilters, pdbs, now);
    if ('victims' in r && r.victims.pods.length > 0) {
      (r.victims.numPDBViolations === 0 ? nonViolating : violating).push({ name, victims: r.victims });
      if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
      continue;
    }
    statuses.set(name, 'reasons' in r ? r.reasons : [`expected at least one victim pod on node "${name}"`]);
  }
  return { candidates: [...nonViolating.slice(0, numCandidates), ...violating.slice(0, numCandidates)], statuses };
}

/** util.GetEarliestPodStartTime: the earliest start among the highest-priority victims */
function earliestStartOfHighest(v: Victims, now: number): number {
  let maxPrio = podPriority(v.pods[0]);
  let earliest = podStartTime(v.pods[0], now);
  for (const p of v.pods) {
    const prio = podPriority(p);
    if (prio === maxPrio) earliest = Math.min(earliest, podStartTime(p, now));
    else if (prio > maxPrio) {
      maxPrio = prio;
      earliest = podStartTime(p, now);
    }
  }
  return earliest;
}

/** pickOneNodeForPreemption with the default ordered score functions */
export function pickOneNodeForPreemption(candidates: Candidate[], now: number): string | undefined {
  if (candidates.length === 0) return undefined;
  const scoreFuncs: ((c: Candidate) => number)[] = [
    (c) => -c.victims.numPDBViolations,
    (c) => -podPriority(c.victims.pods[0]),
    (c) => -c.victims.pods.reduce((s, p) => s + podPriority(p) + MAX_INT32_PLUS_1, 0),
    (c) => -c.victims.pods.length,
    (c) => earliestStartOfHighest(c.victims, now),
  ];
  let all = candidates;
  for (const f of scoreFuncs) {
    let max = -Infinity;
    let selected: Candidate[] = [];
    for (const c of all) {
      const s = f(c);
      if (s > max) {
        max = s;
        selected = [];
      }
      if (s === max) selected.push(c);
    }
    if (selected.length === 1) return selected[0].name;
    all = selected;
  }
  return all[0].name;
}

/** podTerminatingByPreemption */
export function podTerminatingByPreemption(p: KubeObject): boolean {
  if (!p.metadata.deletionTimestamp) return false;
  const c = (p.status?.conditions ?? []).find((x: any) => x.type === 'DisruptionTarget');
  return !!c && c.status === 'True' && c.reason === 'PreemptionByScheduler';
}

/**
 * The nominator (PodNominator): pending pods whose status.nominatedNodeName names a node. Their
 * room on that node is kept for them from pods of lower priority.
 */
export class Nominator {
  private readonly byPod = new Map<string, { node: string; pod: KubeObject }>();
  private readonly byNode = new Map<string, Set<string>>();

  /** a pod event: nominated while pending and unassigned, else forgotten */
  observe(key: string, pod: KubeObject | undefined): void {
    const node = pod && !pod.spec?.nodeName && !pod.metadata.deletionTimestamp ? pod.status?.nominatedNodeName : undefined;
    const cur = this.byPod.get(key);
    if (cur && cur.node !== node) {
      this.byNode.get(cur.node)?.delete(key);
      this.byPod.delete(key);
    }
    if (!node || !pod) return;
    this.byPod.set(key, { node, pod });
    let s = this.byNode.get(node);
    if (!s) this.byNode.set(node, (s = new Set()));
    s.add(key);
  }

  podsFor(node: string): readonly KubeObject[] {
    const s = this.byNode.get(node);
    // asked once per node and cycle: most nodes have none, and share one empty list
    return s ? [...s].map((k) => this.byPod.get(k)!.pod) : NO_PODS;
  }
}

const NO_PODS: readonly KubeObject[] = Object.freeze([]);

/**
 * RunFilterPluginsWithNominatedPods: a pod must fit with the nominated pods of equal or higher
 * priority on the node counted as if already there, and (when any were added) without them.
 */
export function runFiltersWithNominatedPods(pod: KubeObject, info: PreemptionNodeInfo, nominated: readonly KubeObject[], run: FilterRun): string[] {
  const prio = podPriority(pod);
  const others = nominated.filter((p) => podPriority(p) >= prio && p.metadata.uid !== pod.metadata.uid);
  if (others.length === 0) return run(pod, info);
  const withNominated = info.clone();
  for (const p of others) withNominated.add(podKey(p), p);
  const first = run(pod, withNominated);
  if (first.length > 0) return first;
  return run(pod, info);
}

export interface PreemptionContext {
  api: ApiServer;
  now: number;
  rng: Rng;
  schedulerName: string;
  /** PodDisruptionConditions: victims get the DisruptionTarget condition (1.26+) */
  disruptionCondition: boolean;
  numAllNodes: number;
  /** nodes whose filter failures evicting pods could resolve (Unschedulable, not ...AndUnresolvable) */
  potentialNodes: string[];
  /** the nominated node's filter status was UnschedulableAndUnresolvable */
  nominatedNodeUnresolvable: boolean;
  nodeInfoCopy(name: string): PreemptionNodeInfo | undefined;
  runFilters: FilterRun;
  nominator: Nominator;
}

/** <PostFilterMsg, nomination>: nominatedNodeName undefined keeps the pod's, '' clears it */
export interface PreemptResult {
  message: string;
  nominatedNodeName?: string;
}

/** DefaultPreemption.PostFilter -> Evaluator.Preempt */
export function preempt(ctx: PreemptionContext, pod: KubeObject): PreemptResult {
  const notEligible = podEligibleToPreemptOthers(ctx, pod);
  if (notEligible) return { message: `preemption: ${notEligible}` };
  const n = ctx.numAllNodes;
  if (ctx.potentialNodes.length === 0) {
    return { message: `preemption: 0/${n} nodes are available: ${n} ${NOT_HELPFUL}.`, nominatedNodeName: '' };
  }
  const pdbs = [...ctx.api.store.iterate('PodDisruptionBudget')];
  const offset = ctx.rng.int(ctx.potentialNodes.length);
  const { candidates, statuses } = dryRunPreemption(pod, ctx.potentialNodes, (name) => ctx.nodeInfoCopy(name), ctx.runFilters, pdbs, offset, calculateNumCandidates(ctx.potentialNodes.length), ctx.now);
  if (candidates.length === 0) {
    // a FitError over the dry run's statuses; nodes not tried are "not helpful"
    const hist = new Map<string, number>();
    for (const reasons of statuses.values()) for (const r of reasons) hist.set(r, (hist.get(r) ?? 0) + 1);
    if (statuses.size < n) hist.set(NOT_HELPFUL, (hist.get(NOT_HELPFUL) ?? 0) + n - statuses.size);
    const parts = [...hist.entries()].map(([r, c]) => `${c} ${r}`).sort();
    return { message: `preemption: 0/${n} nodes are available: ${parts.join(', ')}.`, nominatedNodeName: '' };
  }
  const best = pickOneNodeForPreemption(candidates, ctx.now)!;
  const chosen = candidates.find((c) => c.name === best)!;
  prepareCandidate(ctx, chosen, pod);
  return { message: '', nominatedNodeName: best };
}

/** PodEligibleToPreemptOthers: the reason the pod may not preempt, or undefined */
function podEligibleToPreemptOthers(ctx: PreemptionContext, pod: KubeObject): string | undefined {
  if (pod.spec?.preemptionPolicy === PREEMPT_NEVER) return 'not eligible due to preemptionPolicy=Never.';
  const nom = pod.status?.nominatedNodeName;
  if (nom) {
    if (ctx.nominatedNodeUnresolvable) return undefined;
    const prio = podPriority(pod);
    for (const p of ctx.api.store.podsOnNode(nom)) {
      if (podPriority(p) < prio && podTerminatingByPreemption(p)) return 'not eligible due to a terminating pod on the nominated node.';
    }
  }
  return undefined;
}

/** prepareCandidate: preempt every victim not already terminating, then clear lower nominations */
function prepareCandidate(ctx: PreemptionContext, c: Candidate, pod: KubeObject): void {
  const api = ctx.api;
  for (const victim of c.victims.pods) {
    const cur = api.get('Pod', victim.metadata.namespace, victim.metadata.name!);
    if (!cur || cur.metadata.uid !== victim.metadata.uid || cur.metadata.deletionTimestamp) continue;
    try {
      if (ctx.disruptionCondition) {
        api.mutate('Pod', cur.metadata.namespace, cur.metadata.name!, (d) => {
          d.status ??= {};
          const conds: any[] = (d.status.conditions ??= []);
          const cond = { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${ctx.schedulerName}: preempting to accommodate a higher priority pod`, lastTransitionTime: timestamp(ctx.now) };
          const i = conds.findIndex((x) => x.type === 'DisruptionTarget');
          if (i >= 0) conds[i] = cond;
          else conds.push(cond);
        }, 'status');
      }
      api.delete('Pod', cur.metadata.namespace, cur.metadata.name!);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      continue;
    }
    api.recordEvent(cur, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata.uid} on node ${c.name}`, ctx.schedulerName);
  }
  // getLowerPriorityNominatedPods + clearNominatedNodeName
  const prio = podPriority(pod);
  for (const p of ctx.nominator.podsFor(c.name)) {
    if (podPriority(p) >= prio || p.metadata.uid === pod.metadata.uid) continue;
    try {
      const updated = api.mutate('Pod', p.metadata.namespace, p.metadata.name!, (d) => {
        if (d.status) delete d.status.nominatedNodeName;
      }, 'status');
      ctx.nominator.observe(podKey(p), updated);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
