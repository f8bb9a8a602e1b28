// replicaCount: ReplicaSets and ReplicationControllers converge to their spec. Upstream's
// ReplicaSetController.manageReplicas (pkg/controller/replicaset/replica_set.go) creates or
// deletes pods until the active ones (controller.FilterActivePods: not Succeeded/Failed, not
// being deleted) number spec.replicas, and updateReplicaSetStatus then writes status.replicas.
// Both lag by watch and controller latency, so a mismatch is a violation only when it outlives a
// grace window.

import type { InvariantDef, Violation } from './types.js';
import { GraceTracker, ownedPods, ref, type Mismatch } from './util.js';
import { isPodActive } from '../../controllers/controller_utils.js';

/** Long enough for the controller's own round trips, short enough to catch a stuck controller. */
export const REPLICA_COUNT_GRACE_MS = 10_000;

export const replicaCount: InvariantDef = {
  name: 'replicaCount',
  summary: 'every ReplicaSet/ReplicationController has spec.replicas active pods and status.replicas equal to it, within 10s of any change',
  kinds: ['ReplicaSet', 'ReplicationController', 'Pod'],
  create() {
    const grace = new GraceTracker(REPLICA_COUNT_GRACE_MS);
    return {
      check({ api, now }): Violation | undefined {
        const mismatches: Mismatch[] = [];
        for (const kind of ['ReplicaSet', 'ReplicationController']) {
          for (const rs of api.list(kind)) {
            if (rs.metadata.deletionTimestamp) continue;
            const want = rs.spec?.replicas ?? 1;
            const pods = ownedPods(api, rs);
            const active = pods.filter(isPodActive).length;
            const status = rs.status?.replicas ?? 0;
            if (active === want && status === want) continue;
            const what = active !== want ? `${active} active pod${active === 1 ? '' : 's'}` : `status.replicas ${status}`;
            mismatches.push({ key: rs.metadata.uid ?? ref(rs), message: `${ref(rs)} has ${what} for spec.replicas ${want}`, involved: pods, kind: 'Pod' });
          }
        }
        const v = grace.update(mismatches, now);
        return v ? { message: grace.describe(v, now), involved: { kind: v.m.kind, objects: v.m.involved } } : undefined;
      },
      wakeAt: () => grace.wakeAt(),
    };
  },
};
