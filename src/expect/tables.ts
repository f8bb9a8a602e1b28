// kubectl-get-style tables of objects at one instant, with kubectl's columns
// (staging/src/k8s.io/kubectl and pkg/printers/internalversion/printers.go), for failure stories.

import type { KubeObject } from '../api/types.js';
import { parseTimestamp } from '../api/time.js';
import type { Snapshot } from '../result.js';

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
      const restarts = cs.reduce((n, c) => n + (c.restartCount ?? 0), 0);
      return [o.metadata.name!, `${ready}/${total}`, podStatus(o), String(restarts), age(o, now), o.status?.podIP ?? '<none>', o.spec?.nodeName ?? '<none>'];
    },
  },
  ReplicaSet: replicated(),
  ReplicationController: replicated(),
  Deployment: {
    columns: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    row: (o, now) => [o.metadata.name!, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, String(o.status?.updatedReplicas ?? 0), String(o.status?.availableReplicas ?? 0), age(o, now)],
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
  Event: {
    columns: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    row: (o: any, now) => [ageOf(o.lastTimestamp, now), o.type, o.reason, `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name}`, o.message],
  },
};

function replicated(): Printer {
  return {
    columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    row: (o, now) => [o.metadata.name!, String(o.spec?.replicas ?? 1), String(o.status?.replicas ?? 0), String(o.status?.readyReplicas ?? 0), age(o, now)],
  };
}

/** The STATUS column of `kubectl get pods` (printers.go printPod). */
export function podStatus(pod: KubeObject): string {
  let reason: string = pod.status?.reason ?? pod.status?.phase ?? 'Pending';
  let hasRunning = false;
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
