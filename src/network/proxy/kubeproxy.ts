// kube-proxy on one node: watches Services and EndpointSlices, and after its own propagation
// delay (timing.endpointsPropagation per event, then timing.kubeProxySync per rule sync, drawn
// from this node's stream) reprograms its rule table. route() is what the node's netfilter /
// IPVS tables do with the first packet of a new connection (pkg/proxy/iptables/proxier.go
// syncProxyRules; pkg/proxy/ipvs/proxier.go; pkg/proxy/userspace).

import type { Cluster, Component } from '../../engine/cluster.js';
import { Informer, drawLatency } from '../../engine/component.js';
import type { Rng } from '../../engine/rng.js';
import type { Timer } from '../../engine/sim.js';
import { ProxyCache } from './cache.js';
import type { Categorized } from './topology.js';
import { EndpointsMemo } from './shared_endpoints.js';
import { newBalancer, type Balancer, type ProxyMode } from './balancers.js';
import type { ProxyEndpoint, ProxyServicePort } from './types.js';
import { syncedTail } from './sync_note.js';

/** Where a connection comes from, as this node's rules tell it apart. */
export type Origin =
  /** a pod (source in the cluster's pod CIDR) */
  | 'pod'
  /** this node itself (`--src-type LOCAL`) */
  | 'local'
  /** anything else: another node, an external client, a load balancer */
  | 'external';

export interface Flow {
  srcIP: string;
  origin: Origin;
  dstIP: string;
  dstPort: number;
}

export type Verdict =
  | { action: 'dnat'; sp: ProxyServicePort; endpoint: ProxyEndpoint; snatIP?: string; chain: ProxyEndpoint[] }
  | { action: 'reject'; sp: ProxyServicePort; reason: string }
  | { action: 'drop'; sp: ProxyServicePort; reason: string }
  | { action: 'healthz'; sp: ProxyServicePort; status: number; body: string; localEndpoints: number }
  /** no rule for this destination: the packet is routed normally */
  | { action: 'none' };

type DnatVerdict = Extract<Verdict, { action: 'dnat' }>;

type Front = 'cluster' | 'nodeport' | 'external' | 'healthz';

interface Programmed {
  sp: ProxyServicePort;
  endpoints: ProxyEndpoint[];
  cat: Categorized;
  /** the chain as the sync note shows it */
  chain: string;
}

const registry = new WeakMap<Cluster, Map<string, KubeProxy>>();
/** one cluster's kube-proxies share the endpoint lists computed from the same slice objects */
const memos = new WeakMap<Cluster, EndpointsMemo>();

/** The kube-proxy of a node, once the network is started. */
export function kubeProxyOf(cluster: Cluster, node: string): KubeProxy | undefined {
  return registry.get(cluster)?.get(node);
}

export class KubeProxy implements Component {
  readonly name: string;
  readonly mode: ProxyMode;
  private readonly rng: Rng;
  private readonly cache: ProxyCache;
  /** Service "ns/name" -> its programmed ports */
  private readonly rules = new Map<string, readonly Programmed[]>();
  /** "ip:port" -> the ports and fronts answering there (lists replaced, never changed) */
  private readonly fronts = new Map<string, readonly FrontEntry[]>();
  private readonly balancers = new Map<string, Balancer>();
  private readonly dirty = new Set<string>();
  private syncTimer?: Timer;
  private readonly informer: Informer;

  constructor(
    readonly cluster: Cluster,
    readonly nodeName: string,
    readonly nodeIP: string,
    readonly zone: string | undefined,
  ) {
    this.name = `kube-proxy/${nodeName}`;
    this.syncSource = `${this.name}/sync`;
    this.mode = cluster.config.proxyMode;
    this.rng = cluster.rng(this.name);
    let memo = memos.get(cluster);
    if (!memo) memos.set(cluster, (memo = new EndpointsMemo()));
    this.cache = new ProxyCache(nodeName, memo);
    let map = registry.get(cluster);
    if (!map) registry.set(cluster, (map = new Map()));
    map.set(nodeName, this);
    this.informer = new Informer(cluster.sim, cluster.api, this.name, ['Service', 'EndpointSlice'], cluster.timing.endpointsPropagation, cluster.rng(`${this.name}/informer`), (ev) => {
      const key = this.cache.apply(ev.type, ev.object, ev.old);
      if (key === undefined) return;
      this.dirty.add(key);
      this.scheduleSync();
    });
    // the informer's initial LIST: objects that existed before kube-proxy started (the API
    // server's own `kubernetes` Service, whose endpoint is kube-apiserver) are in its first
    // sync, done here at start (and kept out of the trace, which shows later syncs)
    for (const kind of ['Service', 'EndpointSlice']) {
      for (const o of cluster.api.store.iterate(kind)) {
        const key = this.cache.apply('ADDED', o);
        if (key !== undefined) this.dirty.add(key);
      }
    }
    if (this.dirty.size) this.sync(false);
  }

  /** the node was deleted (src/engine/nodes.ts): this proxy stops and is no longer found */
  stop(): void {
    this.informer.stop();
    this.syncTimer?.cancel();
    this.syncTimer = undefined;
    const map = registry.get(this.cluster);
    if (map?.get(this.nodeName) === this) map.delete(this.nodeName);
  }

  /** BoundedFrequencyRunner: changes that arrive while a sync is pending join it */
  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = this.cluster.sim.schedule(drawLatency(this.rng, this.cluster.timing.kubeProxySync), this.syncSource, this.onSyncTimer);
  }

  /** the sync event's source and callback, made once per node, not once per sync */
  private readonly syncSource: string;
  private readonly onSyncTimer = (): void => {
    this.syncTimer = undefined;
    this.sync();
  };

  private sync(traced = true): void {
    const changed = [...this.dirty].sort();
    this.dirty.clear();
    for (const svc of changed) {
      const ports: readonly Programmed[] = this.cache.programmedPorts(svc, this.zone);
      if (!this.sameFronts(svc, this.rules.get(svc), ports)) {
        this.unindex(svc);
        for (const p of ports) this.index(svc, p.sp);
      }
      if (ports.length) this.rules.set(svc, ports);
      else this.rules.delete(svc);
      if (!traced) continue;
      // "<name> synced <svc> (<port>: <chain>; ...)": the part after the name is shared with
      // every node programming the same state (src/network/proxy/sync_note.ts)
      this.cluster.sim.trace.add({ t: this.cluster.sim.now, type: 'note', message: this.name + syncedTail(svc, ports) });
    }
  }

  private index(svc: string, sp: ProxyServicePort): void {
    forEachFront(sp, this.nodeIP, (k, front) => {
      const entry = frontEntry(svc, sp, front);
      const l = this.fronts.get(k);
      // most keys hold one entry: its one-element list, shared by every node (lists are replaced,
      // never changed, so a list may be shared)
      this.fronts.set(k, l ? [...l, entry] : soleEntryList(entry));
    });
  }

  /**
   * Whether re-indexing the Service's fronts would rebuild them as they are: the same port objects
   * (shared per Service object, so an endpoint change keeps them) and no other Service's entries in
   * its fronts' lists (whose order a re-index would change: route() takes the first).
   */
  private sameFronts(svc: string, before: readonly Programmed[] | undefined, ports: readonly Programmed[]): boolean {
    if (!before || before.length !== ports.length) return false;
    // the same array (shared by nodes with no endpoint of their own): the same port objects
    if (before !== ports) for (let i = 0; i < ports.length; i++) if (before[i].sp !== ports[i].sp) return false;
    let alone = true;
    for (const p of before) {
      forEachFront(p.sp, this.nodeIP, (k) => {
        if (alone) for (const x of this.fronts.get(k) ?? []) if (x.svc !== svc) alone = false;
      });
    }
    return alone;
  }

  /**
   * drop every front of a Service's ports: O(its fronts), not O(all fronts). The Service's fronts
   * are those of the ports its rules hold (indexed together, replaced together), so no per-node
   * set of them is kept.
   */
  private unindex(svc: string): void {
    for (const p of this.rules.get(svc) ?? []) {
      forEachFront(p.sp, this.nodeIP, (k) => {
        const l = this.fronts.get(k);
        if (!l) return;
        const rest = l.filter((x) => x.svc !== svc);
        if (rest.length === l.length) return; // already dropped (a key listed twice)
        if (rest.length) this.fronts.set(k, rest);
        else this.fronts.delete(k);
      });
    }
  }

  /** Whether this node's rules catch the destination (a VIP, a nodePort, a health check port). */
  handles(ip: string, port: number): boolean {
    return this.fronts.has(`${ip}:${port}`);
  }

  /** the last destination routed and its "ip:port" key: a client's connections repeat it, and
   * the key is then not built (and hashed) again */
  private lastDstIP = '';
  private lastDstPort = -1;
  private lastDstKey = '';
  /** the last DNAT verdict (verdicts are read, never changed) */
  private lastDnat: DnatVerdict | undefined;

  private frontKey(ip: string, port: number): string {
    if (ip !== this.lastDstIP || port !== this.lastDstPort) {
      this.lastDstIP = ip;
      this.lastDstPort = port;
      this.lastDstKey = `${ip}:${port}`;
    }
    return this.lastDstKey;
  }

  /** The rules' decision for the first packet of a new connection. */
  route(flow: Flow, now: number): Verdict {
    const hit = this.fronts.get(this.frontKey(flow.dstIP, flow.dstPort))?.[0];
    if (!hit) return NO_RULE;
    const p = programmedPort(this.rules.get(hit.svc)!, hit.portKey);
    const { sp, cat } = p;
    if (hit.front === 'healthz') return healthz(p);
    // no usable endpoint anywhere: filter REJECT ("has no endpoints") -> connection refused
    if (!cat.hasAny) return { action: 'reject', sp, reason: `${sp.namespace}/${sp.name}${sp.portName ? `:${sp.portName}` : ''} has no endpoints` };
    let chain: ProxyEndpoint[];
    let masquerade: boolean;
    if (this.mode === 'userspace') {
      // the userspace proxy opens its own connection from the node; it knows no traffic policy
      chain = cat.cluster ?? cat.local ?? [];
      masquerade = true;
    } else if (hit.front === 'cluster') {
      if (sp.internalPolicyLocal) {
        chain = cat.local ?? [];
        if (chain.length === 0) return { action: 'drop', sp, reason: `${sp.namespace}/${sp.name} has no local endpoints` };
      } else chain = cat.cluster ?? [];
      // KUBE-SVC: `! -s <clusterCIDR> -j KUBE-MARK-MASQ`
      masquerade = flow.origin !== 'pod';
    } else if (!sp.externalPolicyLocal) {
      chain = cat.cluster ?? [];
      masquerade = true;
    } else if (flow.origin === 'pod') {
      chain = cat.cluster ?? [];
      masquerade = false;
    } else if (flow.origin === 'local') {
      chain = cat.cluster ?? [];
      masquerade = true;
    } else {
      chain = cat.local ?? [];
      masquerade = false;
      // KUBE-EXTERNAL-SERVICES: "has no local endpoints" -> DROP: the client hangs
      if (chain.length === 0) return { action: 'drop', sp, reason: `${sp.namespace}/${sp.name} has no local endpoints on ${this.nodeName}` };
    }
    const ep = this.balancer(sp, hit.front).pick(chain, flow.srcIP, now, sp.affinityTimeoutMs);
    if (!ep) return { action: 'reject', sp, reason: `${sp.namespace}/${sp.name} has no endpoints` };
    // KUBE-SEP: `-s <epIP> -j KUBE-MARK-MASQ` (hairpin)
    if (ep.ip === flow.srcIP) masquerade = true;
    // a client with affinity gets the same verdict connection after connection: made once
    const last = this.lastDnat;
    if (last !== undefined && last.endpoint === ep && last.sp === sp && last.chain === chain && (last.snatIP !== undefined) === masquerade) return last;
    const v: DnatVerdict = masquerade ? { action: 'dnat', sp, endpoint: ep, chain, snatIP: this.nodeIP } : { action: 'dnat', sp, endpoint: ep, chain };
    this.lastDnat = v;
    return v;
  }

  /** Another pick for the same connection: the userspace proxy retried other endpoints on dial failure. */
  retry(v: Extract<Verdict, { action: 'dnat' }>, srcIP: string, now: number): ProxyEndpoint | undefined {
    return this.balancer(v.sp, 'cluster').pick(v.chain, srcIP, now, undefined);
  }

  private balancer(sp: ProxyServicePort, front: Front): Balancer {
    // iptables recent lists and the userspace LoadBalancerRR are per service port; IPVS keeps
    // rr state per virtual server (clusterIP, each nodePort, each LB IP)
    const key = this.mode === 'ipvs' ? `${sp.key}|${front}` : sp.key;
    let b = this.balancers.get(key);
    if (!b) this.balancers.set(key, (b = newBalancer(this.mode, this.rng)));
    return b;
  }

  /** Local endpoints this node's health check counts for a Service port (for load balancers). */
  localEndpointCount(svcKey: string): number {
    const p = this.rules.get(svcKey)?.[0];
    return p ? (p.cat.local ?? p.endpoints.filter((e) => e.isLocal && e.ready)).length : 0;
  }

  /** The endpoints this node's rules currently use for a Service (all ports), for inspection. */
  endpointsOf(svcKey: string): ProxyEndpoint[] {
    return (this.rules.get(svcKey) ?? []).flatMap((p) => p.cat.cluster ?? p.cat.local ?? []);
  }
}

const NO_RULE: Verdict = Object.freeze({ action: 'none' });

/** the programmed port of a Service with this ServicePortName (a Service has a few ports) */
function programmedPort(ports: readonly Programmed[], key: string): Programmed {
  for (const p of ports) if (p.sp.key === key) return p;
  throw new Error(`kube-proxy: no programmed port ${key}`);
}

/** an entry of a front's list: which Service port answers there, and as which front */
interface FrontEntry {
  readonly svc: string;
  readonly portKey: string;
  readonly front: Front;
}

/**
 * What every node indexes alike for a Service port object (never changed: ports are shared per
 * Service object): its cluster "ip:port" key and its front entries, kept once, not once per node.
 */
const frontsOfPort = new WeakMap<ProxyServicePort, { svc: string; clusterKey: string; entries: Partial<Record<Front, FrontEntry>> }>();

function sharedFronts(svc: string | undefined, sp: ProxyServicePort): { svc: string; clusterKey: string; entries: Partial<Record<Front, FrontEntry>> } {
  let s = frontsOfPort.get(sp);
  if (!s || (svc !== undefined && s.svc !== svc)) {
    frontsOfPort.set(sp, (s = { svc: svc ?? s?.svc ?? '', clusterKey: `${sp.clusterIP}:${sp.port}`, entries: {} }));
  }
  return s;
}

/** front entry -> the list holding it alone (never changed: shared by every node's fronts) */
const soleLists = new WeakMap<FrontEntry, readonly FrontEntry[]>();

function soleEntryList(entry: FrontEntry): readonly FrontEntry[] {
  let l = soleLists.get(entry);
  if (!l) soleLists.set(entry, (l = [entry]));
  return l;
}

function frontEntry(svc: string, sp: ProxyServicePort, front: Front): FrontEntry {
  const s = sharedFronts(svc, sp);
  return (s.entries[front] ??= { svc, portKey: sp.key, front });
}

/** the "ip:port" keys a Service port answers at on a node, and as which front */
function forEachFront(sp: ProxyServicePort, nodeIP: string, f: (key: string, front: Front) => void): void {
  f(sharedFronts(undefined, sp).clusterKey, 'cluster');
  if (sp.nodePort) f(`${nodeIP}:${sp.nodePort}`, 'nodeport');
  for (const ip of sp.loadBalancerIPs) f(`${ip}:${sp.port}`, 'external');
  for (const ip of sp.externalIPs) f(`${ip}:${sp.port}`, 'external');
  if (sp.healthCheckNodePort) f(`${nodeIP}:${sp.healthCheckNodePort}`, 'healthz');
}

/** pkg/proxy/healthcheck/service_health.go hcHandler.ServeHTTP */
function healthz(p: Programmed): Verdict {
  const count = (p.cat.local ?? p.endpoints.filter((e) => e.isLocal && e.ready)).length;
  const body = JSON.stringify({ service: { namespace: p.sp.namespace, name: p.sp.name }, localEndpoints: count, serviceProxyHealthy: true });
  return { action: 'healthz', sp: p.sp, status: count !== 0 ? 200 : 503, body, localEndpoints: count };
}
