// Which endpoints a node's rules may send a Service port's traffic to, per traffic policy:
// pkg/proxy/topology.go CategorizeEndpoints (terminating-endpoint fallback included, GA 1.28),
// topologyModeFromHints (zone hints only: the PreferSameNode gate is not modelled) and
// availableForTopology; the policy flags come from pkg/proxy/serviceport.go.

import type { ProxyEndpoint, ProxyServicePort } from './types.js';

export interface Categorized {
  /** undefined when the Service port never uses Cluster policy */
  cluster?: ProxyEndpoint[];
  /** undefined when the Service port never uses Local policy */
  local?: ProxyEndpoint[];
  /** any usable endpoint anywhere in the cluster */
  hasAny: boolean;
}

/** UsesClusterEndpoints: !internalLocal || externallyAccessible (and ETP not forcing Local-only) */
export function usesClusterEndpoints(sp: Pick<ProxyServicePort, 'internalPolicyLocal' | 'externallyAccessible'>): boolean {
  return !sp.internalPolicyLocal || sp.externallyAccessible;
}

/** UsesLocalEndpoints: internalLocal || (externalLocal && externallyAccessible) */
export function usesLocalEndpoints(sp: Pick<ProxyServicePort, 'internalPolicyLocal' | 'externalPolicyLocal' | 'externallyAccessible'>): boolean {
  return sp.internalPolicyLocal || (sp.externalPolicyLocal && sp.externallyAccessible);
}

export function categorizeEndpoints(
  endpoints: ProxyEndpoint[],
  sp: Pick<ProxyServicePort, 'internalPolicyLocal' | 'externalPolicyLocal' | 'externallyAccessible'>,
  zone: string | undefined,
): Categorized {
  const out: Categorized = { hasAny: false };
  if (endpoints.length === 0) return out;
  if (usesClusterEndpoints(sp)) {
    const useZone = topologyByZone(endpoints, zone);
    out.cluster = endpoints.filter((ep) => ep.ready && (!useZone || ep.zoneHints.includes(zone!)));
    // no ready endpoint anywhere: fall back to serving+terminating ones, topology ignored
    if (out.cluster.length === 0) out.cluster = endpoints.filter((ep) => ep.serving && ep.terminating);
    if (out.cluster.length > 0) out.hasAny = true;
  }
  if (!usesLocalEndpoints(sp)) return out;
  for (const ep of endpoints) {
    if (ep.ready || (ep.serving && ep.terminating)) {
      out.hasAny = true;
      break;
    }
  }
  out.local = localEndpoints(endpoints.filter((ep) => ep.isLocal));
  return out;
}

/** The Local-policy list from a node's local endpoints (in order): the ready ones, else the
 * serving and terminating ones (terminating-endpoint fallback), else none. */
export function localEndpoints(local: readonly ProxyEndpoint[]): ProxyEndpoint[] {
  const ready = local.filter((ep) => ep.ready);
  return ready.length ? ready : local.filter((ep) => ep.serving && ep.terminating);
}

/** topologyModeFromHints, zone part: every ready endpoint hinted and one hinted for this zone */
function topologyByZone(endpoints: ProxyEndpoint[], zone: string | undefined): boolean {
  let anyReady = false;
  let all = true;
  let forZone = false;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    anyReady = true;
    if (ep.zoneHints.length === 0) all = false;
    else if (zone !== undefined && ep.zoneHints.includes(zone)) forZone = true;
  }
  return anyReady && all && forZone;
}
