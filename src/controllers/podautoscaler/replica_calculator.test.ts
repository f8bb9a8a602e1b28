// Tables translated from pkg/controller/podautoscaler/replica_calculator_test.go (cpu, 1000m requests).
import { describe, expect, it } from 'vitest';
import { resourceReplicas, rawResourceReplicas, type CalcPod, type PodMetric } from './replica_calculator.js';

const NOW = 10 * 60_000;
function setup(levels: (number | undefined)[], opts: { requests?: number[]; ready?: boolean[]; phase?: string[] } = {}) {
  const pods: CalcPod[] = levels.map((_, i) => ({
    name: `p${i}`,
    phase: opts.phase?.[i] ?? 'Running',
    ready: { status: opts.ready?.[i] ?? true, lastTransitionMs: 0 },
    startTimeMs: 0,
    requestMilli: opts.requests?.[i] ?? 1000,
  }));
  const metrics = new Map<string, PodMetric>();
  levels.forEach((v, i) => {
    if (v !== undefined) metrics.set(`p${i}`, { milli: v, timestampMs: NOW, windowMs: 30_000 });
  });
  return { pods, metrics };
}

describe('GetResourceReplicas', () => {
  it.each([
    // [test, current, levels, target, options, replicas, utilization]
    ['TestReplicaCalcScaleUp', 3, [300, 500, 700], 30, {}, 5, 50],
    ['TestReplicaCalcScaleUpUnreadyLessScale', 3, [300, 500, 700], 30, { ready: [false, true, true] }, 4, 60],
    ['TestReplicaCalcScaleUpUnreadyNoScale', 3, [400, 500, 700], 30, { ready: [true, false, false] }, 3, 40],
    ['TestReplicaCalcScaleDown', 5, [100, 300, 500, 250, 250], 50, {}, 3, 28],
    ['TestReplicaCalcScaleDownExcludeUnreadyPods', 5, [100, 300, 500, 250, 250], 50, { ready: [true, true, true, false, false] }, 2, 30],
    ['TestReplicaCalcTolerance', 3, [1010, 1030, 1020], 100, { requests: [900, 1000, 1100] }, 3, 102],
    ['TestReplicaCalcMissingMetrics', 4, [400, 95, undefined, undefined], 100, {}, 3, 24],
    ['TestReplicaCalcScaleUpIgnoresFailedPods', 2, [500, 700, 100, 100], 30, { phase: ['Running', 'Running', 'Failed', 'Failed'] }, 4, 60],
  ] as const)('%s', (_name, current, levels, target, opts, replicas, utilization) => {
    const { pods, metrics } = setup([...levels], opts as any);
    const r = resourceReplicas(current, target, pods, metrics, true, NOW);
    expect([r.replicas, r.utilization]).toEqual([replicas, utilization]);
  });

  it('no metrics for any pod is an error (did not receive metrics for targeted pods)', () => {
    const { pods, metrics } = setup([undefined, undefined]);
    expect(() => resourceReplicas(2, 50, pods, metrics, true, NOW)).toThrow('did not receive metrics');
  });

  it('a pod started less than 5m ago whose sample predates readiness + window is unready (groupPods)', () => {
    const { pods, metrics } = setup([1000, 1000]);
    pods[1]!.startTimeMs = NOW - 60_000;
    pods[1]!.ready = { status: true, lastTransitionMs: NOW - 10_000 };
    // pod 1 unready and the ratio > 1: it counts as 0 -> (1000+0)/2000 = 50% of target 50 -> no flip beyond tolerance
    expect(resourceReplicas(2, 50, pods, metrics, true, NOW).replicas).toBe(2);
  });
});

describe('calcPlainMetricReplicas (averageValue)', () => {
  it('TestReplicaCalcScaleUpCM-like: average 400m over target 200m doubles', () => {
    const { pods, metrics } = setup([400, 400]);
    expect(rawResourceReplicas(2, 200, pods, metrics, false, NOW)).toEqual({ replicas: 4, usageMilli: 400 });
  });
});
