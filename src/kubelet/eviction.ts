// Node-pressure eviction for memory, after pkg/kubelet/eviction/eviction_manager.go (synchronize)
// and helpers.go (rankMemoryPressure, evictionMessage). The signal is memory.available = node
// capacity − the working set of every running container (their app models' memory); the only
// threshold is the default hard one, memory.available<100Mi. Each pass first runs
// localStorageEviction (emptyDir sizeLimit and ephemeral-storage limits: local_storage.ts). The
// manager is also the kubelet's admit handler for new pods (Admit).
//
// Upstream's loop runs synchronize, then sleeps 10 s — or, when the pass evicted, waits for the
// evicted pods to be cleaned up (polling every 1 s, at most 30 s) and runs the next pass at once.
// Here it is lazy: passes keep the same 10 s grid (from the kubelet's start, restarted by a
// cleanup wait), but a pass is scheduled only at the first grid instant at which it will find
// something to do — the running memory models crossing the threshold, or a local-storage limit
// exceeded — or every 10 s while the node is under pressure (and until the 5-minute
// pressureTransitionPeriod has passed).

import type { Kubelet } from './kubelet.js';
import type { PodWorker } from './pod_worker.js';
import type { Timer } from '../engine/sim.js';
import type { MemoryModel } from '../apps/registry.js';
import type { KubeObject } from '../api/types.js';
import { memoryAt } from '../apps/behaviour.js';
import type { Rng } from '../engine/rng.js';
import { localStorageEvictionMessage, VOLUME_STATS_AGG_PERIOD_MS, type PodStorageStats } from './local_storage.js';
import { formatQuantity, parseQuantity, toValue } from '../api/quantity.js';
import { timestamp } from '../api/time.js';
import { ApiError } from '../api/errors.js';
import { computePodQOS } from '../api/qos.js';
import { tolerationsTolerateTaint } from '../scheduler/helpers.js';

/** evictionMonitoringPeriod (kubelet.go): the manager's housekeeping interval */
export const EVICTION_MONITORING_PERIOD_MS = 10_000;
/** evictionHard default memory.available<100Mi (pkg/kubelet/apis/config/v1beta1/defaults_linux.go) */
export const MEMORY_AVAILABLE_THRESHOLD = 100 * 1024 * 1024;
/** pressureTransitionPeriod default: a pressure condition is held this long after its last observation */
export const PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;
/** podCleanupPollFreq and podCleanupTimeout (eviction_manager.go): the wait after a pass that evicted */
export const POD_CLEANUP_POLL_FREQ_MS = 1_000;
export const POD_CLEANUP_TIMEOUT_MS = 30_000;
/** immediateEvictionGracePeriodSeconds (eviction_manager.go): the grace period of a hard eviction */
export const IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS = 1;
/** scheduling.SystemCriticalPriority: pods at or above it are never evicted (kubelettypes.IsCriticalPod) */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;
export const MEMORY_PRESSURE_TAINT = 'node.kubernetes.io/memory-pressure';

/** eviction.Reason (helpers.go): the status reason of evicted and rejected pods */
export const EVICTION_REASON = 'Evicted';

/**
 * kubelettypes.IsCriticalPod: a static pod (config source other than the API server), a mirror
 * pod, or a pod whose priority is at least system-critical.
 */
export function isCriticalPod(pod: KubeObject): boolean {
  const a = pod.metadata.annotations ?? {};
  if (a['kubernetes.io/config.mirror'] !== undefined) return true;
  const source = a['kubernetes.io/config.source'];
  if (source !== undefined && source !== 'api') return true;
  return (pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

/**
 * eviction_manager.go Admit: with no node condition every pod is admitted, and so is a critical
 * pod. Under MemoryPressure alone a pod that is not BestEffort is admitted, and a BestEffort pod
 * only if it tolerates the node.kubernetes.io/memory-pressure:NoSchedule taint; any other
 * condition rejects the pod. The message is nodeConditionMessageFmt ("The node had condition: %v. ",
 * %v of a []NodeConditionType prints as "[MemoryPressure]").
 */
export function admitUnderNodeConditions(nodeConditions: readonly string[], pod: KubeObject): AdmitResult {
  if (nodeConditions.length === 0 || isCriticalPod(pod)) return { admit: true };
  if (nodeConditions.length === 1 && nodeConditions[0] === 'MemoryPressure') {
    const qos = pod.status?.qosClass ?? computePodQOS(pod.spec);
    if (qos !== 'BestEffort') return { admit: true };
    if (tolerationsTolerateTaint(pod.spec?.tolerations ?? [], { key: MEMORY_PRESSURE_TAINT, effect: 'NoSchedule' })) return { admit: true };
  }
  return { admit: false, reason: EVICTION_REASON, message: `The node had condition: [${nodeConditions.join(' ')}]. ` };
}

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
  /** the start of the current 10 s grid: the kubelet's start, or the pass that followed a cleanup wait */
  private t0: number;
  /** when the kubelet started: the volume stats analyzer's 1 m grid */
  private readonly started: number;
  private timer?: Timer;
  private pressure = false;
  private lastObserved = -Infinity;
  private stopped = false;
  /** waitForPodsCleanup in progress: passes resume when it ends */
  private waiting = false;
  /** the stats cache's volume usage per pod (by uid), for pods with local-storage limits */
  private readonly volumeStats = new Map<string, { worker: PodWorker; cache?: Map<string, number>; timer?: Timer }>();
  private readonly statsRng: Rng;
  private capacityText?: unknown;
  private capacityBytes?: number;

  constructor(private readonly kubelet: Kubelet) {
    this.t0 = kubelet.cluster.sim.now;
    this.started = this.t0;
    this.statsRng = kubelet.cluster.rng(`${kubelet.name}/volume-stats`);
  }

  private get now(): number {
    return this.kubelet.cluster.sim.now;
  }

  private get capacity(): number {
    // asked at every process start and exit on the node: the quantity is parsed once per text
    const text = this.kubelet.node.capacity?.memory;
    if (text !== this.capacityText || this.capacityBytes === undefined) {
      this.capacityText = text;
      this.capacityBytes = bytes(text);
    }
    return this.capacityBytes;
  }

  /** the kubelet stopped (its node was deleted): no more passes */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    for (const v of this.volumeStats.values()) v.timer?.cancel();
    this.volumeStats.clear();
  }

  /** Something changed in what runs on the node (a process started or ended, a file was written): re-plan the next pass. */
  poke(): void {
    if (this.pressure || this.waiting || this.stopped) return; // already passing every 10 s, or waiting for a cleanup
    this.timer?.cancel();
    this.timer = undefined;
    this.plan();
  }

  /**
   * A pod the kubelet admitted: if it has local-storage limits, its volume stats calculator starts
   * at the analyzer's next 1 m tick (fs_resource_analyzer.go updateCachedPodVolumeStats).
   */
  podAdded(w: PodWorker): void {
    const uid = w.podObject.metadata.uid!;
    if (this.stopped || this.volumeStats.has(uid) || !w.localStorageLimits) return;
    const entry: { worker: PodWorker; cache?: Map<string, number>; timer?: Timer } = { worker: w };
    this.volumeStats.set(uid, entry);
    const k = Math.ceil((this.now - this.started) / VOLUME_STATS_AGG_PERIOD_MS);
    const tick = this.started + k * VOLUME_STATS_AGG_PERIOD_MS;
    const calc = () => {
      entry.timer = undefined;
      if (this.kubelet.worker(uid) !== w || !w.evictable) {
        this.volumeStats.delete(uid);
        return;
      }
      entry.cache = w.emptyDirUsage();
      // wait.JitterUntil(calcAndStoreStats, 1m, 1.0, sliding): the next one 1–2 m later
      const next = VOLUME_STATS_AGG_PERIOD_MS + Math.floor(this.statsRng.float() * VOLUME_STATS_AGG_PERIOD_MS);
      entry.timer = this.kubelet.cluster.sim.schedule(next, `${this.kubelet.name}/volume-stats`, calc);
      this.poke();
    };
    entry.timer = this.kubelet.cluster.sim.schedule(tick - this.now, `${this.kubelet.name}/volume-stats`, calc);
  }

  /** the stats a pass reads for one pod: the cached volume usage and the live writable layers */
  private storageStats(w: PodWorker): PodStorageStats {
    const cache = this.volumeStats.get(w.podObject.metadata.uid!)?.cache;
    return { ...(cache ? { volumes: cache } : {}), containers: w.writableLayerUsage() };
  }

  /** whether a pass now would evict a pod for local storage */
  private localStorageDue(): boolean {
    if (this.kubelet.localStorageWorkers.size === 0) return false;
    for (const w of this.kubelet.podWorkerValues()) {
      if (!w.localStorageLimits || !w.evictable || !this.canEvict(w)) continue;
      if (localStorageEvictionMessage(w.podObject, this.storageStats(w))) return true;
    }
    return false;
  }

  /** the next grid instant strictly after now */
  private nextTick(): number {
    const k = Math.floor((this.now - this.t0) / EVICTION_MONITORING_PERIOD_MS) + 1;
    return this.t0 + k * EVICTION_MONITORING_PERIOD_MS;
  }

  private at(t: number): void {
    if (this.stopped) return;
    this.timer = this.kubelet.cluster.sim.schedule(t - this.now, `${this.kubelet.name}/eviction`, () => this.synchronize());
  }

  /** Schedule the first pass that will find something to do: a local-storage limit exceeded, or memory short. */
  private plan(): void {
    const t = Math.min(this.localStorageDue() ? this.nextTick() : Infinity, this.memoryCrossing());
    if (t !== Infinity) this.at(t);
  }

  /** the first pass at which the running memory models put available memory under the threshold */
  private memoryCrossing(): number {
    if (this.kubelet.memoryWorkers.size === 0) return Infinity;
    const cap = this.capacity;
    if (cap <= 0) return Infinity;
    const limit = cap - MEMORY_AVAILABLE_THRESHOLD;
    // asked at every process start and exit on the node: no copy of the worker list
    const models: { model: MemoryModel; startedAt: number }[] = [];
    for (const w of this.kubelet.podWorkerValues()) if (w.hasMemoryModels && w.evictable) for (const m of w.memoryModels()) models.push(m);
    if (models.length === 0) return Infinity;
    const usage = (t: number) => models.reduce((s, m) => s + memoryAt(m.model, t - m.startedAt), 0);
    const first = this.nextTick();
    if (usage(first) > limit) return first;
    const flat = Math.max(...models.map((m) => saturatesAt(m.model, m.startedAt)));
    // usage only grows while the same processes run: search the grid for the first crossing
    let lo = 0;
    let hi = 1;
    for (;;) {
      const t = first + hi * EVICTION_MONITORING_PERIOD_MS;
      if (usage(t) > limit) break;
      if (t >= flat || hi > 2 ** 40) return Infinity; // it levels off under the threshold
      lo = hi;
      hi *= 2;
    }
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (usage(first + mid * EVICTION_MONITORING_PERIOD_MS) > limit) hi = mid;
      else lo = mid;
    }
    return first + hi * EVICTION_MONITORING_PERIOD_MS;
  }

  /**
   * eviction_manager.go synchronize: observe memory.available and update the node condition; then
   * localStorageEviction (every pod over a local-storage limit is evicted, and the pass ends there);
   * then, while memory is short, evict the first pod of the memory ranking (one per pass). A pass
   * that evicted is followed by waitForPodsCleanup instead of the 10 s sleep.
   */
  synchronize(): void {
    this.timer = undefined;
    const k = this.kubelet;
    if (!k.reporting) return this.plan();
    const used = k.podWorkers().reduce((s, w) => s + w.memoryUsage().reduce((a, c) => a + c.usage, 0), 0);
    const available = Math.max(0, this.capacity - used);
    const short = available < MEMORY_AVAILABLE_THRESHOLD;
    if (short) {
      this.lastObserved = this.now;
      if (!this.pressure) this.setPressure(true);
    } else if (this.pressure && this.now - this.lastObserved >= PRESSURE_TRANSITION_PERIOD_MS) {
      this.setPressure(false);
    }
    const evicted = this.localStorageEviction();
    if (evicted.length) return this.waitForPodsCleanup(evicted);
    if (short) {
      k.cluster.api.recordEvent(this.nodeRef(), 'Warning', 'EvictionThresholdMet', 'Attempting to reclaim memory', 'kubelet');
      const workers = k.podWorkers().filter((w) => w.evictable);
      const stats = workers.map((w) => {
        const containers = w.memoryUsage();
        const spec = w.podObject.spec ?? {};
        return { worker: w, containers, usage: containers.reduce((s, c) => s + c.usage, 0), request: podMemoryRequest(spec), priority: spec.priority ?? 0 };
      });
      for (const s of rankMemoryPressure(stats)) {
        if (!this.canEvict(s.worker)) continue;
        s.worker.evict(evictionMessage(available, s.worker.podObject.spec, s.containers), IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS);
        return this.waitForPodsCleanup([s.worker]); // one pod per pass
      }
    }
    if (this.pressure) this.at(this.nextTick());
    else this.plan();
  }

  /** localStorageEviction: emptyDir sizeLimit, then the pod's, then a container's ephemeral-storage limit */
  private localStorageEviction(): PodWorker[] {
    const out: PodWorker[] = [];
    for (const w of this.kubelet.podWorkers()) {
      if (!w.evictable || !w.localStorageLimits) continue;
      const message = localStorageEvictionMessage(w.podObject, this.storageStats(w));
      if (!message || !this.canEvict(w)) continue;
      w.evict(message, IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS, false);
      out.push(w);
    }
    return out;
  }

  /**
   * waitForPodsCleanup: poll every podCleanupPollFreq (1 s) until the evicted pods' resources are
   * reclaimed (here: their containers have stopped), at most podCleanupTimeout (30 s); the next
   * pass runs right after, and the 10 s grid starts again from it.
   */
  private waitForPodsCleanup(pods: PodWorker[]): void {
    this.waiting = true;
    let polls = 0;
    const poll = () => {
      this.timer = undefined;
      polls++;
      if (pods.every((w) => w.cleanedUp) || polls * POD_CLEANUP_POLL_FREQ_MS >= POD_CLEANUP_TIMEOUT_MS) {
        this.waiting = false;
        this.t0 = this.now;
        return this.synchronize();
      }
      this.timer = this.kubelet.cluster.sim.schedule(POD_CLEANUP_POLL_FREQ_MS, `${this.kubelet.name}/eviction-cleanup`, poll);
    };
    if (!this.stopped) this.timer = this.kubelet.cluster.sim.schedule(POD_CLEANUP_POLL_FREQ_MS, `${this.kubelet.name}/eviction-cleanup`, poll);
  }

  /** evictPod refuses critical pods: static, mirror, or priority ≥ system-critical */
  private canEvict(w: PodWorker): boolean {
    return !isCriticalPod(w.podObject);
  }

  /** the node conditions the manager reports now (only MemoryPressure is modelled) */
  get nodeConditions(): string[] {
    return this.pressure ? ['MemoryPressure'] : [];
  }

  /** the manager's PodAdmitHandler (Admit), asked by the kubelet before a new pod starts */
  admit(pod: KubeObject): AdmitResult {
    return admitUnderNodeConditions(this.nodeConditions, pod);
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
