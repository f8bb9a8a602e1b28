// resourceFieldRef values: pkg/api/v1/resource/helpers.go (ExtractContainerResourceValue,
// ExtractResourceValueByContainerName, convertQuantityToString, MergeContainerResourceLimits)
// and kubelet_resources.go defaultPodLimitsForDownwardAPI.
import type { KubeObject } from '../../api/types.js';
import { parseQuantity, type Quantity } from '../../api/quantity.js';

export interface ResourceFieldSelector {
  containerName?: string;
  resource: string;
  divisor?: string | number;
}

const MAX_INT64 = 2n ** 63n - 1n;

/**
 * convertQuantityToString: ceil(quantity / divisor) as an integer string. Upstream's current text
 * divides exactly and saturates at MaxInt64 (TestConvertQuantityToStringBounds); the older float
 * text (MilliValue()/divisor.MilliValue() for cpu, Value()/divisor.Value() otherwise) agrees for
 * every divisor validation allows (cpu: 1m, 1; memory/storage: 1 ... 1Ei).
 */
export function convertQuantityToString(q: Quantity | undefined, divisor: Quantity): string {
  const n = q?.nano ?? 0n;
  const d = divisor.nano;
  if (d <= 0n) throw new Error('divisor must be positive');
  let r = n >= 0n ? (n + d - 1n) / d : -((-n) / d);
  if (r > MAX_INT64) r = MAX_INT64;
  return r.toString();
}

function quantityOf(list: any, name: string): Quantity | undefined {
  const v = list?.[name];
  return v === undefined || v === null ? undefined : parseQuantity(v);
}

const HUGEPAGES_PREFIX = 'hugepages-';

/** ExtractContainerResourceValue. Divisor unset or zero means 1. */
export function extractContainerResourceValue(fs: ResourceFieldSelector, container: any): string {
  let divisor = parseQuantity(1);
  if (fs.divisor !== undefined && fs.divisor !== null && fs.divisor !== '') {
    const d = parseQuantity(fs.divisor);
    if (d.nano !== 0n) divisor = d;
  }
  const res = container?.resources ?? {};
  const m = /^(limits|requests)\.(.+)$/.exec(fs.resource);
  if (m) {
    const [, kind, name] = m;
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name!.startsWith(HUGEPAGES_PREFIX)) {
      return convertQuantityToString(quantityOf(res[kind!], name!), divisor);
    }
  }
  throw new Error(`unsupported container resource : ${fs.resource}`);
}

/**
 * MergeContainerResourceLimits: a missing or zero cpu/memory/ephemeral-storage limit becomes the
 * node's allocatable amount (hugepages are never overcommitted, so they are left alone). Returns a
 * copy; the pod object is not touched.
 */
export function mergeContainerResourceLimits(container: any, allocatable: Readonly<Record<string, unknown>> | undefined): any {
  const limits: Record<string, unknown> = { ...(container?.resources?.limits ?? {}) };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const cur = limits[r];
    const isZero = cur === undefined || cur === null || parseQuantity(cur as string).nano === 0n;
    if (isZero && allocatable?.[r] !== undefined) limits[r] = allocatable[r];
  }
  return { ...container, resources: { ...(container?.resources ?? {}), limits } };
}

function findContainer(pod: KubeObject, name: string): any | undefined {
  const spec = pod.spec ?? {};
  for (const list of [spec.containers, spec.initContainers]) {
    for (const c of list ?? []) if (c?.name === name) return c;
  }
  return undefined;
}

/**
 * containerResourceRuntimeValue (env) and ExtractResourceValueByContainerNameAndNodeAllocatable
 * (volumes): limits default to node allocatable, then the named container (or `self` when the
 * selector names none, as an env entry may) is read.
 */
export function resourceFieldValue(fs: ResourceFieldSelector, pod: KubeObject, self: any | undefined, nodeAllocatable: Readonly<Record<string, unknown>> | undefined): string {
  let container = self;
  if (fs.containerName) {
    container = findContainer(pod, fs.containerName);
    if (!container) throw new Error(`container ${fs.containerName} not found`);
  }
  return extractContainerResourceValue(fs, mergeContainerResourceLimits(container, nodeAllocatable));
}
