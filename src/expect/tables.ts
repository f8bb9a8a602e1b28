// kubectl-get-style tables of objects at one instant, with kubectl's columns
// (staging/src/k8s.io/kubectl and pkg/printers/internalversion/printers.go), for failure stories.

import type { KubeObject } from '../api/types.js';
import { parseTimestamp } from '../api/time.js';
import type { Snapshot } from '../result.js';
import { endpointsText, serviceExternalIPText, servicePortsText } from '../network/services.js';

export function snapshotOf(kind: string, objects: KubeObject[], nowMs: number): Snapshot {
  const printer = PRINTERS[kind] ?? genericPrinter;
  return { at: nowMs, kind, columns: printer.columns, rows: objects.map((o) => printer.row(o, nowMs)) };
}

interface Printer {
  columns: string[];
  row(o: KubeObject, now: number): string[];
}

const genericPrinter: Printer = {
  columns: ['NAME', 'AGE'],
  row: (o, now) => [o.metadata.name!, age(o, now)],
};

const PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE'],
    row: (o, now) => {
      const cs: any[] = o.status?.containerStatuses ?? [];
      const total = (o.spec?.containers ?? []).length;
      const ready = cs.filter((c) => c.ready).length;
      // printPod adds init containers' restarts too
      const restarts = [...cs, ...(o.status?.initContainerStatuses ?? [])].reduce((n: number, c: any) => n + (c.restartCount ?? 0), 0);
      return [o.metadata.name!, `${ready}/${total}`, podStatus(o), String(restarts), age(o, now), o.status?.podIP ?? '<none>', o.spec?.nodeName ?? '<none>'];
    },
  },
  ReplicaSet: replicated(),
  ReplicationController: replicated(),
  Deployment: {
    columns: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    row: (o, now) => [o.metadata.name!, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, String(o.status?.updatedReplicas ?? 0), String(o.status?.availableReplicas ?? 0), age(o, now)],
  },
  // printers.go printStatefulSet / printDaemonSet / printControllerRevision
  StatefulSet: {
    columns: ['NAME', 'READY', 'AGE'],
    row: (o, now) => [o.metadata.name!, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, age(o, now)],
  },
  DaemonSet: {
    columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
    row: (o, now) => {
      const s = o.status ?? {};
      const sel = Object.entries(o.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
      return [o.metadata.name!, String(s.desiredNumberScheduled ?? 0), String(s.currentNumberScheduled ?? 0), String(s.numberReady ?? 0), String(s.updatedNumberScheduled ?? 0), String(s.numberAvailable ?? 0), sel, age(o, now)];
    },
  },
  ControllerRevision: {
    columns: ['NAME', 'CONTROLLER', 'REVISION', 'AGE'],
    row: (o: any, now) => {
      const ref = (o.metadata.ownerReferences ?? []).find((r: any) => r.controller);
      return [o.metadata.name!, ref ? `${String(ref.kind).toLowerCase()}.apps/${ref.name}` : '<none>', String(o.revision ?? 0), age(o, now)];
    },
  },
  Node: {
    columns: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    row: (o, now) => {
      const ready = (o.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      let status = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
      if (o.spec?.unschedulable) status += ',SchedulingDisabled';
      return [o.metadata.name!, status, '<none>', age(o, now), o.status?.nodeInfo?.kubeletVersion ?? ''];
    },
  },
  Service: {
    columns: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    row: (o, now) => [o.metadata.name!, o.spec?.type ?? 'ClusterIP', o.spec?.clusterIP || '<none>', serviceExternalIPText(o), servicePortsText(o), age(o, now)],
  },
  Endpoints: {
    columns: ['NAME', 'ENDPOINTS', 'AGE'],
    row: (o, now) => [o.metadata.name!, endpointsText(o), age(o, now)],
  },
  Job: {
    // printers.go printJob (the STATUS column since 1.30)
    columns: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
    row: (o, now) => {
      const has = (t: string) => (o.status?.conditions ?? []).some((c: any) => c.type === t && c.status === 'True');
      const status = has('Complete') ? 'Complete' : has('Failed') ? 'Failed' : o.metadata.deletionTimestamp ? 'Terminating' : has('Suspended') ? 'Suspended' : has('FailureTarget') ? 'FailureTarget' : has('SuccessCriteriaMet') ? 'SuccessCriteriaMet' : 'Running';
      const succeeded = o.status?.succeeded ?? 0;
      const p = o.spec?.parallelism ?? 1;
      const completions = o.spec?.completions != null ? `${succeeded}/${o.spec.completions}` : p > 1 ? `${succeeded}/1 of ${p}` : `${succeeded}/1`;
      const start = parseTimestamp(o.status?.startTime), end = parseTimestamp(o.status?.completionTime);
      const duration = start === undefined ? '' : ageOf(o.status.startTime, end ?? now);
      return [o.metadata.name!, status, completions, duration, age(o, now)];
    },
  },
  CronJob: {
    // printers.go printCronJob
    columns: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
    row: (o, now) => [
      o.metadata.name!, o.spec?.schedule ?? '', o.spec?.timeZone ?? '<none>', o.spec?.suspend ? 'True' : 'False', String((o.status?.active ?? []).length),
      o.status?.lastScheduleTime ? ageOf(o.status.lastScheduleTime, now) : '<none>', age(o, now),
    ],
  },
  // printers.go printPersistentVolume / printPersistentVolumeClaim / printStorageClass
  PersistentVolume: {
    columns: ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
    row: (o, now) => {
      const ref = o.spec?.claimRef;
      return [o.metadata.name!, String(o.spec?.capacity?.storage ?? ''), accessModesText(o.spec?.accessModes), o.spec?.persistentVolumeReclaimPolicy ?? '', o.status?.phase ?? '', ref ? `${ref.namespace}/${ref.name}` : '', o.spec?.storageClassName ?? '', o.spec?.volumeAttributesClassName || '<unset>', o.status?.reason ?? '', age(o, now)];
    },
  },
  PersistentVolumeClaim: {
    columns: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
    row: (o, now) => {
      const bound = o.status?.phase === 'Bound';
      return [o.metadata.name!, o.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase ?? '', o.spec?.volumeName ?? '', bound ? String(o.status?.capacity?.storage ?? '') : '', bound ? accessModesText(o.status?.accessModes) : '', o.spec?.storageClassName ?? '<unset>', o.spec?.volumeAttributesClassName || '<unset>', age(o, now)];
    },
  },
  StorageClass: {
    columns: ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'],
    row: (o: any, now) => [o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? `${o.metadata.name} (default)` : o.metadata.name, o.provisioner ?? '', o.reclaimPolicy ?? 'Delete', o.volumeBindingMode ?? 'Immediate', String(!!o.allowVolumeExpansion), age(o, now)],
  },
  Event: {
    columns: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    row: (o: any, now) => [ageOf(o.lastTimestamp, now), o.type, o.reason, `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name}`, o.message],
  },
};

/** storage/util GetAccessModesAsString: RWO,ROX,RWX,RWOP in that order */
function accessModesText(modes: string[] | undefined): string {
  const m = modes ?? [];
  return ([['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']] as const).filter(([k]) => m.includes(k)).map(([, v]) => v).join(',');
}

function replicated(): Printer {
  return {
    columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    row: (o, now) => [o.metadata.name!, String(o.spec?.replicas ?? 1), String(o.status?.replicas ?? 0), String(o.status?.readyReplicas ?? 0), age(o, now)],
  };
}

/** The STATUS column of `kubectl get pods` (pkg/printers/internalversion/printers.go printPod). */
export function podStatus(pod: KubeObject): string {
  let reason: string = pod.status?.reason ?? pod.status?.phase ?? 'Pending';
  let hasRunning = false;
  // init containers first: Init:N/M while they run, Init:<reason> when one waits or failed
  const initSpecs: any[] = pod.spec?.initContainers ?? [];
  const initStatuses: any[] = pod.status?.initContainerStatuses ?? [];
  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const restartable = initSpecs.find((x) => x.name === c.name)?.restartPolicy === 'Always';
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (restartable && c.started) continue;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }
  const initialized = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Initialized')?.status === 'True';
  if (initializing && !initialized) return pod.metadata.deletionTimestamp ? 'Terminating' : reason;
  const statuses: any[] = pod.status?.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i];
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.ready && c.state?.running) hasRunning = true;
  }
  if (reason === 'Completed' && hasRunning) {
    const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status === 'True';
    reason = ready ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function age(o: KubeObject, now: number): string {
  return ageOf(o.metadata.creationTimestamp, now);
}

/** kubectl's HumanDuration, shortened: 5s, 2m30s, 3h, ... */
function ageOf(ts: string | undefined, now: number): string {
  const t = parseTimestamp(ts);
  if (t === undefined) return '<unknown>';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  return h < 48 ? (m % 60 ? `${h}h${m % 60}m` : `${h}h`) : `${Math.floor(h / 24)}d`;
}
