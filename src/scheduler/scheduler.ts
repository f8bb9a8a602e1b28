// kube-scheduler's default profile, reduced to the plugins the simulator models so far
// (pkg/scheduler/framework/plugins/*): filters NodeUnschedulable, NodeName, NodeAffinity
// (nodeSelector and required node affinity), TaintToleration, NodeResourcesFit; scores
// NodeResourcesFit (LeastAllocated, weight 1), NodeResourcesBalancedAllocation (1),
// TaintToleration (3) and NodeAffinity preferred terms (2). selectHost breaks ties among the
// best scores at random, as upstream does, from the run's seeded stream.

import type { Cluster, Component } from '../engine/cluster.js';
import { Informer, WorkQueue } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import type { WatchEvent } from '../api/server.js';
import { objectKey } from '../api/store.js';
import { ApiError } from '../api/errors.js';
import { timestamp } from '../api/time.js';
import { parseQuantity, toMilli } from '../api/quantity.js';
import { nodeSelectorTermsMatch, tolerationsTolerateTaint } from './helpers.js';
import type { Rng } from '../engine/rng.js';

export const DEFAULT_SCHEDULER = 'default-scheduler';
/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest for NonZeroRequested */
const DEFAULT_MILLI_CPU = 100;
const DEFAULT_MEMORY_MILLI = 200n * 1024n * 1024n * 1000n;
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

  constructor(private readonly cluster: Cluster) {
    const t = cluster.timing;
    this.rng = cluster.rng('scheduler/selectHost');
    this.queue = new WorkQueue(cluster.sim, 'scheduler', t.schedulerLatency, cluster.rng('scheduler/queue'), (key) => this.scheduleOne(key));
    new Informer(cluster.sim, cluster.api, 'scheduler', ['Pod', 'Node'], t.watchLatency, cluster.rng('scheduler/informer'), (ev) => this.onEvent(ev));
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === 'Pod') {
      const key = objectKey('Pod', o.metadata.namespace, o.metadata.name!);
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
    if (ev.type !== 'DELETED') this.retryUnschedulable();
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
    const nodes = api.list('Node');
    const reasons = new Map<string, number>();
    const feasible: KubeObject[] = [];
    for (const node of nodes) {
      const why = this.filter(pod, node);
      if (why.length === 0) feasible.push(node);
      else for (const r of why) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    if (feasible.length === 0) {
      this.fail(pod, key, nodes.length, reasons);
      return;
    }
    // exactly one feasible node is chosen without scoring (schedule_one.go)
    const chosen = feasible.length === 1 ? feasible[0] : this.selectHost(pod, feasible);
    this.attempts.delete(key);
    try {
      api.mutate('Pod', pod.metadata.namespace, pod.metadata.name!, (d) => {
        d.spec.nodeName = chosen.metadata.name;
        setCondition(d, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(this.cluster.sim.now) });
      });
      api.recordEvent(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${chosen.metadata.name}`, DEFAULT_SCHEDULER);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private fail(pod: KubeObject, key: string, total: number, reasons: Map<string, number>): void {
    // FitError.Error(): "0/N nodes are available: <count> <reason>, ... ." with reasons sorted
    const parts = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort();
    const message = total === 0 ? 'no nodes available to schedule pods' : `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
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
  private filter(pod: KubeObject, node: KubeObject): string[] {
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
    return this.fits(pod, node);
  }

  /** NodeResourcesFit fitsRequest: every insufficient resource is reported */
  private fits(pod: KubeObject, node: KubeObject): string[] {
    const alloc = node.status?.allocatable ?? {};
    const onNode = this.cluster.api.store.podsOnNode(node.metadata.name!).filter(countsOnNode);
    const reasons: string[] = [];
    const maxPods = alloc.pods !== undefined ? Number(toMilli(parseQuantity(alloc.pods)) / 1000n) : 110;
    if (onNode.length + 1 > maxPods) reasons.push('Too many pods');
    const req = podRequests(pod);
    if (req.cpu === 0n && req.memory === 0n) return reasons;
    let usedCpu = 0n, usedMem = 0n;
    for (const p of onNode) {
      const r = podRequests(p);
      usedCpu += r.cpu;
      usedMem += r.memory;
    }
    const allocCpu = alloc.cpu !== undefined ? toMilli(parseQuantity(alloc.cpu)) : 0n;
    const allocMem = alloc.memory !== undefined ? toMilli(parseQuantity(alloc.memory)) : 0n;
    if (req.cpu > 0n && req.cpu > allocCpu - usedCpu) reasons.push('Insufficient cpu');
    if (req.memory > 0n && req.memory > allocMem - usedMem) reasons.push('Insufficient memory');
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
      const alloc = node.status?.allocatable ?? {};
      const allocCpu = alloc.cpu !== undefined ? toMilli(parseQuantity(alloc.cpu)) : 0n;
      const allocMem = alloc.memory !== undefined ? toMilli(parseQuantity(alloc.memory)) : 0n;
      let nzCpu = nonZeroPod.cpu, nzMem = nonZeroPod.memory, rCpu = req.cpu, rMem = req.memory;
      for (const p of this.cluster.api.store.podsOnNode(node.metadata.name!)) {
        if (!countsOnNode(p)) continue;
        const nz = nonZeroRequests(p), r = podRequests(p);
        nzCpu += nz.cpu;
        nzMem += nz.memory;
        rCpu += r.cpu;
        rMem += r.memory;
      }
      // LeastAllocated: per resource (alloc - req) * 100 / alloc, then the weighted mean
      const least = (used: bigint, a: bigint) => (a === 0n ? undefined : used > a ? 0 : Number(((a - used) * 100n) / a));
      const parts = [least(nzCpu, allocCpu), least(nzMem, allocMem)].filter((x): x is number => x !== undefined);
      fit.push(parts.length ? Math.floor(parts.reduce((a, b) => a + b, 0) / parts.length) : 0);
      // BalancedAllocation (requested, no defaults): 100 * (1 - |fcpu - fmem| / 2)
      const frac = (used: bigint, a: bigint) => (a === 0n ? 0 : Math.min(Number(used) / Number(a), 1));
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
    const taintMax = Math.max(0, ...taintRaw);
    const affMax = Math.max(0, ...affinityRaw);
    return nodes.map((_, i) => {
      const taint = taintMax === 0 ? 100 : 100 - Math.floor((100 * taintRaw[i]) / taintMax);
      const aff = affMax === 0 ? affinityRaw[i] : Math.floor((100 * affinityRaw[i]) / affMax);
      return fit[i] * 1 + balanced[i] * 1 + taint * 3 + aff * 2;
    });
  }
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

/** Effective pod requests in milli-units (max of init containers vs sum of containers). */
export function podRequests(pod: KubeObject): { cpu: bigint; memory: bigint } {
  return aggregate(pod, false);
}

function nonZeroRequests(pod: KubeObject): { cpu: bigint; memory: bigint } {
  return aggregate(pod, true);
}

function aggregate(pod: KubeObject, nonZero: boolean): { cpu: bigint; memory: bigint } {
  const one = (c: any) => {
    const r = c?.resources?.requests ?? {};
    let cpu = r.cpu !== undefined ? toMilli(parseQuantity(r.cpu)) : 0n;
    let memory = r.memory !== undefined ? toMilli(parseQuantity(r.memory)) : 0n;
    if (nonZero) {
      if (r.cpu === undefined) cpu = BigInt(DEFAULT_MILLI_CPU);
      if (r.memory === undefined) memory = DEFAULT_MEMORY_MILLI;
    }
    return { cpu, memory };
  };
  let cpu = 0n, memory = 0n;
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
