// The fault vocabulary of `fuzz:` (DESIGN §3.3), as a table that grows with the simulator: each
// kind compiles its budget and options, gives a fast-check arbitrary for one occurrence's
// parameters, and resolves an occurrence — when the run reaches it — into an ordinary scenario
// step (the same raw YAML a person would write, compiled by the same code). That resolved step is
// what a counterexample file replays, so a fuzz run and its counterexample run the same actions.
//
// latencyJitter is the one kind that is not a step: it re-draws component latencies for a run.

import fc from 'fast-check';
import type { Cluster } from '../engine/cluster.js';
import type { Timing } from '../engine/cluster.js';
import type { LatencyRange } from '../engine/component.js';
import type { StepAction } from '../scenario/model.js';
import { parseKubectl, KubectlParseError } from '../kubectl/parse.js';
import { resolveResource } from '../kubectl/resources.js';
import { parseSelector, selectorFromSet } from '../api/labels.js';
import { compileKubeletStep, type StepCompiler } from '../kubelet/steps.js';
import { compileNodeFault } from '../engine/node_faults.js';
import { formatDuration, parseDuration, parseDurationRange } from '../util/duration.js';
import type { KubeObject } from '../api/types.js';
import type { Action } from '../kubectl/types.js';
import { DEFAULT_TIMEOUT_MS, parseUrl, type ClientSpec } from '../network/traffic.js';

export type Path = (string | number)[];

/** What compile.ts's Compiler offers (structural, so this module does not import it). */
export interface FuzzCompiler extends StepCompiler {
  pos(p: Path): { file: string; line: number; col: number };
}

/** One occurrence's parameters: small integers, so fast-check shrinks them toward the first choice. */
export type FaultParams = Record<string, number>;

/** An occurrence resolved against the cluster: the raw scenario step (without `at`) and its action. */
export interface ResolvedFault {
  step: Record<string, unknown>;
  description: string;
  action: StepAction;
  /** `clients:` entries the step needs that the scenario does not declare (a burst's new client) */
  declares?: { clients?: Record<string, unknown>[] };
}

export interface StepFault {
  kind: string;
  /** the budget: at most this many occurrences per run */
  max: number;
  params: fc.Arbitrary<FaultParams>;
  /** a string: nothing to do at this instant (no pod matches), the occurrence is skipped */
  resolve(params: FaultParams, cluster: Cluster): ResolvedFault | string;
}

export interface FaultKindDef {
  name: string;
  summary: string;
  /** a plain object of options, e.g. {max: 2, selector: app=web} */
  compile(c: FuzzCompiler, raw: any, p: Path, ctx: FaultContext): StepFault | undefined;
}

/** What the scenario declares, for the kinds that act on declared things. */
export interface FaultContext {
  nodes: string[];
  /** the scenario's manifests (ConfigMaps a configMapEdit edits) */
  objects?: readonly KubeObject[];
  /** the scenario's `clients:` by name (a clientBurst's senders) */
  clients?: ReadonlyMap<string, ClientSpec>;
}

// ---- helpers -------------------------------------------------------------------------------

function budget(c: FuzzCompiler, raw: any, p: Path, fallback = 1): number {
  const max = raw?.max ?? fallback;
  if (!Number.isInteger(max) || max < 0) {
    c.error([...p, 'max'], `\`max\` is how many times the fault may happen in one run, got ${JSON.stringify(max)}`, 'use a whole number, e.g. max: 2');
    return 0;
  }
  return max;
}

function selectorOf(c: FuzzCompiler, p: Path, text: unknown): string | undefined {
  const sel = text === undefined ? '' : String(text);
  try {
    parseSelector(sel.trim() === '' ? 'x' : sel);
  } catch (e) {
    c.error(p, (e as Error).message, 'selectors are written like app=web,tier!=db');
    return undefined;
  }
  return sel;
}

/** Live pods (not terminating) of a selector, by name: the occurrence picks one by index. */
function livePods(cluster: Cluster, namespace: string, selector: string, running = false): KubeObject[] {
  const sel = selector.trim() ? parseSelector(selector) : selectorFromSet({});
  return cluster.api
    .list('Pod', namespace, sel)
    .filter((p) => !p.metadata.deletionTimestamp && (!running || (p.spec?.nodeName && p.status?.phase === 'Running')));
}

/** A duration range option ("5s..30s") as [min, max] ms, drawn at 100 ms resolution. */
function rangeParam(c: FuzzCompiler, p: Path, v: unknown, fallback: string): LatencyRange {
  return c.range(p, v ?? fallback, parseDurationRange(fallback));
}

function drawIn(r: LatencyRange, step: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: Math.floor((r.max - r.min) / step) }).map((k) => r.min + k * step);
}

/** A compiler for steps resolved at run time: the scenario was checked at load, so errors are bugs. */
const runtimeCompiler: StepCompiler = {
  error(p, message) {
    throw new Error(`fuzz: a generated step did not compile at ${p.join('.')}: ${message}`);
  },
  duration: (_p, v, fallback) => (v === undefined || v === null ? fallback : parseDuration(String(v))),
  range: (_p, v, fallback) => (v === undefined || v === null ? fallback : parseDurationRange(String(v))),
};

function kubectlStep(line: string): ResolvedFault {
  const action = { ...parseKubectl(line), commandLine: line } as Action;
  return { step: { kubectl: line }, description: `kubectl ${line}`, action: { type: 'action', action, objects: [] } };
}

/** Whether the kubelet helper's compiler accepts a fault kind yet (node faults come later). */
function kubeletFaultAccepted(c: FuzzCompiler, p: Path, kind: string, sample: any): boolean {
  let unsupported: string | undefined;
  const probe: StepCompiler = {
    error: (_q, message, _hint, code) => {
      if (code === 'scenario.unsupported') unsupported = message;
    },
    duration: (_q, v, fallback) => (v === undefined ? fallback : parseDuration(String(v))),
    range: (_q, v, fallback) => (v === undefined ? fallback : parseDurationRange(String(v))),
  };
  compileKubeletStep(probe, { fault: { [kind]: sample } }, []);
  if (unsupported) c.error(p, `the fault ${kind} cannot be fuzzed yet: ${unsupported.replace(/^`fault: \w+` /, '')}`, 'remove it from fuzz.faults until the simulator models it', 'scenario.unsupported');
  return !unsupported;
}

// ---- the kinds -----------------------------------------------------------------------------

const deletePod: FaultKindDef = {
  name: 'deletePod',
  summary: 'delete one live pod of the selector (kubectl delete pod <name> --wait=false)',
  compile(c, raw, p) {
    const selector = selectorOf(c, [...p, 'selector'], raw?.selector);
    if (selector === undefined) return undefined;
    const namespace = raw?.namespace !== undefined ? String(raw.namespace) : undefined;
    const grace = raw?.gracePeriod !== undefined ? c.duration([...p, 'gracePeriod'], raw.gracePeriod) : undefined;
    return {
      kind: 'deletePod',
      max: budget(c, raw, p),
      params: fc.record({ pick: fc.nat(63) }),
      resolve(params, cluster) {
        const pods = livePods(cluster, namespace ?? 'default', selector);
        if (!pods.length) return `no live pod matches ${selector || '(all)'} in namespace ${namespace ?? 'default'}`;
        const pick = params.pick % pods.length;
        const gracePeriodSeconds = grace !== undefined ? Math.floor(grace / 1000) : undefined;
        // written as "the pick-th live pod of the selector", not by its generated name, so the
        // counterexample still deletes one pod of the set after a fix changes the pod template
        const step = { delete: { kind: 'pod', selector, pick, wait: false, ...(namespace ? { namespace } : {}), ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}) } };
        const action: Action = { verb: 'delete', target: { kind: 'Pod', names: [], namespace, selector }, cascade: 'background', gracePeriodSeconds, wait: false, ignoreNotFound: true, pick };
        return { step, description: `delete pod ${pods[pick].metadata.name} (live pod ${pick} of ${selector || '(all)'})`, action: { type: 'action', action, objects: [] } };
      },
    };
  },
};

/** kubectl forms that would hold the timeline (a waiting delete, rollout status) or need files. */
function unfitKubectl(a: Action): string | undefined {
  if (a.verb === 'apply' || a.verb === 'create' || (a.verb === 'delete' && a.files?.length)) return 'commands with -f files are not drawn by the fuzzer; use `set image`, `scale`, `patch` or `label`';
  if (a.verb === 'delete' && a.wait) return 'a delete waits for the objects to be gone and would hold the timeline; add --wait=false';
  if (a.verb === 'rollout' && a.subcommand === 'status') return '`rollout status` waits and would hold the timeline';
  return undefined;
}

const kubectl: FaultKindDef = {
  name: 'kubectl',
  summary: 'one kubectl command drawn from a list (scaling, image updates, patches, rollout undo/restart...)',
  compile(c, raw, p) {
    const actions: unknown[] = Array.isArray(raw?.actions) ? raw.actions : [];
    if (!actions.length) {
      c.error([...p, 'actions'], 'the kubectl fault needs `actions`: the command lines to draw from', 'e.g. actions: ["scale deployment web --replicas=5", "set image deployment/web web=nginx:1.27"]');
      return undefined;
    }
    const lines: string[] = [];
    actions.forEach((a, i) => {
      const line = String(a).replace(/^kubectl\s+/, '');
      try {
        const unfit = unfitKubectl(parseKubectl(line));
        if (unfit) c.error([...p, 'actions', i], unfit);
        else lines.push(line);
      } catch (e) {
        if (e instanceof KubectlParseError) c.error([...p, 'actions', i], e.message, e.hint, 'step.kubectl');
        else throw e;
      }
    });
    if (!lines.length) return undefined;
    return {
      kind: 'kubectl',
      max: budget(c, raw, p),
      params: fc.record({ action: fc.nat(lines.length - 1) }),
      resolve: (params) => kubectlStep(lines[params.action]),
    };
  },
};

const scale: FaultKindDef = {
  name: 'scale',
  summary: 'kubectl scale <target> --replicas=<n within a range>',
  compile(c, raw, p) {
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(String(raw?.target ?? ''));
    const kind = m ? resolveResource(m[1])?.kind : undefined;
    if (!m || !kind) {
      c.error([...p, 'target'], `\`target\` names what to scale as kind/name, got ${JSON.stringify(raw?.target)}`, 'e.g. target: deployment/web');
      return undefined;
    }
    const rm = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(String(raw?.replicas ?? ''));
    if (!rm || (rm[2] !== undefined && Number(rm[2]) < Number(rm[1]))) {
      c.error([...p, 'replicas'], `\`replicas\` is a number or a range "min..max", got ${JSON.stringify(raw?.replicas)}`, 'e.g. replicas: 1..5');
      return undefined;
    }
    const min = Number(rm[1]);
    const max = rm[2] !== undefined ? Number(rm[2]) : min;
    const word = m[1];
    const name = m[2];
    const ns = raw?.namespace ? ` -n ${raw.namespace}` : '';
    return {
      kind: 'scale',
      max: budget(c, raw, p),
      params: fc.record({ replicas: fc.integer({ min, max }) }),
      resolve: (params) => kubectlStep(`scale ${word}/${name}${ns} --replicas=${params.replicas}`),
    };
  },
};

/** Pod faults of the kubelet (src/kubelet/steps.ts), generated as `fault:` steps on one live pod. */
function podFault(name: string, summary: string, lasting: boolean): FaultKindDef {
  return {
    name,
    summary,
    compile(c, raw, p) {
      if (!kubeletFaultAccepted(c, p, name, { pod: 'x', for: '1s' })) return undefined;
      const selector = selectorOf(c, [...p, 'selector'], raw?.selector);
      if (selector === undefined) return undefined;
      const namespace = String(raw?.namespace ?? 'default');
      const forRange = lasting ? rangeParam(c, [...p, 'for'], raw?.for, '10s') : undefined;
      const exitCode = raw?.exitCode;
      return {
        kind: name,
        max: budget(c, raw, p),
        params: fc.record({ pick: fc.nat(63), forMs: forRange ? drawIn(forRange, 100) : fc.constant(0) }),
        resolve(params, cluster) {
          const pods = livePods(cluster, namespace, selector, true);
          if (!pods.length) return `no running pod matches ${selector || '(all)'} in namespace ${namespace}`;
          const pod = pods[params.pick % pods.length];
          const target: Record<string, unknown> = { pod: pod.metadata.name };
          if (namespace !== 'default') target.namespace = namespace;
          if (raw?.container) target.container = raw.container;
          if (forRange) target.for = formatDuration(params.forMs);
          if (exitCode !== undefined) target.exitCode = exitCode;
          const step = { fault: { [name]: target } };
          const k = compileKubeletStep(runtimeCompiler, step, [])!;
          return { step, description: k.description, action: { type: 'kubelet', action: k.action } };
        },
      };
    },
  };
}

/** Node faults (nodeDown, partition), compiled as the `fault:` step does (src/engine/node_faults.ts). */
function nodeFault(name: string, summary: string): FaultKindDef {
  return {
    name,
    summary,
    compile(c, raw, p, ctx) {
      const nodes: string[] = Array.isArray(raw?.nodes) ? raw.nodes.map(String) : ctx.nodes;
      for (const n of nodes) if (!ctx.nodes.includes(n)) c.error([...p, 'nodes'], `the cluster has no node "${n}"`, `nodes: ${ctx.nodes.join(', ')}`);
      const forRange = rangeParam(c, [...p, 'for'], raw?.for, '30s');
      return {
        kind: name,
        max: budget(c, raw, p),
        params: fc.record({ pick: fc.nat(Math.max(0, nodes.length - 1)), forMs: drawIn(forRange, 100) }),
        resolve(params) {
          const step = { fault: { [name]: { node: nodes[params.pick % nodes.length], for: formatDuration(params.forMs) } } };
          const n = compileNodeFault(runtimeCompiler, step.fault, [], ctx.nodes)!;
          return { step, description: n.description, action: { type: 'nodeFault', fault: n.fault } };
        },
      };
    },
  };
}

/** A whole-number option or range ("5", "10..50") as [min, max]. */
function intRange(c: FuzzCompiler, p: Path, v: unknown, fallback: string, what: string): { min: number; max: number } | undefined {
  const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(String(v ?? fallback));
  if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) {
    c.error(p, `\`${what}\` is a whole number or a range "min..max", got ${JSON.stringify(v)}`, `e.g. ${what}: ${fallback}`);
    return undefined;
  }
  return { min: Number(m[1]), max: m[2] !== undefined ? Number(m[2]) : Number(m[1]) };
}

/** apimachinery validation IsConfigMapKey: [-._a-zA-Z0-9]+, at most 253 characters. */
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

const configMapEdit: FaultKindDef = {
  name: 'configMapEdit',
  summary: 'set one key of a declared ConfigMap to a value drawn from a list (kubectl patch configmap --type merge)',
  compile(c, raw, p, ctx) {
    const name = raw?.name;
    const namespace = raw?.namespace !== undefined ? String(raw.namespace) : 'default';
    const declared = (ctx.objects ?? []).filter((o) => o.kind === 'ConfigMap');
    if (typeof name !== 'string' || !name) {
      c.error([...p, 'name'], 'configMapEdit needs `name`: the ConfigMap to edit', declared.length ? `declared ConfigMaps: ${declared.map((o) => o.metadata.name).join(', ')}` : 'declare the ConfigMap under `manifests:`');
      return undefined;
    }
    const cm = declared.find((o) => o.metadata.name === name && (o.metadata.namespace ?? 'default') === namespace);
    if (!cm) {
      c.error([...p, 'name'], `no ConfigMap "${name}" in namespace ${namespace} among the scenario's manifests`, declared.length ? `declared ConfigMaps: ${declared.map((o) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`).join(', ')}` : 'declare the ConfigMap under `manifests:`');
      return undefined;
    }
    if ((cm as any).immutable === true) {
      c.error([...p, 'name'], `ConfigMap "${name}" is immutable: every edit of its data would be refused`, 'remove `immutable: true`, or fuzz something else');
      return undefined;
    }
    const rawValues = raw?.values;
    if (rawValues === null || typeof rawValues !== 'object' || Array.isArray(rawValues) || !Object.keys(rawValues).length) {
      c.error([...p, 'values'], '`values` maps each key to edit to the values to draw from', 'e.g. values: {mode: [fast, slow], greeting: [hello, hi]}');
      return undefined;
    }
    const keys: string[] = [];
    const choices: string[][] = [];
    for (const [k, v] of Object.entries(rawValues)) {
      if (!CONFIGMAP_KEY.test(k)) {
        c.error([...p, 'values', k], `"${k}" is not a valid ConfigMap key`, "a key consists of alphanumeric characters, '-', '_' or '.' (at most 253)");
        continue;
      }
      const list = Array.isArray(v) ? v : [v];
      if (!list.length || list.some((x) => x === null || typeof x === 'object')) {
        c.error([...p, 'values', k], `the values of "${k}" are a list of strings, got ${JSON.stringify(v)}`, `e.g. ${k}: [fast, slow]`);
        continue;
      }
      keys.push(k);
      choices.push(list.map(String));
    }
    if (!keys.length) return undefined;
    const widest = Math.max(...choices.map((l) => l.length));
    const target = { kind: 'ConfigMap', names: [name], ...(namespace !== 'default' ? { namespace } : {}) };
    return {
      kind: 'configMapEdit',
      max: budget(c, raw, p),
      // the value index is taken modulo the key's list, so both shrink toward the first choice
      params: fc.record({ key: fc.nat(keys.length - 1), value: fc.nat(widest - 1) }),
      resolve(params, cluster) {
        if (!cluster.api.get('ConfigMap', namespace, name)) return `ConfigMap ${namespace}/${name} does not exist`;
        const key = keys[params.key];
        const list = choices[params.key];
        const value = list[params.value % list.length];
        const patch = { data: { [key]: value } };
        const step = { patch: { kind: 'configmap', name, ...(namespace !== 'default' ? { namespace } : {}), type: 'merge', patch } };
        const action: Action = { verb: 'patch', target: { ...target, namespace: namespace !== 'default' ? namespace : undefined }, patchType: 'merge', patch };
        return { step, description: `patch configmap/${name}: ${key}=${JSON.stringify(value)}`, action: { type: 'action', action, objects: [] } };
      },
    };
  },
};

/** New clients of a run's bursts, numbered in the order the run reaches them (deterministic). */
const burstClients = new WeakMap<object, number>();
/** TEST-NET-2 (RFC 5737): never a cluster address, never the default client's 203.0.113.10 */
const BURST_NET = '198.51.100.';
export const NEW_CLIENT = 'new';

const clientBurst: FaultKindDef = {
  name: 'clientBurst',
  summary: 'a burst of requests from a declared client or a new external one (count and interval within ranges)',
  compile(c, raw, p, ctx) {
    const url = raw?.url;
    if (typeof url !== 'string' || !parseUrl(url)) {
      c.error([...p, 'url'], url === undefined ? 'clientBurst needs `url`: where the burst goes' : `"${url}" is not a URL`, 'e.g. url: http://web/');
      return undefined;
    }
    const declared = ctx.clients ?? new Map<string, ClientSpec>();
    const rawClients: unknown[] = raw?.clients === undefined ? [NEW_CLIENT] : Array.isArray(raw.clients) ? raw.clients : [raw.clients];
    const senders: string[] = [];
    rawClients.forEach((n, i) => {
      const name = String(n);
      if (name !== NEW_CLIENT && !declared.has(name)) {
        c.error([...p, 'clients', i], `no client named "${name}"`, `declared clients: ${[...declared.keys()].join(', ') || 'none'}; "${NEW_CLIENT}" draws a new external client`);
        return;
      }
      if (!senders.includes(name)) senders.push(name);
    });
    // where a new client sends from, as a `clients:` entry's `from` (external: a fresh address)
    const from = raw?.from !== undefined ? String(raw.from) : 'external';
    if (from !== 'external' && !/^(node|pod)\/[^/\s]+(\/[^/\s]+)?$/.test(from)) c.error([...p, 'from'], `\`from\` is where a new client sends from, got ${JSON.stringify(raw.from)}`, 'external (default), node/<name>, pod/<name> or pod/<namespace>/<name>');
    if (from.startsWith('node/') && !ctx.nodes.includes(from.slice(5))) c.error([...p, 'from'], `node "${from.slice(5)}" is not in the cluster`, `the nodes are: ${ctx.nodes.join(', ')}`);
    const count = intRange(c, [...p, 'count'], raw?.count, '20', 'count');
    const every = rangeParam(c, [...p, 'every'], raw?.every, '50ms');
    const timeoutMs = c.duration([...p, 'timeout'], raw?.timeout, DEFAULT_TIMEOUT_MS)!;
    if (timeoutMs <= 0) c.error([...p, 'timeout'], 'the client timeout must be positive', 'e.g. timeout: 5s');
    if (!senders.length || !count) return undefined;
    if (count.min < 1) {
      c.error([...p, 'count'], 'a burst sends at least one request', 'e.g. count: 10..50');
      return undefined;
    }
    return {
      kind: 'clientBurst',
      max: budget(c, raw, p),
      params: fc.record({ client: fc.nat(senders.length - 1), count: fc.integer(count), everyMs: drawIn(every, 10) }),
      resolve(params, cluster) {
        let client: ClientSpec;
        let declares: ResolvedFault['declares'];
        if (senders[params.client] === NEW_CLIENT) {
          // a client the scenario does not declare: the counterexample declares it under clients:
          let n = burstClients.get(cluster) ?? 0;
          let name: string;
          do name = `burst-${++n}`;
          while (declared.has(name));
          burstClients.set(cluster, n);
          if (n > 254 && from === 'external') return 'no address left for a new burst client (at most 254 per run)';
          client = from === 'external' ? { name, ip: `${BURST_NET}${n}`, from, keepAlive: false, cookies: true } : { name, from, keepAlive: false, cookies: true };
          declares = { clients: [{ name, ...(client.ip ? { ip: client.ip } : { from }) }] };
        } else client = declared.get(senders[params.client])!;
        const step = {
          request: { client: client.name, url, count: params.count, every: formatDuration(params.everyMs), ...(raw?.timeout !== undefined ? { timeout: formatDuration(timeoutMs) } : {}) },
        };
        const request = { client, url, count: params.count, everyMs: params.everyMs, timeoutMs, method: 'GET', headers: {}, stepIndex: -1 };
        return {
          step,
          description: `${params.count} requests from ${client.name}${declares ? ' (a new client)' : ''} to ${url} every ${formatDuration(params.everyMs)}`,
          action: { type: 'request', request },
          ...(declares ? { declares } : {}),
        };
      },
    };
  },
};

export const STEP_FAULTS: readonly FaultKindDef[] = [
  deletePod,
  kubectl,
  scale,
  configMapEdit,
  clientBurst,
  podFault('crash', 'a container of one running pod exits (exitCode, default 1)', false),
  podFault('oom', 'a container of one running pod is OOM-killed', false),
  podFault('readinessFails', "one running pod's readiness probe fails for a while (for: range)", true),
  podFault('livenessFails', "one running pod's liveness probe fails for a while (for: range)", true),
  podFault('startupFails', "one running pod's startup probe fails for a while (for: range)", true),
  nodeFault('nodeDown', "a node's kubelet stops reporting for a while"),
  nodeFault('partition', 'a node loses the network for a while'),
];

// ---- latencyJitter -------------------------------------------------------------------------

/** The component latencies a run may re-draw (cluster.timing keys). */
export const JITTER_KEYS = ['watchLatency', 'controllerLatency', 'schedulerLatency', 'endpointsPropagation', 'kubeProxySync', 'kubeletSync'] as const;
export type JitterKey = (typeof JITTER_KEYS)[number];
export type JitterSpec = Partial<Record<JitterKey, LatencyRange>>;

export function compileJitter(c: FuzzCompiler, raw: any, p: Path): JitterSpec | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    c.error(p, '`latencyJitter` maps component latencies to the range to draw from', `e.g. latencyJitter: {endpointsPropagation: 0s..2s}; keys: ${JITTER_KEYS.join(', ')}`);
    return undefined;
  }
  const out: JitterSpec = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(JITTER_KEYS as readonly string[]).includes(k)) {
      c.error([...p, k], `latencyJitter cannot re-draw "${k}"`, `keys: ${JITTER_KEYS.join(', ')}`);
      continue;
    }
    out[k as JitterKey] = c.range([...p, k], v, { min: 0, max: 0 });
    // as cluster.timing.kubeletSync: a zero sync period would make the periodic sync spin
    if (k === 'kubeletSync' && out.kubeletSync!.min <= 0) c.error([...p, k], 'kubeletSync must be drawn from positive durations', 'e.g. kubeletSync: 1s..90s');
  }
  if (!Object.keys(out).length) {
    c.error(p, '`latencyJitter` names no latency', `keys: ${JITTER_KEYS.join(', ')}`);
    return undefined;
  }
  return out;
}

/**
 * One run's latencies: for each key a sub-range [a, b] of the declared range (at 1 ms
 * resolution), so a run may fix a latency (a == b) or keep it random within tighter bounds.
 * Shrinks toward the declared minimum.
 */
export function jitterArbitrary(spec: JitterSpec): fc.Arbitrary<Partial<Timing>> {
  const keys = JITTER_KEYS.filter((k) => spec[k]);
  return fc.tuple(...keys.map((k) => fc.tuple(drawIn(spec[k]!, 1), drawIn(spec[k]!, 1)))).map((pairs) => {
    const t: Partial<Timing> = {};
    keys.forEach((k, i) => {
      const [x, y] = pairs[i] as [number, number];
      t[k] = { min: Math.min(x, y), max: Math.max(x, y) };
    });
    return t;
  });
}

export function formatRange(r: LatencyRange): string {
  return r.min === r.max ? formatDuration(r.min) : `${formatDuration(r.min)}..${formatDuration(r.max)}`;
}
