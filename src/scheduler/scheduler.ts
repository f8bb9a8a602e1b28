// kube-scheduler's default profile, reduced to the plugins the simulator models so far
// (pkg/scheduler/framework/plugins/*): filters NodeUnschedulable, NodeName, NodeAffinity
// (nodeSelector and required node affinity), TaintToleration, NodePorts, NodeResourcesFit,
// VolumeBinding (PreFilter, Filter, PreBind: volumebinding.ts); scores NodeResourcesFit
// (LeastAllocated, weight 1), NodeResourcesBalancedAllocation (1), TaintToleration (3),
// NodeAffinity preferred terms (2) and PodTopologySpread system defaults (2: topologyspread.ts). selectHost breaks ties among the
// best scores at random, as upstream does, from the run's seeded stream.

import type { Cluster, Component } from '../engine/cluster.js';
import { Informer, WorkQueue } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import type { WatchEvent } from '../api/server.js';
import { objectKey } from '../api/store.js';
import { ApiError } from '../api/errors.js';
import { timestamp } from '../api/time.js';
import { parseQuantity, toMilli, toValue } from '../api/quantity.js';
import { nodeSelectorTermsMatch, tolerationsTolerateTaint } from './helpers.js';
import { ERR_NODE_PORTS, HostPortInfo, fitsPorts, podHostPorts, type HostPort } from './nodeports.js';
import type { Rng } from '../engine/rng.js';
import { ANN_SELECTED_NODE, claimsBound, volumeBindingFilter, volumeBindingPreFilter, type PodClaims } from './volumebinding.js';
import { systemDefaultSpreadScores } from './topologyspread.js';

export const DEFAULT_SCHEDULER = 'default-scheduler';
/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest for NonZeroRequested */
const DEFAULT_MILLI_CPU = 100;
const DEFAULT_MEMORY_BYTES = 200 * 1024 * 1024;
/** minFeasibleNodesToFind (schedule_one.go) */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** podInitialBackoff / podMaxBackoff */
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration */
const MAX_UNSCHEDULABLE_MS = 5 * 60 * 1000;

export class Scheduler implements Component {
  readonly name = DEFAULT_SCHEDULER;
  private readonly queue: WorkQueue;
  private readonly rng: Rng;
  /** pods that failed to fit, waiting for a cluster change: key -> attempts */
  private readonly unschedulable = new Map<string, number>();
  /**
   * The scheduler cache (pkg/scheduler/backend/cache): per node, the pods counted on it and the
   * sum of their requests, kept up to date from bindings (assumed pods) and pod events, so a
   * scheduling decision costs O(nodes), not O(pods).
   */
  private readonly nodeInfos = new Map<string, NodeInfo>();
  /** pod key -> the node its requests are counted on */
  private readonly podNode = new Map<string, string>();

  constructor(private readonly cluster: Cluster) {
    const t = cluster.timing;
    this.rng = cluster.rng('scheduler/selectHost');
    this.queue = new WorkQueue(cluster.sim, 'scheduler', t.schedulerLatency, cluster.rng('scheduler/queue'), (key) => this.scheduleOne(key));
    new Informer(cluster.sim, cluster.api, 'scheduler', ['Pod', 'Node', 'PersistentVolumeClaim'], t.watchLatency, cluster.rng('scheduler/informer'), (ev) => this.onEvent(ev));
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === 'PersistentVolumeClaim') {
      // a claim appearing or becoming bound may unblock PreFilter, or a pod waiting in PreBind
      if (ev.type !== 'DELETED') {
        this.retryUnschedulable();
        this.completeVolumeBinds();
      }
      return;
    }
    if (o.kind === 'Pod') {
      const key = objectKey('Pod', o.metadata.namespace, o.metadata.name!);
      if (ev.type === 'DELETED' || !countsOnNode(o)) {
        this.forgetPod(key);
        this.waitingVolumes.delete(key);
      }
      else if (o.spec?.nodeName) this.assumePod(key, o, o.spec.nodeName);
      if (ev.type === 'DELETED' || o.spec?.nodeName) {
        this.unschedulable.delete(key);
        // freed resources may let waiting pods fit (a pod leaving a node is a cluster event)
        if (ev.type === 'DELETED' && ev.old?.spec?.nodeName) this.retryUnschedulable();
        return;
      }
      if (this.responsibleFor(o) && !o.metadata.deletionTimestamp && !this.unschedulable.has(key)) this.queue.add(key);
      return;
    }
    // Node added or changed (labels, taints, unschedulable, allocatable)
    if (ev.type === 'DELETED') {
      this.nodeInfos.delete(o.metadata.name!);
      this.sortedNodeNames = undefined;
      return;
    }
    if (ev.type === 'ADDED') this.sortedNodeNames = undefined;
    const info = this.nodeInfo(o);
    info.node = o;
    info.setAllocatable(o);
    this.retryUnschedulable();
  }

  /** node names in a stable order (the snapshot's node list), rebuilt only when nodes come or go */
  private nodeNames(): string[] {
    if (!this.sortedNodeNames) {
      const nodes = [...this.cluster.api.store.iterate('Node')];
      for (const n of nodes) this.nodeInfo(n).node = n;
      this.sortedNodeNames = nodes.map((n) => n.metadata.name!).sort();
    }
    return this.sortedNodeNames;
  }
  private sortedNodeNames: string[] | undefined;
  private nextStartNodeIndex = 0;

  private nodeInfo(node: KubeObject): NodeInfo {
    let info = this.nodeInfos.get(node.metadata.name!);
    if (!info) {
      info = new NodeInfo();
      info.setAllocatable(node);
      this.nodeInfos.set(node.metadata.name!, info);
    }
    return info;
  }

  private assumePod(key: string, pod: KubeObject, nodeName: string): void {
    const cur = this.podNode.get(key);
    if (cur === nodeName) return;
    if (cur !== undefined) this.forgetPod(key);
    const node = this.cluster.api.get('Node', undefined, nodeName);
    if (!node) return;
    this.nodeInfo(node).add(key, pod);
    this.podNode.set(key, nodeName);
  }

  private forgetPod(key: string): void {
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    this.nodeInfos.get(nodeName)?.remove(key);
  }

  private responsibleFor(pod: KubeObject): boolean {
    return (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER) === DEFAULT_SCHEDULER && !(pod.spec?.schedulingGates?.length);
  }

  private retryUnschedulable(): void {
    for (const [key, attempts] of this.unschedulable) {
      this.unschedulable.delete(key);
      const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
      this.queue.addAfter(key, backoff);
      this.attempts.set(key, attempts);
    }
  }
  private readonly attempts = new Map<string, number>();

  private scheduleOne(key: string): void {
    const api = this.cluster.api;
    const pod = api.store.getByKey(key);
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp || !this.responsibleFor(pod)) {
      this.attempts.delete(key);
      return;
    }
    // already assumed on a node, waiting in PreBind for its volumes
    if (this.waitingVolumes.has(key)) return;
    // findNodesThatFitPod: from nextStartNodeIndex round the node list, stopping once
    // numFeasibleNodesToFind nodes fit (every node is checked below 100 nodes)
    const names = this.nodeNames();
    const total = names.length;
    // VolumeBinding PreFilter: a rejection applies to every node, and only its message is shown
    const claims = volumeBindingPreFilter(api, pod);
    if ('message' in claims) {
      this.fail(pod, key, total, new Map(), 0, claims.message);
      return;
    }
    const want = numFeasibleNodesToFind(total);
    const reasons = new Map<string, number>();
    const feasible: KubeObject[] = [];
    let processed = 0;
    /** nodes whose only failures are resources: DefaultPreemption's candidates */
    let resolvable = 0;
    for (let i = 0; i < total && feasible.length < want; i++) {
      const node = this.nodeInfos.get(names[(this.nextStartNodeIndex + i) % total])?.node;
      processed++;
      if (!node) continue;
      const why = this.filter(pod, node, claims);
      if (why.length === 0) feasible.push(node);
      else {
        for (const r of why) reasons.set(r, (reasons.get(r) ?? 0) + 1);
        if (why.every(isResolvable)) resolvable++;
      }
    }
    if (total > 0) this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % total;
    if (feasible.length === 0) {
      this.fail(pod, key, total, reasons, resolvable);
      return;
    }
    // exactly one feasible node is chosen without scoring (schedule_one.go)
    const chosen = feasible.length === 1 ? feasible[0] : this.selectHost(pod, feasible);
    this.attempts.delete(key);
    if (claims.delayed.length > 0) {
      this.preBindVolumes(key, pod, chosen.metadata.name!, claims);
      return;
    }
    this.bind(key, pod, chosen.metadata.name!);
  }

  /** pods whose WaitForFirstConsumer claims were given a node, waiting for them to bind: key -> node */
  private readonly waitingVolumes = new Map<string, string>();

  /**
   * VolumeBinding PreBind (binder.go BindPodVolumes): record the chosen node on each delayed
   * claim so the PV controller binds or provisions there; the pod stays assumed on the node and is
   * bound once all its claims are bound (upstream waits up to bindTimeoutSeconds, 600s).
   */
  private preBindVolumes(key: string, pod: KubeObject, nodeName: string, claims: PodClaims): void {
    const api = this.cluster.api;
    this.assumePod(key, pod, nodeName);
    this.waitingVolumes.set(key, nodeName);
    for (const pvc of claims.delayed) {
      if (pvc.metadata.annotations?.[ANN_SELECTED_NODE] === nodeName) continue;
      try {
        api.mutate('PersistentVolumeClaim', pvc.metadata.namespace, pvc.metadata.name!, (d) => {
          d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [ANN_SELECTED_NODE]: nodeName };
        });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    }
    this.completeVolumeBinds();
  }

  private completeVolumeBinds(): void {
    const api = this.cluster.api;
    for (const [key, nodeName] of [...this.waitingVolumes]) {
      const pod = api.store.getByKey(key);
      if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) {
        this.waitingVolumes.delete(key);
        if (!pod?.spec?.nodeName) this.forgetPod(key);
        continue;
      }
      if (!claimsBound(api, pod)) continue;
      this.waitingVolumes.delete(key);
      this.bind(key, pod, nodeName);
    }
  }

  /** DefaultBinder: the binding subresource sets nodeName and PodScheduled=True. */
  private bind(key: string, pod: KubeObject, nodeName: string): void {
    const api = this.cluster.api;
    try {
      api.mutate('Pod', pod.metadata.namespace, pod.metadata.name!, (d) => {
        d.spec.nodeName = nodeName;
        setCondition(d, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(this.cluster.sim.now) });
      });
      this.assumePod(key, pod, nodeName);
      api.recordEvent(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`, DEFAULT_SCHEDULER);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private fail(pod: KubeObject, key: string, total: number, reasons: Map<string, number>, resolvable: number, preFilterMsg?: string): void {
    // FitError.Error() (framework/types.go): "0/N nodes are available:" + " <sorted histogram>."
    // + " <PostFilterMsg>." where DefaultPreemption's message already ends in "." — hence the
    // ".." real clusters print. With no lower-priority pods to evict, nodes that failed only on
    // resources report "No preemption victims found", the others "Preemption is not helpful".
    const parts = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort();
    const preemption = [
      ...(resolvable ? [`${resolvable} No preemption victims found for incoming pod`] : []),
      ...(total - resolvable ? [`${total - resolvable} Preemption is not helpful for scheduling`] : []),
    ].sort();
    // a PreFilter rejection replaces the per-node histogram with its own message
    const reasonMsg = preFilterMsg ?? parts.join(', ');
    const message = total === 0 ? 'no nodes available to schedule pods' : `0/${total} nodes are available: ${reasonMsg}. preemption: 0/${total} nodes are available: ${preemption.join(', ')}..`;
    const attempts = (this.attempts.get(key) ?? 0) + 1;
    this.unschedulable.set(key, attempts);
    this.queue.addAfter(key, MAX_UNSCHEDULABLE_MS);
    const api = this.cluster.api;
    const cond = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
    if (!(cond && cond.status === 'False' && cond.message === message)) {
      try {
        api.mutate('Pod', pod.metadata.namespace, pod.metadata.name!, (d) => {
          setCondition(d, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: timestamp(this.cluster.sim.now) });
        }, 'status');
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    }
    api.recordEvent(pod, 'Warning', 'FailedScheduling', message, DEFAULT_SCHEDULER);
  }

  /** Filter plugins in the default order; the first failing plugin's reason per node. */
  private filter(pod: KubeObject, node: KubeObject, claims: PodClaims): string[] {
    const spec = pod.spec ?? {};
    const tolerations = spec.tolerations ?? [];
    if (node.spec?.unschedulable && !tolerationsTolerateTaint(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
      return ['node(s) were unschedulable'];
    }
    if (spec.nodeName && spec.nodeName !== node.metadata.name) return ["node(s) didn't match the requested node name"];
    if (!nodeAffinityMatches(pod, node)) return ["node(s) didn't match Pod's node affinity/selector"];
    for (const taint of node.spec?.taints ?? []) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!tolerationsTolerateTaint(tolerations, taint)) {
        // 1.34.x and later print the plural form without the taint (PR #134740)
        return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`];
      }
    }
    const wanted = podHostPorts(pod);
    if (wanted.length > 0 && !fitsPorts(wanted, this.nodeInfo(node).usedPorts)) return [ERR_NODE_PORTS];
    const fit = this.fits(pod, node);
    if (fit.length > 0) return fit;
    const volume = volumeBindingFilter(this.cluster.api, claims, node);
    return volume ? [volume] : [];
  }

  /** NodeResourcesFit fitsRequest: every insufficient resource is reported */
  private fits(pod: KubeObject, node: KubeObject): string[] {
    const info = this.nodeInfo(node);
    const reasons: string[] = [];
    if (info.podCount + 1 > info.maxPods) reasons.push('Too many pods');
    const req = podRequests(pod);
    if (req.cpu === 0 && req.memory === 0) return reasons;
    if (req.cpu > 0 && req.cpu > info.allocCpu - info.requested.cpu) reasons.push('Insufficient cpu');
    if (req.memory > 0 && req.memory > info.allocMem - info.requested.memory) reasons.push('Insufficient memory');
    return reasons;
  }

  private selectHost(pod: KubeObject, nodes: KubeObject[]): KubeObject {
    let best: KubeObject | undefined;
    let bestScore = -Infinity;
    let ties = 0;
    const scores = this.score(pod, nodes);
    nodes.forEach((node, i) => {
      const s = scores[i];
      if (s > bestScore) {
        best = node;
        bestScore = s;
        ties = 1;
      } else if (s === bestScore) {
        // reservoir sampling over equal scores, as selectHost does with math/rand
        ties++;
        if (this.rng.int(ties) === 0) best = node;
      }
    });
    return best!;
  }

  /** Weighted sum of normalised plugin scores per node (framework RunScorePlugins). */
  private score(pod: KubeObject, nodes: KubeObject[]): number[] {
    const req = podRequests(pod);
    const nonZeroPod = nonZeroRequests(pod);
    const fit: number[] = [], balanced: number[] = [], taintRaw: number[] = [], affinityRaw: number[] = [];
    for (const node of nodes) {
      const info = this.nodeInfo(node);
      const allocCpu = info.allocCpu, allocMem = info.allocMem;
      const nzCpu = nonZeroPod.cpu + info.nonZero.cpu, nzMem = nonZeroPod.memory + info.nonZero.memory;
      const rCpu = req.cpu + info.requested.cpu, rMem = req.memory + info.requested.memory;
      // LeastAllocated: per resource (alloc - req) * 100 / alloc (integer), then the weighted mean
      const least = (used: number, a: number) => (a === 0 ? undefined : used > a ? 0 : Math.floor(((a - used) * 100) / a));
      const parts = [least(nzCpu, allocCpu), least(nzMem, allocMem)].filter((x): x is number => x !== undefined);
      fit.push(parts.length ? Math.floor(parts.reduce((a, b) => a + b, 0) / parts.length) : 0);
      // BalancedAllocation (requested, no defaults): 100 * (1 - |fcpu - fmem| / 2)
      const frac = (used: number, a: number) => (a === 0 ? 0 : Math.min(used / a, 1));
      const std = Math.abs(frac(rCpu, allocCpu) - frac(rMem, allocMem)) / 2;
      balanced.push(Math.floor((1 - std) * 100));
      // TaintToleration: count of intolerable PreferNoSchedule taints
      const prefer = (pod.spec?.tolerations ?? []).filter((t: any) => !t.effect || t.effect === 'PreferNoSchedule');
      taintRaw.push((node.spec?.taints ?? []).filter((t: any) => t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(prefer, t)).length);
      // NodeAffinity: sum of weights of matching preferred terms
      let w = 0;
      for (const term of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
        if (term?.preference && nodeSelectorTermsMatch([term.preference], node)) w += term.weight ?? 0;
      }
      affinityRaw.push(w);
    }
    // PodTopologySpread (weight 2) with the system default constraints; skipped → contributes 0
    const spread = systemDefaultSpreadScores(
      this.cluster.api,
      pod,
      nodes,
      this.nodeNames().map((n) => this.nodeInfos.get(n)?.node).filter((n): n is KubeObject => !!n),
      (n) => this.nodeInfo(n).podObjects(),
      (n) => nodeAffinityMatches(pod, n),
    );
    const taintMax = Math.max(0, ...taintRaw);
    const affMax = Math.max(0, ...affinityRaw);
    return nodes.map((_, i) => {
      const taint = taintMax === 0 ? 100 : 100 - Math.floor((100 * taintRaw[i]) / taintMax);
      const aff = affMax === 0 ? affinityRaw[i] : Math.floor((100 * affinityRaw[i]) / affMax);
      return fit[i] * 1 + balanced[i] * 1 + taint * 3 + aff * 2 + (spread ? spread[i] * 2 : 0);
    });
  }
}

/**
 * numFeasibleNodesToFind (schedule_one.go) with the default percentageOfNodesToScore (0):
 * every node below 100 nodes; else 50 - N/125 percent (at least 5%), and at least 100 nodes.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(50 - Math.trunc(numAllNodes / 125), 5);
  const num = Math.trunc((numAllNodes * pct) / 100);
  return num < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : num;
}

/** Filter failures preemption could resolve by evicting pods (NodeResourcesFit's, NodePorts'). */
function isResolvable(reason: string): boolean {
  return reason === 'Too many pods' || reason.startsWith('Insufficient ') || reason === ERR_NODE_PORTS;
}

function countsOnNode(p: KubeObject): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

function nodeAffinityMatches(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required?.nodeSelectorTerms) return nodeSelectorTermsMatch(required.nodeSelectorTerms, node);
  return true;
}

/** cpu in millicores, memory in bytes: exact in a double far beyond any node's size */
type Requests = { cpu: number; memory: number };
// stored objects are never mutated (copy-on-write), so a pod object's requests can be cached
const requestsCache = new WeakMap<object, Requests>();
const nonZeroCache = new WeakMap<object, Requests>();

/** Effective pod requests in milli-units (max of init containers vs sum of containers). */
export function podRequests(pod: KubeObject): Requests {
  let r = requestsCache.get(pod);
  if (!r) requestsCache.set(pod, (r = aggregate(pod, false)));
  return r;
}

function nonZeroRequests(pod: KubeObject): Requests {
  let r = nonZeroCache.get(pod);
  if (!r) nonZeroCache.set(pod, (r = aggregate(pod, true)));
  return r;
}

/** NodeInfo: what the scheduler cache knows of one node. */
class NodeInfo {
  /** the latest Node object the scheduler has seen */
  node: KubeObject | undefined;
  allocCpu = 0;
  allocMem = 0;
  maxPods = 110;
  requested: Requests = { cpu: 0, memory: 0 };
  nonZero: Requests = { cpu: 0, memory: 0 };
  /** host ports held by the pods counted here (NodeInfo.UsedPorts) */
  readonly usedPorts = new HostPortInfo();
  private readonly pods = new Map<string, { pod: KubeObject; r: Requests; nz: Requests; ports: HostPort[] }>();

  /** the pod objects counted here (as assumed or last seen) */
  *podObjects(): Iterable<KubeObject> {
    for (const e of this.pods.values()) yield e.pod;
  }

  get podCount(): number {
    return this.pods.size;
  }

  setAllocatable(node: KubeObject): void {
    const alloc = node.status?.allocatable ?? {};
    this.allocCpu = alloc.cpu !== undefined ? Number(toMilli(parseQuantity(alloc.cpu))) : 0;
    this.allocMem = alloc.memory !== undefined ? Number(toValue(parseQuantity(alloc.memory))) : 0;
    this.maxPods = alloc.pods !== undefined ? Number(toMilli(parseQuantity(alloc.pods)) / 1000n) : 110;
  }

  add(key: string, pod: KubeObject): void {
    if (this.pods.has(key)) return;
    const r = podRequests(pod), nz = nonZeroRequests(pod), ports = podHostPorts(pod);
    this.pods.set(key, { pod, r, nz, ports });
    for (const p of ports) this.usedPorts.add(p);
    this.requested = { cpu: this.requested.cpu + r.cpu, memory: this.requested.memory + r.memory };
    this.nonZero = { cpu: this.nonZero.cpu + nz.cpu, memory: this.nonZero.memory + nz.memory };
  }

  remove(key: string): void {
    const e = this.pods.get(key);
    if (!e) return;
    this.pods.delete(key);
    for (const p of e.ports) this.usedPorts.remove(p);
    this.requested = { cpu: this.requested.cpu - e.r.cpu, memory: this.requested.memory - e.r.memory };
    this.nonZero = { cpu: this.nonZero.cpu - e.nz.cpu, memory: this.nonZero.memory - e.nz.memory };
  }
}

function aggregate(pod: KubeObject, nonZero: boolean): Requests {
  const one = (c: any) => {
    const r = c?.resources?.requests ?? {};
    let cpu = r.cpu !== undefined ? Number(toMilli(parseQuantity(r.cpu))) : 0;
    let memory = r.memory !== undefined ? Number(toValue(parseQuantity(r.memory))) : 0;
    if (nonZero) {
      if (r.cpu === undefined) cpu = DEFAULT_MILLI_CPU;
      if (r.memory === undefined) memory = DEFAULT_MEMORY_BYTES;
    }
    return { cpu, memory };
  };
  let cpu = 0, memory = 0;
  for (const c of pod.spec?.containers ?? []) {
    const r = one(c);
    cpu += r.cpu;
    memory += r.memory;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const r = one(c);
    if (r.cpu > cpu) cpu = r.cpu;
    if (r.memory > memory) memory = r.memory;
  }
  return { cpu, memory };
}

function setCondition(pod: KubeObject, cond: any): void {
  pod.status ??= {};
  const list: any[] = (pod.status.conditions ??= []);
  const i = list.findIndex((c) => c.type === cond.type);
  if (i >= 0) {
    if (list[i].status === cond.status) cond.lastTransitionTime = list[i].lastTransitionTime;
    list[i] = cond;
  } else list.push(cond);
}
