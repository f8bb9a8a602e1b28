// VolumeBinding plugin (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go and
// binder.go): PreFilter rejects pods whose claims are missing, being deleted, lost, or unbound
// with an Immediate class (the PV controller must bind those first); claims of a
// WaitForFirstConsumer class are left to the scheduler, which records the chosen node on them
// (annotation volume.kubernetes.io/selected-node) in PreBind so the PV controller can bind or
// provision, and binds the pod only once every claim is bound (BindPodVolumes waits).

import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import { nodeSelectorTermsMatch } from './helpers.js';

export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
/** volume_binding.go ErrReasonNodeConflict (renamed in 1.33 to "node(s) didn't match PersistentVolume's node affinity") */
export const ERR_VOLUME_NODE_CONFLICT = 'node(s) had volume node affinity conflict';

export interface PodClaims {
  /** claims with spec.volumeName: their PV's node affinity is checked in Filter */
  bound: KubeObject[];
  /** unbound claims of a WaitForFirstConsumer class: annotated with the chosen node in PreBind */
  delayed: KubeObject[];
}

/** Claim names a pod uses: persistentVolumeClaim volumes and generic ephemeral volumes (<pod>-<volume>). */
function claimRefs(pod: KubeObject): { name: string; ephemeral: boolean }[] {
  const out: { name: string; ephemeral: boolean }[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v?.persistentVolumeClaim) out.push({ name: String(v.persistentVolumeClaim.claimName), ephemeral: false });
    else if (v?.ephemeral) out.push({ name: `${pod.metadata.name}-${v.name}`, ephemeral: true });
  }
  return out;
}

/** volume.IsDelayBindingMode: "" class or a missing class count as Immediate. */
function isDelayBinding(api: ApiServer, claim: KubeObject): boolean {
  const cls: string = claim.spec?.storageClassName ?? claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
  if (!cls) return false;
  return api.get('StorageClass', undefined, cls)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/**
 * PreFilter (podHasPVCs + GetPodVolumeClaims): a rejection message (UnschedulableAndUnresolvable)
 * or the pod's claims sorted into bound and delayed ones.
 */
export function volumeBindingPreFilter(api: ApiServer, pod: KubeObject): { message: string } | PodClaims {
  const out: PodClaims = { bound: [], delayed: [] };
  let unboundImmediate = false;
  for (const ref of claimRefs(pod)) {
    const pvc = api.get('PersistentVolumeClaim', pod.metadata.namespace, ref.name);
    if (!pvc) {
      return { message: ref.ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${ref.name}"` : `persistentvolumeclaim "${ref.name}" not found` };
    }
    if (pvc.status?.phase === 'Lost') return { message: `persistentvolumeclaim "${ref.name}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ''}"` };
    if (pvc.metadata.deletionTimestamp) return { message: `persistentvolumeclaim "${ref.name}" is being deleted` };
    if (pvc.spec?.volumeName) out.bound.push(pvc);
    else if (isDelayBinding(api, pvc)) out.delayed.push(pvc);
    else unboundImmediate = true;
  }
  if (unboundImmediate) return { message: ERR_UNBOUND_IMMEDIATE };
  return out;
}

/** Filter for bound claims (FindPodVolumes/checkBoundClaims): the PV's required node affinity. */
export function volumeBindingFilter(api: ApiServer, claims: PodClaims, node: KubeObject): string | undefined {
  for (const pvc of claims.bound) {
    const pv = api.get('PersistentVolume', undefined, pvc.spec.volumeName);
    const terms = pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms;
    if (terms && !nodeSelectorTermsMatch(terms, node)) return ERR_VOLUME_NODE_CONFLICT;
  }
  return undefined;
}

/** checkBindings: every claim the pod uses is bound (volumeName set and phase Bound). */
export function claimsBound(api: ApiServer, pod: KubeObject): boolean {
  for (const ref of claimRefs(pod)) {
    const pvc = api.get('PersistentVolumeClaim', pod.metadata.namespace, ref.name);
    if (!pvc || !pvc.spec?.volumeName || pvc.status?.phase !== 'Bound') return false;
  }
  return true;
}
