// Tables from pkg/controller/podautoscaler/horizontal_test.go.
import { describe, expect, it } from 'vitest';
import { convertDesiredReplicasWithRules, convertWithBehaviorRate, scaleUpLimit, stabilizeRecommendation, stabilizeWithBehaviors, type HpaHistory, type ScalingRules } from './normalize.js';

const empty = (): HpaHistory => ({ recommendations: [], up: [], down: [] });
const defaultUp: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
const defaultDown: ScalingRules = { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

describe('TestConvertDesiredReplicasWithRules', () => {
  it.each([
    [5, 7, 3, 8, 7, 'DesiredWithinRange'],
    [3, 1, 2, 8, 2, 'TooFewReplicas'],
    [1, 0, 0, 10, 0, 'DesiredWithinRange'],
    [20, 1000, 1, 10, 10, 'TooManyReplicas'],
    [3, 1000, 1, 2000, 6, 'ScaleUpLimit'],
  ])('current %i desired %i min %i max %i -> %i', (cur, des, min, max, want, reason) => {
    expect(convertDesiredReplicasWithRules(cur, des, min, max)).toMatchObject({ replicas: want, reason });
  });
});

describe('TestScalingWithRules', () => {
  const up = (policies: ScalingRules['policies'], selectPolicy: ScalingRules['selectPolicy'] = 'Max'): ScalingRules => ({ selectPolicy, policies });
  const down = up;
  it.each([
    ['default behavior', 10, 50, 1, 1000, defaultUp, defaultDown, 20],
    ['pods 100/60s vs percent 100/60s', 10, 1000, 1, 1000, up([{ type: 'Pods', value: 100, periodSeconds: 60 }, { type: 'Percent', value: 100, periodSeconds: 60 }]), defaultDown, 110],
    ['pods 2 vs 100%', 10, 1000, 1, 1000, up([{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 100, periodSeconds: 60 }]), defaultDown, 20],
    ['pods 30', 10, 1000, 1, 1000, up([{ type: 'Pods', value: 30, periodSeconds: 60 }]), defaultDown, 40],
    ['percent 200', 10, 1000, 1, 1000, up([{ type: 'Percent', value: 200, periodSeconds: 60 }]), defaultDown, 30],
    ['scaleUp 1%/60s from 3', 3, 1000, 1, 1000, up([{ type: 'Percent', value: 1, periodSeconds: 60 }]), defaultDown, 4],
    ['scaleDown 20 pods/60s from 1000', 1000, 2, 1, 1000, defaultUp, down([{ type: 'Pods', value: 20, periodSeconds: 60 }]), 980],
    ['scaleDown 20% vs 1 pod from 100', 100, 2, 1, 1000, defaultUp, down([{ type: 'Percent', value: 20, periodSeconds: 60 }, { type: 'Pods', value: 1, periodSeconds: 60 }]), 80],
    ['scaleDown 2 pods vs 1% from 100', 100, 2, 1, 1000, defaultUp, down([{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 1, periodSeconds: 60 }]), 98],
    ['min 1: large pods policy, 10 -> 0 gives 1', 10, 0, 1, 1000, defaultUp, down([{ type: 'Pods', value: 100, periodSeconds: 60 }]), 1],
  ] as const)('%s', (_n, cur, des, min, max, u, d, want) => {
    expect(convertWithBehaviorRate(empty(), cur, des, min, max, u as ScalingRules, d as ScalingRules, 0).replicas).toBe(want);
  });

  it('TestCalculateScaleUpLimitWithScalingRules: Min policy, pods 2 vs 50%, current 1 -> 2', () => {
    expect(scaleUpLimit(1, [], [], { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] }, 0)).toBe(2);
  });
});

describe('stabilisation', () => {
  it('legacy: the highest recommendation of the last 5 minutes wins (TestStabilizeDownscale)', () => {
    const h = empty();
    h.recommendations.push({ replicas: 5, atMs: 0 });
    expect(stabilizeRecommendation(h, 2, 60_000)).toBe(5);
    expect(stabilizeRecommendation(h, 2, 301_000)).toBe(2);
  });
  it('behavior: scale-down held by the window, scale-up immediate (TestNormalizeDesiredReplicasWithBehavior)', () => {
    const h = empty();
    h.recommendations.push({ replicas: 6, atMs: 0 });
    expect(stabilizeWithBehaviors(h, 6, 3, 0, 300, 100_000)).toMatchObject({ replicas: 6, reason: 'ScaleDownStabilized' });
    expect(stabilizeWithBehaviors(h, 6, 9, 0, 300, 115_000).replicas).toBe(9);
  });
});
