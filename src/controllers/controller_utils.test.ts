import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { timestamp } from '../api/time.js';
import {
  ControllerExpectations,
  EXPECTATIONS_TIMEOUT_MS,
  activePodsWithRanksLess,
  getPodsToDelete,
  isPodActive,
  isPodAvailable,
  isPodReady,
  isPodTerminating,
  maxContainerRestarts,
  slowStartBatch,
  type RankedPod,
} from './controller_utils.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** "now" for the ranking tables: far enough from the epoch that "1 month ago" is a real time */
const NOW = 400 * DAY;
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

interface PodArgs {
  name: string;
  node?: string;
  phase?: string;
  ready?: boolean;
  /** Ready condition present with status False */
  notReadyCondition?: boolean;
  restarts?: number;
  /** ms; undefined = zero time */
  readySince?: number;
  created?: number;
  annotations?: Record<string, string>;
  uid?: string;
}

function mkPod(a: PodArgs): KubeObject {
  const conditions: any[] = [];
  if (a.ready) conditions.push({ type: 'Ready', status: 'True', ...(a.readySince !== undefined ? { lastTransitionTime: timestamp(a.readySince) } : {}) });
  if (a.notReadyCondition) conditions.push({ type: 'Ready', status: 'False' });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: a.name,
      ...(a.uid ? { uid: a.uid } : {}),
      ...(a.created !== undefined ? { creationTimestamp: timestamp(a.created) } : {}),
      ...(a.annotations ? { annotations: a.annotations } : {}),
    },
    spec: a.node ? { nodeName: a.node } : {},
    status: {
      phase: a.phase ?? 'Pending',
      conditions,
      ...(a.ready ? { containerStatuses: [{ restartCount: a.restarts ?? 0 }] } : {}),
    },
  };
}

const less = (a: RankedPod, b: RankedPod) => activePodsWithRanksLess(a, b, NOW);
const r = (pod: KubeObject, rank: number): RankedPod => ({ pod, rank });

// The pods of controller_utils_test.go TestSortingActivePodsWithRanks (same names and fields).
const now = NOW;
const then1Month = NOW - 30 * DAY;
const then2Hours = NOW - 2 * HOUR;
const then5Hours = NOW - 5 * HOUR;
const then8Hours = NOW - 8 * HOUR;
const unscheduledPod = mkPod({ name: 'unscheduled', phase: 'Pending' });
const scheduledPendingPod = mkPod({ name: 'pending', node: 'node', phase: 'Pending' });
const unknownPhasePod = mkPod({ name: 'unknown-phase', node: 'node', phase: 'Unknown' });
const runningNotReadyPod = mkPod({ name: 'not-ready', node: 'node', phase: 'Running' });
const runningReadyNoLastTransitionTimePod = mkPod({ name: 'ready-no-last-transition-time', node: 'node', phase: 'Running', ready: true });
const runningReadyNow = mkPod({ name: 'ready-now', node: 'node', phase: 'Running', ready: true, readySince: now, created: now });
const runningReadyThen = mkPod({ name: 'ready-then', node: 'node', phase: 'Running', ready: true, readySince: then1Month, created: then1Month });
const runningReadyNowHighRestarts = mkPod({ name: 'ready-high-restarts', node: 'node', phase: 'Running', ready: true, restarts: 9001, readySince: now, created: now });
const runningReadyNowCreatedThen = mkPod({ name: 'ready-now-created-then', node: 'node', phase: 'Running', ready: true, readySince: now, created: then1Month });
const lowPodDeletionCost = mkPod({ name: 'low-deletion-cost', node: 'node', phase: 'Running', ready: true, readySince: now, created: then1Month, annotations: { [DELETION_COST]: '10' } });
const highPodDeletionCost = mkPod({ name: 'high-deletion-cost', node: 'node', phase: 'Running', ready: true, readySince: now, created: then1Month, annotations: { [DELETION_COST]: '100' } });
const unscheduled5Hours = mkPod({ name: 'unscheduled-5-hours', phase: 'Pending', readySince: then5Hours, created: then5Hours });
const unscheduled8Hours = mkPod({ name: 'unscheduled-10-hours', phase: 'Pending', readySince: then8Hours, created: then8Hours });
const ready2Hours = mkPod({ name: 'ready-2-hours', phase: 'Running', ready: true, readySince: then2Hours, created: then1Month });
const ready5Hours = mkPod({ name: 'ready-5-hours', phase: 'Running', ready: true, readySince: then5Hours, created: then1Month });
const ready10Hours = mkPod({ name: 'ready-10-hours', phase: 'Running', ready: true, readySince: then8Hours, created: then1Month });

describe('activePodsWithRanksLess (controller_utils_test.go TestSortingActivePodsWithRanks)', () => {
  // equalityTests: neither pod is less than the other (ranks 1, 1)
  const equal: [KubeObject, KubeObject][] = [
    [unscheduledPod, unscheduledPod],
    [scheduledPendingPod, scheduledPendingPod],
    [unknownPhasePod, unknownPhasePod],
    [runningNotReadyPod, runningNotReadyPod],
    [runningReadyNowCreatedThen, runningReadyNowCreatedThen],
    [runningReadyNow, runningReadyNow],
    [runningReadyThen, runningReadyThen],
    [runningReadyNowHighRestarts, runningReadyNowHighRestarts],
    // same log2 bucket (LogarithmicScaleDown): 5h and 8h are both in bucket 44 of nanoseconds
    [unscheduled5Hours, unscheduled8Hours],
    [ready5Hours, ready10Hours],
  ];
  it.each(equal.map(([a, b]) => [a.metadata.name, b.metadata.name, a, b]))('%s is equivalent to %s', (_a, _b, a, b) => {
    expect(less(r(a, 1), r(b, 1))).toBe(false);
    expect(less(r(b, 1), r(a, 1))).toBe(false);
  });

  // inequalityTests (the PodDeletionCost-disabled row is not modelled: the gate is GA and always on)
  const inequal: [RankedPod, RankedPod][] = [
    [r(unscheduledPod, 1), r(scheduledPendingPod, 2)],
    [r(unscheduledPod, 2), r(scheduledPendingPod, 1)],
    [r(scheduledPendingPod, 1), r(unknownPhasePod, 2)],
    [r(unknownPhasePod, 1), r(runningNotReadyPod, 2)],
    [r(runningNotReadyPod, 1), r(runningReadyNoLastTransitionTimePod, 1)],
    [r(runningReadyNoLastTransitionTimePod, 1), r(runningReadyNow, 1)],
    [r(runningReadyNow, 2), r(runningReadyNoLastTransitionTimePod, 1)],
    [r(runningReadyNow, 1), r(runningReadyThen, 1)],
    [r(runningReadyNow, 2), r(runningReadyThen, 1)],
    [r(runningReadyNowHighRestarts, 1), r(runningReadyNow, 1)],
    [r(runningReadyNow, 2), r(runningReadyNowHighRestarts, 1)],
    [r(runningReadyNow, 1), r(runningReadyNowCreatedThen, 1)],
    [r(runningReadyNowCreatedThen, 2), r(runningReadyNow, 1)],
    [r(lowPodDeletionCost, 2), r(highPodDeletionCost, 1)],
    [r(ready2Hours, 1), r(ready5Hours, 1)],
  ];
  it.each(inequal.map(([a, b], i) => [i, `${a.pod.metadata.name}(rank ${a.rank})`, `${b.pod.metadata.name}(rank ${b.rank})`, a, b]))(
    'test%i: %s < %s',
    (_i, _a, _b, lesser, greater) => {
      expect(less(lesser, greater)).toBe(true);
      expect(less(greater, lesser)).toBe(false);
    },
  );

  it('breaks a same-bucket tie by the lower UID (LogarithmicScaleDown)', () => {
    const a = mkPod({ name: 'a', node: 'n', phase: 'Running', ready: true, readySince: then5Hours, created: then1Month, uid: 'bbbb' });
    const b = mkPod({ name: 'b', node: 'n', phase: 'Running', ready: true, readySince: then8Hours, created: then1Month, uid: 'aaaa' });
    expect(less(r(b, 0), r(a, 0))).toBe(true);
    expect(less(r(a, 0), r(b, 0))).toBe(false);
  });

  it('uses only status.containerStatuses for restart counts', () => {
    const p = mkPod({ name: 'p', node: 'n', phase: 'Running', ready: true, restarts: 4 });
    p.status.initContainerStatuses = [{ restartCount: 50 }];
    p.status.containerStatuses.push({ restartCount: 7 });
    expect(maxContainerRestarts(p)).toBe(7);
  });

  it('treats a missing deletion cost as 0 and a negative cost as cheaper', () => {
    const neg = mkPod({ name: 'neg', node: 'n', phase: 'Running', ready: true, readySince: now, created: now, annotations: { [DELETION_COST]: '-5' } });
    const none = mkPod({ name: 'none', node: 'n', phase: 'Running', ready: true, readySince: now, created: now });
    expect(less(r(neg, 0), r(none, 0))).toBe(true);
    expect(less(r(none, 0), r(neg, 0))).toBe(false);
  });
});

describe('ActivePods order (controller_utils_test.go TestSortingActivePods, ranks all equal)', () => {
  it('sorts 9 pods into the upstream order from any starting order', () => {
    const then = NOW - 30 * DAY;
    const base = (i: number, extra: Partial<PodArgs>) => mkPod({ name: `pod${i}`, phase: 'Running', ...extra });
    const pods = [
      base(0, { phase: 'Pending' }),
      base(1, { node: 'bar', phase: 'Pending' }),
      base(2, { node: 'foo', phase: 'Unknown' }),
      base(3, { node: 'foo' }),
      base(4, { node: 'foo', ready: true, restarts: 3 }),
      base(5, { node: 'foo', ready: true, restarts: 3, readySince: NOW }),
      base(6, { node: 'foo', ready: true, restarts: 3, readySince: then }),
      base(7, { node: 'foo', ready: true, restarts: 2, readySince: then, created: NOW }),
      base(8, { node: 'foo', ready: true, restarts: 2, readySince: then, created: then }),
    ];
    const expected = pods.map((p) => p.metadata.name);
    // 20 deterministic shuffles (rotation and reversal), as the upstream test shuffles 20 times
    for (let i = 0; i < 20; i++) {
      const shuffled = [...pods.slice(i % 9), ...pods.slice(0, i % 9)];
      if (i % 2) shuffled.reverse();
      const ranked = shuffled.map((p) => r(p, 0));
      const sorted = getPodsToDelete(ranked, pods.length - 1, NOW).map((p) => p.metadata.name);
      expect(sorted).toEqual(expected.slice(0, pods.length - 1));
    }
  });
});

describe('getPodsToDelete (replica_set_test.go TestGetPodsToDelete)', () => {
  const unscheduledPending = mkPod({ name: 'unscheduled-pending-pod', phase: 'Pending' });
  const scheduledPending = mkPod({ name: 'scheduled-pending-pod', node: 'fake-node', phase: 'Pending' });
  const runningNotReady = mkPod({ name: 'scheduled-running-not-ready-pod', node: 'fake-node', phase: 'Running', notReadyCondition: true });
  const readyNode1 = mkPod({ name: 'scheduled-running-ready-pod-on-node-1', node: 'fake-node-1', phase: 'Running', ready: true });
  const readyNode2 = mkPod({ name: 'scheduled-running-ready-pod-on-node-2', node: 'fake-node-2', phase: 'Running', ready: true });

  /** getPodsRankedByRelatedPodsOnSameNode: rank = active related pods on the pod's node */
  function ranked(pods: KubeObject[], related: KubeObject[] = pods): RankedPod[] {
    const perNode = new Map<string, number>();
    for (const p of related) if (isPodActive(p)) perNode.set(p.spec.nodeName ?? '', (perNode.get(p.spec.nodeName ?? '') ?? 0) + 1);
    return pods.map((pod) => ({ pod, rank: perNode.get(pod.spec.nodeName ?? '') ?? 0 }));
  }
  const names = (ps: KubeObject[]) => ps.map((p) => p.metadata.name);

  const cases: { name: string; pods: KubeObject[]; related?: KubeObject[]; diff: number; expected: KubeObject[] }[] = [
    { name: 'len(pods) = 0 (i.e., diff = 0 too)', pods: [], diff: 0, expected: [] },
    { name: 'diff = len(pods)', pods: [runningNotReady, readyNode1], diff: 2, expected: [runningNotReady, readyNode1] },
    { name: 'diff < len(pods)', pods: [readyNode1, runningNotReady], diff: 1, expected: [runningNotReady] },
    {
      name: 'various pod phases and conditions, diff = len(pods)',
      pods: [readyNode1, readyNode1, readyNode2, runningNotReady, scheduledPending, unscheduledPending],
      diff: 6,
      expected: [readyNode1, readyNode1, readyNode2, runningNotReady, scheduledPending, unscheduledPending],
    },
    {
      name: 'various pod phases and conditions, diff = len(pods), relatedPods empty',
      pods: [readyNode1, readyNode1, readyNode2, runningNotReady, scheduledPending, unscheduledPending],
      related: [],
      diff: 6,
      expected: [readyNode1, readyNode1, readyNode2, runningNotReady, scheduledPending, unscheduledPending],
    },
    { name: 'scheduled vs unscheduled, diff < len(pods)', pods: [scheduledPending, unscheduledPending], diff: 1, expected: [unscheduledPending] },
    { name: 'ready vs not-ready, diff < len(pods)', pods: [readyNode1, runningNotReady, runningNotReady], diff: 2, expected: [runningNotReady, runningNotReady] },
    {
      name: 'ready and colocated with another ready pod vs not colocated, diff < len(pods)',
      pods: [readyNode1, readyNode2],
      related: [readyNode1, readyNode2, readyNode2],
      diff: 1,
      expected: [readyNode2],
    },
    { name: 'pending vs running, diff < len(pods)', pods: [scheduledPending, runningNotReady], diff: 1, expected: [scheduledPending] },
    {
      name: 'various pod phases and conditions, diff < len(pods)',
      pods: [readyNode1, readyNode2, runningNotReady, scheduledPending, unscheduledPending],
      diff: 3,
      expected: [unscheduledPending, scheduledPending, runningNotReady],
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(names(getPodsToDelete(ranked(c.pods, c.related), c.diff, NOW))).toEqual(names(c.expected));
  });
});

describe('slowStartBatch (replica_set_test.go TestSlowStartBatch)', () => {
  function run(count: number, callLimit: number) {
    let calls = 0;
    const successes = slowStartBatch(count, 1, () => ++calls <= callLimit);
    return { successes, calls };
  }
  it('callLimit = 0 (all fail): 1 call, 0 successes', () => {
    expect(run(10, 0)).toEqual({ successes: 0, calls: 1 });
  });
  it('callLimit = count (all succeed): 1+2+4+3 = 10 calls', () => {
    expect(run(10, 10)).toEqual({ successes: 10, calls: 10 });
  });
  it('callLimit < count (some succeed): 1+2+4 = 7 calls, 5 successes', () => {
    expect(run(10, 5)).toEqual({ successes: 5, calls: 7 });
  });
  it('grows batches 1, 2, 4, 8 capped at what remains', () => {
    // fail on the first call of the 5th batch: 1+2+4+8 = 15 calls succeed, then one more batch
    let calls = 0;
    const successes = slowStartBatch(100, 1, () => ++calls !== 16);
    // the 5th batch (16 calls) runs to completion although its first call failed
    expect(calls).toBe(31);
    expect(successes).toBe(30);
    expect(slowStartBatch(0, 1, () => true)).toBe(0);
  });
});

describe('ControllerExpectations (controller_utils_test.go TestControllerExpectations)', () => {
  it('is satisfied with no record, and after every expected creation is observed', () => {
    const e = new ControllerExpectations();
    const key = 'ReplicaSet/default/foobar';
    expect(e.satisfied(key, 0)).toBe(true);
    e.expectCreations(key, 10, 0);
    for (let i = 0; i < 9; i++) e.creationObserved(key);
    expect(e.satisfied(key, 1)).toBe(false);
    e.creationObserved(key);
    expect(e.satisfied(key, 1)).toBe(true);
    // surpassed (add = -1) still counts as satisfied
    e.creationObserved(key);
    expect(e.satisfied(key, 1)).toBe(true);
  });

  it('tracks deletions the same way, and a new expectation replaces the old one', () => {
    const e = new ControllerExpectations();
    const key = 'k';
    e.expectCreations(key, 2, 0);
    e.expectDeletions(key, 3, 0);
    e.deletionObserved(key);
    e.deletionObserved(key);
    expect(e.satisfied(key, 0)).toBe(false);
    e.deletionObserved(key);
    expect(e.satisfied(key, 0)).toBe(true);
  });

  it('expires after ExpectationsTimeout = 5m (strictly more than 5m since it was set)', () => {
    expect(EXPECTATIONS_TIMEOUT_MS).toBe(300_000);
    const e = new ControllerExpectations();
    e.expectCreations('k', 1, 1000);
    expect(e.satisfied('k', 1000 + 300_000)).toBe(false);
    expect(e.satisfied('k', 1000 + 300_001)).toBe(true);
  });

  it('delete() forgets the record', () => {
    const e = new ControllerExpectations();
    e.expectCreations('k', 5, 0);
    e.delete('k');
    expect(e.satisfied('k', 0)).toBe(true);
    // observations for an unknown key are ignored
    e.creationObserved('k');
    expect(e.satisfied('k', 0)).toBe(true);
  });
});

describe('pod predicates (pkg/api/v1/pod/util.go, controller_utils.go)', () => {
  it('isPodReady reads the Ready condition only', () => {
    expect(isPodReady(mkPod({ name: 'a', ready: true }))).toBe(true);
    expect(isPodReady(mkPod({ name: 'b', notReadyCondition: true }))).toBe(false);
    expect(isPodReady(mkPod({ name: 'c' }))).toBe(false);
  });

  it('isPodAvailable: ready, and ready for strictly more than minReadySeconds', () => {
    const p = mkPod({ name: 'p', ready: true, readySince: 10_000 });
    expect(isPodAvailable(p, 0, 10_000)).toBe(true);
    expect(isPodAvailable(p, 5, 14_999)).toBe(false);
    // exactly LTT + minReadySeconds: not yet (Before is strict)
    expect(isPodAvailable(p, 5, 15_000)).toBe(false);
    expect(isPodAvailable(p, 5, 15_001)).toBe(true);
    // no lastTransitionTime: never available when minReadySeconds > 0
    const noLtt = mkPod({ name: 'q', ready: true });
    expect(isPodAvailable(noLtt, 0, 1)).toBe(true);
    expect(isPodAvailable(noLtt, 5, 1e12)).toBe(false);
    expect(isPodAvailable(mkPod({ name: 'r', notReadyCondition: true }), 0, 1e12)).toBe(false);
  });

  it('isPodActive / isPodTerminating (TestActivePodFiltering)', () => {
    const phases = ['Succeeded', 'Failed', 'Running', 'Running', 'Pending'];
    const pods = phases.map((phase, i) => mkPod({ name: `pod${i}`, phase }));
    expect(pods.filter(isPodActive).map((p) => p.metadata.name)).toEqual(['pod2', 'pod3', 'pod4']);
    const deleting = mkPod({ name: 'd', phase: 'Running' });
    deleting.metadata.deletionTimestamp = timestamp(5000);
    expect(isPodActive(deleting)).toBe(false);
    expect(isPodTerminating(deleting)).toBe(true);
    const doneDeleting = mkPod({ name: 'e', phase: 'Succeeded' });
    doneDeleting.metadata.deletionTimestamp = timestamp(5000);
    expect(isPodTerminating(doneDeleting)).toBe(false);
    expect(isPodTerminating(pods[2])).toBe(false);
  });
});

describe('selectorOfStored', () => {
  it('answers (and fails) as selectorFromLabelSelector, once per selector object', async () => {
    const fc = (await import('fast-check')).default;
    const { selectorOfStored } = await import('./controller_utils.js');
    const { selectorFromLabelSelector } = await import('../api/labels.js');
    const key = fc.constantFrom('app', 'tier', 'bad key!');
    const value = fc.constantFrom('web', 'db', '');
    const ls = fc.record(
      {
        matchLabels: fc.dictionary(key, value, { maxKeys: 2 }),
        matchExpressions: fc.array(fc.record({ key, operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus'), values: fc.array(value, { maxLength: 2 }) }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    const labels = fc.dictionary(fc.constantFrom('app', 'tier'), value, { maxKeys: 2 });
    const outcome = (f: () => any, l: Record<string, string>) => {
      try {
        const s = f();
        return `ok ${s.toString()} ${s.empty()} ${s.matches(l)}`;
      } catch (e) {
        return `error ${(e as Error).message}`;
      }
    };
    fc.assert(
      fc.property(ls, fc.array(labels, { minLength: 1, maxLength: 3 }), (sel, sets) => {
        for (const l of sets) {
          if (outcome(() => selectorOfStored(sel), l) !== outcome(() => selectorFromLabelSelector(sel), l)) return false;
        }
        let built: unknown;
        try {
          built = selectorOfStored(sel);
        } catch {
          built = undefined;
        }
        if (built !== undefined && selectorOfStored(sel) !== built) return false;
        return selectorOfStored(undefined).isNothing() && outcome(() => selectorOfStored(null), {}) === outcome(() => selectorFromLabelSelector(null), {});
      }),
      { numRuns: 1000 },
    );
  });
});
