// InterPodAffinity, translated from upstream pkg/scheduler/framework/plugins/interpodaffinity/
// filtering_test.go (TestRequiredAffinitySingleNode, TestRequiredAffinityMultipleNodes) and
// scoring_test.go (TestPreferredAffinity, TestPreferredAffinityWithHardPodAffinitySymmetricWeight).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../api/types.js';
import {
  ERR_AFFINITY_RULES,
  ERR_ANTI_AFFINITY_RULES,
  ERR_EXISTING_ANTI_AFFINITY,
  hasPodAffinity,
  interPodAffinityFilter,
  interPodAffinityPreFilter,
  interPodAffinityScores,
  interPodAffinityWithPods,
  normalizeAffinityScores,
  type NamespaceLabels,
  type SnapshotNode,
} from './interpodaffinity.js';

const node = (name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
let seq = 0;
/** a pod in namespace "" (upstream's defaultNamespace) unless given */
function pod(opts: { labels?: Record<string, string>; node?: string; ns?: string; affinity?: any } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${seq++}`, namespace: opts.ns ?? '', labels: opts.labels ?? {} },
    spec: { nodeName: opts.node, affinity: opts.affinity, containers: [] },
  };
}
const expr = (key: string, operator: string, values?: string[]) => ({ key, operator, ...(values ? { values } : {}) });
/** PodAffinityTerm with one matchExpression (st.MakePod().PodAffinityIn etc.) */
const term = (key: string, op: string, values: string[] | undefined, topologyKey: string, extra: any = {}) => ({
  labelSelector: { matchExpressions: [expr(key, op, values)] },
  topologyKey,
  ...extra,
});
const required = (aff: any[] = [], anti: any[] = []) => ({
  ...(aff.length ? { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: aff } } : {}),
  ...(anti.length ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: anti } } : {}),
});

/** upstream's test namespaces (scoring_test.go `namespaces`) */
const NS: Record<string, Record<string, string>> = {
  'subteam1.team1': { team: 'team1' },
  'subteam2.team1': { team: 'team1' },
  'subteam1.team2': { team: 'team2' },
  'subteam2.team2': { team: 'team2' },
};
const nsLabels: NamespaceLabels = (ns) => (ns === undefined ? undefined : NS[ns]);

function snapshot(nodes: KubeObject[], pods: KubeObject[]): SnapshotNode[] {
  return nodes.map((n) => {
    const here = pods.filter((p) => p.spec.nodeName === n.metadata.name);
    return { node: n, pods: () => here, podsWithAffinity: () => here.filter(hasPodAffinity) };
  });
}

/** PreFilter then Filter per node: undefined = fits */
function filter(incoming: KubeObject, pods: KubeObject[], nodes: KubeObject[]): (string | undefined)[] {
  const s = interPodAffinityPreFilter(incoming, snapshot(nodes, pods), nsLabels);
  return nodes.map((n) => (s ? interPodAffinityFilter(s, n) : undefined));
}

describe('InterPodAffinity Filter — TestRequiredAffinitySingleNode', () => {
  const podLabel = { service: 'securityscan' };
  const podLabel2 = { security: 'S1' };
  const node1 = node('node1', { region: 'r1', zone: 'z11' });
  const existing = pod({ labels: podLabel, node: 'node1' });

  it('"A pod that has no required pod affinity scheduling rules…" → PreFilter skips', () => {
    expect(interPodAffinityPreFilter(pod(), snapshot([node1], []), nsLabels)).toBeUndefined();
  });

  const cases: [string, KubeObject, KubeObject[], string | undefined][] = [
    ['satisfies … PodAffinity using In operator that matches the existing pod',
      pod({ labels: podLabel2, affinity: required([term('service', 'In', ['securityscan', 'value2'], 'region')]) }), [existing], undefined],
    ['satisfies … PodAffinity using not in operator in labelSelector that matches the existing pod',
      pod({ labels: podLabel2, affinity: required([term('service', 'NotIn', ['securityscan3', 'value3'], 'region')]) }), [existing], undefined],
    ['Does not satisfy the PodAffinity with labelSelector because of diff Namespace',
      pod({ labels: podLabel2, affinity: required([term('service', 'In', ['securityscan', 'value2'], '', { namespaces: ['DiffNameSpace'] })]) }),
      [pod({ ns: 'ns', labels: podLabel, node: 'node1' })], ERR_AFFINITY_RULES],
    ["Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
      pod({ labels: podLabel, affinity: required([term('service', 'In', ['antivirusscan', 'value2'], '')]) }), [existing], ERR_AFFINITY_RULES],
    ['satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution',
      pod({
        labels: podLabel2,
        affinity: required([
          { labelSelector: { matchExpressions: [expr('service', 'Exists'), expr('wrongkey', 'DoesNotExist')] }, topologyKey: 'region' },
          { labelSelector: { matchExpressions: [expr('service', 'In', ['securityscan']), expr('service', 'NotIn', ['WrongValue'])] }, topologyKey: 'region' },
        ]),
      }), [existing], undefined],
    ['The labelSelector requirements(items of matchExpressions) are ANDed…',
      pod({
        labels: podLabel2,
        affinity: required([
          { labelSelector: { matchExpressions: [expr('service', 'Exists'), expr('wrongkey', 'DoesNotExist')] }, topologyKey: 'region' },
          { labelSelector: { matchExpressions: [expr('service', 'In', ['securityscan2']), expr('service', 'NotIn', ['WrongValue'])] }, topologyKey: 'region' },
        ]),
      }), [existing], ERR_AFFINITY_RULES],
    ['satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod',
      pod({ labels: podLabel2, affinity: required([term('service', 'In', ['securityscan', 'value2'], 'region')], [term('service', 'In', ['antivirusscan', 'value2'], 'node')]) }),
      [pod({ labels: podLabel, node: 'node1', affinity: required([], [term('service', 'In', ['antivirusscan', 'value2'], 'node')]) })], undefined],
    ["satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
      pod({ labels: podLabel2, affinity: required([term('service', 'In', ['securityscan', 'value2'], 'region')], [term('service', 'In', ['securityscan', 'value2'], 'zone')]) }),
      [existing], ERR_ANTI_AFFINITY_RULES],
    ["satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
      pod({ labels: podLabel, affinity: required([term('service', 'In', ['securityscan', 'value2'], 'region')], [term('service', 'In', ['antivirusscan', 'value2'], 'node')]) }),
      [pod({ labels: podLabel, node: 'node1', affinity: required([], [term('service', 'In', ['securityscan', 'value2'], 'zone')]) })], ERR_EXISTING_ANTI_AFFINITY],
    ['pod matches its own Label in PodAffinity and that matches the existing pod Labels',
      pod({ labels: podLabel, affinity: required([term('service', 'NotIn', ['securityscan', 'value2'], 'region')]) }),
      [pod({ labels: { service: 'securityscan' }, node: 'node2' })], ERR_AFFINITY_RULES],
    ["verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy…",
      pod({ labels: podLabel }), [pod({ labels: podLabel, node: 'node1', affinity: required([], [term('service', 'In', ['securityscan', 'value2'], 'zone')]) })], ERR_EXISTING_ANTI_AFFINITY],
    ["satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
      pod({ labels: podLabel, affinity: required([], [term('service', 'Exists', undefined, 'region'), term('security', 'Exists', undefined, 'region')]) }),
      [pod({ labels: podLabel2, node: 'node1', affinity: required([], [term('security', 'Exists', undefined, 'zone')]) })], ERR_ANTI_AFFINITY_RULES],
    ['PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms',
      pod({ labels: podLabel2, affinity: required([], [term('security', 'Exists', undefined, 'zone')]) }),
      [pod({ labels: podLabel, node: 'node1', affinity: required([], [term('service', 'Exists', undefined, 'zone'), term('security', 'Exists', undefined, 'zone')]) })], ERR_EXISTING_ANTI_AFFINITY],
    ['affinity with NamespaceSelector',
      pod({ labels: podLabel2, affinity: required([term('service', 'In', ['securityscan', 'value2'], 'region', { namespaceSelector: { matchExpressions: [expr('team', 'In', ['team1'])] } })]) }),
      [pod({ ns: 'subteam1.team1', labels: podLabel, node: 'node1' })], undefined],
    ['affinity with non-matching NamespaceSelector',
      pod({ labels: podLabel2, affinity: required([term('service', 'In', ['securityscan', 'value2'], 'region', { namespaceSelector: { matchExpressions: [expr('team', 'In', ['team1'])] } })]) }),
      [pod({ ns: 'subteam1.team2', labels: podLabel, node: 'node1' })], ERR_AFFINITY_RULES],
    ['anti-affinity with matching all NamespaceSelector',
      pod({ ns: 'subteam1.team1', labels: podLabel2, affinity: required([], [term('service', 'In', ['securityscan', 'value2'], 'zone', { namespaceSelector: {} })]) }),
      [pod({ ns: 'subteam2.team1', labels: podLabel, node: 'node1' })], ERR_ANTI_AFFINITY_RULES],
    ['anti-affinity with non-matching NamespaceSelector',
      pod({ ns: 'subteam1.team1', labels: podLabel2, affinity: required([], [term('service', 'In', ['securityscan', 'value2'], 'zone', { namespaceSelector: { matchExpressions: [expr('team', 'In', ['team1'])] } })]) }),
      [pod({ ns: 'subteam1.team2', labels: podLabel, node: 'node1' })], undefined],
  ];
  for (const [name, incoming, pods, want] of cases) {
    it(`"${name}"`, () => {
      // pods bound to other nodes (node2) are not in this single-node snapshot
      expect(filter(incoming, pods, [node1])).toEqual([want]);
    });
  }
});

describe('InterPodAffinity Filter — TestRequiredAffinityMultipleNodes', () => {
  const rgChina = { region: 'China' }, rgChinaAz1 = { region: 'China', az: 'az1' }, rgIndia = { region: 'India' };

  it('"A pod can be scheduled onto all the nodes that have the same topology key & label value…"', () => {
    const nodes = [node('node1', rgChina), node('node2', rgChinaAz1), node('node3', rgIndia)];
    const incoming = pod({ affinity: required([term('foo', 'In', ['bar'], 'region')]) });
    expect(filter(incoming, [pod({ labels: { foo: 'bar' }, node: 'node1' })], nodes)).toEqual([undefined, undefined, ERR_AFFINITY_RULES]);
  });

  it('"…The first pod of the collection should not be blocked from being scheduled onto any node…"', () => {
    const nodes = [node('nodeA', { zone: 'az1', hostname: 'h1' }), node('nodeB', { zone: 'az2', hostname: 'h2' })];
    const incoming = pod({ labels: { foo: 'bar', service: 'securityscan' }, affinity: required([term('foo', 'In', ['bar'], 'zone'), term('service', 'In', ['securityscan'], 'zone')]) });
    expect(filter(incoming, [pod({ labels: { foo: 'bar' }, node: 'nodeA' })], nodes)).toEqual([undefined, undefined]);
  });

  it('"The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys"', () => {
    const nodes = [node('nodeA', { zoneLabel: 'az1', hostname: 'h1' }), node('nodeB', { zoneLabel: 'az2', hostname: 'h2' })];
    const incoming = pod({ labels: { foo: 'bar', service: 'securityscan' }, affinity: required([term('foo', 'In', ['bar'], 'zone'), term('service', 'In', ['securityscan'], 'zone')]) });
    expect(filter(incoming, [pod({ labels: { foo: 'bar' }, node: 'nodeA' })], nodes)).toEqual([ERR_AFFINITY_RULES, ERR_AFFINITY_RULES]);
  });

  it('"NodeA and nodeB have same topologyKey and label value… can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC"', () => {
    const nodes = [node('nodeA', rgChina), node('nodeB', rgChinaAz1), node('nodeC', rgIndia)];
    const incoming = pod({ affinity: required([], [term('foo', 'In', ['abc'], 'region')]) });
    expect(filter(incoming, [pod({ labels: { foo: 'abc' }, node: 'nodeA' })], nodes)).toEqual([ERR_ANTI_AFFINITY_RULES, ERR_ANTI_AFFINITY_RULES, undefined]);
  });

  it('"…(NodeC has an existing pod that match the inter pod affinity rule but in different namespace)"', () => {
    const nodes = [node('nodeA', rgChina), node('nodeB', rgChinaAz1), node('nodeC', rgIndia)];
    const incoming = pod({ ns: 'NS1', labels: { foo: '123' }, affinity: required([], [term('foo', 'In', ['bar'], 'region')]) });
    const pods = [
      pod({ ns: 'NS1', labels: { foo: 'bar' }, node: 'nodeA' }),
      pod({ ns: 'NS2', node: 'nodeC', affinity: required([], [term('foo', 'In', ['123'], 'region')]) }),
    ];
    expect(filter(incoming, pods, nodes)).toEqual([ERR_ANTI_AFFINITY_RULES, ERR_ANTI_AFFINITY_RULES, undefined]);
  });

  it('"Test existing pod\'s anti-affinity: … invalid topologyKey …" → PreFilter skips, both fit', () => {
    const nodes = [node('nodeA', { region: 'r1', zone: 'z1', hostname: 'nodeA' }), node('nodeB', { region: 'r1', zone: 'z1', hostname: 'nodeB' })];
    const pods = [pod({ node: 'nodeA', affinity: required([], [term('foo', 'Exists', undefined, 'invalid-node-label')]) })];
    expect(interPodAffinityPreFilter(pod({ labels: { foo: '' } }), snapshot(nodes, pods), nsLabels)).toBeUndefined();
  });

  it('"Test incoming pod\'s anti-affinity: even if labelSelector matches, we still check if topologyKey matches"', () => {
    const nodes = [node('nodeA', { region: 'r1', zone: 'z1', hostname: 'nodeA' }), node('nodeB', { region: 'r1', zone: 'z1', hostname: 'nodeB' })];
    const incoming = pod({ affinity: required([], [term('foo', 'Exists', undefined, 'invalid-node-label')]) });
    expect(filter(incoming, [pod({ labels: { foo: '' }, node: 'nodeA' })], nodes)).toEqual([undefined, undefined]);
  });

  it('existing pods\' anti-affinity in two topologies blocks both nodes sharing them ("…zone/region…" case)', () => {
    const nodes = [node('nodeA', { region: 'r1', zone: 'z1', hostname: 'nodeA' }), node('nodeB', { region: 'r1', zone: 'z2', hostname: 'nodeB' })];
    const pods = [
      pod({ node: 'nodeA', affinity: required([], [term('foo', 'Exists', undefined, 'zone')]) }),
      pod({ node: 'nodeA', affinity: required([], [term('bar', 'Exists', undefined, 'region')]) }),
    ];
    expect(filter(pod({ labels: { foo: '', bar: '' } }), pods, nodes)).toEqual([ERR_EXISTING_ANTI_AFFINITY, ERR_EXISTING_ANTI_AFFINITY]);
  });

  it('matchLabelKeys / mismatchLabelKeys narrow the selector with the pod\'s own label values', () => {
    const nodes = [node('a', { h: 'a' }), node('b', { h: 'b' })];
    const pods = [pod({ labels: { app: 'web', rev: '1' }, node: 'a' }), pod({ labels: { app: 'web', rev: '2' }, node: 'b' })];
    const anti = (extra: any) => pod({ labels: { app: 'web', rev: '2' }, affinity: required([], [term('app', 'In', ['web'], 'h', extra)]) });
    expect(filter(anti({}), pods, nodes)).toEqual([ERR_ANTI_AFFINITY_RULES, ERR_ANTI_AFFINITY_RULES]);
    expect(filter(anti({ matchLabelKeys: ['rev'] }), pods, nodes)).toEqual([undefined, ERR_ANTI_AFFINITY_RULES]);
    expect(filter(anti({ mismatchLabelKeys: ['rev'] }), pods, nodes)).toEqual([ERR_ANTI_AFFINITY_RULES, undefined]);
  });
});

describe('InterPodAffinity Score — TestPreferredAffinity', () => {
  const rgChina = { region: 'China' }, rgIndia = { region: 'India' }, az1 = { az: 'az1' }, az2 = { az: 'az2' }, rgChinaAz1 = { region: 'China', az: 'az1' };
  const S1 = { security: 'S1' }, S2 = { security: 'S2' };
  const preferred = (kind: 'podAffinity' | 'podAntiAffinity', weight: number, t: any) => ({ [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: t }] } });
  const stayWithS1InRegion = preferred('podAffinity', 5, term('security', 'In', ['S1'], 'region'));
  const stayWithS2InRegion = preferred('podAffinity', 6, term('security', 'In', ['S2'], 'region'));
  const awayFromS1InAz = preferred('podAntiAffinity', 5, term('security', 'In', ['S1'], 'az'));
  const awayFromS2InAz = preferred('podAntiAffinity', 5, term('security', 'In', ['S2'], 'az'));
  const stayWithS1InRegionAwayFromS2InAz = { ...preferred('podAffinity', 8, term('security', 'In', ['S1'], 'region')), ...awayFromS2InAz };
  const affinity3 = {
    podAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 8, podAffinityTerm: { labelSelector: { matchExpressions: [expr('security', 'NotIn', ['S1']), expr('security', 'In', ['S2'])] }, topologyKey: 'region' } },
        { weight: 2, podAffinityTerm: { labelSelector: { matchExpressions: [expr('security', 'Exists'), expr('wrongkey', 'DoesNotExist')] }, topologyKey: 'region' } },
      ],
    },
  };
  const hardAffinity = required([term('security', 'In', ['S1', 'value2'], 'region'), { labelSelector: { matchExpressions: [expr('security', 'Exists'), expr('wrongkey', 'DoesNotExist')] }, topologyKey: 'region' }]);
  const nsSel = { namespaces: ['subteam2.team2'], namespaceSelector: { matchExpressions: [expr('team', 'In', ['team1'])] } };
  const affinityNamespaceSelector = preferred('podAffinity', 5, term('security', 'In', ['S1'], 'region', nsSel));

  const score = (incoming: KubeObject, pods: KubeObject[], nodes: KubeObject[]) => interPodAffinityScores(incoming, nodes, snapshot(nodes, pods), nsLabels);

  it('"all nodes are same priority as Affinity is nil" → skipped', () => {
    expect(score(pod({ labels: S1 }), [], [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)])).toBeUndefined();
  });

  const cases: [string, KubeObject, KubeObject[], KubeObject[], number[]][] = [
    ['Affinity: pod that matches topology key & pods in nodes will get high score…',
      pod({ labels: S1, affinity: stayWithS1InRegion }),
      [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S2 }), pod({ node: 'node3', labels: S1 })],
      [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)], [100, 0, 0]],
    ['All the nodes that have the same topology key & label value with one of them has an existing pod…, have the same score',
      pod({ affinity: stayWithS1InRegion }), [pod({ node: 'node1', labels: S1 })],
      [node('node1', rgChina), node('node2', rgChinaAz1), node('node3', rgIndia)], [100, 100, 0]],
    ['Affinity: nodes in one region has more matching pods comparing to other region…',
      pod({ labels: S1, affinity: stayWithS2InRegion }),
      ['node1', 'node1', 'node2', 'node3', 'node4', 'node5'].map((n) => pod({ node: n, labels: S2 })),
      [node('node1', rgChina), node('node2', rgIndia), node('node3', rgChina), node('node4', rgChina), node('node5', rgIndia)], [100, 0, 100, 100, 0]],
    ['Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures',
      pod({ labels: S1, affinity: affinity3 }),
      [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S2 }), pod({ node: 'node3', labels: S1 })],
      [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)], [20, 100, 0]],
    ['Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      pod({ labels: S2 }),
      [pod({ node: 'node1', labels: S1, affinity: stayWithS1InRegion }), pod({ node: 'node2', labels: S2, affinity: stayWithS2InRegion })],
      [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)], [0, 100, 0]],
    ['Affinity symmetry with namespace selector',
      pod({ ns: 'subteam1.team1', labels: S1 }),
      [pod({ node: 'node1', labels: S1, affinity: affinityNamespaceSelector }), pod({ node: 'node2', labels: S2, affinity: stayWithS2InRegion })],
      [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)], [100, 0, 0]],
    ['Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      pod({ labels: S1 }),
      [pod({ node: 'node1', labels: S1, affinity: hardAffinity }), pod({ node: 'node2', labels: S2, affinity: hardAffinity })],
      [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)], [100, 100, 0]],
    ['Anti Affinity: pod that does not match existing pods in node will get high score',
      pod({ labels: S1, affinity: awayFromS1InAz }), [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S2 })],
      [node('node1', az1), node('node2', rgChina)], [0, 100]],
    ['Anti Affinity: one node has more matching pods comparing to other node…',
      pod({ labels: S1, affinity: awayFromS1InAz }), [pod({ node: 'node1', labels: S1 }), pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S2 })],
      [node('node1', az1), node('node2', rgIndia)], [0, 100]],
    ['Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score',
      pod({ labels: S2 }), [pod({ node: 'node1', labels: S1, affinity: awayFromS2InAz }), pod({ node: 'node2', labels: S2, affinity: awayFromS1InAz })],
      [node('node1', az1), node('node2', az2)], [0, 100]],
    ['Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels',
      pod({ labels: S1, affinity: stayWithS1InRegionAwayFromS2InAz }),
      ['node1', 'node1', 'node2', 'node3', 'node3', 'node4', 'node5'].map((n) => pod({ node: n, labels: S1 })),
      [node('node1', rgChinaAz1), node('node2', rgIndia), node('node3', rgChina), node('node4', rgChina), node('node5', rgIndia)], [100, 0, 100, 100, 0]],
    ['Affinity and Anti Affinity and symmetry: … weights 8, -5, 8, -5',
      pod({ labels: S1, affinity: stayWithS1InRegionAwayFromS2InAz }),
      [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', labels: S2 }), pod({ node: 'node3', affinity: stayWithS1InRegionAwayFromS2InAz }), pod({ node: 'node4', affinity: awayFromS1InAz })],
      [node('node1', rgChina), node('node2', az1), node('node3', rgIndia), node('node4', az2)], [100, 0, 100, 0]],
    ['Avoid panic when partial nodes in a topology don\'t have pods with affinity',
      pod({ labels: S1 }), [pod({ node: 'node1', labels: S1 }), pod({ node: 'node2', affinity: stayWithS1InRegionAwayFromS2InAz })],
      [node('node1', rgChina), node('node2', rgChina)], [0, 0]],
    ['Affinity with pods matching both NamespaceSelector and Namespaces fields',
      pod({ ns: 'subteam1.team1', labels: S1, affinity: affinityNamespaceSelector }),
      [pod({ ns: 'subteam1.team1', node: 'node1', labels: S1 }), pod({ ns: 'subteam1.team1', node: 'node1', labels: S1 }), pod({ ns: 'subteam2.team2', node: 'node1', labels: S1 }), pod({ ns: 'subteam2.team1', node: 'node2', labels: S1 })],
      [node('node1', rgChina), node('node2', rgIndia)], [100, 0]],
  ];
  for (const [name, incoming, pods, nodes, want] of cases) {
    it(`"${name}" → ${want.join('/')}`, () => {
      expect(score(incoming, pods, nodes) ?? nodes.map(() => 0)).toEqual(want);
    });
  }

  it('TestPreferredAffinityWithHardPodAffinitySymmetricWeight: default weight 1 scores, weight 0 skips, namespaces count', () => {
    const hard = required([term('service', 'In', ['S1'], 'region', { namespaces: ['', 'subteam2.team2'], namespaceSelector: { matchExpressions: [expr('team', 'In', ['team1'])] } })]);
    const nodes = [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)];
    const pods = [pod({ node: 'node1', affinity: hard }), pod({ node: 'node2', affinity: hard })];
    const withNs = (ns: string, w?: number) => interPodAffinityScores(pod({ ns, labels: { service: 'S1' } }), nodes, snapshot(nodes, pods), nsLabels, w);
    expect(withNs('')).toEqual([100, 100, 0]);
    expect(withNs('', 0)).toBeUndefined();
    expect(withNs('subteam1.team2')).toBeUndefined();
    expect(withNs('subteam1.team1')).toEqual([100, 100, 0]);
    expect(withNs('subteam2.team2')).toEqual([100, 100, 0]);
  });

  it('NormalizeScore uses the lowest and highest node, truncating', () => {
    expect(normalizeAffinityScores([2, 10, 0])).toEqual([20, 100, 0]);
    expect(normalizeAffinityScores([-5, -5])).toEqual([0, 0]);
    expect(normalizeAffinityScores([8, -5, 8, -5])).toEqual([100, 0, 100, 0]);
  });
});

describe('InterPodAffinity AddPod / RemovePod (preemption dry runs)', () => {
  const nodes = [node('a', { h: 'a' }), node('b', { h: 'b' })];
  it('removing the pod that matched the anti-affinity frees its node; adding one blocks another', () => {
    const victim = pod({ labels: { app: 'web' }, node: 'a' });
    const incoming = pod({ labels: { app: 'web' }, affinity: required([], [term('app', 'In', ['web'], 'h')]) });
    const s = interPodAffinityPreFilter(incoming, snapshot(nodes, [victim]), nsLabels)!;
    expect(interPodAffinityFilter(s, nodes[0])).toBe(ERR_ANTI_AFFINITY_RULES);
    expect(interPodAffinityFilter(interPodAffinityWithPods(s, nodes[0], [], [victim]), nodes[0])).toBeUndefined();
    const nominated = pod({ labels: { app: 'web' }, node: 'b' });
    expect(interPodAffinityFilter(interPodAffinityWithPods(s, nodes[1], [nominated], []), nodes[1])).toBe(ERR_ANTI_AFFINITY_RULES);
    // the cycle's own state is unchanged
    expect(interPodAffinityFilter(s, nodes[1])).toBeUndefined();
  });
  it('an existing pod\'s anti-affinity stops counting once that pod is removed', () => {
    const guard = pod({ node: 'a', affinity: required([], [term('app', 'In', ['web'], 'h')]) });
    const s = interPodAffinityPreFilter(pod({ labels: { app: 'web' } }), snapshot(nodes, [guard]), nsLabels)!;
    expect(interPodAffinityFilter(s, nodes[0])).toBe(ERR_EXISTING_ANTI_AFFINITY);
    expect(interPodAffinityFilter(interPodAffinityWithPods(s, nodes[0], [], [guard]), nodes[0])).toBeUndefined();
  });
});

describe('InterPodAffinity Filter agrees with a pod-by-pod reading of the rules (property)', () => {
  // small label alphabets so that matches and shared domains are common
  const arbLabels = fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b'), { maxKeys: 2 });
  const arbTerm = fc.record({ key: fc.constantFrom('app', 'tier'), value: fc.constantFrom('a', 'b'), topologyKey: fc.constantFrom('zone', 'host') });
  const toTerm = (t: { key: string; value: string; topologyKey: string }) => term(t.key, 'In', [t.value], t.topologyKey);
  const arbNodeLabels = fc.record({ zone: fc.constantFrom('z1', 'z2'), host: fc.constantFrom('h1', 'h2', 'h3') }, { requiredKeys: ['zone'] });
  const arbPod = fc.record({ labels: arbLabels, anti: fc.array(arbTerm, { maxLength: 2 }), node: fc.integer({ min: 0, max: 3 }) });

  it('anti-affinity both ways: a node fails iff some pod in one of its domains matches', () => {
    fc.assert(
      fc.property(fc.array(arbNodeLabels, { minLength: 4, maxLength: 4 }), fc.array(arbPod, { maxLength: 6 }), arbLabels, fc.array(arbTerm, { maxLength: 2 }), (nodeLabels, podSpecs, inLabels, inAnti) => {
        const nodes = nodeLabels.map((l, i) => node(`n${i}`, l as Record<string, string>));
        const pods = podSpecs.map((p) => pod({ labels: p.labels, node: `n${p.node}`, affinity: required([], p.anti.map(toTerm)) }));
        const incoming = pod({ labels: inLabels, affinity: required([], inAnti.map(toTerm)) });
        const got = filter(incoming, pods, nodes);
        const sameDomain = (a: KubeObject, b: KubeObject, key: string) => a.metadata.labels![key] !== undefined && a.metadata.labels![key] === b.metadata.labels![key];
        const nodeOf = (p: KubeObject) => nodes.find((n) => n.metadata.name === p.spec.nodeName)!;
        const matches = (t: { key: string; value: string }, p: KubeObject) => p.metadata.labels?.[t.key] === t.value;
        const want = nodes.map((n) => {
          if (inAnti.some((t) => pods.some((p) => matches(t, p) && sameDomain(nodeOf(p), n, t.topologyKey)))) return ERR_ANTI_AFFINITY_RULES;
          const blocked = podSpecs.some((spec, i) => spec.anti.some((t) => matches(t, incoming) && sameDomain(nodeOf(pods[i]), n, t.topologyKey)));
          return blocked ? ERR_EXISTING_ANTI_AFFINITY : undefined;
        });
        expect(got).toEqual(want);
      }),
    );
  });
});
