// kube-proxy's view of Services and EndpointSlices, built only from the watch events it has
// received (its own informer cache), so each node's view lags independently.
// - serviceToServiceMap (pkg/proxy/servicechangetracker.go) + ShouldSkipService
//   (pkg/proxy/util/utils.go): headless and ExternalName Services get no rules.
// - addEndpoints / endpointsMapFromEndpointInfo (pkg/proxy/endpointslicecache.go): nil
//   conditions read as ready/serving, only the first address counts, ports without a name
//   match or with port 0 are ignored, duplicate IP:port merged (local wins), and the list of a
//   Service port is sorted by the string "IP:port" (src/network/proxy/shared_endpoints.ts, where
//   the lists are computed once per slice set and shared across nodes).

import type { KubeObject } from '../../api/types.js';
import type { ProxyEndpoint, ProxyServicePort } from './types.js';
import { EndpointsMemo, type NodePortView } from './shared_endpoints.js';
import type { Categorized } from './topology.js';

/** api core/v1 DefaultClientIPServiceAffinitySeconds */
export const DEFAULT_AFFINITY_SECONDS = 10800;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Service object -> its programmed ports (objects are replaced on write, never changed) */
const portsByService = new WeakMap<KubeObject, ProxyServicePort[]>();

/** an object's "ns/name" and, for a slice, its Service's "ns/name" (kubernetes.io/service-name),
 * worked out once for every node's cache that receives the same object */
const objectKeys = new WeakMap<KubeObject, { key: string; owner?: string }>();

function keysOf(obj: KubeObject): { key: string; owner?: string } {
  let k = objectKeys.get(obj);
  if (!k) {
    const ns = obj.metadata.namespace ?? 'default';
    const svcName = obj.kind === 'EndpointSlice' ? obj.metadata.labels?.[SERVICE_NAME_LABEL] : undefined;
    objectKeys.set(obj, (k = { key: `${ns}/${obj.metadata.name}`, ...(svcName ? { owner: `${ns}/${svcName}` } : {}) }));
  }
  return k;
}

export class ProxyCache {
  private readonly services = new Map<string, KubeObject>();
  /**
   * service "ns/name" -> its slices sorted by name. Replaced, never changed (copy on write), and
   * once synced the very array every other node holding the same slice objects has (interned by
   * the shared memo): not a Map and a sorted copy per Service on every node.
   */
  private readonly slices = new Map<string, readonly KubeObject[]>();

  constructor(
    readonly nodeName: string,
    /** endpoint lists shared by the kube-proxies of one cluster (a private one by default) */
    private readonly memo: EndpointsMemo = new EndpointsMemo(),
  ) {}

  /**
   * apply a delivered watch event; returns the Service "ns/name" it concerns. `old` is the event's
   * previous version (src/api/server.ts WatchEvent.old): a watch delivers every change in order,
   * so it is the very object this cache holds under that name, and its Service label says which
   * list holds it — no per-node map from slice to Service is kept.
   */
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject, old?: KubeObject): string | undefined {
    const { key, owner } = keysOf(obj);
    if (obj.kind === 'Service') {
      if (type === 'DELETED') this.services.delete(key);
      else this.services.set(key, obj);
      return key;
    }
    if (obj.kind !== 'EndpointSlice') return undefined;
    // ADDED: a name this cache does not hold; without `old` (a caller that does not say), the
    // deleted object's own label
    const prevOwner = type === 'ADDED' ? undefined : old !== undefined ? keysOf(old).owner : type === 'DELETED' ? owner : undefined;
    const gone = type === 'DELETED' || owner === undefined;
    // a slice staying with its Service is replaced in place by withSlice (same namespace, so the
    // same name is the same key): one step, not a removal then an insertion
    if (prevOwner && (gone || prevOwner !== owner)) {
      const prev = this.slices.get(prevOwner);
      if (prev) this.slices.set(prevOwner, withoutSlice(prev, key));
    }
    if (gone) return prevOwner !== undefined && this.slices.has(prevOwner) ? prevOwner : undefined;
    this.slices.set(owner, withSlice(this.slices.get(owner) ?? NO_SLICES, obj));
    return owner;
  }

  serviceKeys(): string[] {
    return [...this.services.keys()].sort();
  }

  /** The programmed ports of a Service, with their sorted endpoints; [] when skipped. */
  servicePorts(svcKey: string): { sp: ProxyServicePort; endpoints: ProxyEndpoint[] }[] {
    return this.programmedPorts(svcKey, undefined).map(({ sp, endpoints }) => ({ sp, endpoints }));
  }

  private servicePortSpecs(svcKey: string): ProxyServicePort[] {
    const svc = this.services.get(svcKey);
    if (!svc) return [];
    // a pure function of the (never mutated) Service object: shared by every node holding it
    let ports = portsByService.get(svc);
    if (!ports) portsByService.set(svc, (ports = buildServicePorts(svcKey, svc)));
    return ports;
  }

  /** The programmed ports of a Service as this node sees them: endpoints, categories and chain
   * text, from the endpoint lists shared with other nodes holding the same slice objects. */
  programmedPorts(svcKey: string, zone: string | undefined): readonly ({ sp: ProxyServicePort } & NodePortView)[] {
    const ports = this.servicePortSpecs(svcKey);
    if (ports.length === 0) return NO_PORTS;
    const mine = this.slices.get(svcKey);
    const { slices, ports: programmed } = this.memo.programmed(svcKey, mine ?? NO_SLICES, ports, this.nodeName, zone);
    if (mine !== undefined && mine !== slices) this.slices.set(svcKey, slices);
    return programmed;
  }
}

const NO_SLICES: readonly KubeObject[] = [];
const NO_PORTS: readonly never[] = [];

/**
 * Every node's kube-proxy receives the same watch events in the same order, and its lists are
 * interned across nodes at each sync (EndpointsMemo.intern): nodes holding one shared list take
 * the same step from it, so the step is made once and its result shared (a list is never
 * changed). One step kept per list: the next event from a list is the same on every node.
 */
const putSteps = new WeakMap<readonly KubeObject[], { obj: KubeObject; next: readonly KubeObject[] }>();
const removeSteps = new WeakMap<readonly KubeObject[], { key: string; next: readonly KubeObject[] }>();

/** `sorted` (by name, as sortSlices) with `obj` in place of the slice of its name, or added */
export function withSlice(sorted: readonly KubeObject[], obj: KubeObject): readonly KubeObject[] {
  const step = putSteps.get(sorted);
  if (step?.obj === obj) return step.next;
  const name = obj.metadata.name!;
  let i = 0;
  while (i < sorted.length && sorted[i].metadata.name! < name) i++;
  const replace = i < sorted.length && sorted[i].metadata.name === name;
  const next = [...sorted.slice(0, i), obj, ...sorted.slice(replace ? i + 1 : i)];
  putSteps.set(sorted, { obj, next });
  return next;
}

/** `sorted` without the slice of this "ns/name" */
export function withoutSlice(sorted: readonly KubeObject[], key: string): readonly KubeObject[] {
  const step = removeSteps.get(sorted);
  if (step?.key === key) return step.next;
  const next = sorted.filter((s) => keysOf(s).key !== key);
  removeSteps.set(sorted, { key, next });
  return next;
}

/** serviceToServiceMap / newBaseServiceInfo: the Service's ports as kube-proxy programs them */
function buildServicePorts(svcKey: string, svc: KubeObject): ProxyServicePort[] {
  const spec = svc.spec ?? {};
  const clusterIP: string | undefined = spec.clusterIP;
  if (!clusterIP || clusterIP === 'None' || spec.type === 'ExternalName') return [];
  const lbIPs: string[] = (svc.status?.loadBalancer?.ingress ?? [])
    .filter((i: any) => i.ip && (i.ipMode ?? 'VIP') === 'VIP')
    .map((i: any) => i.ip);
  const externalIPs: string[] = spec.externalIPs ?? [];
  const out: ProxyServicePort[] = [];
  for (const p of spec.ports ?? []) {
    const portName: string = p.name ?? '';
    const nodePort: number | undefined = p.nodePort || undefined;
    const externallyAccessible = nodePort !== undefined || lbIPs.length > 0 || externalIPs.length > 0;
    const sp: ProxyServicePort = {
      key: `${svcKey}:${portName}`,
      namespace: svc.metadata.namespace ?? 'default',
      name: svc.metadata.name!,
      portName,
      protocol: p.protocol ?? 'TCP',
      clusterIP,
      port: p.port,
      nodePort,
      loadBalancerIPs: lbIPs,
      externalIPs,
      affinityTimeoutMs:
        spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) * 1000 : undefined,
      externallyAccessible,
      // ExternalPolicyLocal (pkg/api/v1/service/util.go): ETP only means something when reachable from outside
      externalPolicyLocal: externallyAccessible && spec.externalTrafficPolicy === 'Local',
      internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
      healthCheckNodePort: spec.healthCheckNodePort || undefined,
    };
    out.push(sp);
  }
  return out;
}
