// statefulSetOrdering: an OrderedReady StatefulSet creates pod N only when pods 0..N-1 are Running
// and Ready (pkg/controller/statefulset/stateful_set_control.go: processReplica stops at the
// first unhealthy replica when monotonic; test helper assertMonotonicInvariants in
// stateful_set_control_test.go). Checked at each pod's creation: every lower ordinal below
// spec.replicas must exist and have been Running and Ready within the last 2s (the controller
// decides on what its informer saw, one watch latency ago).

import type { KubeObject } from '../../api/types.js';
import type { InvariantDef, Violation } from './types.js';
import { ownedPods } from './util.js';
import { isPodReady } from '../../controllers/controller_utils.js';

export const ORDERING_LAG_MS = 2_000;

function ordinalOf(setName: string, pod: KubeObject): number | undefined {
  const name = pod.metadata.name!;
  const m = new RegExp(`^${setName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(name);
  return m ? Number(m[1]) : undefined;
}

function runningAndReady(p: KubeObject): boolean {
  return p.status?.phase === 'Running' && isPodReady(p) && !p.metadata.deletionTimestamp;
}

export const statefulSetOrdering: InvariantDef = {
  name: 'statefulSetOrdering',
  summary: 'an OrderedReady StatefulSet creates pod N only after pods 0..N-1 are Running and Ready',
  kinds: ['StatefulSet', 'Pod'],
  create() {
    const seen = new Set<string>();
    /** pod uid -> last instant it was Running and Ready */
    const lastHealthy = new Map<string, number>();
    return {
      check({ api, now }): Violation | undefined {
        let violation: Violation | undefined;
        for (const set of api.list('StatefulSet')) {
          const ordered = (set.spec?.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
          const pods = ownedPods(api, set);
          const byOrdinal = new Map<number, KubeObject>();
          for (const p of pods) {
            const o = ordinalOf(set.metadata.name!, p);
            if (o !== undefined) byOrdinal.set(o, p);
            if (runningAndReady(p)) lastHealthy.set(p.metadata.uid!, now);
          }
          for (const p of pods) {
            const uid = p.metadata.uid!;
            if (seen.has(uid)) continue;
            seen.add(uid);
            const n = ordinalOf(set.metadata.name!, p);
            if (!ordered || n === undefined || violation) continue;
            const replicas = set.spec?.replicas ?? 1;
            for (let j = 0; j < Math.min(n, replicas); j++) {
              const q = byOrdinal.get(j);
              const healthyAt = q ? lastHealthy.get(q.metadata.uid!) : undefined;
              if (!q || healthyAt === undefined || now - healthyAt > ORDERING_LAG_MS) {
                violation = {
                  message: `statefulset/${set.metadata.name} created ${p.metadata.name} while ${set.metadata.name}-${j} ${q ? 'was not Running and Ready' : 'did not exist'}`,
                  involved: { kind: 'Pod', objects: pods },
                };
                break;
              }
            }
          }
        }
        return violation;
      },
    };
  },
};
