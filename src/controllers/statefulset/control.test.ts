// updateStatefulSet with a fake pod control, as pkg/controller/statefulset/stateful_set_control_test.go
// drives it: each "sync" is one call; the test plays the kubelet (setPodRunning/setPodReady) and
// checks the invariants of assertMonotonicInvariants (pod i is created only when pods < i are
// Running and Ready; deletions go in descending ordinal order).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { timestamp } from '../../api/time.js';
import { updateStatefulSet, type StatefulPodControl } from './control.js';
import { getOrdinal, getPatch, getPodRevision, isRunningAndReady } from './utils.js';
import { newStatefulSet } from '../../../test/helpers/statefulset.js';

class FakePodControl implements StatefulPodControl {
  readonly pods = new Map<string, KubeObject>();
  readonly log: string[] = [];
  private uid = 0;
  createStatefulPod(_set: KubeObject, pod: KubeObject): void {
    const p = structuredClone(pod);
    p.metadata.uid = `uid-${++this.uid}`;
    p.status = { phase: 'Pending' };
    this.pods.set(p.metadata.name!, p);
    this.log.push(`create ${p.metadata.name}`);
  }
  deleteStatefulPod(_set: KubeObject, pod: KubeObject): void {
    // the fake's delete is immediate, like the informer-backed fake upstream
    this.pods.delete(pod.metadata.name!);
    this.log.push(`delete ${pod.metadata.name}`);
  }
  updateStatefulPod(): void {}
  podClaimIsStale(): boolean {
    return false;
  }
  createMissingPersistentVolumeClaims(): void {}
  claimsMatchRetentionPolicy(): boolean {
    return true;
  }
  updatePodClaimForRetentionPolicy(): void {}
  list(): KubeObject[] {
    return [...this.pods.values()].sort((a, b) => getOrdinal(a) - getOrdinal(b));
  }
  setRunningReady(name: string): void {
    const p = this.pods.get(name)!;
    p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: timestamp(0) }] };
  }
}

function revision(set: KubeObject, name: string): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name }, data: getPatch(set), revision: 1 };
}

function sync(set: KubeObject, fake: FakePodControl, cur = revision(set, 'rev-1'), upd = cur) {
  return updateStatefulSet({ set, currentRevision: cur, updateRevision: upd, collisionCount: 0, pods: fake.list(), now: 10_000, control: fake });
}

/** scaleUpStatefulSetControl: sync, then make every created pod Running and Ready, until stable */
function scaleUp(set: KubeObject, fake: FakePodControl, checkInvariant = true): void {
  for (let i = 0; i < 50; i++) {
    for (const p of fake.list()) if (p.status.phase === 'Pending') fake.setRunningReady(p.metadata.name!);
    const before = fake.log.length;
    sync(set, fake);
    if (checkInvariant) {
      for (const p of fake.list()) {
        const ord = getOrdinal(p);
        for (const q of fake.list()) if (getOrdinal(q) < ord) expect(isRunningAndReady(q) || q === p).toBe(true);
      }
    }
    if (fake.log.length === before) return;
  }
}

describe('TestStatefulSetControl', () => {
  it('CreatesPods (monotonic): one pod per sync, each after its predecessors are ready', () => {
    const set = newStatefulSet(3);
    const fake = new FakePodControl();
    sync(set, fake);
    expect(fake.log).toEqual(['create foo-0']);
    sync(set, fake); // foo-0 is Pending: nothing more
    expect(fake.log).toEqual(['create foo-0']);
    scaleUp(set, fake);
    expect(fake.log).toEqual(['create foo-0', 'create foo-1', 'create foo-2']);
    const { status } = sync(set, fake);
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
  });

  it('CreatesPods (burst / Parallel): every pod in one sync', () => {
    const set = newStatefulSet(3, { podManagementPolicy: 'Parallel' });
    const fake = new FakePodControl();
    sync(set, fake);
    expect(fake.log).toEqual(['create foo-0', 'create foo-1', 'create foo-2']);
  });

  it('ScalesUp then ScalesDown (monotonic): deletions one per sync, highest ordinal first', () => {
    const set = newStatefulSet(3);
    const fake = new FakePodControl();
    scaleUp(set, fake);
    set.spec.replicas = 5;
    scaleUp(set, fake);
    expect(fake.list().map((p) => p.metadata.name)).toEqual(['foo-0', 'foo-1', 'foo-2', 'foo-3', 'foo-4']);
    set.spec.replicas = 0;
    fake.log.length = 0;
    for (let i = 0; i < 10; i++) sync(set, fake);
    expect(fake.log).toEqual(['delete foo-4', 'delete foo-3', 'delete foo-2', 'delete foo-1', 'delete foo-0']);
  });

  it('ScalesDown (burst): every condemned pod at once', () => {
    const set = newStatefulSet(3, { podManagementPolicy: 'Parallel' });
    const fake = new FakePodControl();
    scaleUp(set, fake, false);
    set.spec.replicas = 0;
    fake.log.length = 0;
    sync(set, fake);
    expect(fake.log).toEqual(['delete foo-2', 'delete foo-1', 'delete foo-0']);
  });

  it('does not scale down while a remaining pod is unhealthy; the first unhealthy condemned pod may go', () => {
    const set = newStatefulSet(3);
    const fake = new FakePodControl();
    scaleUp(set, fake);
    fake.pods.get('foo-0')!.status.conditions[0].status = 'False';
    set.spec.replicas = 2;
    fake.log.length = 0;
    sync(set, fake);
    expect(fake.log).toEqual([]);
    // healthy again -> foo-2 goes
    fake.setRunningReady('foo-0');
    sync(set, fake);
    expect(fake.log).toEqual(['delete foo-2']);
    // an unhealthy condemned pod that is itself the first unhealthy one is deleted
    scaleUp(set, fake);
    set.spec.replicas = 3;
    scaleUp(set, fake);
    fake.pods.get('foo-2')!.status.conditions[0].status = 'False';
    set.spec.replicas = 2;
    fake.log.length = 0;
    sync(set, fake);
    expect(fake.log).toEqual(['delete foo-2']);
  });

  it('RecreatesFailedPod: a Failed pod is deleted, and recreated on a later sync with the same name', () => {
    const set = newStatefulSet(3);
    const fake = new FakePodControl();
    scaleUp(set, fake);
    fake.pods.get('foo-0')!.status.phase = 'Failed';
    fake.log.length = 0;
    sync(set, fake);
    expect(fake.log).toEqual(['delete foo-0']);
    sync(set, fake);
    expect(fake.log).toEqual(['delete foo-0', 'create foo-0']);
  });

  it('a Succeeded pod is replaced too (1.31+)', () => {
    const set = newStatefulSet(1);
    const fake = new FakePodControl();
    scaleUp(set, fake);
    fake.pods.get('foo-0')!.status.phase = 'Succeeded';
    fake.log.length = 0;
    sync(set, fake);
    sync(set, fake);
    expect(fake.log).toEqual(['delete foo-0', 'create foo-0']);
  });

  it('terminating pods block progress in monotonic mode', () => {
    const set = newStatefulSet(3);
    const fake = new FakePodControl();
    scaleUp(set, fake);
    fake.pods.get('foo-1')!.metadata.deletionTimestamp = timestamp(0);
    set.spec.replicas = 2;
    fake.log.length = 0;
    sync(set, fake);
    expect(fake.log).toEqual([]);
  });
});

describe('TestStatefulSetControlWithStartOrdinal', () => {
  it('pods are numbered from spec.ordinals.start', () => {
    const set = newStatefulSet(3, { ordinals: { start: 2 } });
    const fake = new FakePodControl();
    scaleUp(set, fake);
    expect(fake.list().map((p) => p.metadata.name)).toEqual(['foo-2', 'foo-3', 'foo-4']);
    set.spec.ordinals.start = 3;
    fake.log.length = 0;
    scaleUp(set, fake);
    // foo-2 is now out of range (condemned); foo-5 is created first, since scaling up happens before scale-down
    expect(fake.log).toEqual(['create foo-5', 'delete foo-2']);
  });
});

describe('rolling updates', () => {
  function updated(set: KubeObject): KubeObject {
    const u = structuredClone(set);
    u.spec.template.spec.containers[0].image = 'foo';
    return u;
  }

  it('TestStatefulSetControlRollingUpdate: reverse ordinal order, one pod at a time, waiting for readiness', () => {
    const set = newStatefulSet(3);
    const fake = new FakePodControl();
    scaleUp(set, fake);
    const cur = revision(set, 'rev-1');
    const next = updated(set);
    const upd = revision(next, 'rev-2');
    fake.log.length = 0;
    for (let i = 0; i < 20; i++) {
      sync(next, fake, cur, upd);
      for (const p of fake.list()) if (p.status.phase === 'Pending') fake.setRunningReady(p.metadata.name!);
    }
    expect(fake.log).toEqual(['delete foo-2', 'create foo-2', 'delete foo-1', 'create foo-1', 'delete foo-0', 'create foo-0']);
    expect(fake.list().map((p) => [getPodRevision(p), p.spec.containers[0].image])).toEqual([
      ['rev-2', 'foo'],
      ['rev-2', 'foo'],
      ['rev-2', 'foo'],
    ]);
  });

  it('TestStatefulSetControlRollingUpdateWithPartition: partition 2 of 3, then scaled to 5', () => {
    for (const podManagementPolicy of ['OrderedReady', 'Parallel']) {
      const set = newStatefulSet(3, { podManagementPolicy, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
      const fake = new FakePodControl();
      scaleUp(set, fake, false);
      const cur = revision(set, 'rev-1');
      const next = updated(set);
      const upd = revision(next, 'rev-2');
      for (let i = 0; i < 20; i++) {
        sync(next, fake, cur, upd);
        for (const p of fake.list()) if (p.status.phase === 'Pending') fake.setRunningReady(p.metadata.name!);
      }
      expect(fake.list().map((p) => p.spec.containers[0].image)).toEqual(['nginx', 'nginx', 'foo']);
      next.spec.replicas = 5;
      for (let i = 0; i < 20; i++) {
        sync(next, fake, cur, upd);
        for (const p of fake.list()) if (p.status.phase === 'Pending') fake.setRunningReady(p.metadata.name!);
      }
      expect(fake.list().map((p) => p.spec.containers[0].image)).toEqual(['nginx', 'nginx', 'foo', 'foo', 'foo']);
    }
  });

  it('TestStatefulSetControlOnDeleteUpdate: nothing is replaced until deleted, then from the update revision', () => {
    const set = newStatefulSet(3, { updateStrategy: { type: 'OnDelete' } });
    const fake = new FakePodControl();
    scaleUp(set, fake);
    const cur = revision(set, 'rev-1');
    const next = updated(set);
    const upd = revision(next, 'rev-2');
    fake.log.length = 0;
    for (let i = 0; i < 5; i++) sync(next, fake, cur, upd);
    expect(fake.log).toEqual([]);
    fake.pods.delete('foo-1');
    sync(next, fake, cur, upd);
    expect(fake.log).toEqual(['create foo-1']);
    expect(fake.pods.get('foo-1')!.spec.containers[0].image).toBe('foo');
    expect(getPodRevision(fake.pods.get('foo-0')!)).toBe('rev-1');
  });
});

describe('TestStatefulSetAvailability (minReadySeconds)', () => {
  it('a ready pod is available only after minReadySeconds, and monotonic creation waits for it', () => {
    const set = newStatefulSet(2, { minReadySeconds: 30 });
    const fake = new FakePodControl();
    sync(set, fake);
    fake.setRunningReady('foo-0'); // ready at t=0
    const at = (now: number) => updateStatefulSet({ set, currentRevision: revision(set, 'r'), updateRevision: revision(set, 'r'), collisionCount: 0, pods: fake.list(), now, control: fake });
    // ready since 0, now 30 s: not yet available (strict comparison)
    expect(at(30_000).status.availableReplicas).toBe(0);
    expect(fake.log).toEqual(['create foo-0']);
    expect(at(30_001).status.availableReplicas).toBe(1);
    expect(fake.log).toEqual(['create foo-0', 'create foo-1']);
  });
});
