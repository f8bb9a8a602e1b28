// Tables translated from upstream pkg/controller/deployment/util/deployment_util_test.go.
import { describe, expect, it } from 'vitest';
import {
  computeHash,
  deploymentComplete,
  deploymentTimedOut,
  equalIgnoreHash,
  getProportion,
  getReplicaSetFraction,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  safeEncodeString,
  setNewReplicaSetAnnotations,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
} from './util.js';
import { newDeployment, newRS } from './testutil.js';
import { timestamp } from '../../api/time.js';

describe('ResolveFenceposts', () => {
  // TestResolveFenceposts
  it.each([
    ['0%', '0%', 0, 0, 1],
    ['39%', '39%', 10, 4, 3],
    [undefined, '39%', 10, 0, 3],
    ['39%', undefined, 10, 4, 0],
    [undefined, undefined, 10, 0, 1],
  ] as const)('surge %s unavailable %s of %i -> (%i, %i)', (surge, unav, desired, es, eu) => {
    expect(resolveFenceposts(surge, unav, desired)).toEqual({ surge: es, unavailable: eu });
  });
  it('rejects a string that is not a percentage', () => {
    expect(() => resolveFenceposts('oops', '39%', 10)).toThrow();
    expect(() => resolveFenceposts('55%', 'urg', 10)).toThrow();
  });
  it('resolves the 25% defaults as the reference table', () => {
    expect([1, 3, 4, 10].map((n) => resolveFenceposts('25%', '25%', n))).toEqual([
      { surge: 1, unavailable: 0 },
      { surge: 1, unavailable: 0 },
      { surge: 1, unavailable: 1 },
      { surge: 3, unavailable: 2 },
    ]);
  });
});

describe('MaxUnavailable', () => {
  // TestMaxUnavailable
  it.each([
    [10, 5, 5],
    [10, 10, 10],
    [5, 10, 5],
    [0, 10, 0],
    [10, '50%', 5],
    [10, '100%', 10],
    [5, '100%', 5],
  ] as const)('replicas %i maxUnavailable %s -> %i', (replicas, unav, want) => {
    expect(maxUnavailable(newDeployment(replicas, { surge: 0, unavailable: unav }))).toBe(want);
  });
  it('is 0 for Recreate', () => {
    expect(maxUnavailable(newDeployment(10, { type: 'Recreate' }))).toBe(0);
  });
});

describe('NewRSNewReplicas', () => {
  // TestNewRSNewReplicas: allRSs = [newRS, one other RS with 5]
  it.each([
    ['RollingUpdate', 1, 5, 1, 5],
    ['RollingUpdate', 6, 2, 10, 6],
    ['Recreate', 3, 1, 1, 3],
  ] as const)('%s deployment %i newRS %i surge %i -> %i', (type, dep, newSize, surge, want) => {
    const d = newDeployment(dep, { type, surge, unavailable: 1 });
    const n = newRS('new', newSize);
    expect(newRSNewReplicas(d, [n, newRS('other', 5)], n)).toBe(want);
  });
});

describe('getReplicaSetFraction / GetProportion', () => {
  // TestGetReplicaSetFraction (maxUnavailable 1)
  it.each([
    ['empty deployment always scales to 0', 0, 0, 0, 10, undefined, -10],
    ['no annotation and no status replicas: no scaling', 10, 0, 0, 5, undefined, 0],
    ['annotation 0 and no status replicas: no scaling', 10, 0, 0, 5, '0', 0],
    ['no annotation: falls back to status replicas', 120, 100, 0, 50, undefined, 10],
    ['annotation 0: falls back to status replicas', 120, 100, 0, 50, '0', 10],
    ['scale up by 1/5', 120, 0, 0, 50, '100', 10],
    ['scale up by 1/5 with maxSurge', 120, 0, 10, 50, '110', 9],
    ['scale down by 1/6', 10, 0, 0, 6, '12', -1],
    ['scale down by 1/6 with maxSurge', 100, 0, 10, 50, '130', -8],
  ] as const)('%s', (_name, dReplicas, statusReplicas, surge, rsReplicas, annotation, want) => {
    const d = newDeployment(dReplicas, { surge, unavailable: 1 });
    d.status = { replicas: statusReplicas };
    const rs = newRS('rs', rsReplicas, { annotations: annotation !== undefined ? { [MAX_REPLICAS_ANNOTATION]: annotation } : {} });
    expect(getReplicaSetFraction(rs, d)).toBe(want);
  });
  it('GetProportion caps the fraction by what is still allowed', () => {
    const d = newDeployment(120, { surge: 0, unavailable: 1 });
    const rs = newRS('rs', 50, { annotations: { [MAX_REPLICAS_ANNOTATION]: '100' } });
    expect(getProportion(rs, d, 20, 0)).toBe(10);
    expect(getProportion(rs, d, 20, 15)).toBe(5);
    expect(getProportion(rs, d, 20, 20)).toBe(0);
    expect(getProportion(newRS('zero', 0), d, 20, 0)).toBe(0);
  });
});

describe('DeploymentComplete and DeploymentTimedOut', () => {
  // TestDeploymentComplete (desired, current, updated, available)
  it.each([
    [5, 5, 5, 4, false],
    [5, 5, 5, 3, false],
    [5, 5, 5, 5, true],
    [5, 5, 4, 5, false],
    [1, 2, 1, 1, false],
    [1, 1, 1, 0, false],
  ] as const)('desired %i current %i updated %i available %i -> %s', (desired, current, updated, available, want) => {
    const d = newDeployment(desired, { surge: 1, unavailable: 1 });
    expect(deploymentComplete(d, { replicas: current, updatedReplicas: updated, availableReplicas: available, observedGeneration: 1 })).toBe(want);
  });
  // TestDeploymentTimedOut: deadline 10 s, now 01:20
  const at = (min: number, sec: number) => (min * 60 + sec) * 1000;
  const progressing = (lut: number, reason = 'ReplicaSetUpdated') => ({ conditions: [{ type: 'Progressing', status: 'True', reason, lastUpdateTime: timestamp(lut), lastTransitionTime: timestamp(lut) }] });
  it.each([
    ['no deadline', undefined, at(1, 9), 'ReplicaSetUpdated', false],
    ['MaxInt32 deadline', 2147483647, at(1, 9), 'ReplicaSetUpdated', false],
    ['last progress 11 s ago', 10, at(1, 9), 'ReplicaSetUpdated', true],
    ['last progress 9 s ago', 10, at(1, 11), 'ReplicaSetUpdated', false],
    ['a finished rollout never times out', 10, at(1, 9), 'NewReplicaSetAvailable', false],
  ] as const)('%s', (_n, pds, lut, reason, want) => {
    const d = newDeployment(1, { surge: 1, unavailable: 0 });
    if (pds === undefined) delete d.spec.progressDeadlineSeconds;
    else d.spec.progressDeadlineSeconds = pds;
    expect(deploymentTimedOut(d, progressing(lut, reason), at(1, 20))).toBe(want);
  });
  it('is strict: exactly at the deadline it has not timed out', () => {
    const d = newDeployment(1, { surge: 1, unavailable: 0 });
    d.spec.progressDeadlineSeconds = 10;
    expect(deploymentTimedOut(d, progressing(at(1, 10)), at(1, 20))).toBe(false);
    expect(deploymentTimedOut(d, progressing(at(1, 10)), at(1, 20) + 1)).toBe(true);
  });
});

describe('hash and annotations', () => {
  it('SafeEncodeString maps digits into the no-vowel alphabet', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
  it('ComputeHash is stable, changes with the template and with collisionCount', () => {
    const t = newDeployment(1).spec.template;
    expect(computeHash(t)).toBe(computeHash(structuredClone(t)));
    expect(computeHash(t)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash(t, 1)).not.toBe(computeHash(t));
    const t2 = structuredClone(t);
    t2.spec.containers[0].image = 'other';
    expect(computeHash(t2)).not.toBe(computeHash(t));
  });
  it('EqualIgnoreHash ignores only the pod-template-hash label', () => {
    const a = newDeployment(1).spec.template;
    const b = structuredClone(a);
    b.metadata.labels['pod-template-hash'] = 'abc';
    expect(equalIgnoreHash(a, b)).toBe(true);
    b.metadata.labels.x = 'y';
    expect(equalIgnoreHash(a, b)).toBe(false);
  });
  it('SetNewReplicaSetAnnotations raises the revision and keeps the old one in revision-history', () => {
    const d = newDeployment(3, { surge: 1, unavailable: 0 });
    d.metadata.annotations = { team: 'a', [REVISION_ANNOTATION]: '9' };
    const rs = newRS('rs', 0, { annotations: { [REVISION_ANNOTATION]: '1' } });
    expect(setNewReplicaSetAnnotations(d, rs, 4, true)).toBe(true);
    expect(rs.metadata.annotations).toEqual({ team: 'a', [REVISION_ANNOTATION]: '4', [REVISION_HISTORY_ANNOTATION]: '1' });
    // never lowered
    expect(setNewReplicaSetAnnotations(d, rs, 2, true)).toBe(false);
    expect(rs.metadata.annotations![REVISION_ANNOTATION]).toBe('4');
  });
});
