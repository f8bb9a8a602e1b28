// Cluster DNS: a pure resolver over the API state with the CoreDNS `kubernetes` plugin's record
// rules (coredns v1.11.3 plugin/kubernetes: parse.go parseRequest, kubernetes.go findServices /
// findPods, reverse.go, plugin/backend_lookup.go SRV, handler.go rcodes), configured as kubeadm's
// Corefile configures it (`pods insecure`, `ttl 30`), and the pod's resolver
// (pkg/kubelet/network/dns/dns.go GetPodDNS; resolv.conf(5) search and ndots rules).
//
// CoreDNS reads EndpointSlices; a headless Service answers its ready endpoints only. CoreDNS's own
// watch lag and its `cache 30` plugin are not modelled: answers reflect the API state at the
// instant of the query. Names outside the cluster domain have no upstream to forward to: NXDOMAIN.

import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import { dashedIP, formatIPv4, parseCidr, parseIPv4 } from './ip.js';
import { networkConfig } from './services.js';
import { LABEL_SERVICE_NAME } from './endpointutil.js';

export type DnsType = 'A' | 'AAAA' | 'SRV' | 'CNAME' | 'PTR';
export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export interface DnsRecord {
  /** owner name, fully qualified with the trailing dot */
  name: string;
  type: 'A' | 'AAAA' | 'SRV' | 'CNAME' | 'PTR';
  ttl: number;
  /** A: the IP; CNAME/PTR: the target with a trailing dot; SRV: "priority weight port target." */
  data: string;
}

export interface DnsResult {
  rcode: Rcode;
  /** the fully qualified name that produced the result (the last one tried when none answered) */
  name: string;
  answers: DnsRecord[];
  /** additional section (A records of SRV targets) */
  extra: DnsRecord[];
  /** every name the resolver asked, in order */
  tried: string[];
  /** the nameserver asked */
  server: string;
}

export interface DnsOptions {
  /** record TTL; kubeadm's Corefile sets `ttl 30` (the plugin's own default is 5) */
  ttl?: number;
}

/** kubeadm's Corefile value (cmd/kubeadm/app/phases/addons/dns/manifests.go) */
export const DEFAULT_TTL = 30;
export const NDOTS = 5;
const MAX_CNAME_DEPTH = 8;

/** kubeadm's clusterDNS: the 10th address of the service CIDR (constants.go GetDNSIP) */
export function clusterDNSIP(api: object): string {
  const c = parseCidr(networkConfig(api).serviceCIDR)!;
  return formatIPv4(c.base + 10);
}

// ---- the pod's resolv.conf -------------------------------------------------------------------

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: { name: string; value?: string }[];
}

/** The node's /etc/resolv.conf (kind nodes: Docker's embedded DNS, no search domains). */
const NODE_RESOLV: ResolvConf = { nameservers: ['172.18.0.1'], searches: [], options: [] };

/** GetPodDNS: resolv.conf for a pod from its dnsPolicy and dnsConfig. */
export function podResolvConf(api: object, pod: KubeObject | undefined): ResolvConf {
  const domain = networkConfig(api).clusterDomain;
  const ns = pod?.metadata.namespace ?? 'default';
  const spec = pod?.spec ?? {};
  const policy: string = spec.dnsPolicy ?? 'ClusterFirst';
  let base: ResolvConf;
  // getPodDNSType: ClusterFirst on the host network falls back to Default
  const cluster = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !spec.hostNetwork);
  if (policy === 'None') base = { nameservers: [], searches: [], options: [] };
  else if (cluster) {
    base = {
      nameservers: [clusterDNSIP(api)],
      searches: dedupe([`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...NODE_RESOLV.searches]),
      options: [{ name: 'ndots', value: String(NDOTS) }],
    };
  } else base = structuredClone(NODE_RESOLV);
  const dc = spec.dnsConfig;
  if (dc) {
    // appendDNSConfig: nameservers and searches appended (deduplicated), options merged by name
    base.nameservers = dedupe([...base.nameservers, ...(dc.nameservers ?? [])]);
    base.searches = dedupe([...base.searches, ...(dc.searches ?? [])]);
    for (const o of dc.options ?? []) {
      const i = base.options.findIndex((x) => x.name === o.name);
      const opt = o.value !== undefined ? { name: o.name, value: String(o.value) } : { name: o.name };
      if (i >= 0) base.options[i] = opt;
      else base.options.push(opt);
    }
  }
  // formDNSConfigFitsLimits: 3 nameservers, 32 search domains
  base.nameservers = base.nameservers.slice(0, 3);
  base.searches = base.searches.slice(0, 32);
  return base;
}

/** /etc/resolv.conf as the kubelet writes it */
export function resolvConfText(rc: ResolvConf): string {
  const lines: string[] = [];
  if (rc.searches.length) lines.push(`search ${rc.searches.join(' ')}`);
  for (const n of rc.nameservers) lines.push(`nameserver ${n}`);
  if (rc.options.length) lines.push(`options ${rc.options.map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : o.name)).join(' ')}`);
  return lines.join('\n') + '\n';
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs.filter(Boolean))];
}

/** The names a resolver tries for `name` (resolv.conf(5)): searched first below ndots dots. */
export function searchCandidates(name: string, rc: ResolvConf): string[] {
  if (name.endsWith('.')) return [name];
  const ndots = Number(rc.options.find((o) => o.name === 'ndots')?.value ?? 1);
  const dots = (name.match(/\./g) ?? []).length;
  const searched = rc.searches.map((s) => `${name}.${s}.`);
  return dots >= ndots ? [`${name}.`, ...searched] : [...searched, `${name}.`];
}

// ---- resolving -----------------------------------------------------------------------------

/**
 * Resolve `name` as a process in `fromPod` would (its resolv.conf search list and ndots), or, with
 * no pod, as a pod in `default` with dnsPolicy ClusterFirst. The first name that has records wins;
 * when none has, the result is NXDOMAIN if every name was NXDOMAIN, else NOERROR with no answers.
 */
export function resolve(api: ApiServer, name: string, type: DnsType = 'A', fromPod?: KubeObject, opts: DnsOptions = {}): DnsResult {
  const rc = podResolvConf(api, fromPod);
  const server = rc.nameservers[0] ?? '';
  // an IP literal needs no lookup for an address query (getaddrinfo)
  if ((type === 'A' || type === 'AAAA') && parseIPv4(name) !== undefined) {
    return { rcode: 'NOERROR', name, answers: [{ name, type: 'A', ttl: 0, data: name }], extra: [], tried: [], server };
  }
  const candidates = searchCandidates(name, rc);
  const tried: string[] = [];
  let sawNoData = false;
  let last: DnsResult | undefined;
  for (const c of candidates) {
    tried.push(c);
    const r = queryServer(api, server, c, type, opts);
    if (r.rcode === 'NOERROR' && r.answers.length) return { ...r, tried, server };
    if (r.rcode === 'NOERROR') sawNoData = true;
    last = r;
  }
  return { rcode: sawNoData ? 'NOERROR' : last?.rcode ?? 'NXDOMAIN', name: last?.name ?? name, answers: [], extra: [], tried, server };
}

/** One query of a fully qualified name to a nameserver; only the cluster DNS knows cluster names. */
function queryServer(api: ApiServer, server: string, fqdn: string, type: DnsType, opts: DnsOptions): DnsResult {
  if (server !== clusterDNSIP(api)) return { rcode: 'NXDOMAIN', name: fqdn, answers: [], extra: [], tried: [fqdn], server };
  return query(api, fqdn, type, opts);
}

/** One CoreDNS query (no search list). `fqdn` may omit the trailing dot. */
export function query(api: ApiServer, fqdn: string, type: DnsType, opts: DnsOptions = {}, depth = 0): DnsResult {
  const ttl = opts.ttl ?? DEFAULT_TTL;
  const name = (fqdn.endsWith('.') ? fqdn : `${fqdn}.`).toLowerCase();
  const server = clusterDNSIP(api);
  const res = (rcode: Rcode, answers: DnsRecord[] = [], extra: DnsRecord[] = []): DnsResult => ({ rcode, name, answers, extra, tried: [name], server });
  const zone = `${networkConfig(api).clusterDomain.toLowerCase()}.`;
  if (type === 'PTR') return reverse(api, name, ttl, zone, res);
  if (name === zone) return res('NOERROR');
  if (!name.endsWith(`.${zone}`)) return res('NXDOMAIN');
  const segs = name.slice(0, -(zone.length + 1)).split('.');
  const kindSeg = segs[segs.length - 1];
  if (kindSeg !== 'svc' && kindSeg !== 'pod') return res('NXDOMAIN');
  if (segs.length === 1) return res('NOERROR'); // svc.zone / pod.zone apex: NODATA
  const ns = segs[segs.length - 2];
  if (!nsExists(api, ns)) return res('NXDOMAIN');
  if (segs.length === 2) return res('NOERROR'); // ns.svc.zone: NODATA
  if (kindSeg === 'pod') {
    // `pods insecure`: any IP-shaped label answers, for a namespace that exists
    if (segs.length !== 3) return res('NXDOMAIN');
    const ip = segs[0].replace(/-/g, '.');
    if (parseIPv4(ip) === undefined || segs[0].includes('--')) return res('NXDOMAIN');
    return type === 'A' ? res('NOERROR', [{ name, type: 'A', ttl, data: ip }]) : res('NOERROR');
  }
  // [endpoint | _port._proto].service.namespace.svc
  let endpoint = '', port = '', proto = '';
  const rest = segs.length - 3;
  if (rest === 1) endpoint = segs[0];
  else if (rest === 2) {
    port = segs[0].replace(/^_/, '');
    proto = segs[1].replace(/^_/, '');
  } else if (rest > 2) return res('NXDOMAIN');
  const svcName = segs[segs.length - 3];
  const svc = findByLower(api, 'Service', ns, svcName);
  if (!svc) return res('NXDOMAIN');
  const svcFqdn = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${zone}`;

  if (svc.spec?.type === 'ExternalName') {
    if (endpoint || port || proto) return res('NXDOMAIN');
    const target = `${String(svc.spec.externalName ?? '').replace(/\.$/, '').toLowerCase()}.`;
    const cname: DnsRecord = { name, type: 'CNAME', ttl, data: target };
    if (type === 'CNAME') return res('NOERROR', [cname]);
    if (type !== 'A') return res('NOERROR', [cname]);
    // inside the zone CoreDNS follows the chain itself; outside it there is no upstream here
    if (target.endsWith(`.${zone}`) && depth < MAX_CNAME_DEPTH) {
      const next = query(api, target, 'A', opts, depth + 1);
      return res('NOERROR', [cname, ...next.answers]);
    }
    return res('NOERROR', [cname]);
  }

  const matchPart = (q: string, v: string) => q === '' || q === '*' || q === 'any' || q.toLowerCase() === v.toLowerCase();
  interface Rec { ip: string; port: number; target: string }
  const recs: Rec[] = [];
  const headless = !svc.spec?.clusterIP || svc.spec.clusterIP === 'None';
  if (headless || endpoint) {
    for (const slice of slicesOf(api, svc)) {
      const ports: { name?: string; port: number; protocol?: string }[] = (slice as any).ports?.length ? (slice as any).ports : [{ name: '', port: -1, protocol: '' }];
      for (const ep of ((slice as any).endpoints ?? []) as any[]) {
        if (ep.conditions?.ready === false) continue; // ready true or unset
        for (const ip of (ep.addresses ?? []).slice(0, 1) as string[]) {
          const host = (ep.hostname as string | undefined) ?? dashedIP(ip);
          if (endpoint && !matchPart(endpoint, host)) continue;
          for (const p of ports) {
            if (!(matchPart(port, p.name ?? '') && matchPart(proto, p.protocol ?? ''))) continue;
            recs.push({ ip, port: p.port, target: `${host}.${svcFqdn}` });
          }
        }
      }
    }
  } else {
    for (const p of svc.spec?.ports ?? []) {
      if (!(matchPart(port, p.name ?? '') && matchPart(proto, p.protocol ?? 'TCP'))) continue;
      for (const ip of (svc.spec?.clusterIPs ?? [svc.spec?.clusterIP]) as string[]) recs.push({ ip, port: p.port, target: svcFqdn });
    }
  }
  if (recs.length === 0) return res('NXDOMAIN');
  switch (type) {
    case 'A': {
      const seen = new Set<string>();
      const answers: DnsRecord[] = [];
      for (const r of recs) if (parseIPv4(r.ip) !== undefined && !seen.has(r.ip)) (seen.add(r.ip), answers.push({ name, type: 'A', ttl, data: r.ip }));
      return res('NOERROR', answers);
    }
    case 'SRV': {
      const withPort = recs.filter((r) => r.port !== -1);
      const weight = Math.floor(100 / Math.max(1, withPort.length));
      const answers: DnsRecord[] = [];
      const extra: DnsRecord[] = [];
      const seen = new Set<string>();
      const seenExtra = new Set<string>();
      for (const r of withPort) {
        const k = `${r.target}|${r.port}`;
        if (!seen.has(k)) (seen.add(k), answers.push({ name, type: 'SRV', ttl, data: `0 ${weight} ${r.port} ${r.target}` }));
        const ek = `${r.target}|${r.ip}`;
        if (!seenExtra.has(ek)) (seenExtra.add(ek), extra.push({ name: r.target, type: 'A', ttl, data: r.ip }));
      }
      return res('NOERROR', answers, extra);
    }
    default:
      // the name exists but has no record of that type: NODATA
      return res('NOERROR');
  }
}

function nsExists(api: ApiServer, ns: string): boolean {
  return !!findByLower(api, 'Namespace', undefined, ns);
}

/** names are lower case in the API (DNS labels), queries are case-insensitive */
function findByLower(api: ApiServer, kind: string, ns: string | undefined, name: string): KubeObject | undefined {
  return api.get(kind, ns, name.toLowerCase());
}

function slicesOf(api: ApiServer, svc: KubeObject): KubeObject[] {
  const out: KubeObject[] = [];
  for (const s of api.store.iterate('EndpointSlice', svc.metadata.namespace)) {
    if (s.metadata.labels?.[LABEL_SERVICE_NAME] === svc.metadata.name) out.push(s);
  }
  return out.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
}

/** reverse.go serviceRecordForIP: a cluster IP names its Service; an endpoint IP its endpoint name. */
function reverse(api: ApiServer, name: string, ttl: number, zone: string, res: (rc: Rcode, a?: DnsRecord[]) => DnsResult): DnsResult {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa\.$/.exec(name);
  if (!m) return res('NXDOMAIN');
  const ip = `${m[4]}.${m[3]}.${m[2]}.${m[1]}`;
  for (const svc of api.list('Service')) {
    if ((svc.spec?.clusterIPs ?? []).includes(ip)) return res('NOERROR', [{ name, type: 'PTR', ttl, data: `${svc.metadata.name}.${svc.metadata.namespace}.svc.${zone}` }]);
  }
  const answers: DnsRecord[] = [];
  for (const slice of api.list('EndpointSlice')) {
    const svcName = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!svcName) continue;
    for (const ep of ((slice as any).endpoints ?? []) as any[]) {
      if (ep.addresses?.[0] !== ip) continue;
      answers.push({ name, type: 'PTR', ttl, data: `${ep.hostname ?? dashedIP(ip)}.${svcName}.${slice.metadata.namespace}.svc.${zone}` });
    }
  }
  return answers.length ? res('NOERROR', answers) : res('NXDOMAIN');
}

/** `4.3.2.1.in-addr.arpa.` for 1.2.3.4 */
export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
}

// ---- nslookup and dig ----------------------------------------------------------------------

export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * nslookup output as the bind9 tools print it (the dnsutils image of the Kubernetes DNS debugging
 * guide): Server/Address header, then the answers or `** server can't find`, exit 1 on failure.
 */
export function formatNslookup(query: string, r: DnsResult, type: DnsType = 'A'): CommandOutput {
  let out = `Server:\t\t${r.server}\nAddress:\t${r.server}#53\n\n`;
  if (r.rcode !== 'NOERROR' || r.answers.length === 0) {
    if (r.rcode === 'NOERROR') return { stdout: `${out}*** Can't find ${query}: No answer\n\n`, stderr: '', exitCode: 0 };
    return { stdout: `${out}** server can't find ${type === 'PTR' ? r.name : query}: ${r.rcode}\n\n`, stderr: '', exitCode: 1 };
  }
  for (const a of r.answers) {
    const owner = a.name.replace(/\.$/, '');
    if (a.type === 'A') out += `Name:\t${owner}\nAddress: ${a.data}\n`;
    else if (a.type === 'CNAME') out += `${owner}\tcanonical name = ${a.data}\n`;
    else if (a.type === 'SRV') out += `${owner}\tservice = ${a.data}\n`;
    else if (a.type === 'PTR') out += `${owner}\tname = ${a.data}\n`;
  }
  return { stdout: `${out}\n`, stderr: '', exitCode: 0 };
}

/** dig output (bind9 9.18): the full form, or one value per line with +short. */
export function formatDig(qname: string, type: DnsType, r: DnsResult, opts: { short?: boolean; clusterDomain?: string } = {}): CommandOutput {
  if (opts.short) return { stdout: r.answers.map((a) => `${a.data}\n`).join(''), stderr: '', exitCode: 0 };
  const q = qname.endsWith('.') ? qname : `${qname}.`;
  const rr = (x: DnsRecord) => `${x.name}\t\t${x.ttl}\tIN\t${x.type}\t${x.data}`;
  const lines = [
    `; <<>> DiG 9.18.28 <<>> ${qname}${type !== 'A' ? ` ${type}` : ''}`,
    ';; global options: +cmd',
    ';; Got answer:',
    `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: 1`,
    `;; flags: qr aa rd; QUERY: 1, ANSWER: ${r.answers.length}, AUTHORITY: ${r.answers.length ? 0 : 1}, ADDITIONAL: ${r.extra.length + 1}`,
    ';; WARNING: recursion requested but not available',
    '',
    ';; OPT PSEUDOSECTION:',
    '; EDNS: version: 0, flags:; udp: 1232',
    ';; QUESTION SECTION:',
    `;${q}\t\t\tIN\t${type}`,
    '',
  ];
  if (r.answers.length) lines.push(';; ANSWER SECTION:', ...r.answers.map(rr), '');
  else {
    const zone = `${opts.clusterDomain ?? 'cluster.local'}.`;
    lines.push(';; AUTHORITY SECTION:', `${zone}\t\t${DEFAULT_TTL}\tIN\tSOA\tns.dns.${zone} hostmaster.${zone} 1 7200 1800 86400 ${DEFAULT_TTL}`, '');
  }
  if (r.extra.length) lines.push(';; ADDITIONAL SECTION:', ...r.extra.map(rr), '');
  lines.push(';; Query time: 0 msec', `;; SERVER: ${r.server}#53(${r.server}) (UDP)`, '');
  return { stdout: lines.join('\n') + '\n', stderr: '', exitCode: 0 };
}

/** `nslookup [-type=X] name [server]` inside a pod. */
export function runNslookup(api: ApiServer, pod: KubeObject | undefined, argv: string[]): CommandOutput {
  let type: DnsType = 'A';
  const args: string[] = [];
  for (const a of argv.slice(1)) {
    const m = /^-(?:type|query|q)=(\w+)$/i.exec(a);
    if (m) type = m[1].toUpperCase() as DnsType;
    else if (!a.startsWith('-')) args.push(a);
  }
  const name = args[0];
  if (!name) return { stdout: '', stderr: 'usage: nslookup [-type=A|SRV|CNAME|PTR] name\n', exitCode: 1 };
  if (parseIPv4(name) !== undefined) {
    const r = resolve(api, reverseName(name), 'PTR', pod);
    return formatNslookup(name, r, 'PTR');
  }
  return formatNslookup(name, resolve(api, name, type, pod), type);
}

/** `dig [+short] [+search] name [type]`: dig does not apply the search list unless +search. */
export function runDig(api: ApiServer, pod: KubeObject | undefined, argv: string[]): CommandOutput {
  let short = false, search = false;
  let type: DnsType = 'A';
  let name: string | undefined;
  let reverseIp: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '+short') short = true;
    else if (a === '+search') search = true;
    else if (a.startsWith('+') || a.startsWith('@')) continue;
    else if (a === '-x') reverseIp = argv[++i];
    else if (/^(A|AAAA|SRV|CNAME|PTR)$/i.test(a) && name !== undefined) type = a.toUpperCase() as DnsType;
    else name ??= a;
  }
  if (reverseIp) {
    name = reverseName(reverseIp);
    type = 'PTR';
  }
  if (!name) return { stdout: '', stderr: 'dig: no name given\n', exitCode: 1 };
  const fq = search || name.endsWith('.') ? name : `${name}.`;
  return formatDig(name, type, resolve(api, fq, type, pod), { short, clusterDomain: networkConfig(api).clusterDomain });
}
