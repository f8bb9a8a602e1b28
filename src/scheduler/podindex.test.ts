// PodIndex: the per-cycle spreading and affinity states computed from the index equal those of a
// walk over every pod of every node (upstream's calPreFilterState / initPreScoreState /
// getIncomingAffinityAntiAffinityCounts), whatever the pods, labels and selectors.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import { selectorFromLabelSelector } from '../api/labels.js';
import { PodIndex, scanLookup } from './podindex.js';
import { LABEL_HOSTNAME, LABEL_ZONE, podTopologySpreadScores, topologySpreadPreFilter } from './topologyspread.js';
import { hasPodAffinity, interPodAffinityPreFilter, interPodAffinityScores, type SnapshotNode } from './interpodaffinity.js';

const NAMESPACES = ['a', 'b'];
const nsLabels = (ns: string | undefined) => (ns === 'a' ? { team: 'x' } : ns === 'b' ? { team: 'y' } : undefined);
const fakeApi = (objs: KubeObject[]): ApiServer =>
  ({
    store: { *iterate(kind: string, ns?: string) { for (const o of objs) if (o.kind === kind && (ns === undefined || o.metadata.namespace === ns)) yield o; } },
    get: () => undefined,
  }) as unknown as ApiServer;

const labelsArb = fc.record({ app: fc.constantFrom('web', 'db'), tier: fc.constantFrom('x', 'y') }, { requiredKeys: [] });
const selectorArb = fc.oneof(
  fc.record({ matchLabels: labelsArb }),
  fc.record({
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key: fc.constantFrom('app', 'tier'), operator: fc.constantFrom('In', 'NotIn'), values: fc.constantFrom<string[]>(['web'], ['web', 'x'], ['y']) }),
        fc.record({ key: fc.constantFrom('app', 'tier'), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ),
      { maxLength: 2 },
    ),
  }),
);
const termArb = fc.record({
  labelSelector: selectorArb,
  topologyKey: fc.constantFrom(LABEL_HOSTNAME, LABEL_ZONE),
  namespaces: fc.option(fc.subarray(NAMESPACES), { nil: undefined }),
  namespaceSelector: fc.option(fc.constantFrom({}, { matchLabels: { team: 'x' } }), { nil: undefined }),
});
const affinityArb = fc.option(
  fc.record({
    podAffinity: fc.record({ requiredDuringSchedulingIgnoredDuringExecution: fc.array(termArb, { maxLength: 2 }), preferredDuringSchedulingIgnoredDuringExecution: fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), podAffinityTerm: termArb }), { maxLength: 2 }) }),
    podAntiAffinity: fc.record({ requiredDuringSchedulingIgnoredDuringExecution: fc.array(termArb, { maxLength: 2 }), preferredDuringSchedulingIgnoredDuringExecution: fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), podAffinityTerm: termArb }), { maxLength: 2 }) }),
  }),
  { nil: undefined },
);
const podArb = fc.record({ ns: fc.constantFrom(...NAMESPACES), labels: labelsArb, node: fc.nat(5), terminating: fc.boolean(), affinity: affinityArb, relabel: fc.option(labelsArb, { nil: undefined }), removed: fc.boolean() });
const constraintArb = fc.record({ maxSkew: fc.integer({ min: 1, max: 3 }), topologyKey: fc.constantFrom(LABEL_HOSTNAME, LABEL_ZONE), whenUnsatisfiable: fc.constantFrom('DoNotSchedule', 'ScheduleAnyway'), labelSelector: selectorArb });

describe('PodIndex', () => {
  it('gives the same spreading and affinity states as a walk over every pod (property)', () => {
    fc.assert(
      fc.property(fc.array(podArb, { minLength: 10, maxLength: 25 }), fc.array(constraintArb, { maxLength: 2 }), affinityArb, labelsArb, fc.constantFrom('a', 'b'), (specs, constraints, affinity, labels, ns) => {
        const nodes: KubeObject[] = Array.from({ length: 6 }, (_, i) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}`, labels: { [LABEL_HOSTNAME]: `n${i}`, ...(i < 5 ? { [LABEL_ZONE]: `z${i % 2}` } : {}) } } }));
        const index = new PodIndex<KubeObject>((n) => n);
        const on = new Map<string, Map<string, KubeObject>>(nodes.map((n) => [n.metadata.name!, new Map()]));
        const incoming: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'in', namespace: ns, labels }, spec: { affinity, topologySpreadConstraints: constraints, containers: [] } };
        const plain = { ...incoming, spec: { ...incoming.spec, topologySpreadConstraints: [] } };
        const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: ns }, spec: { selector: labels } };
        const api = fakeApi([svc]);
        const feasible = nodes.filter((_, i) => i % 3 !== 1);
        // a first cycle over the empty cache, so the index keeps its per-node counts from then on
        // through every add, relabel and removal below
        const empty: SnapshotNode[] = nodes.map((n) => ({ node: n, pods: () => [], podsWithAffinity: () => [] }));
        topologySpreadPreFilter(incoming, empty, () => true, index);
        podTopologySpreadScores(api, incoming, feasible, nodes, index, () => true);
        podTopologySpreadScores(api, plain, feasible, nodes, index, () => true);
        interPodAffinityPreFilter(incoming, empty, nsLabels, index);
        interPodAffinityScores(incoming, feasible, empty, nsLabels, 1, index);
        specs.forEach((s, i) => {
          const key = `p${i}`;
          const mk = (l: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: key, namespace: s.ns, labels: l, ...(s.terminating ? { deletionTimestamp: 't' } : {}) }, spec: { affinity: s.affinity, containers: [] } });
          const node = nodes[s.node];
          index.add(key, mk(s.labels), node);
          on.get(node.metadata.name!)!.set(key, mk(s.labels));
          if (s.relabel) {
            index.replace(key, mk(s.relabel));
            on.get(node.metadata.name!)!.set(key, mk(s.relabel));
          }
          if (s.removed) {
            index.remove(key);
            on.get(node.metadata.name!)!.delete(key);
          }
        });
        const snap: SnapshotNode[] = nodes.map((n) => {
          const here = [...on.get(n.metadata.name!)!.values()];
          return { node: n, pods: () => here, podsWithAffinity: () => here.filter(hasPodAffinity) };
        });
        // every pod matching a selector is a candidate
        const sel = selectorFromLabelSelector(constraints[0]?.labelSelector ?? { matchLabels: labels });
        const cands = new Set([...index.candidates(sel, [ns])].map((c) => c.pod.metadata.name));
        for (const n of snap) for (const p of n.pods()) if (p.metadata.namespace === ns && sel.matches(p.metadata.labels)) expect(cands.has(p.metadata.name)).toBe(true);

        const podsOn = (n: KubeObject) => on.get(n.metadata.name!)!.values();
        expect(topologySpreadPreFilter(incoming, snap, () => true, index)).toEqual(topologySpreadPreFilter(incoming, snap, () => true));
        expect(podTopologySpreadScores(api, incoming, feasible, nodes, index, () => true)).toEqual(podTopologySpreadScores(api, incoming, feasible, nodes, podsOn, () => true));
        expect(podTopologySpreadScores(api, plain, feasible, nodes, index, () => true)).toEqual(podTopologySpreadScores(api, plain, feasible, nodes, podsOn, () => true));
        expect(interPodAffinityPreFilter(incoming, snap, nsLabels, index)).toEqual(interPodAffinityPreFilter(incoming, snap, nsLabels, scanLookup(snap)));
        expect(interPodAffinityScores(incoming, feasible, snap, nsLabels, 1, index)).toEqual(interPodAffinityScores(incoming, feasible, snap, nsLabels, 1, scanLookup(snap)));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('yields nothing for a label pair no pod carries, and skips pods whose node left the snapshot', () => {
    const n1: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } };
    let present = true;
    const index = new PodIndex<KubeObject>((n) => (present ? n : undefined));
    index.add('a/p', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', labels: { app: 'web' } } }, n1);
    expect([...index.candidates(selectorFromLabelSelector({ matchLabels: { app: 'db' } }), ['a'])]).toEqual([]);
    expect([...index.candidates(selectorFromLabelSelector({ matchLabels: { app: 'web' } }), ['a'])].map((c) => c.node)).toEqual([n1]);
    present = false;
    expect([...index.candidates(selectorFromLabelSelector({ matchLabels: { app: 'web' } }), ['a'])]).toEqual([]);
  });
});
