// One Service port's endpoints, computed once from a set of EndpointSlice objects and shared by
// every node's kube-proxy whose informer cache holds those same objects. The API server replaces a
// stored object on every write (src/api/server.ts create/update clone the input) and never
// mutates it, so the identity of the slice objects is their version: two caches holding the same
// objects see the same endpoints. Only the per-node part differs: which endpoints are local
// (endpoint.nodeName == this node) and, from that, the Local-policy list. A node with no endpoint
// of the Service (most nodes, past a few hundred) reuses the shared lists as they are, so one sync
// costs O(local endpoints) instead of O(endpoints) for that node.
//
// The per-node rule itself is upstream's pkg/proxy/endpointslicecache.go addEndpoints /
// endpointsMapFromEndpointInfo (endpointsForNode below, kept as the reference the shared path is
// tested against in shared_endpoints.test.ts).

import type { KubeObject } from '../../api/types.js';
import { categorizeEndpoints, localEndpoints, type Categorized } from './topology.js';
import type { ProxyEndpoint, ProxyServicePort } from './types.js';

type Policy = Pick<ProxyServicePort, 'internalPolicyLocal' | 'externalPolicyLocal' | 'externallyAccessible'>;

/** What one node programs for a Service port: its endpoints, their categories, the trace text. */
export interface NodePortView {
  endpoints: ProxyEndpoint[];
  cat: Categorized;
  /** the chain as the sync note shows it */
  chain: string;
}

/** slices of one Service, in the order kube-proxy reads them (by name) */
export function sortSlices(slices: Iterable<KubeObject>): KubeObject[] {
  return [...slices].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

/**
 * addEndpoints + endpointsMapFromEndpointInfo (pkg/proxy/endpointslicecache.go) for one node:
 * nil conditions read as ready/serving, only the first address counts, ports without a matching
 * name/protocol or with port 0 are ignored, duplicate IP:port merged (local wins), sorted by the
 * string "IP:port".
 */
export function endpointsForNode(slices: readonly KubeObject[], portName: string, protocol: string, nodeName: string | undefined): ProxyEndpoint[] {
  const byKey = new Map<string, ProxyEndpoint>();
  forEachEndpoint(slices, portName, protocol, nodeName, (e) => {
    const prev = byKey.get(e.key);
    if (!prev || (!prev.isLocal && e.isLocal)) byKey.set(e.key, e);
  });
  return sortByKey([...byKey.values()]);
}

function forEachEndpoint(slices: readonly KubeObject[], portName: string, protocol: string, nodeName: string | undefined, fn: (e: ProxyEndpoint) => void): void {
  for (const slice of slices) {
    if ((slice as any).addressType && (slice as any).addressType !== 'IPv4') continue;
    const port = ((slice as any).ports ?? []).find((x: any) => (x.name ?? '') === portName && (x.protocol ?? 'TCP') === protocol);
    if (!port || !port.port) continue;
    for (const ep of ((slice as any).endpoints as any[]) ?? []) {
      const ip = ep.addresses?.[0];
      if (!ip) continue;
      const c = ep.conditions ?? {};
      fn({
        ip,
        port: port.port,
        key: `${ip}:${port.port}`,
        ready: c.ready == null || c.ready === true,
        serving: c.serving == null || c.serving === true,
        terminating: c.terminating === true,
        isLocal: nodeName !== undefined && ep.nodeName === nodeName,
        nodeName: ep.nodeName,
        zoneHints: (ep.hints?.forZones ?? []).map((z: any) => z.name),
        pod: ep.targetRef?.kind === 'Pod' ? { namespace: ep.targetRef.namespace ?? slice.metadata.namespace, name: ep.targetRef.name } : undefined,
      });
    }
  }
}

function byKey(a: ProxyEndpoint, b: ProxyEndpoint): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function sortByKey(l: ProxyEndpoint[]): ProxyEndpoint[] {
  return l.sort(byKey);
}

/** One slice's endpoints for one port, as no node sees them as local: sorted by key, the first of
 * each key kept, and the later duplicates (for the "local wins" check) */
interface SliceEndpoints {
  sorted: ProxyEndpoint[];
  later: ProxyEndpoint[];
}

/** slice object -> "portName/protocol" -> its endpoints: a slice left alone by a write keeps its
 * list, so a new version of a Service's slice set re-reads only the slices that changed */
const sliceEndpoints = new WeakMap<KubeObject, Map<string, SliceEndpoints>>();

function endpointsOfSlice(slice: KubeObject, portName: string, protocol: string): SliceEndpoints {
  let byPort = sliceEndpoints.get(slice);
  if (!byPort) sliceEndpoints.set(slice, (byPort = new Map()));
  const k = `${portName}/${protocol}`;
  let r = byPort.get(k);
  if (!r) {
    const first = new Map<string, ProxyEndpoint>();
    const later: ProxyEndpoint[] = [];
    forEachEndpoint([slice], portName, protocol, undefined, (e) => {
      if (first.has(e.key)) later.push(e);
      else first.set(e.key, e);
    });
    byPort.set(k, (r = { sorted: sortByKey([...first.values()]), later }));
  }
  return r;
}

/** how a sync note shows a programmed port's chain */
export function describeChain(cat: Categorized): string {
  if (!cat.hasAny) return 'no endpoints (REJECT)';
  const list = cat.cluster ?? cat.local ?? [];
  return list.map((e) => `${e.key}${e.terminating ? ' terminating' : ''}`).join(', ') || 'no local endpoints';
}

/** The categories of the shared list for one traffic policy and zone */
interface SharedCategories {
  cat: Categorized;
  chain: string;
  /** node -> indexes into cat.cluster of the endpoints on that node */
  clusterIndex: Map<string, number[]>;
  /** the view of every node with no endpoint of its own, for the last port object asked */
  noLocal?: { sp: Policy } & NodePortView;
}

/** One Service port's endpoints from one set of slice objects, viewed from any node. */
export class SharedPortEndpoints {
  /** the endpoints as a node with none of them local sees them (isLocal false everywhere) */
  private readonly base: ProxyEndpoint[];
  /** node -> indexes into base of the endpoints on that node */
  private readonly localIndex = new Map<string, number[]>();
  /** nodes holding a later duplicate of an IP:port first seen on another node: for them "local
   * wins" picks a different candidate, so they take the reference path */
  private readonly ambiguous = new Set<string>();
  /** policy flags (a 3-bit number) -> zone -> categories and chain text of base */
  private readonly byPolicy: (Map<string | undefined, SharedCategories> | undefined)[] = [];

  constructor(
    private readonly slices: readonly KubeObject[],
    private readonly portName: string,
    private readonly protocol: string,
  ) {
    // the scan's first occurrence of each key is the one of the earliest slice (in slice order)
    // holding it; every other occurrence on another node makes that node ambiguous
    const lists = slices.map((sl) => endpointsOfSlice(sl, portName, protocol));
    const losers: ProxyEndpoint[] = [];
    let base: ProxyEndpoint[] = [];
    for (const l of lists) {
      base = base.length === 0 ? l.sorted : mergeFirstWins(base, l.sorted, losers);
      for (const e of l.later) losers.push(e);
    }
    if (losers.length) {
      const winner = new Map(base.map((e) => [e.key, e]));
      for (const e of losers) if (e.nodeName !== undefined && e.nodeName !== winner.get(e.key)!.nodeName) this.ambiguous.add(e.nodeName);
    }
    this.base = base;
    this.base.forEach((e, i) => {
      if (e.nodeName === undefined) return;
      let l = this.localIndex.get(e.nodeName);
      if (!l) this.localIndex.set(e.nodeName, (l = []));
      l.push(i);
    });
  }

  /** Whether nodeName's view is the shared one (no endpoint of its own, none it may win): then
   * programmedFor hands it the object every such node gets. */
  sharedFor(nodeName: string): boolean {
    return !this.localIndex.has(nodeName) && (this.ambiguous.size === 0 || !this.ambiguous.has(nodeName));
  }

  /** What nodeName's rules hold for this port: equal (deeply) to the reference computation. */
  forNode(nodeName: string, sp: Policy, zone: string | undefined): NodePortView {
    if (this.ambiguous.has(nodeName)) {
      const endpoints = endpointsForNode(this.slices, this.portName, this.protocol, nodeName);
      const cat = categorizeEndpoints(endpoints, sp, zone);
      return { endpoints, cat, chain: describeChain(cat) };
    }
    const shared = this.categorized(sp, zone);
    const idx = this.localIndex.get(nodeName);
    if (!idx) return { endpoints: this.base, cat: shared.cat, chain: shared.chain };
    // the Cluster list, hasAny and the zone choice read readiness, serving, terminating and hints,
    // never isLocal: only the local copies of this node's endpoints differ from the shared lists
    const endpoints = this.base.slice();
    const local = new Map<ProxyEndpoint, ProxyEndpoint>();
    for (const i of idx) {
      const e = { ...this.base[i], isLocal: true };
      local.set(this.base[i], e);
      endpoints[i] = e;
    }
    const cat: Categorized = { hasAny: shared.cat.hasAny };
    if (shared.cat.cluster) {
      const pos = shared.clusterIndex.get(nodeName);
      if (!pos) cat.cluster = shared.cat.cluster;
      else {
        const cluster = shared.cat.cluster.slice();
        for (const i of pos) cluster[i] = local.get(cluster[i])!;
        cat.cluster = cluster;
      }
    }
    if (shared.cat.local) cat.local = localEndpoints([...local.values()]);
    return { endpoints, cat, chain: cat.cluster ? shared.chain : describeChain(cat) };
  }

  /**
   * What nodeName's rules hold for a Service port, as `{ sp } & view`: forNode, with this node's
   * own copies (its endpoints marked local, in the lists and in the categories) made on first
   * read — the sync note needs only the chain text, which for Cluster policy is the shared one,
   * and most nodes' rules are never read by a connection. One object per node and port, no
   * closure; every node with no endpoint of its own gets the same object (their views are the
   * shared lists).
   */
  programmedFor<S extends Policy>(nodeName: string, sp: S, zone: string | undefined): { sp: S } & NodePortView {
    if (this.ambiguous.size !== 0 && this.ambiguous.has(nodeName)) return { sp, ...this.forNode(nodeName, sp, zone) };
    const shared = this.categorized(sp, zone);
    if (!this.localIndex.has(nodeName)) {
      if (shared.noLocal?.sp !== sp) shared.noLocal = { sp, endpoints: this.base, cat: shared.cat, chain: shared.chain };
      return shared.noLocal as { sp: S } & NodePortView;
    }
    // Local policy only: the chain text is this node's Local list
    if (!shared.cat.cluster) return { sp, ...this.forNode(nodeName, sp, zone) };
    return new LazyProgrammedPort(sp, shared.chain, this, nodeName, zone);
  }

  private categorized(sp: Policy, zone: string | undefined): SharedCategories {
    // a number, not a string built per sync of every node
    const flags = (sp.internalPolicyLocal ? 4 : 0) | (sp.externalPolicyLocal ? 2 : 0) | (sp.externallyAccessible ? 1 : 0);
    let byZone = this.byPolicy[flags];
    if (!byZone) this.byPolicy[flags] = byZone = new Map();
    let r = byZone.get(zone);
    if (!r) {
      const cat = categorizeEndpoints(this.base, sp, zone);
      const clusterIndex = new Map<string, number[]>();
      cat.cluster?.forEach((e, i) => {
        if (e.nodeName === undefined) return;
        let l = clusterIndex.get(e.nodeName);
        if (!l) clusterIndex.set(e.nodeName, (l = []));
        l.push(i);
      });
      byZone.set(zone, (r = { cat, chain: describeChain(cat), clusterIndex }));
    }
    return r;
  }
}

/** programmedFor's view of a node with endpoints of its own: its copies made on first read */
class LazyProgrammedPort<S extends Policy> implements NodePortView {
  private view?: NodePortView;
  constructor(
    readonly sp: S,
    readonly chain: string,
    private readonly shared: SharedPortEndpoints,
    private readonly nodeName: string,
    private readonly zone: string | undefined,
  ) {}
  get endpoints(): ProxyEndpoint[] {
    return (this.view ??= this.shared.forNode(this.nodeName, this.sp, this.zone)).endpoints;
  }
  get cat(): Categorized {
    return (this.view ??= this.shared.forNode(this.nodeName, this.sp, this.zone)).cat;
  }
}

/** merge two lists sorted by key with unique keys; on a tie the first list's endpoint is kept and
 * the second's goes to `losers` */
function mergeFirstWins(a: ProxyEndpoint[], b: ProxyEndpoint[], losers: ProxyEndpoint[]): ProxyEndpoint[] {
  const out: ProxyEndpoint[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i], y = b[j];
    if (x.key < y.key) {
      out.push(x);
      i++;
    } else if (y.key < x.key) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      losers.push(y);
      i++;
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** versions of one Service's slice set kept per Service: with propagation delays drawn per node,
 * caches of lagging nodes hold older sets; a set pushed out is recomputed on its next use (the
 * cost before sharing), never served stale */
const VERSIONS_KEPT = 8;

/**
 * The shared endpoint lists of a cluster's kube-proxies, by Service and slice set. A pure cache:
 * what it returns depends only on the slice objects, so hits and misses never change behaviour.
 */
/** the ports of one Service object (never changed: shared per Service object) */
type PortSpec = Policy & Pick<ProxyServicePort, 'portName' | 'protocol'>;

/** One version of a Service's slice set: its endpoint lists per port, and the programmed ports
 * of the nodes with no endpoint of their own (one array for all of them, per zone) */
interface SliceSetVersion {
  readonly slices: readonly KubeObject[];
  readonly ports: Map<string, SharedPortEndpoints>;
  /** the port objects last asked for (one Service object's) and their lists */
  specs?: readonly PortSpec[];
  shared?: readonly SharedPortEndpoints[];
  /** zone -> the programmed ports of the nodes with no endpoint of their own, for `specs` */
  noLocal?: Map<string | undefined, readonly ({ sp: PortSpec } & NodePortView)[]>;
}

export class EndpointsMemo {
  private readonly bySvc = new Map<string, SliceSetVersion[]>();

  /**
   * The array of this slice set every node's cache may hold (the first one seen, kept while the
   * set is among the Service's recent versions): nodes holding the same slices share one array.
   */
  intern(svcKey: string, slices: readonly KubeObject[]): readonly KubeObject[] {
    return this.version(svcKey, slices).slices;
  }

  get(svcKey: string, slices: readonly KubeObject[], portName: string, protocol: string): SharedPortEndpoints {
    return portOf(this.version(svcKey, slices), portName, protocol);
  }

  /**
   * What nodeName programs for a Service's ports (`specs`, the ports of one Service object) from
   * this slice set: programmedFor per port, as `{ slices, ports }` where `slices` is the interned
   * array. A node with no endpoint of its own in any port gets the very array every such node got
   * (its elements are the shared views already), so its rules hold no list of their own and an
   * unchanged Service is recognised by identity.
   */
  programmed<S extends PortSpec>(svcKey: string, slices: readonly KubeObject[], specs: readonly S[], nodeName: string, zone: string | undefined): { slices: readonly KubeObject[]; ports: readonly ({ sp: S } & NodePortView)[] } {
    const v = this.version(svcKey, slices);
    // the port lists of these port objects: looked up once per version, not per node
    if (v.specs !== specs) {
      v.specs = specs;
      v.shared = specs.map((sp) => portOf(v, sp.portName, sp.protocol));
      v.noLocal = undefined;
    }
    const shared = v.shared!;
    const allShared = allSharedFor(shared, nodeName);
    if (allShared) {
      const hit = v.noLocal?.get(zone);
      if (hit !== undefined) return { slices: v.slices, ports: hit as readonly ({ sp: S } & NodePortView)[] };
    }
    const views = specs.map((sp, i) => shared[i].programmedFor(nodeName, sp, zone));
    if (allShared) (v.noLocal ??= new Map()).set(zone, views);
    return { slices: v.slices, ports: views };
  }

  /** the Service's version for this slice set, moved to the front (most recently used) */
  private version(svcKey: string, slices: readonly KubeObject[]): SliceSetVersion {
    let versions = this.bySvc.get(svcKey);
    if (!versions) this.bySvc.set(svcKey, (versions = []));
    // nodes mostly hold the interned array itself (src/network/proxy/cache.ts shares their steps):
    // found by identity before any element compare
    let i = versions.length && versions[0].slices === slices ? 0 : versions.findIndex((v) => v.slices === slices);
    if (i < 0) i = versions.findIndex((v) => sameObjects(v.slices, slices));
    if (i < 0) {
      versions.unshift({ slices, ports: new Map() });
      if (versions.length > VERSIONS_KEPT) versions.pop();
      i = 0;
    } else if (i > 0) versions.unshift(...versions.splice(i, 1));
    return versions[0];
  }
}

function allSharedFor(shared: readonly SharedPortEndpoints[], nodeName: string): boolean {
  for (const s of shared) if (!s.sharedFor(nodeName)) return false;
  return true;
}

function portOf(v: SliceSetVersion, portName: string, protocol: string): SharedPortEndpoints {
  const portKey = `${portName}/${protocol}`;
  let s = v.ports.get(portKey);
  if (!s) v.ports.set(portKey, (s = new SharedPortEndpoints(v.slices, portName, protocol)));
  return s;
}

function sameObjects(a: readonly KubeObject[], b: readonly KubeObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
