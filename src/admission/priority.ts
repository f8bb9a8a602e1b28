// PriorityClass (scheduling.k8s.io/v1) and the Priority admission plugin.
// - plugin/pkg/admission/priority/admission.go: on pod CREATE, priorityClassName resolves to
//   spec.priority and spec.preemptionPolicy (the globalDefault class, or 0/PreemptLowerPriority,
//   when no name is given); an unknown name is Forbidden; a PriorityClass may become globalDefault
//   only while no other class is.
// - pkg/apis/scheduling/validation/validation.go: user classes are at most 1e9, the "system-"
//   prefix is reserved for the built-in classes, value and preemptionPolicy are immutable.
// - pkg/apis/scheduling/v1/defaults.go: preemptionPolicy defaults to PreemptLowerPriority.
// - pkg/registry/scheduling/rest/storage_scheduling.go AddSystemPriorityClasses: the API server's
//   post-start hook creates system-node-critical and system-cluster-critical.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { goString, goValue } from '../api/validate.js';

/** scheduling.HighestUserDefinablePriority */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** scheduling.SystemCriticalPriority (2 * HighestUserDefinablePriority) */
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
/** scheduling.DefaultPriorityWhenNoDefaultClassExists */
export const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS = 0;
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
export const PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority';
export const PREEMPT_NEVER = 'Never';
const PREEMPTION_POLICIES = [PREEMPT_LOWER_PRIORITY, PREEMPT_NEVER];

/** scheduling/v1 systemPriorityClasses, in upstream's order */
export const SYSTEM_PRIORITY_CLASSES: readonly { name: string; value: number; description: string }[] = [
  { name: 'system-node-critical', value: SYSTEM_CRITICAL_PRIORITY + 1000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: SYSTEM_CRITICAL_PRIORITY, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

/** AddSystemPriorityClasses: the built-in classes exist from the API server's start. */
export function createSystemPriorityClasses(api: ApiServer): void {
  for (const c of SYSTEM_PRIORITY_CLASSES) {
    if (api.get('PriorityClass', undefined, c.name)) continue;
    api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: c.name }, value: c.value, description: c.description });
  }
}

/** SetDefaults_PriorityClass */
export function defaultPriorityClass(pc: KubeObject): void {
  pc.preemptionPolicy ??= PREEMPT_LOWER_PRIORITY;
  pc.globalDefault ??= false;
}

/** IsKnownSystemPriorityClass: the error text, or undefined when it is one of the built-ins */
function knownSystemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const spc = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!spc) return `${name} is not a known system priority class`;
  if (spc.value !== value) return `value of ${name} PriorityClass must be ${spc.value}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/** ValidatePriorityClass (field errors in upstream's wording) */
export function validatePriorityClass(pc: KubeObject): string[] {
  const errs: string[] = [];
  const name = pc.metadata.name ?? '';
  const value = pc.value ?? 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
    return [`value: Invalid value: ${goValue(value)}: must be a 32-bit integer`];
  }
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const err = knownSystemClassError(name, value, !!pc.globalDefault);
    if (err) errs.push(`metadata.name: Forbidden: priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${err}`);
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(`value: Forbidden: maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`);
  }
  if (pc.preemptionPolicy !== undefined) errs.push(...validatePreemptionPolicy(pc.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

/** ValidatePriorityClassUpdate: value and preemptionPolicy are immutable */
export function validatePriorityClassUpdate(pc: KubeObject, old: KubeObject): string[] {
  const errs: string[] = [];
  if ((pc.value ?? 0) !== (old.value ?? 0)) errs.push('value: Forbidden: may not be changed in an update.');
  if (pc.preemptionPolicy !== old.preemptionPolicy) errs.push(`preemptionPolicy: Invalid value: ${goString(String(pc.preemptionPolicy))}: field is immutable`);
  return errs;
}

/** core validation ValidatePreemptionPolicy */
export function validatePreemptionPolicy(policy: unknown, field: string): string[] {
  if (policy === '' || policy === null) return [`${field}: Required value`];
  if (!PREEMPTION_POLICIES.includes(policy as string)) {
    return [`${field}: Unsupported value: ${goString(String(policy))}: supported values: ${PREEMPTION_POLICIES.map(goString).join(', ')}`];
  }
  return [];
}

/** getDefaultPriorityClass: of several globalDefault classes (a race), the lowest value wins */
export function defaultPriorityClassOf(api: ApiServer): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const pc of api.store.iterate('PriorityClass')) {
    if (pc.globalDefault && (!best || Number(best.value ?? 0) > Number(pc.value ?? 0))) best = pc;
  }
  return best;
}

/**
 * admitPod on CREATE: resolve the class and set spec.priority and spec.preemptionPolicy.
 * Returns the Forbidden message, or undefined when admitted.
 */
export function admitPodPriority(api: ApiServer, pod: KubeObject): string | undefined {
  const spec = (pod.spec ??= {});
  let priority: number;
  let policy: string | undefined;
  if (!spec.priorityClassName) {
    const dpc = defaultPriorityClassOf(api);
    if (dpc) {
      spec.priorityClassName = dpc.metadata.name;
      priority = Number(dpc.value ?? 0);
      policy = dpc.preemptionPolicy as string | undefined;
    } else {
      priority = DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS;
      policy = PREEMPT_LOWER_PRIORITY;
    }
  } else {
    const pc = api.get('PriorityClass', undefined, spec.priorityClassName);
    if (!pc) return `no PriorityClass with name ${spec.priorityClassName} was found`;
    priority = Number(pc.value ?? 0);
    policy = pc.preemptionPolicy as string | undefined;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    return `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`;
  }
  spec.priority = priority;
  if (policy !== undefined) {
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== policy) {
      return `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`;
    }
    spec.preemptionPolicy = policy;
  }
  return undefined;
}

/** admitPod on UPDATE: a client that drops spec.priority / preemptionPolicy keeps the stored ones */
export function preservePodPriority(pod: KubeObject, old: KubeObject): void {
  if (!pod.spec || !old.spec) return;
  if (pod.spec.priority === undefined && old.spec.priority !== undefined) pod.spec.priority = old.spec.priority;
  if (pod.spec.preemptionPolicy === undefined && old.spec.preemptionPolicy !== undefined) pod.spec.preemptionPolicy = old.spec.preemptionPolicy;
}

/** validatePriorityClass (admission): only one globalDefault class. Returns the Forbidden message. */
export function admitPriorityClass(api: ApiServer, pc: KubeObject, old: KubeObject | undefined): string | undefined {
  if (!pc.globalDefault) return undefined;
  const dpc = defaultPriorityClassOf(api);
  if (!dpc) return undefined;
  if (!old || dpc.metadata.name !== pc.metadata.name) {
    return `PriorityClass ${dpc.metadata.name} is already marked as default. Only one default can exist`;
  }
  return undefined;
}

/** corev1helpers.PodPriority: spec.priority, 0 when unset */
export function podPriority(pod: KubeObject): number {
  return pod.spec?.priority ?? 0;
}
