// QoS class, as pkg/apis/core/v1/helper/qos/qos.go ComputePodQOS.

import { parseQuantity } from './quantity.js';

type Res = Record<string, string | number>;

export function computePodQOS(spec: any): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let isGuaranteed = true;
  // PodLevelResources: pod-level requests/limits, when set, replace the container sums
  // (qos.go isPodLevelResourcesSet); without both cpu and memory limits it cannot be Guaranteed.
  const podRes = spec?.resources;
  const podLevel = podRes && (hasCpuOrMem(podRes.requests) || hasCpuOrMem(podRes.limits));
  if (podLevel) {
    for (const name of ['cpu', 'memory']) {
      const r = podRes.requests?.[name], l = podRes.limits?.[name];
      if (r !== undefined && nano(r) > 0n) requests.set(name, nano(r));
      if (l !== undefined && nano(l) > 0n) limits.set(name, nano(l));
    }
    isGuaranteed = limits.has('cpu') && limits.has('memory');
  }
  const containers = podLevel ? [] : [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  for (const c of containers) {
    const req: Res = c.resources?.requests ?? {};
    const lim: Res = c.resources?.limits ?? {};
    for (const name of ['cpu', 'memory']) {
      if (req[name] !== undefined) {
        const q = nano(req[name]);
        if (q > 0n) requests.set(name, (requests.get(name) ?? 0n) + q);
      }
    }
    let cpuAndMem = 0;
    for (const name of ['cpu', 'memory']) {
      if (lim[name] !== undefined) {
        const q = nano(lim[name]);
        if (q > 0n) {
          cpuAndMem++;
          limits.set(name, (limits.get(name) ?? 0n) + q);
        }
      }
    }
    if (cpuAndMem !== 2) isGuaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (isGuaranteed) {
    let equal = requests.size === limits.size;
    for (const [k, v] of requests) if (limits.get(k) !== v) equal = false;
    if (equal) return 'Guaranteed';
  }
  return 'Burstable';
}

function hasCpuOrMem(list: Res | undefined): boolean {
  return !!list && (list.cpu !== undefined || list.memory !== undefined);
}

function nano(v: string | number): bigint {
  return parseQuantity(v).nano;
}
