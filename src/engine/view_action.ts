// Executing `kubectl get|describe` steps: read the objects from the simulated API server at this
// virtual instant and render what kubectl would print (src/kubectl/printers). Nothing changes;
// the text becomes the step's view (StepResult.view, a `view` trace record).
// Lookups follow get.go: named objects are fetched one by one (a missing one is the server's
// NotFound), otherwise each type is listed in the namespace (or every namespace with -A),
// filtered by -l.

import type { Cluster } from './cluster.js';
import type { KubeObject } from '../api/types.js';
import { isNamespacedKind } from '../api/kinds.js';
import { parseSelector, SelectorError } from '../api/labels.js';
import { resourceByKind } from '../kubectl/resources.js';
import type { ViewAction } from '../kubectl/get.js';
import { actionTargets } from '../kubectl/types.js';
import { renderGet, noResourcesMessage, type GetGroup } from '../kubectl/printers/get.js';
import { describeObject, type DescribeContext } from '../kubectl/printers/describe.js';

/** Thrown for what kubectl reports as an error (NotFound, a bad selector). */
export class ViewError extends Error {}

function fetchGroups(cluster: Cluster, action: ViewAction): GetGroup[] {
  const api = cluster.api;
  const groups: GetGroup[] = [];
  for (const t of actionTargets(action)) {
    const namespaced = isNamespacedKind(t.kind);
    const ns = namespaced ? (t.allNamespaces ? undefined : t.namespace ?? 'default') : undefined;
    let objects: KubeObject[];
    if (t.names.length > 0) {
      objects = [];
      for (const name of t.names) {
        const o = api.get(t.kind, ns, name);
        if (!o) {
          const plural = resourceByKind(t.kind)?.plural ?? t.kind.toLowerCase();
          const group = resourceByKind(t.kind)?.group;
          throw new ViewError(`Error from server (NotFound): ${plural}${group ? `.${group}` : ''} "${name}" not found`);
        }
        objects.push(o);
      }
    } else {
      let selector;
      if (t.selector !== undefined && t.selector !== '') {
        try {
          selector = parseSelector(t.selector);
        } catch (e) {
          if (e instanceof SelectorError) throw new ViewError(`error: ${e.message}`);
          throw e;
        }
      }
      objects = api.list(t.kind, ns, selector);
    }
    groups.push({ kind: t.kind, objects });
  }
  return groups;
}

function describeContext(cluster: Cluster): DescribeContext {
  const api = cluster.api;
  return {
    now: cluster.sim.now,
    eventsFor: (o) => api.list('Event').filter((e: any) => e.involvedObject?.uid === o.metadata.uid),
    list: (kind, namespace) => api.list(kind, namespace),
    get: (kind, namespace, name) => api.get(kind, namespace, name),
  };
}

/** The text `kubectl get|describe` prints at this instant. */
export function renderView(cluster: Cluster, action: ViewAction): string {
  const groups = fetchGroups(cluster, action);
  const first = actionTargets(action)[0];
  const namespace = first?.namespace ?? 'default';
  const allNamespaces = actionTargets(action).some((t) => t.allNamespaces);
  if (action.verb === 'describe') {
    const objects = groups.flatMap((g) => g.objects);
    if (objects.length === 0) return noResourcesMessage(groups, { namespace, allNamespaces });
    const ctx = describeContext(cluster);
    if (action.showEvents === false) ctx.eventsFor = () => [];
    return objects.map((o) => describeObject(o, ctx)).join('\n\n\n');
  }
  const targets = actionTargets(action);
  return renderGet(
    groups,
    {
      output: action.output ?? 'table',
      showLabels: action.showLabels,
      noHeaders: action.noHeaders,
      allNamespaces,
      namespace,
      withKind: action.showKind === true || new Set(targets.map((t) => t.kind)).size > 1,
      singleItem: targets.length === 1 && targets[0].names.length === 1,
    },
    cluster.sim.now,
  );
}
