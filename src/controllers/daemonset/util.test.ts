// DaemonSet placement and update arithmetic, translated from pkg/controller/daemon/daemon_controller_test.go
// (TestNodeShouldRunDaemonPod, the taint tests) and update_test.go (TestGetUnavailableNumbers).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import {
  FailedPodsBackoff,
  addOrUpdateDaemonPodTolerations,
  findUpdatedPodsOnNode,
  getTargetNodeName,
  nodeShouldRunDaemonPod,
  replaceDaemonSetPodNodeNameNodeAffinity,
  scaledValue,
  surgeAndUnavailable,
} from './util.js';
import { rollingUpdatePlan } from './update.js';
import { timestamp } from '../../api/time.js';

function node(name: string, extra: { labels?: Record<string, string>; taints?: any[]; unschedulable?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: extra.labels ?? {} },
    spec: { ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable: { cpu: '1', memory: '1Gi', pods: '100' } },
  };
}

function ds(spec: any = {}, strategy: any = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'foo', namespace: 'default', uid: 'ds-uid', generation: 1 },
    spec: {
      selector: { matchLabels: { name: 'simple-daemon' } },
      updateStrategy: strategy,
      template: { metadata: { labels: { name: 'simple-daemon' } }, spec: { containers: [{ name: 'c', image: 'foo/bar' }], ...spec } },
    },
  };
}

describe('NodeShouldRunDaemonPod (TestNodeShouldRunDaemonPod)', () => {
  const cases: { name: string; ds: KubeObject; node: KubeObject; want: [boolean, boolean] }[] = [
    { name: 'simple', ds: ds(), node: node('n'), want: [true, true] },
    { name: 'insufficient resources', ds: ds({ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100' } } }] }), node: node('n'), want: [true, true] },
    { name: 'nodeName does not match', ds: ds({ nodeName: 'other' }), node: node('n'), want: [false, false] },
    { name: 'nodeName matches', ds: ds({ nodeName: 'n' }), node: node('n'), want: [true, true] },
    { name: 'nodeSelector does not match', ds: ds({ nodeSelector: { disk: 'ssd' } }), node: node('n'), want: [false, false] },
    { name: 'nodeSelector matches', ds: ds({ nodeSelector: { disk: 'ssd' } }), node: node('n', { labels: { disk: 'ssd' } }), want: [true, true] },
    {
      name: 'required node affinity does not match',
      ds: ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: ['ssd'] }] }] } } } }),
      node: node('n', { labels: { type: 'hdd' } }),
      want: [false, false],
    },
    { name: 'unschedulable node', ds: ds(), node: node('n', { unschedulable: true }), want: [true, true] },
    // TestTaintedNodeDaemonDoesNotLaunchIntolerantPod / TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod
    { name: 'untolerated NoSchedule taint', ds: ds(), node: node('n', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] }), want: [false, true] },
    // TestNoExecuteTaintedDoesEvicitRunningIntolerantPod
    { name: 'untolerated NoExecute taint', ds: ds(), node: node('n', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }] }), want: [false, false] },
    { name: 'tolerated taint', ds: ds({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), node: node('n', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] }), want: [true, true] },
    // TestNotReadyNodeDaemonLaunchesPod / TestUnreachableNodeDaemonLaunchesPod
    { name: 'not-ready node', ds: ds(), node: node('n', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), want: [true, true] },
    { name: 'unreachable node', ds: ds(), node: node('n', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }), want: [true, true] },
    { name: 'memory pressure', ds: ds(), node: node('n', { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] }), want: [true, true] },
    // TestNetworkUnavailableNodeDaemonLaunchesPod: only hostNetwork pods tolerate it
    { name: 'network-unavailable, hostNetwork', ds: ds({ hostNetwork: true }), node: node('n', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), want: [true, true] },
    { name: 'network-unavailable, pod network', ds: ds(), node: node('n', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), want: [false, true] },
  ];
  for (const c of cases) it(c.name, () => expect(nodeShouldRunDaemonPod(c.node, c.ds)).toEqual(c.want));
});

describe('daemon pod tolerations and pinning', () => {
  it('adds the tolerations without tolerationSeconds, replacing an equal one', () => {
    const spec: any = { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] };
    addOrUpdateDaemonPodTolerations(spec);
    expect(spec.tolerations.map((t: any) => `${t.key}:${t.effect}:${t.tolerationSeconds ?? '-'}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute:-',
      'node.kubernetes.io/unreachable:NoExecute:-',
      'node.kubernetes.io/disk-pressure:NoSchedule:-',
      'node.kubernetes.io/memory-pressure:NoSchedule:-',
      'node.kubernetes.io/pid-pressure:NoSchedule:-',
      'node.kubernetes.io/unschedulable:NoSchedule:-',
    ]);
  });

  // TestReplaceDaemonSetPodNodeNameNodeAffinity
  it('replaces the required node affinity terms with metadata.name In [node], keeping preferred terms', () => {
    const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } }];
    const a = replaceDaemonSetPodNodeNameNodeAffinity(
      { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }] }, preferredDuringSchedulingIgnoredDuringExecution: preferred } },
      'node-1',
    );
    expect(a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }]);
    expect(a.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual(preferred);
    expect(getTargetNodeName({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { affinity: a } })).toBe('node-1');
    expect(replaceDaemonSetPodNodeNameNodeAffinity(undefined, 'n2').nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values).toEqual(['n2']);
  });
});

describe('surge and unavailability (TestGetUnavailableNumbers)', () => {
  const strat = (maxUnavailable: any, maxSurge: any = 0) => ({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } });
  const cases: { name: string; desired: number; strategy: any; want: [number, number] }[] = [
    { name: 'no nodes', desired: 0, strategy: strat(0), want: [0, 0] },
    { name: 'two nodes, maxUnavailable 1', desired: 2, strategy: strat(1), want: [0, 1] },
    { name: 'two nodes, both zero -> unavailable 1', desired: 2, strategy: strat(0), want: [0, 1] },
    { name: 'two nodes, 50%', desired: 2, strategy: strat('50%'), want: [0, 1] },
    { name: 'two nodes, surge 50%', desired: 2, strategy: strat(0, '50%'), want: [1, 0] },
    { name: 'two nodes, surge 100%', desired: 2, strategy: strat(0, '100%'), want: [2, 0] },
    { name: 'three nodes, 50% rounds up', desired: 3, strategy: strat('50%'), want: [0, 2] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { maxSurge, maxUnavailable } = surgeAndUnavailable(ds({}, c.strategy), c.desired);
      expect([maxSurge, maxUnavailable]).toEqual(c.want);
    });
  }
  it('percent resolution (intstr GetScaledValueFromIntOrPercent)', () => {
    expect(scaledValue('10%', 25, true)).toBe(3);
    expect(scaledValue('10%', 25, false)).toBe(2);
    expect(scaledValue(4, 25, true)).toBe(4);
  });
});

describe('failed pod backoff (TestDaemonKillFailedPodsBackoff)', () => {
  it('1 s doubling to 15 min', () => {
    const b = new FailedPodsBackoff();
    expect(b.isInBackOffSinceUpdate('k', 0)).toBe(false);
    b.next('k', 0);
    expect(b.get('k')).toBe(1000);
    expect(b.isInBackOffSinceUpdate('k', 999)).toBe(true);
    expect(b.isInBackOffSinceUpdate('k', 1000)).toBe(false);
    b.next('k', 1000);
    expect(b.get('k')).toBe(2000);
    for (let i = 0; i < 20; i++) b.next('k', 2000 + i);
    expect(b.get('k')).toBe(15 * 60 * 1000);
  });
});

describe('rolling update plan (TestDaemonSetUpdatesPods, TestDaemonSetUpdatesPodsWithMaxSurge)', () => {
  const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => node(n));
  const pod = (name: string, nodeName: string, hash: string, ready = true): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { 'controller-revision-hash': hash } },
    spec: { nodeName },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: timestamp(0) }] },
  });
  const oldPods = () => new Map(nodes.map((n, i) => [n.metadata.name!, [pod(`p${i}`, n.metadata.name!, 'old')]]));

  it('maxUnavailable 2: two old pods are deleted', () => {
    const plan = rollingUpdatePlan(ds({}, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, maxSurge: 0 } }), nodes, oldPods(), 'new', undefined, 1000);
    expect(plan.podsToDelete).toEqual(['p0', 'p1']);
    expect(plan.nodesToCreate).toEqual([]);
  });

  it('unavailable new pods count against maxUnavailable; unavailable old pods are replaced anyway', () => {
    const m = oldPods();
    m.set('n1', [pod('new1', 'n1', 'new', false)]);
    m.set('n2', [pod('p1', 'n2', 'old', false)]);
    const plan = rollingUpdatePlan(ds({}, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }), nodes, m, 'new', undefined, 1000);
    // n1's new pod uses the one unavailable slot; n2's old pod is not available: replaced regardless
    expect(plan.podsToDelete).toEqual(['p1']);
  });

  it('maxSurge 2: new pods are created beside two old ones; an old pod goes once its new pod is available', () => {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 2 } };
    let plan = rollingUpdatePlan(ds({}, strategy), nodes, oldPods(), 'new', undefined, 1000);
    expect(plan.nodesToCreate).toEqual(['n1', 'n2']);
    expect(plan.podsToDelete).toEqual([]);
    const m = oldPods();
    m.set('n1', [pod('p0', 'n1', 'old'), pod('new1', 'n1', 'new', true)]);
    m.set('n2', [pod('p1', 'n2', 'old'), pod('new2', 'n2', 'new', false)]);
    plan = rollingUpdatePlan(ds({}, strategy), nodes, m, 'new', undefined, 1000);
    expect(plan.podsToDelete).toEqual(['p0']);
    // n2 still surging: one more surge slot for n3
    expect(plan.nodesToCreate).toEqual(['n3']);
  });

  it('findUpdatedPodsOnNode refuses two old pods', () => {
    expect(findUpdatedPodsOnNode([pod('a', 'n', 'old'), pod('b', 'n', 'old')], 'new', undefined).ok).toBe(false);
  });
});
