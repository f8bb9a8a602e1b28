// The `traffic:` expectation subject (DESIGN §3.2): the requests of a step and/or a client, as
// recorded so far. Traffic properties (outcome, status, sourceIP) must hold for every request;
// servedBy.distinct counts distinct serving pods; successRate is ok requests / all requests;
// distribution.maxSkew is the largest difference of request counts between serving pods.

import type { Comparator } from '../../expect/compare.js';
import type { EvalContext, Outcome, Subject } from '../../expect/subjects.js';
import type { KubeObject } from '../../api/types.js';
import { trafficLog } from '../traffic.js';
import type { Requests } from '../request_log.js';

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
    const log = trafficLog(api);
    if (this.cache && this.cache.n === log.length) return this.cache.outcome;
    // the requests of the step and/or client, by index in the log (read field by field: the log
    // keeps no record objects)
    const reqs: number[] = [];
    for (let i = 0; i < log.length; i++) {
      if ((this.step === undefined || log.step(i) === this.step) && (this.client === undefined || log.client(i) === this.client)) reqs.push(i);
    }
    const outcome = this.check(log, reqs, nodeIPs(api.list('Node')));
    this.cache = { n: log.length, outcome };
    return outcome;
  }

  private check(log: Requests, reqs: number[], nodes: Set<string>): Outcome {
    const m = this.m;
    const problems: string[] = [];
    const perPod = new Map<string, number>();
    for (const i of reqs) {
      const pod = log.pod(i);
      if (pod && log.sourceIP(i) !== undefined) perPod.set(pod, (perPod.get(pod) ?? 0) + 1);
    }
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
        let ok = 0;
        for (const i of reqs) if (log.outcome(i) === 'ok') ok++;
        const rate = ok / reqs.length;
        if (!m.successRate.test(rate)) problems.push(`successRate: expected ${m.successRate.describe()}, got ${round(rate)}`);
      }
      const every = (field: string, cmp: Comparator, get: (i: number) => unknown) => {
        const bad = reqs.filter((i) => !cmp.test(get(i)));
        if (bad.length) {
          const b = bad[0], reason = log.reason(b);
          problems.push(`${field}: expected ${cmp.describe()} for every request, ${bad.length} of ${reqs.length} differ (first: #${log.seq(b)} at ${log.t(b)}ms ${JSON.stringify(get(b) ?? null)}${reason ? `: ${reason}` : ''})`);
        }
      };
      if (m.outcome) every('outcome', m.outcome, (i) => log.outcome(i));
      if (m.status) every('status', m.status, (i) => log.status(i));
      if (m.sourceIP) {
        const reached = reqs.filter((i) => log.sourceIP(i) !== undefined);
        const sip = m.sourceIP;
        const bad = reached.filter((i) => {
          const ip = log.sourceIP(i)!;
          return sip === 'client' ? ip !== log.clientIP(i) : sip === 'node' ? !nodes.has(ip) : !sip.test(ip);
        });
        const want = sip === 'client' ? "the client's IP" : sip === 'node' ? 'a node IP' : sip.describe();
        if (reached.length === 0) problems.push('sourceIP: no request reached a pod');
        else if (bad.length) problems.push(`sourceIP: expected ${want} for every request, ${bad.length} of ${reached.length} differ (first: #${log.seq(bad[0])} from ${log.clientIP(bad[0])} seen as ${log.sourceIP(bad[0])})`);
      }
    }
    if (problems.length === 0) return { ok: true };
    return { ok: false, message: problems[0], mismatches: problems, nearMiss: summarize(log, reqs, perPod) };
  }
}

/** "10 requests: ok 7, refused 3; served by web-a 4, web-b 3" (reqs: indexes in the log) */
export function summarize(log: Requests, reqs: readonly number[], perPod: Map<string, number>): string {
  const outcomes = new Map<string, number>();
  for (const i of reqs) {
    const o = log.outcome(i);
    outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
  }
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
