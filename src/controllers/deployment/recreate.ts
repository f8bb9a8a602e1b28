// Recreate (pkg/controller/deployment/recreate.go rolloutRecreate): scale every old ReplicaSet
// to 0, wait until no old pod is left running (terminating pods count), and only then create
// the new ReplicaSet at full size.

import type { KubeObject } from '../../api/types.js';
import type { DeploymentSync, FoundReplicaSets } from './sync.js';
import { syncRolloutStatus } from './progress.js';
import { deploymentComplete, filterActive, replicasOf, sumStatus } from './util.js';

/** pods of the deployment's ReplicaSets, by RS uid */
export type PodMap = Map<string, KubeObject[]>;

/** `found`: what isScalingEvent found in this sync (DeploymentSync.again) */
export function rolloutRecreate(s: DeploymentSync, d: KubeObject, rsList: KubeObject[], podMap: PodMap, found?: FoundReplicaSets): void {
  // no new RS yet: scaling up before the old pods are gone is what Recreate must not do
  let { newRS, oldRSs } = s.again(found, d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  if (scaleDownOldReplicaSetsForRecreate(s, filterActive(oldRSs), d)) return syncRolloutStatus(s, allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(s, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  s.scaleReplicaSetAndRecordEvent(newRS!, replicasOf(d), d);
  if (deploymentComplete(d, d.status)) s.cleanupDeployment(oldRSs, d);
  syncRolloutStatus(s, allRSs, newRS, d);
}

export function scaleDownOldReplicaSetsForRecreate(s: DeploymentSync, oldRSs: KubeObject[], d: KubeObject): boolean {
  let scaled = false;
  for (const rs of oldRSs) {
    if (replicasOf(rs) === 0) continue;
    if (s.scaleReplicaSetAndRecordEvent(rs, 0, d).scaled) scaled = true;
  }
  return scaled;
}

/**
 * oldPodsRunning: old RSes still report replicas, or a pod of an old RS is in any phase but
 * Succeeded/Failed (Unknown counts, and so does a terminating pod that still runs).
 */
export function oldPodsRunning(newRS: KubeObject | undefined, oldRSs: KubeObject[], podMap: PodMap): boolean {
  if (sumStatus(oldRSs, 'replicas') > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    for (const p of pods) {
      const phase = p.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
