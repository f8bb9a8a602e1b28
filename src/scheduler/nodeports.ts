// The NodePorts filter (pkg/scheduler/framework/plugins/nodeports/node_ports.go) and the used
// host ports the scheduler cache keeps per node (framework/types.go HostPortInfo).

export const ERR_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";
const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

// stored objects are never changed in place, so a pod object's host ports can be kept; the
// Filter asks once per node and scheduling cycle
const hostPortsCache = new WeakMap<object, readonly HostPort[]>();
const NO_HOST_PORTS: readonly HostPort[] = Object.freeze([]);

/** getContainerPorts: the pod's container ports that claim a host port (hostPort > 0). */
export function podHostPorts(pod: any): readonly HostPort[] {
  if (pod === null || typeof pod !== 'object') return hostPortsOf(pod);
  let ports = hostPortsCache.get(pod);
  if (!ports) hostPortsCache.set(pod, (ports = hostPortsOf(pod)));
  return ports;
}

function hostPortsOf(pod: any): readonly HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod?.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!(Number(p.hostPort) > 0)) continue;
      // HostPortInfo.sanitize: an empty IP binds all addresses, an empty protocol is TCP
      out.push({ ip: p.hostIP || DEFAULT_BIND_ALL_HOST_IP, protocol: p.protocol || 'TCP', port: Number(p.hostPort) });
    }
  }
  return out.length === 0 ? NO_HOST_PORTS : out;
}

/** HostPortInfo: ip -> "protocol/port" -> how many pods hold it. */
export class HostPortInfo {
  private readonly used = new Map<string, Map<string, number>>();

  add(p: HostPort): void {
    let ports = this.used.get(p.ip);
    if (!ports) this.used.set(p.ip, (ports = new Map()));
    const k = `${p.protocol}/${p.port}`;
    ports.set(k, (ports.get(k) ?? 0) + 1);
  }

  remove(p: HostPort): void {
    const ports = this.used.get(p.ip);
    const k = `${p.protocol}/${p.port}`;
    const n = ports?.get(k);
    if (!ports || n === undefined) return;
    if (n > 1) ports.set(k, n - 1);
    else ports.delete(k);
    if (ports.size === 0) this.used.delete(p.ip);
  }

  /** CheckConflict: 0.0.0.0 conflicts with the same protocol/port on any IP, and any IP with 0.0.0.0. */
  conflicts(p: HostPort): boolean {
    const k = `${p.protocol}/${p.port}`;
    if (p.ip === DEFAULT_BIND_ALL_HOST_IP) {
      for (const ports of this.used.values()) if (ports.has(k)) return true;
      return false;
    }
    return !!(this.used.get(p.ip)?.has(k) || this.used.get(DEFAULT_BIND_ALL_HOST_IP)?.has(k));
  }

  get size(): number {
    return this.used.size;
  }
}

/** fitsPorts: does any wanted host port conflict with the node's used ones? */
export function fitsPorts(wanted: readonly HostPort[], used: HostPortInfo): boolean {
  return !wanted.some((p) => used.conflicts(p));
}
