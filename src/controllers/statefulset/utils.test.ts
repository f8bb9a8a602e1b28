// StatefulSet identity/storage/retention helpers, translated from
// pkg/controller/statefulset/stateful_set_utils_test.go.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import {
  claimOwnerMatchesSetAndPod,
  getParentNameAndOrdinal,
  getPersistentVolumeClaims,
  identityMatches,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  getPodRevision,
  storageMatches,
  updateClaimOwnerRefForSetAndPod,
  updateIdentity,
  updateStorage,
} from './utils.js';
import { newStatefulSet } from '../../../test/helpers/statefulset.js';

describe('getParentNameAndOrdinal (TestGetParentNameAndOrdinal)', () => {
  it('parses <parent>-<ordinal>, and -1 for a name without an ordinal', () => {
    const set = newStatefulSet(3);
    const pod = newStatefulSetPod(set, 1);
    expect(getParentNameAndOrdinal(pod)).toEqual({ parent: 'foo', ordinal: 1 });
    pod.metadata.name = 'foo-bar';
    expect(getParentNameAndOrdinal(pod)).toEqual({ parent: '', ordinal: -1 });
    pod.metadata.name = 'web-2-10';
    expect(getParentNameAndOrdinal(pod)).toEqual({ parent: 'web-2', ordinal: 10 });
  });
});

describe('identity (TestIdentityMatches, TestUpdateIdentity)', () => {
  it('a new pod matches; a renamed, moved or relabelled one does not', () => {
    const set = newStatefulSet(3);
    const pod = newStatefulSetPod(set, 1);
    expect(identityMatches(set, pod)).toBe(true);
    const renamed = structuredClone(pod);
    renamed.metadata.name = 'bar-1';
    expect(identityMatches(set, renamed)).toBe(false);
    const moved = structuredClone(pod);
    moved.metadata.namespace = 'other';
    expect(identityMatches(set, moved)).toBe(false);
    const unlabelled = structuredClone(pod);
    delete unlabelled.metadata.labels!['statefulset.kubernetes.io/pod-name'];
    expect(identityMatches(set, unlabelled)).toBe(false);
  });

  it('updateIdentity repairs namespace and labels', () => {
    const set = newStatefulSet(3);
    const pod = newStatefulSetPod(set, 1);
    pod.metadata.namespace = 'other';
    pod.metadata.labels = {};
    expect(identityMatches(set, pod)).toBe(false);
    updateIdentity(set, pod);
    expect(identityMatches(set, pod)).toBe(true);
    expect(pod.metadata.labels).toEqual({ 'statefulset.kubernetes.io/pod-name': 'foo-1', 'apps.kubernetes.io/pod-index': '1' });
  });

  it('a new pod carries hostname, subdomain and a controllerRef', () => {
    const set = newStatefulSet(3);
    const pod = newStatefulSetPod(set, 2);
    expect(pod.spec.hostname).toBe('foo-2');
    expect(pod.spec.subdomain).toBe('governingsvc');
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'foo', uid: 'set-uid', controller: true, blockOwnerDeletion: true }]);
  });
});

describe('storage (TestStorageMatches, TestUpdateStorage)', () => {
  it('claims are <template>-<set>-<ordinal>, labelled with matchLabels; the pod volume points at them', () => {
    const set = newStatefulSet(3);
    const pod = newStatefulSetPod(set, 1);
    const claims = getPersistentVolumeClaims(set, pod);
    expect([...claims.values()].map((c) => [c.metadata.name, c.metadata.labels])).toEqual([['datadir-foo-1', { foo: 'bar' }]]);
    expect(pod.spec.volumes).toEqual([{ name: 'datadir', persistentVolumeClaim: { claimName: 'datadir-foo-1' } }, { name: 'home', hostPath: { path: '/tmp/home' } }]);
    expect(storageMatches(set, pod)).toBe(true);
  });

  it('a missing or wrong claim volume does not match, and updateStorage repairs it', () => {
    const set = newStatefulSet(3);
    const pod = newStatefulSetPod(set, 1);
    pod.spec.volumes[0].persistentVolumeClaim.claimName = 'datadir-foo-2';
    expect(storageMatches(set, pod)).toBe(false);
    updateStorage(set, pod);
    expect(storageMatches(set, pod)).toBe(true);
    pod.spec.volumes = pod.spec.volumes.filter((v: any) => v.name !== 'datadir');
    expect(storageMatches(set, pod)).toBe(false);
  });
});

describe('revisions of new pods (newVersionedStatefulSetPod)', () => {
  it('ordinals below the partition get the current revision, the rest the update revision', () => {
    const cur = newStatefulSet(5, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    const upd = structuredClone(cur);
    upd.spec.template.spec.containers[0].image = 'foo';
    const revs = [0, 1, 2, 3, 4].map((o) => newVersionedStatefulSetPod(cur, upd, 'rev-1', 'rev-2', o));
    expect(revs.map(getPodRevision)).toEqual(['rev-1', 'rev-1', 'rev-2', 'rev-2', 'rev-2']);
    expect(revs.map((p) => p.spec.containers[0].image)).toEqual(['nginx', 'nginx', 'foo', 'foo', 'foo']);
  });

  it('OnDelete always builds from the update revision', () => {
    const cur = newStatefulSet(2, { updateStrategy: { type: 'OnDelete' } });
    expect(getPodRevision(newVersionedStatefulSetPod(cur, cur, 'rev-1', 'rev-2', 0))).toBe('rev-2');
  });
});

// TestClaimOwnerMatchesSetAndPod: which ownerRefs each retention policy wants on a claim
describe('PVC retention ownerRefs (TestClaimOwnerMatchesSetAndPod)', () => {
  const cases: { name: string; scaled: string; deleted: string; replicas: number; ordinal: number; set: boolean; pod: boolean }[] = [
    { name: 'retain', scaled: 'Retain', deleted: 'Retain', replicas: 2, ordinal: 1, set: false, pod: false },
    { name: 'on SS delete', scaled: 'Retain', deleted: 'Delete', replicas: 2, ordinal: 1, set: true, pod: false },
    { name: 'on scaledown only, condemned', scaled: 'Delete', deleted: 'Retain', replicas: 2, ordinal: 2, set: false, pod: true },
    { name: 'on scaledown only, remains', scaled: 'Delete', deleted: 'Retain', replicas: 2, ordinal: 1, set: false, pod: false },
    { name: 'on both, condemned', scaled: 'Delete', deleted: 'Delete', replicas: 2, ordinal: 2, set: false, pod: true },
    { name: 'on both, remains', scaled: 'Delete', deleted: 'Delete', replicas: 2, ordinal: 1, set: true, pod: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const set = newStatefulSet(c.replicas, { persistentVolumeClaimRetentionPolicy: { whenScaled: c.scaled, whenDeleted: c.deleted } });
      const pod = newStatefulSetPod(set, c.ordinal);
      pod.metadata.uid = 'pod-uid';
      const claim = getPersistentVolumeClaims(set, pod).get('datadir')!;
      // every combination of refs: only the wanted one matches
      for (const withSet of [false, true]) {
        for (const withPod of [false, true]) {
          const cl = structuredClone(claim);
          cl.metadata.ownerReferences = [
            ...(withSet ? [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'foo', uid: 'set-uid' }] : []),
            ...(withPod ? [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: 'pod-uid' }] : []),
          ];
          expect(claimOwnerMatchesSetAndPod(cl, set, pod)).toBe(withSet === c.set && withPod === c.pod);
        }
      }
      // and updateClaimOwnerRefForSetAndPod produces the wanted refs
      const fixed = structuredClone(claim);
      updateClaimOwnerRefForSetAndPod(fixed, set, pod);
      expect(claimOwnerMatchesSetAndPod(fixed, set, pod)).toBe(true);
    });
  }
});
