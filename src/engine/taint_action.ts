// Executing `kubectl taint` (staging/src/k8s.io/kubectl/pkg/cmd/taint/taint.go updateTaints and
// utils.go reorganizeTaints): without --overwrite an existing key+effect is refused; otherwise the
// new taints replace matching ones, removals must each find a taint, and kubectl prints
// "node/NAME tainted|untainted|modified". NoExecute taints then evict intolerant pods through
// the taint eviction controller (src/controllers/tainteviction.ts).

import type { Cluster } from './cluster.js';
import type { Action } from '../kubectl/types.js';
import { ApiError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { ActionError } from './actions.js';
import { resolveNodes } from './node_actions.js';
import { taintString, type Taint } from '../kubectl/taint.js';

type TaintAction = Extract<Action, { verb: 'taint' }>;

const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

/** reorganizeTaints: the node's new taint list and the word kubectl prints, or kubectl's error. */
export function reorganizeTaints(nodeName: string, old: Taint[], add: Taint[], remove: Taint[], overwrite: boolean): { taints: Taint[]; operation: string } {
  if (!overwrite) {
    const exists = add.filter((t) => old.some((o) => same(o, t))).map((t) => t.key);
    if (exists.length) throw new ActionError(`error: node ${nodeName} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`);
  }
  let taints: Taint[] = add.map((t) => ({ ...t }));
  for (const o of old) if (!taints.some((t) => same(t, o))) taints.push(o);
  const added = old.length !== taints.length;
  let deleted = false;
  const errors: string[] = [];
  for (const r of remove) {
    const before = taints.length;
    taints = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
    deleted = taints.length !== before;
    if (!deleted) errors.push(`taint ${JSON.stringify(taintString(r))} not found`);
  }
  if (errors.length) throw new ActionError(`error: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`);
  const operation = (added && deleted) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { taints, operation };
}

export function taintAction(cluster: Cluster, action: TaintAction): string[] {
  const api = cluster.api;
  const nodes = resolveNodes(cluster, action.target);
  const out: string[] = [];
  for (const node of nodes) {
    const name = node.metadata.name!;
    const { taints, operation } = reorganizeTaints(name, node.spec?.taints ?? [], action.add, action.remove, action.overwrite);
    try {
      api.mutate('Node', undefined, name, (d) => {
        d.spec ??= {};
        if (taints.length) d.spec.taints = taints;
        else delete d.spec.taints;
      });
    } catch (e) {
      if (e instanceof ApiError) throw new ActionError(`Error from server (${e.reason}): ${e.message}`);
      throw e;
    }
    out.push(`node/${name} ${operation}`);
  }
  return out;
}
