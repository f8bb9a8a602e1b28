// PersistentVolume, PersistentVolumeClaim and StorageClass at admission: defaults
// (pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolume/Claim, pkg/apis/storage/v1/defaults.go
// SetDefaults_StorageClass), the DefaultStorageClass admission plugin
// (plugin/pkg/admission/storage/storageclass/setdefault/admission.go with
// pkg/volume/util/storageclass.go GetDefaultClass), and the validation rules that matter for
// binding (pkg/apis/core/validation ValidatePersistentVolume/Claim(+Update), storage ValidateStorageClass).

import type { KubeObject } from '../api/types.js';
import { parseQuantity, QuantityError } from '../api/quantity.js';
import { parseTimestamp } from '../api/time.js';

export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** the deprecated beta annotation still wins over spec.storageClassName (storage/volume/helpers.go) */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const VOLUME_MODES = ['Block', 'Filesystem'];

interface Store {
  iterate(kind: string, namespace?: string): Iterable<KubeObject>;
}

export function defaultPersistentVolume(obj: KubeObject, update: boolean): void {
  const spec = (obj.spec ??= {});
  // manually created PVs keep their data unless told otherwise
  spec.persistentVolumeReclaimPolicy ??= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  obj.status ??= {};
  if (!update) obj.status.phase ??= 'Pending';
}

export function defaultPersistentVolumeClaim(obj: KubeObject, update: boolean): void {
  const spec = (obj.spec ??= {});
  spec.volumeMode ??= 'Filesystem';
  obj.status ??= {};
  if (!update) obj.status.phase ??= 'Pending';
}

export function defaultStorageClass(obj: KubeObject): void {
  obj.reclaimPolicy ??= 'Delete';
  obj.volumeBindingMode ??= 'Immediate';
}

function isDefaultClass(sc: KubeObject): boolean {
  const a = sc.metadata.annotations ?? {};
  return a[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

/** GetDefaultClass: of several default classes the newest wins, then the name ascending */
export function getDefaultClass(store: Store): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const sc of store.iterate('StorageClass')) {
    if (!isDefaultClass(sc)) continue;
    if (!best) {
      best = sc;
      continue;
    }
    const a = parseTimestamp(sc.metadata.creationTimestamp) ?? 0, b = parseTimestamp(best.metadata.creationTimestamp) ?? 0;
    if (a > b || (a === b && sc.metadata.name! < best.metadata.name!)) best = sc;
  }
  return best;
}

/** DefaultStorageClass admission (CREATE only): a claim with no class at all gets the default one */
export function admitClaimDefaultClass(store: Store, claim: KubeObject): void {
  const spec = (claim.spec ??= {});
  if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
  if (claim.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] !== undefined) return;
  const def = getDefaultClass(store);
  if (def) spec.storageClassName = def.metadata.name;
}

function storageOf(o: any): string | undefined {
  return o?.storage === undefined ? undefined : String(o.storage);
}

function validateAccessModes(modes: unknown, field: string): string[] {
  const errs: string[] = [];
  if (!Array.isArray(modes) || modes.length === 0) return [`${field}: Required value: at least 1 access mode is required`];
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m)) errs.push(`${field}: Unsupported value: ${JSON.stringify(m)}: supported values: ${ACCESS_MODES.map((x) => JSON.stringify(x)).join(', ')}`);
  }
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) errs.push(`${field}: Forbidden: may not use ReadWriteOncePod with other access modes`);
  return errs;
}

function validateQuantity(v: string | undefined, field: string, required: string): string[] {
  if (v === undefined) return [required];
  try {
    const q = parseQuantity(v);
    if (q.nano <= 0n) return [`${field}: Invalid value: ${JSON.stringify(v)}: must be greater than zero`];
  } catch (e) {
    if (e instanceof QuantityError) return [`${field}: Invalid value: ${JSON.stringify(v)}: ${e.detail}`];
    throw e;
  }
  return [];
}

/** ValidatePersistentVolume (the parts binding reads) */
export function validatePersistentVolume(obj: KubeObject): string[] {
  const spec = obj.spec ?? {};
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
  errs.push(...validateQuantity(storageOf(spec.capacity), 'spec.capacity[storage]', 'spec.capacity: Required value'));
  if (spec.persistentVolumeReclaimPolicy !== undefined && !RECLAIM_POLICIES.includes(spec.persistentVolumeReclaimPolicy)) {
    errs.push(`spec.persistentVolumeReclaimPolicy: Unsupported value: ${JSON.stringify(spec.persistentVolumeReclaimPolicy)}: supported values: ${RECLAIM_POLICIES.map((x) => JSON.stringify(x)).join(', ')}`);
  }
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode)) {
    errs.push(`spec.volumeMode: Unsupported value: ${JSON.stringify(spec.volumeMode)}: supported values: ${VOLUME_MODES.map((x) => JSON.stringify(x)).join(', ')}`);
  }
  return errs;
}

/** ValidatePersistentVolumeClaim (the parts binding reads) */
export function validatePersistentVolumeClaim(obj: KubeObject): string[] {
  const spec = obj.spec ?? {};
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
  errs.push(...validateQuantity(storageOf(spec.resources?.requests), 'spec.resources.requests[storage]', 'spec.resources[storage]: Required value'));
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode)) {
    errs.push(`spec.volumeMode: Unsupported value: ${JSON.stringify(spec.volumeMode)}: supported values: ${VOLUME_MODES.map((x) => JSON.stringify(x)).join(', ')}`);
  }
  return errs;
}

/**
 * ValidatePersistentVolumeClaimUpdate: the spec is immutable except resources.requests, a
 * volumeName set for the first time (binding) and a class set on a claim that had none
 * (RetroactiveDefaultStorageClass).
 */
export function validatePersistentVolumeClaimUpdate(obj: KubeObject, old: KubeObject): string[] {
  const a = structuredClone(old.spec ?? {}), b = structuredClone(obj.spec ?? {});
  for (const s of [a, b]) delete s.resources;
  if (!a.volumeName) a.volumeName = b.volumeName;
  if (a.storageClassName === undefined || a.storageClassName === null) a.storageClassName = b.storageClassName;
  for (const s of [a, b]) for (const k of Object.keys(s)) if (s[k] === undefined) delete s[k];
  if (JSON.stringify(sorted(a)) === JSON.stringify(sorted(b))) return [];
  return ['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'];
}

function sorted(o: Record<string, unknown>): unknown {
  return Object.keys(o).sort().map((k) => [k, o[k]]);
}

/** ValidateStorageClass / ValidateStorageClassUpdate (parameters, provisioner and reclaimPolicy are immutable) */
export function validateStorageClass(obj: KubeObject): string[] {
  const errs: string[] = [];
  if (!obj.provisioner) errs.push('provisioner: Required value');
  if (obj.reclaimPolicy !== undefined && !['Delete', 'Retain', 'Recycle'].includes(obj.reclaimPolicy as string)) {
    errs.push(`reclaimPolicy: Unsupported value: ${JSON.stringify(obj.reclaimPolicy)}: supported values: "Delete", "Retain"`);
  }
  if (obj.volumeBindingMode !== undefined && !BINDING_MODES.includes(obj.volumeBindingMode as string)) {
    errs.push(`volumeBindingMode: Unsupported value: ${JSON.stringify(obj.volumeBindingMode)}: supported values: ${BINDING_MODES.map((x) => JSON.stringify(x)).join(', ')}`);
  }
  return errs;
}

export function validateStorageClassUpdate(obj: KubeObject, old: KubeObject): string[] {
  const errs: string[] = [];
  if (JSON.stringify(obj.parameters ?? {}) !== JSON.stringify(old.parameters ?? {})) errs.push('parameters: Forbidden: updates to parameters are forbidden.');
  if (obj.provisioner !== old.provisioner) errs.push(`provisioner: Forbidden: updates to provisioner are forbidden.`);
  if (obj.reclaimPolicy !== old.reclaimPolicy) errs.push(`reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.`);
  if (obj.volumeBindingMode !== old.volumeBindingMode) errs.push(`volumeBindingMode: Invalid value: ${JSON.stringify(obj.volumeBindingMode)}: field is immutable`);
  return errs;
}

/**
 * The validate.ts entry for the storage kinds. A claim being created (not yet stored) first
 * passes DefaultStorageClass admission, which needs the stored StorageClasses.
 */
export function validateStorageObject(obj: KubeObject, api: { store: Store & { get(kind: string, ns: string | undefined, name: string): KubeObject | undefined } }): string[] {
  switch (obj.kind) {
    case 'PersistentVolume':
      return validatePersistentVolume(obj);
    case 'PersistentVolumeClaim':
      if (api?.store && !api.store.get('PersistentVolumeClaim', obj.metadata.namespace, obj.metadata.name!)) admitClaimDefaultClass(api.store, obj);
      return validatePersistentVolumeClaim(obj);
    case 'StorageClass':
      return validateStorageClass(obj);
  }
  return [];
}

export function validateStorageUpdate(obj: KubeObject, old: KubeObject): string[] {
  if (obj.kind === 'PersistentVolumeClaim') return validatePersistentVolumeClaimUpdate(obj, old);
  if (obj.kind === 'StorageClass') return validateStorageClassUpdate(obj, old);
  return [];
}
