// `env:` and `file:` expectation subjects: what a container sees, read from the kubelet's live
// container state (the pod worker), as `kubectl exec POD -- env` / `cat PATH` would show it.

import type { ApiServer } from '../api/server.js';
import { ComparatorError, parseComparator, type Comparator } from '../expect/compare.js';
import type { EvalContext, Outcome, Subject } from '../expect/subjects.js';
import { kubeletFor } from './registry.js';
import { parseSelector } from '../api/labels.js';
import type { KubeObject } from '../api/types.js';

type Report = (p: (string | number)[], message: string, hint?: string) => void;

interface Target {
  /** one pod by name, or every pod matching `selector` (at least one) */
  pod?: string;
  selector?: string;
  container?: string;
  namespace: string;
}

function comparator(report: Report, p: (string | number)[], v: unknown): Comparator | undefined {
  try {
    return parseComparator(v);
  } catch (e) {
    if (e instanceof ComparatorError) {
      report(p, e.message, e.hint);
      return undefined;
    }
    throw e;
  }
}

function describeTarget(t: Target): string {
  const who = t.pod !== undefined ? `pod/${t.pod}` : `pods -l ${t.selector}`;
  return `${who}${t.container ? ` -c ${t.container}` : ''}${t.namespace !== 'default' ? ` -n ${t.namespace}` : ''}`;
}

type View = { env?: Record<string, string>; fs?: import('./exec/fs.js').VirtualFileSystem; running: boolean };

function containerView(api: ApiServer, pod: KubeObject, container: string | undefined): View | string {
  const name = pod.metadata.name;
  const node = pod.spec?.nodeName;
  if (!node) return `pod ${name} is not scheduled to a node yet`;
  const w = kubeletFor(api, node)?.worker(pod.metadata.uid!);
  if (!w) return `pod ${name} is not running on ${node}`;
  const v = w.containerView(container);
  if (!v) return `container ${container} is not valid for pod ${name}`;
  return v;
}

/**
 * The pods a target names, or why there are none. With a selector the per-pod property must hold
 * for every matching pod and needs at least one, as for `pods:` (DESIGN §3.2).
 */
function targetPods(api: ApiServer, t: Target): KubeObject[] | string {
  if (t.pod !== undefined) {
    const pod = api.get('Pod', t.namespace, t.pod);
    return pod ? [pod] : `pods "${t.pod}" not found`;
  }
  const pods = api.list('Pod', t.namespace, parseSelector(t.selector!));
  return pods.length ? pods : `no pod matches ${t.selector} in namespace ${t.namespace}`;
}

/** Evaluate a per-container check on every target pod; problems are prefixed by the pod when several. */
function everyPod(api: ApiServer, t: Target, check: (v: View) => { problems: string[]; nearMiss?: string }): Outcome {
  const pods = targetPods(api, t);
  if (typeof pods === 'string') return { ok: false, message: pods };
  const problems: string[] = [];
  let nearMiss: string | undefined;
  for (const pod of pods) {
    const v = containerView(api, pod, t.container);
    const prefix = pods.length > 1 || t.pod === undefined ? `pod ${pod.metadata.name}: ` : '';
    if (typeof v === 'string') {
      problems.push(prefix + v);
      continue;
    }
    const r = check(v);
    problems.push(...r.problems.map((p) => prefix + p));
    nearMiss ??= r.problems.length ? r.nearMiss : undefined;
  }
  if (problems.length === 0) return { ok: true };
  return { ok: false, message: problems[0], mismatches: problems, ...(nearMiss ? { nearMiss } : {}) };
}

// Container state changes (a process writing a file, a volume refresh) are not API writes: the
// subjects are re-checked after every event.
const ALL = 'all' as const;

export class EnvSubject implements Subject {
  readonly describe: string;
  readonly kinds = ALL;

  constructor(
    readonly target: Target,
    readonly has: Map<string, Comparator | undefined>,
    readonly lacks: string[],
  ) {
    this.describe = `env ${describeTarget(target)}`;
  }

  evaluate({ api }: EvalContext): Outcome {
    return everyPod(api, this.target, (v) => {
      if (!v.env) return { problems: ['container has not been created yet: its environment does not exist'] };
      const env = v.env;
      const problems: string[] = [];
      for (const [name, cmp] of this.has) {
        if (!Object.hasOwn(env, name)) problems.push(`expected ${name} to be set, it is not`);
        else if (cmp && !cmp.test(env[name])) problems.push(`${name}: expected ${cmp.describe()}, got ${JSON.stringify(env[name])}`);
      }
      for (const name of this.lacks) if (Object.hasOwn(env, name)) problems.push(`expected ${name} not to be set, got ${JSON.stringify(env[name])}`);
      return { problems, nearMiss: `the environment has ${Object.keys(env).sort().join(', ')}` };
    });
  }
}

export class FileSubject implements Subject {
  readonly describe: string;
  readonly kinds = ALL;

  constructor(
    readonly target: Target,
    readonly path: string,
    readonly content: Comparator | undefined,
    readonly exists: boolean | undefined,
    readonly mode: number | undefined,
  ) {
    this.describe = `file ${this.path} in ${describeTarget(target)}`;
  }

  evaluate({ api }: EvalContext): Outcome {
    return everyPod(api, this.target, (v) => {
      if (!v.fs) return { problems: ['container has not been created yet: it has no file system'] };
      const fs = v.fs;
      const present = fs.exists(this.path);
      const problems: string[] = [];
      if (this.exists !== undefined && present !== this.exists) problems.push(this.exists ? `expected ${this.path} to exist, it does not` : `expected ${this.path} not to exist, it does`);
      if (this.content) {
        const text = fs.read(this.path);
        if (text === undefined) problems.push(`expected content ${this.content.describe()}, but ${this.path} is ${present ? 'a directory' : 'missing'}`);
        else if (!this.content.test(text) && !this.content.test(text.replace(/\n$/, ''))) problems.push(`content: expected ${this.content.describe()}, got ${JSON.stringify(text)}`);
      }
      if (this.mode !== undefined) {
        const st = fs.stat(this.path);
        if (!st) problems.push(`expected mode ${this.mode.toString(8)}, but ${this.path} is missing`);
        else if ((st.mode & 0o7777) !== this.mode) problems.push(`mode: expected ${this.mode.toString(8).padStart(4, '0')}, got ${(st.mode & 0o7777).toString(8).padStart(4, '0')}`);
      }
      return { problems };
    });
  }
}

function target(raw: any, subject: 'env' | 'file', report: Report): Target | undefined {
  if ((raw.pod === undefined) === (raw.selector === undefined)) {
    report([subject], `\`${subject}:\` names its pods with exactly one of \`pod\` and \`selector\``, 'pod: web-0, or selector: app=web');
    return undefined;
  }
  if (raw.selector !== undefined) {
    try {
      parseSelector(String(raw.selector));
    } catch (e) {
      report([subject, 'selector'], (e as Error).message, 'selectors are written like app=web,tier!=db');
      return undefined;
    }
  }
  return {
    ...(raw.pod !== undefined ? { pod: String(raw.pod) } : { selector: String(raw.selector) }),
    namespace: String(raw.namespace ?? 'default'),
    ...(raw.container !== undefined ? { container: String(raw.container) } : {}),
  };
}

export function compileEnvExpectation(e: any, report: Report): Subject | undefined {
  const has = new Map<string, Comparator | undefined>();
  if (Array.isArray(e.has)) for (const n of e.has) has.set(String(n), undefined);
  else if (e.has && typeof e.has === 'object') {
    for (const [n, v] of Object.entries(e.has)) {
      const cmp = comparator(report, ['has', n], v);
      if (cmp) has.set(n, cmp);
    }
  }
  const lacks = (e.lacks ?? []).map(String);
  if (has.size === 0 && lacks.length === 0) {
    report(['env'], 'an `env:` expectation needs a matcher', 'add `has: [NAME]`, `has: {NAME: value}` or `lacks: [NAME]`');
    return undefined;
  }
  const t = target(e.env, 'env', report);
  return t && new EnvSubject(t, has, lacks);
}

export function compileFileExpectation(e: any, report: Report): Subject | undefined {
  const content = e.content !== undefined ? comparator(report, ['content'], e.content) : undefined;
  let mode: number | undefined;
  if (e.mode !== undefined) {
    // written as in YAML: 0644 as a string "0644" (YAML 1.2 reads 0644 as decimal 644), or 0o644
    const s = String(e.mode).replace(/^0o/, '');
    if (!/^[0-7]{3,4}$/.test(s)) report(['mode'], `mode ${JSON.stringify(e.mode)} is not an octal permission`, 'quote it: mode: "0644"');
    else mode = parseInt(s, 8);
  }
  if (content === undefined && e.exists === undefined && mode === undefined) {
    report(['file'], 'a `file:` expectation needs a matcher', 'add `content: "..."`, `exists: true` or `mode: "0644"`');
    return undefined;
  }
  const t = target(e.file, 'file', report);
  return t && new FileSubject(t, String(e.file.path), content, e.exists, mode);
}
