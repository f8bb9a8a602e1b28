// The shortcuts a Deployment sync takes (sync.ts, util.ts) must answer as the computations they
// skip: newReplicaSetAnnotationsInSync as running SetNewReplicaSetAnnotations on a copy,
// DeploymentSync.again as looking for the ReplicaSets a second time, calculateStatus's shared
// conditions and skipped Available condition as the full copy and setCondition.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../../api/types.js';
import { cloneObject } from '../../api/clone.js';
import { REVISION_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, newCondition, newReplicaSetAnnotationsInSync, setCondition, setNewReplicaSetAnnotations } from './util.js';
import { calculateStatus } from './sync.js';
import { newDeployment, newRS, syncWith } from './testutil.js';

const annotationValue = fc.constantFrom('1', '2', '3', '10', '-1', '+2', 'x', '', '007');
const annotationKey = fc.constantFrom(REVISION_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, 'a', 'b', 'kubectl.kubernetes.io/last-applied-configuration');
const annotations = fc.option(fc.dictionary(annotationKey, annotationValue, { maxKeys: 4 }), { nil: undefined });

describe('newReplicaSetAnnotationsInSync', () => {
  it('is true only when SetNewReplicaSetAnnotations would leave a copy printing as the ReplicaSet', () => {
    let inSync = 0;
    fc.assert(
      fc.property(annotations, annotations, fc.integer({ min: 1, max: 12 }), (da, ra, newRevision) => {
        const d = newDeployment(3);
        if (da === undefined) delete d.metadata.annotations;
        else d.metadata.annotations = da;
        const rs = newRS('foo-1', 3);
        if (ra === undefined) delete rs.metadata.annotations;
        else rs.metadata.annotations = ra;
        const copy = cloneObject(rs);
        const changed = setNewReplicaSetAnnotations(d, copy, newRevision, true);
        const printsAsBefore = JSON.stringify(copy) === JSON.stringify(rs);
        if (!newReplicaSetAnnotationsInSync(d, rs, newRevision)) return true;
        inSync++;
        return !changed && printsAsBefore;
      }),
      { numRuns: 3000 },
    );
    // the property is not vacuous: the shortcut is taken in a good share of the cases
    expect(inSync).toBeGreaterThan(100);
  });

  it('is true for a ReplicaSet already at the revision, with the deployment annotations copied', () => {
    const d = newDeployment(3);
    d.metadata.annotations = { a: '1', [REVISION_ANNOTATION]: '2' };
    const rs = newRS('foo-1', 3, { annotations: { a: '1', [REVISION_ANNOTATION]: '2' } });
    expect(newReplicaSetAnnotationsInSync(d, rs, 2)).toBe(true);
    expect(newReplicaSetAnnotationsInSync(d, rs, 3)).toBe(false);
    d.metadata.annotations.a = '2';
    expect(newReplicaSetAnnotationsInSync(d, rs, 2)).toBe(false);
  });
});

describe('DeploymentSync.again', () => {
  /** primed: the deployment already shows the revision and a Progressing condition (finding the current RS then writes nothing) */
  const cases = (primed = false) => {
    const d = newDeployment(3, { surge: 1, unavailable: 0 });
    if (primed) {
      d.metadata.annotations = { [REVISION_ANNOTATION]: '2' };
      d.status = { conditions: [newCondition('Progressing', 'True', 'NewReplicaSetAvailable', 'done', 0)] };
    }
    const current = newRS('foo-new', 2, { createdSec: 2, annotations: { [REVISION_ANNOTATION]: '2' } });
    const stale = newRS('foo-stale', 2, { createdSec: 3 }); // no revision yet: finding it writes
    const old = newRS('foo-old', 1, { createdSec: 1, image: 'old', annotations: { [REVISION_ANNOTATION]: '1' } });
    return { d, lists: [[current, old], [stale, old], [old], []] as KubeObject[][] };
  };

  it('answers a second look as looking again, when the first wrote nothing', () => {
    let reused = 0;
    for (const [create, primed] of [[false, false], [true, false], [false, true], [true, true]]) {
      for (let i = 0; i < 4; i++) {
        const a = cases(primed), b = cases(primed);
        const sa = syncWith(a.lists[i]), sb = syncWith(b.lists[i]);
        const first = sa.s.getAllReplicaSetsAndSyncRevision(a.d, a.lists[i], false);
        sb.s.getAllReplicaSetsAndSyncRevision(b.d, b.lists[i], false);
        const again = sa.s.again(first, a.d, a.lists[i], create);
        const looked = sb.s.getAllReplicaSetsAndSyncRevision(b.d, b.lists[i], create);
        expect(JSON.stringify(again)).toBe(JSON.stringify(looked));
        expect(JSON.stringify(a.d)).toBe(JSON.stringify(b.d));
        expect(sa.c.statusWrites).toBe(sb.c.statusWrites);
        expect(sa.c.updatedRS).toEqual(sb.c.updatedRS);
        expect([...sa.c.rs.keys()]).toEqual([...sb.c.rs.keys()]);
        // reused only when the first look wrote nothing and nothing is to be created
        if (!first.wrote && (first.newRS || !create)) {
          expect(again.newRS).toBe(first.newRS);
          if (again.newRS) reused++;
        }
      }
    }
    expect(reused).toBe(2);
  });

  it('marks a look that wrote', () => {
    const { d, lists } = cases();
    expect(syncWith(lists[0]).s.getAllReplicaSetsAndSyncRevision(d, lists[0], false).wrote).toBe(true); // the deployment's revision
    const { d: d2, lists: l2 } = cases();
    d2.metadata.annotations = { [REVISION_ANNOTATION]: '2' };
    d2.status = { conditions: [newCondition('Progressing', 'True', 'NewReplicaSetAvailable', 'done', 0)] };
    const found = syncWith(l2[0]).s.getAllReplicaSetsAndSyncRevision(d2, l2[0], false);
    expect(found.wrote).toBe(false);
    expect(found.newRS).toBe(l2[0][0]);
    expect(syncWith(l2[1]).s.getAllReplicaSetsAndSyncRevision(d2, l2[1], false).wrote).toBe(true); // the stale RS's revision
    expect(syncWith(l2[2]).s.getAllReplicaSetsAndSyncRevision(d2, l2[2], false).wrote).toBe(false); // nothing to create
    expect(syncWith(l2[2]).s.getAllReplicaSetsAndSyncRevision(d2, l2[2], true).wrote).toBe(true);
  });
});

describe('calculateStatus', () => {
  /** calculateStatus as before its shortcuts: conditions copied, the Available condition always built and set */
  function reference(allRSs: KubeObject[], newRS: KubeObject | undefined, d: KubeObject, now: number): any {
    const status = calculateStatus(allRSs, newRS, { ...d, status: { ...d.status, conditions: undefined } }, now);
    delete status.conditions;
    if (d.status?.conditions?.length) status.conditions = cloneObject(d.status.conditions);
    const available = status.availableReplicas ?? 0;
    const maxUnavailable = 1;
    if (available >= 3 - maxUnavailable) setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
    else setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
    return status;
  }

  it('prints as the full computation and shares the conditions, never changing them', () => {
    const conditionArb = fc.record({
      type: fc.constantFrom('Available', 'Progressing', 'ReplicaFailure'),
      status: fc.constantFrom('True', 'False', 'Unknown'),
      reason: fc.constantFrom('MinimumReplicasAvailable', 'MinimumReplicasUnavailable', 'x'),
      t: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(conditionArb, { maxLength: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), (conds, availA, availB) => {
        const d = newDeployment(3, { surge: 1, unavailable: 1 });
        const byType = new Map(conds.map((c) => [c.type, newCondition(c.type, c.status as any, c.reason, 'm', c.t * 1000)]));
        d.status = byType.size ? { conditions: [...byType.values()] } : {};
        const before = JSON.stringify(d);
        const a = newRS('foo-a', 2, { available: availA });
        const b = newRS('foo-b', 1, { available: availB, createdSec: 1 });
        const got = calculateStatus([a, b], b, d, 9000);
        expect(JSON.stringify(got)).toBe(JSON.stringify(reference([a, b], b, d, 9000)));
        expect(JSON.stringify(d)).toBe(before);
        if (got.conditions) expect(got.conditions).not.toBe(d.status.conditions);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('sameStatus', () => {
  it('answers as comparing the canonical forms', async () => {
    const { canonical } = await import('./util.js');
    const { sameStatus } = await import('./sync.js');
    const count = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer({ min: -1, max: 2 }), fc.constant(-0), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY), fc.constantFrom('1', ''), fc.constant([]), fc.constant({}));
    const status = fc.option(
      fc.record(
        {
          observedGeneration: count,
          replicas: count,
          updatedReplicas: count,
          availableReplicas: count,
          unavailableReplicas: count,
          collisionCount: count,
          conditions: fc.array(fc.record({ type: fc.constantFrom('Available', 'Progressing'), status: fc.constantFrom('True', 'False') }), { maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    );
    let differ = 0;
    fc.assert(
      fc.property(status, status, fc.boolean(), (a, b, copy) => {
        const other = copy && a ? { ...structuredClone(a), replicas: b?.replicas } : b;
        const want = canonical(a ?? {}) === canonical(other ?? {});
        if (!want) differ++;
        return sameStatus(a, other) === want;
      }),
      { numRuns: 5000 },
    );
    expect(differ).toBeGreaterThan(100);
  });
});

describe('setDeploymentRevision on a copy sharing its metadata', () => {
  it('prints as writing the annotation in place into a full copy, and leaves the original alone', async () => {
    const { setDeploymentRevision } = await import('./sync.js');
    const { privateCopy } = await import('./deployment_controller.js');
    const inPlace = (d: KubeObject, revision: string) => {
      const a = (d.metadata.annotations ??= {});
      if (a[REVISION_ANNOTATION] === revision) return false;
      a[REVISION_ANNOTATION] = revision;
      return true;
    };
    fc.assert(
      fc.property(fc.option(fc.oneof(annotations, fc.constant(null)), { nil: undefined }), annotationValue, fc.boolean(), (a, revision, annotationsFirst) => {
        const d = newDeployment(3);
        const rest = { name: 'foo', namespace: 'default', uid: 'd-uid' };
        d.metadata = (annotationsFirst ? { annotations: a, ...rest } : { ...rest, annotations: a }) as any;
        if (a === undefined) delete d.metadata.annotations;
        const before = JSON.stringify(d);
        const full = cloneObject(d);
        const copy = privateCopy(d);
        expect(setDeploymentRevision(copy, revision)).toBe(inPlace(full, revision));
        expect(JSON.stringify(copy)).toBe(JSON.stringify(full));
        expect(JSON.stringify(d)).toBe(before);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('maxSurge and maxUnavailable with the last answer remembered', () => {
  it('answer as resolving the fenceposts each time', async () => {
    const { maxSurge, maxUnavailable, resolveFenceposts } = await import('./util.js');
    const intOrPercent = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('0%', '25%', '50%', '100%', '33%', 'x', '5'), fc.constant(undefined));
    fc.assert(
      fc.property(fc.array(fc.tuple(intOrPercent, intOrPercent, fc.integer({ min: 0, max: 10 })), { minLength: 1, maxLength: 30 }), (cases) => {
        for (const [surge, unavailable, replicas] of [...cases, ...cases]) {
          const d = newDeployment(replicas, { surge: surge as any, unavailable: unavailable as any });
          d.spec.strategy.rollingUpdate = { maxSurge: surge, maxUnavailable: unavailable };
          let fresh: { surge: number; unavailable: number };
          try {
            fresh = resolveFenceposts(surge, unavailable, replicas);
          } catch {
            fresh = { surge: 0, unavailable: 0 };
          }
          expect(maxSurge(d)).toBe(fresh.surge);
          expect(maxUnavailable(d)).toBe(replicas === 0 ? 0 : Math.min(fresh.unavailable, replicas));
        }
      }),
    );
  });
});
