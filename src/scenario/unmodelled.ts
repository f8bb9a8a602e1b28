// What the manifests ask for that the simulator does not model yet: kept and ignored at run
// time (DESIGN §1.3), listed by `--strict` so a user knows which parts of a pass are not backed
// by a model. The lists shrink as later issues model more.

import type { SourcedObject } from './model.js';
import type { SourceRef } from '../result.js';

/** Kinds with a controller, kubelet or API behaviour behind them. */
export const MODELLED_KINDS = new Set(['Pod', 'ReplicaSet', 'ReplicationController', 'Deployment', 'StatefulSet', 'DaemonSet', 'ControllerRevision', 'Namespace', 'Node', 'Event', 'Service', 'Endpoints', 'EndpointSlice', 'Job', 'CronJob', 'HorizontalPodAutoscaler', 'CustomResourceDefinition', 'ConfigMap', 'Secret', 'PersistentVolume', 'PersistentVolumeClaim', 'StorageClass', 'PodDisruptionBudget',
  // admission and RBAC (src/admission, src/rbac)
  'LimitRange', 'ResourceQuota', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding',
  // Priority admission, PrioritySort and DefaultPreemption (src/admission/priority.ts, src/scheduler)
  'PriorityClass']);

/** Pod spec fields (and container fields) the kubelet and scheduler act on. */
/** Volume sources the kubelet populates (src/kubelet/pod_volumes.ts, host_path.ts); persistentVolumeClaim binds but mounts nothing yet. */
const MODELLED_VOLUME_KINDS = new Set(['emptyDir', 'configMap', 'secret', 'downwardAPI', 'projected', 'hostPath', 'gitRepo']);

const MODELLED_POD_FIELDS = new Set([
  'containers', 'restartPolicy', 'terminationGracePeriodSeconds', 'nodeSelector', 'nodeName', 'schedulerName', 'affinity',
  'tolerations', 'dnsPolicy', 'securityContext', 'enableServiceLinks', 'schedulingGates',
  // PodTopologySpread (src/scheduler/topologyspread.ts)
  'topologySpreadConstraints',
  // read by the endpoints controllers and cluster DNS (src/network)
  'hostname', 'subdomain', 'dnsConfig',
  // the pod lifecycle (src/kubelet): init containers and sidecars, emptyDir volumes, readiness gates
  'initContainers', 'volumes', 'readinessGates',
  // ServiceAccount admission (src/admission/serviceaccount.ts); the token volume and mount it adds
  // come from the API server, not the manifest, so they never show up here
  'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken',
  // Priority admission, the scheduling queue and preemption (src/admission/priority.ts, src/scheduler)
  'priorityClassName', 'priority', 'preemptionPolicy',
]);
const MODELLED_CONTAINER_FIELDS = new Set(['name', 'image', 'imagePullPolicy', 'ports', 'resources', 'terminationMessagePath', 'terminationMessagePolicy',
  // src/kubelet: probes, hooks, sidecar restartPolicy, mounts, command/args run in the exec interpreter
  'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'restartPolicy', 'volumeMounts', 'command', 'args', 'workingDir']);

export function findUnmodelled(manifests: SourcedObject[]): { source: SourceRef; message: string }[] {
  const out: { source: SourceRef; message: string }[] = [];
  // custom objects are fully modelled as what they are: stored, validated, listed (no controller)
  const customKinds = new Set(manifests.filter((m) => m.object.kind === 'CustomResourceDefinition').map((m) => m.object.spec?.names?.kind));
  for (const { object, source } of manifests) {
    const ref = `${object.kind}/${object.metadata?.name ?? object.metadata?.generateName ?? ''}`;
    if (!MODELLED_KINDS.has(object.kind) && !customKinds.has(object.kind)) {
      out.push({ source, message: `${ref}: kind ${object.kind} is stored but not modelled yet (no controller acts on it)` });
      continue;
    }
    const podSpec = object.kind === 'Pod' ? object.spec : object.spec?.template?.spec;
    if (!podSpec) continue;
    const prefix = object.kind === 'Pod' ? 'spec' : 'spec.template.spec';
    for (const k of Object.keys(podSpec)) if (!MODELLED_POD_FIELDS.has(k)) out.push({ source, message: `${ref}: ${prefix}.${k} is kept but not modelled yet` });
    (podSpec.volumes ?? []).forEach((v: any, i: number) => {
      const kind = Object.keys(v ?? {}).find((k) => k !== 'name');
      if (kind && !MODELLED_VOLUME_KINDS.has(kind)) out.push({ source, message: `${ref}: ${prefix}.volumes[${i}].${kind} volumes are kept but not modelled yet` });
      // medium Memory is a tmpfs charged to the writer's memory (src/kubelet/tmpfs.ts); HugePages and sizeLimit are not modelled
      const medium = v?.emptyDir?.medium;
      if (medium !== undefined && medium !== '' && medium !== 'Memory') out.push({ source, message: `${ref}: ${prefix}.volumes[${i}].emptyDir.medium ${medium} is kept but not modelled yet` });
      if (v?.emptyDir?.sizeLimit !== undefined) out.push({ source, message: `${ref}: ${prefix}.volumes[${i}].emptyDir.sizeLimit is kept but not modelled yet` });
    });
    for (const [list, field] of [[podSpec.containers, 'containers'], [podSpec.initContainers, 'initContainers']] as const) {
      (list ?? []).forEach((ct: any, i: number) => {
        for (const k of Object.keys(ct ?? {})) if (!MODELLED_CONTAINER_FIELDS.has(k)) out.push({ source, message: `${ref}: ${prefix}.${field}[${i}].${k} is kept but not modelled yet` });
      });
    }
  }
  return out;
}
