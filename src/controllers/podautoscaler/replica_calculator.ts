// The HPA's replica calculation for Resource metrics (pkg/controller/podautoscaler/
// replica_calculator.go GetResourceReplicas, calcPlainMetricReplicas, groupPods, calculateRequests;
// metrics/utilization.go GetResourceUtilizationRatio, GetMetricUsageRatio). Pure: pods, metrics
// and requests in, a replica count out.

export const TOLERANCE = 0.1;
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
export const INITIAL_READINESS_DELAY_MS = 30_000;

export interface CalcPod {
  name: string;
  phase: string;
  deleting?: boolean;
  /** Ready condition; undefined when the pod has none */
  ready?: { status: boolean; lastTransitionMs: number };
  startTimeMs?: number;
  /** the pod's request for the resource (milli), undefined when a container lacks one */
  requestMilli?: number;
}

export interface PodMetric {
  milli: number;
  timestampMs: number;
  windowMs: number;
}

export interface ResourceResult {
  replicas: number;
  utilization: number;
  rawAverageMilli: number;
}

export class ReplicaCalcError extends Error {}

const within = (ratio: number, t: number) => Math.abs(1 - ratio) <= t;

/** groupPods: ready count, unready / missing / ignored pod names */
export function groupPods(pods: CalcPod[], metrics: Map<string, PodMetric>, isCpu: boolean, nowMs: number) {
  let readyPodCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const p of pods) {
    if (p.deleting || p.phase === 'Failed') {
      ignored.add(p.name);
      continue;
    }
    if (p.phase === 'Pending') {
      unready.add(p.name);
      continue;
    }
    const m = metrics.get(p.name);
    if (!m) {
      missing.add(p.name);
      continue;
    }
    if (isCpu) {
      let isUnready: boolean;
      if (!p.ready || p.startTimeMs === undefined) isUnready = true;
      else if (p.startTimeMs + CPU_INITIALIZATION_PERIOD_MS > nowMs) {
        isUnready = !p.ready.status || m.timestampMs < p.ready.lastTransitionMs + m.windowMs;
      } else {
        isUnready = !p.ready.status && p.startTimeMs + INITIAL_READINESS_DELAY_MS > p.ready.lastTransitionMs;
      }
      if (isUnready) {
        unready.add(p.name);
        continue;
      }
    }
    readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
}

/** GetResourceUtilizationRatio: integer percent over pods with both a metric and a request */
export function utilizationRatio(metrics: Map<string, number>, requests: Map<string, number>, target: number) {
  let total = 0;
  let reqTotal = 0;
  let n = 0;
  for (const [name, v] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    total += v;
    reqTotal += r;
    n++;
  }
  if (reqTotal === 0) throw new ReplicaCalcError('no metrics returned matched known pods');
  const utilization = Math.floor((total * 100) / reqTotal);
  return { ratio: utilization / target, utilization, rawAverageMilli: Math.floor(total / n) };
}

/** GetResourceReplicas (target averageUtilization) */
export function resourceReplicas(currentReplicas: number, targetUtilization: number, pods: CalcPod[], podMetrics: Map<string, PodMetric>, isCpu: boolean, nowMs: number, tolerance = TOLERANCE): ResourceResult {
  if (pods.length === 0) throw new ReplicaCalcError('no pods returned by selector while calculating replica count');
  const { readyPodCount, unready, missing, ignored } = groupPods(pods, podMetrics, isCpu, nowMs);
  const metrics = new Map<string, number>();
  for (const [name, m] of podMetrics) if (!ignored.has(name) && !unready.has(name)) metrics.set(name, m.milli);
  if (metrics.size === 0) throw new ReplicaCalcError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = new Map<string, number>();
  for (const p of pods) {
    if (p.requestMilli === undefined) throw new ReplicaCalcError(`missing request for ${isCpu ? 'cpu' : 'memory'} in Pod ${p.name}`);
    requests.set(p.name, p.requestMilli);
  }
  const { ratio, utilization, rawAverageMilli } = utilizationRatio(metrics, requests, targetUtilization);
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (within(ratio, tolerance)) return { replicas: currentReplicas, utilization, rawAverageMilli };
    // readyPodCount, not currentReplicas: unready pods do not count towards the proposal
    return { replicas: Math.ceil(ratio * readyPodCount), utilization, rawAverageMilli };
  }
  if (missing.size > 0) {
    // missing pods are assumed at max(100%, target) of request on scale-down, 0 on scale-up
    const fallback = Math.max(100, targetUtilization);
    for (const name of missing) metrics.set(name, ratio < 1 ? Math.floor((requests.get(name)! * fallback) / 100) : 0);
  }
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, 0);
  const newRatio = utilizationRatio(metrics, requests, targetUtilization).ratio;
  if (within(newRatio, tolerance) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return { replicas: currentReplicas, utilization, rawAverageMilli };
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return { replicas: currentReplicas, utilization, rawAverageMilli };
  return { replicas, utilization, rawAverageMilli };
}

/** GetRawResourceReplicas -> calcPlainMetricReplicas (target averageValue, milli) */
export function rawResourceReplicas(currentReplicas: number, targetMilli: number, pods: CalcPod[], podMetrics: Map<string, PodMetric>, isCpu: boolean, nowMs: number, tolerance = TOLERANCE): { replicas: number; usageMilli: number } {
  if (pods.length === 0) throw new ReplicaCalcError('no pods returned by selector while calculating replica count');
  const { readyPodCount, unready, missing, ignored } = groupPods(pods, podMetrics, isCpu, nowMs);
  const metrics = new Map<string, number>();
  for (const [name, m] of podMetrics) if (!ignored.has(name) && !unready.has(name)) metrics.set(name, m.milli);
  if (metrics.size === 0) throw new ReplicaCalcError('did not receive metrics for targeted pods (pods might be unready)');
  const avg = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0) / m.size;
  const usage = Math.floor(avg(metrics));
  const ratio = usage / targetMilli;
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (within(ratio, tolerance)) return { replicas: currentReplicas, usageMilli: usage };
    return { replicas: Math.ceil(ratio * readyPodCount), usageMilli: usage };
  }
  if (missing.size > 0) for (const name of missing) metrics.set(name, ratio < 1 ? targetMilli : 0);
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, 0);
  const newRatio = Math.floor(avg(metrics)) / targetMilli;
  if (within(newRatio, tolerance) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return { replicas: currentReplicas, usageMilli: usage };
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return { replicas: currentReplicas, usageMilli: usage };
  return { replicas, usageMilli: usage };
}
