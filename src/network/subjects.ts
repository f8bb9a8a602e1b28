// Expectation subjects of the Service work (DESIGN §3.2): `endpoints:` (a Service's Endpoints as
// `kubectl get endpoints` and `kubectl describe endpoints` show them: ready and not-ready
// addresses, by pod name) and `dns:` (a query made from a pod, through its resolv.conf).

import type { KubeObject } from '../api/types.js';
import type { EvalContext, Outcome, Subject } from '../expect/subjects.js';
import { ComparatorError, parseComparator, type Comparator } from '../expect/compare.js';
import { resolve, type DnsType } from './dns.js';

type Report = (path: (string | number)[], message: string, hint?: string) => void;

function comparator(report: Report, key: string, v: unknown): Comparator | undefined {
  if (v === undefined) return undefined;
  try {
    return parseComparator(v);
  } catch (e) {
    if (e instanceof ComparatorError) {
      report([key], e.message, e.hint);
      return undefined;
    }
    throw e;
  }
}

function nameList(report: Report, key: string, v: unknown, hint: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    report([key], `\`${key}\` of an \`endpoints:\` expectation is the exact list of pod names (or IPs)`, hint);
    return undefined;
  }
  return v.map(String);
}

// ---- endpoints -------------------------------------------------------------------------------

export interface EndpointsMatchers {
  readyCount?: Comparator;
  notReadyCount?: Comparator;
  ready?: string[];
  notReady?: string[];
}

/** An address's name in messages and matchers: its pod, or its IP when it points outside the cluster. */
function addressName(a: any): string {
  return a?.targetRef?.kind === 'Pod' && a.targetRef.name ? a.targetRef.name : String(a?.ip);
}

export function endpointAddresses(ep: KubeObject | undefined): { ready: string[]; notReady: string[] } {
  const ready = new Set<string>(), notReady = new Set<string>();
  for (const s of ((ep as any)?.subsets ?? []) as any[]) {
    for (const a of s.addresses ?? []) ready.add(addressName(a));
    for (const a of s.notReadyAddresses ?? []) notReady.add(addressName(a));
  }
  return { ready: [...ready].sort(), notReady: [...notReady].filter((n) => !ready.has(n)).sort() };
}

export class EndpointsSubject implements Subject {
  readonly describe: string;
  readonly kinds = ['Endpoints'];

  constructor(
    readonly name: string,
    readonly namespace: string,
    readonly m: EndpointsMatchers,
  ) {
    this.describe = `endpoints ${name}${namespace !== 'default' ? ` -n ${namespace}` : ''}`;
  }

  evaluate({ api }: EvalContext): Outcome {
    const ep = api.get('Endpoints', this.namespace, this.name);
    const { ready, notReady } = endpointAddresses(ep);
    const problems: string[] = [];
    if (this.m.readyCount && !this.m.readyCount.test(ready.length)) problems.push(`readyCount: expected ${this.m.readyCount.describe()}, got ${ready.length}`);
    if (this.m.notReadyCount && !this.m.notReadyCount.test(notReady.length)) problems.push(`notReadyCount: expected ${this.m.notReadyCount.describe()}, got ${notReady.length}`);
    const same = (want: string[], got: string[]) => JSON.stringify([...want].sort()) === JSON.stringify(got);
    if (this.m.ready && !same(this.m.ready, ready)) problems.push(`ready: expected [${[...this.m.ready].sort().join(', ')}], got [${ready.join(', ')}]`);
    if (this.m.notReady && !same(this.m.notReady, notReady)) problems.push(`notReady: expected [${[...this.m.notReady].sort().join(', ')}], got [${notReady.join(', ')}]`);
    const involved = ep ? { kind: 'Endpoints', objects: [ep] } : undefined;
    if (problems.length === 0) return { ok: true, ...(involved ? { involved } : {}) };
    const nearMiss = ep
      ? `endpoints ${this.name}: ready [${ready.join(', ')}], not ready [${notReady.join(', ')}]`
      : `there is no Endpoints object ${this.namespace}/${this.name} (no Service with a selector of that name, or not reconciled yet)`;
    return { ok: false, message: problems[0], mismatches: problems, nearMiss, ...(involved ? { involved } : {}) };
  }
}

export function compileEndpointsExpectation(e: any, report: Report): Subject | undefined {
  const ref = typeof e.endpoints === 'string' ? { name: e.endpoints } : e.endpoints ?? {};
  if (!ref.name) {
    report(['endpoints'], '`endpoints:` names a Service', 'write `endpoints: web` or `endpoints: {name: web, namespace: prod}`');
    return undefined;
  }
  const hint = 'use readyCount/notReadyCount for numbers, ready/notReady for the exact pod names';
  const m: EndpointsMatchers = {
    readyCount: comparator(report, 'readyCount', e.readyCount),
    notReadyCount: comparator(report, 'notReadyCount', e.notReadyCount),
    ready: nameList(report, 'ready', e.ready, hint),
    notReady: nameList(report, 'notReady', e.notReady, hint),
  };
  if (Object.values(m).every((v) => v === undefined)) {
    report(['endpoints'], 'an `endpoints:` expectation needs at least one matcher', 'add readyCount, notReadyCount, ready or notReady');
    return undefined;
  }
  return new EndpointsSubject(String(ref.name), String(ref.namespace ?? 'default'), m);
}

// ---- dns ---------------------------------------------------------------------------------------

export interface DnsMatchers {
  count?: Comparator;
  include?: string[];
  exact?: string[];
  rcode?: string;
}

/** answers compare without trailing dots: `web.default.svc.cluster.local` = `web.default.svc.cluster.local.` */
function norm(v: string): string {
  return v.trim().split(/\s+/).map((t) => t.replace(/\.$/, '').toLowerCase()).join(' ');
}

export class DnsSubject implements Subject {
  readonly describe: string;
  readonly kinds = ['Service', 'EndpointSlice', 'Pod', 'Namespace'];

  constructor(
    readonly query: string,
    readonly type: DnsType,
    readonly from: { name: string; namespace: string } | undefined,
    readonly m: DnsMatchers,
  ) {
    this.describe = `dns ${type} ${query}${from ? ` from pod/${from.name}${from.namespace !== 'default' ? ` -n ${from.namespace}` : ''}` : ''}`;
  }

  evaluate({ api }: EvalContext): Outcome {
    let pod: KubeObject | undefined;
    if (this.from) {
      pod = api.get('Pod', this.from.namespace, this.from.name);
      if (!pod) return { ok: false, message: `pods "${this.from.name}" not found: the query is made from inside that pod` };
    }
    const r = resolve(api, this.query, this.type, pod);
    const got = r.answers.map((a) => norm(a.data));
    const problems: string[] = [];
    if (this.m.rcode && r.rcode !== this.m.rcode) problems.push(`rcode: expected ${this.m.rcode}, got ${r.rcode}`);
    if (this.m.count && !this.m.count.test(got.length)) problems.push(`answers.count: expected ${this.m.count.describe()}, got ${got.length}`);
    for (const want of this.m.include ?? []) if (!got.includes(norm(want))) problems.push(`answers.include: expected ${want} among the answers, got [${got.join(', ')}]`);
    if (this.m.exact) {
      const want = this.m.exact.map(norm).sort();
      if (JSON.stringify(want) !== JSON.stringify([...got].sort())) problems.push(`answers.exact: expected [${want.join(', ')}], got [${[...got].sort().join(', ')}]`);
    }
    if (problems.length === 0) return { ok: true };
    return { ok: false, message: problems[0], mismatches: problems, nearMiss: `${r.rcode} for ${r.name}; names tried: ${r.tried.join(' ')}` };
  }
}

const FROM_RE = /^\s*pods?\/([a-z0-9.-]+)(?:\s+(?:-n|--namespace)[=\s]\s*([a-z0-9-]+))?\s*$/;

export function compileDnsExpectation(e: any, report: Report): Subject | undefined {
  const d = e.dns ?? {};
  let from: { name: string; namespace: string } | undefined;
  if (d.from !== undefined) {
    const m = FROM_RE.exec(String(d.from));
    if (!m) {
      report(['dns', 'from'], `"${d.from}" is not a pod reference`, 'write `from: pod/client` (or `pod/client -n other` for another namespace)');
      return undefined;
    }
    from = { name: m[1], namespace: m[2] ?? 'default' };
  }
  const a = e.answers ?? {};
  const m: DnsMatchers = {
    count: comparator(report, 'answers', a.count),
    include: a.include?.map(String),
    exact: a.exact?.map(String),
    rcode: e.rcode,
  };
  if (Object.values(m).every((v) => v === undefined)) {
    report(['dns'], 'a `dns:` expectation needs a matcher', 'add `answers: {include: [...]}`, `answers: {count: N}` or `rcode: NXDOMAIN`');
    return undefined;
  }
  return new DnsSubject(String(d.query), (d.type ?? 'A') as DnsType, from, m);
}
