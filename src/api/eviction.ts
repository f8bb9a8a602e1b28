// The Eviction API (pkg/registry/core/pod/storage/eviction.go EvictionREST.Create): a pod
// delete that honours its PodDisruptionBudget. A pod that is already terminal, Pending or
// terminating is deleted without looking at budgets; otherwise the one matching PDB must allow
// a disruption, which the eviction spends at once (disruptionsAllowed - 1 and the pod recorded in
// status.disruptedPods) so that concurrent evictions cannot overspend it. More than one PDB is
// an error; a budget the controller has not caught up with yet (observedGeneration behind) is a 429.

import type { ApiServer, DeleteOptions } from './server.js';
import type { KubeObject } from './types.js';
import { ApiError, notFound } from './errors.js';
import { timestamp } from './time.js';
import { pdbsForPod, updateDisruptionAllowedCondition } from '../controllers/disruption.js';
import { isPodReady } from '../controllers/controller_utils.js';

export const PDB_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_PDBS = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

/** canIgnorePDB */
function canIgnorePDB(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

/**
 * Evict a pod. Returns normally when the pod was deleted (gracefully: it may still be
 * terminating); throws ApiError TooManyRequests (429) when a budget forbids it, InternalError
 * (500) for several budgets, NotFound when there is no such pod.
 */
export function evict(api: ApiServer, namespace: string, name: string, opts: DeleteOptions = {}): void {
  const pod = api.get('Pod', namespace, name);
  if (!pod) throw notFound('Pod', 'v1', name);
  if (canIgnorePDB(pod)) {
    deleteEvicted(api, pod, opts);
    return;
  }
  const pdbs = pdbsForPod(api, pod);
  if (pdbs.length > 1) throw new ApiError('InternalError', MULTIPLE_PDBS);
  if (pdbs.length === 1) {
    const pdb = pdbs[0];
    const st = pdb.status ?? {};
    const unhealthyAlwaysAllowed = pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
    // an unready pod does not count towards currentHealthy: evicting it spends nothing, either
    // always (AlwaysAllow) or while the budget is met (IfHealthyBudget, the default)
    const unreadyFree = !isPodReady(pod) && (unhealthyAlwaysAllowed || ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0));
    if (!unreadyFree) checkAndDecrement(api, pdb, pod.metadata.name!);
  }
  deleteEvicted(api, pod, opts);
}

/** checkAndDecrement */
function checkAndDecrement(api: ApiServer, pdb: KubeObject, podName: string): void {
  const st = pdb.status ?? {};
  if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) {
    throw new ApiError('TooManyRequests', PDB_VIOLATION, [`The disruption budget ${pdb.metadata.name} is still being processed by the server.`]);
  }
  if ((st.disruptionsAllowed ?? 0) < 0) throw new ApiError('Forbidden', `poddisruptionbudgets.policy "${pdb.metadata.name}" is forbidden: pdb disruptions allowed is negative`);
  if ((st.disruptionsAllowed ?? 0) === 0) {
    throw new ApiError('TooManyRequests', PDB_VIOLATION, [`The disruption budget ${pdb.metadata.name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`]);
  }
  const now = api.sim.now;
  api.mutate('PodDisruptionBudget', pdb.metadata.namespace, pdb.metadata.name!, (d) => {
    d.status.disruptionsAllowed -= 1;
    if (d.status.disruptionsAllowed === 0) updateDisruptionAllowedCondition(d.status, now);
    d.status.disruptedPods = { ...(d.status.disruptedPods ?? {}), [podName]: timestamp(now) };
  }, 'status');
}

/** addConditionAndDeletePod: the DisruptionTarget condition (EvictionByEvictionAPI), then the delete */
function deleteEvicted(api: ApiServer, pod: KubeObject, opts: DeleteOptions): void {
  const phase = pod.status?.phase;
  if (!pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') {
    api.mutate('Pod', pod.metadata.namespace, pod.metadata.name!, (d) => {
      d.status ??= {};
      const conds: any[] = (d.status.conditions ??= []);
      const c = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: timestamp(api.sim.now) };
      const i = conds.findIndex((x) => x.type === 'DisruptionTarget');
      if (i >= 0) conds[i] = c;
      else conds.push(c);
    }, 'status');
  }
  api.delete('Pod', pod.metadata.namespace, pod.metadata.name!, opts);
}
