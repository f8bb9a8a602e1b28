// The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler/horizontal.go
// reconcileAutoscaler, computeReplicasForMetrics, normalizeDesiredReplicas[WithBehaviors]). Each HPA
// is synced on creation and then every 15 s (the fixed-interval queue): a timer per HPA, so a
// cluster without HPAs costs nothing. Reads the target's replicas and selector, the pods' usage
// from the metrics source, writes spec.replicas of the target and the HPA's status.

import type { Cluster, Component } from '../../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../../engine/component.js';
import type { KubeObject } from '../../api/types.js';
import type { WatchEvent } from '../../api/server.js';
import { objectKey } from '../../api/store.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { parseQuantity, toMilli } from '../../api/quantity.js';
import { timestamp, parseTimestamp } from '../../api/time.js';
import { podMetric } from './metrics.js';
import { rawResourceReplicas, resourceReplicas, type CalcPod, type PodMetric } from './replica_calculator.js';
import { convertDesiredReplicasWithRules, convertWithBehaviorRate, DOWNSCALE_STABILISATION_MS, stabilizeRecommendation, stabilizeWithBehaviors, storeScaleEvent, type HpaHistory } from './normalize.js';

export const SYNC_PERIOD_MS = 15_000;
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

interface Condition { type: string; status: 'True' | 'False'; reason: string; message: string }

export class HorizontalPodAutoscalerController implements Component {
  readonly name = 'horizontal-pod-autoscaler';
  private readonly queue: WorkQueue;
  private readonly timers = new Map<string, { cancel(): void }>();
  private readonly history = new Map<string, HpaHistory>();

  constructor(private readonly cluster: Cluster) {
    this.queue = controllerQueue(cluster, this.name, (key) => this.sync(key));
    controllerInformer(cluster, this.name, ['HorizontalPodAutoscaler'], (ev) => this.onEvent(ev));
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    const key = objectKey('HorizontalPodAutoscaler', o.metadata.namespace, o.metadata.name!);
    if (ev.type === 'DELETED') {
      this.timers.get(key)?.cancel();
      this.timers.delete(key);
      this.history.delete(key);
      return;
    }
    // updates wait for the next periodic sync (AddRateLimited on a fixed-interval limiter)
    if (ev.type === 'ADDED' && !this.timers.has(key)) this.queue.add(key);
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const hpa = this.cluster.api.get('HorizontalPodAutoscaler', ns, name);
    if (!hpa) return;
    this.timers.get(key)?.cancel();
    this.timers.set(key, this.cluster.sim.schedule(SYNC_PERIOD_MS, this.name, () => this.queue.add(key)));
    this.reconcile(key, hpa);
  }

  private reconcile(key: string, hpa: KubeObject): void {
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    const spec = hpa.spec;
    const ns = hpa.metadata.namespace!;
    const conditions: Condition[] = [];
    const setCond = (type: string, status: boolean, reason: string, message: string) => {
      const i = conditions.findIndex((c) => c.type === type);
      const c: Condition = { type, status: status ? 'True' : 'False', reason, message };
      if (i >= 0) conditions[i] = c;
      else conditions.push(c);
    };
    const ref = spec.scaleTargetRef ?? {};
    const target = SCALABLE.has(ref.kind) ? api.get(ref.kind, ns, ref.name) : undefined;
    if (!target) {
      const msg = `the HPA controller was unable to get the target's current scale: ${String(ref.kind ?? '').toLowerCase()}s "${ref.name}" not found`;
      api.recordEvent(hpa, 'Warning', 'FailedGetScale', msg.replace('the HPA controller was unable to get the target\'s current scale: ', ''), this.name);
      setCond('AbleToScale', false, 'FailedGetScale', msg);
      this.writeStatus(hpa, hpa.status?.currentReplicas ?? 0, hpa.status?.desiredReplicas ?? 0, hpa.status?.currentMetrics, conditions, false);
      return;
    }
    const current: number = target.spec?.replicas ?? 1;
    setCond('AbleToScale', true, 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    let history = this.history.get(key);
    if (!history) {
      history = { recommendations: [{ replicas: current, atMs: now }], up: [], down: [] };
      this.history.set(key, history);
    }
    const min: number = spec.minReplicas ?? 1;
    const max: number = spec.maxReplicas;
    let desired = 0;
    let rescaleReason = '';
    let metricStatuses = hpa.status?.currentMetrics;
    let rescale = true;
    if (current === 0 && min !== 0) {
      rescale = false;
      setCond('ScalingActive', false, 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (current > max) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desired = max;
    } else if (current < min) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desired = min;
    } else {
      const r = this.computeReplicasForMetrics(hpa, target, current);
      if ('error' in r) {
        api.recordEvent(hpa, 'Warning', r.reason, r.error, this.name);
        setCond('ScalingActive', false, r.reason, `the HPA was unable to compute the replica count: ${r.error}`);
        this.writeStatus(hpa, current, hpa.status?.desiredReplicas ?? current, metricStatuses, conditions, false);
        return;
      }
      metricStatuses = r.statuses;
      setCond('ScalingActive', true, 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${r.metricName}`);
      const proposal = r.replicas;
      if (!spec.behavior) {
        const stabilized = stabilizeRecommendation(history, proposal, now, DOWNSCALE_STABILISATION_MS);
        if (stabilized !== proposal) setCond('AbleToScale', true, 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
        else setCond('AbleToScale', true, 'ReadyForNewScale', 'recommended size matches current size');
        const lim = convertDesiredReplicasWithRules(current, stabilized, min, max);
        setCond('ScalingLimited', lim.replicas !== stabilized, lim.reason, lim.message);
        desired = lim.replicas;
      } else {
        const up = spec.behavior.scaleUp ?? {};
        const down = spec.behavior.scaleDown ?? {};
        const st = stabilizeWithBehaviors(history, current, proposal, up.stabilizationWindowSeconds ?? 0, down.stabilizationWindowSeconds ?? DOWNSCALE_STABILISATION_MS / 1000, now);
        if (st.replicas !== proposal) setCond('AbleToScale', true, st.reason, st.message);
        else setCond('AbleToScale', true, 'ReadyForNewScale', 'recommended size matches current size');
        const lim = convertWithBehaviorRate(history, current, st.replicas, min, max, up, down, now);
        setCond('ScalingLimited', lim.replicas !== st.replicas, lim.reason, lim.message);
        desired = lim.replicas;
      }
      if (desired > current) rescaleReason = `${r.metricName} above target`;
      if (desired < current) rescaleReason = 'All metrics below target';
    }
    rescale = rescale && desired !== current;
    if (rescale) {
      api.mutate(target.kind, ns, target.metadata.name!, (d) => {
        d.spec.replicas = desired;
      });
      setCond('AbleToScale', true, 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
      api.recordEvent(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`, this.name);
      if (spec.behavior) storeScaleEvent(history, spec.behavior.scaleUp ?? {}, spec.behavior.scaleDown ?? {}, current, desired, now);
    } else desired = current === 0 && min !== 0 ? 0 : current;
    this.writeStatus(hpa, current, desired, metricStatuses, conditions, rescale);
  }

  private computeReplicasForMetrics(hpa: KubeObject, target: KubeObject, current: number): { replicas: number; metricName: string; statuses: any[] } | { error: string; reason: string } {
    const ns = hpa.metadata.namespace!;
    const selector = selectorFromLabelSelector(target.spec?.selector);
    const pods = this.cluster.api.list('Pod', ns, selector);
    let best = -1;
    let bestName = '';
    let invalid = 0;
    let firstErr: { error: string; reason: string } | undefined;
    const statuses: any[] = [];
    const metrics: any[] = hpa.spec.metrics ?? [];
    for (const m of metrics) {
      if (m.type !== 'Resource' || (m.resource?.name !== 'cpu' && m.resource?.name !== 'memory')) {
        invalid++;
        firstErr ??= { reason: 'FailedGetResourceMetric', error: `metric type ${m.type} is not modelled by the simulator (only Resource cpu/memory)` };
        continue;
      }
      const res: 'cpu' | 'memory' = m.resource.name;
      const calc = pods.map((p) => calcPod(p, res));
      const pm = new Map<string, PodMetric>();
      for (const p of pods) {
        const v = podMetric(this.cluster, p, res);
        if (v) pm.set(p.metadata.name!, v);
      }
      const t = m.resource.target ?? {};
      try {
        if (t.type === 'Utilization' || t.averageUtilization !== undefined) {
          const r = resourceReplicas(current, t.averageUtilization, calc, pm, res === 'cpu', this.cluster.sim.now);
          statuses.push({ type: 'Resource', resource: { name: res, current: { averageUtilization: r.utilization, averageValue: milliQuantity(r.rawAverageMilli) } } });
          if (r.replicas > best) [best, bestName] = [r.replicas, `${res} resource utilization (percentage of request)`];
        } else {
          const r = rawResourceReplicas(current, Number(toMilli(parseQuantity(t.averageValue))), calc, pm, res === 'cpu', this.cluster.sim.now);
          statuses.push({ type: 'Resource', resource: { name: res, current: { averageValue: milliQuantity(r.usageMilli) } } });
          if (r.replicas > best) [best, bestName] = [r.replicas, `${res} resource`];
        }
      } catch (e) {
        invalid++;
        firstErr ??= { reason: 'FailedGetResourceMetric', error: `failed to get ${res} utilization: ${(e as Error).message}` };
      }
    }
    // every metric invalid, or some invalid and the rest would scale down: no scaling
    if (invalid >= metrics.length || (invalid > 0 && best < current)) return firstErr ?? { reason: 'FailedGetResourceMetric', error: 'no metrics' };
    return { replicas: best, metricName: bestName, statuses };
  }

  private writeStatus(hpa: KubeObject, current: number, desired: number, metrics: any[] | undefined, conds: Condition[], rescaled: boolean): void {
    const now = timestamp(this.cluster.sim.now);
    this.cluster.api.mutate('HorizontalPodAutoscaler', hpa.metadata.namespace, hpa.metadata.name!, (d) => {
      const old: any[] = d.status?.conditions ?? [];
      const merged = [...old];
      for (const c of conds) {
        const i = merged.findIndex((o) => o.type === c.type);
        const ltt = i >= 0 && merged[i].status === c.status ? merged[i].lastTransitionTime : now;
        const next = { ...c, lastTransitionTime: ltt };
        if (i >= 0) merged[i] = next;
        else merged.push(next);
      }
      d.status = {
        currentReplicas: current,
        desiredReplicas: desired,
        ...(metrics ? { currentMetrics: metrics } : {}),
        ...(rescaled ? { lastScaleTime: now } : d.status?.lastScaleTime ? { lastScaleTime: d.status.lastScaleTime } : {}),
        conditions: merged,
      };
    }, 'status');
  }
}

function splitKey(key: string): [string, string] {
  const parts = key.split('/');
  return [parts[parts.length - 2]!, parts[parts.length - 1]!];
}

function milliQuantity(m: number): string {
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

/** the pod facts groupPods and calculateRequests read */
export function calcPod(p: KubeObject, res: 'cpu' | 'memory'): CalcPod {
  let request: number | undefined = 0;
  for (const c of p.spec?.containers ?? []) {
    const r = c.resources?.requests?.[res];
    if (r === undefined) request = undefined;
    else if (request !== undefined) request += Number(toMilli(parseQuantity(r)));
  }
  const ready = (p.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  return {
    name: p.metadata.name!,
    phase: p.status?.phase ?? 'Pending',
    deleting: !!p.metadata.deletionTimestamp,
    ...(ready ? { ready: { status: ready.status === 'True', lastTransitionMs: parseTimestamp(ready.lastTransitionTime) ?? 0 } } : {}),
    ...(p.status?.startTime ? { startTimeMs: parseTimestamp(p.status.startTime) } : {}),
    requestMilli: request,
  };
}

