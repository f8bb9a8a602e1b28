// Invariants over the requests a run makes (src/network/traffic.ts records one per request, when
// its outcome is known).
//
// noLostRequests: no request is lost. Lost = the client got no answer from the application:
// connection refused, timeout, no route to host, a name that did not resolve, a client that could
// not send, or a 5xx made up by a proxy (ingress-nginx's 502/503/504) rather than by a pod. An
// HTTP error the application itself answered is its answer, not a lost request.
//
// sessionAffinity: with sessionAffinity ClientIP (kube-proxy's iptables `recent` match, IPVS
// persistence, userspace affinity map), a client's next connection to the Service goes to the pod
// that served its previous one, while that pod stays a ready endpoint and within
// sessionAffinityConfig.clientIP.timeoutSeconds (default 10800) of the previous request.

import type { ApiServer } from '../../api/server.js';
import type { KubeObject } from '../../api/types.js';
import type { RequestRecord } from '../../network/traffic.js';
import type { InvariantDef, MonitorContext, Violation } from './types.js';
import { formatDuration } from '../../util/duration.js';

const LOST = new Set(['refused', 'timeout', 'unreachable', 'unresolved', 'error']);

export function isLost(r: RequestRecord): boolean {
  if (LOST.has(r.outcome)) return true;
  return /^http-50[234]$/.test(r.outcome) && r.pod === undefined;
}

function describeRequest(r: RequestRecord): string {
  return `request #${r.seq} from ${r.client} to ${r.url} sent at ${formatDuration(r.t)}`;
}

/** A process over the records: only the ones completed since the last check are looked at. */
function overNewRecords(step: (r: RequestRecord, ctx: MonitorContext) => Violation | undefined) {
  let seen = 0;
  return {
    check(ctx: MonitorContext): Violation | undefined {
      const recs = ctx.requests;
      for (; seen < recs.length; seen++) {
        const v = step(recs[seen], ctx);
        if (v) {
          seen++;
          return v;
        }
      }
      return undefined;
    },
  };
}

export const noLostRequests: InvariantDef = {
  name: 'noLostRequests',
  summary: 'every request gets an answer from the application (no refused, timeout, unreachable, or proxy-made 502/503/504)',
  kinds: [],
  traffic: true,
  create() {
    return overNewRecords((r, { api }) => {
      if (!isLost(r)) return undefined;
      const pod = r.pod ? api.get('Pod', r.namespace, r.pod) : undefined;
      return {
        message: `${describeRequest(r)} was lost: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}${r.pod ? ` at pod ${r.pod}` : ''}`,
        ...(pod ? { involved: { kind: 'Pod', objects: [pod] } } : {}),
      };
    });
  },
};

/** The Service a request's URL names: its DNS name (svc, svc.ns, svc.ns.svc...) or ClusterIP. */
export function serviceOfUrl(api: ApiServer, url: string, clientNamespace = 'default'): KubeObject | undefined {
  const host = /^(?:https?:\/\/)?([^/:?#\s]+)/i.exec(url.trim())?.[1]?.toLowerCase();
  if (!host) return undefined;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return api.list('Service').find((s) => s.spec?.clusterIP === host);
  const [name, ns] = host.split('.');
  return api.get('Service', ns && !['svc', 'cluster'].includes(ns) ? ns : clientNamespace, name);
}

function readyEndpointPods(api: ApiServer, svc: KubeObject): Set<string> {
  const out = new Set<string>();
  const ep = api.get('Endpoints', svc.metadata.namespace, svc.metadata.name!);
  for (const s of ((ep as any)?.subsets ?? []) as any[]) for (const a of s.addresses ?? []) if (a.targetRef?.name) out.add(a.targetRef.name);
  return out;
}

export const sessionAffinity: InvariantDef = {
  name: 'sessionAffinity',
  summary: 'with sessionAffinity ClientIP, a client keeps its pod while that pod stays a ready endpoint, within the affinity timeout',
  kinds: ['Endpoints'],
  traffic: true,
  create() {
    /** "svcKey|clientIP" -> the pod that served the last request and when it was sent */
    const last = new Map<string, { pod: string; t: number }>();
    /** "svcKey|pod" -> the last instant the pod left the Service's ready endpoints */
    const leftAt = new Map<string, number>();
    let ready = new Map<string, Set<string>>();
    // What is read from the API state is read again only when it may have changed: every write
    // bumps the resourceVersion, and a check comes after every completed request, most of them
    // with no write in between.
    let readyAt: { api: ApiServer; rv: number } | undefined;
    const services = new Map<string, KubeObject | undefined>();
    let servicesAt: { api: ApiServer; rv: number } | undefined;
    const serviceOf = (api: ApiServer, url: string): KubeObject | undefined => {
      const rv = api.store.resourceVersion;
      if (servicesAt?.api !== api || servicesAt.rv !== rv) {
        services.clear();
        servicesAt = { api, rv };
      }
      if (services.has(url)) return services.get(url);
      const svc = serviceOfUrl(api, url);
      services.set(url, svc);
      return svc;
    };
    const records = overNewRecords((r, { api }) => {
      if (r.outcome !== 'ok' || !r.pod || (r.via ?? '').includes('ingress')) return undefined;
      const svc = serviceOf(api, r.url);
      if (!svc || svc.spec?.sessionAffinity !== 'ClientIP') return undefined;
      const svcKey = `${svc.metadata.namespace}/${svc.metadata.name}`;
      const key = `${svcKey}|${r.clientIP}`;
      const prev = last.get(key);
      last.set(key, { pod: r.pod, t: r.t });
      if (!prev || prev.pod === r.pod) return undefined;
      const timeout = (svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) * 1000;
      if (r.t - prev.t >= timeout) return undefined;
      const left = leftAt.get(`${svcKey}|${prev.pod}`);
      if (left !== undefined && left >= prev.t) return undefined;
      if (!(ready.get(svcKey)?.has(prev.pod) ?? false)) return undefined;
      const pods = [prev.pod, r.pod].map((n) => api.get('Pod', svc.metadata.namespace, n)).filter((p): p is KubeObject => !!p);
      return {
        message: `${describeRequest(r)} went to ${r.pod}, but its previous request (${formatDuration(prev.t)}) went to ${prev.pod}, which is still a ready endpoint of service/${svc.metadata.name} (affinity timeout ${formatDuration(timeout)})`,
        involved: { kind: 'Pod', objects: pods },
      };
    });
    return {
      check(ctx: MonitorContext): Violation | undefined {
        // endpoint membership first, so a pod that left at this very instant excuses the switch;
        // with no write since the last look, the sets are the same and no pod left
        const rv = ctx.api.store.resourceVersion;
        if (readyAt?.api !== ctx.api || readyAt.rv !== rv) {
          readyAt = { api: ctx.api, rv };
          const next = new Map<string, Set<string>>();
          for (const svc of ctx.api.list('Service')) {
            if (svc.spec?.sessionAffinity !== 'ClientIP') continue;
            const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
            const now = readyEndpointPods(ctx.api, svc);
            for (const pod of ready.get(key) ?? []) if (!now.has(pod)) leftAt.set(`${key}|${pod}`, ctx.now);
            next.set(key, now);
          }
          ready = next;
        }
        return records.check(ctx);
      },
    };
  },
};
