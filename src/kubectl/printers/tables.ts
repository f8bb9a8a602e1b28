// The column sets of `kubectl get`, per kind, as pkg/printers/internalversion/printers.go
// AddHandlers defines them (Priority 1 columns appear only with -o wide), and each kind's row
// function (printDeployment, printService, printNode, ...). Kinds without a handler print the
// server's default table: NAME and CREATED AT (apiserver pkg/registry/rest/table.go
// DefaultTableConvertor), which is what `kubectl get roles` shows.

import type { KubeObject } from '../../api/types.js';
import { parseTimestamp } from '../../api/time.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { endpointsText, serviceExternalIPText, servicePortsText } from '../../network/services.js';
import { humanDuration, translateTimestampSince } from './duration.js';
import { podRow } from './pod.js';
import { resourceByKind } from '../resources.js';

export interface Column {
  name: string;
  /** Priority 1: only with -o wide */
  wide?: boolean;
}

export interface TableDef {
  columns: Column[];
  /** every cell, wide ones included, in column order */
  row(o: any, now: number, wide: boolean): string[];
}

const col = (name: string): Column => ({ name });
const wideCol = (name: string): Column => ({ name, wide: true });
const age = (o: KubeObject, now: number): string => translateTimestampSince(o.metadata.creationTimestamp, now);

/** labels.FormatLabels: sorted k=v pairs, "<none>" when empty */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** metav1.FormatLabelSelector: the selector's canonical String(), "<none>" when empty */
export function formatLabelSelector(ls: any): string {
  if (!ls) return '<none>';
  const text = selectorFromLabelSelector(ls).toString();
  return text === '' ? '<none>' : text;
}

/** printers.go layoutContainerCells: container names and images, comma-joined */
function containerCells(containers: any[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
}

/** storage/util GetAccessModesAsString: RWO,ROX,RWX,RWOP in that order */
function accessModesText(modes: string[] | undefined): string {
  const m = modes ?? [];
  return ([['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']] as const)
    .filter(([k]) => m.includes(k))
    .map(([, v]) => v)
    .join(',');
}

const hasCondition = (o: any, type: string): boolean => (o.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');

const CONTAINERS_IMAGES_SELECTOR = [wideCol('Containers'), wideCol('Images'), wideCol('Selector')];

function replicatedDef(selector: (o: any) => string): TableDef {
  return {
    columns: [col('Name'), col('Desired'), col('Current'), col('Ready'), col('Age'), ...CONTAINERS_IMAGES_SELECTOR],
    row: (o, now) => [o.metadata.name, String(o.spec?.replicas ?? 1), String(o.status?.replicas ?? 0), String(o.status?.readyReplicas ?? 0), age(o, now), ...containerCells(o.spec?.template?.spec?.containers), selector(o)],
  };
}

/** node roles from node-role.kubernetes.io/<role> and kubernetes.io/role labels (printers.go findNodeRoles) */
function nodeRoles(node: any): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role !== '') roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: any, type: string): string {
  return (node.status?.addresses ?? []).find((a: any) => a.type === type)?.address ?? '<none>';
}

/** printers.go printNode: Ready/NotReady/Unknown from the Ready condition, plus SchedulingDisabled */
export function nodeStatusText(node: any): string {
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** formatDiscoveryPorts / formatDiscoveryEndpoints: at most 3, then "+ N more..." */
function firstThree(items: string[], empty: string): string {
  if (items.length === 0) return empty;
  return items.length > 3 ? `${items.slice(0, 3).join(',')} + ${items.length - 3} more...` : items.join(',');
}

/** printers.go formatHPAMetrics for the metric types the simulator models (CPU/memory resource targets) */
function hpaTargets(o: any): string {
  const metrics: any[] = o.spec?.metrics ?? [];
  if (metrics.length === 0) return '<none>';
  const current: any[] = o.status?.currentMetrics ?? [];
  const list = metrics.map((m, i) => {
    if (m.type === 'Resource' && m.resource) {
      const name = m.resource.name;
      const cur = current.find((c) => c.type === 'Resource' && c.resource?.name === name)?.resource?.current ?? current[i]?.resource?.current;
      if (m.resource.target?.averageUtilization !== undefined) {
        const now = cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>';
        return `${name}: ${now}/${m.resource.target.averageUtilization}%`;
      }
      const now = cur?.averageValue !== undefined ? String(cur.averageValue) : '<unknown>';
      return `${name}: ${now}/${m.resource.target?.averageValue ?? '<unset>'}`;
    }
    return `<unknown>/<unknown>`;
  });
  return list.length > 3 ? `${list.slice(0, 3).join(', ')} + ${list.length - 3} more...` : list.join(', ');
}

/** Event rows: LAST SEEN "(xN over FIRST)" when the event repeated (printers.go printEvent). */
function eventLastSeen(o: any, now: number): string {
  const last = o.lastTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp;
  let text = translateTimestampSince(last, now);
  if ((o.count ?? 1) > 1) text = `${text} (x${o.count} over ${translateTimestampSince(o.firstTimestamp ?? last, now)})`;
  return text;
}

const rbacSubjects = (o: any, kind: string): string =>
  (o.subjects ?? [])
    .filter((s: any) => s.kind === kind)
    .map((s: any) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}:${s.name}` : s.name))
    .join(', ');

const bindingDef: TableDef = {
  columns: [col('Name'), col('Role'), col('Age'), wideCol('Users'), wideCol('Groups'), wideCol('ServiceAccounts')],
  row: (o, now) => [o.metadata.name, `${o.roleRef?.kind}/${o.roleRef?.name}`, age(o, now), rbacSubjects(o, 'User'), rbacSubjects(o, 'Group'), rbacSubjects(o, 'ServiceAccount')],
};

/** apiserver DefaultTableConvertor: NAME, CREATED AT (RFC 3339) */
export const DEFAULT_TABLE: TableDef = {
  columns: [col('Name'), col('Created At')],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? '<unknown>'],
};

export const TABLES: Record<string, TableDef> = {
  Pod: {
    columns: [col('Name'), col('Ready'), col('Status'), col('Restarts'), col('Age'), wideCol('IP'), wideCol('Node'), wideCol('Nominated Node'), wideCol('Readiness Gates')],
    row: (o, now) => podRow(o, now),
  },
  ReplicaSet: replicatedDef((o) => formatLabelSelector(o.spec?.selector)),
  ReplicationController: replicatedDef((o) => formatLabels(o.spec?.selector)),
  Deployment: {
    columns: [col('Name'), col('Ready'), col('Up-to-date'), col('Available'), col('Age'), ...CONTAINERS_IMAGES_SELECTOR],
    row: (o, now) => [o.metadata.name, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, String(o.status?.updatedReplicas ?? 0), String(o.status?.availableReplicas ?? 0), age(o, now), ...containerCells(o.spec?.template?.spec?.containers), formatLabelSelector(o.spec?.selector)],
  },
  StatefulSet: {
    columns: [col('Name'), col('Ready'), col('Age'), wideCol('Containers'), wideCol('Images')],
    row: (o, now) => [o.metadata.name, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, age(o, now), ...containerCells(o.spec?.template?.spec?.containers)],
  },
  DaemonSet: {
    columns: [col('Name'), col('Desired'), col('Current'), col('Ready'), col('Up-to-date'), col('Available'), col('Node Selector'), col('Age'), ...CONTAINERS_IMAGES_SELECTOR],
    row: (o, now) => {
      const s = o.status ?? {};
      return [o.metadata.name, String(s.desiredNumberScheduled ?? 0), String(s.currentNumberScheduled ?? 0), String(s.numberReady ?? 0), String(s.updatedNumberScheduled ?? 0), String(s.numberAvailable ?? 0), formatLabels(o.spec?.template?.spec?.nodeSelector), age(o, now), ...containerCells(o.spec?.template?.spec?.containers), formatLabelSelector(o.spec?.selector)];
    },
  },
  Job: {
    // the STATUS column since 1.30 (printJob)
    columns: [col('Name'), col('Status'), col('Completions'), col('Duration'), col('Age'), ...CONTAINERS_IMAGES_SELECTOR],
    row: (o, now) => {
      const status = hasCondition(o, 'Complete') ? 'Complete' : hasCondition(o, 'Failed') ? 'Failed' : o.metadata.deletionTimestamp ? 'Terminating' : hasCondition(o, 'Suspended') ? 'Suspended' : hasCondition(o, 'FailureTarget') ? 'FailureTarget' : hasCondition(o, 'SuccessCriteriaMet') ? 'SuccessCriteriaMet' : 'Running';
      const succeeded = o.status?.succeeded ?? 0;
      const p = o.spec?.parallelism ?? 0;
      const completions = o.spec?.completions != null ? `${succeeded}/${o.spec.completions}` : p > 1 ? `${succeeded}/1 of ${p}` : `${succeeded}/1`;
      const start = parseTimestamp(o.status?.startTime);
      const end = parseTimestamp(o.status?.completionTime);
      const duration = start === undefined ? '' : humanDuration((end ?? now) - start);
      return [o.metadata.name, status, completions, duration, age(o, now), ...containerCells(o.spec?.template?.spec?.containers), formatLabelSelector(o.spec?.selector)];
    },
  },
  CronJob: {
    columns: [col('Name'), col('Schedule'), col('Timezone'), col('Suspend'), col('Active'), col('Last Schedule'), col('Age'), ...CONTAINERS_IMAGES_SELECTOR],
    row: (o, now) => [
      o.metadata.name, o.spec?.schedule ?? '', o.spec?.timeZone ?? '<none>', o.spec?.suspend === undefined || o.spec?.suspend === null ? '<unset>' : o.spec.suspend ? 'True' : 'False', String((o.status?.active ?? []).length),
      o.status?.lastScheduleTime ? translateTimestampSince(o.status.lastScheduleTime, now) : '<none>', age(o, now),
      ...containerCells(o.spec?.jobTemplate?.spec?.template?.spec?.containers), formatLabelSelector(o.spec?.jobTemplate?.spec?.selector),
    ],
  },
  Service: {
    columns: [col('Name'), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age'), wideCol('Selector')],
    row: (o, now) => [o.metadata.name, o.spec?.type ?? 'ClusterIP', o.spec?.clusterIPs?.[0] ?? o.spec?.clusterIP ?? '<none>', serviceExternalIPText(o), servicePortsText(o), age(o, now), formatLabels(o.spec?.selector)],
  },
  Endpoints: {
    columns: [col('Name'), col('Endpoints'), col('Age')],
    row: (o, now) => [o.metadata.name, endpointsText(o), age(o, now)],
  },
  EndpointSlice: {
    columns: [col('Name'), col('AddressType'), col('Ports'), col('Endpoints'), col('Age')],
    row: (o, now) => [
      o.metadata.name, o.addressType ?? '',
      firstThree((o.ports ?? []).map((p: any) => (p.port === undefined || p.port === null ? '<unset>' : String(p.port))), '<unset>'),
      firstThree((o.endpoints ?? []).flatMap((e: any) => e.addresses ?? []), '<unset>'),
      age(o, now),
    ],
  },
  Ingress: {
    columns: [col('Name'), col('Class'), col('Hosts'), col('Address'), col('Ports'), col('Age')],
    row: (o, now) => {
      const rules: any[] = o.spec?.rules ?? [];
      const hosts = rules.map((r) => r.host).filter((h) => h);
      const hostText = hosts.length === 0 ? '*' : rules.length > 3 && hosts.length >= 3 ? `${hosts.slice(0, 3).join(',')} + ${rules.length - 3} more...` : hosts.slice(0, 3).join(',');
      const address = [...new Set<string>((o.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean))].sort().join(',');
      return [o.metadata.name, o.spec?.ingressClassName ?? '<none>', hostText, address, (o.spec?.tls ?? []).length > 0 ? '80, 443' : '80', age(o, now)];
    },
  },
  Node: {
    columns: [col('Name'), col('Status'), col('Roles'), col('Age'), col('Version'), wideCol('Internal-IP'), wideCol('External-IP'), wideCol('OS-Image'), wideCol('Kernel-Version'), wideCol('Container-Runtime')],
    row: (o, now) => {
      const info = o.status?.nodeInfo ?? {};
      const orUnknown = (s: string | undefined): string => (s ? s : '<unknown>');
      return [o.metadata.name, nodeStatusText(o), nodeRoles(o), age(o, now), info.kubeletVersion ?? '', nodeAddress(o, 'InternalIP'), nodeAddress(o, 'ExternalIP'), orUnknown(info.osImage), orUnknown(info.kernelVersion), orUnknown(info.containerRuntimeVersion)];
    },
  },
  Event: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), wideCol('Subobject'), wideCol('Source'), col('Message'), wideCol('First Seen'), wideCol('Count'), wideCol('Name')],
    row: (o, now) => {
      const src = o.source?.component ? (o.source.host ? `${o.source.component}, ${o.source.host}` : o.source.component) : (o.reportingComponent ?? '');
      return [eventLastSeen(o, now), o.type ?? '', o.reason ?? '', `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`, o.involvedObject?.fieldPath ?? '', src, String(o.message ?? '').trim(), translateTimestampSince(o.firstTimestamp, now), String(o.count ?? 1), o.metadata.name];
    },
  },
  Namespace: {
    columns: [col('Name'), col('Status'), col('Age')],
    row: (o, now) => [o.metadata.name, o.status?.phase ?? 'Active', age(o, now)],
  },
  ConfigMap: {
    columns: [col('Name'), col('Data'), col('Age')],
    row: (o, now) => [o.metadata.name, String(Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length), age(o, now)],
  },
  Secret: {
    columns: [col('Name'), col('Type'), col('Data'), col('Age')],
    row: (o, now) => [o.metadata.name, o.type ?? 'Opaque', String(new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})]).size), age(o, now)],
  },
  ServiceAccount: {
    columns: [col('Name'), col('Secrets'), col('Age')],
    row: (o, now) => [o.metadata.name, String((o.secrets ?? []).length), age(o, now)],
  },
  PersistentVolume: {
    columns: [col('Name'), col('Capacity'), col('Access Modes'), col('Reclaim Policy'), col('Status'), col('Claim'), col('StorageClass'), col('VolumeAttributesClass'), col('Reason'), col('Age'), wideCol('VolumeMode')],
    row: (o, now) => {
      const ref = o.spec?.claimRef;
      return [o.metadata.name, String(o.spec?.capacity?.storage ?? ''), accessModesText(o.spec?.accessModes), o.spec?.persistentVolumeReclaimPolicy ?? '', o.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase ?? '', ref ? `${ref.namespace}/${ref.name}` : '', o.spec?.storageClassName ?? '', o.spec?.volumeAttributesClassName || '<unset>', o.status?.reason ?? '', age(o, now), o.spec?.volumeMode ?? '<unset>'];
    },
  },
  PersistentVolumeClaim: {
    columns: [col('Name'), col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass'), col('VolumeAttributesClass'), col('Age'), wideCol('VolumeMode')],
    row: (o, now) => {
      const bound = o.spec?.volumeName;
      return [o.metadata.name, o.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase ?? '', o.spec?.volumeName ?? '', bound ? String(o.status?.capacity?.storage ?? '') : '', bound ? accessModesText(o.status?.accessModes) : '', o.spec?.storageClassName ?? '<unset>', o.status?.currentVolumeAttributesClassName || o.spec?.volumeAttributesClassName || '<unset>', age(o, now), o.spec?.volumeMode ?? '<unset>'];
    },
  },
  StorageClass: {
    columns: [col('Name'), col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion'), col('Age')],
    row: (o, now) => [o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? `${o.metadata.name} (default)` : o.metadata.name, o.provisioner ?? '', o.reclaimPolicy ?? 'Delete', o.volumeBindingMode ?? 'Immediate', String(!!o.allowVolumeExpansion), age(o, now)],
  },
  HorizontalPodAutoscaler: {
    columns: [col('Name'), col('Reference'), col('Targets'), col('MinPods'), col('MaxPods'), col('Replicas'), col('Age')],
    row: (o, now) => [o.metadata.name, `${o.spec?.scaleTargetRef?.kind}/${o.spec?.scaleTargetRef?.name}`, hpaTargets(o), o.spec?.minReplicas === undefined ? '<unset>' : String(o.spec.minReplicas), String(o.spec?.maxReplicas ?? 0), String(o.status?.currentReplicas ?? 0), age(o, now)],
  },
  PodDisruptionBudget: {
    columns: [col('Name'), col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions'), col('Age')],
    row: (o, now) => [o.metadata.name, o.spec?.minAvailable === undefined ? 'N/A' : String(o.spec.minAvailable), o.spec?.maxUnavailable === undefined ? 'N/A' : String(o.spec.maxUnavailable), String(o.status?.disruptionsAllowed ?? 0), age(o, now)],
  },
  // printPriorityClass
  PriorityClass: {
    columns: [col('Name'), col('Value'), col('Global-Default'), col('Age'), col('PreemptionPolicy')],
    row: (o, now) => [o.metadata.name, String(o.value ?? 0), String(!!o.globalDefault), age(o, now), o.preemptionPolicy ?? '<unset>'],
  },
  RoleBinding: bindingDef,
  ClusterRoleBinding: bindingDef,
  ControllerRevision: {
    columns: [col('Name'), col('Controller'), col('Revision'), col('Age')],
    row: (o, now) => {
      const ref = (o.metadata.ownerReferences ?? []).find((r: any) => r.controller);
      const group = ref ? String(ref.apiVersion ?? '').split('/') : [];
      return [o.metadata.name, ref ? `${String(ref.kind).toLowerCase()}${group.length === 2 ? `.${group[0]}` : ''}/${ref.name}` : '<none>', String(o.revision ?? 0), age(o, now)];
    },
  },
  Lease: {
    columns: [col('Name'), col('Holder'), col('Age')],
    row: (o, now) => [o.metadata.name, o.spec?.holderIdentity ?? '', age(o, now)],
  },
};

/** Custom resources: NAME and AGE (apiextensions-apiserver tableconvertor; additionalPrinterColumns are not modelled). */
const CUSTOM_RESOURCE_TABLE: TableDef = {
  columns: [col('Name'), col('Age')],
  row: (o, now) => [o.metadata.name, age(o, now)],
};

export function tableFor(kind: string): TableDef {
  return TABLES[kind] ?? (resourceByKind(kind) ? DEFAULT_TABLE : CUSTOM_RESOURCE_TABLE);
}

/** Column headers and cells of one kind's table, with or without the wide columns. */
export function tableRows(kind: string, objects: readonly KubeObject[], now: number, wide: boolean): { columns: string[]; rows: string[][] } {
  const def = tableFor(kind);
  const keep = def.columns.map((c) => wide || !c.wide);
  const pick = <T>(xs: T[]): T[] => xs.filter((_, i) => keep[i]);
  return { columns: pick(def.columns.map((c) => c.name.toUpperCase())), rows: objects.map((o) => pick(def.row(o, now, wide))) };
}
