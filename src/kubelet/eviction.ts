// Node-pressure eviction for memory, after pkg/kubelet/eviction/eviction_manager.go (synchronize)
// and helpers.go (rankMemoryPressure, evictionMessage). The signal is memory.available = node
// capacity − the working set of every running container (their app models' memory); the only
// threshold is the default hard one, memory.available<100Mi.
//
// Upstream's loop runs every 10 s whatever happens. Here it is lazy: passes keep the same 10 s grid
// (from the kubelet's start), but a pass is scheduled only at the first grid instant at which the
// running memory models say the threshold is crossed, or every 10 s while the node is under
// pressure (and until the 5-minute pressureTransitionPeriod has passed).

import type { Kubelet } from './kubelet.js';
import type { PodWorker } from './pod_worker.js';
import type { Timer } from '../engine/sim.js';
import type { MemoryModel } from '../apps/registry.js';
import type { KubeObject } from '../api/types.js';
import { memoryAt } from '../apps/behaviour.js';
import { formatQuantity, parseQuantity, toValue } from '../api/quantity.js';
import { timestamp } from '../api/time.js';
import { ApiError } from '../api/errors.js';

/** evictionMonitoringPeriod (kubelet.go): the manager's housekeeping interval */
export const EVICTION_MONITORING_PERIOD_MS = 10_000;
/** evictionHard default memory.available<100Mi (pkg/kubelet/apis/config/v1beta1/defaults_linux.go) */
export const MEMORY_AVAILABLE_THRESHOLD = 100 * 1024 * 1024;
/** pressureTransitionPeriod default: a pressure condition is held this long after its last observation */
export const PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;
/** immediateEvictionGracePeriodSeconds (eviction_manager.go): the grace period of a hard eviction */
export const IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS = 1;
/** scheduling.SystemCriticalPriority: pods at or above it are never evicted (kubelettypes.IsCriticalPod) */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;
export const MEMORY_PRESSURE_TAINT = 'node.kubernetes.io/memory-pressure';

/** What the ranking needs to know about one pod (a pod's stats summary, reduced to memory). */
export interface PodMemoryStats {
  /** working set of the pod's running containers, bytes */
  usage: number;
  /** the pod's memory request, bytes (0 without one) */
  request: number;
  /** spec.priority, 0 when unset */
  priority: number;
}

/**
 * rankMemoryPressure = orderedBy(exceedMemoryRequests, priority, memory): pods using more than
 * they request first, then lower priority first, then the larger usage above request first.
 * The sort is stable, so equal pods keep the order they were given.
 */
export function rankMemoryPressure<T extends PodMemoryStats>(pods: readonly T[]): T[] {
  return [...pods].sort((a, b) => {
    const ea = a.usage > a.request;
    const eb = b.usage > b.request;
    if (ea !== eb) return ea ? -1 : 1;
    if (a.priority !== b.priority) return a.priority - b.priority;
    return b.usage - b.request - (a.usage - a.request);
  });
}

/** bytes as resource.NewQuantity(v, BinarySI).String() prints them ("100Mi", "94208Ki") */
export function formatBytes(v: number): string {
  return formatQuantity({ nano: BigInt(Math.max(0, Math.round(v))) * 1_000_000_000n, format: 'BinarySI' });
}

function bytes(q: unknown): number {
  if (q === undefined || q === null) return 0;
  try {
    return Number(toValue(parseQuantity(q as string)));
  } catch {
    return 0;
  }
}

/** the pod's memory request: regular containers summed, at least the largest init container (resource helpers PodRequests) */
export function podMemoryRequest(spec: any): number {
  let sum = 0;
  for (const c of spec?.containers ?? []) sum += bytes(c.resources?.requests?.memory);
  let sidecars = 0;
  let initMax = 0;
  for (const c of spec?.initContainers ?? []) {
    const r = bytes(c.resources?.requests?.memory);
    if (c.restartPolicy === 'Always') {
      sum += r;
      sidecars += r;
      initMax = Math.max(initMax, sidecars);
    } else initMax = Math.max(initMax, r + sidecars);
  }
  return Math.max(sum, initMax);
}

/**
 * evictionMessage (helpers.go): the threshold, what was available, and every container whose
 * usage exceeds its own request.
 */
export function evictionMessage(available: number, spec: any, containers: { name: string; usage: number }[]): string {
  let msg = `The node was low on resource: memory. Threshold quantity: ${formatBytes(MEMORY_AVAILABLE_THRESHOLD)}, available: ${formatBytes(available)}. `;
  const all = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  for (const c of containers) {
    const s = all.find((x: any) => x.name === c.name);
    const req = bytes(s?.resources?.requests?.memory);
    if (c.usage > req) msg += `Container ${c.name} was using ${formatBytes(c.usage)}, request is ${formatBytes(req)}, has larger consumption of memory. `;
  }
  return msg;
}

/** The first time ≥ `from` at which a model's usage stops growing (Infinity if it never does). */
function saturatesAt(m: MemoryModel, startedAt: number): number {
  if (m.growBy <= 0 || m.everyMs <= 0) return startedAt;
  if (m.max === undefined) return Infinity;
  return startedAt + Math.max(0, Math.ceil((m.max - m.initial) / m.growBy)) * m.everyMs;
}

export class EvictionManager {
  private readonly t0: number;
  private timer?: Timer;
  private pressure = false;
  private lastObserved = -Infinity;

  constructor(private readonly kubelet: Kubelet) {
    this.t0 = kubelet.cluster.sim.now;
  }

  private get now(): number {
    return this.kubelet.cluster.sim.now;
  }

  private get capacity(): number {
    return bytes(this.kubelet.node.capacity?.memory);
  }

  /** Something changed in what runs on the node (a process started or ended): re-plan the next pass. */
  poke(): void {
    if (this.pressure) return; // already passing every 10 s
    this.timer?.cancel();
    this.timer = undefined;
    this.plan();
  }

  /** the next grid instant strictly after now */
  private nextTick(): number {
    const k = Math.floor((this.now - this.t0) / EVICTION_MONITORING_PERIOD_MS) + 1;
    return this.t0 + k * EVICTION_MONITORING_PERIOD_MS;
  }

  private at(t: number): void {
    this.timer = this.kubelet.cluster.sim.schedule(t - this.now, `${this.kubelet.name}/eviction`, () => this.synchronize());
  }

  /** Schedule the first pass at which the running models put available memory under the threshold. */
  private plan(): void {
    const cap = this.capacity;
    if (cap <= 0) return;
    const limit = cap - MEMORY_AVAILABLE_THRESHOLD;
    const models = this.kubelet.podWorkers().flatMap((w) => (w.evictable ? w.memoryModels() : []));
    if (models.length === 0) return;
    const usage = (t: number) => models.reduce((s, m) => s + memoryAt(m.model, t - m.startedAt), 0);
    const first = this.nextTick();
    if (usage(first) > limit) return this.at(first);
    const flat = Math.max(...models.map((m) => saturatesAt(m.model, m.startedAt)));
    // usage only grows while the same processes run: search the grid for the first crossing
    let lo = 0;
    let hi = 1;
    for (;;) {
      const t = first + hi * EVICTION_MONITORING_PERIOD_MS;
      if (usage(t) > limit) break;
      if (t >= flat || hi > 2 ** 40) return; // it levels off under the threshold
      lo = hi;
      hi *= 2;
    }
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (usage(first + mid * EVICTION_MONITORING_PERIOD_MS) > limit) hi = mid;
      else lo = mid;
    }
    this.at(first + hi * EVICTION_MONITORING_PERIOD_MS);
  }

  /** eviction_manager.go synchronize, for the memory.available signal only */
  synchronize(): void {
    this.timer = undefined;
    const k = this.kubelet;
    if (!k.reporting) return this.plan();
    const workers = k.podWorkers().filter((w) => w.evictable);
    const stats = workers.map((w) => {
      const containers = w.memoryUsage();
      const spec = w.podObject.spec ?? {};
      return { worker: w, containers, usage: containers.reduce((s, c) => s + c.usage, 0), request: podMemoryRequest(spec), priority: spec.priority ?? 0 };
    });
    const used = k.podWorkers().reduce((s, w) => s + w.memoryUsage().reduce((a, c) => a + c.usage, 0), 0);
    const available = Math.max(0, this.capacity - used);
    if (available < MEMORY_AVAILABLE_THRESHOLD) {
      this.lastObserved = this.now;
      if (!this.pressure) this.setPressure(true);
      k.cluster.api.recordEvent(this.nodeRef(), 'Warning', 'EvictionThresholdMet', 'Attempting to reclaim memory', 'kubelet');
      for (const s of rankMemoryPressure(stats)) {
        if (!this.canEvict(s.worker)) continue;
        s.worker.evict(evictionMessage(available, s.worker.podObject.spec, s.containers), IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS);
        break; // one pod per pass
      }
    } else if (this.pressure && this.now - this.lastObserved >= PRESSURE_TRANSITION_PERIOD_MS) {
      this.setPressure(false);
    }
    if (this.pressure) this.at(this.nextTick());
    else this.plan();
  }

  /** evictPod refuses critical pods: static, mirror, or priority ≥ system-critical */
  private canEvict(w: PodWorker): boolean {
    const pod = w.podObject;
    if ((pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY) return false;
    return !pod.metadata.annotations?.['kubernetes.io/config.mirror'];
  }

  private nodeRef(): KubeObject {
    const n = this.kubelet.cluster.api.get('Node', undefined, this.kubelet.nodeName);
    return n ?? { apiVersion: 'v1', kind: 'Node', metadata: { name: this.kubelet.nodeName } };
  }

  /**
   * The MemoryPressure condition (kubelet_node_status.go MemoryPressureCondition) and, standing in
   * for the node lifecycle controller's taintNodeByCondition, the memory-pressure NoSchedule taint.
   */
  private setPressure(on: boolean): void {
    this.pressure = on;
    const now = this.now;
    try {
      this.kubelet.cluster.api.mutate('Node', undefined, this.kubelet.nodeName, (d) => {
        d.status ??= {};
        const list: any[] = (d.status.conditions ??= []);
        const c = list.find((x) => x.type === 'MemoryPressure');
        const next = on
          ? { status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }
          : { status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' };
        if (c) {
          if (c.status !== next.status) c.lastTransitionTime = timestamp(now);
          Object.assign(c, next, { lastHeartbeatTime: timestamp(now) });
        } else list.push({ type: 'MemoryPressure', ...next, lastHeartbeatTime: timestamp(now), lastTransitionTime: timestamp(now) });
      }, 'status');
      this.kubelet.cluster.api.mutate('Node', undefined, this.kubelet.nodeName, (d) => {
        d.spec ??= {};
        const taints = (d.spec.taints ?? []).filter((t: any) => t.key !== MEMORY_PRESSURE_TAINT);
        if (on) taints.push({ key: MEMORY_PRESSURE_TAINT, effect: 'NoSchedule' });
        if (taints.length) d.spec.taints = taints;
        else delete d.spec.taints;
      });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
