// rolloutAvailability: while a RollingUpdate Deployment rolls, at least replicas - maxUnavailable
// of its pods are available and at most replicas + maxSurge exist (reconcileNewReplicaSet and
// reconcileOldReplicaSets in pkg/controller/deployment/rolling.go keep within these bounds).
//
// Precisely (docs/fuzzing.md): "rolling" = the Deployment is not paused and more than one of its
// ReplicaSets has spec.replicas > 0 or active pods. Available = active pods Ready for longer than
// minReadySeconds (podutil.IsPodAvailable). Total = active pods (terminating pods are not counted,
// as upstream's sums of ReplicaSet replicas do not count them). The availability bound applies
// once it held during the rollout (a rollout that starts below it, or a scale-up, re-arms it), and
// is checked at every state; the surge bound tolerates the ReplicaSet controller's deletion lag
// for a 2s grace.

import type { KubeObject } from '../../api/types.js';
import type { InvariantDef, Violation } from './types.js';
import { GraceTracker, ownedOfKind, ownedPods, ref } from './util.js';
import { isPodActive, isPodAvailable } from '../../controllers/controller_utils.js';
import { rollingBounds } from './fenceposts.js';

export const SURGE_GRACE_MS = 2_000;

export const rolloutAvailability: InvariantDef = {
  name: 'rolloutAvailability',
  summary: 'while a Deployment rolls: available pods >= replicas - maxUnavailable, and pods <= replicas + maxSurge',
  kinds: ['Deployment', 'ReplicaSet', 'Pod'],
  create() {
    /** per Deployment uid: whether the availability bound is armed, and the replicas it was armed for */
    const armed = new Map<string, { replicas: number; on: boolean }>();
    const surge = new GraceTracker(SURGE_GRACE_MS);
    return {
      check({ api, now }): Violation | undefined {
        const surgeMismatches = [];
        let violation: Violation | undefined;
        for (const d of api.list('Deployment')) {
          const uid = d.metadata.uid!;
          const b = rollingBounds(d);
          if (!b || d.spec?.paused || d.metadata.deletionTimestamp) {
            armed.delete(uid);
            continue;
          }
          const rss = ownedOfKind(api, d, 'ReplicaSet');
          const podsByRs = rss.map((rs) => ownedPods(api, rs).filter(isPodActive));
          const live = rss.filter((rs, i) => (rs.spec?.replicas ?? 0) > 0 || podsByRs[i].length > 0);
          if (live.length < 2) {
            armed.delete(uid);
            continue;
          }
          const pods: KubeObject[] = podsByRs.flat();
          const minReady = d.spec?.minReadySeconds ?? 0;
          const available = pods.filter((p) => isPodAvailable(p, minReady, now)).length;
          const replicas = d.spec?.replicas ?? 1;
          let a = armed.get(uid);
          if (!a || a.replicas !== replicas) armed.set(uid, (a = { replicas, on: false }));
          if (available >= b.minAvailable) a.on = true;
          else if (a.on && !violation) {
            violation = {
              message: `deployment/${d.metadata.name} is rolling with ${available} available pod${available === 1 ? '' : 's'}, below replicas - maxUnavailable = ${replicas} - ${b.maxUnavailable} = ${b.minAvailable}`,
              mismatches: live.map((rs) => `${ref(rs)}: spec.replicas ${rs.spec?.replicas ?? 0}, ${podsByRs[rss.indexOf(rs)].length} active`),
              involved: { kind: 'Pod', objects: pods },
            };
          }
          if (pods.length > b.maxTotal) {
            surgeMismatches.push({ key: uid, message: `deployment/${d.metadata.name} has ${pods.length} pods, above replicas + maxSurge = ${replicas} + ${b.maxSurge} = ${b.maxTotal}`, involved: pods, kind: 'Pod' });
          }
        }
        const s = surge.update(surgeMismatches, now);
        if (violation) return violation;
        return s ? { message: surge.describe(s, now), involved: { kind: 'Pod', objects: s.m.involved } } : undefined;
      },
      wakeAt: () => surge.wakeAt(),
    };
  },
};
