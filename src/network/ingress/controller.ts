// ingress-nginx (controller-v1.15.1 behaviour) as one cluster component: it watches Ingresses,
// IngressClasses, Services, EndpointSlices and Secrets (after timing.watchLatency), and serves
// each HTTP request: server by Host, location by path (./paths.ts), then an upstream pod picked
// per request straight from the Service's ready endpoints (internal/ingress/controller/
// endpointslices.go getEndpointsFromSlices; rootfs/etc/nginx/lua/balancer.lua), 503 when none,
// 404 from the default backend when nothing matches, 308 to https when the host has TLS.
// Balancing: round_robin (DEFAULT_LB_ALG) with a random start, re-initialised when the endpoints
// change; cookie affinity (annotations/sessionaffinity): `affinity: cookie`, cookie
// INGRESSCOOKIE unless session-cookie-name, mode balanced (consistent hash of a random key) or
// persistent.

import type { Cluster, Component } from '../../engine/cluster.js';
import { Informer } from '../../engine/component.js';
import type { Rng } from '../../engine/rng.js';
import { cyrb128 } from '../../engine/rng.js';
import type { KubeObject } from '../../api/types.js';
import { buildLocations, hostMatches, rewriteUri, selectLocation, type IngressPath, type Location, type PathType } from './paths.js';

export const INGRESS_CONTROLLER = 'k8s.io/ingress-nginx';
export const INGRESS_CLASS = 'nginx';
const ANN = 'nginx.ingress.kubernetes.io/';
export const DEFAULT_COOKIE = 'INGRESSCOOKIE';

interface Backend {
  namespace: string;
  service: string;
  port: { number?: number; name?: string };
  ingress: string;
  sticky?: { cookie: string; mode: 'balanced' | 'persistent' };
}

export interface IngressRequest {
  scheme: 'http' | 'https';
  host: string;
  path: string;
  /** the client's cookie jar for this host (read and written) */
  cookies: Map<string, string> | undefined;
}

export type IngressAnswer =
  /** nginx answers itself (404 default backend, 503 no endpoints, 308 redirect) */
  | { kind: 'answer'; status: number; body: string; ingress?: string; tls?: string; reason: string }
  /** proxied to a pod endpoint */
  | { kind: 'upstream'; ip: string; port: number; path: string; ingress: string; service: string; tls?: string; pod?: { namespace: string; name: string } };

const registry = new WeakMap<Cluster, IngressNginx>();
export function ingressControllerOf(cluster: Cluster): IngressNginx | undefined {
  return registry.get(cluster);
}

interface RR {
  signature: string;
  next: number;
}

export class IngressNginx implements Component {
  readonly name = 'ingress-nginx';
  private readonly rng: Rng;
  private readonly objects = new Map<string, KubeObject>();
  private readonly rr = new Map<string, RR>();

  constructor(readonly cluster: Cluster) {
    this.rng = cluster.rng(this.name);
    registry.set(cluster, this);
    new Informer(cluster.sim, cluster.api, this.name, ['Ingress', 'IngressClass', 'Service', 'EndpointSlice', 'Secret'], cluster.timing.watchLatency, cluster.rng(`${this.name}/informer`), (ev) => {
      const o = ev.object;
      const key = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      if (ev.type === 'DELETED') this.objects.delete(key);
      else this.objects.set(key, o);
    });
  }

  private ofKind(kind: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [k, o] of this.objects) if (k.startsWith(`${kind}/`)) out.push(o);
    return out.sort((a, b) => ((a.metadata.namespace ?? '') + '/' + a.metadata.name < (b.metadata.namespace ?? '') + '/' + b.metadata.name ? -1 : 1));
  }

  /** Ingresses this controller serves (internal/ingress/controller/store: class checks). */
  ingresses(): KubeObject[] {
    const classes = this.ofKind('IngressClass');
    const ours = new Set([INGRESS_CLASS, ...classes.filter((c) => c.spec?.controller === INGRESS_CONTROLLER).map((c) => c.metadata.name!)]);
    const defaultOurs = classes.some((c) => c.spec?.controller === INGRESS_CONTROLLER && c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
    return this.ofKind('Ingress').filter((ing) => {
      const cls = ing.spec?.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
      return cls ? ours.has(cls) : defaultOurs;
    });
  }

  /** Whether a host name is served by some Ingress rule (used to route client URLs here). */
  servesHost(host: string): boolean {
    return this.ingresses().some((ing) => (ing.spec?.rules ?? []).some((r: any) => r.host && hostMatches(r.host, host)));
  }

  handle(req: IngressRequest): IngressAnswer {
    const ings = this.ingresses();
    // servers: the exact host first, then a wildcard, then the catch-all `_` (rules without host)
    const rulesFor = (pred: (h: string | undefined) => boolean) => ings.flatMap((ing) => (ing.spec?.rules ?? []).filter((r: any) => pred(r.host)).map((r: any) => ({ ing, r })));
    let rules = rulesFor((h) => !!h && h.toLowerCase() === req.host.toLowerCase());
    if (!rules.length) rules = rulesFor((h) => !!h && h.startsWith('*.') && hostMatches(h, req.host));
    if (!rules.length) rules = rulesFor((h) => !h);
    const paths: IngressPath<Backend>[] = [];
    for (const { ing, r } of rules) {
      for (const p of r.http?.paths ?? []) {
        const b = backendOf(ing, p.backend);
        if (!b) continue;
        const a = ing.metadata.annotations ?? {};
        paths.push({ path: p.path ?? '/', pathType: (p.pathType ?? 'ImplementationSpecific') as PathType, rewriteTarget: a[`${ANN}rewrite-target`], useRegex: a[`${ANN}use-regex`] === 'true', backend: b });
      }
    }
    // the root location falls back to the Ingress's defaultBackend (or the controller's 404 backend)
    if (!paths.some((p) => p.path === '/')) {
      const withDefault = (rules.length ? rules.map((x) => x.ing) : ings).find((ing) => ing.spec?.defaultBackend);
      const b = withDefault ? backendOf(withDefault, withDefault.spec.defaultBackend) : undefined;
      if (b) paths.push({ path: '/', pathType: 'Prefix', backend: b });
    }
    const tls = this.tlsFor(rules.map((x) => x.ing), req.host);
    if (req.scheme === 'http' && tls) {
      return { kind: 'answer', status: 308, body: '<html><head><title>308 Permanent Redirect</title></head></html>\n', tls, reason: `ssl-redirect to https://${req.host}${req.path}` };
    }
    const tlsUsed = req.scheme === 'https' ? tls ?? 'default-fake-certificate' : undefined;
    const loc = selectLocation(buildLocations(paths), req.path);
    if (!loc) return { kind: 'answer', status: 404, body: 'default backend - 404\n', ...(tlsUsed ? { tls: tlsUsed } : {}), reason: `no rule matches ${req.host}${req.path}` };
    return this.proxy(loc, req, tlsUsed);
  }

  private tlsFor(ings: KubeObject[], host: string): string | undefined {
    for (const ing of ings) {
      for (const t of ing.spec?.tls ?? []) {
        if (!(t.hosts ?? []).some((h: string) => hostMatches(h, host))) continue;
        const secret = t.secretName ? this.objects.get(`Secret/${ing.metadata.namespace}/${t.secretName}`) : undefined;
        // a missing or incomplete Secret leaves the host on the default fake certificate
        if (secret && (secret as any).data?.['tls.crt'] !== undefined && (secret as any).data?.['tls.key'] !== undefined) return `${ing.metadata.namespace}/${t.secretName}`;
        return 'default-fake-certificate';
      }
    }
    return undefined;
  }

  private proxy(loc: Location<Backend>, req: IngressRequest, tls: string | undefined): IngressAnswer {
    const b = loc.backend;
    const eps = this.endpointsOf(b);
    const extra = tls ? { tls } : {};
    if (eps.length === 0) return { kind: 'answer', status: 503, body: '<html><head><title>503 Service Temporarily Unavailable</title></head></html>\n', ingress: b.ingress, ...extra, reason: `no endpoints for ${b.namespace}/${b.service}` };
    const upstream = `${b.namespace}-${b.service}-${b.port.number ?? b.port.name}`;
    let ep: EP | undefined;
    if (b.sticky && req.cookies) {
      const key = req.cookies.get(b.sticky.cookie);
      if (key !== undefined) ep = b.sticky.mode === 'balanced' ? chash(eps, key) : eps.find((e) => e.key === key);
      if (!ep) {
        const newKey = b.sticky.mode === 'balanced' ? randomKey(this.rng) : undefined;
        ep = newKey !== undefined ? chash(eps, newKey) : eps[this.rng.int(eps.length)];
        req.cookies.set(b.sticky.cookie, newKey ?? ep.key);
      }
    } else {
      const sig = eps.map((e) => e.key).join(',');
      let st = this.rr.get(upstream);
      if (!st || st.signature !== sig) this.rr.set(upstream, (st = { signature: sig, next: this.rng.int(eps.length) }));
      ep = eps[st.next];
      st.next = (st.next + 1) % eps.length;
    }
    const path = loc.rewriteTarget && loc.rewriteTarget !== loc.ingressPath ? rewriteUri(loc.ingressPath, loc.rewriteTarget, req.path) : req.path;
    return { kind: 'upstream', ip: ep.ip, port: ep.port, path, ingress: b.ingress, service: `${b.namespace}/${b.service}`, ...extra, ...(ep.pod ? { pod: ep.pod } : {}) };
  }

  /** getEndpointsFromSlices: ready (or nil) endpoints of the matching slice port, IP:port deduped */
  private endpointsOf(b: Backend): EP[] {
    const svc = this.objects.get(`Service/${b.namespace}/${b.service}`);
    if (!svc) return [];
    const sp = (svc.spec?.ports ?? []).find((p: any) => (b.port.number !== undefined ? p.port === b.port.number : p.name === b.port.name));
    if (!sp) return [];
    const out = new Map<string, EP>();
    for (const slice of this.ofKind('EndpointSlice')) {
      if (slice.metadata.namespace !== b.namespace || slice.metadata.labels?.['kubernetes.io/service-name'] !== b.service) continue;
      const port = ((slice as any).ports ?? []).find((p: any) => (p.name ?? '') === (sp.name ?? '')) ?? (typeof sp.targetPort === 'number' ? { port: sp.targetPort } : undefined);
      if (!port?.port) continue;
      for (const ep of ((slice as any).endpoints as any[]) ?? []) {
        if (ep.conditions?.ready === false) continue;
        const ip = ep.addresses?.[0];
        if (!ip) continue;
        const key = `${ip}:${port.port}`;
        if (!out.has(key)) out.set(key, { ip, port: port.port, key, ...(ep.targetRef?.kind === 'Pod' ? { pod: { namespace: b.namespace, name: ep.targetRef.name } } : {}) });
      }
    }
    return [...out.values()].sort((a, b2) => (a.key < b2.key ? -1 : 1));
  }
}

interface EP {
  ip: string;
  port: number;
  key: string;
  pod?: { namespace: string; name: string };
}

function backendOf(ing: KubeObject, backend: any): Backend | undefined {
  const svc = backend?.service;
  if (!svc?.name) return undefined;
  const a = ing.metadata.annotations ?? {};
  const sticky = a[`${ANN}affinity`] === 'cookie'
    ? { cookie: a[`${ANN}session-cookie-name`] ?? DEFAULT_COOKIE, mode: (a[`${ANN}affinity-mode`] === 'persistent' ? 'persistent' : 'balanced') as 'balanced' | 'persistent' }
    : undefined;
  return { namespace: ing.metadata.namespace ?? 'default', service: svc.name, port: { number: svc.port?.number, name: svc.port?.name }, ingress: `${ing.metadata.namespace}/${ing.metadata.name}`, ...(sticky ? { sticky } : {}) };
}

function randomKey(rng: Rng): string {
  return Array.from({ length: 4 }, () => rng.nextUint32().toString(16).padStart(8, '0')).join('');
}

/** A consistent-hash ring (160 points per endpoint), standing in for resty.chash. */
function chash(eps: EP[], key: string): EP {
  let best: { h: number; ep: EP } | undefined;
  let first: { h: number; ep: EP } | undefined;
  const k = cyrb128(key)[0];
  for (const ep of eps) {
    for (let i = 0; i < 160; i++) {
      const h = cyrb128(`${ep.key}#${i}`)[0];
      if (!first || h < first.h) first = { h, ep };
      if (h >= k && (!best || h < best.h)) best = { h, ep };
    }
  }
  return (best ?? first)!.ep;
}
