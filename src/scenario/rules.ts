// Structural rules JSON Schema (draft-07) cannot say with good errors: "exactly one action per
// step", "one subject per expectation", "matchers that belong to the subject". The schema keeps
// these objects flat (every key a property, additionalProperties: false), so a misspelt key is
// reported once, by name; these checks then run on the plain data, with positions.

import type { Diagnostic } from './diagnostics.js';
import { contextName } from './schema.js';
import type { JsonPath, NodeLocator } from './source.js';

export const STEP_ACTIONS = [
  'kubectl',
  'apply',
  'create',
  'delete',
  'patch',
  'scale',
  'label',
  'annotate',
  'request',
  'exec',
  'fault',
  'wait',
] as const;

export const EXPECTATION_SUBJECTS = ['object', 'pods', 'endpoints', 'traffic', 'dns', 'env', 'file', 'event', 'expr', 'can'] as const;
export const TEMPORAL_OPERATORS = ['at', 'within', 'always', 'never'] as const;

/** Matchers each subject understands (DESIGN §3.2). */
export const SUBJECT_MATCHERS: Record<(typeof EXPECTATION_SUBJECTS)[number], readonly string[]> = {
  object: ['match', 'absent'],
  pods: ['count', 'ready', 'phase', 'restarts', 'node', 'names', 'qosClass'],
  endpoints: ['readyCount', 'notReadyCount', 'ready', 'notReady'],
  traffic: ['servedBy', 'outcome', 'status', 'successRate', 'distribution', 'sourceIP', 'count'],
  dns: ['answers', 'rcode'],
  env: ['has', 'lacks'],
  file: ['content', 'exists', 'mode'],
  event: ['count'],
  expr: [],
  can: ['allowed'],
};

/** Fault kinds of `fuzz.faults` (src/fuzz/faults.ts STEP_FAULTS, plus latencyJitter). */
export const FUZZ_FAULTS = [
  'deletePod',
  'kubectl',
  'scale',
  'configMapEdit',
  'clientBurst',
  'crash',
  'oom',
  'readinessFails',
  'livenessFails',
  'startupFails',
  'nodeDown',
  'partition',
  'latencyJitter',
] as const;

const EXPECTATION_COMMON = new Set<string>(['name', 'todo', 'after', ...TEMPORAL_OPERATORS, ...EXPECTATION_SUBJECTS]);
const ALL_MATCHERS = new Set<string>(Object.values(SUBJECT_MATCHERS).flat());

const FAULT_KINDS = [
  'readinessFails',
  'livenessFails',
  'startupFails',
  'crash',
  'oom',
  'slowStart',
  'nodeDown',
  'nodeUp',
  'partition',
] as const;
const POD_FAULTS = new Set(['readinessFails', 'livenessFails', 'startupFails', 'crash', 'oom', 'slowStart']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  readonly out: Diagnostic[] = [];
  constructor(
    private readonly loc: NodeLocator,
    private readonly unknownKeyPaths: Set<string>,
  ) {}

  report(path: JsonPath, atKey: boolean, message: string, hint: string | undefined, code: string): void {
    const pos = atKey ? this.loc.locateKey(path) : this.loc.locate(path);
    this.out.push({ ...pos, message, hint, code });
  }

  hasUnknownKey(path: JsonPath): boolean {
    return this.unknownKeyPaths.has(path.length ? '/' + path.map(String).join('/') : '');
  }

  /**
   * Exactly one (or, with `optional`, at most one) of `keys` in `obj`. With none present and an
   * unknown key already reported, stay quiet: the unknown key was most likely meant to be one.
   */
  oneOf(obj: Obj, path: JsonPath, keys: readonly string[], what: string, optional = false): string | undefined {
    const present = keys.filter((k) => k in obj);
    const name = contextName(path);
    if (present.length === 0 && !optional && !this.hasUnknownKey(path)) {
      this.report(path, false, `${name} has no ${what}`, `add one of: ${keys.join(', ')}`, 'scenario.missing');
    } else if (present.length > 1) {
      this.report(
        [...path, present[1]],
        true,
        `${name} has more than one ${what}: ${present.map((k) => `'${k}'`).join(' and ')}`,
        `use exactly one of: ${keys.join(', ')}` + (what === 'action' ? '; put further actions in steps of their own' : ''),
        'scenario.conflict',
      );
    }
    return present[0];
  }
}

/** Check the structural rules; `unknownKeyPaths` come from schema validation. */
export function checkScenarioRules(raw: unknown, loc: NodeLocator, unknownKeyPaths: Set<string>): Diagnostic[] {
  const c = new Checker(loc, unknownKeyPaths);
  if (!isObj(raw)) return c.out;
  // A todo scenario's trace changes as soon as its gap is closed, so it has no golden trace yet.
  if (raw.snapshot === true && typeof raw.todo === 'string')
    c.report(['snapshot'], true, `'snapshot: true' cannot be combined with 'todo'`, 'a todo scenario has no settled trace to keep; add `snapshot: true` when the todo is removed', 'scenario.conflict');
  const nodes = isObj(raw.cluster) ? raw.cluster.nodes : undefined;
  if (Array.isArray(nodes)) nodes.forEach((n, i) => isObj(n) && checkNode(c, n, ['cluster', 'nodes', i]));
  const stepNames = new Set<string>();
  if (Array.isArray(raw.steps)) {
    raw.steps.forEach((s, i) => {
      if (!isObj(s)) return;
      checkStep(c, s, ['steps', i]);
      if (typeof s.name === 'string') {
        if (stepNames.has(s.name))
          c.report(['steps', i, 'name'], false, `step name '${s.name}' is used twice`, 'step names must be unique: expectations refer to steps by name', 'scenario.duplicate');
        stepNames.add(s.name);
      }
    });
  }
  if (Array.isArray(raw.expect)) raw.expect.forEach((e, i) => isObj(e) && checkExpectation(c, e, ['expect', i], stepNames));
  return c.out;
}

function checkNode(c: Checker, node: Obj, path: JsonPath): void {
  const naming = c.oneOf(node, path, ['name', 'namePrefix'], 'name');
  if (naming === 'name' && 'count' in node)
    c.report([...path, 'count'], true, `'count' needs 'namePrefix', not 'name'`, 'a group of nodes is {namePrefix: worker, count: 2}: worker-1, worker-2', 'scenario.conflict');
}

function checkStep(c: Checker, step: Obj, path: JsonPath): void {
  if ('at' in step && 'after' in step)
    c.report([...path, 'after'], true, `step has both 'at' and 'after'`, "'at' is absolute virtual time, 'after' is relative to the previous step; use one", 'scenario.conflict');
  const action = c.oneOf(step, path, STEP_ACTIONS, 'action');
  if (!action || !isObj(step[action])) return;
  const body = step[action] as Obj;
  const at = [...path, action];
  switch (action) {
    case 'apply':
    case 'create':
      c.oneOf(body, at, ['file', 'files', 'object', 'objects'], 'source of objects');
      break;
    case 'delete':
      c.oneOf(body, at, ['name', 'names', 'selector', 'all'], 'target');
      break;
    case 'label':
    case 'annotate':
      c.oneOf(body, at, ['name', 'selector'], 'target');
      if (!('set' in body) && !('remove' in body))
        c.report(at, false, `'${action}' changes nothing`, `add 'set' (key: value) or 'remove' (a list of keys)`, 'scenario.missing');
      break;
    case 'fault':
      checkFault(c, body, at);
      break;
  }
}

function checkFault(c: Checker, fault: Obj, path: JsonPath): void {
  const kind = c.oneOf(fault, path, FAULT_KINDS, 'fault');
  if (!kind || !POD_FAULTS.has(kind) || !isObj(fault[kind])) return;
  const target = fault[kind] as Obj;
  const at = [...path, kind];
  c.oneOf(target, at, ['pod', 'selector'], 'target pod');
  if ('exitCode' in target && kind !== 'crash')
    c.report([...at, 'exitCode'], true, `'exitCode' only applies to a crash fault`, undefined, 'scenario.conflict');
  if ('startup' in target && kind !== 'slowStart')
    c.report([...at, 'startup'], true, `'startup' only applies to a slowStart fault`, undefined, 'scenario.conflict');
  if (kind === 'slowStart' && !('startup' in target))
    c.report(at, false, `slowStart is missing 'startup'`, 'how long the next start takes, e.g. startup: 30s', 'scenario.missing');
}

function checkExpectation(c: Checker, e: Obj, path: JsonPath, stepNames: Set<string>): void {
  const subjectKey = c.oneOf(e, path, EXPECTATION_SUBJECTS, 'subject');
  const temporal = c.oneOf(e, path, TEMPORAL_OPERATORS, 'temporal operator', true);
  if ('after' in e) {
    if (temporal !== 'within')
      c.report([...path, 'after'], true, `'after' needs 'within'`, 'within: 30s, after: <step name> means "no later than 30s after that step"', 'scenario.conflict');
    else if (typeof e.after === 'string' && !stepNames.has(e.after))
      c.report([...path, 'after'], false, `no step is named '${e.after}'`, stepNames.size ? `step names: ${[...stepNames].join(', ')}` : 'name a step with `name:`', 'scenario.reference');
  }
  if (!subjectKey) return;
  const subject = subjectKey as (typeof EXPECTATION_SUBJECTS)[number];
  const allowed = SUBJECT_MATCHERS[subject];
  for (const key of Object.keys(e)) {
    // Keys no subject knows were reported by the schema as unknown.
    if (EXPECTATION_COMMON.has(key) || allowed.includes(key) || !ALL_MATCHERS.has(key)) continue;
    c.report(
      [...path, key],
      true,
      `'${key}' does not apply to a '${subject}' expectation`,
      allowed.length ? `${subject} matchers: ${allowed.join(', ')}` : `${subject} has no matchers`,
      'scenario.matcher',
    );
  }
  if (subject === 'pods' && Array.isArray(e.ready))
    c.report([...path, 'ready'], false, `pods 'ready' is a number of pods, not a list`, "for the exact set of pod names use 'names'", 'scenario.matcher');
  if (subject === 'traffic' && isObj(e.traffic) && typeof e.traffic.step === 'string' && !stepNames.has(e.traffic.step))
    c.report([...path, 'traffic', 'step'], false, `no step is named '${e.traffic.step}'`, stepNames.size ? `step names: ${[...stepNames].join(', ')}` : 'name a step with `name:`', 'scenario.reference');
}
