// Docker-link style service environment variables: pkg/kubelet/envvars/envvars.go (FromServices,
// makeEnvVariableName, makeLinkVariables) and kubelet_pods.go getServiceEnvVarMap.
import type { KubeObject } from '../../api/types.js';

export interface EnvVar {
  name: string;
  value: string;
}

/** v1helper.IsServiceIPSet: headless ("None") and ExternalName (no IP) services get no variables. */
export function isServiceIPSet(svc: KubeObject): boolean {
  const ip = svc.spec?.clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None';
}

/**
 * makeEnvVariableName (current text): `-` becomes `_`, then upper-case. Nothing else: the old
 * 2014 text also mapped `.` and prefixed a leading digit with `_`, but the current function (and
 * TestFromServices' `Q_U_U_X_SERVICE_PORT_8083`) do not. Service names are DNS-1035 labels, so a
 * dot or a leading digit cannot occur in a validated Service name anyway.
 */
export function makeEnvVariableName(s: string): string {
  return s.replace(/-/g, '_').toUpperCase();
}

function makeLinkVariables(svc: KubeObject): EnvVar[] {
  const prefix = makeEnvVariableName(svc.metadata.name ?? '');
  const ip: string = svc.spec.clusterIP;
  const out: EnvVar[] = [];
  const ports: any[] = svc.spec.ports ?? [];
  ports.forEach((sp, i) => {
    const protocol = String(sp.protocol || 'TCP');
    const url = `${protocol.toLowerCase()}://${ip}:${sp.port}`;
    // Docker special-cases the first port.
    if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
    const pp = `${prefix}_PORT_${sp.port}_${protocol.toUpperCase()}`;
    out.push(
      { name: pp, value: url },
      { name: `${pp}_PROTO`, value: protocol.toLowerCase() },
      { name: `${pp}_PORT`, value: String(sp.port) },
      { name: `${pp}_ADDR`, value: ip },
    );
  });
  return out;
}

/** FromServices, in the order of the given services. */
export function fromServices(services: readonly KubeObject[]): EnvVar[] {
  const out: EnvVar[] = [];
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const ports: any[] = svc.spec.ports ?? [];
    // Validation requires a port for a ClusterIP service; a hand-made object without one
    // would panic upstream (Ports[0]); here it simply yields no port variables.
    const base = makeEnvVariableName(svc.metadata.name ?? '');
    out.push({ name: `${base}_SERVICE_HOST`, value: svc.spec.clusterIP });
    if (ports.length === 0) continue;
    const portName = `${base}_SERVICE_PORT`;
    out.push({ name: portName, value: String(ports[0].port) });
    for (const sp of ports) {
      if (sp.name) out.push({ name: `${portName}_${makeEnvVariableName(sp.name)}`, value: String(sp.port) });
    }
    out.push(...makeLinkVariables(svc));
  }
  return out;
}

/** kubelet_pods.go masterServices. */
const MASTER_SERVICES = new Set(['kubernetes']);

/**
 * getServiceEnvVarMap: the `kubernetes` Service from `default` always (even with
 * enableServiceLinks=false), plus every Service of the pod's namespace when links are enabled.
 * `services` is what the kubelet's service informer holds when the container starts; the result
 * is never refreshed for a running container. Services are visited in name order so that the
 * output is deterministic (upstream walks a Go map; the variable names cannot collide between
 * distinct services except through name mangling, e.g. `a-b` and `a.b`, where upstream is random).
 */
export function serviceEnvVarMap(services: readonly KubeObject[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const chosen = new Map<string, KubeObject>();
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const name = svc.metadata.name ?? '';
    if (svc.metadata.namespace === 'default' && MASTER_SERVICES.has(name)) {
      if (!chosen.has(name)) chosen.set(name, svc);
    } else if (svc.metadata.namespace === namespace && enableServiceLinks) {
      chosen.set(name, svc);
    }
  }
  const ordered = [...chosen.keys()].sort().map((k) => chosen.get(k)!);
  const m = new Map<string, string>();
  for (const e of fromServices(ordered)) m.set(e.name, e.value);
  return m;
}

/**
 * serviceEnvVarMap remembered per namespace and enableServiceLinks: every container start asks
 * it, with the services of its namespace, which change far less often than pods start. Stored
 * API objects are never changed in place (a write stores a new object), so the same service
 * objects in the same order give the same map. The returned map is shared: read it, never change it.
 */
export class ServiceEnvCache {
  private readonly entries = new Map<string, { services: readonly KubeObject[]; map: Map<string, string> }>();
  private readonly lists = new WeakMap<ReadonlyMap<string, string>, readonly EnvVar[]>();
  private lastMap?: ReadonlyMap<string, string>;
  private lastVars?: readonly EnvVar[];

  /**
   * The variables of a map this cache returned, as EnvVar entries in the map's order: one list
   * per map, its entries shared by every container started with it (read them, never change them).
   */
  varsOf(map: ReadonlyMap<string, string>): readonly EnvVar[] {
    // the map of the previous call again (the usual case) without the WeakMap lookup
    if (map === this.lastMap) return this.lastVars!;
    let list = this.lists.get(map);
    if (!list) {
      const out: EnvVar[] = [];
      for (const [name, value] of map) out.push({ name, value });
      this.lists.set(map, (list = out));
    }
    this.lastMap = map;
    this.lastVars = list;
    return list;
  }

  get(services: readonly KubeObject[], namespace: string, enableServiceLinks: boolean): ReadonlyMap<string, string> {
    const key = `${enableServiceLinks ? 'links' : 'nolinks'}/${namespace}`;
    const hit = this.entries.get(key);
    if (hit && sameObjects(hit.services, services)) return hit.map;
    const map = serviceEnvVarMap(services, namespace, enableServiceLinks);
    this.entries.set(key, { services: [...services], map });
    return map;
  }
}

function sameObjects(a: readonly KubeObject[], b: readonly KubeObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
