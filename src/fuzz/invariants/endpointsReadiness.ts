// endpointsReadiness: a Service sends traffic only to ready pods. Upstream's endpoints controller
// (pkg/controller/endpoint/endpoints_controller.go addEndpointSubset / podutil.IsPodReady) puts a
// pod in `addresses` only when it is Ready and not terminating, unless the Service sets
// publishNotReadyAddresses; the EndpointSlice controller (staging endpointslice utils.go
// podToEndpoint) sets conditions.ready = serving && !terminating under the same exception. The
// controllers see pod changes after watch + controller latency, so a stale ready address is a
// violation only when it outlives a grace window.

import type { KubeObject } from '../../api/types.js';
import type { ApiServer } from '../../api/server.js';
import type { InvariantDef, Violation } from './types.js';
import { GraceTracker, type Mismatch } from './util.js';
import { isPodReady } from '../../controllers/controller_utils.js';

export const ENDPOINTS_READINESS_GRACE_MS = 5_000;

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

function podProblem(pod: KubeObject | undefined): string | undefined {
  if (!pod) return 'no longer exists';
  if (pod.metadata.deletionTimestamp) return 'is terminating';
  if (!isPodReady(pod)) return 'is not Ready';
  return undefined;
}

/** Ready addresses that point at pods which are not ready, per Endpoints and EndpointSlice object. */
export function staleReadyAddresses(api: ApiServer): Mismatch[] {
  const out: Mismatch[] = [];
  for (const ep of api.list('Endpoints')) {
    const ns = ep.metadata.namespace;
    const svc = api.get('Service', ns, ep.metadata.name!);
    if (svc?.spec?.publishNotReadyAddresses) continue;
    for (const s of ((ep as any).subsets ?? []) as any[]) {
      for (const a of s.addresses ?? []) {
        if (a.targetRef?.kind !== 'Pod') continue;
        const pod = api.get('Pod', a.targetRef.namespace ?? ns, a.targetRef.name);
        const why = podProblem(pod);
        if (why) out.push({ key: `Endpoints/${ns}/${ep.metadata.name}/${a.targetRef.name}/${a.targetRef.uid ?? ''}`, message: `endpoints/${ep.metadata.name} lists pod ${a.targetRef.name} (${a.ip}) as ready, but the pod ${why}`, involved: pod ? [pod] : [], kind: 'Pod' });
      }
    }
  }
  for (const slice of api.list('EndpointSlice')) {
    const ns = slice.metadata.namespace;
    const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    const svc = svcName ? api.get('Service', ns, svcName) : undefined;
    if (svc?.spec?.publishNotReadyAddresses) continue;
    for (const e of ((slice as any).endpoints ?? []) as any[]) {
      if (e.conditions?.ready !== true || e.targetRef?.kind !== 'Pod') continue;
      const pod = api.get('Pod', e.targetRef.namespace ?? ns, e.targetRef.name);
      const why = podProblem(pod);
      if (why) out.push({ key: `EndpointSlice/${ns}/${slice.metadata.name}/${e.targetRef.name}/${e.targetRef.uid ?? ''}`, message: `endpointslice/${slice.metadata.name} marks pod ${e.targetRef.name} ready, but the pod ${why}`, involved: pod ? [pod] : [], kind: 'Pod' });
    }
  }
  return out;
}

export const endpointsReadiness: InvariantDef = {
  name: 'endpointsReadiness',
  summary: 'no Endpoints/EndpointSlice lists a not-ready or terminating pod as ready (unless publishNotReadyAddresses) for longer than 5s',
  kinds: ['Endpoints', 'EndpointSlice', 'Pod', 'Service'],
  create() {
    const grace = new GraceTracker(ENDPOINTS_READINESS_GRACE_MS);
    return {
      check({ api, now }): Violation | undefined {
        const v = grace.update(staleReadyAddresses(api), now);
        return v ? { message: grace.describe(v, now), involved: { kind: v.m.kind, objects: v.m.involved } } : undefined;
      },
      wakeAt: () => grace.wakeAt(),
    };
  },
};
