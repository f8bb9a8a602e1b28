// A kubelet per node: registers its Node, runs a pod worker for every pod bound to it, and
// reports pod status through the API server. The spine models the minimal pod path:
// start containers (after the image pull), Running and Ready once every container runs,
// container exits with restarts and CrashLoopBackOff delays, and graceful termination
// (SIGTERM, SIGKILL after the grace period, final status, then the kubelet's own delete).
// The pod lifecycle itself (probes, hooks, init containers, sidecars, images) is in pod_worker.ts.

import { cloneObject, shallowCopy } from '../api/clone.js';
import type { Cluster, Component, NodeConfig } from '../engine/cluster.js';
import { Informer, drawLatency } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import type { WatchEvent } from '../api/server.js';
import { ApiError } from '../api/errors.js';
import { timestamp } from '../api/time.js';
import type { Rng } from '../engine/rng.js';
import { PodWorker } from './pod_worker.js';
import { NodeImages } from './images.js';
import { NodeImageReporter } from './node_images.js';
import { registerKubelet, unregisterKubelet } from './registry.js';
import { EvictionManager } from './eviction.js';
// the machine's state (up, down, partitioned), not the controller: a fault of the simulated world
import { nodeHealth } from '../controllers/nodelifecycle.js';

export const KUBELET_VERSION_PATCH = '0';

export class Kubelet implements Component {
  readonly name: string;
  readonly rng: Rng;
  private readonly workers = new Map<string, PodWorker>();
  /**
   * The workers with local-storage limits, and the workers running a process with a memory model
   * (a superset of those in `workers`): when one is empty, the eviction manager's re-plan at every
   * process start and exit skips its walk over the node's workers (eviction.ts).
   */
  readonly localStorageWorkers = new Set<PodWorker>();
  readonly memoryWorkers = new Set<PodWorker>();
  /** node-pressure eviction (memory.available), started with the kubelet */
  readonly eviction: EvictionManager;
  /** the images on this node (a node starts with none: the first container of an image pulls it) */
  readonly images = new NodeImages();
  private readonly usedIPs = new Set<number>();
  private readonly informer: Informer;
  private stopped = false;
  /** pods rejected at admission (kept so a late watch event does not admit them again) */
  private readonly rejected = new Set<string>();
  private nextIP = 2;

  constructor(
    readonly cluster: Cluster,
    readonly node: NodeConfig,
    readonly index: number,
  ) {
    this.name = `kubelet/${node.name}`;
    this.rng = cluster.rng(this.name);
    registerKubelet(cluster, this);
    this.eviction = new EvictionManager(this);
    const imageReporter = new NodeImageReporter(cluster.sim, cluster.api, node.name, (now) => this.images.held(now), () => this.reporting);
    this.images.onPulled = (at) => imageReporter.pulled(at);
    nodeHealth(cluster).onChange((n, up) => {
      if (n === node.name && up) this.resync();
    });
    this.informer = new Informer(cluster.sim, cluster.api, this.name, ['Pod'], cluster.timing.watchLatency, cluster.rng(`${this.name}/informer`), (ev) => this.onEvent(ev), node.name);
  }

  /**
   * The machine is gone (its Node was deleted: src/engine/nodes.ts): the kubelet stops watching,
   * its containers are gone with it, and it never writes to the API server again. The pod objects
   * stay bound to the vanished node until PodGC removes them (src/controllers/podgc.ts).
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.informer.stop();
    this.eviction.stop();
    for (const w of this.workers.values()) w.forget();
    this.workers.clear();
    this.localStorageWorkers.clear();
    this.memoryWorkers.clear();
    unregisterKubelet(this.cluster, this);
  }

  get nodeName(): string {
    return this.node.name;
  }

  /** The node's pod CIDR, as the node IPAM controller assigns /24s from 10.244.0.0/16. */
  get podCIDR(): string {
    return `10.244.${this.index}.0/24`;
  }

  get nodeIP(): string {
    return `172.18.0.${this.index + 2}`;
  }

  /** Self-registration of the Node object (kubelet_node_status.go initialNode). */
  register(): void {
    const existing = this.cluster.api.get('Node', undefined, this.node.name);
    if (existing) return this.reconcileExisting(existing);
    this.cluster.api.create(this.initialNode());
  }

  /**
   * tryRegisterWithAPIServer when the Node already exists (it was created through the API before
   * this kubelet started: a node joining at runtime, src/engine/nodes.ts): the kubelet takes it
   * over — updateDefaultLabels, the pod CIDR the node IPAM controller would assign — and its
   * first status update (setNodeStatus) posts capacity, addresses, node info and the conditions.
   */
  private reconcileExisting(existing: KubeObject): void {
    const init = this.initialNode();
    const api = this.cluster.api;
    api.mutate('Node', undefined, this.node.name, (d) => {
      d.metadata.labels = { ...init.metadata.labels, ...(d.metadata.labels ?? {}) };
      d.spec ??= {};
      if (!d.spec.podCIDR) {
        d.spec.podCIDR = this.podCIDR;
        d.spec.podCIDRs = [this.podCIDR];
      }
    });
    const capacity = { ...init.status.capacity, ...(existing.status?.capacity ?? {}) };
    api.mutate('Node', undefined, this.node.name, (d) => {
      d.status = { ...init.status, capacity, allocatable: { ...capacity, ...(existing.status?.allocatable ?? {}) } };
    }, 'status');
  }

  /** kubelet_node_status.go initialNode, plus the status its first sync posts */
  private initialNode(): any {
    const n = this.node;
    const v = this.cluster.config.kubernetesVersion;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: n.name,
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': n.name,
          'kubernetes.io/os': 'linux',
          ...n.labels,
        },
      },
      spec: {
        podCIDR: this.podCIDR,
        podCIDRs: [this.podCIDR],
        ...(n.taints.length ? { taints: structuredClone(n.taints) } : {}),
        ...(n.unschedulable ? { unschedulable: true } : {}),
      },
      status: {
        capacity: { ...n.capacity },
        allocatable: { ...n.capacity },
        conditions: [
          cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', this.cluster.sim.now),
          cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', this.cluster.sim.now),
          cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', this.cluster.sim.now),
          cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', this.cluster.sim.now),
        ],
        addresses: [
          { type: 'InternalIP', address: this.nodeIP },
          { type: 'Hostname', address: n.name },
        ],
        nodeInfo: {
          kubeletVersion: `v${v}.${KUBELET_VERSION_PATCH}`,
          kubeProxyVersion: `v${v}.${KUBELET_VERSION_PATCH}`,
          operatingSystem: 'linux',
          architecture: 'amd64',
          containerRuntimeVersion: 'containerd://2.0.0',
        },
      },
    };
  }

  /**
   * Whether this kubelet reaches the API server. While its node is down or partitioned
   * (`fault: nodeDown|partition`) it neither hears watch events nor writes status or deletes;
   * when it reports again it relists its pods and publishes what happened meanwhile.
   */
  get reporting(): boolean {
    return !this.stopped && !nodeHealth(this.cluster).isDown(this.node.name);
  }

  /** the relist after the node reports again */
  private resync(): void {
    const api = this.cluster.api;
    for (const pod of api.store.podsOnNode(this.node.name)) this.onEvent({ type: 'MODIFIED', object: pod });
    for (const [uid, w] of [...this.workers]) {
      if (api.store.getByUid(uid)) w.relisted();
      else this.removeWorker(uid, w);
    }
  }

  private onEvent(ev: WatchEvent): void {
    if (!this.reporting) return;
    const pod = ev.object;
    if (pod.spec?.nodeName !== this.node.name) return;
    const uid = pod.metadata.uid!;
    if (ev.type === 'DELETED') {
      this.rejected.delete(uid);
      const w = this.workers.get(uid);
      if (w) this.removeWorker(uid, w);
      return;
    }
    let w = this.workers.get(uid);
    if (!w) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed' || this.rejected.has(uid)) {
        // a terminal pod no worker runs (rejected at admission): HandlePodCleanups removes it once deleted
        if (pod.metadata.deletionTimestamp) this.deleteTerminal(pod);
        return;
      }
      // HandlePodAdditions → canAdmitPod: the admit handlers (the eviction manager's) may reject it
      const verdict = pod.metadata.deletionTimestamp ? ({ admit: true } as const) : this.eviction.admit(pod);
      if (!verdict.admit) return this.rejectPod(pod, verdict.reason, verdict.message);
      w = new PodWorker(this, pod, this.allocateIP());
      this.workers.set(uid, w);
      if (w.localStorageLimits) this.localStorageWorkers.add(w);
      w.start();
      this.eviction.podAdded(w);
    }
    if (pod.metadata.deletionTimestamp) w.terminate(pod);
    else if (ev.type === 'MODIFIED') w.podUpdated(pod);
  }

  /** the pod is gone (or was gone when the node reported again): its worker stops, its IP is free */
  private removeWorker(uid: string, w: PodWorker): void {
    w.forget();
    this.workers.delete(uid);
    this.localStorageWorkers.delete(w);
    this.memoryWorkers.delete(w);
    this.releaseIP(w.ipIndex);
  }

  /**
   * kubelet.go rejectPod: a Warning event with the reason and message, and the status Failed with
   * "Pod was rejected: <message>" (the QoS class kept, the kubelet's own conditions dropped as the
   * status manager's mergePodStatus does). No sandbox, no containers.
   */
  private rejectPod(pod: KubeObject, reason: string, message: string): void {
    this.rejected.add(pod.metadata.uid!);
    this.cluster.api.recordEvent(pod, 'Warning', reason, message, 'kubelet');
    this.writeStatus(pod, (s) => {
      const kept = (s.conditions ?? []).filter((c: any) => !KUBELET_CONDITIONS.has(c.type));
      for (const k of Object.keys(s)) if (k !== 'qosClass') delete s[k];
      s.phase = 'Failed';
      s.reason = reason;
      s.message = `Pod was rejected: ${message}`;
      if (kept.length) s.conditions = kept;
    });
  }

  /** the status manager's delete of a terminal pod that has a deletionTimestamp (grace 0, UID precondition) */
  private deleteTerminal(pod: KubeObject): void {
    try {
      this.cluster.api.delete('Pod', pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditionUid: pod.metadata.uid });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  /** host-local IPAM: the next free address after the last one handed out, wrapping round */
  private allocateIP(): number {
    for (let tries = 0; tries < 253; tries++) {
      const i = this.nextIP;
      this.nextIP = this.nextIP >= 254 ? 2 : this.nextIP + 1;
      if (!this.usedIPs.has(i)) {
        this.usedIPs.add(i);
        return i;
      }
    }
    throw new Error(`node ${this.node.name}: the pod CIDR ${this.podCIDR} has no free address`);
  }

  private releaseIP(i: number): void {
    this.usedIPs.delete(i);
  }

  podIP(i: number): string {
    return `10.244.${this.index}.${i}`;
  }

  /** every pod worker on this node, in the order the pods arrived */
  podWorkers(): PodWorker[] {
    return [...this.workers.values()];
  }

  /** the same workers in the same order, without a copy: for readers that do not add or remove workers */
  podWorkerValues(): Iterable<PodWorker> {
    return this.workers.values();
  }

  /** the worker of a pod on this node, for `exec:` and `fault:` steps */
  worker(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  imagePullDelay(): number {
    return drawLatency(this.rng, this.cluster.timing.imagePull);
  }

  /** status manager: write a pod's status; a pod that is gone is ignored */
  writeStatus(pod: KubeObject, fn: (status: any) => void): KubeObject | undefined {
    if (!this.reporting) return undefined;
    const api = this.cluster.api;
    // the pod of that name, if it is still this one (found by its uid: one lookup, no key to build)
    const cur = api.store.getByUid(pod.metadata.uid!);
    if (!cur || cur.kind !== 'Pod' || cur.metadata.name !== pod.metadata.name || cur.metadata.namespace !== (pod.metadata.namespace ?? 'default')) return undefined;
    // The API server copies the status it stores (ApiServer.update), and the status builders
    // only set or delete top-level members and replace or append entries of `conditions`: a copy
    // of those two levels keeps the stored object unchanged, without copying the container
    // statuses every sync rebuilds anyway.
    // (Object.assign, not a spread: V8 makes adding members to a spread copy ~20x slower)
    const status = shallowStatusCopy(cur.status ?? {});
    fn(status);
    try {
      const input = shallowCopy(cur);
      input.status = status;
      return api.update(input, 'status');
    } catch (e) {
      if (e instanceof ApiError) return undefined;
      throw e;
    }
  }
}

/** the top level of a status and its conditions array copied; the members shared */
function shallowStatusCopy(s: any): any {
  // an own "__proto__" member would be set as the prototype by Object.assign: copy such a status whole
  if (Object.hasOwn(s, '__proto__')) return cloneObject(s);
  const out = Object.assign({}, s);
  if (Array.isArray(out.conditions)) out.conditions = [...out.conditions];
  return out;
}

/** kubelettypes.PodConditionsByKubelet: the conditions the kubelet owns in a pod's status */
const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

function cond(type: string, status: string, reason: string, message: string, now: number): any {
  return { type, status, reason, message, lastHeartbeatTime: timestamp(now), lastTransitionTime: timestamp(now) };
}
