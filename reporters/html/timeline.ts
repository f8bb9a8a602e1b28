// From a scenario's result and trace to what the html timeline draws: a lane per pod with its
// state over virtual time, endpoint membership per Service, requests, and vertical markers for
// steps, faults and failed expectations. Pure data, no markup, so it is tested on its own.

import type { TraceRecord } from '../../src/engine/trace.js';
import type { ScenarioResult } from '../../src/result.js';

export type PodState = 'Pending' | 'Running' | 'Ready' | 'Terminating' | 'Succeeded' | 'Failed' | 'Unknown';
export type MemberState = 'ready' | 'notready' | 'terminating';

export interface Segment<S extends string> {
  /** virtual ms, inclusive */
  from: number;
  /** virtual ms, exclusive */
  to: number;
  state: S;
  /** extra facts for the tooltip, e.g. "node=node-1" */
  detail: string;
}

export interface PodLane {
  namespace: string;
  name: string;
  /** position in first-seen order; picks the pod's colour */
  index: number;
  segments: Segment<PodState>[];
}

export interface ServiceLane {
  namespace: string;
  name: string;
  members: { pod: string; segments: Segment<MemberState>[] }[];
}

export interface RequestMark {
  t: number;
  /** the pod that served it, when one did */
  servedBy?: string;
  ok: boolean;
  /** tooltip text */
  text: string;
}

export interface Marker {
  t: number;
  kind: 'step' | 'fault' | 'failure';
  /** short label drawn on the chart: "1", "⚡2", "✗" */
  label: string;
  /** full text for the tooltip and the legend */
  text: string;
  failed: boolean;
  /** for a failure: when the condition stopped holding, if earlier than the verdict (ms) */
  from?: number;
  /** for a step: its index in the scenario's steps */
  step?: number;
  /** where clicking the marker leads (the step's entry, with its kubectl view) */
  href?: string;
}

export interface Timeline {
  /** the end of the time axis (virtual ms) */
  end: number;
  /** whether the result carried a trace at all (lanes need it; markers do not) */
  traced: boolean;
  pods: PodLane[];
  /** pods beyond the lane limit, counted rather than drawn */
  omittedPods: number;
  services: ServiceLane[];
  requests: RequestMark[];
  /** requests beyond the mark limit, counted rather than drawn */
  omittedRequests: number;
  markers: Marker[];
}

export interface TimelineLimits {
  /** @default 200 */
  maxPods?: number;
  /** @default 5000 */
  maxRequests?: number;
}

/** Pod state from the trace summary written by src/api/server.ts summarize: "<phase> [node=x] [ready] [terminating]". */
export function podState(summary: string | undefined): { state: PodState; detail: string } {
  if (summary === undefined || summary === '') return { state: 'Unknown', detail: '' };
  const tokens = summary.split(' ');
  const phase = tokens[0];
  const detail = tokens.filter((t) => t.includes('=')).join(' ');
  // As kubectl shows it: a pod being deleted is Terminating whatever its phase.
  if (tokens.includes('terminating')) return { state: 'Terminating', detail };
  if (phase === 'Running') return { state: tokens.includes('ready') ? 'Ready' : 'Running', detail };
  if (phase === 'Pending' || phase === 'Succeeded' || phase === 'Failed') return { state: phase, detail };
  return { state: 'Unknown', detail };
}

/** Parses the summary written by src/api/endpointsSummary.ts summarizeEndpoints. */
export function parseEndpointsSummary(summary: string | undefined): { service: string; ready: string[]; notready: string[]; terminating: string[] } | undefined {
  if (summary === undefined) return undefined;
  const out = { service: '', ready: [] as string[], notready: [] as string[], terminating: [] as string[] };
  for (const part of summary.split(' ')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'service') out.service = value;
    else if (key === 'ready' || key === 'notready' || key === 'terminating') out[key] = value.split(',').filter(Boolean);
  }
  return out.service === '' ? undefined : out;
}

/** Open segments per key, closed when the state changes or the object goes away. */
class Lanes<S extends string> {
  readonly closed = new Map<string, Segment<S>[]>();
  private readonly open = new Map<string, Segment<S>>();

  set(key: string, t: number, state: S, detail: string): void {
    const cur = this.open.get(key);
    if (cur !== undefined && cur.state === state && cur.detail === detail) return;
    this.close(key, t);
    this.open.set(key, { from: t, to: t, state, detail });
    if (!this.closed.has(key)) this.closed.set(key, []);
  }

  close(key: string, t: number): void {
    const cur = this.open.get(key);
    if (cur === undefined) return;
    this.open.delete(key);
    cur.to = t;
    // a state that lasted no virtual time is not drawable and not interesting
    if (cur.to > cur.from) this.closed.get(key)!.push(cur);
  }

  closeAll(t: number): void {
    for (const key of [...this.open.keys()]) this.close(key, t);
  }
}

type Loose = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * A `request` trace record, read defensively: the traffic model writes them, and its exact field
 * names are its own. Accepts servedBy/pod/backend for the serving pod and outcome/status.
 */
function requestMark(r: Loose): RequestMark {
  const servedBy = str(r.servedBy) ?? str(r.pod) ?? str(r.backend);
  const outcome = str(r.outcome) ?? str(r.status) ?? 'ok';
  const ok = outcome === 'ok' || /^[23]\d\d$/.test(outcome);
  const parts = [str(r.client) !== undefined ? `${str(r.client)} →` : undefined, str(r.url) ?? str(r.target), servedBy !== undefined ? `served by ${servedBy}` : undefined, outcome];
  return { t: Number(r.t), ...(servedBy !== undefined ? { servedBy } : {}), ok, text: parts.filter((p) => p !== undefined).join(' ') };
}

export function buildTimeline(r: ScenarioResult, limits: TimelineLimits = {}): Timeline {
  const maxPods = limits.maxPods ?? 200;
  const maxRequests = limits.maxRequests ?? 5000;
  const trace: TraceRecord[] = r.trace ?? [];
  const last = trace.length > 0 ? trace[trace.length - 1].t : 0;
  const stepEnd = Math.max(0, ...r.steps.map((s) => s.at ?? 0), ...r.expectations.map((e) => e.decidedAt));
  const end = Math.max(r.duration, last, stepEnd);

  const pods = new Lanes<PodState>();
  const podOrder: { namespace: string; name: string; key: string }[] = [];
  const useSlices = trace.some((x) => x.type === 'object' && x.kind === 'EndpointSlice');
  const members = new Lanes<MemberState>();
  // per Service: each slice's latest membership, unioned into the Service's
  const slices = new Map<string, Map<string, ReturnType<typeof parseEndpointsSummary>>>();
  const serviceOrder: { namespace: string; name: string; key: string; pods: string[] }[] = [];
  const requests: RequestMark[] = [];
  let omittedRequests = 0;

  for (const rec of trace) {
    if ((rec as { type: string }).type === 'request') {
      if (requests.length < maxRequests) requests.push(requestMark(rec as unknown as Loose));
      else omittedRequests++;
      continue;
    }
    if (rec.type !== 'object') continue;
    const ns = rec.namespace ?? '';
    if (rec.kind === 'Pod') {
      const key = `${ns}/${rec.name}`;
      if (!pods.closed.has(key) && rec.op !== 'deleted') podOrder.push({ namespace: ns, name: rec.name, key });
      if (rec.op === 'deleted') pods.close(key, rec.t);
      else {
        const s = podState(rec.summary);
        pods.set(key, rec.t, s.state, s.detail);
      }
      continue;
    }
    if (rec.kind === (useSlices ? 'EndpointSlice' : 'Endpoints')) {
      const parsed = parseEndpointsSummary(rec.summary);
      const service = parsed?.service ?? (rec.kind === 'Endpoints' ? rec.name : undefined);
      if (service === undefined) continue;
      const svcKey = `${ns}/${service}`;
      let perSlice = slices.get(svcKey);
      if (perSlice === undefined) {
        slices.set(svcKey, (perSlice = new Map()));
        serviceOrder.push({ namespace: ns, name: service, key: svcKey, pods: [] });
      }
      if (rec.op === 'deleted' || parsed === undefined) perSlice.delete(rec.name);
      else perSlice.set(rec.name, parsed);
      const union = new Map<string, MemberState>();
      for (const m of perSlice.values()) {
        if (m === undefined) continue;
        for (const p of m.notready) if (!union.has(p)) union.set(p, 'notready');
        for (const p of m.terminating) if (union.get(p) !== 'ready') union.set(p, 'terminating');
        for (const p of m.ready) union.set(p, 'ready');
      }
      const svc = serviceOrder.find((s) => s.key === svcKey)!;
      for (const p of svc.pods) if (!union.has(p)) members.close(`${svcKey}\u0000${p}`, rec.t);
      for (const [p, state] of union) {
        if (!svc.pods.includes(p)) svc.pods.push(p);
        members.set(`${svcKey}\u0000${p}`, rec.t, state, '');
      }
    }
  }
  pods.closeAll(end);
  members.closeAll(end);

  const podLanes: PodLane[] = podOrder.slice(0, maxPods).map((p, index) => ({ namespace: p.namespace, name: p.name, index, segments: pods.closed.get(p.key) ?? [] }));
  const services: ServiceLane[] = serviceOrder.map((s) => ({
    namespace: s.namespace,
    name: s.name,
    members: s.pods.map((pod) => ({ pod, segments: members.closed.get(`${s.key}\u0000${pod}`) ?? [] })).filter((m) => m.segments.length > 0),
  }));

  const markers: Marker[] = [];
  for (const s of r.steps) {
    if (s.at === undefined) continue;
    const fault = /^fault\b/i.test(s.action);
    const n = String(s.index + 1);
    const name = s.name !== undefined ? ` "${s.name}"` : '';
    markers.push({
      t: s.at,
      kind: fault ? 'fault' : 'step',
      label: fault ? `⚡${n}` : n,
      text: `step ${n}${name}: ${s.action}${s.outcome === 'error' ? ` (failed: ${s.message?.split('\n')[0] ?? 'error'})` : ''}`,
      failed: s.outcome === 'error',
      step: s.index,
    });
  }
  for (const e of r.expectations) {
    if (e.status !== 'failed' || r.status === 'todo') continue;
    const from = e.becameFalseAt !== undefined && e.becameFalseAt < e.decidedAt ? { from: e.becameFalseAt } : {};
    markers.push({ t: e.decidedAt, kind: 'failure', label: '✗', text: `✗ ${e.name}: ${e.message ?? e.mismatches?.[0] ?? 'failed'}`, failed: true, ...from });
  }
  return { end, traced: r.trace !== undefined, pods: podLanes, omittedPods: Math.max(0, podOrder.length - maxPods), services, requests, omittedRequests, markers };
}
