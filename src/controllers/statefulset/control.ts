// The StatefulSet sync algorithm (pkg/controller/statefulset/stateful_set_control.go
// updateStatefulSet, 1.31+): split pods into the ordinal range and the condemned, fill empty
// slots, walk the slots in ascending order (OrderedReady stops at the first pod that is not
// Running, Ready and available; Parallel does not stop), delete condemned pods from the highest
// ordinal (OrderedReady: one per sync, only when every other pod is healthy), then roll updates
// one pod at a time from the highest ordinal down to the partition.
//
// The pod and claim writes go through a StatefulPodControl, so the algorithm can be tested with a
// fake as upstream's tests do.

import type { KubeObject } from '../../api/types.js';
import { SLOW_START_INITIAL_BATCH_SIZE } from '../controller_utils.js';
import {
  allowsBurst,
  applyRevision,
  getEndOrdinal,
  getOrdinal,
  getPodRevision,
  getStartOrdinal,
  identityMatches,
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
  newVersionedStatefulSetPod,
  podInOrdinalRange,
  storageMatches,
} from './utils.js';

/** MaxBatchSize for Parallel (burst) mode */
export const MAX_BATCH_SIZE = 500;

/** What updateStatefulSet may do to pods and claims (stateful_pod_control.go). Methods throw on failure. */
export interface StatefulPodControl {
  createStatefulPod(set: KubeObject, pod: KubeObject): void;
  deleteStatefulPod(set: KubeObject, pod: KubeObject): void;
  /** fix identity/storage drift and the claims' ownerRefs */
  updateStatefulPod(set: KubeObject, pod: KubeObject): void;
  podClaimIsStale(set: KubeObject, pod: KubeObject): boolean;
  createMissingPersistentVolumeClaims(set: KubeObject, pod: KubeObject): void;
  claimsMatchRetentionPolicy(set: KubeObject, pod: KubeObject): boolean;
  updatePodClaimForRetentionPolicy(set: KubeObject, pod: KubeObject): void;
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

function computeStatus(status: StatefulSetStatus, minReady: number, now: number, lists: KubeObject[][]): void {
  status.replicas = status.readyReplicas = status.availableReplicas = status.currentReplicas = status.updatedReplicas = 0;
  for (const list of lists) {
    for (const pod of list) {
      if (isCreated(pod)) status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas++;
        if (isRunningAndAvailable(pod, minReady, now)) status.availableReplicas++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const rev = getPodRevision(pod);
        if (rev === status.currentRevision) status.currentReplicas++;
        if (rev === status.updateRevision) status.updatedReplicas++;
      }
    }
  }
}

/** runForAll: in order, stopping at the first exit; in burst mode slow-start batches, exits ignored */
function runForAll(n: number, fn: (i: number) => boolean, monotonic: boolean): boolean {
  if (monotonic) {
    for (let i = 0; i < n; i++) if (fn(i)) return true;
    return false;
  }
  // slowStartBatch(1, n, fn): a batch with an error stops the rest; errors propagate as throws
  let remaining = n, j = 0;
  for (let batch = Math.min(remaining, SLOW_START_INITIAL_BATCH_SIZE); batch > 0; batch = Math.min(2 * batch, remaining, MAX_BATCH_SIZE)) {
    let firstError: unknown;
    for (let k = 0; k < batch; k++) {
      try {
        fn(j++);
      } catch (e) {
        firstError ??= e;
      }
    }
    if (firstError !== undefined) throw firstError;
    remaining -= batch;
  }
  return false;
}

export interface UpdateInput {
  set: KubeObject;
  currentRevision: KubeObject;
  updateRevision: KubeObject;
  collisionCount: number;
  /** the set's claimed pods */
  pods: KubeObject[];
  now: number;
  control: StatefulPodControl;
}

/**
 * updateStatefulSet: one sync. Returns the status to record; a write failure is thrown after
 * the status is computed (as upstream returns both), carried in `error`.
 */
export function updateStatefulSet(input: UpdateInput): { status: StatefulSetStatus; error?: unknown } {
  const { set, currentRevision, updateRevision, collisionCount, pods, now, control } = input;
  const currentSet = applyRevision(set, currentRevision);
  const updateSet = applyRevision(set, updateRevision);
  const minReady: number = set.spec?.minReadySeconds ?? 0;
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata.generation,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision: currentRevision.metadata.name!,
    updateRevision: updateRevision.metadata.name!,
    collisionCount,
  };
  computeStatus(status, minReady, now, [pods]);

  const start = getStartOrdinal(set), end = getEndOrdinal(set);
  const replicaCount = Math.max(0, end - start + 1);
  const replicas: (KubeObject | undefined)[] = new Array(replicaCount).fill(undefined);
  const condemned: KubeObject[] = [];
  for (const pod of pods) {
    if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
    else if (getOrdinal(pod) >= 0) condemned.push(pod);
    // a pod whose ordinal does not parse is ignored
  }
  for (let ord = start; ord <= end; ord++) {
    if (!replicas[ord - start]) {
      // a slot not yet created: a pod object without a phase (isCreated is false)
      replicas[ord - start] = newVersionedStatefulSetPod(currentSet, updateSet, currentRevision.metadata.name!, updateRevision.metadata.name!, ord);
    }
  }
  const reps = replicas as KubeObject[];
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));

  let firstUnhealthy: KubeObject | undefined;
  for (const p of reps) if (!firstUnhealthy && isUnavailable(p, minReady, now)) firstUnhealthy = p;
  for (let i = condemned.length - 1; i >= 0 && !firstUnhealthy; i--) if (isUnavailable(condemned[i], minReady, now)) firstUnhealthy = condemned[i];

  const finish = (error?: unknown) => {
    computeStatus(status, minReady, now, [reps, condemned]);
    return error === undefined ? { status } : { status, error };
  };

  if (set.metadata.deletionTimestamp) return { status };
  const monotonic = !allowsBurst(set);

  try {
    // 1. the replicas, ascending
    const processReplica = (i: number): boolean => {
      const pod = reps[i];
      // a Failed or Succeeded pod is deleted; its replacement comes once it is gone [1.31+]
      if (isFailed(pod) || isSucceeded(pod)) {
        if (!pod.metadata.deletionTimestamp) control.deleteStatefulPod(set, pod);
        return true;
      }
      if (!isCreated(pod)) {
        if (control.podClaimIsStale(set, pod)) return true;
        control.createStatefulPod(set, pod);
        if (monotonic) return true;
      }
      if (isPending(pod)) control.createMissingPersistentVolumeClaims(set, pod);
      if (isTerminating(pod) && monotonic) return true;
      if (!isRunningAndReady(pod) && monotonic) return true;
      if (!isRunningAndAvailable(pod, minReady, now) && monotonic) return true;
      let retentionMatch = true;
      try {
        retentionMatch = control.claimsMatchRetentionPolicy(updateSet, pod);
      } catch {
        retentionMatch = true;
      }
      if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
      control.updateStatefulPod(updateSet, structuredClone(pod));
      return false;
    };
    if (runForAll(reps.length, processReplica, monotonic)) return finish();

    // 2. claims of condemned pods get the retention policy's ownerRefs
    const fixPodClaim = (i: number): boolean => {
      if (!control.claimsMatchRetentionPolicy(updateSet, condemned[i])) control.updatePodClaimForRetentionPolicy(updateSet, condemned[i]);
      return false;
    };
    if (runForAll(condemned.length, fixPodClaim, monotonic)) return finish();

    // 3. scale down, highest ordinal first; scaling takes precedence over updates
    const processCondemned = (i: number): boolean => {
      const pod = condemned[i];
      if (isTerminating(pod)) return monotonic;
      if (!isRunningAndReady(pod) && monotonic && pod !== firstUnhealthy) return true;
      if (!isRunningAndAvailable(pod, minReady, now) && monotonic && pod !== firstUnhealthy) return true;
      control.deleteStatefulPod(set, pod);
      return true;
    };
    if (runForAll(condemned.length, processCondemned, monotonic)) return finish();
  } catch (e) {
    return finish(e);
  }

  computeStatus(status, minReady, now, [reps, condemned]);
  const strategy = set.spec?.updateStrategy ?? {};
  if (strategy.type === 'OnDelete') return { status };

  // 4. RollingUpdate: the highest-ordinal pod not at the update revision, one per sync, waiting
  //    for unavailable pods (MaxUnavailableStatefulSet is alpha and off: always one at a time)
  const updateMin: number = strategy.rollingUpdate?.partition ?? 0;
  for (let target = reps.length - 1; target >= updateMin; target--) {
    const pod = reps[target];
    if (getPodRevision(pod) !== updateRevision.metadata.name && !isTerminating(pod)) {
      try {
        control.deleteStatefulPod(set, pod);
      } catch (e) {
        if (!(e as { reason?: string })?.reason || (e as { reason?: string }).reason !== 'NotFound') return { status, error: e };
      }
      status.currentReplicas--;
      return { status };
    }
    if (isUnavailable(pod, minReady, now)) return { status };
  }
  return { status };
}
