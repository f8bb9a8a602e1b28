// Defaulting and validation of StatefulSet and DaemonSet (pkg/apis/apps/v1/defaults.go
// SetDefaults_StatefulSet / SetDefaults_DaemonSet; pkg/apis/apps/validation/validation.go
// ValidateStatefulSetSpec / ValidateDaemonSetSpec and their Update rules). Called from the
// kind switches in defaults.ts and validate.ts.

import type { KubeObject } from './types.js';
import { defaultPodSpec } from './defaults.js';
import { goString, goValue, validateLabels, validatePodSpec } from './validate.js';
import { selectorFromLabelSelector } from './labels.js';

export function setDefaultsStatefulSet(obj: KubeObject): void {
  const spec = (obj.spec ??= {});
  spec.podManagementPolicy ||= 'OrderedReady';
  spec.updateStrategy ??= {};
  if (!spec.updateStrategy.type) {
    spec.updateStrategy.type = 'RollingUpdate';
    spec.updateStrategy.rollingUpdate ??= {};
  }
  // an explicit `type: RollingUpdate` without rollingUpdate keeps it nil, as upstream
  if (spec.updateStrategy.type === 'RollingUpdate' && spec.updateStrategy.rollingUpdate) spec.updateStrategy.rollingUpdate.partition ??= 0;
  // StatefulSetAutoDeletePVC (GA 1.32)
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain';
  if (spec.ordinals) spec.ordinals.start ??= 0;
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  if (spec.template) defaultPodSpec((spec.template.spec ??= {}));
}

export function setDefaultsDaemonSet(obj: KubeObject): void {
  const spec = (obj.spec ??= {});
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ||= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  if (spec.template) defaultPodSpec((spec.template.spec ??= {}));
}

const nonNegative = (v: unknown, field: string): string[] =>
  v !== undefined && (!Number.isInteger(v) || (v as number) < 0) ? [`${field}: Invalid value: ${goValue(v)}: must be greater than or equal to 0`] : [];

/** selector required, non-empty, matching the template labels; restartPolicy Always (ValidatePodTemplateSpecForStatefulSet / ValidateDaemonSetSpec) */
function validateSelectorAndTemplate(spec: any, what: string): string[] {
  const errs: string[] = [];
  const templateLabels = spec.template?.metadata?.labels ?? {};
  let matches = true;
  if (!spec.selector) errs.push('spec.selector: Required value');
  else {
    try {
      const sel = selectorFromLabelSelector(spec.selector);
      if (sel.empty()) errs.push(`spec.selector: Invalid value: ${goValue(spec.selector)}: empty selector is invalid for ${what}`);
      else matches = sel.matches(templateLabels);
    } catch (e) {
      errs.push(`spec.selector: Invalid value: ${goValue(spec.selector)}: ${(e as Error).message}`);
    }
  }
  if (!spec.template) {
    errs.push('spec.template: Required value');
    return errs;
  }
  if (!matches) errs.push(`spec.template.metadata.labels: Invalid value: ${goValue(templateLabels)}: \`selector\` does not match template \`labels\``);
  errs.push(...validateLabels(templateLabels, 'spec.template.metadata.labels'));
  errs.push(...validatePodSpec(spec.template.spec, 'spec.template.spec'));
  const rp = spec.template.spec?.restartPolicy;
  if (rp !== undefined && rp !== 'Always') errs.push(`spec.template.spec.restartPolicy: Unsupported value: ${goString(rp)}: supported values: "Always"`);
  return errs;
}

export function validateStatefulSet(obj: KubeObject): string[] {
  const spec = obj.spec ?? {};
  const errs: string[] = [];
  const pmp = spec.podManagementPolicy;
  if (pmp !== undefined && pmp !== 'OrderedReady' && pmp !== 'Parallel') {
    errs.push(`spec.podManagementPolicy: Unsupported value: ${goString(String(pmp))}: supported values: "OrderedReady", "Parallel"`);
  }
  const us = spec.updateStrategy ?? {};
  if (us.type !== undefined && us.type !== 'RollingUpdate' && us.type !== 'OnDelete') {
    errs.push(`spec.updateStrategy.type: Unsupported value: ${goString(String(us.type))}: supported values: "OnDelete", "RollingUpdate"`);
  }
  if (us.type === 'OnDelete' && us.rollingUpdate) {
    errs.push(`spec.updateStrategy.rollingUpdate: Invalid value: ${goValue(us.rollingUpdate)}: only allowed for updateStrategy 'RollingUpdate'`);
  }
  errs.push(...nonNegative(us.rollingUpdate?.partition, 'spec.updateStrategy.rollingUpdate.partition'));
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.ordinals?.start, 'spec.ordinals.start'));
  for (const [k, v] of Object.entries(spec.persistentVolumeClaimRetentionPolicy ?? {})) {
    if (v !== 'Retain' && v !== 'Delete') errs.push(`spec.persistentVolumeClaimRetentionPolicy.${k}: Unsupported value: ${goString(String(v))}: supported values: "Retain", "Delete"`);
  }
  (spec.volumeClaimTemplates ?? []).forEach((t: any, i: number) => {
    if (!t?.metadata?.name) errs.push(`spec.volumeClaimTemplates[${i}].metadata.name: Required value`);
  });
  errs.push(...validateSelectorAndTemplate(spec, 'statefulset'));
  return errs;
}

/** ValidateStatefulSetUpdate: only these spec fields may change */
const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
export function validateStatefulSetUpdate(obj: KubeObject, old: KubeObject): string[] {
  const strip = (s: any) => {
    const c = { ...(s ?? {}) };
    for (const k of STS_MUTABLE) delete c[k];
    return canonical(c);
  };
  if (strip(obj.spec) !== strip(old.spec)) {
    return ["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"];
  }
  return [];
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as object).filter((k) => (v as any)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function validateDaemonSet(obj: KubeObject): string[] {
  const spec = obj.spec ?? {};
  const errs: string[] = [];
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const us = spec.updateStrategy ?? {};
  if (us.type !== undefined && us.type !== 'RollingUpdate' && us.type !== 'OnDelete') {
    errs.push(`spec.updateStrategy.type: Unsupported value: ${goString(String(us.type))}: supported values: "OnDelete", "RollingUpdate"`);
  }
  const ru = us.rollingUpdate;
  if (us.type === 'RollingUpdate' && ru) {
    // ValidateRollingUpdateDaemonSet: ints or percentages, not both zero
    const check = (v: unknown, f: string): number | undefined => {
      if (v === undefined) return undefined;
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
      if (typeof v === 'string' && /^[0-9]+%$/.test(v)) {
        const n = Number(v.slice(0, -1));
        if (n > 100) errs.push(`${f}: Invalid value: ${goString(v)}: must not be greater than 100%`);
        return n;
      }
      errs.push(`${f}: Invalid value: ${goValue(v)}: must be an integer or percentage (e.g '5%')`);
      return undefined;
    };
    const mu = check(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable');
    const ms = check(ru.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge');
    if (mu === 0 && (ms ?? 0) === 0) errs.push(`spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: ${goValue(ru.maxUnavailable)}: may not be 0 when \`maxSurge\` is 0`);
  }
  errs.push(...validateSelectorAndTemplate(spec, 'daemonset'));
  return errs;
}

/** ValidateDaemonSetUpdate: the selector is immutable */
export function validateDaemonSetUpdate(obj: KubeObject, old: KubeObject): string[] {
  if (JSON.stringify(obj.spec?.selector) !== JSON.stringify(old.spec?.selector)) {
    return [`spec.selector: Invalid value: ${goValue(obj.spec?.selector)}: field is immutable`];
  }
  return [];
}
