// What the manifests ask for that the simulator does not model yet: kept and ignored at run
// time (DESIGN §1.3), listed by `--strict` so a user knows which parts of a pass are not backed
// by a model. The lists shrink as later issues model more.

import type { SourcedObject } from './model.js';
import type { SourceRef } from '../result.js';

/** Kinds with a controller, kubelet or API behaviour behind them. */
export const MODELLED_KINDS = new Set(['Pod', 'ReplicaSet', 'ReplicationController', 'Namespace', 'Node', 'Event']);

/** Pod spec fields (and container fields) the kubelet and scheduler act on. */
const MODELLED_POD_FIELDS = new Set([
  'containers', 'restartPolicy', 'terminationGracePeriodSeconds', 'nodeSelector', 'nodeName', 'schedulerName', 'affinity',
  'tolerations', 'dnsPolicy', 'securityContext', 'enableServiceLinks', 'schedulingGates',
]);
const MODELLED_CONTAINER_FIELDS = new Set(['name', 'image', 'imagePullPolicy', 'ports', 'resources', 'terminationMessagePath', 'terminationMessagePolicy']);

export function findUnmodelled(manifests: SourcedObject[]): { source: SourceRef; message: string }[] {
  const out: { source: SourceRef; message: string }[] = [];
  for (const { object, source } of manifests) {
    const ref = `${object.kind}/${object.metadata?.name ?? object.metadata?.generateName ?? ''}`;
    if (!MODELLED_KINDS.has(object.kind)) {
      out.push({ source, message: `${ref}: kind ${object.kind} is stored but not modelled yet (no controller acts on it)` });
      continue;
    }
    const podSpec = object.kind === 'Pod' ? object.spec : object.spec?.template?.spec;
    if (!podSpec) continue;
    const prefix = object.kind === 'Pod' ? 'spec' : 'spec.template.spec';
    for (const k of Object.keys(podSpec)) if (!MODELLED_POD_FIELDS.has(k)) out.push({ source, message: `${ref}: ${prefix}.${k} is kept but not modelled yet` });
    for (const [list, field] of [[podSpec.containers, 'containers'], [podSpec.initContainers, 'initContainers']] as const) {
      (list ?? []).forEach((ct: any, i: number) => {
        for (const k of Object.keys(ct ?? {})) if (!MODELLED_CONTAINER_FIELDS.has(k)) out.push({ source, message: `${ref}: ${prefix}.${field}[${i}].${k} is kept but not modelled yet` });
      });
    }
  }
  return out;
}
