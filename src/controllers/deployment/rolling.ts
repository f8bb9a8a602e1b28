// RollingUpdate (pkg/controller/deployment/rolling.go): scale the new ReplicaSet up within
// maxSurge, then the old ones down within maxUnavailable, one step per sync; the next step waits
// for the ReplicaSets' status (availability) to catch up.

import type { KubeObject } from '../../api/types.js';
import type { DeploymentSync, FoundReplicaSets } from './sync.js';
import { syncRolloutStatus } from './progress.js';
import {
  byCreationTimestamp,
  deploymentComplete,
  filterActive,
  maxUnavailable,
  newRSNewReplicas,
  replicasOf,
  sumSpecReplicas,
  sumStatus,
} from './util.js';

/** `found`: what isScalingEvent found in this sync (DeploymentSync.again) */
export function rolloutRolling(s: DeploymentSync, d: KubeObject, rsList: KubeObject[], found?: FoundReplicaSets): void {
  const got = s.again(found, d, rsList, true);
  const newRS = got.newRS!;
  const oldRSs = got.oldRSs;
  const allRSs = [...oldRSs, newRS];
  if (reconcileNewReplicaSet(s, allRSs, newRS, d)) return syncRolloutStatus(s, allRSs, newRS, d);
  if (reconcileOldReplicaSets(s, allRSs, filterActive(oldRSs), newRS, d)) return syncRolloutStatus(s, allRSs, newRS, d);
  // judged on the status before this sync, as upstream
  if (deploymentComplete(d, d.status)) s.cleanupDeployment(oldRSs, d);
  syncRolloutStatus(s, allRSs, newRS, d);
}

/** reconcileNewReplicaSet: scale the new RS to NewRSNewReplicas (or down to replicas); true if it scaled */
export function reconcileNewReplicaSet(s: DeploymentSync, allRSs: KubeObject[], newRS: KubeObject, d: KubeObject): boolean {
  const replicas = replicasOf(d);
  if (replicasOf(newRS) === replicas) return false;
  if (replicasOf(newRS) > replicas) return s.scaleReplicaSetAndRecordEvent(newRS, replicas, d).scaled;
  return s.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(d, allRSs, newRS), d).scaled;
}

/**
 * reconcileOldReplicaSets: how many old pods may go without dropping below minAvailable
 * (counting the new RS's unavailable pods as already missing); unhealthy old replicas go first.
 * Errors are swallowed (returns false), as upstream.
 */
export function reconcileOldReplicaSets(s: DeploymentSync, allRSs: KubeObject[], oldRSs: KubeObject[], newRS: KubeObject, d: KubeObject): boolean {
  if (sumSpecReplicas(oldRSs) === 0) return false;
  const allPods = sumSpecReplicas(allRSs);
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newRSUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;
  try {
    const cleaned = cleanupUnhealthyReplicas(s, oldRSs, d, maxScaledDown);
    const scaledDown = scaleDownOldReplicaSetsForRollingUpdate(s, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
    return cleaned.count + scaledDown > 0;
  } catch {
    return false;
  }
}

/** cleanupUnhealthyReplicas: scale down old RSes by their unavailable replicas, oldest first */
export function cleanupUnhealthyReplicas(s: DeploymentSync, oldRSsIn: KubeObject[], d: KubeObject, maxCleanupCount: number): { oldRSs: KubeObject[]; count: number } {
  const oldRSs = [...oldRSsIn].sort(byCreationTimestamp);
  let total = 0;
  for (let i = 0; i < oldRSs.length; i++) {
    if (total >= maxCleanupCount) break;
    const rs = oldRSs[i];
    const spec = replicasOf(rs), available = rs.status?.availableReplicas ?? 0;
    if (spec === 0 || spec === available) continue;
    const n = Math.min(maxCleanupCount - total, spec - available);
    // a status that still counts pods of a larger size (written over the pods listed before a
    // scale-down's deletes) has available > spec: upstream refuses to "clean up" upwards and the
    // error makes reconcileOldReplicaSets do nothing this sync (rolling.go cleanupUnhealthyReplicas)
    if (spec - n > spec) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${spec} -> ${spec - n}`);
    const r = s.scaleReplicaSetAndRecordEvent(rs, spec - n, d);
    total += n;
    oldRSs[i] = r.rs;
  }
  return { oldRSs, count: total };
}

/** scaleDownOldReplicaSetsForRollingUpdate: remove available old pods above minAvailable, oldest RS first */
export function scaleDownOldReplicaSetsForRollingUpdate(s: DeploymentSync, allRSs: KubeObject[], oldRSsIn: KubeObject[], d: KubeObject): number {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = sumStatus(allRSs, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const oldRSs = [...oldRSsIn].sort(byCreationTimestamp);
  const totalScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of oldRSs) {
    if (total >= totalScaleDown) break;
    if (replicasOf(rs) === 0) continue;
    const n = Math.min(replicasOf(rs), totalScaleDown - total);
    if (replicasOf(rs) - n > replicasOf(rs)) throw new Error(`when scaling down old RS, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicasOf(rs)} -> ${replicasOf(rs) - n}`);
    s.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - n, d);
    total += n;
  }
  return total;
}
