import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../api/types.js';
import { timestamp } from '../api/time.js';
import {
  NO_VICTIMS,
  Nominator,
  calculateNumCandidates,
  dryRunPreemption,
  filterPodsWithPDBViolation,
  pickOneNodeForPreemption,
  runFiltersWithNominatedPods,
  selectVictimsOnNode,
  type PreemptionNodeInfo,
} from './preemption.js';

// Upstream test fixtures (default_preemption_test.go): nodes of 5 x DefaultMilliCPURequest
// (500m); small/medium/large/veryLarge pods request 100m/200m/300m/500m.
const SMALL = 100, MEDIUM = 200, LARGE = 300, VERY_LARGE = 500;
const NEG = -100, LOW = 0, MID = 100, HIGH = 1000, VERY_HIGH = 10000;

interface P {
  name: string;
  node?: string;
  cpu: number;
  priority: number;
  start?: number;
  labels?: Record<string, string>;
}

function pod(p: P): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: 'default', uid: p.name, ...(p.labels ? { labels: p.labels } : {}) },
    spec: { nodeName: p.node, priority: p.priority, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: `${p.cpu}m` } } }] },
    status: p.start !== undefined ? { startTime: timestamp(p.start) } : {},
  };
}

const cpuOf = (p: KubeObject) => parseInt(p.spec.containers[0].resources.requests.cpu, 10);

/** a NodeInfo of one resource, cpu, enough for NodeResourcesFit's arithmetic */
class FakeNodeInfo implements PreemptionNodeInfo {
  readonly pods = new Map<string, KubeObject>();
  constructor(readonly name: string, readonly alloc: number) {}
  *podObjects() {
    yield* this.pods.values();
  }
  add(key: string, p: KubeObject) {
    this.pods.set(key, p);
  }
  remove(key: string) {
    this.pods.delete(key);
  }
  clone() {
    const c = new FakeNodeInfo(this.name, this.alloc);
    for (const [k, p] of this.pods) c.add(k, p);
    return c;
  }
}

/** NodeResourcesFit Filter on cpu */
const fitsCpu = (p: KubeObject, info: PreemptionNodeInfo) => {
  const used = [...info.podObjects()].reduce((s, x) => s + cpuOf(x), 0);
  return used + cpuOf(p) > (info as FakeNodeInfo).alloc ? ['Insufficient cpu'] : [];
};

function nodesWith(names: string[], pods: KubeObject[], alloc = VERY_LARGE): Map<string, FakeNodeInfo> {
  const m = new Map(names.map((n) => [n, new FakeNodeInfo(n, alloc)]));
  for (const p of pods) m.get(p.spec.nodeName)!.add(`Pod/default/${p.metadata.name}`, p);
  return m;
}

function dryRun(nodeNames: string[], preemptor: KubeObject, pods: KubeObject[], pdbs: KubeObject[] = [], now = 1_000_000) {
  const nodes = nodesWith(nodeNames, pods);
  return dryRunPreemption(preemptor, nodeNames, (n) => nodes.get(n)?.clone(), fitsCpu, pdbs, 0, calculateNumCandidates(nodeNames.length), now);
}

function pdb(matchLabels: Record<string, string>, disruptionsAllowed: number, disruptedPods?: Record<string, string>): KubeObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: 'default' }, spec: { selector: { matchLabels } }, status: { disruptionsAllowed, ...(disruptedPods ? { disruptedPods } : {}) } };
}

const names = (ps: KubeObject[]) => ps.map((p) => p.metadata.name).sort();

// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go TestSelectBestCandidate
// (formerly TestPickOneNodeForPreemption): the node picked among the dry run's candidates.
describe('pickOneNodeForPreemption (TestPickOneNodeForPreemption / TestSelectBestCandidate)', () => {
  const T0 = Date.UTC(2019, 0, 1);
  const day = 86_400_000;
  const cases: { name: string; nodes: string[]; pod: P; pods: P[]; expected: string[] }[] = [
    {
      name: 'a pod that fits on both nodes when lower priority pods are preempted',
      nodes: ['node1', 'node2'],
      pod: { name: 'p', cpu: LARGE, priority: HIGH },
      pods: [
        { name: 'p1.1', node: 'node1', cpu: LARGE, priority: MID },
        { name: 'p2.1', node: 'node2', cpu: LARGE, priority: MID },
      ],
      expected: ['node1', 'node2'],
    },
    {
      name: 'node with min highest priority pod is picked',
      nodes: ['node1', 'node2', 'node3'],
      pod: { name: 'p', cpu: VERY_LARGE, priority: HIGH },
      pods: [
        { name: 'p1.1', node: 'node1', cpu: MEDIUM, priority: MID },
        { name: 'p1.2', node: 'node1', cpu: LARGE, priority: MID },
        { name: 'p2.1', node: 'node2', cpu: MEDIUM, priority: MID },
        { name: 'p2.2', node: 'node2', cpu: MEDIUM, priority: LOW },
        { name: 'p3.1', node: 'node3', cpu: MEDIUM, priority: LOW },
        { name: 'p3.2', node: 'node3', cpu: MEDIUM, priority: LOW },
      ],
      expected: ['node3'],
    },
    {
      name: 'when highest priorities are the same, minimum sum of priorities is picked',
      nodes: ['node1', 'node2', 'node3'],
      pod: { name: 'p', cpu: VERY_LARGE, priority: HIGH },
      pods: [
        { name: 'p1.1', node: 'node1', cpu: MEDIUM, priority: MID },
        { name: 'p1.2', node: 'node1', cpu: LARGE, priority: MID },
        { name: 'p2.1', node: 'node2', cpu: LARGE, priority: MID },
        { name: 'p2.2', node: 'node2', cpu: MEDIUM, priority: LOW },
        { name: 'p3.1', node: 'node3', cpu: MEDIUM, priority: MID },
        { name: 'p3.2', node: 'node3', cpu: MEDIUM, priority: MID },
      ],
      expected: ['node2'],
    },
    {
      name: 'when highest priority and sum are the same, minimum number of pods is picked',
      nodes: ['node1', 'node2', 'node3'],
      pod: { name: 'p', cpu: VERY_LARGE, priority: HIGH },
      pods: [
        { name: 'p1.1', node: 'node1', cpu: SMALL, priority: MID },
        { name: 'p1.2', node: 'node1', cpu: SMALL, priority: NEG },
        { name: 'p1.3', node: 'node1', cpu: SMALL, priority: MID },
        { name: 'p1.4', node: 'node1', cpu: SMALL, priority: NEG },
        { name: 'p2.1', node: 'node2', cpu: LARGE, priority: MID },
        { name: 'p2.2', node: 'node2', cpu: MEDIUM, priority: NEG },
        { name: 'p3.1', node: 'node3', cpu: MEDIUM, priority: MID },
        { name: 'p3.2', node: 'node3', cpu: SMALL, priority: NEG },
        { name: 'p3.3', node: 'node3', cpu: SMALL, priority: LOW },
      ],
      expected: ['node2'],
    },
    {
      // the sum adds MaxInt32+1 to every priority so that negative priorities do not favour more victims
      name: 'sum of adjusted priorities is considered',
      nodes: ['node1', 'node2', 'node3'],
      pod: { name: 'p', cpu: VERY_LARGE, priority: HIGH },
      pods: [
        { name: 'p1.1', node: 'node1', cpu: SMALL, priority: MID },
        { name: 'p1.2', node: 'node1', cpu: SMALL, priority: NEG },
        { name: 'p1.3', node: 'node1', cpu: SMALL, priority: NEG },
        { name: 'p2.1', node: 'node2', cpu: LARGE, priority: MID },
        { name: 'p2.2', node: 'node2', cpu: MEDIUM, priority: NEG },
        { name: 'p3.1', node: 'node3', cpu: MEDIUM, priority: MID },
        { name: 'p3.2', node: 'node3', cpu: SMALL, priority: NEG },
        { name: 'p3.3', node: 'node3', cpu: SMALL, priority: LOW },
      ],
      expected: ['node2'],
    },
    {
      name: 'non-overlapping lowest high priority, sum priorities, and number of pods',
      nodes: ['node1', 'node2', 'node3', 'node4'],
      pod: { name: 'p', cpu: VERY_LARGE, priority: VERY_HIGH },
      pods: [
        { name: 'p1.1', node: 'node1', cpu: SMALL, priority: MID },
        { name: 'p1.2', node: 'node1', cpu: SMALL, priority: LOW },
        { name: 'p1.3', node: 'node1', cpu: SMALL, priority: LOW },
        { name: 'p2.1', node: 'node2', cpu: LARGE, priority: HIGH },
        { name: 'p3.1', node: 'node3', cpu: MEDIUM, priority: MID },
        { name: 'p3.2', node: 'node3', cpu: SMALL, priority: LOW },
        { name: 'p3.3', node: 'node3', cpu: SMALL, priority: LOW },
        { name: 'p3.4', node: 'node3', cpu: MEDIUM, priority: LOW },
        { name: 'p4.1', node: 'node4', cpu: MEDIUM, priority: MID },
        { name: 'p4.2', node: 'node4', cpu: SMALL, priority: MID },
        { name: 'p4.3', node: 'node4', cpu: SMALL, priority: MID },
        { name: 'p4.4', node: 'node4', cpu: SMALL, priority: NEG },
      ],
      expected: ['node1'],
    },
    {
      name: "same priority, same number of victims, different start time for each node's pod",
      nodes: ['node1', 'node2', 'node3'],
      pod: { name: 'p', cpu: VERY_LARGE, priority: HIGH },
      pods: [
        { name: 'p1.1', node: 'node1', cpu: MEDIUM, priority: MID, start: T0 + 2 * day },
        { name: 'p1.2', node: 'node1', cpu: MEDIUM, priority: MID, start: T0 + 2 * day },
        { name: 'p2.1', node: 'node2', cpu: MEDIUM, priority: MID, start: T0 + 3 * day },
        { name: 'p2.2', node: 'node2', cpu: MEDIUM, priority: MID, start: T0 + 3 * day },
        { name: 'p3.1', node: 'node3', cpu: MEDIUM, priority: MID, start: T0 + 1 * day },
        { name: 'p3.2', node: 'node3', cpu: MEDIUM, priority: MID, start: T0 + 1 * day },
      ],
      expected: ['node2'],
    },
    {
      name: 'same priority, same number of victims, different start time for all pods',
      nodes: ['node1', 'node2', 'node3'],
      pod: { name: 'p', cpu: VERY_LARGE, priority: HIGH },
      pods: [
        { name: 'p1.1', node: 'node1', cpu: MEDIUM, priority: MID, start: T0 + 4 * day },
        { name: 'p1.2', node: 'node1', cpu: MEDIUM, priority: MID, start: T0 + 2 * day },
        { name: 'p2.1', node: 'node2', cpu: MEDIUM, priority: MID, start: T0 + 5 * day },
        { name: 'p2.2', node: 'node2', cpu: MEDIUM, priority: MID, start: T0 + 1 * day },
        { name: 'p3.1', node: 'node3', cpu: MEDIUM, priority: MID, start: T0 + 3 * day },
        { name: 'p3.2', node: 'node3', cpu: MEDIUM, priority: MID, start: T0 + 6 * day },
      ],
      expected: ['node3'],
    },
    {
      name: 'different priority, same number of victims, different start time for all pods',
      nodes: ['node1', 'node2', 'node3'],
      pod: { name: 'p', cpu: VERY_LARGE, priority: HIGH },
      pods: [
        { name: 'p1.1', node: 'node1', cpu: MEDIUM, priority: LOW, start: T0 + 4 * day },
        { name: 'p1.2', node: 'node1', cpu: MEDIUM, priority: MID, start: T0 + 2 * day },
        { name: 'p2.1', node: 'node2', cpu: MEDIUM, priority: MID, start: T0 + 6 * day },
        { name: 'p2.2', node: 'node2', cpu: MEDIUM, priority: LOW, start: T0 + 1 * day },
        { name: 'p3.1', node: 'node3', cpu: MEDIUM, priority: LOW, start: T0 + 3 * day },
        { name: 'p3.2', node: 'node3', cpu: MEDIUM, priority: MID, start: T0 + 5 * day },
      ],
      expected: ['node2'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { candidates } = dryRun(c.nodes, pod(c.pod), c.pods.map((p) => pod({ start: Date.UTC(2019, 0, 1), ...p })));
      expect(c.expected).toContain(pickOneNodeForPreemption(candidates, 1e13));
    });
  }
});

// TestDryRunPreemption / TestSelectVictimsOnNode
describe('SelectVictimsOnNode and DryRunPreemption (TestDryRunPreemption)', () => {
  it('pod can be made schedulable on one node: a higher-priority pod is never a victim', () => {
    const { candidates, statuses } = dryRun(
      ['node1', 'node2'],
      pod({ name: 'p', cpu: LARGE, priority: MID }),
      [pod({ name: 'p1', node: 'node1', cpu: LARGE, priority: HIGH }), pod({ name: 'p2', node: 'node2', cpu: LARGE, priority: LOW })],
    );
    expect(candidates.map((c) => c.name)).toEqual(['node2']);
    expect(names(candidates[0].victims.pods)).toEqual(['p2']);
    expect(statuses.get('node1')).toEqual([NO_VICTIMS]);
  });

  it('a pod that would fit without preemption on one node after removing all lower-priority pods only keeps the minimum victims', () => {
    // "mixed priority pods are preempted": p1.1 (mid) is reprieved before lower ones
    const { candidates } = dryRun(['node1'], pod({ name: 'p', cpu: LARGE, priority: HIGH }), [
      pod({ name: 'p1.1', node: 'node1', cpu: SMALL, priority: MID }),
      pod({ name: 'p1.2', node: 'node1', cpu: SMALL, priority: LOW }),
      pod({ name: 'p1.3', node: 'node1', cpu: MEDIUM, priority: MID }),
      pod({ name: 'p1.4', node: 'node1', cpu: SMALL, priority: HIGH }),
      pod({ name: 'p1.5', node: 'node1', cpu: SMALL, priority: LOW }),
    ]);
    // 500m - p1.4 (high, stays) 100m = 400m; the preemptor needs 300m: keep p1.3? 200+300 > 400,
    // so p1.3 goes; p1.1 (mid) stays: 100+300 = 400; both low pods go
    expect(names(candidates[0].victims.pods)).toEqual(['p1.2', 'p1.3', 'p1.5']);
  });

  it('no candidates when the pod does not fit even with every lower-priority pod gone: the filter reason', () => {
    const { candidates, statuses } = dryRun(['node1', 'node2'], pod({ name: 'p', cpu: LARGE, priority: HIGH }), [
      pod({ name: 'p1', node: 'node1', cpu: LARGE, priority: HIGH }),
      pod({ name: 'p2', node: 'node2', cpu: LARGE, priority: HIGH }),
    ]);
    expect(candidates).toEqual([]);
    expect(statuses.get('node1')).toEqual([NO_VICTIMS]);
  });

  it('preemption with violation of same pdb', () => {
    const { candidates } = dryRun(['node1'], pod({ name: 'p', cpu: VERY_LARGE, priority: HIGH }), [
      pod({ name: 'p1.1', node: 'node1', cpu: MEDIUM, priority: MID, labels: { app: 'foo' } }),
      pod({ name: 'p1.2', node: 'node1', cpu: MEDIUM, priority: MID, labels: { app: 'foo' } }),
    ], [pdb({ app: 'foo' }, 1)]);
    expect(names(candidates[0].victims.pods)).toEqual(['p1.1', 'p1.2']);
    expect(candidates[0].victims.numPDBViolations).toBe(1);
  });

  it("preemption with violation of the pdb with pod whose eviction was processed, the victim doesn't belong to DisruptedPods", () => {
    const { candidates } = dryRun(['node1'], pod({ name: 'p', cpu: VERY_LARGE, priority: HIGH }), [
      pod({ name: 'p1.1', node: 'node1', cpu: MEDIUM, priority: MID, labels: { app: 'foo' } }),
      pod({ name: 'p1.2', node: 'node1', cpu: MEDIUM, priority: MID, labels: { app: 'foo' } }),
    ], [pdb({ app: 'foo' }, 1, { 'p1.3': timestamp(0) })]);
    expect(candidates[0].victims.numPDBViolations).toBe(1);
  });

  it('preemption with violation of the pdb with pod whose eviction was processed, the victim belongs to DisruptedPods', () => {
    const { candidates } = dryRun(['node1'], pod({ name: 'p', cpu: VERY_LARGE, priority: HIGH }), [
      pod({ name: 'p1.1', node: 'node1', cpu: MEDIUM, priority: MID, labels: { app: 'foo' } }),
      pod({ name: 'p1.2', node: 'node1', cpu: MEDIUM, priority: MID, labels: { app: 'foo' } }),
    ], [pdb({ app: 'foo' }, 1, { 'p1.2': timestamp(0) })]);
    expect(candidates[0].victims.numPDBViolations).toBe(0);
  });

  it('a node without budget violations is preferred over one with', () => {
    const { candidates } = dryRun(['node1', 'node2'], pod({ name: 'p', cpu: VERY_LARGE, priority: HIGH }), [
      pod({ name: 'p1.1', node: 'node1', cpu: VERY_LARGE, priority: LOW, labels: { app: 'guarded' } }),
      pod({ name: 'p2.1', node: 'node2', cpu: VERY_LARGE, priority: MID }),
    ], [pdb({ app: 'guarded' }, 0)]);
    // node1's victim has the lower priority, but violates its budget
    expect(pickOneNodeForPreemption(candidates, 0)).toBe('node2');
  });

  it('PDB-violating victims are the first reprieved (filterPodsWithPDBViolation keeps order)', () => {
    const a = pod({ name: 'a', node: 'n', cpu: SMALL, priority: LOW, labels: { app: 'x' } });
    const b = pod({ name: 'b', node: 'n', cpu: SMALL, priority: LOW, labels: { app: 'x' } });
    const c = pod({ name: 'c', node: 'n', cpu: SMALL, priority: LOW });
    const { violating, nonViolating } = filterPodsWithPDBViolation([a, b, c], [pdb({ app: 'x' }, 1)]);
    expect(names(violating)).toEqual(['b']);
    expect(names(nonViolating)).toEqual(['a', 'c']);
    // room for the preemptor and one more pod: the violating pod b is the one kept
    const info = new FakeNodeInfo('n', 300);
    for (const p of [a, b, c]) info.add(`Pod/default/${p.metadata.name}`, p);
    const r = selectVictimsOnNode(pod({ name: 'p', cpu: 200, priority: HIGH }), info, fitsCpu, [pdb({ app: 'x' }, 1)], 0);
    expect('victims' in r && names(r.victims.pods)).toEqual(['a', 'c']);
    expect('victims' in r && r.victims.numPDBViolations).toBe(0);
  });
});

describe('calculateNumCandidates (TestCalculateNumCandidates)', () => {
  it.each([
    [10, 10],
    [100, 100],
    [1000, 100],
    [3000, 300],
  ])('%i nodes -> %i candidates', (nodes, want) => expect(calculateNumCandidates(nodes)).toBe(want));
});

describe('the nominator keeps room for nominated pods of equal or higher priority', () => {
  it('runs the filters with them and without them', () => {
    const nom = new Nominator();
    const waiting = pod({ name: 'nominated', cpu: LARGE, priority: HIGH });
    waiting.status.nominatedNodeName = 'n';
    delete waiting.spec.nodeName;
    nom.observe('Pod/default/nominated', waiting);
    const info = new FakeNodeInfo('n', VERY_LARGE);
    expect(runFiltersWithNominatedPods(pod({ name: 'low', cpu: LARGE, priority: LOW }), info, nom.podsFor('n'), fitsCpu)).toEqual(['Insufficient cpu']);
    expect(runFiltersWithNominatedPods(pod({ name: 'higher', cpu: LARGE, priority: VERY_HIGH }), info, nom.podsFor('n'), fitsCpu)).toEqual([]);
    nom.observe('Pod/default/nominated', undefined);
    expect(nom.podsFor('n')).toEqual([]);
  });

  it('property: victims are always of lower priority, and the pod fits once they are gone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 300 }), priority: fc.integer({ min: -5, max: 5 }) }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: -5, max: 5 }),
        (existing, want, prio) => {
          const info = new FakeNodeInfo('n', 1000);
          existing.forEach((e, i) => info.add(`Pod/default/k${i}`, pod({ name: `k${i}`, node: 'n', cpu: e.cpu, priority: e.priority })));
          const preemptor = pod({ name: 'p', cpu: want, priority: prio });
          const r = selectVictimsOnNode(preemptor, info.clone(), fitsCpu, [], 0);
          const lower = existing.filter((e) => e.priority < prio).reduce((s, e) => s + e.cpu, 0);
          const higher = existing.filter((e) => e.priority >= prio).reduce((s, e) => s + e.cpu, 0);
          // victims exist exactly when the pod fits without every lower-priority pod
          expect('victims' in r).toBe(lower > 0 && higher + want <= 1000);
          if (!('victims' in r)) return;
          for (const v of r.victims.pods) expect(v.spec.priority).toBeLessThan(prio);
          const after = info.clone();
          for (const v of r.victims.pods) after.remove(`Pod/default/${v.metadata.name}`);
          expect(fitsCpu(preemptor, after)).toEqual([]);
        },
      ),
    );
  });
});
