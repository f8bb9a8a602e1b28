// Normalising a metric proposal (pkg/controller/podautoscaler/horizontal.go): the legacy path
// (normalizeDesiredReplicas, stabilizeRecommendation, convertDesiredReplicasWithRules) and the
// behavior path (stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate,
// calculateScale{Up,Down}Limit*, storeScaleEvent). State per HPA lives in an HpaHistory.

export interface Rec { replicas: number; atMs: number }
export interface ScaleEvent { change: number; atMs: number; outdated: boolean }
export interface HpaHistory { recommendations: Rec[]; up: ScaleEvent[]; down: ScaleEvent[] }
export interface Policy { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }
export interface ScalingRules { stabilizationWindowSeconds?: number; selectPolicy?: 'Max' | 'Min' | 'Disabled'; policies?: Policy[] }
export interface Limited { replicas: number; reason: string; message: string }

export const DOWNSCALE_STABILISATION_MS = 5 * 60_000;

/** stabilizeRecommendation: the highest recommendation of the window; the new one replaces an old entry */
export function stabilizeRecommendation(h: HpaHistory, desired: number, nowMs: number, windowMs = DOWNSCALE_STABILISATION_MS): number {
  let max = desired;
  let old = -1;
  const cutoff = nowMs - windowMs;
  h.recommendations.forEach((r, i) => {
    if (r.atMs < cutoff) old = i;
    else if (r.replicas > max) max = r.replicas;
  });
  const rec = { replicas: desired, atMs: nowMs };
  if (old >= 0) h.recommendations[old] = rec;
  else h.recommendations.push(rec);
  return max;
}

/** convertDesiredReplicasWithRules */
export function convertDesiredReplicasWithRules(current: number, desired: number, min: number, max: number): Limited {
  const scaleUpLimit = Math.max(2 * current, 4);
  let maxAllowed: number;
  let reason: string;
  let message: string;
  if (max > scaleUpLimit) {
    maxAllowed = scaleUpLimit;
    reason = 'ScaleUpLimit';
    message = 'the desired replica count is increasing faster than the maximum scale rate';
  } else {
    maxAllowed = max;
    reason = 'TooManyReplicas';
    message = 'the desired replica count is more than the maximum replica count';
  }
  if (desired < min) return { replicas: min, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  if (desired > maxAllowed) return { replicas: maxAllowed, reason, message };
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** stabilizeRecommendationWithBehaviors */
export function stabilizeWithBehaviors(h: HpaHistory, current: number, desired: number, upWindowS: number, downWindowS: number, nowMs: number): Limited {
  let up = desired;
  let down = desired;
  const upCut = nowMs - upWindowS * 1000;
  const downCut = nowMs - downWindowS * 1000;
  let old = -1;
  h.recommendations.forEach((r, i) => {
    if (r.atMs > upCut) up = Math.min(r.replicas, up);
    if (r.atMs > downCut) down = Math.max(r.replicas, down);
    if (r.atMs < upCut && r.atMs < downCut) old = i;
  });
  let rec = current;
  if (rec < up) rec = up;
  if (rec > down) rec = down;
  const entry = { replicas: desired, atMs: nowMs };
  if (old >= 0) h.recommendations[old] = entry;
  else h.recommendations.push(entry);
  return desired >= current
    ? { replicas: rec, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
    : { replicas: rec, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
}

function changeInPeriod(periodS: number, events: ScaleEvent[], nowMs: number): number {
  const cutoff = nowMs - periodS * 1000;
  return events.filter((e) => e.atMs > cutoff).reduce((a, e) => a + e.change, 0);
}

/** calculateScaleUpLimitWithScalingRules */
export function scaleUpLimit(current: number, up: ScaleEvent[], down: ScaleEvent[], rules: ScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - changeInPeriod(p.periodSeconds, up, nowMs) + changeInPeriod(p.periodSeconds, down, nowMs);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = useMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors */
export function scaleDownLimit(current: number, up: ScaleEvent[], down: ScaleEvent[], rules: ScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - changeInPeriod(p.periodSeconds, up, nowMs) + changeInPeriod(p.periodSeconds, down, nowMs);
    // Go's int32(float64) truncates towards zero
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = useMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** convertDesiredReplicasWithBehaviorRate */
export function convertWithBehaviorRate(h: HpaHistory, current: number, desired: number, min: number, max: number, upRules: ScalingRules, downRules: ScalingRules, nowMs: number): Limited {
  if (desired > current) {
    const limit = Math.max(scaleUpLimit(current, h.up, h.down, upRules, nowMs), current);
    if (max > limit) {
      if (desired > limit) return { replicas: limit, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
    } else if (desired > max) return { replicas: max, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  } else if (desired < current) {
    const limit = Math.min(scaleDownLimit(current, h.up, h.down, downRules, nowMs), current);
    if (min < limit) {
      if (desired < limit) return { replicas: limit, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };
    } else if (desired < min) return { replicas: min, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  }
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** storeScaleEvent: outdated events (older than the longest policy period) are reused */
export function storeScaleEvent(h: HpaHistory, up: ScalingRules, down: ScalingRules, prev: number, next: number, nowMs: number): void {
  const isUp = next > prev;
  const events = isUp ? h.up : h.down;
  const longest = Math.max(0, ...((isUp ? up : down).policies ?? []).map((p) => p.periodSeconds));
  let old = -1;
  events.forEach((e, i) => {
    if (e.atMs < nowMs - longest * 1000) e.outdated = true;
    if (e.outdated) old = i;
  });
  const ev = { change: Math.abs(next - prev), atMs: nowMs, outdated: false };
  if (old >= 0) events[old] = ev;
  else events.push(ev);
}
