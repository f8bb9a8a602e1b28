// The metrics source (metrics-server's resource metrics API as the HPA's metrics client reads
// it, pkg/controller/podautoscaler/metrics/client.go GetResourceMetric): a pod's usage is the sum
// of its running containers' app-model usage at the current virtual time. Pods without running
// containers report no metric, so the replica calculator treats them as missing or unready.

import type { Cluster } from '../../engine/cluster.js';
import type { KubeObject } from '../../api/types.js';
import { versionAt, type AppModel } from '../../apps/registry.js';
import { parseTimestamp } from '../../api/time.js';
import type { PodMetric } from './replica_calculator.js';

/** metrics-server's default resolution: the window a sample covers */
export const METRIC_WINDOW_MS = 30_000;

export function cpuMilliAt(model: AppModel, nowMs: number): number {
  let v = 0;
  for (const p of model.cpu?.points ?? []) if (p.atMs <= nowMs) v = p.milli;
  return v;
}

export function memoryBytesAt(model: AppModel, sinceStartMs: number): number {
  const m = model.memory;
  if (!m) return 0;
  const grown = m.initial + m.growBy * Math.floor(sinceStartMs / m.everyMs);
  return m.max !== undefined ? Math.min(grown, m.max) : grown;
}

export function podMetric(cluster: Cluster, pod: KubeObject, resource: 'cpu' | 'memory'): PodMetric | undefined {
  if (pod.status?.phase !== 'Running') return undefined;
  const now = cluster.sim.now;
  let total = 0;
  let running = 0;
  for (const c of pod.spec?.containers ?? []) {
    const st = (pod.status?.containerStatuses ?? []).find((s: any) => s.name === c.name);
    const startedAt = st?.state?.running?.startedAt;
    if (!startedAt) continue;
    running++;
    const model = versionAt(cluster.apps.lookup(c.image), now);
    total += resource === 'cpu' ? cpuMilliAt(model, now) : memoryBytesAt(model, now - (parseTimestamp(startedAt) ?? now)) * 1000;
  }
  if (running === 0) return undefined;
  return { milli: total, timestampMs: now, windowMs: METRIC_WINDOW_MS };
}
