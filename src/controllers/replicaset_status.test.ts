// The ReplicaSet controller writes the status of the pods it listed before deleting
// (pkg/controller/replicaset/replica_set.go syncReplicaSet: manageReplicas(filteredPods) then
// calculateStatus(rs, filteredPods, ...); replica_set_utils.go updateReplicaSetStatus). The pods a
// sync deletes are still counted, as ready and available, in the status that same sync writes,
// with the new observedGeneration; the next sync, woken by the pods' deletionTimestamp, corrects
// it. The Deployment controller reads that status (docs/fuzzing.md "Known findings").
import { describe, expect, it } from 'vitest';
import { advance, newCluster, pods, replicaSet } from '../../test/helpers/cluster.js';

describe('ReplicaSet status after a scale-down', () => {
  it('reports the status of the pods it listed before deleting, then corrects it on the next sync', () => {
    const c = newCluster({ nodes: 1 });
    c.api.create(replicaSet('web', { replicas: 3 }));
    advance(c, 5000);
    expect(c.api.get('ReplicaSet', 'default', 'web')!.status).toMatchObject({ replicas: 3, availableReplicas: 3, observedGeneration: 1 });
    const writes: { t: number; terminating: number; status: any }[] = [];
    c.api.watch((ev) => {
      const o = ev.object;
      if (o.kind !== 'ReplicaSet' || o.metadata.generation !== 2) return;
      const terminating = pods(c, 'app=web').filter((p) => p.metadata.deletionTimestamp).length;
      writes.push({ t: c.sim.now, terminating, status: o.status });
    }, ['ReplicaSet']);
    c.api.mutate('ReplicaSet', 'default', 'web', (rs) => {
      rs.spec.replicas = 1;
    });
    advance(c, 5000);
    const statusWrites = writes.filter((w) => w.status?.observedGeneration === 2);
    // the first status write of generation 2: two pods already terminating, still counted
    expect(statusWrites[0]).toMatchObject({ terminating: 2, status: { replicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 2 } });
    // a later sync (woken by the deletions) writes the truth
    expect(statusWrites.at(-1)!.status).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 });
    expect(statusWrites.at(-1)!.t).toBeGreaterThan(statusWrites[0].t);
  });
});
