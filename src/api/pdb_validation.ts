// PodDisruptionBudget admission (pkg/apis/policy/validation/validation.go
// ValidatePodDisruptionBudget, pkg/registry/policy/poddisruptionbudget/strategy.go): the spec
// rules with upstream's wording, and the empty status a new budget starts with.

import type { KubeObject } from './types.js';
import { goValue } from './validate.js';

const PERCENT = /^[0-9]+%$/;

/** appsvalidation.ValidatePositiveIntOrPercent + IsNotMoreThan100Percent */
function intOrPercent(v: unknown, field: string): string[] {
  if (typeof v === 'number') return v < 0 ? [`${field}: Invalid value: ${v}: must be greater than or equal to 0`] : [];
  if (typeof v === 'string') {
    if (!PERCENT.test(v)) return [`${field}: Invalid value: ${goValue(v)}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`];
    if (Number(v.slice(0, -1)) > 100) return [`${field}: Invalid value: ${goValue(v)}: must not be greater than 100%`];
    return [];
  }
  return [`${field}: Invalid value: ${goValue(v)}: must be an integer or percentage (e.g '5%')`];
}

export function validatePodDisruptionBudget(obj: KubeObject): string[] {
  const spec = obj.spec ?? {};
  const errs: string[] = [];
  const hasMin = spec.minAvailable !== undefined && spec.minAvailable !== null;
  const hasMax = spec.maxUnavailable !== undefined && spec.maxUnavailable !== null;
  if (hasMin && hasMax) errs.push(`spec: Invalid value: ${JSON.stringify(spec)}: minAvailable and maxUnavailable cannot be both set`);
  if (hasMin) errs.push(...intOrPercent(spec.minAvailable, 'spec.minAvailable'));
  if (hasMax) errs.push(...intOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== 'IfHealthyBudget' && policy !== 'AlwaysAllow') {
    errs.push(`spec.unhealthyPodEvictionPolicy: Unsupported value: ${goValue(policy)}: supported values: "AlwaysAllow", "IfHealthyBudget"`);
  }
  return errs;
}

/** strategy.go PrepareForCreate: the status a client sends is dropped */
export function preparePodDisruptionBudgetForCreate(obj: KubeObject): void {
  obj.spec ??= {};
  obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
}
