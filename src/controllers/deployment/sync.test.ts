// Tables translated from upstream pkg/controller/deployment: sync_test.go (TestScale,
// TestDeploymentController_cleanupDeployment) and rolling_test.go
// (TestDeploymentController_reconcileNewReplicaSet, _reconcileOldReplicaSets,
// _cleanupUnhealthyReplicas, _scaleDownOldReplicaSetsForRollingUpdate), run against the real
// sync code with an in-memory client.
import { describe, expect, it } from 'vitest';
import { newDeployment, newRS, syncWith } from './testutil.js';
import { setReplicasAnnotations, maxSurge, MAX_INT32 } from './util.js';
import { cleanupUnhealthyReplicas, reconcileNewReplicaSet, reconcileOldReplicaSets, scaleDownOldReplicaSetsForRollingUpdate } from './rolling.js';
import type { KubeObject } from '../../api/types.js';

const NEWER = 300, OLD = 200, OLDER = 100;

describe('scale (TestScale)', () => {
  interface Case {
    name: string;
    before: number;
    after: number;
    surge?: [number, number];
    newRS?: [string, number, number?];
    oldRSs: [string, number, number][];
    want: Record<string, number>;
    available?: Record<string, number>;
    unavailable?: number;
  }
  const cases: Case[] = [
    { name: 'normal scaling event: 10 -> 12', before: 10, after: 12, newRS: ['foo-v1', 10], oldRSs: [], want: { 'foo-v1': 12 } },
    { name: 'normal scaling event: 10 -> 5', before: 10, after: 5, newRS: ['foo-v1', 10], oldRSs: [], want: { 'foo-v1': 5 } },
    { name: 'proportional scaling: 5 -> 10', before: 5, after: 10, newRS: ['foo-v2', 2], oldRSs: [['foo-v1', 3, OLD]], want: { 'foo-v2': 4, 'foo-v1': 6 } },
    { name: 'proportional scaling: 5 -> 3', before: 5, after: 3, newRS: ['foo-v2', 2], oldRSs: [['foo-v1', 3, OLD]], want: { 'foo-v2': 1, 'foo-v1': 2 } },
    { name: 'proportional scaling: 9 -> 4', before: 9, after: 4, newRS: ['foo-v2', 8], oldRSs: [['foo-v1', 1, OLD]], want: { 'foo-v2': 4, 'foo-v1': 0 } },
    { name: 'proportional scaling: 7 -> 10', before: 7, after: 10, newRS: ['foo-v3', 2], oldRSs: [['foo-v2', 3, OLD], ['foo-v1', 2, OLDER]], want: { 'foo-v3': 3, 'foo-v2': 4, 'foo-v1': 3 } },
    { name: 'proportional scaling: 13 -> 8', before: 13, after: 8, newRS: ['foo-v3', 2], oldRSs: [['foo-v2', 8, OLD], ['foo-v1', 3, OLDER]], want: { 'foo-v3': 1, 'foo-v2': 5, 'foo-v1': 2 } },
    { name: 'leftover goes to the newest when sizes tie: 3 -> 4', before: 3, after: 4, newRS: ['foo-v3', 1], oldRSs: [['foo-v2', 1, OLD], ['foo-v1', 1, OLDER]], want: { 'foo-v3': 2, 'foo-v2': 1, 'foo-v1': 1 } },
    { name: 'the oldest loses first when sizes tie: 3 -> 2', before: 3, after: 2, newRS: ['foo-v3', 1], oldRSs: [['foo-v2', 1, OLD], ['foo-v1', 1, OLDER]], want: { 'foo-v3': 1, 'foo-v2': 1, 'foo-v1': 0 } },
    { name: 'no new RS: 4 -> 5', before: 4, after: 5, oldRSs: [['foo-v2', 2, OLD], ['foo-v1', 2, OLDER]], want: { 'foo-v2': 3, 'foo-v1': 2 } },
    { name: 'scale to zero: 6 -> 0', before: 6, after: 0, newRS: ['foo-v3', 3], oldRSs: [['foo-v2', 2, OLD], ['foo-v1', 1, OLDER]], want: { 'foo-v3': 0, 'foo-v2': 0, 'foo-v1': 0 } },
    { name: 'scale up from zero: 0 -> 6 goes to the new RS', before: 0, after: 6, newRS: ['foo-v3', 0], oldRSs: [['foo-v2', 0, OLD], ['foo-v1', 0, OLDER]], want: { 'foo-v3': 6, 'foo-v2': 0, 'foo-v1': 0 } },
    { name: 'with surge 2: 10 -> 20', before: 10, after: 20, surge: [2, 2], newRS: ['foo-v2', 6], oldRSs: [['foo-v1', 6, OLD]], want: { 'foo-v2': 11, 'foo-v1': 11 } },
    { name: 'surge 3 -> 6: 10 -> 50', before: 10, after: 50, surge: [3, 6], newRS: ['foo-v2', 5], oldRSs: [['foo-v1', 8, OLD]], want: { 'foo-v2': 22, 'foo-v1': 34 } },
    { name: 'template and size change at once: 10 -> 14, no new RS', before: 10, after: 14, oldRSs: [['foo-v2', 7, OLD], ['foo-v1', 3, OLDER]], want: { 'foo-v2': 10, 'foo-v1': 4 } },
    { name: 'saturated but broken new RS: nothing changes', before: 2, after: 2, surge: [1, 1], unavailable: 1, newRS: ['foo-v2', 2], oldRSs: [['foo-v1', 1, OLD]], available: { 'foo-v2': 0 }, want: { 'foo-v2': 2, 'foo-v1': 1 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const [s0, s1] = c.surge ?? [0, 0];
      const oldD = newDeployment(c.before, { surge: s0, unavailable: c.unavailable ?? 0 });
      const d = newDeployment(c.after, { surge: s1, unavailable: c.unavailable ?? 0 });
      const mk = (name: string, n: number, created: number): KubeObject => {
        const rs = newRS(name, n, { createdSec: created, available: c.available?.[name] ?? n });
        // the test sets the annotations from the deployment before the scaling event
        setReplicasAnnotations(rs, c.before, c.before + maxSurge(oldD));
        return rs;
      };
      const nrs = c.newRS ? mk(c.newRS[0], c.newRS[1], NEWER) : undefined;
      const olds = c.oldRSs.map(([n, r, t]) => mk(n, r, t));
      const { c: client, s } = syncWith([...(nrs ? [nrs] : []), ...olds]);
      s.scale(d, nrs, olds);
      const got = Object.fromEntries(Object.keys(c.want).map((n) => [n, client.replicas(n)]));
      expect(got).toEqual(c.want);
    });
  }
});

describe('rolling update steps', () => {
  // TestDeploymentController_reconcileNewReplicaSet: d=10, maxUnavailable 0
  it.each([
    [0, 10, 0, undefined],
    [2, 10, 0, 2],
    [2, 5, 0, 7],
    [2, 10, 2, undefined],
    [2, 2, 11, 10],
  ] as const)('reconcileNewReplicaSet surge %i old %i new %i -> %s', (surge, oldN, newN, want) => {
    const d = newDeployment(10, { surge, unavailable: 0 });
    const oldRS = newRS('foo-old', oldN, { createdSec: OLD });
    const nrs = newRS('foo-new', newN, { createdSec: NEWER });
    const { c, s } = syncWith([oldRS, nrs]);
    const scaled = reconcileNewReplicaSet(s, [oldRS, nrs], nrs, d);
    expect(scaled).toBe(want !== undefined);
    expect(c.replicas('foo-new')).toBe(want ?? newN);
  });

  // TestDeploymentController_reconcileOldReplicaSets: d=10, surge 0
  it.each([
    [0, 10, 0, 10, 0, 9],
    [2, 10, 0, 10, 0, 8],
    [2, 10, 0, 8, 0, 8],
    [2, 10, 0, 9, 0, 8],
    [2, 8, 2, 8, 0, undefined],
  ] as const)('reconcileOldReplicaSets maxUnavailable %i old %i new %i oldAvail %i newAvail %i -> %s', (unav, oldN, newN, oldAvail, newAvail, want) => {
    const d = newDeployment(10, { surge: 0, unavailable: unav });
    const oldRS = newRS('foo-old', oldN, { createdSec: OLD, available: oldAvail });
    const nrs = newRS('foo-new', newN, { createdSec: NEWER, available: newAvail });
    const { c, s } = syncWith([oldRS, nrs]);
    const scaled = reconcileOldReplicaSets(s, [oldRS, nrs], [oldRS], nrs, d);
    expect(scaled).toBe(want !== undefined);
    expect(c.replicas('foo-old')).toBe(want ?? oldN);
  });

  // TestDeploymentController_cleanupUnhealthyReplicas: old 10 with 8 available
  it.each([
    [10, 8, 1, 1],
    [10, 8, 3, 2],
    [10, 8, 0, 0],
    [10, 10, 3, 0],
  ] as const)('cleanupUnhealthyReplicas old %i available %i maxCleanup %i -> %i', (oldN, avail, max, want) => {
    const d = newDeployment(10, { surge: 2, unavailable: 2 });
    const oldRS = newRS('foo-old', oldN, { createdSec: OLD, available: avail });
    const { c, s } = syncWith([oldRS]);
    expect(cleanupUnhealthyReplicas(s, [oldRS], d, max).count).toBe(want);
    expect(c.replicas('foo-old')).toBe(oldN - want);
  });

  // TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate: d=10, surge 0
  it.each([
    [0, 10, 10, 9],
    [2, 10, 10, 8],
    [2, 8, 10, undefined],
    [2, 10, 0, undefined],
    [2, 1, 10, undefined],
  ] as const)('scaleDownOldReplicaSetsForRollingUpdate maxUnavailable %i available %i old %i -> %s', (unav, avail, oldN, want) => {
    const d = newDeployment(10, { surge: 0, unavailable: unav });
    const oldRS = newRS('foo-old', oldN, { createdSec: OLD, available: avail });
    const { c, s } = syncWith([oldRS]);
    const n = scaleDownOldReplicaSetsForRollingUpdate(s, [oldRS], [oldRS], d);
    expect(c.replicas('foo-old')).toBe(want ?? oldN);
    expect(n).toBe(want === undefined ? 0 : oldN - want);
  });
});

describe('cleanupDeployment (TestDeploymentController_cleanupDeployment)', () => {
  const rs = (name: string, spec: number, status: number, extra: (r: KubeObject) => void = () => {}) => {
    const r = newRS(name, spec, { statusReplicas: status, createdSec: 10 });
    extra(r);
    return r;
  };
  it.each([
    ['3 empty, limit 1 -> 2 deleted', [rs('a', 0, 0), rs('b', 0, 0), rs('c', 0, 0)], 1, 2],
    ['mixed sizes, limit 0 -> only the empty one', [rs('a', 0, 0), rs('b', 0, 1), rs('c', 1, 0), rs('d', 1, 1)], 0, 1],
    ['2 empty, limit 0 -> 2', [rs('a', 0, 0), rs('b', 0, 0)], 0, 2],
    ['2 with replicas, limit 0 -> 0', [rs('a', 1, 1), rs('b', 1, 1)], 0, 0],
    ['one already being deleted -> 0', [rs('a', 0, 0, (r) => (r.metadata.deletionTimestamp = '1970-01-01T00:00:01Z'))], 0, 0],
    ['limit MaxInt32 -> 0', [rs('a', 0, 0), rs('b', 0, 0)], MAX_INT32, 0],
  ] as const)('%s', (_n, olds, limit, want) => {
    const d = newDeployment(1, { surge: 1, unavailable: 0, revisionHistoryLimit: limit });
    const { c, s } = syncWith([...olds]);
    s.cleanupDeployment([...olds], d);
    expect(c.deleted.length).toBe(want);
  });
});
