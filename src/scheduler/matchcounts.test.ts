// The per-node counts PodIndex keeps between cycles (matchcounts.ts) equal the counts over every
// cached pod they replace (countPodsMatchSelector per node for spreading, affinity terms'
// namespaces and selector for InterPodAffinity), whatever the adds, removals, relabels,
// terminations, nodes leaving the snapshot and counts dropped and taken again.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../api/types.js';
import { selectorFromLabelSelector, type Selector } from '../api/labels.js';
import { PodIndex } from './podindex.js';
import { MatchCounts } from './matchcounts.js';

const OWNERS = 4;
const SELECTORS: Selector[] = (
  [
  { matchLabels: { app: 'web' } },
  { matchLabels: { app: 'web', tier: 'x' } },
  { matchLabels: { tier: 'y' } },
  { matchLabels: { app: 'db', hash: '1' } },
  { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] },
  { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] },
  { matchExpressions: [{ key: 'hash', operator: 'Exists' }, { key: 'app', operator: 'In', values: ['db'] }] },
  { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
  {},
  undefined,
  ] as any[]
).map((s) => selectorFromLabelSelector(s));

const labelsArb = fc.record({ app: fc.constantFrom('web', 'db'), tier: fc.constantFrom('x', 'y'), hash: fc.constantFrom('1', '2') }, { requiredKeys: [] });
const nsArb = fc.constantFrom<string | undefined>('a', 'b', undefined);
const keyArb = fc.nat(4).map((i) => `p${i}`);
const opArb = fc.oneof(
  fc.record({ op: fc.constant('add' as const), key: keyArb, ns: nsArb, labels: labelsArb, terminating: fc.boolean(), owner: fc.nat(OWNERS - 1) }),
  // labels undefined: the same labels in a new object (a status change, or termination alone)
  fc.record({ op: fc.constant('replace' as const), key: keyArb, labels: fc.oneof(fc.constant(undefined), labelsArb), terminating: fc.boolean() }),
  fc.record({ op: fc.constant('remove' as const), key: keyArb }),
  fc.record({ op: fc.constant('present' as const), owner: fc.nat(OWNERS - 1), present: fc.boolean() }),
  fc.record({ op: fc.constant('query' as const), selector: fc.nat(SELECTORS.length - 1), ns: nsArb }),
  fc.record({ op: fc.constant('term' as const), selector: fc.nat(SELECTORS.length - 1), namespaces: fc.subarray(['a', 'b', '']) }),
);

/** countPodsMatchSelector's test: same namespace, not terminating, labels match */
const spreadCounts = (sel: Selector, ns: string | undefined, pod: KubeObject) =>
  !sel.empty() && !pod.metadata.deletionTimestamp && pod.metadata.namespace === ns && sel.matches(pod.metadata.labels ?? {});
/** AffinityTerm.Matches without a namespaceSelector */
const termCounts = (sel: Selector, namespaces: ReadonlySet<string>, pod: KubeObject) => namespaces.has(pod.metadata.namespace ?? '') && sel.matches(pod.metadata.labels ?? {});

describe('MatchCounts (through PodIndex.matchingPerNode)', () => {
  it('counts per node what a walk over every cached pod counts (property)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 60, size: 'max' }), fc.constantFrom(2, 5, 1024), (ops, sweepEvery) => {
        const nodes: KubeObject[] = Array.from({ length: OWNERS }, (_, i) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}` } }));
        const present = nodes.map(() => true);
        const index = new PodIndex<number>((o) => (present[o] ? nodes[o] : undefined), sweepEvery);
        /** the cache as a plain list: key -> pod and owner */
        const model = new Map<string, { pod: KubeObject; owner: number }>();
        const mk = (key: string, ns: string | undefined, labels: Record<string, string>, terminating: boolean): KubeObject => ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: key, ...(ns === undefined ? {} : { namespace: ns }), labels, ...(terminating ? { deletionTimestamp: 't' } : {}) },
        });
        for (const o of ops) {
          if (o.op === 'add') {
            const pod = mk(o.key, o.ns, o.labels, o.terminating);
            index.add(o.key, pod, o.owner);
            model.set(o.key, { pod, owner: o.owner });
          } else if (o.op === 'replace') {
            const e = model.get(o.key);
            const pod = mk(o.key, e?.pod.metadata.namespace, o.labels ?? { ...e?.pod.metadata.labels }, o.terminating);
            index.replace(o.key, pod);
            if (e) e.pod = pod;
          } else if (o.op === 'remove') {
            index.remove(o.key);
            model.delete(o.key);
          } else if (o.op === 'present') present[o.owner] = o.present;
          else {
            const sel = SELECTORS[o.selector];
            const namespaces = o.op === 'term' ? new Set(o.namespaces) : undefined;
            const counts = (pod: KubeObject) => (namespaces ? termCounts(sel, namespaces, pod) : spreadCounts(sel, o.op === 'query' ? o.ns : undefined, pod));
            const want = new Map<string, number>();
            for (const { pod, owner } of model.values()) if (present[owner] && counts(pod)) want.set(`n${owner}`, (want.get(`n${owner}`) ?? 0) + 1);
            const perNode = namespaces ? index.termMatchingPerNode(sel, namespaces) : index.matchingPerNode(sel, o.op === 'query' ? o.ns : undefined);
            const got = new Map(
              [...perNode].map(([name, { node, count }]) => {
                expect(node.metadata.name).toBe(name);
                return [name, count] as const;
              }),
            );
            expect(new Map([...got].sort())).toEqual(new Map([...want].sort()));
          }
        }
      }),
      { numRuns: 1000, seed: 9 },
    );
  });

  it('keeps only the selectors asked about recently', () => {
    const index = new PodIndex<number>(() => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n0' } }), 4);
    index.add('p', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', labels: { app: 'web' } } }, 0);
    for (const s of SELECTORS.slice(0, 3)) index.matchingPerNode(s, 'a');
    expect(index.trackedSelectors).toBe(3);
    for (let i = 0; i < 8; i++) index.matchingPerNode(SELECTORS[0], 'a');
    expect(index.trackedSelectors).toBe(1);
    expect(index.matchingPerNode(SELECTORS[0], 'a').get('n0')?.count).toBe(1);
  });
});

describe('MatchCounts.cached', () => {
  it('answers nothing before the counts are taken, then the same counts as counts(), kept up to date', () => {
    const mc = new MatchCounts<string>();
    const pod = (app: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: app, labels: { app } } });
    const match = (p: KubeObject) => p.metadata.labels?.app === 'web';
    expect(mc.cached('k')).toBeUndefined();
    const counts = mc.counts('k', [['app', 'web']], match, () => 1, () => [{ pod: pod('web'), owner: 'n1' }]);
    expect(mc.cached('k')).toBe(counts);
    mc.added(pod('web'), 'n2');
    mc.added(pod('db'), 'n2');
    expect([...mc.cached('k')!]).toEqual([['n1', 1], ['n2', 1]]);
  });
});
