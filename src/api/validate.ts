// Admission validation with upstream's field-error wording ("<field>: Invalid value: <v>: <detail>",
// "<field>: Required value", "<field>: Unsupported value: ...: supported values: ..."), from
// pkg/apis/core/validation/validation.go and pkg/apis/apps/validation/validation.go.
// Only the rules of the kinds modelled so far; fields the simulator does not model are kept
// and not validated (DESIGN §1.3).

import type { KubeObject } from './types.js';
import { isNamespacedKind } from './kinds.js';
import { validateObjectName, isQualifiedName, isValidLabelValue, isDNS1123Label } from './validation.js';
import { selectorFromLabelSelector, selectorFromSet } from './labels.js';

interface Ctx {
  get(kind: string, ns: string | undefined, name: string): KubeObject | undefined;
}

export function validateObject(obj: KubeObject, _ctx: Ctx): string[] {
  const errs: string[] = [];
  const name = obj.metadata.name ?? '';
  for (const msg of validateObjectName(obj.kind, name)) errs.push(`metadata.name: Invalid value: ${goString(name)}: ${msg}`);
  if (isNamespacedKind(obj.kind) && obj.metadata.namespace) {
    for (const msg of isDNS1123Label(obj.metadata.namespace)) errs.push(`metadata.namespace: Invalid value: ${goString(obj.metadata.namespace)}: ${msg}`);
  }
  errs.push(...validateLabels(obj.metadata.labels, 'metadata.labels'));
  for (const key of Object.keys(obj.metadata.annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(`metadata.annotations: Invalid value: ${goString(key)}: ${msg}`);
  }
  switch (obj.kind) {
    case 'Pod':
      errs.push(...validatePodSpec(obj.spec, 'spec'));
      break;
    case 'ReplicaSet':
      errs.push(...validateReplicaSetLike(obj, true));
      break;
    case 'ReplicationController':
      errs.push(...validateReplicaSetLike(obj, false));
      break;
  }
  return errs;
}

/** Rules that compare the new object with the stored one. */
export function validateUpdate(obj: KubeObject, old: KubeObject): string[] {
  const errs: string[] = [];
  // apps/v1 selectors are immutable (ValidateReplicaSetUpdate); the RC selector is mutable
  if (obj.kind === 'ReplicaSet' && JSON.stringify(obj.spec?.selector) !== JSON.stringify(old.spec?.selector)) {
    errs.push(`spec.selector: Invalid value: ${goValue(obj.spec?.selector)}: field is immutable`);
  }
  if (obj.kind === 'Pod') {
    // ValidatePodUpdate: only image, activeDeadlineSeconds, tolerations (additions) and a few more may change
    const strip = (s: any) => {
      const c = structuredClone(s ?? {});
      for (const ct of [...(c.containers ?? []), ...(c.initContainers ?? [])]) delete ct.image;
      delete c.activeDeadlineSeconds;
      delete c.tolerations;
      delete c.terminationGracePeriodSeconds;
      if (!old.spec?.nodeName) delete c.nodeName;
      delete c.schedulingGates;
      return c;
    };
    const a = strip(old.spec), b = strip(obj.spec);
    if (!old.spec?.nodeName) delete a.nodeName;
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      errs.push('spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)');
    }
  }
  return errs;
}

export function validateLabels(labels: Record<string, string> | undefined, field: string): string[] {
  const errs: string[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(`${field}: Invalid value: ${goString(k)}: ${msg}`);
    if (typeof v !== 'string') {
      errs.push(`${field}: Invalid value: ${goValue(v)}: label values must be strings`);
      continue;
    }
    for (const msg of isValidLabelValue(v)) errs.push(`${field}: Invalid value: ${goString(v)}: ${msg}`);
  }
  return errs;
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

export function validatePodSpec(spec: any, field: string): string[] {
  const errs: string[] = [];
  if (!spec || typeof spec !== 'object') return [`${field}: Required value`];
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) errs.push(`${field}.containers: Required value`);
  const names = new Set<string>();
  const check = (list: any, listField: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((c: any, i: number) => {
      const f = `${field}.${listField}[${i}]`;
      if (!c?.name) errs.push(`${f}.name: Required value`);
      else {
        for (const msg of isDNS1123Label(c.name)) errs.push(`${f}.name: Invalid value: ${goString(c.name)}: ${msg}`);
        if (names.has(c.name)) errs.push(`${f}.name: Duplicate value: ${goString(c.name)}`);
        names.add(c.name);
      }
      if (!c?.image) errs.push(`${f}.image: Required value`);
      if (c?.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy)) {
        errs.push(`${f}.imagePullPolicy: Unsupported value: ${goString(String(c.imagePullPolicy))}: supported values: ${PULL_POLICIES.map(goString).join(', ')}`);
      }
      (c?.ports ?? []).forEach((p: any, j: number) => {
        const port = p?.containerPort;
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
          errs.push(`${f}.ports[${j}].containerPort: Invalid value: ${goValue(port)}: must be between 1 and 65535, inclusive`);
        }
      });
    });
  };
  check(spec.initContainers, 'initContainers');
  check(containers, 'containers');
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    errs.push(`${field}.restartPolicy: Unsupported value: ${goString(String(spec.restartPolicy))}: supported values: ${RESTART_POLICIES.map(goString).join(', ')}`);
  }
  if (spec.terminationGracePeriodSeconds !== undefined && !(Number.isInteger(spec.terminationGracePeriodSeconds))) {
    errs.push(`${field}.terminationGracePeriodSeconds: Invalid value: ${goValue(spec.terminationGracePeriodSeconds)}: must be an integer`);
  }
  errs.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  return errs;
}

function validateReplicaSetLike(obj: KubeObject, apps: boolean): string[] {
  const errs: string[] = [];
  const spec = obj.spec ?? {};
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    errs.push(`spec.replicas: Invalid value: ${goValue(spec.replicas)}: must be greater than or equal to 0`);
  }
  if (spec.minReadySeconds !== undefined && (!Number.isInteger(spec.minReadySeconds) || spec.minReadySeconds < 0)) {
    errs.push(`spec.minReadySeconds: Invalid value: ${goValue(spec.minReadySeconds)}: must be greater than or equal to 0`);
  }
  const templateLabels = spec.template?.metadata?.labels ?? {};
  let selectorMatches = true;
  if (apps) {
    // ValidateReplicaSetSpec: a non-empty selector is required and must match the template
    if (!spec.selector) errs.push('spec.selector: Required value');
    else {
      try {
        const sel = selectorFromLabelSelector(spec.selector);
        // upstream's ReplicaSet validation reuses the Deployment wording verbatim
        if (sel.empty()) errs.push(`spec.selector: Invalid value: ${goValue(spec.selector)}: empty selector is invalid for deployment`);
        else selectorMatches = sel.matches(templateLabels);
      } catch (e) {
        errs.push(`spec.selector: Invalid value: ${goValue(spec.selector)}: ${(e as Error).message}`);
        selectorMatches = true;
      }
    }
  } else if (spec.selector && Object.keys(spec.selector).length) {
    errs.push(...validateLabels(spec.selector, 'spec.selector'));
    selectorMatches = selectorFromSet(spec.selector).matches(templateLabels);
  } else {
    errs.push('spec.selector: Required value');
  }
  if (!spec.template) {
    errs.push('spec.template: Required value');
    return errs;
  }
  if (!selectorMatches) {
    errs.push(`spec.template.metadata.labels: Invalid value: ${goValue(templateLabels)}: \`selector\` does not match template \`labels\``);
  }
  errs.push(...validateLabels(templateLabels, 'spec.template.metadata.labels'));
  errs.push(...validatePodSpec(spec.template.spec, 'spec.template.spec'));
  // ValidatePodTemplateSpecForReplicaSet: replicated pods must restart Always
  const rp = spec.template.spec?.restartPolicy;
  if (rp !== undefined && rp !== 'Always') {
    errs.push(`spec.template.spec.restartPolicy: Unsupported value: ${goString(rp)}: supported values: "Always"`);
  }
  return errs;
}

/** Go's %q of a string, as field errors print values. */
export function goString(s: string): string {
  return JSON.stringify(s);
}

/**
 * A value in a field error. Since v1.34 the apiserver prints values as JSON (before, Go syntax
 * such as map[string]string{...}); we print the current form.
 */
export function goValue(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}
