// kube-proxy's view of Services and EndpointSlices, built only from the watch events it has
// received (its own informer cache), so each node's view lags independently.
// - serviceToServiceMap (pkg/proxy/servicechangetracker.go) + ShouldSkipService
//   (pkg/proxy/util/utils.go): headless and ExternalName Services get no rules.
// - addEndpoints / endpointsMapFromEndpointInfo (pkg/proxy/endpointslicecache.go): nil
//   conditions read as ready/serving, only the first address counts, ports without a name
//   match or with port 0 are ignored, duplicate IP:port merged (local wins), and the list of a
//   Service port is sorted by the string "IP:port".

import type { KubeObject } from '../../api/types.js';
import type { ProxyEndpoint, ProxyServicePort } from './types.js';

/** api core/v1 DefaultClientIPServiceAffinitySeconds */
export const DEFAULT_AFFINITY_SECONDS = 10800;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export class ProxyCache {
  private readonly services = new Map<string, KubeObject>();
  /** service "ns/name" -> slice "ns/name" -> slice */
  private readonly slices = new Map<string, Map<string, KubeObject>>();
  private readonly sliceOwner = new Map<string, string>();

  constructor(readonly nodeName: string) {}

  /** apply a delivered watch event; returns the Service "ns/name" it concerns */
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): string | undefined {
    const ns = obj.metadata.namespace ?? 'default';
    const key = `${ns}/${obj.metadata.name}`;
    if (obj.kind === 'Service') {
      if (type === 'DELETED') this.services.delete(key);
      else this.services.set(key, obj);
      return key;
    }
    if (obj.kind !== 'EndpointSlice') return undefined;
    const prevOwner = this.sliceOwner.get(key);
    if (prevOwner) this.slices.get(prevOwner)?.delete(key);
    const svcName = obj.metadata.labels?.[SERVICE_NAME_LABEL];
    if (type === 'DELETED' || !svcName) {
      this.sliceOwner.delete(key);
      return prevOwner;
    }
    const owner = `${ns}/${svcName}`;
    this.sliceOwner.set(key, owner);
    let m = this.slices.get(owner);
    if (!m) this.slices.set(owner, (m = new Map()));
    m.set(key, obj);
    return owner;
  }

  serviceKeys(): string[] {
    return [...this.services.keys()].sort();
  }

  /** The programmed ports of a Service, with their sorted endpoints; [] when skipped. */
  servicePorts(svcKey: string): { sp: ProxyServicePort; endpoints: ProxyEndpoint[] }[] {
    const svc = this.services.get(svcKey);
    if (!svc) return [];
    const spec = svc.spec ?? {};
    const clusterIP: string | undefined = spec.clusterIP;
    if (!clusterIP || clusterIP === 'None' || spec.type === 'ExternalName') return [];
    const lbIPs: string[] = (svc.status?.loadBalancer?.ingress ?? [])
      .filter((i: any) => i.ip && (i.ipMode ?? 'VIP') === 'VIP')
      .map((i: any) => i.ip);
    const externalIPs: string[] = spec.externalIPs ?? [];
    const out: { sp: ProxyServicePort; endpoints: ProxyEndpoint[] }[] = [];
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
      out.push({ sp, endpoints: this.endpointsFor(svcKey, portName, sp.protocol) });
    }
    return out;
  }

  private endpointsFor(svcKey: string, portName: string, protocol: string): ProxyEndpoint[] {
    const byKey = new Map<string, ProxyEndpoint>();
    const slices = [...(this.slices.get(svcKey)?.values() ?? [])].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    for (const slice of slices) {
      if ((slice as any).addressType && (slice as any).addressType !== 'IPv4') continue;
      const port = ((slice as any).ports ?? []).find((x: any) => (x.name ?? '') === portName && (x.protocol ?? 'TCP') === protocol);
      if (!port || !port.port) continue;
      for (const ep of ((slice as any).endpoints as any[]) ?? []) {
        const ip = ep.addresses?.[0];
        if (!ip) continue;
        const c = ep.conditions ?? {};
        const e: ProxyEndpoint = {
          ip,
          port: port.port,
          key: `${ip}:${port.port}`,
          ready: c.ready == null || c.ready === true,
          serving: c.serving == null || c.serving === true,
          terminating: c.terminating === true,
          isLocal: ep.nodeName === this.nodeName,
          nodeName: ep.nodeName,
          zoneHints: (ep.hints?.forZones ?? []).map((z: any) => z.name),
          pod: ep.targetRef?.kind === 'Pod' ? { namespace: ep.targetRef.namespace ?? slice.metadata.namespace, name: ep.targetRef.name } : undefined,
        };
        const prev = byKey.get(e.key);
        if (!prev || (!prev.isLocal && e.isLocal)) byKey.set(e.key, e);
      }
    }
    return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
