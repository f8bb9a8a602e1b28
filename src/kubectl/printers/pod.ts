// `kubectl get pods` rows: pkg/printers/internalversion/printers.go printPod. The STATUS column's
// reason logic (Init:N/M, Init:<reason>, the last container's waiting/terminated reason,
// Completed -> Running/NotReady while a container still runs, SchedulingGated, Terminating only
// for a non-terminal pod, Unknown for a NodeLost pod being deleted), READY counting started
// sidecars, and RESTARTS with "(Xs ago)" from the newest lastState.terminated.finishedAt.

import type { KubeObject } from '../../api/types.js';
import { parseTimestamp } from '../../api/time.js';
import { humanDuration, translateTimestampSince } from './duration.js';

/** node.NodeUnreachablePodReason */
const NODE_LOST = 'NodeLost';

interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

const isRestartable = (c: any): boolean => c?.restartPolicy === 'Always';

function summarize(pod: KubeObject, now: number): PodSummary {
  const spec: any = pod.spec ?? {};
  const status: any = pod.status ?? {};
  let restarts = 0;
  let restartableRestarts = 0;
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let lastRestart = -Infinity;
  let lastRestartableRestart = -Infinity;
  const phase: string = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  const initSpecs = new Map<string, any>();
  for (const c of spec.initContainers ?? []) {
    initSpecs.set(c.name, c);
    if (isRestartable(c)) total++;
  }
  const finishedAt = (c: any): number => parseTimestamp(c.lastState?.terminated?.finishedAt) ?? -Infinity;

  let initializing = false;
  const inits: any[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finishedAt(c));
    const restartable = isRestartable(initSpecs.get(c.name));
    if (restartable) {
      restartableRestarts += c.restartCount ?? 0;
      lastRestartableRestart = Math.max(lastRestartableRestart, finishedAt(c));
    }
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && (t.exitCode ?? 0) === 0) continue;
    if (restartable && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode ?? 0}`;
    else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c: any) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const cs: any[] = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finishedAt(c));
      const w = c.state?.waiting;
      const t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === NODE_LOST) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart !== -Infinity ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

/** The STATUS column of `kubectl get pods`. */
export function podStatus(pod: KubeObject): string {
  return summarize(pod, 0).status;
}

/** NAME READY STATUS RESTARTS AGE, then (wide) IP NODE NOMINATED NODE READINESS GATES. */
export function podRow(pod: KubeObject, now: number): string[] {
  const s = summarize(pod, now);
  const status: any = pod.status ?? {};
  const spec: any = pod.spec ?? {};
  const ip: string = status.podIPs?.[0]?.ip || status.podIP || '<none>';
  let gates = '<none>';
  const rg: any[] = spec.readinessGates ?? [];
  if (rg.length > 0) {
    let trueConditions = 0;
    for (const g of rg) {
      const c = (status.conditions ?? []).find((x: any) => x.type === g.conditionType);
      if (c?.status === 'True') trueConditions++;
    }
    gates = `${trueConditions}/${rg.length}`;
  }
  return [
    pod.metadata.name!, s.ready, s.status, s.restarts, translateTimestampSince(pod.metadata.creationTimestamp, now),
    ip, spec.nodeName || '<none>', status.nominatedNodeName || '<none>', gates,
  ];
}
