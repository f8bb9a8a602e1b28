// The ReplicaSet and ReplicationController controllers in a running cluster
// (pkg/controller/replicaset/replica_set.go; reference workloads.md §1.4–1.6, §3).

import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.js';
import { NAME_ALPHABET } from '../api/names.js';
import type { KubeObject } from '../api/types.js';
import {
  advance,
  condition,
  eventsFor,
  newCluster,
  pod,
  podNames,
  pods,
  replicaSet,
  replicationController,
} from '../../test/helpers/cluster.js';

const GENERATED = new RegExp(`^web-[${NAME_ALPHABET}]{5}$`);

function rs(cluster: ReturnType<typeof newCluster>, name = 'web'): KubeObject {
  return cluster.api.get('ReplicaSet', 'default', name)!;
}

function scale(cluster: ReturnType<typeof newCluster>, kind: string, name: string, replicas: number): void {
  cluster.api.mutate(kind, 'default', name, (d) => {
    d.spec.replicas = replicas;
  });
}

describe('ReplicaSet controller: creating pods', () => {
  it('creates N pods named <rs>-xxxxx with a controller ownerRef and the template labels', () => {
    const c = newCluster({ nodes: 2 });
    const owner = c.api.create(replicaSet('web', { replicas: 3, labels: { app: 'web', tier: 'fe' }, selector: { app: 'web' } }));
    advance(c, 2000);
    const ps = pods(c, 'app=web');
    expect(ps).toHaveLength(3);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(GENERATED);
      expect(p.metadata.generateName).toBe('web-');
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
      expect(p.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(p.status.phase).toBe('Running');
    }
    expect(rs(c).status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
  });

  it('records SuccessfulCreate events naming each pod', () => {
    const c = newCluster();
    c.api.create(replicaSet('web', { replicas: 2 }));
    advance(c, 1000);
    const evs = eventsFor(c, 'ReplicaSet', 'web');
    expect(evs.map((e) => e.reason)).toEqual(['SuccessfulCreate', 'SuccessfulCreate']);
    expect(evs.map((e) => e.message).sort()).toEqual(podNames(c, 'app=web').map((n) => `Created pod: ${n}`));
    expect(evs.every((e) => e.type === 'Normal')).toBe(true);
  });

  it('replaces a deleted pod at once, without waiting for the old one to terminate', () => {
    const c = newCluster({ apps: [{ key: 'stubborn', ignoreSigterm: true }] });
    c.api.create(replicaSet('web', { replicas: 2, image: 'stubborn' }));
    advance(c, 1000);
    const [victim] = podNames(c, 'app=web');
    c.api.delete('Pod', 'default', victim);
    advance(c, 100);
    const ps = pods(c, 'app=web');
    // the old pod is still terminating (30 s grace, stubborn ignores SIGTERM), a replacement exists
    expect(ps).toHaveLength(3);
    expect(ps.find((p) => p.metadata.name === victim)!.metadata.deletionTimestamp).toBeDefined();
    expect(ps.filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(2);
    // terminating pods are not counted in status.replicas
    expect(rs(c).status.replicas).toBe(2);
    advance(c, 35_000);
    expect(podNames(c, 'app=web')).not.toContain(victim);
    expect(pods(c, 'app=web')).toHaveLength(2);
  }, 10_000);
});

describe('ReplicaSet controller: scaling down picks victims by ActivePodsWithRanks', () => {
  it('deletes an unscheduled pending pod before running ones', () => {
    const c = newCluster();
    c.api.create(replicaSet('web', { replicas: 3 }));
    advance(c, 1000);
    const running = podNames(c, 'app=web');
    // an orphan no scheduler will place: adopted, then it is the surplus
    c.api.create(pod('stuck', { labels: { app: 'web' }, schedulerName: 'nobody' }));
    advance(c, 1000);
    const names = podNames(c, 'app=web');
    expect(names).toEqual(running);
    expect(c.api.get('Pod', 'default', 'stuck')).toBeUndefined();
    const evs = eventsFor(c, 'ReplicaSet', 'web').filter((e) => e.reason === 'SuccessfulDelete');
    expect(evs.map((e) => e.message)).toEqual(['Deleted pod: stuck']);
  });

  it('deletes a scheduled pending pod before running ones', () => {
    const c = newCluster();
    c.api.create(replicaSet('web', { replicas: 2 }));
    advance(c, 1000);
    // bound to a node that has no kubelet: scheduled but Pending for ever
    c.api.create(pod('ghost', { labels: { app: 'web' }, nodeName: 'no-such-node' }));
    advance(c, 1000);
    const ghost = c.api.get('Pod', 'default', 'ghost')!;
    expect(ghost.metadata.deletionTimestamp).toBeDefined();
    expect(pods(c, 'app=web').filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(2);
  });

  it('deletes a running but not ready pod before ready ones', () => {
    const c = newCluster({ apps: [{ key: 'crashy', exitAfter: { min: 1000, max: 1000 }, exitCode: 1 }] });
    c.api.create(replicaSet('web', { replicas: 2 }));
    advance(c, 1000);
    const ready = podNames(c, 'app=web');
    c.api.create(pod('crashy', { labels: { app: 'other' }, image: 'crashy' }));
    advance(c, 3000);
    const crashy = c.api.get('Pod', 'default', 'crashy')!;
    expect(crashy.status.phase).toBe('Running');
    expect(condition(crashy, 'Ready').status).toBe('False');
    // relabel it so the RS adopts it: 3 pods for 2 replicas
    c.api.mutate('Pod', 'default', 'crashy', (d) => {
      d.metadata.labels = { app: 'web' };
    });
    advance(c, 500);
    // no container is running (it waits in CrashLoopBackOff), so the kubelet finishes at once
    expect(c.api.get('Pod', 'default', 'crashy')).toBeUndefined();
    expect(podNames(c, 'app=web')).toEqual(ready);
    expect(eventsFor(c, 'ReplicaSet', 'web').filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message)).toEqual(['Deleted pod: crashy']);
  });

  it('deletes the pod that became ready most recently first', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(replicaSet('web', { replicas: 2 }));
    advance(c, 1000);
    const old = podNames(c, 'app=web');
    advance(c, 3_600_000);
    scale(c, 'ReplicaSet', 'web', 3);
    advance(c, 1000);
    const added = podNames(c, 'app=web').filter((n) => !old.includes(n));
    expect(added).toHaveLength(1);
    scale(c, 'ReplicaSet', 'web', 2);
    advance(c, 1000);
    expect(podNames(c, 'app=web')).toEqual(old);
    const evs = eventsFor(c, 'ReplicaSet', 'web');
    expect(evs.filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message)).toEqual([`Deleted pod: ${added[0]}`]);
    expect(rs(c).status).toMatchObject({ replicas: 2, readyReplicas: 2, observedGeneration: 3 });
  });
});

describe('ReplicaSet controller: ranks from related pods (getPodsRankedByRelatedPodsOnSameNode)', () => {
  // several seeds, so the generated names (the list order) vary: the rank alone decides
  it.each([1, 2, 3, 4])('deletes the pod sharing its node with more pods of sibling ReplicaSets (seed %i)', (seed) => {
    const c = newCluster({ nodes: 2, seed });
    const boss = c.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'boss', namespace: 'default' } });
    const ownedBy = (o: KubeObject): KubeObject => {
      o.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'boss', uid: boss.metadata.uid!, controller: true }];
      return o;
    };
    c.api.create(ownedBy(replicaSet('a', { replicas: 2, labels: { app: 'a' } })));
    advance(c, 1000);
    const a = pods(c, 'app=a');
    expect(a.map((p) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-2']);
    // a sibling ReplicaSet (same controller) with two pods on node-1
    c.api.create(ownedBy(replicaSet('b', { replicas: 2, labels: { app: 'b' }, nodeSelector: { 'kubernetes.io/hostname': 'node-1' } })));
    advance(c, 1000);
    expect(pods(c, 'app=b').map((p) => p.spec.nodeName)).toEqual(['node-1', 'node-1']);
    scale(c, 'ReplicaSet', 'a', 1);
    advance(c, 1000);
    expect(pods(c, 'app=a').map((p) => p.spec.nodeName)).toEqual(['node-2']);
  });
});

describe('ReplicaSet controller: ownership (controller_ref_manager.go ClaimObject)', () => {
  it('adopts a matching orphan pod instead of creating one', () => {
    const c = newCluster();
    c.api.create(pod('orphan', { labels: { app: 'web' } }));
    advance(c, 500);
    const owner = c.api.create(replicaSet('web', { replicas: 1 }));
    advance(c, 1000);
    expect(podNames(c, 'app=web')).toEqual(['orphan']);
    const adopted = c.api.get('Pod', 'default', 'orphan')!;
    expect(adopted.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(eventsFor(c, 'ReplicaSet', 'web')).toEqual([]);
  });

  it('does not adopt a pod controlled by someone else, nor one in another namespace', () => {
    const c = newCluster();
    c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    const cm = c.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'boss', namespace: 'default' } });
    c.api.create(
      pod('owned', {
        labels: { app: 'web' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'boss', uid: cm.metadata.uid!, controller: true }],
      }),
    );
    c.api.create(pod('elsewhere', { labels: { app: 'web' }, namespace: 'other' }));
    c.api.create(replicaSet('web', { replicas: 1 }));
    advance(c, 1000);
    const ps = podNames(c, 'app=web');
    expect(ps).toHaveLength(2);
    expect(ps.filter((n) => GENERATED.test(n))).toHaveLength(1);
    expect(c.api.get('Pod', 'default', 'owned')!.metadata.ownerReferences![0].uid).toBe(cm.metadata.uid);
    expect(c.api.get('Pod', 'other', 'elsewhere')!.metadata.ownerReferences).toBeUndefined();
  });

  it('releases a pod whose labels stop matching, and creates a replacement', () => {
    const c = newCluster();
    c.api.create(replicaSet('web', { replicas: 2 }));
    advance(c, 1000);
    const [first] = podNames(c, 'app=web');
    // kubectl label pod <first> app=debug --overwrite
    c.api.mutate('Pod', 'default', first, (d) => {
      d.metadata.labels = { ...d.metadata.labels, app: 'debug' };
    });
    advance(c, 1000);
    const released = c.api.get('Pod', 'default', first)!;
    expect(released.metadata.ownerReferences).toBeUndefined();
    expect(released.metadata.deletionTimestamp).toBeUndefined();
    const owned = pods(c, 'app=web');
    expect(owned).toHaveLength(2);
    expect(owned.map((p) => p.metadata.name)).not.toContain(first);
    expect(rs(c).status.replicas).toBe(2);
  });

  it('counts pods missing template labels in replicas but not in fullyLabeledReplicas', () => {
    const c = newCluster();
    c.api.create(pod('partial', { labels: { app: 'web' } }));
    c.api.create(replicaSet('web', { replicas: 2, labels: { app: 'web', tier: 'fe' }, selector: { app: 'web' } }));
    advance(c, 1000);
    expect(pods(c, 'app=web')).toHaveLength(2);
    expect(rs(c).status).toEqual({ replicas: 2, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
  });
});

describe('ReplicaSet controller: status', () => {
  it('reports availableReplicas only after minReadySeconds (strictly after)', () => {
    const c = newCluster();
    c.api.create(replicaSet('web', { replicas: 2, minReadySeconds: 10 }));
    advance(c, 1000);
    // ready at ~0 s (Ready lastTransitionTime 00:00:00Z): available only after 10 s
    expect(rs(c).status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, observedGeneration: 1 });
    advance(c, 8_000);
    expect(rs(c).status.availableReplicas).toBeUndefined();
    advance(c, 3_000);
    expect(rs(c).status.availableReplicas).toBe(2);
  });

  it('observedGeneration follows spec changes; status writes do not bump generation', () => {
    const c = newCluster();
    c.api.create(replicaSet('web', { replicas: 1 }));
    advance(c, 1000);
    expect(rs(c).metadata.generation).toBe(1);
    scale(c, 'ReplicaSet', 'web', 3);
    expect(rs(c).metadata.generation).toBe(2);
    advance(c, 1000);
    expect(rs(c).status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 2 });
    expect(rs(c).metadata.generation).toBe(2);
    scale(c, 'ReplicaSet', 'web', 0);
    advance(c, 1000);
    // zero counts are omitted (omitempty)
    expect(rs(c).status).toEqual({ replicas: 0, observedGeneration: 3 });
    expect(pods(c, 'app=web')).toHaveLength(0);
  });

  it('rejects a selector change: apps/v1 selectors are immutable', () => {
    const c = newCluster();
    c.api.create(replicaSet('web', { replicas: 1 }));
    let err: unknown;
    try {
      c.api.mutate('ReplicaSet', 'default', 'web', (d) => {
        d.spec.selector = { matchLabels: { app: 'web', v: '2' } };
        d.spec.template.metadata.labels = { app: 'web', v: '2' };
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).reason).toBe('Invalid');
    expect((err as ApiError).message).toBe(
      'ReplicaSet.apps "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable',
    );
  });
});

describe('ReplicationController controller', () => {
  it('creates pods with a ReplicationController ownerRef, selector defaulted from the template', () => {
    const c = newCluster();
    const rc = c.api.create(replicationController('web', { replicas: 2 }));
    expect(rc.spec.selector).toEqual({ app: 'web' });
    expect(rc.metadata.labels).toEqual({ app: 'web' });
    advance(c, 1000);
    const ps = pods(c, 'app=web');
    expect(ps).toHaveLength(2);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(GENERATED);
      expect(p.metadata.ownerReferences).toEqual([
        { apiVersion: 'v1', kind: 'ReplicationController', name: 'web', uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    expect(c.api.get('ReplicationController', 'default', 'web')!.status).toEqual({
      replicas: 2,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: 1,
    });
  });

  it('a selector change (allowed for RCs) orphans the old pods and creates new ones', () => {
    const c = newCluster();
    c.api.create(replicationController('web', { replicas: 2 }));
    advance(c, 1000);
    const old = podNames(c, 'app=web');
    c.api.mutate('ReplicationController', 'default', 'web', (d) => {
      d.spec.selector = { app: 'web', v: '2' };
      d.spec.template.metadata.labels = { app: 'web', v: '2' };
    });
    advance(c, 1000);
    for (const n of old) {
      const p = c.api.get('Pod', 'default', n)!;
      expect(p.metadata.ownerReferences).toBeUndefined();
      expect(p.metadata.deletionTimestamp).toBeUndefined();
    }
    const fresh = pods(c, 'app=web,v=2');
    expect(fresh).toHaveLength(2);
    expect(fresh.every((p) => p.metadata.ownerReferences?.[0]?.kind === 'ReplicationController')).toBe(true);
    expect(c.api.get('ReplicationController', 'default', 'web')!.status).toMatchObject({ replicas: 2, observedGeneration: 2 });
  });
});
