// `exec:` and `fault:` steps: compiled from the scenario (compile.ts dispatches here) and carried
// out on the kubelet that runs the pod. An exec runs through the exec interpreter in that
// container's file system, in virtual time; a fault changes what the container's process or its
// probes do (forced probe failures for a while, a crash, an OOM kill, a slow next start).

import type { Cluster } from '../engine/cluster.js';
import type { LatencyRange } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import { parseSelector, selectorFromSet } from '../api/labels.js';
import { resolveResource } from '../kubectl/resources.js';
import { Kubelet } from './kubelet.js';
import type { ExecResult } from './exec_bridge.js';

export interface PodRef {
  pod?: string;
  selector?: string;
  namespace: string;
  container?: string;
}

export type KubeletStepAction =
  | { kind: 'exec'; target: PodRef; command: string | string[] }
  | { kind: 'fault'; fault: 'readinessFails' | 'livenessFails' | 'startupFails' | 'crash' | 'oom' | 'slowStart'; target: PodRef; forMs?: number; exitCode?: number; startup?: LatencyRange };

/** What compile.ts's Compiler offers (structural, so this module does not import it). */
export interface StepCompiler {
  error(p: (string | number)[], message: string, hint?: string, code?: string): void;
  duration(p: (string | number)[], v: unknown, fallback?: number): number | undefined;
  range(p: (string | number)[], v: unknown, fallback: LatencyRange): LatencyRange;
}

const POD_FAULTS = ['readinessFails', 'livenessFails', 'startupFails', 'crash', 'oom', 'slowStart'] as const;
const NODE_FAULTS = ['nodeDown', 'nodeUp', 'partition'];

export function compileKubeletStep(c: StepCompiler, s: any, p: (string | number)[]): { action: KubeletStepAction; description: string } | undefined {
  if (s.exec !== undefined) {
    const e = s.exec;
    const cmd = e.command;
    if ((Array.isArray(cmd) && cmd.length === 0) || (typeof cmd === 'string' && cmd.trim() === '')) {
      c.error([...p, 'exec', 'command'], 'the command is empty', 'give a command line ("touch /tmp/ready") or argv (["touch", "/tmp/ready"])');
      return undefined;
    }
    const target: PodRef = { pod: e.pod, namespace: e.namespace ?? 'default', container: e.container };
    const text = Array.isArray(cmd) ? cmd.join(' ') : cmd;
    return { action: { kind: 'exec', target, command: cmd }, description: `exec ${e.pod}${e.container ? ` -c ${e.container}` : ''} -- ${text}` };
  }
  const f = s.fault ?? {};
  const keys = Object.keys(f);
  if (keys.length !== 1) {
    c.error([...p, 'fault'], `a fault step names exactly one fault, got ${keys.length ? keys.join(', ') : 'none'}`, `use one of ${[...POD_FAULTS, ...NODE_FAULTS].join(', ')}`);
    return undefined;
  }
  const kind = keys[0];
  if (NODE_FAULTS.includes(kind)) {
    c.error([...p, 'fault', kind], `\`fault: ${kind}\` is not modelled yet in this version (node failures come with the node lifecycle work)`, 'mark the scenario `todo:` with the reason until then', 'scenario.unsupported');
    return undefined;
  }
  const t = f[kind] ?? {};
  if (t.pod === undefined && t.selector === undefined) {
    c.error([...p, 'fault', kind], 'the fault names no pod', 'add `pod: <name>` or `selector: app=web`');
    return undefined;
  }
  if (t.selector !== undefined) {
    try {
      parseSelector(t.selector);
    } catch (e) {
      c.error([...p, 'fault', kind, 'selector'], (e as Error).message);
    }
  }
  const target: PodRef = { pod: t.pod, selector: t.selector, namespace: t.namespace ?? 'default', container: t.container };
  const forMs = c.duration([...p, 'fault', kind, 'for'], t.for);
  if (kind === 'slowStart' && t.startup === undefined) c.error([...p, 'fault', kind], '`slowStart` needs `startup`: how long the next start takes', 'e.g. {pod: web, startup: 45s}');
  const startup = t.startup !== undefined ? c.range([...p, 'fault', kind, 'startup'], t.startup, { min: 0, max: 0 }) : undefined;
  const who = t.pod ?? `-l ${t.selector}`;
  return {
    action: { kind: 'fault', fault: kind as (typeof POD_FAULTS)[number], target, forMs, exitCode: t.exitCode, startup },
    description: `fault ${kind} ${who}${t.container ? ` -c ${t.container}` : ''}${t.for ? ` for ${t.for}` : ''}`,
  };
}

/** A step in progress: exec may take virtual time (sleep, loops). */
export interface KubeletStepRun {
  finished(): boolean;
  /** the step's output and, when it failed, why */
  outcome(): { output: string; error?: string };
}

function finishedRun(output: string, error?: string): KubeletStepRun {
  return { finished: () => true, outcome: () => ({ output, ...(error !== undefined ? { error } : {}) }) };
}

/** The pod a step names: a pod name, kind/name of a workload (its first pod by name), or a selector. */
function resolvePod(cluster: Cluster, t: PodRef): KubeObject | string {
  const api = cluster.api;
  if (t.selector !== undefined) {
    const pods = api.list('Pod', t.namespace, t.selector.trim() ? parseSelector(t.selector) : selectorFromSet({}));
    const live = pods.filter((x) => !x.metadata.deletionTimestamp);
    return live[0] ?? pods[0] ?? `no pod matches ${t.selector} in namespace ${t.namespace}`;
  }
  const ref = t.pod!;
  const slash = ref.indexOf('/');
  if (slash < 0) return api.get('Pod', t.namespace, ref) ?? `pods "${ref}" not found`;
  const kind = resolveResource(ref.slice(0, slash))?.kind;
  const name = ref.slice(slash + 1);
  if (!kind) return `the server doesn't have a resource type "${ref.slice(0, slash)}"`;
  if (kind === 'Pod') return api.get('Pod', t.namespace, name) ?? `pods "${name}" not found`;
  const owner = api.get(kind, t.namespace, name);
  if (!owner) return `${kind.toLowerCase()}s "${name}" not found`;
  const sel = owner.spec?.selector;
  const selector = sel?.matchLabels || sel?.matchExpressions ? sel : sel ? { matchLabels: sel } : undefined;
  if (!selector) return `cannot find the pods of ${ref}`;
  const pods = api.list('Pod', t.namespace).filter((x) => matchesLabelSelector(selector, x.metadata.labels ?? {}));
  return pods.find((x) => x.status?.phase === 'Running' && !x.metadata.deletionTimestamp) ?? pods[0] ?? `no pod of ${ref} exists`;
}

function matchesLabelSelector(sel: any, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function workerFor(cluster: Cluster, pod: KubeObject) {
  const node = pod.spec?.nodeName;
  if (!node) return `pod ${pod.metadata.name} is not scheduled to a node yet`;
  const k = cluster.components.find((x): x is Kubelet => x instanceof Kubelet && x.nodeName === node);
  const w = k?.worker(pod.metadata.uid!);
  return w ?? `pod ${pod.metadata.name} is not running on ${node}`;
}

export function startKubeletStep(cluster: Cluster, a: KubeletStepAction): KubeletStepRun {
  const pod = resolvePod(cluster, a.target);
  if (typeof pod === 'string') return finishedRun('', pod);
  const w = workerFor(cluster, pod);
  if (typeof w === 'string') return finishedRun('', w);
  if (a.kind === 'fault') {
    const untilMs = a.forMs !== undefined ? cluster.sim.now + a.forMs : undefined;
    const err = w.fault(a.fault, a.target.container, { untilMs, exitCode: a.exitCode, startup: a.startup });
    return finishedRun(err ? '' : `${a.fault} injected into pod ${pod.metadata.name}`, err);
  }
  let result: ExecResult | undefined;
  const err = w.exec(a.target.container, a.command, (r) => (result = r));
  if (err) return finishedRun('', err);
  return {
    finished: () => result !== undefined,
    outcome: () => {
      const r = result!;
      const output = (r.stdout + r.stderr).replace(/\n$/, '');
      // kubectl exec: "command terminated with exit code N"
      return r.exitCode === 0 ? { output } : { output, error: `command terminated with exit code ${r.exitCode}${output ? `: ${output}` : ''}` };
    },
  };
}
