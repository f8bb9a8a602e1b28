// kube-scheduler's default profile as far as the spine models it (reference pod-lifecycle.md §8).

import { describe, expect, it } from 'vitest';
import { advance, condition, eventsFor, newCluster, pod, podNames, pods, replicaSet, traceEvents } from '../../test/helpers/cluster.js';

describe('scheduler: filters and the unschedulable outcome', () => {
  const affinityPrefix =
    "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";

  it('keeps a pod whose nodeSelector matches no node Pending, with PodScheduled=False/Unschedulable and FailedScheduling', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('p', { nodeSelector: { disk: 'ssd' } }));
    advance(c, 2000);
    const p = c.api.get('Pod', 'default', 'p')!;
    expect(p.spec.nodeName).toBeUndefined();
    expect(p.status.phase).toBe('Pending');
    const cond = condition(p, 'PodScheduled');
    expect(cond).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' });
    expect(cond.message.startsWith(affinityPrefix)).toBe(true);
    const evs = eventsFor(c, 'Pod', 'p');
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({ type: 'Warning', reason: 'FailedScheduling', message: cond.message });
  });

  // FitError.Error() appends each part with SeparatorFormat " %v.", and the preemption
  // PostFilter message already ends with "." — so current releases print two dots
  // ("... Preemption is not helpful for scheduling.."), as seen in real clusters' events.
  it('prints the upstream FitError text exactly (two dots after the preemption part)', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('p', { nodeSelector: { disk: 'ssd' } }));
    advance(c, 2000);
    expect(condition(c.api.get('Pod', 'default', 'p'), 'PodScheduled').message).toBe(`${affinityPrefix}.`);
  });

  it('schedules the pod once a node gets the label', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('p', { nodeSelector: { disk: 'ssd' } }));
    advance(c, 2000);
    c.api.mutate('Node', undefined, 'node-2', (d) => {
      d.metadata.labels = { ...d.metadata.labels, disk: 'ssd' };
    });
    advance(c, 3000);
    const p = c.api.get('Pod', 'default', 'p')!;
    expect(p.spec.nodeName).toBe('node-2');
    expect(condition(p, 'PodScheduled')).toMatchObject({ status: 'True' });
    expect(p.status.phase).toBe('Running');
    const evs = eventsFor(c, 'Pod', 'p');
    expect(evs.map((e) => e.reason)).toContain('Scheduled');
    expect(evs.find((e) => e.reason === 'Scheduled')!.message).toBe('Successfully assigned default/p to node-2');
  });

  it('reports Insufficient cpu when requests exceed what is allocatable', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('big', { requests: { cpu: '5' } }));
    advance(c, 2000);
    const p = c.api.get('Pod', 'default', 'big')!;
    expect(p.spec.nodeName).toBeUndefined();
    expect(condition(p, 'PodScheduled').message).toMatch(/^0\/2 nodes are available: 2 Insufficient cpu\. preemption: /);
  });

  // DefaultPreemption: a node failing only a resolvable filter (Insufficient cpu) is a preemption
  // candidate; with no lower-priority pods to evict, SelectVictimsOnNode says "No preemption
  // victims found for incoming pod" — e.g. "0/1 nodes are available: 1 Insufficient cpu.
  // preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.."
  it('says "No preemption victims found for incoming pod" for Insufficient cpu (upstream DefaultPreemption)', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('big', { requests: { cpu: '5' } }));
    advance(c, 2000);
    expect(condition(c.api.get('Pod', 'default', 'big'), 'PodScheduled').message).toBe(
      '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..',
    );
  });

  it('counts the requests of pods already on a node', () => {
    const c = newCluster({ nodes: 1 });
    c.api.create(pod('a', { requests: { cpu: '3' } }));
    advance(c, 1000);
    expect(c.api.get('Pod', 'default', 'a')!.spec.nodeName).toBe('node-1');
    c.api.create(pod('b', { requests: { cpu: '2', memory: '9Gi' } }));
    advance(c, 1000);
    const b = c.api.get('Pod', 'default', 'b')!;
    expect(b.spec.nodeName).toBeUndefined();
    // every insufficient resource is reported on the node
    expect(condition(b, 'PodScheduled').message).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory\. /);
  });

  it('lets a waiting pod in when a pod leaves the node, not while it is terminating', () => {
    const c = newCluster({ nodes: 1, apps: [{ key: 'stubborn', ignoreSigterm: true }] });
    c.api.create(pod('a', { requests: { cpu: '3' }, image: 'stubborn' }));
    advance(c, 1000);
    c.api.create(pod('b', { requests: { cpu: '2' } }));
    advance(c, 1000);
    expect(c.api.get('Pod', 'default', 'b')!.spec.nodeName).toBeUndefined();
    c.api.delete('Pod', 'default', 'a');
    // a terminating pod still holds its requests on the node
    advance(c, 20_000);
    expect(c.api.get('Pod', 'default', 'a')!.metadata.deletionTimestamp).toBeDefined();
    expect(c.api.get('Pod', 'default', 'b')!.spec.nodeName).toBeUndefined();
    advance(c, 15_000);
    expect(c.api.get('Pod', 'default', 'a')).toBeUndefined();
    expect(c.api.get('Pod', 'default', 'b')!.spec.nodeName).toBe('node-1');
  });

  it('leaves a pod for another scheduler alone: Pending, no condition, no events', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('p', { schedulerName: 'my-scheduler' }));
    advance(c, 10_000);
    const p = c.api.get('Pod', 'default', 'p')!;
    expect(p.spec.nodeName).toBeUndefined();
    expect(p.status.phase).toBe('Pending');
    expect(condition(p, 'PodScheduled')).toBeUndefined();
    expect(eventsFor(c, 'Pod', 'p')).toEqual([]);
  });

  it('reports unschedulable nodes and untolerated taints per node', () => {
    const c = newCluster({
      nodes: [
        { name: 'cordoned', unschedulable: true },
        { name: 'tainted', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      ],
    });
    c.api.create(pod('p'));
    advance(c, 2000);
    expect(condition(c.api.get('Pod', 'default', 'p'), 'PodScheduled').message).toMatch(
      /^0\/2 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: gpu\}, 1 node\(s\) were unschedulable\. /,
    );
  });
});

describe('scheduler: scoring', () => {
  it('spreads equal pods across equal nodes (LeastAllocated)', () => {
    const c = newCluster({ nodes: 3 });
    c.api.create(replicaSet('web', { replicas: 6 }));
    advance(c, 3000);
    const perNode = new Map<string, number>();
    for (const p of pods(c, 'app=web')) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    expect([...perNode.keys()].sort()).toEqual(['node-1', 'node-2', 'node-3']);
    expect([...perNode.values()]).toEqual([2, 2, 2]);
  });

  it('prefers the emptier node', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('heavy', { nodeName: 'node-1', requests: { cpu: '2', memory: '4Gi' } }));
    advance(c, 1000);
    for (let i = 0; i < 3; i++) c.api.create(pod(`p${i}`, { requests: { cpu: '100m', memory: '100Mi' } }));
    advance(c, 2000);
    expect(['p0', 'p1', 'p2'].map((n) => c.api.get('Pod', 'default', n)!.spec.nodeName)).toEqual(['node-2', 'node-2', 'node-2']);
  });

  it('places pods the same way for the same seed', () => {
    const placement = (seed: number) => {
      const c = newCluster({ nodes: 4, seed });
      c.api.create(replicaSet('web', { replicas: 7 }));
      advance(c, 3000);
      // nodes in pod creation order: independent of the generated names
      const created = traceEvents(c, 'ReplicaSet', 'web').map((e) => e.message.replace('Created pod: ', ''));
      expect(created).toHaveLength(7);
      return created.map((n) => c.api.get('Pod', 'default', n)!.spec.nodeName);
    };
    expect(placement(5)).toEqual(placement(5));
    expect(placement(5)).not.toEqual(placement(6));
  });

  it('binds a pod that names its node without asking the scheduler', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('pinned', { nodeName: 'node-2' }));
    advance(c, 1000);
    expect(podNames(c)).toEqual(['pinned']);
    expect(eventsFor(c, 'Pod', 'pinned').map((e) => e.reason)).not.toContain('Scheduled');
    expect(c.api.get('Pod', 'default', 'pinned')!.status.phase).toBe('Running');
  });
});
