// Validation of the pod's inter-pod scheduling fields (pkg/apis/core/validation/validation.go
// validateAffinity → validatePodAffinity / validatePodAntiAffinity, validatePodAffinityTerm,
// validateWeightedPodAffinityTerms; validateTopologySpreadConstraints, ValidateMaxSkew,
// ValidateTopologyKey, ValidateWhenUnsatisfiable, ValidateSpreadConstraintNotRepeat,
// validateMinDomains, validateNodeInclusionPolicy, validateMatchLabelKeys). Label selectors
// inside the terms are parsed by the scheduler, not checked here.

import { isDNS1123Label, isQualifiedName } from './validation.js';

const isNotPositive = 'must be greater than zero';
const SCHEDULE_ACTIONS = ['DoNotSchedule', 'ScheduleAnyway'];
const NODE_POLICIES = ['Honor', 'Ignore'];

const q = (s: unknown) => JSON.stringify(s);
const supported = (f: string, v: unknown, values: string[]) => `${f}: Unsupported value: ${q(v)}: supported values: ${values.map(q).join(', ')}`;

/** ValidateTopologyKey (required) and, for affinity terms, ValidateLabelName. */
function topologyKeyErrors(f: string, key: unknown, labelName: boolean): string[] {
  const errs: string[] = [];
  const k = typeof key === 'string' ? key : '';
  if (k.length === 0) errs.push(`${f}: Required value: can not be empty`);
  if (labelName) for (const msg of isQualifiedName(k)) errs.push(`${f}: Invalid value: ${q(k)}: ${msg}`);
  return errs;
}

function podAffinityTermErrors(t: any, f: string): string[] {
  const errs: string[] = [];
  for (const ns of t?.namespaces ?? []) for (const msg of isDNS1123Label(String(ns))) errs.push(`${f}.namespace: Invalid value: ${q(ns)}: ${msg}`);
  errs.push(...topologyKeyErrors(`${f}.topologyKey`, t?.topologyKey, true));
  return errs;
}

function affinityKindErrors(a: any, f: string): string[] {
  if (!a) return [];
  const errs: string[] = [];
  (a.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t: any, i: number) => {
    errs.push(...podAffinityTermErrors(t, `${f}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
  });
  (a.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((w: any, i: number) => {
    const wf = `${f}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    const weight = w?.weight;
    if (!Number.isInteger(weight) || weight <= 0 || weight > 100) errs.push(`${wf}.weight: Invalid value: ${q(weight ?? 0)}: must be in the range 1-100`);
    errs.push(...podAffinityTermErrors(w?.podAffinityTerm, `${wf}.podAffinityTerm`));
  });
  return errs;
}

/** spec.affinity.podAffinity / podAntiAffinity */
export function validatePodAffinities(affinity: any, field: string): string[] {
  if (!affinity || typeof affinity !== 'object') return [];
  return [...affinityKindErrors(affinity.podAffinity, `${field}.podAffinity`), ...affinityKindErrors(affinity.podAntiAffinity, `${field}.podAntiAffinity`)];
}

/** spec.topologySpreadConstraints */
export function validateTopologySpreadConstraints(constraints: any, field: string): string[] {
  if (!Array.isArray(constraints)) return [];
  const errs: string[] = [];
  constraints.forEach((c: any, i: number) => {
    const f = `${field}[${i}]`;
    const maxSkew = c?.maxSkew;
    if (!Number.isInteger(maxSkew) || maxSkew <= 0) errs.push(`${f}.maxSkew: Invalid value: ${q(maxSkew ?? 0)}: ${isNotPositive}`);
    errs.push(...topologyKeyErrors(`${f}.topologyKey`, c?.topologyKey, false));
    const action = c?.whenUnsatisfiable ?? '';
    if (!SCHEDULE_ACTIONS.includes(action)) errs.push(supported(`${f}.whenUnsatisfiable`, action, SCHEDULE_ACTIONS));
    // the tuple {topologyKey, whenUnsatisfiable} denotes one kind of spread constraint
    if (constraints.slice(i + 1).some((o: any) => o?.topologyKey === c?.topologyKey && o?.whenUnsatisfiable === c?.whenUnsatisfiable)) {
      errs.push(`${f}.{topologyKey, whenUnsatisfiable}: Duplicate value: ${q(`{${c?.topologyKey ?? ''}, ${action}}`)}`);
    }
    if (c?.minDomains !== undefined && c?.minDomains !== null) {
      if (!Number.isInteger(c.minDomains) || c.minDomains <= 0) errs.push(`${f}.minDomains: Invalid value: ${q(c.minDomains)}: ${isNotPositive}`);
      if (action !== 'DoNotSchedule') errs.push(`${f}.minDomains: Invalid value: ${q(c.minDomains)}: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`);
    }
    for (const p of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (c?.[p] !== undefined && c?.[p] !== null && !NODE_POLICIES.includes(c[p])) errs.push(supported(`${f}.${p}`, c[p], NODE_POLICIES));
    }
    const selectorKeys = new Set<string>([...Object.keys(c?.labelSelector?.matchLabels ?? {}), ...(c?.labelSelector?.matchExpressions ?? []).map((e: any) => e?.key)]);
    (c?.matchLabelKeys ?? []).forEach((k: any, j: number) => {
      for (const msg of isQualifiedName(String(k))) errs.push(`${f}.matchLabelKeys[${j}]: Invalid value: ${q(k)}: ${msg}`);
      if (selectorKeys.has(k)) errs.push(`${f}.matchLabelKeys[${j}]: Invalid value: ${q(k)}: exists in both matchLabelKeys and labelSelector`);
    });
  });
  return errs;
}
