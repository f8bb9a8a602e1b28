// Rollout progress (pkg/controller/deployment/progress.go syncRolloutStatus and
// requeueStuckDeployment): the Progressing condition (NewReplicaSetAvailable, ReplicaSetUpdated,
// ProgressDeadlineExceeded), ReplicaFailure copied from the ReplicaSets, and a requeue at the
// progress deadline so that a stalled rollout is noticed without any other event.

import type { KubeObject } from '../../api/types.js';
import { parseTimestamp } from '../../api/time.js';
import type { DeploymentSync } from './sync.js';
import { calculateStatus, sameStatus } from './sync.js';
import {
  REASON,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  removeCondition,
  setCondition,
  type DeploymentCondition,
} from './util.js';

export function syncRolloutStatus(s: DeploymentSync, allRSsIn: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject): void {
  const now = s.now;
  const allRSs = allRSsIn.filter((rs): rs is KubeObject => !!rs);
  const newStatus = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(newStatus, 'Progressing');

  // one active RS and a finished rollout: a resync, nothing to estimate
  const currentCond = getCondition(d.status, 'Progressing');
  const isCompleteDeployment = (newStatus.replicas ?? 0) === (newStatus.updatedReplicas ?? 0) && currentCond?.reason === REASON.NewRSAvailable;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, newStatus)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(newStatus, newCondition('Progressing', 'True', REASON.NewRSAvailable, msg, now));
    } else if (deploymentProgressing(d, newStatus)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const condition = newCondition('Progressing', 'True', REASON.ReplicaSetUpdated, msg, now);
      // same reason again must still refresh lastUpdateTime: replace the condition, keeping
      // lastTransitionTime if it was already True
      if (currentCond) {
        if (currentCond.status === 'True') condition.lastTransitionTime = currentCond.lastTransitionTime;
        removeCondition(newStatus, 'Progressing');
      }
      setCondition(newStatus, condition);
    } else if (deploymentTimedOut(d, newStatus, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(newStatus, newCondition('Progressing', 'False', REASON.TimedOut, msg, now));
    }
  }

  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(newStatus, failure);
  else removeCondition(newStatus, 'ReplicaFailure');

  if (sameStatus(d.status, newStatus)) {
    requeueStuckDeployment(s, d, newStatus);
    return;
  }
  d.status = newStatus;
  s.client.updateDeploymentStatus(d);
}

/** getReplicaFailures: the new RS's ReplicaFailure condition, else any RS's */
function replicaFailure(allRSs: KubeObject[], newRS: KubeObject | undefined): DeploymentCondition | undefined {
  const find = (rs: KubeObject) => (rs.status?.conditions ?? []).find((c: any) => c.type === 'ReplicaFailure');
  const c = (newRS && find(newRS)) ?? allRSs.filter((rs) => rs !== newRS).map(find).find(Boolean);
  if (!c) return undefined;
  return { type: 'ReplicaFailure', status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
}

/**
 * requeueStuckDeployment: look again when the deadline passes (lastUpdateTime + deadline - now,
 * plus 1 s against clock skew). Upstream requeues rate-limited when less than 1 s remains; we
 * requeue just after the deadline instead, which is when that loop would first succeed.
 */
export function requeueStuckDeployment(s: DeploymentSync, d: KubeObject, newStatus: any): number {
  const cur = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !cur) return -1;
  if (deploymentComplete(d, newStatus) || cur.reason === REASON.TimedOut) return -1;
  const deadline = (parseTimestamp(cur.lastUpdateTime) ?? 0) + d.spec.progressDeadlineSeconds * 1000;
  const after = deadline - s.now;
  if (after < 1000) {
    s.client.requeueAfter(d, Math.max(1, after + 1));
    return 0;
  }
  s.client.requeueAfter(d, after + 1000);
  return after;
}
