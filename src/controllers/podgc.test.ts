// PodGC (pkg/controller/podgc/gc_controller.go), with tables from gc_controller_test.go.

import { describe, expect, it } from 'vitest';
import { Cluster } from '../engine/cluster.js';
import { AppRegistry } from '../apps/registry.js';
import { PodGCController, GC_CHECK_PERIOD_MS, QUARANTINE_TIME_MS, byEvictionAndCreationTimestamp } from './podgc.js';
import { advance, clusterConfig, newCluster, pod } from '../../test/helpers/cluster.js';
import type { KubeObject } from '../api/types.js';

/** An API server with only PodGC running against it (no kubelet rewrites the fixtures' status). */
function bare(opts: { threshold?: number; nodes?: string[]; version?: string } = {}) {
  const c = new Cluster(clusterConfig({ nodes: [], ...(opts.version ? { kubernetesVersion: opts.version } : {}) }), 1, new AppRegistry([]));
  c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  for (const n of opts.nodes ?? []) c.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: n }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  const gc = new PodGCController(c, { terminatedPodThreshold: opts.threshold ?? 0 });
  const deleted: string[] = [];
  const patched: string[] = [];
  c.api.watch((ev) => {
    if (ev.object.kind !== 'Pod') return;
    if (ev.type === 'DELETED') deleted.push(ev.object.metadata.name!);
    else if (ev.type === 'MODIFIED' && ev.old?.status?.phase !== 'Failed' && ev.object.status?.phase === 'Failed') patched.push(ev.object.metadata.name!);
  });
  return { c, gc, deleted, patched };
}

interface Fixture {
  name: string;
  phase: string;
  node?: string;
  reason?: string;
  /** deleted with this grace period before the test (a pod with finalizers stays, terminating) */
  deleteGrace?: number;
  finalizers?: string[];
}

/** creates the pods a second apart (upstream spaces creationTimestamps an hour apart; order is what matters), then sets their phase */
function makePods(c: Cluster, pods: Fixture[]): void {
  for (const f of pods) {
    const p = pod(f.name, { ...(f.node ? { nodeName: f.node } : {}), ...(f.finalizers ? { finalizers: f.finalizers } : {}) });
    c.api.create(p);
    c.api.mutate('Pod', 'default', f.name, (d) => {
      d.status = { ...d.status, phase: f.phase, ...(f.reason ? { reason: f.reason } : {}) };
    }, 'status');
    if (f.deleteGrace !== undefined) c.api.delete('Pod', 'default', f.name, { gracePeriodSeconds: f.deleteGrace });
    advance(c, 1_000);
  }
}

const F = 'example.com/some-finalizer';

describe('gcTerminated (gc_controller_test.go TestGCTerminated)', () => {
  const table: { name: string; pods: Fixture[]; threshold: number; deleted: string[] }[] = [
    { name: 'delete pod a which is PodFailed and pod b which is PodSucceeded', pods: [{ name: 'a', phase: 'Failed' }, { name: 'b', phase: 'Succeeded' }, { name: 'c', phase: 'Failed' }], threshold: 1, deleted: ['a', 'b'] },
    { name: 'threshold = 0, disables terminated pod deletion', pods: [{ name: 'a', phase: 'Failed' }, { name: 'b', phase: 'Succeeded' }], threshold: 0, deleted: [] },
    { name: 'threshold = 1, delete pod b which is PodSucceeded', pods: [{ name: 'a', phase: 'Running' }, { name: 'b', phase: 'Succeeded' }, { name: 'c', phase: 'Failed' }], threshold: 1, deleted: ['b'] },
    { name: 'threshold = 1, delete pod a which is PodFailed', pods: [{ name: 'a', phase: 'Failed' }, { name: 'b', phase: 'Succeeded' }], threshold: 1, deleted: ['a'] },
    { name: "threshold = 5, don't delete pod", pods: [{ name: 'a', phase: 'Failed' }, { name: 'b', phase: 'Succeeded' }], threshold: 5, deleted: [] },
    { name: 'evicted pods go first', pods: [{ name: 'a', phase: 'Failed' }, { name: 'b', phase: 'Succeeded' }, { name: 'c', phase: 'Failed', reason: 'Evicted' }], threshold: 1, deleted: ['c', 'a'] },
    { name: 'an evicted pod first, a running pod never', pods: [{ name: 'a', phase: 'Running' }, { name: 'b', phase: 'Succeeded' }, { name: 'c', phase: 'Failed', reason: 'Evicted' }], threshold: 1, deleted: ['c'] },
    {
      name: 'pods that are only waiting for their finalizers still count towards the threshold',
      pods: [{ name: 'a', phase: 'Succeeded', deleteGrace: 0, finalizers: [F] }, { name: 'b', phase: 'Failed', deleteGrace: 0, finalizers: [F] }, { name: 'c', phase: 'Succeeded' }],
      threshold: 2,
      deleted: ['c'],
    },
    {
      name: 'the number of deletion candidates limits the number of deleted pods',
      pods: [{ name: 'a', phase: 'Succeeded', deleteGrace: 0, finalizers: [F] }, { name: 'b', phase: 'Failed', deleteGrace: 0, finalizers: [F] }, { name: 'c', phase: 'Succeeded', deleteGrace: 0, finalizers: [F] }, { name: 'd', phase: 'Succeeded' }],
      threshold: 1,
      deleted: ['d'],
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const { c, gc, deleted } = bare({ threshold: row.threshold, nodes: ['node'] });
      // made within the first 20 s: gc() runs before the controller's first pass would
      makePods(c, row.pods.map((p) => ({ ...p, node: 'node' })));
      expect(deleted).toEqual([]);
      gc.gc();
      expect(deleted.sort()).toEqual([...row.deleted].sort());
    });
  }

  it('byEvictionAndCreationTimestamp: evicted first, then older, then by name', () => {
    const p = (name: string, created: string, evicted = false): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, creationTimestamp: created }, status: evicted ? { phase: 'Failed', reason: 'Evicted' } : { phase: 'Succeeded' } });
    const pods = [p('z', '2024-01-01T00:00:02Z'), p('b', '2024-01-01T00:00:01Z'), p('a', '2024-01-01T00:00:01Z'), p('e', '2024-01-01T00:00:09Z', true)];
    expect(pods.sort(byEvictionAndCreationTimestamp).map((x) => x.metadata.name)).toEqual(['e', 'a', 'b', 'z']);
  });
});

describe('gcOrphaned (gc_controller_test.go TestGCOrphaned)', () => {
  const table: { name: string; nodes: string[]; pods: Fixture[]; deleted: string[]; patched: string[] }[] = [
    { name: 'nodes present in lister', nodes: ['existing1', 'existing2'], pods: [{ name: 'a', node: 'existing1', phase: 'Running' }, { name: 'b', node: 'existing2', phase: 'Failed' }, { name: 'c', node: 'existing2', phase: 'Succeeded' }], deleted: [], patched: [] },
    { name: 'no nodes', nodes: [], pods: [{ name: 'a', node: 'deleted', phase: 'Failed' }, { name: 'b', node: 'deleted', phase: 'Succeeded' }], deleted: ['a', 'b'], patched: [] },
    { name: 'no nodes, one running pod', nodes: [], pods: [{ name: 'a', node: 'deleted', phase: 'Failed' }, { name: 'b', node: 'deleted', phase: 'Succeeded' }, { name: 'c', node: 'deleted', phase: 'Running' }], deleted: ['a', 'b', 'c'], patched: ['c'] },
    {
      name: 'no nodes, pods that are only waiting for their finalizers',
      nodes: [],
      pods: [{ name: 'a', node: 'deleted', phase: 'Failed', deleteGrace: 0, finalizers: [F] }, { name: 'b', node: 'deleted', phase: 'Running' }, { name: 'c', node: 'deleted', phase: 'Succeeded' }],
      deleted: ['b', 'c'],
      patched: ['b'],
    },
    { name: 'wrong nodes', nodes: ['existing'], pods: [{ name: 'a', node: 'deleted', phase: 'Running' }], deleted: ['a'], patched: ['a'] },
    { name: 'some nodes missing', nodes: ['existing'], pods: [{ name: 'a', node: 'deleted', phase: 'Failed' }, { name: 'b', node: 'existing', phase: 'Failed' }, { name: 'c', node: 'deleted', phase: 'Succeeded' }, { name: 'd', node: 'deleted', phase: 'Running' }], deleted: ['a', 'c', 'd'], patched: ['d'] },
  ];
  for (const row of table) {
    it(row.name, () => {
      const { c, deleted, patched } = bare({ nodes: row.nodes });
      makePods(c, row.pods);
      patched.length = 0;
      // the pass at 20 s quarantines the missing node, the pass at 60 s deletes its pods
      advance(c, 2 * QUARANTINE_TIME_MS);
      expect(deleted.sort()).toEqual([...row.deleted].sort());
      expect(patched.sort()).toEqual([...row.patched].sort());
    });
  }

  it('quarantine not finished: a pass finds the pod, the pass 40 s later deletes it', () => {
    const { c, deleted } = bare();
    advance(c, 5_000);
    c.api.create(pod('a', { nodeName: 'deleted' }));
    // the pass at 20 s quarantines "deleted"; the one at 40 s is inside the quarantine
    advance(c, 40_000 - 5_000);
    expect(deleted).toEqual([]);
    advance(c, 20_000);
    expect(deleted).toEqual(['a']);
    expect(c.sim.now).toBe(20_000 + QUARANTINE_TIME_MS);
  });

  it('a node added back during the quarantine keeps its pods', () => {
    const { c, deleted } = bare();
    c.api.create(pod('a', { nodeName: 'node' }));
    advance(c, GC_CHECK_PERIOD_MS + 1);
    c.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node' } });
    advance(c, 5 * GC_CHECK_PERIOD_MS);
    expect(deleted).toEqual([]);
  });

  it('the orphan gets phase Failed and DisruptionTarget DeletionByPodGC before the delete; before 1.26 it is just deleted', () => {
    for (const [version, condition] of [['1.34', true], ['1.25', false]] as const) {
      const { c } = bare({ version });
      c.api.create(pod('a', { nodeName: 'gone' }));
      let last: KubeObject | undefined;
      c.api.watch((ev) => {
        if (ev.type === 'DELETED') last = ev.object;
      });
      advance(c, 120_000);
      expect(last?.status?.phase).toBe(condition ? 'Failed' : 'Pending');
      const dt = (last?.status?.conditions ?? []).find((x: any) => x.type === 'DisruptionTarget');
      if (condition) expect(dt).toMatchObject({ status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
      else expect(dt).toBeUndefined();
      // force-deleted: no grace period
      expect(last?.metadata.deletionGracePeriodSeconds).toBe(0);
    }
  });
});

describe('gcUnscheduledTerminating (gc_controller_test.go TestGCUnscheduledTerminating)', () => {
  it('an unscheduled pod held by a finalizer is deleted by the next pass; one only waiting for its finalizers is not deleted again', () => {
    const { c, deleted, patched, gc } = bare({ nodes: ['node'] });
    // graceful delete of an unscheduled pod is immediate (grace 0): with a finalizer it stays, waiting
    makePods(c, [{ name: 'waiting', phase: 'Pending', deleteGrace: 30, finalizers: [F] }]);
    expect(c.api.get('Pod', 'default', 'waiting')!.metadata.deletionGracePeriodSeconds).toBe(0);
    gc.gc();
    expect(deleted).toEqual([]);
    expect(patched).toEqual([]);
  });

  it('a scheduled terminating pod is left to its kubelet', () => {
    const { c, deleted, gc } = bare({ nodes: ['node'] });
    makePods(c, [{ name: 'c', node: 'node', phase: 'Running', deleteGrace: 30 }]);
    gc.gc();
    expect(deleted).toEqual([]);
  });
});

describe('gcTerminating (gc_controller_test.go TestGCTerminating)', () => {
  it('terminating pods on a NotReady node with the out-of-service taint are force-deleted', () => {
    const { c, deleted, patched } = bare();
    c.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker' }, spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] }, status: { conditions: [{ type: 'Ready', status: 'False' }] } });
    c.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'healthy' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    makePods(c, [
      { name: 'a', node: 'worker', phase: 'Running', deleteGrace: 30 },
      { name: 'b', node: 'worker', phase: 'Running' },
      { name: 'c', node: 'healthy', phase: 'Running', deleteGrace: 30 },
    ]);
    patched.length = 0;
    advance(c, GC_CHECK_PERIOD_MS);
    expect(deleted).toEqual(['a']);
    expect(patched).toEqual(['a']);
  });
});

describe('PodGC in a running cluster', () => {
  it('runs no pass while there is nothing to collect', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('p'));
    advance(c, 600_000);
    const passes = ((c.sim as any).eventsBySource as Map<string, number>).get('pod-garbage-collector/gc') ?? 0;
    expect(passes).toBe(0);
  });
});
