// The API server's side of batch/v1 Job: defaulting (pkg/apis/batch/v1/defaults.go
// SetDefaults_Job), the registry strategy's generated selector (pkg/registry/batch/job/strategy.go
// generateSelector, run in Validate once the UID exists), and validation
// (pkg/apis/batch/validation/validation.go ValidateJob / ValidateGeneratedSelector) with
// upstream's messages. Only the rules of the fields the simulator models.

import type { KubeObject } from '../../api/types.js';
import { goString, goValue, validateLabels, validatePodSpec } from '../../api/validate.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { defaultPodSpec } from '../../api/defaults.js';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

/** SetDefaults_Job (+ the pod template's defaults) */
export function setDefaultsJobSpec(spec: any): void {
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex != null ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  // JobPodReplacementPolicy (beta, on since 1.29)
  spec.podReplacementPolicy ??= spec.podFailurePolicy != null ? 'Failed' : 'TerminatingOrFailed';
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const pc of rule.onPodConditions ?? []) pc.status ??= 'True';
  spec.manualSelector ??= false;
  if (spec.template) {
    spec.template.spec ??= {};
    defaultPodSpec(spec.template.spec);
  }
}

export function setDefaultsJob(obj: KubeObject): void {
  const spec = (obj.spec ??= {});
  setDefaultsJobSpec(spec);
}

/**
 * generateSelector (strategy.go) followed by SetDefaults_Job's label copy, which the API server
 * re-applies when it reads the object back: pods get job-name and controller-uid labels (both
 * spellings), the selector matches controller-uid, and a job without labels shows the template's.
 */
export function generateJobSelector(obj: KubeObject): void {
  const spec = obj.spec;
  if (!spec?.template || spec.manualSelector === true || !obj.metadata.uid) return;
  const meta = (spec.template.metadata ??= {});
  const labels: Record<string, string> = (meta.labels ??= {});
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[k] ??= obj.metadata.name!;
  for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[k] ??= obj.metadata.uid;
  spec.selector ??= {};
  spec.selector.matchLabels ??= {};
  spec.selector.matchLabels[CONTROLLER_UID_LABEL] ??= obj.metadata.uid;
  if (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0) obj.metadata.labels = { ...labels };
}

/** ValidateJob (create) */
export function validateJob(obj: KubeObject): string[] {
  const errs: string[] = [];
  if (!obj.spec?.manualSelector) generateJobSelector(obj);
  errs.push(...validateJobSpec(obj.spec ?? {}, 'spec', true));
  if (obj.spec?.manualSelector !== true && obj.spec?.selector) {
    // ValidateGeneratedSelector
    try {
      const sel = selectorFromLabelSelector(obj.spec.selector);
      if (!sel.matches({ [LEGACY_CONTROLLER_UID_LABEL]: obj.metadata.uid!, [CONTROLLER_UID_LABEL]: obj.metadata.uid! })) {
        errs.push(`spec.selector: Invalid value: ${goValue(obj.spec.selector)}: \`selector\` not auto-generated`);
      }
    } catch {
      /* reported by validateJobSpec */
    }
  }
  return errs;
}

const nonNegative = (errs: string[], v: unknown, f: string) => {
  if (v !== undefined && v !== null && (!Number.isInteger(v) || (v as number) < 0)) errs.push(`${f}: Invalid value: ${goValue(v)}: must be greater than or equal to 0`);
};

/** ValidateJobSpec / validateJobTemplate: `selectorRequired` is false inside a CronJob's jobTemplate */
export function validateJobSpec(spec: any, f: string, selectorRequired: boolean): string[] {
  const errs: string[] = [];
  nonNegative(errs, spec.parallelism, `${f}.parallelism`);
  nonNegative(errs, spec.completions, `${f}.completions`);
  nonNegative(errs, spec.backoffLimit, `${f}.backoffLimit`);
  nonNegative(errs, spec.ttlSecondsAfterFinished, `${f}.ttlSecondsAfterFinished`);
  if (spec.activeDeadlineSeconds != null && (!Number.isInteger(spec.activeDeadlineSeconds) || spec.activeDeadlineSeconds <= 0)) {
    errs.push(`${f}.activeDeadlineSeconds: Invalid value: ${goValue(spec.activeDeadlineSeconds)}: must be greater than 0`);
  }
  if (spec.completionMode != null && spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
    errs.push(`${f}.completionMode: Unsupported value: ${goString(String(spec.completionMode))}: supported values: "NonIndexed", "Indexed"`);
  }
  if (spec.completionMode === 'Indexed' && spec.completions == null) errs.push(`${f}.completions: Required value: when completion mode is Indexed`);
  if (spec.podReplacementPolicy != null && !['Failed', 'TerminatingOrFailed'].includes(spec.podReplacementPolicy)) {
    errs.push(`${f}.podReplacementPolicy: Unsupported value: ${goString(String(spec.podReplacementPolicy))}: supported values: "Failed", "TerminatingOrFailed"`);
  }
  const templateLabels = spec.template?.metadata?.labels ?? {};
  if (selectorRequired) {
    if (!spec.selector) errs.push(`${f}.selector: Required value`);
    else {
      try {
        const sel = selectorFromLabelSelector(spec.selector);
        if (!sel.matches(templateLabels)) errs.push(`${f}.template.metadata.labels: Invalid value: ${goValue(templateLabels)}: \`selector\` does not match template \`labels\``);
      } catch (e) {
        errs.push(`${f}.selector: Invalid value: ${goValue(spec.selector)}: ${(e as Error).message}`);
      }
    }
  }
  if (!spec.template) {
    errs.push(`${f}.template: Required value`);
    return errs;
  }
  errs.push(...validateLabels(templateLabels, `${f}.template.metadata.labels`));
  errs.push(...validatePodSpec(spec.template.spec, `${f}.template.spec`));
  // SetDefaults_PodSpec makes an unset restartPolicy Always, so both mean "not given"
  const rp = spec.template.spec?.restartPolicy;
  if (rp === 'Always' || rp === undefined || rp === '') errs.push(`${f}.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`);
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(`${f}.template.spec.restartPolicy: Unsupported value: ${goString(rp)}: supported values: "OnFailure", "Never"`);
  else if (spec.podFailurePolicy != null && rp !== 'Never') errs.push(`${f}.template.spec.restartPolicy: Invalid value: ${goString(rp)}: only "Never" is supported when podFailurePolicy is specified`);
  return errs;
}

/** ValidateJobUpdate: the fields that cannot change */
export function validateJobUpdate(obj: KubeObject, old: KubeObject): string[] {
  const errs: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(obj.spec?.selector, old.spec?.selector)) errs.push(`spec.selector: Invalid value: ${goValue(obj.spec?.selector)}: field is immutable`);
  if (obj.spec?.completionMode !== 'Indexed' && !same(obj.spec?.completions, old.spec?.completions)) {
    errs.push(`spec.completions: Invalid value: ${goValue(obj.spec?.completions)}: field is immutable`);
  }
  if (!same(obj.spec?.completionMode, old.spec?.completionMode)) errs.push(`spec.completionMode: Invalid value: ${goValue(obj.spec?.completionMode)}: field is immutable`);
  // the pod template may change only while the job is suspended (mutable scheduling directives)
  if (!old.spec?.suspend && !same(obj.spec?.template, old.spec?.template)) errs.push(`spec.template: Invalid value: ${goValue(obj.spec?.template)}: field is immutable`);
  return errs;
}
