// Admission validation with upstream's field-error wording ("<field>: Invalid value: <v>: <detail>",
// "<field>: Required value", "<field>: Unsupported value: ...: supported values: ..."), from
// pkg/apis/core/validation/validation.go and pkg/apis/apps/validation/validation.go.
// Only the rules of the kinds modelled so far; fields the simulator does not model are kept
// and not validated (DESIGN §1.3).

import { cloneObject, isPlainObject, jsonEqual, jsonEqualExcept, jsonEqualMembers } from './clone.js';
import type { KubeObject } from './types.js';
import { isNamespacedKind } from './kinds.js';
import { validateObjectName, isQualifiedName, isValidLabelValue, isDNS1123Label } from './validation.js';
import { validatePodAffinities, validateTopologySpreadConstraints } from './podscheduling_validation.js';
import { selectorFromLabelSelector, selectorFromSet } from './labels.js';
import { admitService } from '../network/services.js';
import type { ApiServer } from './server.js';
import { validateDaemonSet, validateDaemonSetUpdate, validateStatefulSet, validateStatefulSetUpdate } from './stateful_daemon.js';
import { validateJob, validateJobUpdate } from '../controllers/job/registry.js';
import { validateCronJob } from '../controllers/cronjob/registry.js';
import { validateHorizontalPodAutoscaler } from '../controllers/podautoscaler/registry.js';
import { registerCrd, validateCrd, validateCustomObject } from './crd.js';
import { validatePodDisruptionBudget } from './pdb_validation.js';
import { validateConfigMap, validateSecret, validateConfigSecretUpdate } from './configsecret.js';
import { validateStorageObject, validateStorageUpdate } from '../storage/admission.js';
import { validatePriorityClass, validatePriorityClassUpdate } from '../admission/priority.js';

interface Ctx {
  get(kind: string, ns: string | undefined, name: string): KubeObject | undefined;
}

/**
 * `old`, on an update, is the stored version (same name and namespace): a part of the object that
 * is the stored object's own (an update shares what it did not change: ./clone.ts copySharing)
 * passed these same rules when it was written, and the rules below that read only that part
 * (names, label and annotation keys, a pod spec, a ReplicaSet's selector and template) are not
 * run on it again: they would find nothing.
 */
export function validateObject(obj: KubeObject, _ctx: Ctx, old?: KubeObject): string[] {
  const errs: string[] = [];
  const name = obj.metadata.name ?? '';
  if (!old) {
    for (const msg of validateObjectName(obj.kind, name)) errs.push(`metadata.name: Invalid value: ${goString(name)}: ${msg}`);
    if (isNamespacedKind(obj.kind) && obj.metadata.namespace) {
      for (const msg of isDNS1123Label(obj.metadata.namespace)) errs.push(`metadata.namespace: Invalid value: ${goString(obj.metadata.namespace)}: ${msg}`);
    }
  }
  if (obj.metadata.labels !== old?.metadata.labels || obj.metadata.labels === undefined) errs.push(...validateLabels(obj.metadata.labels, 'metadata.labels'));
  if (obj.metadata.annotations !== old?.metadata.annotations || obj.metadata.annotations === undefined) {
    for (const key of Object.keys(obj.metadata.annotations ?? {})) {
      for (const msg of isQualifiedName(key.toLowerCase())) errs.push(`metadata.annotations: Invalid value: ${goString(key)}: ${msg}`);
    }
  }
  const oldSpec = old && typeof old.spec === 'object' && old.spec !== null ? old.spec : undefined;
  switch (obj.kind) {
    case 'Pod':
      if (obj.spec !== oldSpec || oldSpec === undefined) errs.push(...validatePodSpec(obj.spec, 'spec'));
      break;
    case 'ReplicaSet':
      errs.push(...validateReplicaSetLike(obj, true, oldSpec));
      break;
    case 'ReplicationController':
      errs.push(...validateReplicaSetLike(obj, false, oldSpec));
      break;
    case 'Deployment':
      errs.push(...validateReplicaSetLike(obj, true, oldSpec), ...validateDeploymentSpec(obj.spec ?? {}));
      break;
    case 'Service':
      // validation and cluster IP / node port allocation (needs the API server's allocator state)
      errs.push(...admitService(_ctx as ApiServer, obj, errs.length));
      break;
    case 'StatefulSet':
      errs.push(...validateStatefulSet(obj));
      break;
    case 'DaemonSet':
      errs.push(...validateDaemonSet(obj));
      break;
    case 'Job':
      errs.push(...validateJob(obj));
      break;
    case 'CronJob':
      errs.push(...validateCronJob(obj));
      break;
    case 'HorizontalPodAutoscaler':
      errs.push(...validateHorizontalPodAutoscaler(obj));
      break;
    case 'PodDisruptionBudget':
      errs.push(...validatePodDisruptionBudget(obj));
      break;
    case 'ConfigMap':
      errs.push(...validateConfigMap(obj));
      break;
    case 'Secret':
      errs.push(...validateSecret(obj));
      break;
    case 'PersistentVolume':
    case 'PersistentVolumeClaim':
    case 'StorageClass':
      errs.push(...validateStorageObject(obj, _ctx as ApiServer));
      break;
    case 'PriorityClass':
      errs.push(...validatePriorityClass(obj));
      break;
    case 'CustomResourceDefinition': {
      const crdErrs = validateCrd(obj);
      errs.push(...crdErrs);
      if (crdErrs.length === 0) registerCrd(obj);
      break;
    }
    default:
      if ((_ctx as ApiServer).store) errs.push(...validateCustomObject((_ctx as ApiServer).store, obj));
  }
  return errs;
}

/**
 * Rules that compare the new object with the stored one. `specSame`, when the caller knows it,
 * is jsonEqual(old.spec, obj.spec).
 */
export function validateUpdate(obj: KubeObject, old: KubeObject, specSame?: boolean): string[] {
  const errs: string[] = [];
  // apps/v1 selectors are immutable (ValidateReplicaSetUpdate); the RC selector is mutable
  if ((obj.kind === 'ReplicaSet' || obj.kind === 'Deployment') && !jsonEqual(obj.spec?.selector, old.spec?.selector)) {
    errs.push(`spec.selector: Invalid value: ${goValue(obj.spec?.selector)}: field is immutable`);
  }
  if (obj.kind === 'StatefulSet') errs.push(...validateStatefulSetUpdate(obj, old));
  if (obj.kind === 'DaemonSet') errs.push(...validateDaemonSetUpdate(obj, old));
  if (obj.kind === 'Job') errs.push(...validateJobUpdate(obj, old));
  if (obj.kind === 'ConfigMap' || obj.kind === 'Secret') errs.push(...validateConfigSecretUpdate(obj, old));
  errs.push(...validateStorageUpdate(obj, old));
  if (obj.kind === 'PriorityClass') errs.push(...validatePriorityClassUpdate(obj, old));
  // equal specs stay equal once the same fields are left out of both: skip the two copies
  if (obj.kind === 'Pod' && !(specSame ?? jsonEqual(old.spec, obj.spec))) {
    // ValidatePodUpdate: only image, activeDeadlineSeconds, tolerations (additions) and a few more may change
    const fast = podSpecEqualExceptMutable(old.spec, obj.spec, !old.spec?.nodeName);
    if (fast !== undefined) {
      if (!fast) errs.push(POD_UPDATE_FORBIDDEN);
      return errs;
    }
    if (!podSpecsEqualByStrippedCopies(old.spec, obj.spec)) errs.push(POD_UPDATE_FORBIDDEN);
  }
  return errs;
}

const POD_UPDATE_FORBIDDEN = 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/**
 * ValidatePodUpdate's rule the slow way: both specs copied with the mutable fields (and every
 * container's image) left out, then compared as printed. The fallback of validateUpdate for specs
 * podSpecEqualExceptMutable cannot walk, and the reference its tests compare the walk with.
 */
export function podSpecsEqualByStrippedCopies(oldSpec: unknown, newSpec: unknown): boolean {
  const unbound = !(oldSpec as { nodeName?: unknown } | null | undefined)?.nodeName;
  const strip = (s: unknown) => {
    const c: any = cloneObject(s ?? {});
    for (const ct of [...(c.containers ?? []), ...(c.initContainers ?? [])]) delete ct.image;
    delete c.activeDeadlineSeconds;
    delete c.tolerations;
    delete c.terminationGracePeriodSeconds;
    if (unbound) delete c.nodeName;
    delete c.schedulingGates;
    return c;
  };
  return jsonEqual(strip(oldSpec), strip(newSpec));
}

/** the pod spec fields ValidatePodUpdate lets change (containers' images aside) */
const POD_MUTABLE = new Set(['activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds', 'schedulingGates']);
const POD_MUTABLE_UNBOUND = new Set([...POD_MUTABLE, 'nodeName']);

/**
 * The stripped-copy comparison of validateUpdate without the copies: whether the two pod specs
 * print the same once the mutable fields (and every container's image) are left out. Undefined
 * when a spec is not the plain shape the walk handles; the copies then decide, as before.
 */
export function podSpecEqualExceptMutable(a: unknown, b: unknown, unbound: boolean): boolean | undefined {
  const x = a ?? {}, y = b ?? {};
  if (!isPlainObject(x) || !isPlainObject(y) || !strippable(x) || !strippable(y)) return undefined;
  return jsonEqualMembers(x, y, unbound ? POD_MUTABLE_UNBOUND : POD_MUTABLE, (k, u, v) => {
    if ((k !== 'containers' && k !== 'initContainers') || !Array.isArray(u) || !Array.isArray(v)) return jsonEqual(u, v);
    if (u.length !== v.length) return false;
    for (let i = 0; i < u.length; i++) if (!jsonEqualExcept(u[i], v[i], 'image')) return false;
    return true;
  });
}

/** container lists absent or arrays of plain objects: what the copies' `delete ct.image` handles alike */
function strippable(spec: Record<string, unknown>): boolean {
  for (const list of [spec.containers, spec.initContainers]) {
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || !list.every(isPlainObject)) return false;
  }
  return true;
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
  errs.push(...validatePodAffinities(spec.affinity, `${field}.affinity`), ...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${field}.topologySpreadConstraints`));
  return errs;
}

/** `oldSpec`: the stored version's spec on an update (see validateObject) */
function validateReplicaSetLike(obj: KubeObject, apps: boolean, oldSpec?: any): string[] {
  const errs: string[] = [];
  const spec = obj.spec ?? {};
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    errs.push(`spec.replicas: Invalid value: ${goValue(spec.replicas)}: must be greater than or equal to 0`);
  }
  if (spec.minReadySeconds !== undefined && (!Number.isInteger(spec.minReadySeconds) || spec.minReadySeconds < 0)) {
    errs.push(`spec.minReadySeconds: Invalid value: ${goValue(spec.minReadySeconds)}: must be greater than or equal to 0`);
  }
  // the stored selector and template (both present: it passed) gave no error below
  if (oldSpec && spec.selector === oldSpec.selector && spec.template === oldSpec.template && spec.selector && spec.template) return errs;
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

/**
 * The Deployment-only rules of ValidateDeploymentSpec (pkg/apis/apps/validation/validation.go):
 * strategy (ValidateDeploymentStrategy, ValidateRollingUpdateDeployment), revisionHistoryLimit,
 * progressDeadlineSeconds > minReadySeconds. Selector, template and replicas are shared with
 * the ReplicaSet rules.
 */
function validateDeploymentSpec(spec: any): string[] {
  const errs: string[] = [];
  const strategy = spec.strategy ?? {};
  const f = 'spec.strategy';
  if (strategy.type === 'Recreate') {
    if (strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
      errs.push(`${f}.rollingUpdate: Forbidden: may not be specified when strategy \`type\` is 'Recreate'`);
    }
  } else if (strategy.type === 'RollingUpdate') {
    const ru = strategy.rollingUpdate;
    if (!ru) errs.push(`${f}.rollingUpdate: Required value: this should be defaulted and never be nil`);
    else {
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${f}.rollingUpdate.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${f}.rollingUpdate.maxSurge`));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(`${f}.rollingUpdate.maxUnavailable: Invalid value: ${goValue(ru.maxUnavailable)}: may not be 0 when \`maxSurge\` is 0`);
      }
      if (typeof ru.maxUnavailable === 'string' && (intOrPercentValue(ru.maxUnavailable) ?? 0) > 100) {
        errs.push(`${f}.rollingUpdate.maxUnavailable: Invalid value: ${goValue(ru.maxUnavailable)}: must not be greater than 100%`);
      }
    }
  } else {
    errs.push(`${f}.type: Unsupported value: ${goString(String(strategy.type))}: supported values: "Recreate", "RollingUpdate"`);
  }
  for (const k of ['revisionHistoryLimit', 'progressDeadlineSeconds']) {
    const v = spec[k];
    if (v !== undefined && v !== null && (!Number.isInteger(v) || v < 0)) errs.push(`spec.${k}: Invalid value: ${goValue(v)}: must be greater than or equal to 0`);
  }
  const pds = spec.progressDeadlineSeconds;
  if (Number.isInteger(pds) && pds <= (spec.minReadySeconds ?? 0)) {
    errs.push(`spec.progressDeadlineSeconds: Invalid value: ${goValue(pds)}: must be greater than minReadySeconds`);
  }
  return errs;
}

/** ValidatePositiveIntOrPercent */
function validatePositiveIntOrPercent(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    return /^[0-9]+%$/.test(v) ? [] : [`${field}: Invalid value: ${goValue(v)}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`];
  }
  if (typeof v === 'number' && Number.isInteger(v)) return v < 0 ? [`${field}: Invalid value: ${goValue(v)}: must be greater than or equal to 0`] : [];
  return [`${field}: Invalid value: ${goValue(v)}: must be an integer or percentage (e.g '5%')`];
}

/** getIntOrPercentValue: the number, or the percentage's number */
function intOrPercentValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = parseInt(v.replace(/%$/, ''), 10);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}
