// PodTopologySpread system-default scoring, translated from upstream
// pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import { LABEL_HOSTNAME, LABEL_ZONE, defaultSelector, normalizeSpreadScores, scoreForCount, systemDefaultSpreadScores, topologyNormalizingWeight } from './topologyspread.js';

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
