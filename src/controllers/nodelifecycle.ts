// Node health and the node lifecycle controller (pkg/controller/nodelifecycle
// node_lifecycle_controller.go monitorNodeHealth, tryUpdateNodeHealth, MarkPodsNotReady,
// doNoScheduleTaintingPass, doNoExecuteTaintingPass).
//
// Heartbeats are lazy: an up kubelet renews its Lease every 10 s, so its last heartbeat is
// computed from the clock instead of simulated as an event per node every 10 s. When a node goes
// down (fault nodeDown/partition), only the grace-period expiry is scheduled: at the first
// monitor pass (every 5 s) after lastHeartbeat + nodeMonitorGracePeriod the controller sets every
// node condition Unknown ("Kubelet stopped posting node status."), marks the node's pods not
// Ready and taints the node node.kubernetes.io/unreachable (NoSchedule and NoExecute); the taint
// eviction controller (tainteviction.ts) then deletes pods whose tolerations run out.
// When the kubelet is back it posts Ready=True and the next monitor pass removes the taints.

import type { Cluster, Component } from '../engine/cluster.js';
import { Informer, drawLatency } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import { ApiError } from '../api/errors.js';
import { timestamp } from '../api/time.js';

/** kubelet nodeLeaseRenewInterval (10 s: a quarter of the 40 s lease duration) */
export const LEASE_RENEW_MS = 10_000;
/** node-monitor-period */
export const NODE_MONITOR_PERIOD_MS = 5_000;

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
const CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export type NodeFaultKind = 'down' | 'partition';

interface NodeRecord {
  /** undefined: the kubelet is up and reaching the API server */
  fault?: NodeFaultKind;
  /** when the kubelet last came up (its renewals count from here) */
  upSince: number;
  /** when it stopped reporting */
  downAt?: number;
}

type Listener = (node: string, up: boolean) => void;

/**
 * Which kubelets are reporting. The kubelet checks `nodeHealth(cluster).isDown(node)` and does
 * nothing (no status writes, no new containers) while it is true.
 */
export class NodeHealth {
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly listeners: Listener[] = [];

  constructor(private readonly cluster: Cluster) {}

  private rec(node: string): NodeRecord {
    let r = this.nodes.get(node);
    if (!r) this.nodes.set(node, (r = { upSince: 0 }));
    return r;
  }

  /** the kubelet has stopped reporting to the API server (down or partitioned) */
  isDown(node: string): boolean {
    return this.nodes.get(node)?.fault !== undefined;
  }

  /** the node's network is cut off (pods there cannot be reached); a down node's pods are gone too */
  faultOf(node: string): NodeFaultKind | undefined {
    return this.nodes.get(node)?.fault;
  }

  /** the last Lease renewal at or before `now` (lazy: renewals every 10 s since the kubelet came up) */
  lastHeartbeat(node: string, now: number): number {
    const r = this.rec(node);
    const until = r.fault !== undefined ? r.downAt! : now;
    return r.upSince + Math.floor((until - r.upSince) / LEASE_RENEW_MS) * LEASE_RENEW_MS;
  }

  markDown(node: string, kind: NodeFaultKind): boolean {
    const r = this.rec(node);
    if (r.fault !== undefined) {
      r.fault = kind;
      return false;
    }
    r.fault = kind;
    r.downAt = this.cluster.sim.now;
    for (const l of this.listeners) l(node, false);
    return true;
  }

  markUp(node: string): boolean {
    const r = this.rec(node);
    if (r.fault === undefined) return false;
    r.fault = undefined;
    r.downAt = undefined;
    r.upSince = this.cluster.sim.now;
    for (const l of this.listeners) l(node, true);
    return true;
  }

  onChange(l: Listener): void {
    this.listeners.push(l);
  }
}

const registry = new WeakMap<Cluster, NodeHealth>();

export function nodeHealth(cluster: Cluster): NodeHealth {
  let h = registry.get(cluster);
  if (!h) registry.set(cluster, (h = new NodeHealth(cluster)));
  return h;
}

/** The first monitor pass strictly after `t` (passes run every 5 s from the controller's start). */
export function nextMonitorPass(t: number): number {
  return (Math.floor(t / NODE_MONITOR_PERIOD_MS) + 1) * NODE_MONITOR_PERIOD_MS;
}

/** When a node that stopped heartbeating at `lastHeartbeat` is found Unknown: now > probe + grace. */
export function unknownAt(lastHeartbeat: number, graceMs: number): number {
  return nextMonitorPass(lastHeartbeat + graceMs);
}

function readyCondition(node: KubeObject): any | undefined {
  return (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
}

export class NodeLifecycleController implements Component {
  readonly name = 'node-lifecycle-controller';
  private readonly expiry = new Map<string, { cancel(): void }>();
  private readonly recovery = new Map<string, { cancel(): void }>();
  private readonly health: NodeHealth;

  constructor(private readonly cluster: Cluster) {
    this.health = nodeHealth(cluster);
    this.health.onChange((node, up) => (up ? this.nodeUp(node) : this.nodeDown(node)));
    new Informer(cluster.sim, cluster.api, this.name, ['Node'], cluster.timing.watchLatency, cluster.rng(`${this.name}/informer`), (ev) => {
      if (ev.type === 'DELETED') return;
      const node = ev.object;
      const ready = readyCondition(node)?.status === 'True';
      const tainted = (node.spec?.taints ?? []).some((t: any) => t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY);
      if (ready && tainted && !this.recovery.has(node.metadata.name!)) this.scheduleRecovery(node.metadata.name!);
    });
  }

  private nodeDown(node: string): void {
    this.recovery.get(node)?.cancel();
    this.recovery.delete(node);
    const sim = this.cluster.sim;
    const grace = drawLatency(this.cluster.rng(`${this.name}/grace`), this.cluster.timing.nodeMonitorGracePeriod);
    // a node that never reported uses nodeStartupGracePeriod; every node here registered at start
    const at = Math.max(unknownAt(this.health.lastHeartbeat(node, sim.now), grace), nextMonitorPass(sim.now));
    this.expiry.get(node)?.cancel();
    this.expiry.set(node, sim.scheduleAt(at, `${this.name}/monitor`, () => {
      this.expiry.delete(node);
      if (this.health.isDown(node)) this.markUnknown(node);
    }));
  }

  private nodeUp(node: string): void {
    this.expiry.get(node)?.cancel();
    this.expiry.delete(node);
  }

  /** tryUpdateNodeHealth: every condition Unknown; then MarkPodsNotReady and the unreachable taints */
  private markUnknown(nodeName: string): void {
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    const node = api.get('Node', undefined, nodeName);
    if (!node) return;
    try {
      api.mutate('Node', undefined, nodeName, (d) => {
        d.status ??= {};
        const conds: any[] = (d.status.conditions ??= []);
        for (const type of CONDITION_TYPES) {
          const c = conds.find((x) => x.type === type);
          const unknown = { type, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
          if (!c) conds.push({ ...unknown, lastHeartbeatTime: timestamp(now), lastTransitionTime: timestamp(now) });
          else if (c.status !== 'Unknown') Object.assign(c, unknown, { lastTransitionTime: timestamp(now) });
        }
      }, 'status');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return;
    }
    api.recordEvent(node, 'Normal', 'NodeNotReady', `Node ${nodeName} status is now: NodeNotReady`, this.name);
    this.markPodsNotReady(nodeName);
    // doNoScheduleTaintingPass and doNoExecuteTaintingPass (the first node of a zone is not rate-limited)
    this.setTaints(nodeName, [
      { key: TAINT_UNREACHABLE, effect: 'NoSchedule' },
      { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: timestamp(now) },
    ]);
  }

  /** MarkPodsNotReady (pkg/controller/util/node/controller_utils.go) */
  private markPodsNotReady(nodeName: string): void {
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    for (const pod of api.store.podsOnNode(nodeName)) {
      const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      try {
        api.mutate('Pod', pod.metadata.namespace, pod.metadata.name!, (d) => {
          const c = d.status.conditions.find((x: any) => x.type === 'Ready');
          c.status = 'False';
          c.lastTransitionTime = timestamp(now);
        }, 'status');
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        continue;
      }
      api.recordEvent(pod, 'Warning', 'NodeNotReady', 'Node is not ready', this.name);
    }
  }

  private scheduleRecovery(nodeName: string): void {
    const sim = this.cluster.sim;
    this.recovery.set(nodeName, sim.scheduleAt(nextMonitorPass(sim.now), `${this.name}/monitor`, () => {
      this.recovery.delete(nodeName);
      const node = this.cluster.api.get('Node', undefined, nodeName);
      if (!node || readyCondition(node)?.status !== 'True') return;
      this.api.recordEvent(node, 'Normal', 'NodeReady', `Node ${nodeName} status is now: NodeReady`, this.name);
      this.setTaints(nodeName, []);
    }));
  }

  private get api() {
    return this.cluster.api;
  }

  /** Replace the controller's node-health taints (unreachable / not-ready) with `taints`. */
  private setTaints(nodeName: string, taints: any[]): void {
    try {
      this.api.mutate('Node', undefined, nodeName, (d) => {
        d.spec ??= {};
        const kept = (d.spec.taints ?? []).filter((t: any) => t.key !== TAINT_UNREACHABLE && t.key !== TAINT_NOT_READY);
        const next = [...kept, ...taints];
        if (next.length) d.spec.taints = next;
        else delete d.spec.taints;
      });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

/**
 * The kubelet's node status when it reports again (kubelet_node_status.go setNodeStatus): its
 * conditions back to healthy. Written at its next heartbeat after coming up.
 */
export function kubeletReportsAgain(cluster: Cluster, nodeName: string): void {
  const api = cluster.api;
  const now = cluster.sim.now;
  if (!api.get('Node', undefined, nodeName)) return;
  const healthy: Record<string, [string, string, string]> = {
    MemoryPressure: ['False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
    DiskPressure: ['False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    PIDPressure: ['False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    Ready: ['True', 'KubeletReady', 'kubelet is posting ready status'],
  };
  api.mutate('Node', undefined, nodeName, (d) => {
    for (const c of d.status?.conditions ?? []) {
      const h = healthy[c.type];
      if (!h) continue;
      if (c.status !== h[0]) c.lastTransitionTime = timestamp(now);
      c.status = h[0];
      c.reason = h[1];
      c.message = h[2];
      c.lastHeartbeatTime = timestamp(now);
    }
  }, 'status');
}
