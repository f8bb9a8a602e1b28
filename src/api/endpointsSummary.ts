// The trace summary of an EndpointSlice or Endpoints object: which pods a Service sends traffic
// to at this instant. The html reporter draws endpoint membership from it, so the format is a
// contract (parsed by reporters/html/timeline.ts parseEndpointsSummary):
//   service=<name>[ ready=<a,b>][ notready=<c>][ terminating=<d>]
// Members are pod names from targetRef (else the address); DNS-1123 names hold no ',' or ' '.

/** A loosely typed API object, as the store holds it. */
interface Obj {
  kind: string;
  metadata: { name?: string; labels?: Record<string, string> };
  [k: string]: any;
}

function member(address: any, fallback: string | undefined): string {
  return address?.targetRef?.name ?? fallback ?? '?';
}

export function summarizeEndpoints(o: Obj): string | undefined {
  const ready: string[] = [];
  const notReady: string[] = [];
  const terminating: string[] = [];
  let service: string | undefined;
  if (o.kind === 'EndpointSlice') {
    // discovery/v1 EndpointSlice: the owning Service is the kubernetes.io/service-name label
    // (staging/src/k8s.io/api/discovery/v1 LabelServiceName). A nil `ready` condition means
    // ready ("nil should be interpreted as true", EndpointConditions.Ready).
    service = o.metadata.labels?.['kubernetes.io/service-name'];
    for (const ep of o.endpoints ?? []) {
      const name = member(ep, ep?.addresses?.[0]);
      if (ep?.conditions?.ready !== false) ready.push(name);
      else if (ep?.conditions?.terminating === true) terminating.push(name);
      else notReady.push(name);
    }
  } else if (o.kind === 'Endpoints') {
    // core/v1 Endpoints: named after its Service; addresses are ready, notReadyAddresses are not.
    service = o.metadata.name;
    for (const subset of o.subsets ?? []) {
      for (const a of subset?.addresses ?? []) ready.push(member(a, a?.ip));
      for (const a of subset?.notReadyAddresses ?? []) notReady.push(member(a, a?.ip));
    }
  } else {
    return undefined;
  }
  // one entry per pod even when a pod appears under several ports/subsets
  const uniq = (xs: string[]): string[] => [...new Set(xs)];
  const parts = [`service=${service ?? o.metadata.name ?? '?'}`];
  if (ready.length) parts.push(`ready=${uniq(ready).join(',')}`);
  if (notReady.length) parts.push(`notready=${uniq(notReady).join(',')}`);
  if (terminating.length) parts.push(`terminating=${uniq(terminating).join(',')}`);
  return parts.join(' ');
}
