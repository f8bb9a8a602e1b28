// Compiling `clients:`, `request:` steps and `traffic:` expectations (DESIGN §3.1, §3.2) into
// the traffic runtime's specs. Errors name what is wrong, what is allowed, and a hint.

import type { Comparator } from '../../expect/compare.js';
import type { Subject } from '../../expect/subjects.js';
import { parseIPv4 } from '../ip.js';
import { DEFAULT_CLIENT, DEFAULT_TIMEOUT_MS, parseUrl, type ClientSpec, type RequestSpec } from '../traffic.js';
import { TrafficSubject } from './expect.js';

type Path = (string | number)[];

/** What the scenario compiler offers (src/scenario/compile.ts Compiler). */
export interface CompileHelpers {
  readonly loaded: { raw: any };
  error(p: Path, message: string, hint?: string, code?: string): void;
  duration(p: Path, v: unknown, fallback?: number): number | undefined;
  comparator(p: Path, v: unknown): Comparator | undefined;
}

const memo = new WeakMap<object, Map<string, ClientSpec>>();

/** The scenario's clients by name (compiled once per compilation; errors reported once). */
export function clientsOf(c: CompileHelpers, nodeNames?: string[]): Map<string, ClientSpec> {
  const hit = memo.get(c);
  if (hit) return hit;
  const out = new Map<string, ClientSpec>();
  memo.set(c, out);
  const raw: any[] = c.loaded.raw.clients ?? [];
  const nodes = new Set(nodeNames ?? []);
  raw.forEach((cl, i) => {
    const p = ['clients', i];
    if (out.has(cl.name)) c.error([...p, 'name'], `client "${cl.name}" is declared twice`, 'client names must be unique');
    const from: string = cl.from ?? 'external';
    if (from !== 'external' && cl.ip !== undefined) {
      c.error([...p, 'ip'], `\`ip\` applies to external clients only; a ${from.split('/')[0]} client uses the ${from.split('/')[0]}'s own IP`, 'remove `ip`, or use `from: external`');
    }
    if (cl.ip !== undefined && parseIPv4(String(cl.ip)) === undefined) c.error([...p, 'ip'], `"${cl.ip}" is not an IPv4 address`, 'write it like 203.0.113.7');
    if (from.startsWith('node/') && nodeNames && !nodes.has(from.slice(5))) {
      c.error([...p, 'from'], `node "${from.slice(5)}" is not in the cluster`, `the nodes are: ${[...nodes].join(', ')}`);
    }
    out.set(cl.name, { name: cl.name, ...(cl.ip !== undefined ? { ip: String(cl.ip) } : {}), from, keepAlive: !!cl.keepAlive, cookies: cl.cookies ?? true });
  });
  return out;
}

export function compileRequest(c: CompileHelpers, p: Path, raw: any, stepName: string | undefined, stepIndex: number): RequestSpec | undefined {
  const clients = clientsOf(c);
  let client = DEFAULT_CLIENT;
  if (raw.client !== undefined) {
    const found = clients.get(raw.client);
    if (!found) {
      c.error([...p, 'client'], `no client named "${raw.client}"`, clients.size ? `declared clients: ${[...clients.keys()].join(', ')}` : 'declare it under `clients:` (name, ip, from, keepAlive)');
      return undefined;
    }
    client = found;
  }
  if (!parseUrl(String(raw.url))) {
    c.error([...p, 'url'], `"${raw.url}" is not a URL`, 'write http://<service>.<namespace>.svc.cluster.local/, http://<clusterIP>:<port>/, http://<node>:<nodePort>/ or http://<ingress host>/path');
    return undefined;
  }
  if (raw.every !== undefined && raw.rate !== undefined) c.error([...p, 'rate'], '`every` and `rate` both set the interval between requests', 'keep one of them');
  const count: number = raw.count ?? 1;
  const every = raw.rate !== undefined ? Math.max(1, Math.round(1000 / raw.rate)) : c.duration([...p, 'every'], raw.every, 1000)!;
  const timeoutMs = c.duration([...p, 'timeout'], raw.timeout, DEFAULT_TIMEOUT_MS)!;
  if (timeoutMs <= 0) c.error([...p, 'timeout'], 'the client timeout must be positive', 'e.g. timeout: 5s');
  return {
    client,
    url: String(raw.url),
    count,
    everyMs: every,
    timeoutMs,
    method: raw.method ?? 'GET',
    headers: raw.headers ?? {},
    ...(stepName ? { step: stepName } : {}),
    stepIndex,
  };
}

export function compileTrafficSubject(c: CompileHelpers, p: Path, e: any): Subject | undefined {
  const t = e.traffic ?? {};
  if (t.step === undefined && t.client === undefined) {
    c.error([...p, 'traffic'], 'a `traffic:` expectation names a request step or a client', 'write traffic: {step: <step name>} or traffic: {client: <client name>}');
    return undefined;
  }
  if (t.step !== undefined) {
    const steps: any[] = c.loaded.raw.steps ?? [];
    const named = steps.filter((s) => s.request !== undefined && s.name).map((s) => s.name);
    if (!named.includes(t.step)) c.error([...p, 'traffic', 'step'], `no request step named "${t.step}"`, named.length ? `request steps: ${named.join(', ')}` : 'give the `request:` step a `name:`');
  }
  if (t.client !== undefined && t.client !== DEFAULT_CLIENT.name && !clientsOf(c).has(t.client)) {
    c.error([...p, 'traffic', 'client'], `no client named "${t.client}"`, `declared clients: ${[...clientsOf(c).keys()].join(', ') || 'none'} (requests without client: come from "${DEFAULT_CLIENT.name}")`);
  }
  const sip = e.sourceIP === 'client' || e.sourceIP === 'node' ? e.sourceIP : c.comparator([...p, 'sourceIP'], e.sourceIP);
  const m = {
    count: c.comparator([...p, 'count'], e.count),
    distinct: c.comparator([...p, 'servedBy', 'distinct'], e.servedBy?.distinct),
    pods: e.servedBy?.pods,
    outcome: c.comparator([...p, 'outcome'], e.outcome),
    status: c.comparator([...p, 'status'], e.status),
    successRate: c.comparator([...p, 'successRate'], e.successRate),
    maxSkew: c.comparator([...p, 'distribution', 'maxSkew'], e.distribution?.maxSkew),
    sourceIP: sip,
  };
  if (Object.values(m).every((v) => v === undefined)) {
    c.error([...p, 'traffic'], 'a `traffic:` expectation needs at least one matcher', 'add servedBy, outcome, status, successRate, distribution, sourceIP or count');
    return undefined;
  }
  return new TrafficSubject(t.step, t.client, m);
}
