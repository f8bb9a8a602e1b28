// Executing `kubectl drain` (staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go RunDrain and
// staging/src/k8s.io/kubectl/pkg/drain: GetPodsForDeletion's filters, evictPods, waitForDelete):
// cordon every node, then one node after the other: refuse DaemonSet-managed pods (unless
// --ignore-daemonsets, which skips them), pods with emptyDir (unless --delete-emptydir-data) and
// pods without a controller (unless --force); skip mirror pods; evict the rest through the
// Eviction API, retrying an eviction a PodDisruptionBudget refuses (429) every 5 s until
// --timeout; the node is drained once every evicted pod is gone. The step completes then.

import type { Cluster } from './cluster.js';
import type { Action } from '../kubectl/types.js';
import type { KubeObject } from '../api/types.js';
import type { PendingRollout } from '../controllers/deployment/kubectl_actions.js';
import { ApiError } from '../api/errors.js';
import { parseSelector } from '../api/labels.js';
import { getControllerOf } from '../api/server.js';
import { evict } from '../api/eviction.js';
import { formatDuration } from '../util/duration.js';
import { ActionError } from './actions.js';
import { cordonAction } from './node_actions.js';

type DrainAction = Extract<Action, { verb: 'drain' }>;

export const EVICTION_RETRY_MS = 5_000;
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

export interface PodDeleteStatus {
  delete: boolean;
  reason: 'Okay' | 'Skip' | 'Warning' | 'Error';
  message?: string;
}

const okay: PodDeleteStatus = { delete: true, reason: 'Okay' };

function finished(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** filters.go makeFilters, in order; the first filter that keeps a pod decides (GetPodsForDeletion) */
export function podDeleteStatus(pod: KubeObject, opts: { force: boolean; ignoreDaemonSets: boolean; deleteEmptyDirData: boolean }, daemonSetExists: (ns: string, name: string) => boolean): PodDeleteStatus {
  const filters: (() => PodDeleteStatus)[] = [
    () => {
      // daemonSetFilter
      const ref = getControllerOf(pod);
      if (!ref || ref.kind !== 'DaemonSet' || finished(pod)) return okay;
      if (!daemonSetExists(pod.metadata.namespace ?? 'default', ref.name)) {
        const msg = `daemonsets.apps "${ref.name}" not found`;
        return opts.force ? { delete: true, reason: 'Warning', message: msg } : { delete: false, reason: 'Error', message: msg };
      }
      return opts.ignoreDaemonSets ? { delete: false, reason: 'Warning', message: DAEMONSET_WARNING } : { delete: false, reason: 'Error', message: DAEMONSET_FATAL };
    },
    // mirrorPodFilter
    () => (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined ? { delete: false, reason: 'Skip' } : okay),
    () => {
      // localStorageFilter
      if (!(pod.spec?.volumes ?? []).some((v: any) => v.emptyDir !== undefined) || finished(pod)) return okay;
      return opts.deleteEmptyDirData ? { delete: true, reason: 'Warning', message: LOCAL_STORAGE_WARNING } : { delete: false, reason: 'Error', message: LOCAL_STORAGE_FATAL };
    },
    () => {
      // unreplicatedFilter
      if (finished(pod) || getControllerOf(pod)) return okay;
      return opts.force ? { delete: true, reason: 'Warning', message: UNMANAGED_WARNING } : { delete: false, reason: 'Error', message: UNMANAGED_FATAL };
    },
  ];
  let status = okay;
  for (const f of filters) {
    status = f();
    if (!status.delete) break;
  }
  return status;
}

/** PodDeleteList.errors / Warnings: grouped by message, in the order messages first appear */
function grouped(items: { pod: KubeObject; status: PodDeleteStatus }[], reason: 'Error' | 'Warning'): [string, string[]][] {
  const m = new Map<string, string[]>();
  for (const i of items) {
    if (i.status.reason !== reason) continue;
    const msg = i.status.message || 'unexpected error';
    if (!m.has(msg)) m.set(msg, []);
    m.get(msg)!.push(`${i.pod.metadata.namespace}/${i.pod.metadata.name}`);
  }
  return [...m];
}

/** utilerrors.NewAggregate(...).Error() */
function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

interface PodWork {
  pod: KubeObject;
  state: 'evicting' | 'waiting' | 'done' | 'failed';
  error?: string;
  timer?: { cancel(): void };
}

export function drainAction(cluster: Cluster, action: DrainAction): { output: string[]; pending?: PendingRollout } {
  const api = cluster.api;
  const sim = cluster.sim;
  // RunCordonOrUncordon(true): node lookup errors end the command before anything is drained
  const output = cordonAction(cluster, { verb: 'cordon', target: action.target });
  const nodes = output.map((l) => l.replace(/^node\/(\S+) .*$/, '$1'));
  let podSelector;
  try {
    podSelector = action.podSelector !== undefined ? parseSelector(action.podSelector) : undefined;
  } catch (e) {
    throw new ActionError(`error: ${(e as Error).message}`);
  }
  const fatal: string[] = [];
  const remaining: string[] = [];
  let nodeIndex = -1;
  let work: PodWork[] = [];
  let timeoutTimer: { cancel(): void } | undefined;
  let finishedAll = false;

  const nodeDone = (name: string, err: string | undefined) => {
    timeoutTimer?.cancel();
    timeoutTimer = undefined;
    for (const w of work) w.timer?.cancel();
    if (err === undefined) output.push(`node/${name} drained`);
    else {
      output.push(`error: unable to drain node "${name}" due to error: ${err}, continuing command...`);
      fatal.push(err);
      remaining.push(name);
    }
    startNext();
  };

  const attempt = (w: PodWork) => {
    const ns = w.pod.metadata.namespace!, name = w.pod.metadata.name!;
    if (action.disableEviction) {
      try {
        api.delete('Pod', ns, name, action.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: action.gracePeriodSeconds } : {});
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.reason !== 'NotFound') {
          w.state = 'failed';
          w.error = e.message;
          return;
        }
      }
      w.state = 'waiting';
      return;
    }
    output.push(`evicting pod ${ns}/${name}`);
    try {
      const cur = api.get('Pod', ns, name);
      if (!cur || cur.metadata.uid !== w.pod.metadata.uid) throw new ApiError('NotFound', `pods "${name}" not found`);
      evict(api, ns, name, action.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: action.gracePeriodSeconds } : {});
      w.state = 'waiting';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.reason === 'NotFound') w.state = 'done';
      else if (e.reason === 'TooManyRequests') {
        // stderr, interleaved with stdout as a terminal shows them
        output.push(`error when evicting pods/"${name}" -n "${ns}" (will retry after 5s): ${e.message}`);
        w.timer = sim.schedule(EVICTION_RETRY_MS, 'kubectl-drain/retry', () => {
          w.timer = undefined;
          if (w.state === 'evicting') attempt(w);
        });
      } else {
        w.state = 'failed';
        w.error = `error when evicting pods/"${name}" -n "${ns}": ${e.message}`;
      }
    }
  };

  const startNext = () => {
    nodeIndex++;
    if (nodeIndex >= nodes.length) {
      finishedAll = true;
      return;
    }
    const name = nodes[nodeIndex];
    const pods = api.store.podsOnNode(name)
      .filter((p) => !podSelector || podSelector.matches(p.metadata.labels))
      .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
    const items = pods.map((pod) => ({ pod, status: podDeleteStatus(pod, action, (ns, ds) => !!api.get('DaemonSet', ns, ds)) }));
    const errs = grouped(items, 'Error').map(([msg, ps]) => (msg.toLowerCase().startsWith('cannot delete') ? `${msg}: ${ps.join(', ')}` : `cannot delete ${msg}: ${ps.join(', ')}`));
    if (errs.length) return nodeDone(name, aggregate(errs));
    const warnings = grouped(items, 'Warning').map(([msg, ps]) => `${msg}: ${ps.join(', ')}`);
    if (warnings.length) output.push(`Warning: ${warnings.join('; ')}`);
    work = items.filter((i) => i.status.delete).map((i) => ({ pod: i.pod, state: 'evicting' as const }));
    if (action.timeoutMs > 0) {
      timeoutTimer = sim.schedule(action.timeoutMs, 'kubectl-drain/timeout', () => {
        timeoutTimer = undefined;
        const limit = formatDuration(action.timeoutMs);
        for (const w of work) {
          const ns = w.pod.metadata.namespace, pn = w.pod.metadata.name;
          if (w.state === 'evicting') w.error = `error when evicting pods/"${pn}" -n "${ns}": global timeout reached: ${limit}`;
          else if (w.state === 'waiting') w.error = `error when waiting for pod "${pn}" in namespace "${ns}" to terminate: global timeout reached: ${limit}`;
          else continue;
          w.state = 'failed';
          w.timer?.cancel();
        }
        progress();
      });
    }
    for (const w of work) attempt(w);
    progress();
  };

  /** waitForDelete: a pod is gone when it is not found or has another uid; then the node is done */
  const progress = () => {
    if (finishedAll) return;
    for (const w of work) {
      if (w.state !== 'waiting') continue;
      const cur = api.get('Pod', w.pod.metadata.namespace, w.pod.metadata.name!);
      if (!cur || cur.metadata.uid !== w.pod.metadata.uid) {
        w.state = 'done';
        output.push(`pod/${w.pod.metadata.name} ${action.disableEviction ? 'deleted' : 'evicted'}`);
      }
    }
    if (work.some((w) => w.state === 'evicting' || w.state === 'waiting')) return;
    const errs = work.filter((w) => w.state === 'failed').map((w) => w.error!);
    if (errs.length) {
      const pending = work.filter((w) => w.state === 'failed').map((w) => `${w.pod.metadata.namespace}/${w.pod.metadata.name}`);
      output.push(`There are pending pods in node "${nodes[nodeIndex]}" when an error occurred: ${aggregate(errs)}`, ...pending);
      return nodeDone(nodes[nodeIndex], aggregate(errs));
    }
    nodeDone(nodes[nodeIndex], undefined);
  };

  startNext();
  const check = () => {
    progress();
    if (!finishedAll) return { done: false, output };
    if (!remaining.length) return { done: true, output };
    const error = [...output, 'There are pending nodes to be drained:', ...remaining.map((n) => ` ${n}`), aggregate(fatal)].join('\n');
    return { done: true, error, output };
  };
  if (finishedAll) {
    const c = check();
    if (c.error !== undefined) throw new ActionError(c.error);
    return { output };
  }
  return { output, pending: { check, timeoutError: '' } };
}
