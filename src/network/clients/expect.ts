// The `traffic:` expectation subject (DESIGN §3.2): the requests of a step and/or a client, as
// recorded so far. Traffic properties (outcome, status, sourceIP) must hold for every request;
// servedBy.distinct counts distinct serving pods; successRate is ok requests / all requests;
// distribution.maxSkew is the largest difference of request counts between serving pods.

import type { Comparator } from '../../expect/compare.js';
import type { EvalContext, Outcome, Subject } from '../../expect/subjects.js';
import type { KubeObject } from '../../api/types.js';
import { trafficLog, type RequestRecord } from '../traffic.js';

export interface TrafficMatchers {
  count?: Comparator;
  distinct?: Comparator;
  pods?: string[];
  outcome?: Comparator;
  status?: Comparator;
  successRate?: Comparator;
  maxSkew?: Comparator;
  /** 'client' | 'node' | a comparator on the IP */
  sourceIP?: 'client' | 'node' | Comparator;
}

export class TrafficSubject implements Subject {
  readonly describe: string;
  readonly kinds = 'all' as const;
  private cache?: { n: number; outcome: Outcome };

  constructor(
    readonly step: string | undefined,
    readonly client: string | undefined,
    readonly m: TrafficMatchers,
  ) {
    this.describe = `traffic${step ? ` of step ${step}` : ''}${client ? ` from ${client}` : ''}`;
  }

  evaluate({ api }: EvalContext): Outcome {
    const all = trafficLog(api);
    if (this.cache && this.cache.n === all.length) return this.cache.outcome;
    const reqs = all.filter((r) => (this.step === undefined || r.step === this.step) && (this.client === undefined || r.client === this.client));
    const outcome = this.check(reqs, nodeIPs(api.list('Node')));
    this.cache = { n: all.length, outcome };
    return outcome;
  }

  private check(reqs: RequestRecord[], nodes: Set<string>): Outcome {
    const m = this.m;
    const problems: string[] = [];
    const perPod = new Map<string, number>();
    for (const r of reqs) if (r.pod && r.sourceIP !== undefined) perPod.set(r.pod, (perPod.get(r.pod) ?? 0) + 1);
    const pods = [...perPod.keys()].sort();
    if (m.count && !m.count.test(reqs.length)) problems.push(`count: expected ${m.count.describe()} requests, got ${reqs.length}`);
    if ((m.outcome || m.status || m.successRate || m.sourceIP || m.distinct || m.pods || m.maxSkew) && reqs.length === 0) {
      problems.push('no request recorded yet');
    } else {
      if (m.distinct && !m.distinct.test(pods.length)) problems.push(`servedBy.distinct: expected ${m.distinct.describe()}, got ${pods.length}`);
      if (m.pods) {
        const want = [...m.pods].sort();
        if (JSON.stringify(want) !== JSON.stringify(pods)) problems.push(`servedBy.pods: expected [${want.join(', ')}], got [${pods.join(', ')}]`);
      }
      if (m.maxSkew) {
        const counts = [...perPod.values()];
        const skew = counts.length ? Math.max(...counts) - Math.min(...counts) : 0;
        if (!m.maxSkew.test(skew)) problems.push(`distribution.maxSkew: expected ${m.maxSkew.describe()}, got ${skew}`);
      }
      if (m.successRate) {
        const rate = reqs.filter((r) => r.outcome === 'ok').length / reqs.length;
        if (!m.successRate.test(rate)) problems.push(`successRate: expected ${m.successRate.describe()}, got ${round(rate)}`);
      }
      const every = (field: string, cmp: Comparator, get: (r: RequestRecord) => unknown) => {
        const bad = reqs.filter((r) => !cmp.test(get(r)));
        if (bad.length) problems.push(`${field}: expected ${cmp.describe()} for every request, ${bad.length} of ${reqs.length} differ (first: #${bad[0].seq} at ${bad[0].t}ms ${JSON.stringify(get(bad[0]) ?? null)}${bad[0].reason ? `: ${bad[0].reason}` : ''})`);
      };
      if (m.outcome) every('outcome', m.outcome, (r) => r.outcome);
      if (m.status) every('status', m.status, (r) => r.status);
      if (m.sourceIP) {
        const reached = reqs.filter((r) => r.sourceIP !== undefined);
        const sip = m.sourceIP;
        const bad = reached.filter((r) => (sip === 'client' ? r.sourceIP !== r.clientIP : sip === 'node' ? !nodes.has(r.sourceIP!) : !sip.test(r.sourceIP)));
        const want = sip === 'client' ? "the client's IP" : sip === 'node' ? 'a node IP' : sip.describe();
        if (reached.length === 0) problems.push('sourceIP: no request reached a pod');
        else if (bad.length) problems.push(`sourceIP: expected ${want} for every request, ${bad.length} of ${reached.length} differ (first: #${bad[0].seq} from ${bad[0].clientIP} seen as ${bad[0].sourceIP})`);
      }
    }
    if (problems.length === 0) return { ok: true };
    return { ok: false, message: problems[0], mismatches: problems, nearMiss: summarize(reqs, perPod) };
  }
}

/** "10 requests: ok 7, refused 3; served by web-a 4, web-b 3" */
export function summarize(reqs: readonly RequestRecord[], perPod: Map<string, number>): string {
  const outcomes = new Map<string, number>();
  for (const r of reqs) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
  const o = [...outcomes].sort().map(([k, v]) => `${k} ${v}`).join(', ');
  const p = [...perPod].sort().map(([k, v]) => `${k} ${v}`).join(', ');
  return `${reqs.length} request${reqs.length === 1 ? '' : 's'}${o ? `: ${o}` : ''}${p ? `; served by ${p}` : ''}`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function nodeIPs(nodes: KubeObject[]): Set<string> {
  const s = new Set<string>();
  for (const n of nodes) for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP') s.add(a.address);
  return s;
}
