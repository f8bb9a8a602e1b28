// The LimitRanger admission plugin (plugin/pkg/admission/limitranger/admission.go): on pod
// CREATE, containers missing a request/limit get the namespace's LimitRange defaults
// (PodMutateLimitFunc), then min/max/maxLimitRequestRatio are enforced per Container, per Pod
// (summed) and per PersistentVolumeClaim (PodValidateLimitFunc, PersistentVolumeClaimValidateLimitFunc).

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { formatQuantity, parseQuantity, toMilli, type Quantity } from '../api/quantity.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type ResourceList = Record<string, string | number>;

export interface LimitRangeItem {
  type: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

/**
 * SetDefaults_LimitRangeItem (pkg/apis/core/v1/defaults.go), type Container only: default ← max,
 * defaultRequest ← default, then defaultRequest ← min. Applied when reading the object, so a
 * LimitRange written with only max still defaults limits and requests to max.
 */
export function effectiveItem(item: LimitRangeItem): LimitRangeItem {
  if (item.type !== 'Container') return item;
  const out: LimitRangeItem = { ...item, default: { ...(item.default ?? {}) }, defaultRequest: { ...(item.defaultRequest ?? {}) } };
  for (const [k, v] of Object.entries(item.max ?? {})) out.default![k] ??= v;
  for (const [k, v] of Object.entries(out.default!)) out.defaultRequest![k] ??= v;
  for (const [k, v] of Object.entries(item.min ?? {})) out.defaultRequest![k] ??= v;
  return out;
}

function itemsOf(lr: KubeObject): LimitRangeItem[] {
  return ((lr.spec?.limits ?? []) as LimitRangeItem[]).map(effectiveItem);
}

/** PodMutateLimitFunc: add defaults and the annotation listing what was set. */
export function mutatePod(limitRanges: KubeObject[], pod: KubeObject): void {
  for (const lr of limitRanges) {
    const item = itemsOf(lr).find((i) => i.type === 'Container');
    if (!item) continue;
    const notes: string[] = [];
    for (const [list, prefix] of [[pod.spec?.initContainers, 'init container'], [pod.spec?.containers, 'container']] as const) {
      for (const c of list ?? []) notes.push(...mergeContainerResources(c, item, prefix));
    }
    if (notes.length) {
      pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
    }
  }
}

/** mergeContainerResources: returns the annotation fragments for one container. */
function mergeContainerResources(c: any, item: LimitRangeItem, prefix: string): string[] {
  c.resources ??= {};
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [k, v] of Object.entries(item.default ?? {})) {
    c.resources.limits ??= {};
    if (c.resources.limits[k] === undefined) {
      c.resources.limits[k] = v;
      setLimits.push(k);
    }
  }
  for (const [k, v] of Object.entries(item.defaultRequest ?? {})) {
    c.resources.requests ??= {};
    if (c.resources.requests[k] === undefined) {
      c.resources.requests[k] = v;
      setRequests.push(k);
    }
  }
  const out: string[] = [];
  if (setRequests.length) out.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length) out.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`);
  return out;
}

const q = (v: string | number): Quantity => parseQuantity(v);
const str = (v: string | number): string => formatQuantity(q(v));

/** minConstraint: milli-value comparison (requestLimitEnforcedValues). */
export function minConstraint(type: string, r: string, enforced: string | number, req: ResourceList, lim: ResourceList): string | undefined {
  const e = toMilli(q(enforced));
  if (req[r] === undefined) return `minimum ${r} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (toMilli(q(req[r])) < e) return `minimum ${r} usage per ${type} is ${str(enforced)}, but request is ${str(req[r])}`;
  if (lim[r] !== undefined && toMilli(q(lim[r])) < e) return `minimum ${r} usage per ${type} is ${str(enforced)}, but limit is ${str(lim[r])}`;
  return undefined;
}

export function maxConstraint(type: string, r: string, enforced: string | number, req: ResourceList, lim: ResourceList): string | undefined {
  const e = toMilli(q(enforced));
  if (lim[r] === undefined) return `maximum ${r} usage per ${type} is ${str(enforced)}.  No limit is specified`;
  if (toMilli(q(lim[r])) > e) return `maximum ${r} usage per ${type} is ${str(enforced)}, but limit is ${str(lim[r])}`;
  if (req[r] !== undefined && toMilli(q(req[r])) > e) return `maximum ${r} usage per ${type} is ${str(enforced)}, but request is ${str(req[r])}`;
  return undefined;
}

export function limitRequestRatioConstraint(type: string, r: string, enforced: string | number, req: ResourceList, lim: ResourceList): string | undefined {
  const reqM = req[r] === undefined ? 0n : toMilli(q(req[r]));
  const limM = lim[r] === undefined ? 0n : toMilli(q(lim[r]));
  if (reqM === 0n) return `${r} max limit to request ratio per ${type} is ${str(enforced)}, but no request is specified or request is 0`;
  if (limM === 0n) return `${r} max limit to request ratio per ${type} is ${str(enforced)}, but no limit is specified or limit is 0`;
  const ratio = Number(limM) / Number(reqM);
  // compared in milli-units, printed with Go's %f
  if (ratio * 1000 > Number(toMilli(q(enforced)))) return `${r} max limit to request ratio per ${type} is ${str(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function checkAll(type: string, item: LimitRangeItem, req: ResourceList, lim: ResourceList, errs: string[]): void {
  // Go ranges over maps in random order; sorted keys keep our messages reproducible
  const each = (m: ResourceList | undefined, f: typeof minConstraint) => {
    for (const k of Object.keys(m ?? {}).sort()) {
      const e = f(type, k, m![k], req, lim);
      if (e) errs.push(e);
    }
  };
  each(item.min, minConstraint);
  each(item.max, maxConstraint);
  each(item.maxLimitRequestRatio, limitRequestRatioConstraint);
}

/** Pod-level requests/limits: sum of containers, at least the largest init container (PodRequests). */
export function podTotals(pod: KubeObject, field: 'requests' | 'limits'): ResourceList {
  const sum = new Map<string, bigint>();
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, v] of Object.entries((c.resources?.[field] ?? {}) as ResourceList)) sum.set(k, (sum.get(k) ?? 0n) + q(v).nano);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries((c.resources?.[field] ?? {}) as ResourceList)) {
      const n = q(v).nano;
      if (n > (sum.get(k) ?? 0n)) sum.set(k, n);
    }
  }
  const out: ResourceList = {};
  for (const [k, n] of sum) out[k] = formatQuantity({ nano: n, format: k === 'cpu' ? 'DecimalSI' : 'BinarySI' });
  return out;
}

/** PodValidateLimitFunc: the messages of every violated constraint. */
export function validatePod(limitRanges: KubeObject[], pod: KubeObject): string[] {
  const errs: string[] = [];
  for (const lr of limitRanges) {
    for (const item of itemsOf(lr)) {
      if (item.type === 'Container') {
        for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
          checkAll('Container', item, c.resources?.requests ?? {}, c.resources?.limits ?? {}, errs);
        }
      } else if (item.type === 'Pod') {
        checkAll('Pod', item, podTotals(pod, 'requests'), podTotals(pod, 'limits'), errs);
      }
    }
  }
  return errs;
}

/** PersistentVolumeClaimValidateLimitFunc: min/max on requests.storage (limit = request). */
export function validatePvc(limitRanges: KubeObject[], pvc: KubeObject): string[] {
  const errs: string[] = [];
  const req = (pvc.spec?.resources?.requests ?? {}) as ResourceList;
  for (const lr of limitRanges) {
    for (const item of itemsOf(lr)) {
      if (item.type !== 'PersistentVolumeClaim') continue;
      // pvc.Spec.Resources.Limits is not user input here: min looks at the request only
      for (const k of Object.keys(item.min ?? {}).sort()) {
        const e = minConstraint('PersistentVolumeClaim', k, item.min![k], req, {});
        if (e) errs.push(e);
      }
      for (const k of Object.keys(item.max ?? {}).sort()) {
        const e = maxRequestConstraint('PersistentVolumeClaim', k, item.max![k], req);
        if (e) errs.push(e);
      }
    }
  }
  return errs;
}

/** maxRequestConstraint: max enforced against the request (claims). */
export function maxRequestConstraint(type: string, r: string, enforced: string | number, req: ResourceList): string | undefined {
  if (req[r] === undefined) return `maximum ${r} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (toMilli(q(req[r])) > toMilli(q(enforced))) return `maximum ${r} usage per ${type} is ${str(enforced)}, but request is ${str(req[r])}`;
  return undefined;
}

export function limitRangesIn(api: ApiServer, namespace: string): KubeObject[] {
  return api.list('LimitRange', namespace);
}
