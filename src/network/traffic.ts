// Client traffic (DESIGN §3.1 `request:`): clients open connections through the node's
// kube-proxy rules (or straight to a pod IP, or through ingress-nginx), keep-alive clients reuse
// one connection, and every request is recorded — time, client, connection, serving pod, source IP
// the pod saw, status and outcome — in a per-run traffic log and in the trace.
//
// Outcomes: ok (an HTTP answer below 400), http-<status> (an HTTP error answer), refused (RST:
// REJECT rule, or nothing listening), timeout (packets dropped or not routable: the client gives
// up after its timeout), unreachable (the pod IP no longer exists: "No route to host"), unresolved (the name does not resolve from where the client sits),
// error (the client itself does not exist).

import type { Cluster } from '../engine/cluster.js';
import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import type { Rng } from '../engine/rng.js';
import { KubeProxy, kubeProxyOf, type Flow, type Origin, type Verdict } from './proxy/kubeproxy.js';
import type { ProxyEndpoint } from './proxy/types.js';
import { IngressNginx, ingressControllerOf } from './ingress/controller.js';
import { PodNetwork, answerHttp } from './clients/app.js';
import { resolvePodName } from './clients/resolve.js';
import { parseIPv4 } from './ip.js';
import { APISERVER_ADDRESS, APISERVER_PORT } from './services.js';
import { serveApiRequest } from '../rbac/http_api.js';
import { K, RequestDraft, RequestLog, type RequestRecord } from './request_log.js';
import type { Listener } from './clients/app.js';

export interface ClientSpec {
  name: string;
  ip?: string;
  /** external | node/<name> | pod/<name> | pod/<namespace>/<name> */
  from: string;
  keepAlive: boolean;
  /** keeps cookies the server sets (a browser, or curl with a cookie jar) */
  cookies: boolean;
}

export interface RequestSpec {
  client: ClientSpec;
  url: string;
  count: number;
  everyMs: number;
  timeoutMs: number;
  method: string;
  headers: Record<string, string>;
  /** the request body (curl -d), read only by kube-apiserver's front */
  body?: string;
  step?: string;
  stepIndex: number;
}

export type { RequestRecord, Requests } from './request_log.js';

/** The default client of a `request:` without `client:` (TEST-NET-3, RFC 5737). */
export const DEFAULT_CLIENT: ClientSpec = { name: 'external', ip: '203.0.113.10', from: 'external', keepAlive: false, cookies: true };
export const DEFAULT_TIMEOUT_MS = 30_000;
/** ⚠ kernel neighbour defaults (mcast_solicit 3 x retrans_time 1 s), not Kubernetes */
const UNREACHABLE_MS = 3000;

interface Conn {
  id: number;
  target: { kind: 'pod'; ip: string; port: number; sourceIP: string; node?: string; via?: string } | { kind: 'ingress'; scheme: 'http' | 'https'; host: string };
}

type Connected =
  | { kind: 'pod'; ip: string; port: number; sourceIP: string; node?: string; via?: string }
  | { kind: 'ingress' }
  | { kind: 'answer'; status: number; body: string; node: string; via: string }
  | { kind: 'fail'; outcome: string; reason: string; node?: string };

/** the keys a record starts with (all but `step`, which only a step's requests have) */
const BASE_KEYS = K.seq | K.t | K.client | K.clientIP | K.url | K.method | K.outcome | K.latency;

/** What a step's requests share: the parsed URL and the keys of the connection and cookie jar. */
interface Prepared {
  url: ParsedUrl | undefined;
  connKey: string;
  jarKey: string;
}

interface ClientPlace {
  ip: string;
  origin: 'pod' | 'node' | 'external';
  node?: string;
  namespace: string;
  pod?: KubeObject;
  /** the kube-proxy of the client's node, looked up on first use */
  proxy?: KubeProxy;
}

export class TrafficRuntime {
  /** every request whose outcome is known, in the order it was known (src/network/request_log.ts) */
  readonly log = new RequestLog();
  /** drafts of logged requests, reused: a request leaves no object behind */
  private readonly drafts: RequestDraft[] = [];
  inFlight = 0;
  private seq = 0;
  private connSeq = 0;
  private readonly conns = new Map<string, Conn>();
  private readonly served = new Map<string, number>();
  private readonly cookies = new Map<string, Map<string, string>>();
  private readonly callbacks = new Map<number, (r: RequestRecord) => void>();
  readonly pods: PodNetwork;
  private readonly lbRng: Rng;
  private readonly prepared = new WeakMap<RequestSpec, Prepared>();
  /**
   * Answers that depend only on the API state (where a client sits, what a name resolves to from
   * there, which pod has an IP, who listens on a port once listening), reused while the API
   * server's resourceVersion stays the same: every write bumps it.
   */
  private cacheRv = -1;
  private readonly placeCache = new Map<ClientSpec, ClientPlace | { error: string }>();
  private readonly hostCache = new Map<ClientPlace, Map<string, string | undefined>>();
  private readonly podCache = new Map<string, KubeObject | undefined>();
  private readonly listenerCache = new Map<KubeObject, Map<number, Extract<Listener, { ok: true }>>>();
  private nodeIPs: Map<string, string> | undefined;
  /** the last connection target verdict() made, and for which endpoint and node */
  private lastTarget: { ep: ProxyEndpoint; proxy: KubeProxy; target: Extract<Connected, { kind: 'pod' }> } | undefined;
  /** the last flow a pod or node client opened, for its place and URL */
  private lastFlow: { from: ClientPlace; url: ParsedUrl; flow: Flow } | undefined;

  constructor(readonly cluster: Cluster) {
    this.pods = new PodNetwork(cluster);
    this.lbRng = cluster.rng('load-balancer');
  }

  /** Schedule the requests of a step; returns a one-line description for the step result. */
  start(spec: RequestSpec): string {
    const sim = this.cluster.sim;
    this.inFlight += spec.count;
    if (spec.count > 0) this.send(spec);
    if (spec.count > 1) {
      // request i at start + i*every, in the places in the order of events that scheduling them
      // all here would have given them, but queued one at a time (each queues the next): the
      // queue holds one event per burst instead of `count`
      const t0 = sim.now;
      const count = spec.count, every = spec.everyMs;
      const first = sim.reserveSeries(count - 1);
      const at = (i: number): number => {
        const delay = i * every;
        return t0 + (delay >= 0 ? Math.ceil(delay) : 0);
      };
      let i = 1;
      const next = (): void => {
        i++;
        if (i < count) {
          // at(i), written out: this runs once per request, often before the JIT has inlined it
          const delay = i * every;
          sim.scheduleInSeries(t0 + (delay >= 0 ? Math.ceil(delay) : 0), first + i - 1, 'traffic/request', next);
        }
        this.send(spec);
      };
      sim.scheduleInSeries(at(1), first, 'traffic/request', next);
    }
    return `${spec.count} request${spec.count === 1 ? '' : 's'} from ${spec.client.name} to ${spec.url}${spec.count > 1 ? ` every ${spec.everyMs}ms` : ''}`;
  }

  /**
   * One request for a caller inside the cluster (curl/wget in `exec:`, init containers waiting
   * for a Service): the same path as `request:`, recorded in the log too. `known` gets the record
   * as soon as its outcome is decided: the caller waits its `latency` before using it.
   */
  fetch(client: ClientSpec, url: string, timeoutMs: number, known: (r: RequestRecord) => void, req: { method?: string; headers?: Record<string, string>; body?: string } = {}): void {
    this.inFlight++;
    this.send({ client, url, count: 1, everyMs: 0, timeoutMs, method: req.method ?? 'GET', headers: req.headers ?? {}, ...(req.body !== undefined ? { body: req.body } : {}), stepIndex: -1 }, known);
  }

  private send(spec: RequestSpec, done?: (r: RequestRecord) => void): void {
    const now = this.cluster.sim.now;
    this.validateCaches();
    if (done) this.callbacks.set(this.seq + 1, done);
    const seq = ++this.seq;
    // the keys every record has, in the order the log and the trace print them; the path adds
    // the others as it learns them
    const rec = this.drafts.pop() ?? new RequestDraft();
    rec.reset();
    rec.keys = spec.step ? BASE_KEYS | K.step : BASE_KEYS;
    rec.seq = seq;
    rec.t = now;
    rec.step = spec.step;
    rec.client = spec.client.name;
    rec.clientIP = '';
    rec.url = spec.url;
    rec.method = spec.method;
    rec.outcome = 'error';
    rec.latency = 0;
    const place = this.cachedPlace(spec.client);
    if ('error' in place) return this.finish(rec, { outcome: 'error', reason: place.error });
    rec.clientIP = place.ip;
    const prep = this.prepare(spec);
    const url = prep.url;
    if (!url) return this.finish(rec, { outcome: 'error', reason: `"${spec.url}" is not a URL (write http://host[:port]/path)` });
    const connKey = prep.connKey;
    let conn = spec.client.keepAlive ? this.conns.get(connKey) : undefined;
    if (conn && conn.target.kind === 'pod') {
      const pod = this.podAt(conn.target.ip);
      // the server side closed (process gone): the client opens a new connection
      if (!pod || !this.listener(pod, conn.target.port, now).ok) {
        this.conns.delete(connKey);
        conn = undefined;
      }
    }
    rec.newConnection = !conn;
    rec.keys |= K.newConnection;
    let t: Conn['target'];
    if (conn) {
      rec.connection = conn.id;
      rec.keys |= K.connection;
      t = conn.target;
    } else {
      const c = this.connect(place, url, now);
      if (c.kind === 'fail') return this.finish(rec, { outcome: c.outcome, reason: c.reason, ...(c.node ? { node: c.node } : {}) }, c.outcome === 'timeout' ? spec.timeoutMs : 0);
      if (c.kind === 'answer') return this.finish(rec, { node: c.node, via: c.via, status: c.status, body: c.body, outcome: outcomeOf(c.status) });
      const id = ++this.connSeq;
      t = c.kind === 'pod' ? c : { kind: 'ingress', scheme: url.scheme, host: url.host };
      // a connection object only for a client that keeps it
      if (spec.client.keepAlive) this.conns.set(connKey, { id, target: t });
      rec.connection = id;
      rec.keys |= K.connection;
    }
    if (t.kind === 'pod') {
      if (t.node) {
        rec.node = t.node;
        rec.keys |= K.node;
      }
      if (t.via) {
        rec.via = t.via;
        rec.keys |= K.via;
      }
      // the `kubernetes` Service's endpoint is kube-apiserver itself (src/rbac/http_api.ts)
      if (t.ip === APISERVER_ADDRESS && t.port === APISERVER_PORT) {
        rec.via = t.via ? `${t.via} -> kube-apiserver` : 'kube-apiserver';
        rec.keys |= K.via;
        const query = /\?[^#]*/.exec(spec.url)?.[0] ?? '';
        const a = serveApiRequest(this.cluster.api, { method: spec.method, path: url.path + query, headers: spec.headers, ...(spec.body !== undefined ? { body: spec.body } : {}) });
        return this.finish(rec, { status: a.status, body: a.body, outcome: outcomeOf(a.status) });
      }
      return this.serveFromPod(rec, t.ip, t.port, t.sourceIP, url.path, spec.timeoutMs);
    }
    const ctl = ingressControllerOf(this.cluster);
    const jarKey = prep.jarKey;
    let jar = spec.client.cookies ? this.cookies.get(jarKey) : undefined;
    if (spec.client.cookies && !jar) this.cookies.set(jarKey, (jar = new Map()));
    const a = ctl!.handle({ scheme: t.scheme, host: url.host, path: url.path, cookies: jar });
    rec.via = a.ingress ? `ingress-nginx ${a.ingress}` : 'ingress-nginx';
    rec.keys |= K.via;
    if (a.tls) {
      rec.tls = a.tls;
      rec.keys |= K.tls;
    }
    if (a.kind === 'answer') return this.finish(rec, { status: a.status, body: a.body, outcome: outcomeOf(a.status), reason: a.reason });
    const pod = this.podAt(a.ip);
    const l = pod ? this.listener(pod, a.port, now) : undefined;
    if (!l || !l.ok) {
      // nginx: connect() failed -> 502 Bad Gateway
      return this.finish(rec, { status: 502, body: '<html><head><title>502 Bad Gateway</title></head></html>\n', outcome: 'http-502', reason: l ? l.why : `no pod has IP ${a.ip}` });
    }
    // the pod sees the connection from the ingress controller (hostNetwork on the first node)
    this.serveFromPod(rec, a.ip, a.port, this.ingressSourceIP(), a.path, spec.timeoutMs);
  }

  private serveFromPod(rec: RequestDraft, ip: string, port: number, sourceIP: string, path: string, timeoutMs: number): void {
    const now = this.cluster.sim.now;
    const pod = this.podAt(ip);
    // the pod's network namespace is gone: neighbour resolution fails (3 ARP probes, 1 s apart)
    // and connect() reports EHOSTUNREACH ("No route to host")
    if (!pod) return this.finish(rec, { outcome: 'unreachable', reason: `no pod has IP ${ip} any more` }, Math.min(UNREACHABLE_MS, timeoutMs));
    const l = this.listener(pod, port, now);
    rec.pod = pod.metadata.name;
    rec.keys |= K.pod;
    rec.namespace = pod.metadata.namespace;
    rec.keys |= K.namespace;
    rec.podIP = ip;
    rec.keys |= K.podIP;
    if (!l.ok) return this.finish(rec, { outcome: 'refused', reason: l.why });
    rec.sourceIP = sourceIP;
    rec.keys |= K.sourceIP;
    const served = this.served.get(l.instance) ?? 0;
    this.served.set(l.instance, served + 1);
    const ans = answerHttp(l, path, served, now);
    // the fields finish() would add, in the same order, without a patch object
    rec.status = ans.status;
    rec.keys |= K.status;
    rec.body = ans.body;
    rec.keys |= K.body;
    rec.outcome = outcomeOf(ans.status);
    this.complete(rec, 0);
  }

  private finish(rec: RequestDraft, patch: Partial<RequestRecord>, latency = 0): void {
    // the keys in the patch's order, as Object.assign on a record object added them
    rec.set(patch);
    this.complete(rec, latency);
  }

  private complete(rec: RequestDraft, latency: number): void {
    rec.latency = latency;
    if (this.callbacks.size) {
      const cb = this.callbacks.get(rec.seq);
      if (cb) {
        this.callbacks.delete(rec.seq);
        cb(rec.toRecord());
      }
    }
    if (latency > 0) {
      // logged when the client gives up: the draft goes back now, a copy waits
      const later = rec.copy();
      this.drafts.push(rec);
      this.cluster.sim.schedule(latency, 'traffic/timeout', () => this.logDraft(later));
    } else {
      this.logDraft(rec);
      this.drafts.push(rec);
    }
  }

  private logDraft(rec: RequestDraft): void {
    const i = this.log.append(rec, this.cluster.sim.now);
    this.inFlight--;
    this.cluster.sim.trace.addRequest(this.log, i);
  }

  // ---- answers cached while the API state is unchanged --------------------------------------

  private validateCaches(): void {
    const rv = this.cluster.api.store.resourceVersion;
    if (rv === this.cacheRv) return;
    this.cacheRv = rv;
    this.placeCache.clear();
    this.hostCache.clear();
    this.podCache.clear();
    this.listenerCache.clear();
    this.nodeIPs = undefined;
    this.lastFlow = undefined;
  }

  private prepare(spec: RequestSpec): Prepared {
    let p = this.prepared.get(spec);
    if (!p) {
      const url = parseUrl(spec.url);
      p = { url, connKey: url ? `${spec.client.name}|${url.scheme}://${url.host}:${url.port}` : '', jarKey: url ? `${spec.client.name}|${url.host}` : '' };
      this.prepared.set(spec, p);
    }
    return p;
  }

  private cachedPlace(c: ClientSpec): ClientPlace | { error: string } {
    let p = this.placeCache.get(c);
    if (!p) this.placeCache.set(c, (p = this.place(c)));
    return p;
  }

  private podAt(ip: string): KubeObject | undefined {
    this.validateCaches();
    let pod = this.podCache.get(ip);
    if (pod === undefined && !this.podCache.has(ip)) this.podCache.set(ip, (pod = this.pods.podAt(ip)));
    return pod;
  }

  /** Once a process listens it keeps listening until the pod changes: only those answers are kept. */
  private listener(pod: KubeObject, port: number, now: number): Listener {
    this.validateCaches();
    let byPort = this.listenerCache.get(pod);
    const hit = byPort?.get(port);
    if (hit) return hit;
    const l = this.pods.listener(pod, port, now);
    if (l.ok) {
      if (!byPort) this.listenerCache.set(pod, (byPort = new Map()));
      byPort.set(port, l);
    }
    return l;
  }

  /** The IP a host name or literal means to a client at `from` (undefined: it does not resolve). */
  private hostIP(from: ClientPlace, host: string): string | undefined {
    let byHost = this.hostCache.get(from);
    if (byHost?.has(host)) return byHost.get(host);
    const api = this.cluster.api;
    let ip: string | undefined;
    if (parseIPv4(host) !== undefined) ip = host;
    else {
      const node = api.get('Node', undefined, host);
      if (node) ip = nodeIP(node);
      else if (from.origin === 'pod') ip = resolvePodName(this.cluster, host, from.pod)?.[0];
    }
    if (!byHost) this.hostCache.set(from, (byHost = new Map()));
    byHost.set(host, ip);
    return ip;
  }

  private place(c: ClientSpec): ClientPlace | { error: string } {
    const api = this.cluster.api;
    if (c.from === 'external') return { ip: c.ip ?? DEFAULT_CLIENT.ip!, origin: 'external', namespace: 'default' };
    if (c.from.startsWith('node/')) {
      const name = c.from.slice(5);
      const ip = nodeIP(api.get('Node', undefined, name));
      return ip ? { ip, origin: 'node', node: name, namespace: 'default' } : { error: `client ${c.name}: node ${name} does not exist` };
    }
    const ref = c.from.slice(4);
    const [ns, name] = ref.includes('/') ? ref.split('/', 2) : ['default', ref];
    const pod = api.get('Pod', ns, name);
    if (!pod?.status?.podIP || !pod.spec?.nodeName) return { error: `client ${c.name}: pod ${ns}/${name} ${pod ? 'has no IP yet' : 'does not exist'}` };
    return { ip: pod.status.podIP, origin: 'pod', node: pod.spec.nodeName, namespace: ns, pod };
  }

  private connect(from: ClientPlace, url: ParsedUrl, now: number): Connected {
    // a client's next connection to the same URL, with no API write since: the same flow
    const m = this.lastFlow;
    if (m !== undefined && m.from === from && m.url === url) return this.viaLocal(from, m.flow, now);
    const ip = this.hostIP(from, url.host);
    if (!ip) {
      const ctl = ingressControllerOf(this.cluster);
      if (ctl && ctl.servesHost(url.host)) return { kind: 'ingress' };
      const why = from.origin === 'pod' ? 'NXDOMAIN' : `${from.origin} clients do not use the cluster DNS; use a pod client, a node:nodePort or a load-balancer IP`;
      return { kind: 'fail', outcome: 'unresolved', reason: `${url.host} does not resolve (${why})` };
    }
    if (from.origin === 'external') {
      const node = this.nodesByIP().get(ip);
      if (node) return this.viaNode(node, { srcIP: from.ip, origin: 'external', dstIP: ip, dstPort: url.port }, now);
      const lb = this.loadBalancerNode(ip, url.port);
      if (lb) return this.viaNode(lb, { srcIP: from.ip, origin: 'external', dstIP: ip, dstPort: url.port }, now);
      return { kind: 'fail', outcome: 'timeout', reason: `${ip} is not reachable from outside the cluster` };
    }
    // places and host answers are made again after an API write, so the flow is valid while
    // `from` is the place of the cache
    const flow: Flow = { srcIP: from.ip, origin: from.origin === 'pod' ? 'pod' : 'local', dstIP: ip, dstPort: url.port };
    this.lastFlow = { from, url, flow };
    return this.viaLocal(from, flow, now);
  }

  /** a connection from a pod or a node, through that node's rules first */
  private viaLocal(from: ClientPlace, flow: Flow, now: number): Connected {
    const local = (from.proxy ??= kubeProxyOf(this.cluster, from.node!)!);
    const v = local.route(flow, now);
    if (v.action !== 'none') return this.verdict(local, v, from.ip, now);
    const ip = flow.dstIP, port = flow.dstPort;
    if (this.podAt(ip) || (ip === APISERVER_ADDRESS && port === APISERVER_PORT)) return { kind: 'pod', ip, port, sourceIP: from.ip };
    const node = this.nodesByIP().get(ip);
    if (node) return this.viaNode(node, { srcIP: from.ip, origin: from.origin === 'pod' ? 'pod' : 'external', dstIP: ip, dstPort: port }, now);
    return { kind: 'fail', outcome: 'timeout', reason: `nothing answers at ${ip}` };
  }

  private viaNode(node: string, flow: { srcIP: string; origin: Origin; dstIP: string; dstPort: number }, now: number): Connected {
    const proxy = kubeProxyOf(this.cluster, node)!;
    const v = proxy.route(flow, now);
    if (v.action === 'none') return { kind: 'fail', outcome: 'refused', reason: `nothing listens on ${flow.dstIP}:${flow.dstPort} (node ${node})`, node };
    return this.verdict(proxy, v, flow.srcIP, now);
  }

  private verdict(proxy: KubeProxy, v: Exclude<Verdict, { action: 'none' }>, srcIP: string, now: number): Connected {
    const node = proxy.nodeName;
    if (v.action === 'reject') return { kind: 'fail', outcome: 'refused', reason: `${v.reason} (REJECT on ${node})`, node };
    if (v.action === 'drop') return { kind: 'fail', outcome: 'timeout', reason: `${v.reason} (DROP on ${node})`, node };
    if (v.action === 'healthz') return { kind: 'answer', status: v.status, body: `${v.body}\n`, node, via: proxy.name };
    let ep = v.endpoint;
    if (proxy.mode === 'userspace') {
      // TryConnectEndpoints: the userspace proxy dials other endpoints when one refuses
      for (let attempt = 0; attempt < 4; attempt++) {
        const pod = this.podAt(ep.ip);
        if (pod && this.listener(pod, ep.port, now).ok) break;
        ep = proxy.retry(v, srcIP, now) ?? ep;
      }
    }
    // the same endpoint seen from the same source through the same node as the connection before
    // (a client with affinity): the same target, made once (targets are read, never changed)
    const sourceIP = v.snatIP ?? srcIP;
    const last = this.lastTarget;
    if (last !== undefined && last.ep === ep && last.proxy === proxy && last.target.sourceIP === sourceIP) return last.target;
    const target = { kind: 'pod' as const, ip: ep.ip, port: ep.port, sourceIP, node, via: proxy.name };
    this.lastTarget = { ep, proxy, target };
    return target;
  }

  /** A cloud load balancer sends a new connection to a node; with externalTrafficPolicy Local only
   * to nodes whose health check (healthCheckNodePort) answers 200, all nodes if none does. */
  private loadBalancerNode(ip: string, port: number): string | undefined {
    const svc = this.cluster.api.list('Service').find((s) => (s.status?.loadBalancer?.ingress ?? []).some((i: any) => i.ip === ip) && (s.spec?.ports ?? []).some((p: any) => p.port === port));
    if (!svc) return undefined;
    const names = this.cluster.config.nodes.map((n) => n.name);
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const healthy = svc.spec?.externalTrafficPolicy === 'Local' ? names.filter((n) => (kubeProxyOf(this.cluster, n)?.localEndpointCount(key) ?? 0) > 0) : names;
    const pool = healthy.length ? healthy : names;
    return pool[this.lbRng.int(pool.length)];
  }

  private nodesByIP(): Map<string, string> {
    this.validateCaches();
    if (this.nodeIPs) return this.nodeIPs;
    const m = (this.nodeIPs = new Map<string, string>());
    for (const n of this.cluster.config.nodes) {
      const ip = nodeIP(this.cluster.api.get('Node', undefined, n.name));
      if (ip) m.set(ip, n.name);
    }
    return m;
  }

  private ingressSourceIP(): string {
    const first = this.cluster.config.nodes[0]?.name;
    return (first && nodeIP(this.cluster.api.get('Node', undefined, first))) || '0.0.0.0';
  }
}

/** "http-<status>" texts, one string per status */
const httpOutcomes = new Map<number, string>();

function outcomeOf(status: number): string {
  if (status < 400) return 'ok';
  let o = httpOutcomes.get(status);
  if (o === undefined) httpOutcomes.set(status, (o = `http-${status}`));
  return o;
}

function nodeIP(node: KubeObject | undefined): string | undefined {
  return (node?.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
}

interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
}

export function parseUrl(text: string): ParsedUrl | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#\s]+)(?::(\d+))?([^\s]*)$/i.exec(text.trim());
  if (!m) return undefined;
  const scheme = (m[1]?.toLowerCase() ?? 'http') as 'http' | 'https';
  const path = m[4] ? (m[4].startsWith('/') ? m[4] : `/${m[4]}`) : '/';
  return { scheme, host: m[2].toLowerCase(), port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80, path: path.replace(/[?#].*$/, '') || '/' };
}

// ---- per-run registry --------------------------------------------------------------------

const runtimes = new WeakMap<ApiServer, TrafficRuntime>();

/** Start kube-proxy on every node, ingress-nginx and the traffic runtime (after the kubelets registered their Nodes). */
export function startNetwork(cluster: Cluster): void {
  for (const n of cluster.config.nodes) {
    const node = cluster.api.get('Node', undefined, n.name);
    cluster.add(new KubeProxy(cluster, n.name, nodeIP(node) ?? '0.0.0.0', node?.metadata.labels?.['topology.kubernetes.io/zone']));
  }
  cluster.add(new IngressNginx(cluster));
  runtimes.set(cluster.api, new TrafficRuntime(cluster));
}

export function trafficOf(cluster: Cluster): TrafficRuntime {
  let r = runtimes.get(cluster.api);
  if (!r) runtimes.set(cluster.api, (r = new TrafficRuntime(cluster)));
  return r;
}

const NO_LOG = new RequestLog();

/** The requests recorded so far in the run of this API server (empty when none). */
export function trafficLog(api: ApiServer): RequestLog {
  return runtimes.get(api)?.log ?? NO_LOG;
}

/** Requests scheduled or waiting for their outcome: the run is not over while there are any. */
export function trafficBusy(api: ApiServer): boolean {
  return (runtimes.get(api)?.inFlight ?? 0) > 0;
}
