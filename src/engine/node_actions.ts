// Executing `kubectl cordon|uncordon` (staging/src/k8s.io/kubectl/pkg/drain/cordon.go
// CordonHelper.PatchOrReplace): set or clear node.spec.unschedulable, printing kubectl's lines
// ("node/node-1 cordoned", "node/node-1 already uncordoned"). The scheduler honours the field;
// DaemonSet pods tolerate it (node.kubernetes.io/unschedulable:NoSchedule).

import type { Cluster } from './cluster.js';
import type { Action, Target } from '../kubectl/types.js';
import { ApiError } from '../api/errors.js';
import { parseSelector } from '../api/labels.js';
import type { KubeObject } from '../api/types.js';
import { ActionError } from './actions.js';

export function cordonAction(cluster: Cluster, action: Extract<Action, { verb: 'cordon' | 'uncordon' }>): string[] {
  const api = cluster.api;
  const desired = action.verb === 'cordon';
  const nodes = resolveNodes(cluster, action.target);
  const out: string[] = [];
  for (const node of nodes) {
    const name = node.metadata.name!;
    if (!!node.spec?.unschedulable === desired) {
      out.push(`node/${name} already ${action.verb}ed`);
      continue;
    }
    try {
      api.mutate('Node', undefined, name, (d) => {
        d.spec ??= {};
        // the patch sets `unschedulable: true`, or removes it (omitempty false)
        if (desired) d.spec.unschedulable = true;
        else delete d.spec.unschedulable;
      });
    } catch (e) {
      if (e instanceof ApiError) throw new ActionError(`Error from server (${e.reason}): ${e.message}`);
      throw e;
    }
    out.push(`node/${name} ${action.verb}ed`);
  }
  return out;
}

/** The nodes a cordon/uncordon/taint names: by name (NotFound as kubectl says it), `-l`, or `--all`. */
export function resolveNodes(cluster: Cluster, t: Target): KubeObject[] {
  const api = cluster.api;
  if (t.names.length) {
    return t.names.map((n) => {
      const node = api.get('Node', undefined, n);
      if (!node) throw new ActionError(`Error from server (NotFound): nodes "${n}" not found`);
      return node;
    });
  }
  let sel;
  try {
    sel = parseSelector(t.all ? '' : (t.selector ?? ''));
  } catch (e) {
    throw new ActionError(`error: ${(e as Error).message}`);
  }
  const nodes = api.list('Node', undefined, sel);
  if (nodes.length === 0) throw new ActionError('No resources found');
  return nodes;
}
