// CustomResourceDefinitions (apiextensions.k8s.io/v1, staging/src/k8s.io/apiextensions-apiserver):
// a stored CRD makes its kind servable (scope registered for the store and kubectl), a custom
// object of a kind no CRD serves is rejected as kubectl's REST mapping rejects it ("no matches
// for kind"), and a version's openAPIV3Schema validates custom objects with kube-openapi's
// messages ("spec.size in body must be of type integer"). There is no controller behind a
// custom kind; CRD conversion webhooks, CEL rules and status subresources are not modelled.

import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import type { KubeObject } from './types.js';
import { ApiError } from './errors.js';
import { goString, goValue } from './validate.js';
import { registerCustomKind } from './kinds.js';
import { listResources, resolveResource, type ResourceInfo } from '../kubectl/resources.js';

export class NoKindMatchError extends ApiError {
  constructor(
    readonly kind: string,
    readonly apiVersion: string,
  ) {
    super('NotFound', `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`);
  }
}

/** Built-in versions removed before 1.30 that users still copy from old examples. */
const REMOVED_VERSIONS = new Set([
  'apps/v1beta1', 'apps/v1beta2', 'batch/v1beta1', 'policy/v1beta1', 'autoscaling/v2beta1', 'autoscaling/v2beta2',
  'networking.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1beta1', 'apiextensions.k8s.io/v1beta1', 'discovery.k8s.io/v1beta1',
  'scheduling.k8s.io/v1beta1', 'coordination.k8s.io/v1beta1',
]);

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const versionOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion);

interface Store {
  iterate(kind: string, namespace?: string): Iterable<KubeObject>;
}

/**
 * The groups serving a built-in kind, in discovery order (empty for a custom kind): the list of
 * built-in resources never changes, so it is grouped by kind once instead of filtered per write.
 */
function builtinGroups(kind: string): readonly string[] {
  if (!groupsByKind) {
    groupsByKind = new Map();
    for (const r of listResources()) {
      const g = groupsByKind.get(r.kind);
      if (g) g.push(r.group);
      else groupsByKind.set(r.kind, [r.group]);
    }
  }
  return groupsByKind.get(kind) ?? NO_GROUPS;
}
let groupsByKind: Map<string, string[]> | undefined;
const NO_GROUPS: readonly string[] = [];

/** The CRD (and version) serving apiVersion/kind, if any. */
export function findCrd(store: Store, apiVersion: string, kind: string): { crd: KubeObject; version: any } | undefined {
  const group = groupOf(apiVersion), version = versionOf(apiVersion);
  for (const crd of store.iterate('CustomResourceDefinition')) {
    if (crd.spec?.group !== group || crd.spec?.names?.kind !== kind || crd.metadata.deletionTimestamp) continue;
    const v = (crd.spec.versions ?? []).find((x: any) => x.name === version && x.served !== false);
    if (v) return { crd, version: v };
  }
  return undefined;
}

/**
 * The REST mapping check kubectl makes before it sends an object: a built-in kind in one of its
 * groups, or a kind a CRD serves in that group/version. Built-in kinds the simulator does not
 * model are still storable.
 */
export function checkKindServed(store: Store, obj: KubeObject): ApiError | undefined {
  if (!obj.apiVersion || !obj.kind) return undefined;
  const groups = builtinGroups(obj.kind);
  if (groups.length && groups.includes(groupOf(obj.apiVersion)) && !REMOVED_VERSIONS.has(obj.apiVersion)) return undefined;
  if (findCrd(store, obj.apiVersion, obj.kind)) return undefined;
  return new NoKindMatchError(obj.kind, obj.apiVersion);
}

/** ValidateCustomResourceDefinition: the fields a CRD needs to serve its kind */
export function validateCrd(crd: KubeObject): string[] {
  const errs: string[] = [];
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  if (!spec.group) errs.push('spec.group: Required value');
  if (!names.plural) errs.push('spec.names.plural: Required value');
  if (!names.kind) errs.push('spec.names.kind: Required value');
  if (names.listKind === undefined && names.kind) names.listKind = `${names.kind}List`;
  if (spec.group && names.plural && crd.metadata.name !== `${names.plural}.${spec.group}`) {
    errs.push(`metadata.name: Invalid value: ${goString(crd.metadata.name ?? '')}: must be spec.names.plural+"."+spec.group`);
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') errs.push(`spec.scope: Unsupported value: ${goString(String(spec.scope ?? ''))}: supported values: "Cluster", "Namespaced"`);
  const versions: any[] = spec.versions ?? [];
  if (versions.length === 0) errs.push('spec.versions: Invalid value: null: must have exactly one version marked as storage version');
  else if (versions.filter((v) => v.storage === true).length !== 1) errs.push(`spec.versions: Invalid value: ${goValue(versions.map((v) => v.name))}: must have exactly one version marked as storage version`);
  return errs;
}

/** Called when a CRD passes validation: its kind's scope becomes known to the store and kubectl. */
export function registerCrd(crd: KubeObject): void {
  const kind = crd.spec?.names?.kind;
  if (kind) registerCustomKind(kind, crd.spec.scope !== 'Cluster');
}

/** The ResourceInfo kubectl's discovery would list for a CRD (its storage version). */
export function crdResource(crd: KubeObject): ResourceInfo | undefined {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  if (!spec.group || !names.kind || !names.plural) return undefined;
  const v = (spec.versions ?? []).find((x: any) => x.storage) ?? (spec.versions ?? [])[0];
  const version = v?.name ?? 'v1';
  return {
    kind: names.kind,
    apiVersion: `${spec.group}/${version}`,
    group: spec.group,
    version,
    plural: String(names.plural).toLowerCase(),
    singular: String(names.singular ?? names.kind).toLowerCase(),
    shortNames: (names.shortNames ?? []).map((s: string) => String(s).toLowerCase()),
    namespaced: spec.scope !== 'Cluster',
  };
}

/** A kubectl resource resolver that also knows the given CRDs' plural, singular and short names. */
export function resolverWithCrds(crds: KubeObject[]): (word: string) => ResourceInfo | undefined {
  const extra = crds.map(crdResource).filter((r): r is ResourceInfo => !!r);
  if (extra.length === 0) return (w) => resolveResource(w);
  const all = [...listResources(), ...extra];
  return (w) => resolveResource(w, all);
}

// ---- schema validation -----------------------------------------------------------------------

// ajv is loaded when the first custom object is validated: it is a large module (~30 ms of every
// process start and worker) and most runs have no CRD
let ajv: Ajv | undefined;
const requireHere = createRequire(import.meta.url);
const customObjectAjv = (): Ajv => (ajv ??= new (requireHere('ajv') as typeof import('ajv')).Ajv({ strict: false, allErrors: true, validateFormats: false, verbose: true }));
const compiled = new Map<string, ValidateFunction>();

/** Validate a custom object against its CRD version's openAPIV3Schema; upstream field errors. */
export function validateCustomObject(store: Store, obj: KubeObject): string[] {
  if (builtinGroups(obj.kind).length) return [];
  const found = findCrd(store, obj.apiVersion, obj.kind);
  const schema = found?.version?.schema?.openAPIV3Schema;
  if (!found || !schema) return [];
  const key = `${found.crd.metadata.uid}/${found.crd.metadata.resourceVersion}/${found.version.name}`;
  let validate = compiled.get(key);
  if (!validate) {
    const s = structuredClone(schema);
    // apiVersion, kind and metadata are the API server's own business
    for (const k of ['apiVersion', 'kind', 'metadata']) delete s.properties?.[k];
    validate = customObjectAjv().compile(s);
    compiled.set(key, validate);
  }
  const { metadata: _m, ...body } = obj;
  if (validate(body)) return [];
  return (validate.errors ?? []).map(fieldError).filter((e): e is string => !!e);
}

function fieldPath(instancePath: string): string {
  let out = '';
  for (const seg of instancePath.split('/').slice(1)) {
    const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  }
  return out;
}

function goType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** kube-openapi's validation messages, as the apiextensions-apiserver returns them */
function fieldError(e: ErrorObject): string | undefined {
  const path = fieldPath(e.instancePath);
  const v = e.data;
  const at = path || '<root>';
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as any).missingProperty;
      return `${path ? `${path}.` : ''}${missing}: Required value`;
    }
    case 'type':
      return `${at}: Invalid value: ${goString(goType(v))}: ${at} in body must be of type ${(e.params as any).type}: ${goString(goType(v))}`;
    case 'enum':
      return `${at}: Unsupported value: ${goValue(v)}: supported values: ${((e.params as any).allowedValues as unknown[]).map((x) => goValue(x)).join(', ')}`;
    case 'minimum':
      return `${at}: Invalid value: ${goValue(v)}: ${at} in body should be greater than or equal to ${(e.params as any).limit}`;
    case 'maximum':
      return `${at}: Invalid value: ${goValue(v)}: ${at} in body should be less than or equal to ${(e.params as any).limit}`;
    case 'exclusiveMinimum':
      return `${at}: Invalid value: ${goValue(v)}: ${at} in body should be greater than ${(e.params as any).limit}`;
    case 'exclusiveMaximum':
      return `${at}: Invalid value: ${goValue(v)}: ${at} in body should be less than ${(e.params as any).limit}`;
    case 'pattern':
      return `${at}: Invalid value: ${goValue(v)}: ${at} in body should match '${(e.params as any).pattern}'`;
    case 'minLength':
      return `${at}: Invalid value: ${goValue(v)}: ${at} in body should be at least ${(e.params as any).limit} chars long`;
    case 'maxLength':
      return `${at}: Too long: may not be more than ${(e.params as any).limit} bytes`;
    case 'minItems':
      return `${at}: Invalid value: ${(v as unknown[]).length}: ${at} in body should have at least ${(e.params as any).limit} items`;
    case 'maxItems':
      return `${at}: Too many: ${(v as unknown[]).length}: must have at most ${(e.params as any).limit} items`;
    default:
      return `${at}: Invalid value: ${goValue(v)}: ${e.message ?? e.keyword}`;
  }
}

/**
 * The CRDs a scenario declares (manifests and inline step objects), so that kubectl lines and
 * expectations can name their plural, singular and short names when the scenario is compiled.
 */
export function scenarioCrds(manifests: { object: KubeObject }[], rawSteps: any[]): KubeObject[] {
  const out: KubeObject[] = [];
  const add = (o: any) => {
    if (o && o.kind === 'CustomResourceDefinition') out.push(o);
  };
  for (const m of manifests) add(m.object);
  for (const s of rawSteps ?? []) {
    for (const verb of ['apply', 'create']) {
      const a = s?.[verb];
      if (!a) continue;
      add(a.object);
      for (const o of a.objects ?? []) add(o);
    }
  }
  return out;
}
