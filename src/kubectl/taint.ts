// `kubectl taint nodes NODE KEY[=VALUE]:EFFECT ... | KEY[:EFFECT]-` (staging/src/k8s.io/kubectl/
// pkg/cmd/taint/taint.go Complete/validateFlags and pkg/cmd/taint/utils.go parseTaints): the
// resources come first, then the taint changes; a trailing '-' removes.

import { KubectlParseError } from './errors.js';
import { flagBool, flagString, type FlagSpec, type ParsedFlags, type UnsupportedFlag } from './flags.js';
import type { Action } from './types.js';
import { isQualifiedName, isValidLabelValue } from '../api/validation.js';

export interface Taint {
  key: string;
  value?: string;
  effect?: string;
}

export const TAINT_FLAGS: FlagSpec[] = [
  { name: 'overwrite', type: 'bool', help: 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.' },
  { name: 'selector', short: 'l', type: 'string', help: 'Selector (label query) to filter on' },
  { name: 'all', type: 'bool', help: 'Select all nodes in the cluster' },
];

export const TAINT_UNSUPPORTED: UnsupportedFlag[] = [
  { name: 'dry-run', reason: 'a dry run changes nothing; leave the step out instead' },
];

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** corev1.Taint.ToString */
export function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

function checkEffect(effect: string): void {
  if (!EFFECTS.includes(effect)) {
    throw new KubectlParseError(`invalid taint effect: ${effect}, unsupported taint effect`, `use one of ${EFFECTS.join(', ')}`);
  }
}

/** utils.go parseTaint: KEY[=VALUE]:EFFECT */
function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  if (parts.length !== 2) throw new KubectlParseError(`invalid taint spec: ${spec}`, 'write KEY=VALUE:EFFECT, e.g. dedicated=gpu:NoSchedule');
  checkEffect(parts[1]);
  const kv = parts[0].split('=');
  if (kv.length > 2) throw new KubectlParseError(`invalid taint spec: ${spec}`, 'write KEY=VALUE:EFFECT, e.g. dedicated=gpu:NoSchedule');
  const [key, value] = kv;
  if (value !== undefined) {
    const errs = isValidLabelValue(value);
    if (errs.length) throw new KubectlParseError(`invalid taint spec: ${spec}, ${errs.join('; ')}`, 'a taint value follows the label value rules');
  }
  const errs = isQualifiedName(key);
  if (errs.length) throw new KubectlParseError(`invalid taint spec: ${spec}, ${errs.join('; ')}`, 'a taint key follows the label key rules');
  return { key, ...(value ? { value } : {}), effect: parts[1] };
}

/** utils.go parseTaints: the taints to add and to remove; one taint may not be both. */
export function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [], remove: Taint[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      let key = spec.slice(0, -1), effect: string | undefined;
      if (key.includes(':')) [key, effect] = key.split(':');
      if (effect) checkEffect(effect);
      // a value in a removal is ignored: taints are matched by key and effect
      key = key.split('=')[0];
      remove.push({ key, ...(effect ? { effect } : {}) });
    } else {
      const t = parseTaint(spec);
      const id = `${t.key}:${t.effect}`;
      if (seen.has(id)) throw new KubectlParseError(`duplicated taints with the same key and effect: ${taintString(t)}`, 'give each key and effect once');
      seen.add(id);
      add.push(t);
    }
  }
  const both = remove.filter((r) => add.some((a) => a.key === r.key && (!r.effect || a.effect === r.effect))).map((r) => taintString(r));
  if (both.length) {
    throw new KubectlParseError(`can not both modify and remove the following taint(s) in the same command: ${both.join(', ')}`, 'split the change into two commands');
  }
  return { add, remove };
}

export function buildTaint(p: ParsedFlags, ctx: { commandLine: string }): Action {
  const resources: string[] = [], taintArgs: string[] = [];
  for (const s of p.args) {
    const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-');
    if (isTaint) taintArgs.push(s);
    else if (taintArgs.length) {
      throw new KubectlParseError(`all resources must be specified before taint changes: ${s}`, 'kubectl taint nodes node-1 key=value:NoSchedule', ctx.commandLine);
    } else resources.push(s);
  }
  const selector = flagString(p, 'selector');
  const all = flagBool(p, 'all') ?? false;
  if (resources.length < 1) {
    throw new KubectlParseError('one or more resources must be specified as <resource> <name>', 'kubectl taint nodes node-1 key=value:NoSchedule', ctx.commandLine);
  }
  if (taintArgs.length < 1) throw new KubectlParseError('at least one taint update is required', 'add KEY=VALUE:EFFECT or remove KEY:EFFECT-', ctx.commandLine);
  // `nodes NAME...` or `node/NAME...`
  const names: string[] = [];
  const [first, ...rest] = resources;
  const typed = /^(nodes?|no)$/.test(first);
  for (const r of typed ? rest : resources) {
    const m = /^(?:(\w+)\/)?(.+)$/.exec(r)!;
    if (!typed && !m[1]) {
      throw new KubectlParseError(`invalid resource type ${r}, only "node" and "nodes" are supported`, 'kubectl taint nodes node-1 key=value:NoSchedule', ctx.commandLine);
    }
    if (m[1] && !/^(nodes?|no)$/.test(m[1])) {
      throw new KubectlParseError(`invalid resource type ${m[1]}, only "node" and "nodes" are supported`, 'only nodes carry taints', ctx.commandLine);
    }
    names.push(m[2]);
  }
  if (names.length === 0 && selector === undefined && !all) {
    throw new KubectlParseError('resource(s) were provided, but no name was specified', 'name the node: kubectl taint nodes node-1 key=value:NoSchedule', ctx.commandLine);
  }
  let taints;
  try {
    taints = parseTaints(taintArgs);
  } catch (e) {
    if (e instanceof KubectlParseError) throw new KubectlParseError(e.message, e.hint, ctx.commandLine);
    throw e;
  }
  return {
    verb: 'taint',
    target: { kind: 'Node', names, ...(selector !== undefined ? { selector } : {}), ...(all ? { all } : {}) },
    add: taints.add,
    remove: taints.remove,
    overwrite: flagBool(p, 'overwrite') ?? false,
    commandLine: ctx.commandLine,
  };
}
