// What the Filter and Score plugins derive from the pod alone (upstream's framework.PodInfo and
// the plugins' PreFilter/PreScore states: NodeResourcesFit's computePodResourceRequest,
// NodePorts' getContainerPorts, TaintToleration's PreferNoSchedule tolerations, NodeAffinity's
// preferred terms, ImageLocality's normalised image names). Stored objects are never changed in
// place, so the facts are kept with the pod object; the plugins ask once per node and cycle, so
// the last pod asked about answers without a WeakMap lookup.

import type { KubeObject } from '../api/types.js';
import { parseQuantity, toMilli, toValue } from '../api/quantity.js';
import { podHostPorts, type HostPort } from './nodeports.js';
import { normalizedImageName } from './imagelocality.js';

/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest for NonZeroRequested */
const DEFAULT_MILLI_CPU = 100;
const DEFAULT_MEMORY_BYTES = 200 * 1024 * 1024;

/** cpu in millicores, memory in bytes: exact in a double far beyond any node's size */
export type Requests = { readonly cpu: number; readonly memory: number };

export interface PodFacts {
  /** effective requests (max of init containers vs sum of containers) */
  readonly requests: Requests;
  /** the same with schedutil's defaults for unset cpu / memory (NonZeroRequested) */
  readonly nonZero: Requests;
  readonly hostPorts: readonly HostPort[];
  readonly tolerations: readonly any[];
  /** tolerations TaintToleration's Score considers (no effect, or PreferNoSchedule) */
  readonly preferTolerations: readonly any[];
  /** NodeAffinity's preferredDuringSchedulingIgnoredDuringExecution terms */
  readonly preferredTerms: readonly any[];
  /** ImageLocality: the normalised image of each init container, then of each container */
  readonly images: readonly string[];
}

const cache = new WeakMap<object, PodFacts>();
let lastPod: object | undefined;
let lastFacts: PodFacts | undefined;

export function podFacts(pod: KubeObject): PodFacts {
  if (pod === lastPod) return lastFacts!;
  let f = cache.get(pod);
  if (!f) cache.set(pod, (f = computePodFacts(pod)));
  lastPod = pod;
  lastFacts = f;
  return f;
}

/** the facts computed afresh (what the cache must answer) */
export function computePodFacts(pod: KubeObject): PodFacts {
  const spec = pod.spec ?? {};
  const tolerations: any[] = spec.tolerations ?? [];
  return {
    requests: aggregate(pod, false),
    nonZero: aggregate(pod, true),
    hostPorts: podHostPorts(pod),
    tolerations,
    preferTolerations: tolerations.filter((t: any) => !t.effect || t.effect === 'PreferNoSchedule'),
    preferredTerms: spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
    images: [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c: any) => normalizedImageName(String(c?.image ?? ''))),
  };
}

function aggregate(pod: KubeObject, nonZero: boolean): Requests {
  const one = (c: any) => {
    const r = c?.resources?.requests ?? {};
    let cpu = r.cpu !== undefined ? Number(toMilli(parseQuantity(r.cpu))) : 0;
    let memory = r.memory !== undefined ? Number(toValue(parseQuantity(r.memory))) : 0;
    if (nonZero) {
      if (r.cpu === undefined) cpu = DEFAULT_MILLI_CPU;
      if (r.memory === undefined) memory = DEFAULT_MEMORY_BYTES;
    }
    return { cpu, memory };
  };
  let cpu = 0, memory = 0;
  for (const c of pod.spec?.containers ?? []) {
    const r = one(c);
    cpu += r.cpu;
    memory += r.memory;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const r = one(c);
    if (r.cpu > cpu) cpu = r.cpu;
    if (r.memory > memory) memory = r.memory;
  }
  return { cpu, memory };
}
