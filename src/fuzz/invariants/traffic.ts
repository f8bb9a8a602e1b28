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
import type { RequestRecord, Requests } from '../../network/request_log.js';
import type { InvariantDef, MonitorContext, Violation } from './types.js';
import { formatDuration } from '../../util/duration.js';

const LOST = new Set(['refused', 'timeout', 'unreachable', 'unresolved', 'error']);

export function isLost(r: RequestRecord): boolean {
  return lostOutcome(r.outcome, r.pod !== undefined);
}

function lostOutcome(outcome: string, answeredByPod: boolean): boolean {
  if (LOST.has(outcome)) return true;
  return (outcome === 'http-502' || outcome === 'http-503' || outcome === 'http-504') && !answeredByPod;
}

function describeRequest(log: Requests, i: number): string {
  return `request #${log.seq(i)} from ${log.client(i)} to ${log.url(i)} sent at ${formatDuration(log.t(i))}`;
}

/**
 * A process over the records: only the ones completed since the last check are looked at, by
 * index, reading the fields it needs (the log keeps no record objects).
 */
function overNewRecords(step: (log: Requests, i: number, ctx: MonitorContext) => Violation | undefined) {
  let seen = 0;
  return {
    check(ctx: MonitorContext): Violation | undefined {
      const log = ctx.requests;
      for (; seen < log.length; seen++) {
        const v = step(log, seen, ctx);
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
    return overNewRecords((log, i, { api }) => {
      const outcome = log.outcome(i), podName = log.pod(i);
      if (!lostOutcome(outcome, podName !== undefined)) return undefined;
      const reason = log.reason(i);
      const pod = podName ? api.get('Pod', log.namespace(i), podName) : undefined;
      return {
        message: `${describeRequest(log, i)} was lost: ${outcome}${reason ? ` (${reason})` : ''}${podName ? ` at pod ${podName}` : ''}`,
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
    /** Service "ns/name" -> client IP -> the pod that served the last request and when it was sent
     * (entries updated in place: a request of a known client allocates nothing) */
    const last = new Map<string, Map<string, { pod: string; t: number }>>();
    /** "svcKey|pod" -> the last instant the pod left the Service's ready endpoints */
    const leftAt = new Map<string, number>();
    let ready = new Map<string, Set<string>>();
    // What is read from the API state is read again only when it may have changed: every write
    // bumps the resourceVersion, and a check comes after every completed request, most of them
    // with no write in between.
    let readyAt: { api: ApiServer; rv: number } | undefined;
    /** URL -> the Service it names and its "ns/name" */
    const services = new Map<string, { svc: KubeObject; key: string } | undefined>();
    let servicesAt: { api: ApiServer; rv: number } | undefined;
    const serviceOf = (api: ApiServer, url: string): { svc: KubeObject; key: string } | undefined => {
      const rv = api.store.resourceVersion;
      if (servicesAt?.api !== api || servicesAt.rv !== rv) {
        services.clear();
        servicesAt = { api, rv };
      }
      if (services.has(url)) return services.get(url);
      const svc = serviceOfUrl(api, url);
      const named = svc ? { svc, key: `${svc.metadata.namespace}/${svc.metadata.name}` } : undefined;
      services.set(url, named);
      return named;
    };
    const records = overNewRecords((log, i, { api }) => {
      const pod = log.pod(i);
      if (log.outcome(i) !== 'ok' || !pod) return undefined;
      const via = log.via(i);
      if (via !== undefined && via.includes('ingress')) return undefined;
      const named = serviceOf(api, log.url(i));
      if (!named || named.svc.spec?.sessionAffinity !== 'ClientIP') return undefined;
      const { svc, key: svcKey } = named;
      const t = log.t(i);
      let byClient = last.get(svcKey);
      if (!byClient) last.set(svcKey, (byClient = new Map()));
      const entry = byClient.get(log.clientIP(i));
      if (!entry) {
        byClient.set(log.clientIP(i), { pod, t });
        return undefined;
      }
      const prevPod = entry.pod, prevT = entry.t;
      entry.pod = pod;
      entry.t = t;
      if (prevPod === pod) return undefined;
      const prev = { pod: prevPod, t: prevT };
      const timeout = (svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) * 1000;
      if (t - prev.t >= timeout) return undefined;
      const left = leftAt.get(`${svcKey}|${prev.pod}`);
      if (left !== undefined && left >= prev.t) return undefined;
      if (!(ready.get(svcKey)?.has(prev.pod) ?? false)) return undefined;
      const pods = [prev.pod, pod].map((n) => api.get('Pod', svc.metadata.namespace, n)).filter((p): p is KubeObject => !!p);
      return {
        message: `${describeRequest(log, i)} went to ${pod}, but its previous request (${formatDuration(prev.t)}) went to ${prev.pod}, which is still a ready endpoint of service/${svc.metadata.name} (affinity timeout ${formatDuration(timeout)})`,
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
