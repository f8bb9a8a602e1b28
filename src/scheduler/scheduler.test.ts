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

// DefaultPreemption over an InterPodAffinity conflict: the dry run's RemovePod
// (framework.RunPreFilterExtensionRemovePod, interpodaffinity/filtering.go RemovePod) takes the
// victim out of the cycle's anti-affinity counts, so the pod fits once it is gone (upstream
// preemption_test.go / default_preemption_test.go "preemption to resolve pod anti-affinity").
describe('scheduler: preemption resolves a required anti-affinity conflict', () => {
  const priorityClass = (name: string, value: number) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
  const antiAffinity = (app: string) => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' }] } });
  const withClass = (p: any, className: string, affinity?: any) => ({ ...p, spec: { ...p.spec, priorityClassName: className, terminationGracePeriodSeconds: 5, ...(affinity ? { affinity } : {}) } });

  function run(preemptorClass: string, victimAffinity: boolean) {
    const c = newCluster({ nodes: 1 });
    c.api.create(priorityClass('low', 100));
    c.api.create(priorityClass('high', 1000));
    // the conflict either way: the preemptor's own anti-affinity, or the existing pod's
    c.api.create(withClass(pod('batch', { labels: { app: 'batch' } }), 'low', victimAffinity ? antiAffinity('important') : undefined));
    advance(c, 3000);
    // the victim as last seen (it may be gone by the time the test looks)
    let lastBatch: any;
    c.api.watch((ev) => {
      if (ev.object.metadata.name === 'batch') lastBatch = ev.type === 'DELETED' ? lastBatch : ev.object;
    }, ['Pod']);
    c.api.create(withClass(pod('important', { labels: { app: 'important' } }), preemptorClass, victimAffinity ? undefined : antiAffinity('batch')));
    advance(c, 1000);
    return Object.assign(c, { get lastBatch() { return lastBatch; } });
  }

  for (const [what, victimAffinity, reason] of [
    ["the preemptor's anti-affinity", false, "didn't match pod anti-affinity rules"],
    ["the existing pod's anti-affinity", true, "didn't satisfy existing pods anti-affinity rules"],
  ] as const) {
    it(`evicts the lower-priority pod in conflict (${what}) and nominates the node`, () => {
      const c = run('high', victimAffinity);
      expect(eventsFor(c, 'Pod', 'important').find((e) => e.reason === 'FailedScheduling')!.message).toBe(`0/1 nodes are available: 1 node(s) ${reason}.`);
      expect(eventsFor(c, 'Pod', 'batch').find((e) => e.reason === 'Preempted')!.message).toMatch(/^Preempted by pod [0-9a-f-]+ on node node-1$/);
      // the victim got DisruptionTarget (PreemptionByScheduler) before its graceful delete
      expect(condition(c.lastBatch, 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'PreemptionByScheduler' });
      advance(c, 10_000);
      expect(c.api.get('Pod', 'default', 'batch')).toBeUndefined();
      expect(c.api.get('Pod', 'default', 'important')!.spec.nodeName).toBe('node-1');
    });

    it(`finds no victims among pods of equal priority (${what})`, () => {
      const c = run('low', victimAffinity);
      expect(eventsFor(c, 'Pod', 'important').find((e) => e.reason === 'FailedScheduling')!.message).toBe(
        `0/1 nodes are available: 1 node(s) ${reason}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..`,
      );
      expect(c.api.get('Pod', 'default', 'batch')!.metadata.deletionTimestamp).toBeUndefined();
    });
  }
});
