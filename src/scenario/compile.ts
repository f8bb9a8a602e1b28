// compile: a loaded, schema-valid scenario -> the normalised CompiledScenario the engine runs.
// Durations are parsed, node lists expanded, kubectl lines parsed, files named by steps loaded,
// expectations turned into subjects with their temporal operator. Every problem is reported
// with its file:line:col, all at once.

import path from 'node:path';
import type { LoadedScenario } from './load.js';
import { collectManifests, loadManifestFiles, type LoadedManifest } from './manifests.js';
import { InputError, type Diagnostic, type SourcePosition } from './diagnostics.js';
import type { CompiledExpectation, CompiledScenario, CompiledStep, SourcedObject, StepAction, Temporal } from './model.js';
import type { ClusterConfig, NodeConfig, Timing } from '../engine/cluster.js';
import type { LatencyRange } from '../engine/component.js';
import type { AppModel, HttpAnswer } from '../apps/registry.js';
import { parseDuration, parseDurationRange } from '../util/duration.js';
import { deriveSeed } from '../engine/rng.js';
import { parseKubectl, KubectlParseError } from '../kubectl/parse.js';
import { readConfigSources } from '../kubectl/create_config.js';
import type { Action, Cascade, Target } from '../kubectl/types.js';
import { resolveResource, unknownResourceMessage } from '../kubectl/resources.js';
import { parseComparator, ComparatorError, type Comparator } from '../expect/compare.js';
import { checkExpected } from '../expect/match.js';
import { compileCel, CelError } from '../expect/cel.js';
import { EventSubject, ExprSubject, ObjectSubject, PodsSubject, type Subject } from '../expect/subjects.js';
import { parseSelector, SelectorError } from '../api/labels.js';
import { findUnmodelled } from './unmodelled.js';
import { describeTemporal } from '../expect/evaluator.js';
import { compileKubeletStep } from '../kubelet/steps.js';
import { compileRepositories } from '../kubelet/git_repo.js';
import { compileNodeFault, isNodeFault } from '../engine/node_faults.js';
import { compileAppModel } from '../apps/compile.js';
import { clientsOf, compileRequest, compileTrafficSubject } from '../network/clients/compile.js';
import { poolErrors } from '../network/address_pool.js';
import { resolverWithCrds, scenarioCrds } from '../api/crd.js';
import { compileDnsExpectation, compileEndpointsExpectation } from '../network/subjects.js';
import { compileEnvExpectation, compileFileExpectation } from '../kubelet/subjects.js';
import { compileCanExpectation } from '../rbac/subject.js';
import { compileInvariants } from '../fuzz/invariants/registry.js';
import { compileFuzz } from '../fuzz/spec.js';

/** The newest Kubernetes minor version the reference covers: the default behaviour. */
export const DEFAULT_KUBERNETES_VERSION = '1.34';
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.30', '1.31', '1.32', '1.33', '1.34'];
const DEFAULT_CAPACITY = { cpu: '4', memory: '8Gi', pods: '110' };
const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60 * 1000;

type Path = (string | number)[];

class Compiler {
  readonly diagnostics: Diagnostic[] = [];
  /** kubectl's resource resolution, knowing the scenario's CustomResourceDefinitions */
  readonly resolve: ReturnType<typeof resolverWithCrds>;
  constructor(readonly loaded: LoadedScenario) {
    this.resolve = resolverWithCrds(scenarioCrds(loaded.manifests, loaded.raw?.steps ?? []));
  }

  pos(p: Path): SourcePosition {
    return this.loaded.locate(p);
  }

  error(p: Path, message: string, hint?: string, code = 'scenario.invalid'): void {
    const at = this.pos(p);
    this.diagnostics.push({ file: at.file, line: at.line, col: at.col, message, hint, code });
  }

  duration(p: Path, v: unknown, fallback?: number): number | undefined {
    if (v === undefined || v === null) return fallback;
    try {
      return parseDuration(String(v));
    } catch (e) {
      this.error(p, (e as Error).message);
      return fallback;
    }
  }

  range(p: Path, v: unknown, fallback: LatencyRange): LatencyRange {
    if (v === undefined || v === null) return fallback;
    try {
      return parseDurationRange(String(v));
    } catch (e) {
      this.error(p, (e as Error).message);
      return fallback;
    }
  }

  comparator(p: Path, v: unknown): Comparator | undefined {
    if (v === undefined) return undefined;
    try {
      return parseComparator(v);
    } catch (e) {
      if (e instanceof ComparatorError) {
        this.error(p, e.message, e.hint);
        return undefined;
      }
      throw e;
    }
  }
}

export function compileScenario(loaded: LoadedScenario): CompiledScenario {
  const c = new Compiler(loaded);
  const raw = loaded.raw;
  const name: string = raw.name;
  const cluster = compileCluster(c, raw.cluster ?? {});
  const repositories = compileRepositories(c, raw.repositories);
  if (repositories.length) cluster.repositories = repositories;
  clientsOf(c, cluster.nodes.map((n) => n.name));
  const apps = compileApps(c, raw.apps ?? {});
  const manifests: SourcedObject[] = loaded.manifests.map((m) => ({ object: m.object, source: toRef(m.source) }));
  const steps = (raw.steps ?? []).map((s: any, i: number) => compileStep(c, s, i, cluster.nodes.map((n) => n.name))).filter(Boolean) as CompiledStep[];
  const expectations = (raw.expect ?? []).map((e: any, i: number) => compileExpectation(c, e, i)).filter(Boolean) as CompiledExpectation[];
  const invariants = compileInvariants(c, raw.invariants, expectations);
  if ((raw.expect ?? []).length === 0 && !raw.todo && invariants.length === 0) {
    c.error(['name'], 'the scenario declares no expectation, so it would pass without checking anything', 'add an `expect:` list (e.g. `- at: 1m\n    pods: {selector: app=web}\n    ready: 3`)', 'scenario.noExpectations');
  }
  const duration = c.duration(['duration'], raw.duration);
  const fuzz = raw.fuzz !== undefined ? compileFuzz(c, raw.fuzz, { nodes: cluster.nodes.map((n) => n.name), steps, duration, objects: [...manifests.map((m) => m.object), ...steps.flatMap((st) => (st.action.type === 'action' ? st.action.objects.map((o) => o.object) : []))], clients: clientsOf(c) }) : undefined;
  if (duration !== undefined) {
    expectations.forEach((e, i) => {
      const t = e.temporal;
      const end = t.op === 'at' ? t.t : t.op === 'always' || t.op === 'never' ? t.until ?? 0 : 0;
      if (end > duration) c.error(['expect', i], `this expectation looks past the scenario's duration (${raw.duration})`, 'raise `duration:` or move the expectation earlier');
    });
  }
  if (c.diagnostics.length) throw new InputError(c.diagnostics);
  return {
    file: loaded.file,
    name,
    description: raw.description,
    tags: raw.tags ?? [],
    // from the file's name (not the path as typed) so the default seed does not depend on the cwd
    seed: raw.seed ?? deriveSeed(path.basename(loaded.file), name),
    todo: raw.todo,
    duration,
    cluster,
    apps,
    manifests,
    steps,
    expectations,
    invariants,
    ...(fuzz ? { fuzz } : {}),
    ...(raw.snapshot === true ? { snapshot: toRef(c.pos(['snapshot'])) } : {}),
    unmodelled: findUnmodelled(manifests),
  };
}

function toRef(p: SourcePosition) {
  return { file: p.file, line: p.line, col: p.col };
}

// ---- cluster -------------------------------------------------------------------------------

function compileCluster(c: Compiler, raw: any): ClusterConfig {
  const version = raw.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const nodes: NodeConfig[] = [];
  const seen = new Set<string>();
  (raw.nodes ?? [{ name: 'node-1' }]).forEach((n: any, i: number) => {
    const names: string[] = n.name ? [n.name] : Array.from({ length: n.count ?? 1 }, (_, k) => `${n.namePrefix}-${k + 1}`);
    for (const name of names) {
      if (seen.has(name)) c.error(['cluster', 'nodes', i], `node "${name}" is declared twice`, 'node names must be unique');
      seen.add(name);
      nodes.push({
        name,
        labels: { ...(n.labels ?? {}) },
        capacity: { ...DEFAULT_CAPACITY, ...stringValues(n.capacity ?? {}) },
        taints: n.taints ?? [],
        unschedulable: n.unschedulable,
      });
    }
  });
  const t = raw.timing ?? {};
  const r = (key: string, def: string) => c.range(['cluster', 'timing', key], t[key], parseDurationRange(def));
  const timing: Timing = {
    watchLatency: r('watchLatency', '5ms'),
    controllerLatency: r('controllerLatency', '5ms'),
    schedulerLatency: r('schedulerLatency', '10ms'),
    imagePull: r('imagePull', '0s'),
    kubeletSync: r('kubeletSync', '1m'),
    endpointsPropagation: r('endpointsPropagation', '0s'),
    kubeProxySync: r('kubeProxySync', '0s'),
    // node-monitor-grace-period: 50s since 1.32 (PR #126287), 40s before
    nodeMonitorGracePeriod: r('nodeMonitorGracePeriod', versionAtLeast(version, '1.32') ? '50s' : '40s'),
  };
  // a zero sync period would re-run the kubelet's periodic volume sync at the same instant forever;
  // upstream's KubeletConfiguration validation likewise requires syncFrequency to be positive
  if (t.kubeletSync !== undefined && timing.kubeletSync.min <= 0) c.error(['cluster', 'timing', 'kubeletSync'], `kubeletSync must be greater than 0 (got ${t.kubeletSync})`, 'write a positive duration such as 1m (the upstream default) or a range such as 30s..90s');
  const loadBalancerPool = raw.loadBalancerPool === undefined ? undefined : ([] as unknown[]).concat(raw.loadBalancerPool).map(String);
  for (const msg of poolErrors(loadBalancerPool ?? [])) c.error(['cluster', 'loadBalancerPool'], msg, 'write a CIDR (192.168.1.240/28), a range (192.168.1.240-192.168.1.250) or a list of IPs');
  return { nodes, proxyMode: raw.proxyMode ?? 'iptables', kubernetesVersion: version, clusterDomain: raw.clusterDomain ?? 'cluster.local', timing, ...(loadBalancerPool ? { loadBalancerPool } : {}) };
}

export function versionAtLeast(version: string, min: string): boolean {
  const [a, b] = version.split('.').map(Number);
  const [x, y] = min.split('.').map(Number);
  return a > x || (a === x && b >= y);
}

function stringValues(m: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)]));
}

// ---- apps ----------------------------------------------------------------------------------

function compileApps(c: Compiler, raw: Record<string, any>): AppModel[] {
  return Object.entries(raw).map(([key, a]) => compileAppModel(c, key, a, ['apps', key]));
}

// ---- steps ---------------------------------------------------------------------------------

function compileStep(c: Compiler, s: any, index: number, nodeNames: string[] = []): CompiledStep | undefined {
  const p: Path = ['steps', index];
  const at = c.duration([...p, 'at'], s.at);
  const after = c.duration([...p, 'after'], s.after);
  const base = { index, name: s.name, source: toRef(c.pos(p)), at, after, ...(s.expectError !== undefined ? { expectError: String(s.expectError) } : {}) };
  if (s.expectError !== undefined && s.wait) c.error([...p, 'expectError'], '`expectError` applies to actions, not to `wait:`');
  const dir = path.dirname(c.loaded.file);
  if (s.kubectl !== undefined) {
    let action: Action;
    try {
      action = parseKubectl(String(s.kubectl), { resolveResource: c.resolve });
    } catch (e) {
      if (e instanceof KubectlParseError) {
        // A command kubectl itself refuses (unknown flag, bad value) is a step that fails when run,
        // as the real kubectl would, if the step expects that; the simulator's own limits stay load errors.
        if (s.expectError !== undefined && !isSimulatorLimit(e.message)) {
          const action: Action = { verb: 'refused', message: `error: ${e.message}`, commandLine: String(s.kubectl) };
          return { ...base, description: `kubectl ${String(s.kubectl).replace(/^kubectl\s+/, '')}`, action: { type: 'action', action, objects: [] } };
        }
        c.error([...p, 'kubectl'], e.message, e.hint, 'step.kubectl');
        return undefined;
      }
      throw e;
    }
    const files = action.verb === 'apply' || action.verb === 'create' ? action.files : action.verb === 'delete' ? action.files ?? [] : [];
    const objects = loadFiles(c, [...p, 'kubectl'], files, dir);
    if (action.verb === 'create' && action.generate) readConfigSources(action.generate, dir, (m) => c.error([...p, 'kubectl'], m, 'paths in --from-file and --from-env-file are relative to the scenario file'));
    return { ...base, description: `kubectl ${String(s.kubectl).replace(/^kubectl\s+/, '')}`, action: { type: 'action', action: { ...action, commandLine: String(s.kubectl) } as Action, objects } };
  }
  for (const verb of ['apply', 'create'] as const) {
    if (s[verb] === undefined) continue;
    const a = s[verb];
    const files: string[] = a.file ? [a.file] : a.files ?? [];
    const objects = [
      ...loadFiles(c, [...p, verb], files, dir),
      ...inlineObjects(c, [...p, verb], a),
    ];
    return { ...base, description: `${verb} ${files.length ? files.join(' ') : objects.map((o) => `${o.object.kind}/${o.object.metadata?.name}`).join(' ')}`, action: { type: 'action', action: { verb, files }, objects } };
  }
  if (s.delete) {
    const d = s.delete;
    const target = structuredTarget(c, [...p, 'delete'], d);
    if (!target) return undefined;
    const cascade: Cascade = d.cascade ?? 'background';
    const action: Action = { verb: 'delete', target, cascade, gracePeriodSeconds: d.gracePeriodSeconds, wait: d.wait ?? true, ignoreNotFound: !!(d.selector !== undefined || d.all), ...(d.pick !== undefined ? { pick: d.pick } : {}) };
    return { ...base, description: `delete ${describeTarget(target)}`, action: { type: 'action', action, objects: [] } };
  }
  if (s.patch) {
    const d = s.patch;
    const target = structuredTarget(c, [...p, 'patch'], d);
    if (!target) return undefined;
    return { ...base, description: `patch ${describeTarget(target)}`, action: { type: 'action', action: { verb: 'patch', target, patchType: d.type ?? 'strategic', patch: d.patch }, objects: [] } };
  }
  if (s.scale) {
    const d = s.scale;
    const target = structuredTarget(c, [...p, 'scale'], d);
    if (!target) return undefined;
    return { ...base, description: `scale ${describeTarget(target)} --replicas=${d.replicas}`, action: { type: 'action', action: { verb: 'scale', target, replicas: d.replicas }, objects: [] } };
  }
  for (const verb of ['label', 'annotate'] as const) {
    if (!s[verb]) continue;
    const d = s[verb];
    const target = structuredTarget(c, [...p, verb], d);
    if (!target) return undefined;
    return { ...base, description: `${verb} ${describeTarget(target)}`, action: { type: 'action', action: { verb, target, overwrite: !!d.overwrite, set: stringValues(d.set ?? {}), remove: d.remove ?? [] }, objects: [] } };
  }
  if (s.wait) {
    const timeoutMs = c.duration([...p, 'wait', 'timeout'], s.wait.timeout, DEFAULT_WAIT_TIMEOUT_MS)!;
    const condition = waitCondition(c, [...p, 'wait', 'until'], String(s.wait.until));
    if (!condition) return undefined;
    const action: StepAction = { type: 'wait', condition, text: String(s.wait.until), timeoutMs };
    return { ...base, description: `wait until ${s.wait.until}`, action };
  }
  if (s.request !== undefined) {
    const request = compileRequest(c, [...p, 'request'], s.request, s.name, index);
    return request ? { ...base, description: `request ${request.url} from ${request.client.name}${request.count > 1 ? ` x${request.count}` : ''}`, action: { type: 'request', request } } : undefined;
  }
  if (s.fault !== undefined && isNodeFault(s.fault)) {
    const n = compileNodeFault(c, s.fault, p, nodeNames);
    return n ? { ...base, description: n.description, action: { type: 'nodeFault', fault: n.fault } } : undefined;
  }
  if (s.exec !== undefined || s.fault !== undefined) {
    const k = compileKubeletStep(c, s, p);
    return k ? { ...base, description: k.description, action: { type: 'kubelet', action: k.action } } : undefined;
  }
  for (const key of ['request']) {
    if (s[key] !== undefined) {
      const comesWith = key === 'request' ? 'services and traffic' : 'the pod lifecycle';
      c.error([...p, key], `\`${key}:\` steps are not modelled yet in this version (they come with ${comesWith})`, 'mark the scenario `todo:` with the reason until then', 'scenario.unsupported');
      return undefined;
    }
  }
  return undefined;
}

/**
 * The inline `object:`/`objects:` of an apply or create step, checked and flattened (a List's
 * items) exactly as manifests are, so a malformed object is an input error at its line.
 */
function inlineObjects(c: Compiler, p: Path, a: { object?: unknown; objects?: unknown[] }): SourcedObject[] {
  const entries: [Path, unknown][] = a.object !== undefined ? [[[...p, 'object'], a.object]] : (a.objects ?? []).map((o, i) => [[...p, 'objects', i], o]);
  const loc = { file: c.pos([]).file, locate: (q: Path) => c.pos(q), sub: (base: Path) => ({ locate: (q: Path) => c.pos([...base, ...q]) }) };
  const out: LoadedManifest[] = [];
  for (const [at, o] of entries) collectManifests(structuredClone(o), loc, at, out, c.diagnostics);
  return out.map((m) => ({ object: m.object, source: toRef(m.source) }));
}

function loadFiles(c: Compiler, p: Path, files: string[], dir: string): SourcedObject[] {
  const out: SourcedObject[] = [];
  for (const f of files) {
    try {
      for (const m of loadManifestFiles(f, dir, c.pos(p))) out.push({ object: m.object, source: toRef(m.source) });
    } catch (e) {
      if (e instanceof InputError) c.diagnostics.push(...e.diagnostics);
      else throw e;
    }
  }
  return out;
}

function resolveKind(c: Compiler, p: Path, word: string): string | undefined {
  const r = c.resolve(word);
  if (r) return r.kind;
  c.error(p, unknownResourceMessage(word), 'use a kind (Deployment), a resource name (deployments) or a short name (deploy)');
  return undefined;
}

function structuredTarget(c: Compiler, p: Path, d: any): Target | undefined {
  const kind = resolveKind(c, [...p, 'kind'], String(d.kind));
  if (!kind) return undefined;
  const names: string[] = d.name ? [d.name] : d.names ?? [];
  if (d.selector !== undefined) {
    try {
      parseSelector(d.selector);
    } catch (e) {
      c.error([...p, 'selector'], (e as Error).message);
    }
  }
  return { kind, names, namespace: d.namespace, selector: d.selector, all: d.all };
}

function describeTarget(t: Target): string {
  if (t.names.length) return t.names.map((n) => `${t.kind.toLowerCase()}/${n}`).join(' ');
  return `${t.kind.toLowerCase()}${t.selector !== undefined ? ` -l ${t.selector}` : ''}${t.all ? ' --all' : ''}`;
}

const WAIT_FORM = /^\s*([A-Za-z0-9.-]+)\/([A-Za-z0-9.-]+)\s+(.+?)\s*$/;

/** `<kind>/<name> <condition>` (kubectl wait --for / rollout status) or a CEL expression. */
function waitCondition(c: Compiler, p: Path, text: string): Subject | undefined {
  const m = WAIT_FORM.exec(text);
  if (m && !/[()=!<>&|]/.test(m[1])) {
    const kind = resolveKind(c, p, m[1]);
    if (!kind) return undefined;
    const name = m[2];
    const cond = m[3].replace(/^--for=/, '');
    const lower = cond.toLowerCase();
    if (lower === 'delete' || lower === 'deleted') return new ObjectSubject(kind, name, undefined, undefined, true);
    const named: Record<string, string> = { available: 'Available', ready: 'Ready', complete: 'Complete', failed: 'Failed', progressing: 'Progressing' };
    let type: string | undefined = named[lower];
    let status = 'True';
    const cm = /^condition=([^=]+)(?:=(.+))?$/i.exec(cond);
    if (cm) {
      type = cm[1];
      status = cm[2] ?? 'True';
    }
    if (!type) {
      c.error(p, `unknown wait condition "${cond}"`, 'use available, ready, complete, failed, delete, condition=<Type>[=<Status>], or a CEL expression');
      return undefined;
    }
    return new ObjectSubject(kind, name, undefined, { status: { conditions: [{ type, status }] } }, false);
  }
  return exprSubject(c, p, text);
}

function exprSubject(c: Compiler, p: Path, text: string): Subject | undefined {
  try {
    return new ExprSubject(text, compileCel(text));
  } catch (e) {
    if (e instanceof CelError) {
      c.error(p, `invalid CEL expression: ${e.summary ?? e.message}${e.column !== undefined ? ` (column ${e.column})` : ''}`, e.hint);
      return undefined;
    }
    throw e;
  }
}

// ---- expectations --------------------------------------------------------------------------

function compileExpectation(c: Compiler, e: any, index: number): CompiledExpectation | undefined {
  const p: Path = ['expect', index];
  const temporal = compileTemporal(c, p, e);
  const subject = compileSubject(c, p, e);
  if (!temporal || !subject) return undefined;
  return { index, name: e.name ?? `${subject.describe} ${describeTemporal({ temporal })}`, source: toRef(c.pos(p)), todo: e.todo, temporal, subject };
}

function compileTemporal(c: Compiler, p: Path, e: any): Temporal | undefined {
  if (e.at !== undefined) {
    const t = c.duration([...p, 'at'], e.at);
    return t === undefined ? undefined : { op: 'at', t };
  }
  if (e.within !== undefined) {
    const d = c.duration([...p, 'within'], e.within);
    return d === undefined ? undefined : { op: 'within', d, afterStep: e.after };
  }
  for (const op of ['always', 'never'] as const) {
    if (e[op] === undefined) continue;
    const w = e[op] === true || e[op] === false ? {} : e[op] ?? {};
    if (e[op] === false) c.error([...p, op], `\`${op}: false\` means nothing`, `use \`${op}: true\` for the whole run, or a window {from, until}`);
    const from = c.duration([...p, op, 'from'], w.from, 0)!;
    const until = c.duration([...p, op, 'until'], w.until);
    if (until !== undefined && until < from) c.error([...p, op], `the window ends (${w.until}) before it starts (${w.from})`);
    return { op, from, until };
  }
  // no temporal operator: the expectation is checked once the run has ended
  return { op: 'end' };
}

function compileSubject(c: Compiler, p: Path, e: any): Subject | undefined {
  if (e.object !== undefined) {
    const ref = typeof e.object === 'string' ? parseRef(e.object) : e.object;
    if (!ref) {
      c.error([...p, 'object'], `"${e.object}" is not a kind/name reference`, 'write it as deployment/web, or {kind: Deployment, name: web}');
      return undefined;
    }
    const kind = resolveKind(c, [...p, 'object'], ref.kind);
    if (!kind) return undefined;
    if (e.match !== undefined) {
      for (const err of checkExpected(e.match)) c.error([...p, 'match'], err.message, err.hint);
    }
    return new ObjectSubject(kind, ref.name, ref.namespace, e.match, !!e.absent);
  }
  if (e.pods !== undefined) {
    const sel = e.pods.selector ?? '';
    try {
      parseSelector(sel);
    } catch (err) {
      if (err instanceof SelectorError) {
        c.error([...p, 'pods', 'selector'], err.message, 'selectors are written like app=web,tier!=db,env in (prod,qa),!legacy');
        return undefined;
      }
      throw err;
    }
    if (e.names !== undefined && !Array.isArray(e.names)) c.error([...p, 'names'], '`names` is the exact list of pod names');
    const m = {
      count: c.comparator([...p, 'count'], e.count),
      ready: c.comparator([...p, 'ready'], e.ready),
      phase: c.comparator([...p, 'phase'], e.phase),
      restarts: c.comparator([...p, 'restarts'], e.restarts),
      node: c.comparator([...p, 'node'], e.node),
      qosClass: c.comparator([...p, 'qosClass'], e.qosClass),
      names: Array.isArray(e.names) ? e.names.map(String) : undefined,
    };
    if (Object.values(m).every((v) => v === undefined)) {
      c.error([...p, 'pods'], 'a `pods:` expectation needs at least one matcher', 'add count, ready, phase, restarts, node, names or qosClass');
      return undefined;
    }
    return new PodsSubject(sel, e.pods.namespace ?? 'default', m);
  }
  if (e.event !== undefined) {
    const ev = e.event;
    let kind: string | undefined;
    let nameCmp: Comparator | undefined;
    if (ev.object !== undefined) {
      const ref = typeof ev.object === 'string' ? parseRef(ev.object) : ev.object;
      if (ref) {
        kind = resolveKind(c, [...p, 'event', 'object'], ref.kind);
        nameCmp = c.comparator([...p, 'event', 'object'], ref.name);
      }
    }
    return new EventSubject(
      c.comparator([...p, 'event', 'reason'], ev.reason),
      kind,
      nameCmp,
      ev.type,
      c.comparator([...p, 'event', 'message'], ev.message),
      ev.namespace ?? 'default',
      c.comparator([...p, 'count'], e.count ?? '>=1') ?? parseComparator('>=1'),
    );
  }
  if (e.expr !== undefined) return exprSubject(c, [...p, 'expr'], String(e.expr));
  if (e.traffic !== undefined) return compileTrafficSubject(c, p, e);
  if (e.endpoints !== undefined) return compileEndpointsExpectation(e, (q, m, h) => c.error([...p, ...q], m, h));
  if (e.dns !== undefined) return compileDnsExpectation(e, (q, m, h) => c.error([...p, ...q], m, h));
  if (e.can !== undefined) return compileCanExpectation(e, (q, m, h) => c.error([...p, ...q], m, h));
  if (e.env !== undefined) return compileEnvExpectation(e, (q, m, h) => c.error([...p, ...q], m, h));
  if (e.file !== undefined) return compileFileExpectation(e, (q, m, h) => c.error([...p, ...q], m, h));
  for (const key of ['traffic']) {
    if (e[key] !== undefined) {
      c.error([...p, key], `\`${key}:\` expectations are not modelled yet in this version`, 'mark the expectation `todo:` with the reason until then', 'scenario.unsupported');
      return undefined;
    }
  }
  return undefined;
}

function parseRef(s: string): { kind: string; name: string; namespace?: string } | undefined {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(s.trim());
  return m ? { kind: m[1], name: m[2] } : undefined;
}

/** parse errors that are the simulator's limits (src/kubectl/parse.ts notAvailable, flags.ts unknownFlag), not kubectl's */
function isSimulatorLimit(message: string): boolean {
  return /is not supported by the simulator|is not supported yet|is not supported:|is not a step:/.test(message);
}
