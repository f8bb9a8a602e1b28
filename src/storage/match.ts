// Choosing a PersistentVolume for an unbound claim, as the PV controller's index does
// (pkg/controller/volume/persistentvolume/index.go findByClaim / findBestMatchForClaim,
// allPossibleMatchingAccessModes) with component-helpers storage/volume/pv_helpers.go
// FindMatchingVolume and CheckVolumeModeMismatches: among the access-mode sets that cover the
// claim, fewest modes first; within a set, a PV pre-bound to the claim wins outright, otherwise
// the smallest Available PV that fits, matches the class and the claim's selector.

import type { KubeObject } from '../api/types.js';
import { parseQuantity } from '../api/quantity.js';
import { selectorFromLabelSelector, type Selector } from '../api/labels.js';
import { BETA_STORAGE_CLASS_ANNOTATION } from './admission.js';

/** GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else "" */
export function claimClass(claim: KubeObject): string {
  const a = claim.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  if (a !== undefined) return a;
  return claim.spec?.storageClassName ?? '';
}

/** GetPersistentVolumeClass */
export function volumeClass(pv: KubeObject): string {
  const a = pv.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  if (a !== undefined) return a;
  return pv.spec?.storageClassName ?? '';
}

export function storageBytes(v: unknown): bigint {
  if (v === undefined || v === null) return 0n;
  try {
    return parseQuantity(String(v)).nano;
  } catch {
    return 0n;
  }
}

export function volumeCapacity(pv: KubeObject): bigint {
  return storageBytes(pv.spec?.capacity?.storage);
}

export function claimRequest(claim: KubeObject): bigint {
  return storageBytes(claim.spec?.resources?.requests?.storage);
}

function modeKey(modes: string[]): string {
  return [...new Set(modes)].sort().join(',');
}

/** CheckVolumeModeMismatches: an unset mode is Filesystem on both sides */
export function volumeModeMismatch(claim: KubeObject, pv: KubeObject): boolean {
  return (claim.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');
}

/** CheckAccessModes: every mode the claim asks for is offered by the volume */
export function accessModesCover(pvModes: string[], claimModes: string[]): boolean {
  return claimModes.every((m) => pvModes.includes(m));
}

/** claimRef points at this claim (namespace+name, and the uid when the ref carries one) */
export function isVolumeBoundToClaim(pv: KubeObject, claim: KubeObject): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || (ref.namespace ?? '') !== (claim.metadata.namespace ?? '')) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/**
 * What FindMatchingVolume reads of the claim once: its storage request and label selector
 * (undefined: no selector). undefined when the selector is invalid, so no volume matches.
 */
export function claimMatchInputs(claim: KubeObject): { request: bigint; selector: Selector | undefined } | undefined {
  try {
    return { request: claimRequest(claim), selector: claim.spec?.selector ? selectorFromLabelSelector(claim.spec.selector) : undefined };
  } catch {
    return undefined;
  }
}

/**
 * The checks FindMatchingVolume applies to every volume first, with or without a node (the PV
 * controller's and the scheduler's path): not bound to another claim, at least the request,
 * the same volumeMode, not being deleted.
 */
export function volumeMayServe(pv: KubeObject, claim: KubeObject, request: bigint, size: bigint = volumeCapacity(pv)): boolean {
  if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, claim)) return false;
  return size >= request && !volumeModeMismatch(claim, pv) && !pv.metadata.deletionTimestamp;
}

/** FindMatchingVolume over PVs with one access-mode set */
export function findMatchingVolume(claim: KubeObject, volumes: KubeObject[], delayBinding: boolean): KubeObject | undefined {
  const cls = claimClass(claim);
  const inputs = claimMatchInputs(claim);
  if (!inputs) return undefined;
  const { request, selector } = inputs;
  let smallest: KubeObject | undefined;
  let smallestSize = 0n;
  for (const pv of volumes) {
    const size = volumeCapacity(pv);
    if (!volumeMayServe(pv, claim, request, size)) continue;
    if ((claim.spec?.volumeAttributesClassName ?? '') !== (pv.spec?.volumeAttributesClassName ?? '')) continue;
    // a PV pre-bound to this claim wins regardless of size, phase or class
    if (isVolumeBoundToClaim(pv, claim)) return pv;
    // with WaitForFirstConsumer the scheduler, not the controller, picks unbound volumes
    if (delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(pv.metadata.labels ?? {})) continue;
    if (volumeClass(pv) !== cls) continue;
    if (!smallest || size < smallestSize) {
      smallest = pv;
      smallestSize = size;
    }
  }
  return smallest;
}

/** findBestMatchForClaim: access-mode sets that cover the claim, fewest modes first */
export function findBestMatchForClaim(claim: KubeObject, volumes: KubeObject[], delayBinding: boolean): KubeObject | undefined {
  const claimModes: string[] = claim.spec?.accessModes ?? [];
  const bySet = new Map<string, KubeObject[]>();
  for (const pv of volumes) {
    const k = modeKey(pv.spec?.accessModes ?? []);
    let l = bySet.get(k);
    if (!l) bySet.set(k, (l = []));
    l.push(pv);
  }
  const sets = [...bySet.keys()]
    .filter((k) => accessModesCover(k ? k.split(',') : [], claimModes))
    .sort((a, b) => (a ? a.split(',').length : 0) - (b ? b.split(',').length : 0) || (a < b ? -1 : a > b ? 1 : 0));
  for (const k of sets) {
    const found = findMatchingVolume(claim, bySet.get(k)!, delayBinding);
    if (found) return found;
  }
  return undefined;
}

/**
 * checkVolumeSatisfyClaim (pv_controller.go): why a pre-bound claim cannot take the volume it
 * names, or undefined when it can.
 */
export function checkVolumeSatisfyClaim(pv: KubeObject, claim: KubeObject): string | undefined {
  if (pv.metadata.deletionTimestamp) return `the volume is marked for deletion "${pv.metadata.name}"`;
  if (volumeCapacity(pv) < claimRequest(claim)) return 'requested PV is too small';
  if (volumeClass(pv) !== claimClass(claim)) return 'storageClassName does not match';
  if (volumeModeMismatch(claim, pv)) return 'incompatible volumeMode';
  if (!accessModesCover(pv.spec?.accessModes ?? [], claim.spec?.accessModes ?? [])) return 'incompatible accessMode';
  return undefined;
}
