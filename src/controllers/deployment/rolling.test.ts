// The Deployment controller trusts the ReplicaSets' status as upstream does
// (pkg/controller/deployment/rolling.go reconcileOldReplicaSets, scaleDownOldReplicaSetsForRollingUpdate;
// deployment/util GetAvailableReplicaCountForReplicaSets sums status.availableReplicas). This pins
// the step of the rollout-max-unavailable fuzz counterexample (docs/fuzzing.md "Known findings"):
// a status that still counts a deleted pod, with an observedGeneration behind the generation,
// is used as it is, exactly as upstream would.
import { describe, expect, it } from 'vitest';
import { newDeployment, newRS, syncWith } from './testutil.js';
import { cleanupUnhealthyReplicas, reconcileOldReplicaSets, rolloutRolling } from './rolling.js';

describe('reconcileOldReplicaSets on a stale ReplicaSet status', () => {
  it('scales old ReplicaSets down by the sum of their status.availableReplicas, whatever observedGeneration says', () => {
    // d=4, maxSurge 1, maxUnavailable 1 (minAvailable 3). The new RS was just scaled 0 -> 1 (generation 2)
    // and its status (observedGeneration 1) still counts the pod its controller deleted a moment ago.
    const d = newDeployment(4, { surge: 1, unavailable: 1 });
    const old = newRS('foo-v3', 4, { createdSec: 10, available: 4 });
    const stale = newRS('foo-v1', 1, { createdSec: 1, available: 1 });
    stale.metadata.generation = 2;
    const { c, s } = syncWith([old, stale]);
    // allPodsCount 5 - minAvailable 3 - newRSUnavailable (1 - 1 = 0) = maxScaledDown 2;
    // availablePodCount = 4 + 1 = 5 > 3, so the old RS goes down by 5 - 3 = 2
    expect(reconcileOldReplicaSets(s, [old, stale], [old], stale, d)).toBe(true);
    expect(c.replicas('foo-v3')).toBe(2);
    expect(c.events).toEqual(['ScalingReplicaSet: Scaled down replica set foo-v3 from 4 to 2']);
  });

  it('with the status corrected (the deleted pod no longer counted) it keeps minAvailable', () => {
    const d = newDeployment(4, { surge: 1, unavailable: 1 });
    const old = newRS('foo-v3', 4, { createdSec: 10, available: 4 });
    const fresh = newRS('foo-v1', 1, { createdSec: 1, available: 0 });
    const { c, s } = syncWith([old, fresh]);
    // newRSUnavailable 1 - 0 = 1: maxScaledDown = 5 - 3 - 1 = 1; no unhealthy old replica; availablePodCount
    // 4 + 0 = 4, so one old pod goes and 3 stay available: the bound holds
    reconcileOldReplicaSets(s, [old, fresh], [old], fresh, d);
    expect(c.replicas('foo-v3')).toBe(3);
  });

  it('rolloutRolling takes that step when the new ReplicaSet needs no scaling', () => {
    const d = newDeployment(4, { surge: 1, unavailable: 1 });
    const old = newRS('foo-v3', 4, { createdSec: 10, available: 4, image: 'v3' });
    const stale = newRS('foo-v1', 1, { createdSec: 1, available: 1 });
    stale.metadata.annotations = { 'deployment.kubernetes.io/revision': '3' };
    old.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' };
    const { c, s } = syncWith([old, stale]);
    rolloutRolling(s, d, [old, stale].map((x) => c.getReplicaSet('default', x.metadata.name!)!));
    expect(c.replicas('foo-v1')).toBe(1);
    expect(c.replicas('foo-v3')).toBe(2);
  });
});

// Found by the property test (src/fuzz/invariants/deployments.property.test.ts with jittered
// latencies): after a scale-down, an old RS's status can count more available pods than its new
// spec.replicas (the pods its controller is deleting). upstream cleanupUnhealthyReplicas then
// computes a negative scaledDownCount and refuses ("got invalid request to scale down 2 -> 3");
// reconcileOldReplicaSets swallows the error and scales nothing this sync.
describe('cleanupUnhealthyReplicas with status.availableReplicas above spec.replicas', () => {
  it('refuses to scale up, with upstream\'s error', () => {
    const d = newDeployment(2, { surge: 2, unavailable: '3%' });
    const old = newRS('foo-v0', 2, { createdSec: 1, available: 3 });
    const { c, s } = syncWith([old]);
    expect(() => cleanupUnhealthyReplicas(s, [old], d, 1)).toThrow('when cleaning up unhealthy replicas, got invalid request to scale down default/foo-v0 2 -> 3');
    expect(c.replicas('foo-v0')).toBe(2);
    expect(c.events).toEqual([]);
  });

  it('makes reconcileOldReplicaSets do nothing (the property counterexample\'s sync)', () => {
    // d=2, maxSurge 2, maxUnavailable 3% -> 0: minAvailable 2. Two old RSs just scaled down
    // proportionally (5 -> 2 replicas) whose statuses still count the pods being deleted.
    const d = newDeployment(2, { surge: 2, unavailable: '3%' });
    const v0 = newRS('foo-v0', 2, { createdSec: 1, available: 3 });
    const v4 = newRS('foo-v4', 1, { createdSec: 2, available: 2 });
    const v2 = newRS('foo-v2', 1, { createdSec: 3, available: 0 });
    const { c, s } = syncWith([v0, v4, v2]);
    // allPods 4 - minAvailable 2 - newRSUnavailable 1 = maxScaledDown 1 > 0: cleanup runs and refuses
    expect(reconcileOldReplicaSets(s, [v0, v4, v2], [v0, v4], v2, d)).toBe(false);
    expect([c.replicas('foo-v0'), c.replicas('foo-v4'), c.replicas('foo-v2')]).toEqual([2, 1, 1]);
    expect(c.events).toEqual([]);
  });
});
