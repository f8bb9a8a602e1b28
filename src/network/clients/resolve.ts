// Name resolution for pod clients: the pod's resolv.conf (search list, ndots:5, dnsPolicy) over
// the cluster DNS, as src/network/dns.ts resolve() answers it. A client uses the first A record
// (getaddrinfo order; CoreDNS's `loadbalance` shuffle is not modelled).

import type { Cluster } from '../../engine/cluster.js';
import type { KubeObject } from '../../api/types.js';
import { resolve } from '../dns.js';

/** A records for `name` as `pod` resolves it; undefined for NXDOMAIN / no data. */
export function resolvePodName(cluster: Cluster, name: string, pod: KubeObject | undefined): string[] | undefined {
  const r = resolve(cluster.api, name, 'A', pod);
  const ips = r.answers.filter((a) => a.type === 'A').map((a) => a.data);
  return ips.length ? ips : undefined;
}
