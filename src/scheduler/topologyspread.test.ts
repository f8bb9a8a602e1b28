// PodTopologySpread system-default scoring, translated from upstream
// pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import {
  ERR_CONSTRAINTS_NOT_MATCH,
  ERR_NODE_LABEL_NOT_MATCH,
  LABEL_HOSTNAME,
  LABEL_ZONE,
  defaultSelector,
  normalizeSpreadScores,
  podTopologySpreadScores,
  scoreForCount,
  systemDefaultSpreadScores,
  topologyNormalizingWeight,
  topologySpreadFilter,
  topologySpreadPreFilter,
  topologySpreadWithPods,
} from './topologyspread.js';
import { nodeSelectorTermsMatch } from './helpers.js';

/** A read-only stand-in for the API server: the listers the plugin reads. */
function fakeApi(objs: KubeObject[]): ApiServer {
  return {
    store: { *iterate(kind: string, ns?: string) { for (const o of objs) if (o.kind === kind && (ns === undefined || o.metadata.namespace === ns)) yield o; } },
    get: (kind: string, ns: string | undefined, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns)),
  } as unknown as ApiServer;
}
const node = (name: string, labels: Record<string, string> = { [LABEL_HOSTNAME]: name }): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
const pod = (name: string, labels: Record<string, string>, extra: any = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels, ...extra.meta }, spec: { containers: [], ...extra.spec } });
const service = (selector: Record<string, string> | undefined): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'default' }, spec: { selector } });

/** pods per node name, e.g. {a: 4, b: 3} → that many pods labelled foo="" */
function spread(counts: Record<string, number>, labels: Record<string, string> = { foo: '' }): Map<string, KubeObject[]> {
  const m = new Map<string, KubeObject[]>();
  for (const [n, c] of Object.entries(counts)) m.set(n, Array.from({ length: c }, (_, i) => pod(`p-${n}${i}`, labels)));
  return m;
}

function scores(objs: KubeObject[], incoming: KubeObject, nodes: KubeObject[], pods: Map<string, KubeObject[]>, all = nodes) {
  return systemDefaultSpreadScores(fakeApi(objs), incoming, nodes, all, (n) => pods.get(n.metadata.name!) ?? [], () => true);
}

describe('PodTopologySpread scoring helpers (TestPodTopologySpreadScore)', () => {
  // raw = round(Σ cnt·ln(#domains+2) + maxSkew−1), then NormalizeScore
  const hostnameOnly = (counts: number[], maxSkew: number) => normalizeSpreadScores(counts.map((c) => Math.round(scoreForCount(c, maxSkew, topologyNormalizingWeight(counts.length)))));
  it('"one constraint on node, all 4 nodes are candidates" (2/1/0/3) → 20/60/100/0', () => {
    expect(hostnameOnly([2, 1, 0, 3], 1)).toEqual([20, 60, 100, 0]);
  });
  it('"… maxSkew=2" → 33/66/100/16', () => {
    expect(hostnameOnly([2, 1, 0, 3], 2)).toEqual([33, 66, 100, 16]);
  });
  it('"… maxSkew=3" (4/3/2/1) → 44/66/77/100', () => {
    expect(hostnameOnly([4, 3, 2, 1], 3)).toEqual([44, 66, 77, 100]);
  });
  it('"one constraint on node, no existing pods" → all 100 (max 0)', () => {
    expect(normalizeSpreadScores([0, 0])).toEqual([100, 100]);
  });
});

describe('PodTopologySpread system defaults', () => {
  const nodes = ['node-a', 'node-b', 'node-c', 'node-d'].map((n) => node(n));

  it('"system defaulting, nodes don\'t have zone, pods match service" → 44/66/77/100', () => {
    const got = scores([service({ foo: '' })], pod('p', { foo: '' }), nodes, spread({ 'node-a': 4, 'node-b': 3, 'node-c': 2, 'node-d': 1 }));
    expect(got).toEqual([44, 66, 77, 100]);
  });

  it('TestPreScoreSkip: no Service or controller selects the pod → no spreading', () => {
    expect(scores([], pod('p', { foo: '' }), nodes, spread({ 'node-a': 4 }))).toBeUndefined();
    // services with a nil selector match nothing, not everything (helper.GetPodServices)
    expect(scores([service(undefined)], pod('p', { foo: '' }), nodes, spread({ 'node-a': 4 }))).toBeUndefined();
  });

  it('pods with their own constraints are not scored by the system defaults', () => {
    const p = pod('p', { foo: '' }, { spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway' }] } });
    expect(scores([service({ foo: '' })], p, nodes, spread({ 'node-a': 4 }))).toBeUndefined();
  });

  it('"system default constraints and a replicaset": the owner\'s selector is used', () => {
    const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs1', namespace: 'default' }, spec: { selector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] } } };
    const owned = pod('p', { foo: 'tar', baz: 'sup' }, { meta: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1', uid: 'u', controller: true }] } });
    const sel = defaultSelector(fakeApi([rs]), owned);
    expect(sel.matches({ foo: 'x' })).toBe(true);
    expect(sel.matches({ baz: 'sup' })).toBe(false);
  });

  it('"existing pods in a different namespace do not count" and "terminating Pods should be excluded"', () => {
    const two = nodes.slice(0, 2);
    const pods = new Map<string, KubeObject[]>([
      ['node-a', [pod('x', { foo: '' }, { meta: { namespace: 'ns1' } }), pod('y', { foo: '' }, { meta: { deletionTimestamp: '2024-01-01T00:00:00Z' } })]],
      ['node-b', [pod('z', { foo: '' })]],
    ]);
    // node-a counts 0, node-b counts 1: raw 2 vs round(1·ln4 + 2) = 3 → 100 / 66
    expect(scores([service({ foo: '' })], pod('p', { foo: '' }), two, pods)).toEqual([100, 66]);
  });

  it('zones: matching pods are counted per zone over every node, feasible or not; nodes without a zone score only on hostname', () => {
    const zoned = [node('a', { [LABEL_HOSTNAME]: 'a', [LABEL_ZONE]: 'z1' }), node('b', { [LABEL_HOSTNAME]: 'b', [LABEL_ZONE]: 'z2' })];
    const infeasible = node('c', { [LABEL_HOSTNAME]: 'c', [LABEL_ZONE]: 'z1' });
    const pods = spread({ c: 3 });
    // hostname weight ln(2+2), zone weight ln(2+2): a = 0 + 2 + 3·1.386 + 4 = 10.16 → 10; b = 2 + 4 = 6
    expect(scores([service({ foo: '' })], pod('p', { foo: '' }), zoned, pods, [...zoned, infeasible])).toEqual([60, 100]);
  });
});

// The pod's own constraints, translated from upstream podtopologyspread/filtering_test.go
// (TestSingleConstraint, TestMultipleConstraints) and scoring_test.go (TestPodTopologySpreadScore).
describe('PodTopologySpread Filter with the pod\'s own DoNotSchedule constraints', () => {
  const zn = (name: string, zone: string | undefined, extra: any = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { ...(zone ? { zone } : {}), node: name, ...extra.labels } },
    spec: { taints: extra.taints },
  });
  const four = () => [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-x', 'zone2'), zn('node-y', 'zone2')];
  const constraint = (maxSkew: number, topologyKey: string, extra: any = {}) => ({
    maxSkew,
    topologyKey,
    whenUnsatisfiable: 'DoNotSchedule',
    labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] },
    ...extra,
  });
  const incoming = (constraints: any[], labels: Record<string, string> = { foo: '' }, spec: any = {}) => pod('p', labels, { spec: { topologySpreadConstraints: constraints, ...spec } });
  /** existing pods: node name → count of pods labelled foo="" */
  const on = (counts: Record<string, number>, extra: any = {}) =>
    Object.entries(counts).flatMap(([n, c]) => Array.from({ length: c }, (_, i) => pod(`p-${n}${i}`, { foo: '' }, { ...extra, spec: { nodeName: n } })));
  const nodeAffinity = (p: KubeObject) => (n: KubeObject) => {
    const terms = p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    return terms ? nodeSelectorTermsMatch(terms, n) : true;
  };
  function run(p: KubeObject, nodes: KubeObject[], pods: KubeObject[]): Record<string, string> {
    const snap = nodes.map((n) => ({ node: n, pods: () => pods.filter((x) => x.spec.nodeName === n.metadata.name) }));
    const s = topologySpreadPreFilter(p, snap, nodeAffinity(p));
    return Object.fromEntries(nodes.map((n) => [n.metadata.name, (s && topologySpreadFilter(s, p, n)) ?? 'fits']));
  }
  const OK = 'fits', SKEW = ERR_CONSTRAINTS_NOT_MATCH, LABEL = ERR_NODE_LABEL_NOT_MATCH;

  it('"no existing pods" and "…incoming pod doesn\'t match itself" → every node fits', () => {
    expect(run(incoming([constraint(1, 'zone')]), four(), [])).toEqual({ 'node-a': OK, 'node-b': OK, 'node-x': OK, 'node-y': OK });
    const self = incoming([constraint(1, 'zone', { labelSelector: { matchExpressions: [{ key: 'bar', operator: 'Exists' }] } })]);
    expect(run(self, four(), [])).toEqual({ 'node-a': OK, 'node-b': OK, 'node-x': OK, 'node-y': OK });
  });

  it('"existing pods in a different namespace do not count"', () => {
    const pods = [...on({ 'node-a': 2 }, { meta: { namespace: 'ns1' } }), ...on({ 'node-x': 1, 'node-y': 1 })];
    expect(run(incoming([constraint(1, 'zone')]), four(), pods)).toEqual({ 'node-a': OK, 'node-b': OK, 'node-x': SKEW, 'node-y': SKEW });
  });

  it('"pods spread across zones as 3/3, all nodes fit"', () => {
    expect(run(incoming([constraint(1, 'zone')]), four(), on({ 'node-a': 2, 'node-b': 1, 'node-y': 3 }))).toEqual({ 'node-a': OK, 'node-b': OK, 'node-x': OK, 'node-y': OK });
  });

  it('"pods spread across zones as 1/2 due to absence of label \'zone\' on node-b"', () => {
    const nodes = [zn('node-a', 'zone1'), zn('node-b', undefined, { labels: { zon: 'zone1' } }), zn('node-x', 'zone2'), zn('node-y', 'zone2')];
    expect(run(incoming([constraint(1, 'zone')]), nodes, on({ 'node-a': 1, 'node-b': 1, 'node-x': 1, 'node-y': 1 }))).toEqual({ 'node-a': OK, 'node-b': LABEL, 'node-x': SKEW, 'node-y': SKEW });
  });

  it('"pod cannot be scheduled as all nodes don\'t have label \'rack\'"', () => {
    expect(run(incoming([constraint(1, 'rack')]), [zn('node-a', 'zone1'), zn('node-x', 'zone2')], [])).toEqual({ 'node-a': LABEL, 'node-x': LABEL });
  });

  const spread2103 = () => on({ 'node-a': 2, 'node-b': 1, 'node-y': 3 });
  it('"pods spread across nodes as 2/1/0/3, only node-x fits"', () => {
    expect(run(incoming([constraint(1, 'node')]), four(), spread2103())).toEqual({ 'node-a': SKEW, 'node-b': SKEW, 'node-x': OK, 'node-y': SKEW });
  });
  it('"pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit"', () => {
    expect(run(incoming([constraint(2, 'node')]), four(), spread2103())).toEqual({ 'node-a': SKEW, 'node-b': OK, 'node-x': OK, 'node-y': SKEW });
  });
  it('"pods spread across nodes as 2/1/0/3, but pod doesn\'t match itself"', () => {
    expect(run(incoming([constraint(1, 'node')], { bar: '' }), four(), spread2103())).toEqual({ 'node-a': SKEW, 'node-b': OK, 'node-x': OK, 'node-y': SKEW });
  });
  it('"incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits" (nodeAffinityPolicy Honor)', () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node', operator: 'In', values: ['node-a', 'node-y'] }] }] } } };
    const p = incoming([constraint(1, 'node')], { foo: '' }, { affinity });
    expect(run(p, four(), spread2103())).toEqual({ 'node-a': OK, 'node-b': OK, 'node-x': OK, 'node-y': SKEW });
    // nodeAffinityPolicy Ignore counts every node again: only node-x (0 pods) fits
    const ignore = incoming([constraint(1, 'node', { nodeAffinityPolicy: 'Ignore' })], { foo: '' }, { affinity });
    expect(run(ignore, four(), spread2103())).toEqual({ 'node-a': SKEW, 'node-b': SKEW, 'node-x': OK, 'node-y': SKEW });
  });
  it('"terminating Pods should be excluded"', () => {
    const nodes = [zn('node-a', undefined), zn('node-b', undefined)];
    const pods = [...on({ 'node-a': 1 }, { meta: { deletionTimestamp: '2024-01-01T00:00:00Z' } }), ...on({ 'node-b': 1 })];
    expect(run(incoming([constraint(1, 'node')]), nodes, pods)).toEqual({ 'node-a': OK, 'node-b': SKEW });
  });

  it('TestMultipleConstraints "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]" → only node-x', () => {
    expect(run(incoming([constraint(1, 'zone'), constraint(1, 'node')]), four(), spread2103())).toEqual({ 'node-a': SKEW, 'node-b': SKEW, 'node-x': OK, 'node-y': SKEW });
  });

  it('minDomains: fewer eligible domains than minDomains make the global minimum 0', () => {
    // zones 2/1: min 1 lets zone2 take one more (1+1-1 ≤ 1); with minDomains 3 the minimum is 0
    const pods = on({ 'node-a': 2, 'node-x': 1 });
    expect(run(incoming([constraint(1, 'zone')]), four(), pods)).toEqual({ 'node-a': SKEW, 'node-b': SKEW, 'node-x': OK, 'node-y': OK });
    expect(run(incoming([constraint(1, 'zone', { minDomains: 3 })]), four(), pods)).toEqual({ 'node-a': SKEW, 'node-b': SKEW, 'node-x': SKEW, 'node-y': SKEW });
  });

  it('nodeTaintsPolicy: Ignore (default) counts a tainted node\'s domain, Honor leaves it out', () => {
    const nodes = [zn('node-a', 'zone1'), zn('node-x', 'zone2', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] })];
    const pods = on({ 'node-a': 1 });
    // Ignore: zone2 has 0 pods, so zone1 (1 + 1 − 0 = 2) is skewed; the taint itself is TaintToleration's concern
    expect(run(incoming([constraint(1, 'zone')]), nodes, pods)).toEqual({ 'node-a': SKEW, 'node-x': OK });
    expect(run(incoming([constraint(1, 'zone', { nodeTaintsPolicy: 'Honor' })]), nodes, pods)).toEqual({ 'node-a': OK, 'node-x': OK });
  });

  it('matchLabelKeys narrows the selector to pods sharing the incoming pod\'s values', () => {
    const old = on({ 'node-a': 2 }).map((p) => ({ ...p, metadata: { ...p.metadata, labels: { foo: '', rev: '1' } } }));
    const p = (keys?: string[]) => incoming([constraint(1, 'node', keys ? { matchLabelKeys: keys } : {})], { foo: '', rev: '2' });
    const nodes = [zn('node-a', 'zone1'), zn('node-b', 'zone1')];
    expect(run(p(), nodes, old)).toEqual({ 'node-a': SKEW, 'node-b': OK });
    expect(run(p(['rev']), nodes, old)).toEqual({ 'node-a': OK, 'node-b': OK });
  });

  it('AddPod / RemovePod: removing a matching pod lowers its domain and the minimum is recomputed', () => {
    const p = incoming([constraint(1, 'node')]);
    const nodes = [zn('node-a', 'zone1'), zn('node-b', 'zone1')];
    const pods = on({ 'node-a': 2, 'node-b': 1 });
    const snap = nodes.map((n) => ({ node: n, pods: () => pods.filter((x) => x.spec.nodeName === n.metadata.name) }));
    const s = topologySpreadPreFilter(p, snap, () => true)!;
    expect(topologySpreadFilter(s, p, nodes[0])).toBe(SKEW);
    const without = topologySpreadWithPods(s, p, nodes[0], [], pods.slice(0, 2), () => true);
    // node-a 0 pods, node-b 1: node-a fits, node-b (1 + 1 − 0) does not
    expect([topologySpreadFilter(without, p, nodes[0]), topologySpreadFilter(without, p, nodes[1])]).toEqual([undefined, SKEW]);
    expect(topologySpreadFilter(s, p, nodes[1])).toBeUndefined();
  });

  it('ScheduleAnyway constraints never filter', () => {
    expect(topologySpreadPreFilter(incoming([constraint(1, 'node', { whenUnsatisfiable: 'ScheduleAnyway' })]), [], () => true)).toBeUndefined();
  });
});

describe('PodTopologySpread Score with the pod\'s own ScheduleAnyway constraints (TestPodTopologySpreadScore)', () => {
  const soft = (maxSkew: number, topologyKey: string) => ({ maxSkew, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] } });
  const score = (p: KubeObject, nodes: KubeObject[], pods: Map<string, KubeObject[]>, all = nodes) =>
    podTopologySpreadScores(fakeApi([service({ foo: '' })]), p, nodes, all, (n) => pods.get(n.metadata.name!) ?? [], () => true);
  const nodes = ['node-a', 'node-b', 'node-c', 'node-d'].map((n) => node(n));

  it('"one constraint on node, all 4 nodes are candidates" (2/1/0/3) → 20/60/100/0; the Service does not add system defaults', () => {
    const p = pod('p', { foo: '' }, { spec: { topologySpreadConstraints: [soft(1, LABEL_HOSTNAME)] } });
    expect(score(p, nodes, spread({ 'node-a': 2, 'node-b': 1, 'node-d': 3 }))).toEqual([20, 60, 100, 0]);
  });

  it('only DoNotSchedule constraints → the score plugin skips', () => {
    const p = pod('p', { foo: '' }, { spec: { topologySpreadConstraints: [{ ...soft(1, LABEL_HOSTNAME), whenUnsatisfiable: 'DoNotSchedule' }] } });
    expect(score(p, nodes, spread({ 'node-a': 2 }))).toBeUndefined();
  });

  it('nodes missing a topology key are ignored and score 0; zones are counted over every node', () => {
    const zoned = [node('a', { [LABEL_HOSTNAME]: 'a', [LABEL_ZONE]: 'z1' }), node('b', { [LABEL_HOSTNAME]: 'b', [LABEL_ZONE]: 'z2' }), node('c', { [LABEL_HOSTNAME]: 'c' })];
    const infeasible = node('d', { [LABEL_HOSTNAME]: 'd', [LABEL_ZONE]: 'z1' });
    const p = pod('p', { foo: '' }, { spec: { topologySpreadConstraints: [soft(1, LABEL_ZONE)] } });
    // zone weight ln(2+2): a = round(2·1.386) = 3 (z1 has d's 2 pods), b = 0 → 0 / 100; c ignored → 0
    expect(score(p, zoned, spread({ d: 2 }), [...zoned, infeasible])).toEqual([0, 100, 0]);
  });
});

describe('defaultSelector kept per Services and controller objects', () => {
  /** helper.DefaultSelector as computed before the memo (the reference) */
  function reference(objs: KubeObject[], p: KubeObject): string {
    const set: Record<string, string> = {};
    for (const s of objs) if (s.kind === 'Service' && s.spec?.selector && Object.entries(s.spec.selector).every(([k, v]) => p.metadata.labels?.[k] === v)) Object.assign(set, s.spec.selector);
    const owner = p.metadata.ownerReferences?.[0];
    const ctrl = owner && objs.find((o) => o.kind === owner.kind && o.metadata.name === owner.name);
    if (ctrl?.kind === 'ReplicationController') return JSON.stringify(Object.entries({ ...set, ...ctrl.spec.selector }).sort());
    const pairs: [string, string][] = Object.entries(set);
    if (ctrl) pairs.push(...(Object.entries(ctrl.spec.selector.matchLabels ?? {}) as [string, string][]));
    return JSON.stringify(pairs.sort());
  }
  const text = (sel: ReturnType<typeof defaultSelector>) => JSON.stringify(sel.requirements().map((r) => [r.key, r.values[0]]).sort());
  const labelsArb = fc.dictionary(fc.constantFrom('app', 'tier', 'x'), fc.constantFrom('a', 'b'), { maxKeys: 3 });

  it('answers as the merge computed afresh, and keeps one Selector object for the same objects (property)', () => {
    fc.assert(
      fc.property(fc.array(labelsArb, { maxLength: 3 }), fc.constantFrom('none', 'ReplicaSet', 'ReplicationController'), labelsArb, labelsArb, fc.array(fc.nat(5), { maxLength: 6 }), (svcSels, ctrlKind, ctrlSel, podLabels, swaps) => {
        const objs: KubeObject[] = svcSels.map((sel, i) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: 'default' }, spec: { selector: sel } }));
        const ownerRefs: any[] = [];
        if (ctrlKind === 'ReplicaSet') {
          objs.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'c', namespace: 'default' }, spec: { selector: { matchLabels: ctrlSel } } });
          ownerRefs.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'c', uid: 'u', controller: true });
        } else if (ctrlKind === 'ReplicationController') {
          objs.push({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'c', namespace: 'default' }, spec: { selector: ctrlSel } });
          ownerRefs.push({ apiVersion: 'v1', kind: 'ReplicationController', name: 'c', uid: 'u', controller: true });
        }
        const p = pod('p', podLabels, { meta: { ownerReferences: ownerRefs } });
        const first = defaultSelector(fakeApi(objs), p);
        expect(text(first)).toBe(reference(objs, p));
        expect(defaultSelector(fakeApi(objs), { ...p })).toBe(first);
        // a stored object replaced by a new one (another selector) is a new key
        for (const i of swaps) {
          if (objs.length === 0) break;
          const j = i % objs.length;
          const o = objs[j];
          objs[j] = o.kind === 'ReplicaSet' ? { ...o, spec: { selector: { matchLabels: { ...o.spec.selector.matchLabels, x: 'b' } } } } : { ...o, spec: { selector: { ...o.spec.selector, tier: 'a' } } };
          expect(text(defaultSelector(fakeApi(objs), p))).toBe(reference(objs, p));
        }
      }),
    );
  });
});
