// What `kubectl get` prints for objects already fetched: one table per resource type
// (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go), each laid out by its own tabwriter flush, a
// blank line between types, NAME cells prefixed with the resource ("pod/web-abc") when several
// types were requested (multipleGVKsRequested), a NAMESPACE column with -A, LABELS with
// --show-labels, and "No resources found in <ns> namespace." when nothing matched.

import type { KubeObject } from '../../api/types.js';
import { isNamespacedKind } from '../../api/kinds.js';
import { asList, kindPrefix, resourceName, toJson, toYaml } from './output.js';
import { formatLabels, tableRows } from './tables.js';
import { GET_TABWRITER, tabwrite } from './tabwriter.js';

export type GetOutput = 'table' | 'wide' | 'yaml' | 'json' | 'name';

export interface GetGroup {
  kind: string;
  objects: KubeObject[];
}

export interface GetRenderOptions {
  output: GetOutput;
  showLabels?: boolean;
  allNamespaces?: boolean;
  /** the namespace asked for (for "No resources found in X namespace.") */
  namespace: string;
  /** several resource types were requested: NAME cells carry their type */
  withKind: boolean;
  /** --no-headers */
  noHeaders?: boolean;
  /** one object asked for by name: -o yaml/json print it alone rather than as a List */
  singleItem: boolean;
}

/** The lines of one resource type's table, unaligned cells joined by tabs. */
function tableLines(group: GetGroup, opts: GetRenderOptions, now: number): string[] {
  const wide = opts.output === 'wide';
  const { columns, rows } = tableRows(group.kind, group.objects, now, wide);
  const namespaced = isNamespacedKind(group.kind);
  const header = [...(opts.allNamespaces && namespaced ? ['NAMESPACE'] : []), ...columns, ...(opts.showLabels ? ['LABELS'] : [])];
  const nameAt = columns.indexOf('NAME');
  const lines = opts.noHeaders ? [] : [header.join('\t')];
  group.objects.forEach((o, i) => {
    const cells = [...rows[i]];
    if (opts.withKind && nameAt >= 0) cells[nameAt] = `${kindPrefix(group.kind)}/${cells[nameAt]}`;
    const line = [...(opts.allNamespaces && namespaced ? [o.metadata.namespace ?? ''] : []), ...cells, ...(opts.showLabels ? [formatLabels(o.metadata.labels)] : [])];
    lines.push(line.join('\t'));
  });
  return tabwrite(lines, GET_TABWRITER);
}

export function noResourcesMessage(groups: readonly GetGroup[], opts: Pick<GetRenderOptions, 'allNamespaces' | 'namespace'>): string {
  const allNamespaced = !opts.allNamespaces && groups.every((g) => isNamespacedKind(g.kind));
  return allNamespaced ? `No resources found in ${opts.namespace} namespace.` : 'No resources found';
}

/** The text kubectl prints (stdout, and the "No resources found" note it writes to stderr). */
export function renderGet(groups: readonly GetGroup[], opts: GetRenderOptions, now: number): string {
  const objects = groups.flatMap((g) => g.objects);
  switch (opts.output) {
    case 'name':
      return objects.length === 0 ? noResourcesMessage(groups, opts) : objects.map(resourceName).join('\n');
    case 'json':
      return toJson(opts.singleItem && objects.length === 1 ? objects[0] : asList(objects)).trimEnd();
    case 'yaml':
      return toYaml(opts.singleItem && objects.length === 1 ? objects[0] : asList(objects)).trimEnd();
    default: {
      const blocks = groups.filter((g) => g.objects.length > 0).map((g) => tableLines(g, opts, now).join('\n'));
      return blocks.length === 0 ? noResourcesMessage(groups, opts) : blocks.join('\n\n');
    }
  }
}
