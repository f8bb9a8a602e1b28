// VolumeBinding plugin (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go and
// binder.go): PreFilter rejects pods whose claims are missing, being deleted, lost, or unbound
// with an Immediate class (the PV controller must bind those first); claims of a
// WaitForFirstConsumer class are left to the scheduler, which records the chosen node on them
// (annotation volume.kubernetes.io/selected-node) in PreBind so the PV controller can bind or
// provision, and binds the pod only once every claim is bound (BindPodVolumes waits). For a
// delayed claim the scheduler also looks for a static PV (a local PV with node affinity): a node
// is feasible when such a PV fits it or the class can provision there, and the chosen PV is
// bound to the claim in PreBind (binder.go FindPodVolumes / AssumePodVolumes / BindPodVolumes).

import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import { nodeSelectorTermsMatch } from './helpers.js';
import { ApiError } from '../api/errors.js';
import { accessModesCover, claimClass, claimMatchInputs, isVolumeBoundToClaim, volumeCapacity, volumeClass, volumeMayServe } from '../storage/match.js';
import { ANN_BOUND_BY_CONTROLLER, NO_PROVISIONER } from '../storage/pv_controller.js';

export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
/** volume_binding.go ErrReasonNodeConflict (renamed in 1.33 to "node(s) didn't match PersistentVolume's node affinity") */
export const ERR_VOLUME_NODE_CONFLICT = 'node(s) had volume node affinity conflict';

/** volume_binding.go ErrReasonBindConflict: no static PV fits on the node and none can be provisioned there */
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";

export interface PodClaims {
  /** claims with spec.volumeName: their PV's node affinity is checked in Filter */
  bound: KubeObject[];
  /** unbound claims of a WaitForFirstConsumer class: matched to a static PV or provisioned on the chosen node */
  delayed: KubeObject[];
  /** PersistentVolumes of the delayed claims' classes (the binder's pvCache by class), read once per attempt */
  candidates?: Map<string, KubeObject[]>;
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
  if (out.delayed.length > 0) {
    const classes = new Set(out.delayed.map(claimClass));
    out.candidates = new Map([...classes].map((c) => [c, [] as KubeObject[]]));
    for (const pv of api.store.iterate('PersistentVolume')) out.candidates.get(volumeClass(pv))?.push(pv);
  }
  return out;
}

/** CheckNodeAffinity (component-helpers storage/volume): the PV's required node affinity, if any. */
function pvFitsNode(pv: KubeObject, node: KubeObject): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  return !terms || nodeSelectorTermsMatch(terms, node);
}

/** Filter (FindPodVolumes): bound claims' PVs must fit the node; delayed claims need a static PV or a provisioner there. */
export function volumeBindingFilter(api: ApiServer, claims: PodClaims, node: KubeObject): string | undefined {
  for (const pvc of claims.bound) {
    const pv = api.get('PersistentVolume', undefined, pvc.spec.volumeName);
    if (pv && !pvFitsNode(pv, node)) return ERR_VOLUME_NODE_CONFLICT;
  }
  if (claims.delayed.length > 0 && 'reason' in findPodVolumes(api, claims, node)) return ERR_BIND_CONFLICT;
  return undefined;
}

export interface PodVolumes {
  /** static bindings: the PV the scheduler will bind to each claim */
  staticBindings: { pvc: KubeObject; pv: KubeObject }[];
  /** claims the provisioner creates a volume for on this node */
  dynamicProvisions: KubeObject[];
}

/**
 * FindPodVolumes for the delayed claims on one node (binder.go): a claim already carrying
 * selected-node only fits that node (and is provisioned); the others take the smallest Available
 * PV of their class whose node affinity allows the node, whose access modes and selector fit
 * (FindMatchingVolume, scheduler path, each PV chosen at most once); claims left over must be
 * provisionable (checkVolumeProvisions: a class with a real provisioner whose allowedTopologies
 * admit the node).
 */
export function findPodVolumes(api: ApiServer, claims: PodClaims, node: KubeObject): PodVolumes | { reason: string } {
  const out: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
  const toMatch: KubeObject[] = [];
  for (const pvc of claims.delayed) {
    const selected = pvc.metadata.annotations?.[ANN_SELECTED_NODE];
    if (selected !== undefined) {
      if (selected !== node.metadata.name) return { reason: ERR_BIND_CONFLICT };
      out.dynamicProvisions.push(pvc);
    } else toMatch.push(pvc);
  }
  const chosen = new Set<string>();
  for (const pvc of toMatch) {
    const pv = findMatchingVolumeForNode(pvc, claims.candidates?.get(claimClass(pvc)) ?? [], node, chosen);
    if (pv === null) return { reason: ERR_BIND_CONFLICT };
    if (pv) {
      chosen.add(pv.metadata.name!);
      out.staticBindings.push({ pvc, pv });
    } else out.dynamicProvisions.push(pvc);
  }
  for (const pvc of out.dynamicProvisions) {
    const sc = api.get('StorageClass', undefined, claimClass(pvc));
    const provisioner = String(sc?.provisioner ?? '');
    if (!sc || provisioner === '' || provisioner === NO_PROVISIONER) return { reason: ERR_BIND_CONFLICT };
    if (!topologyTermsMatch(sc.allowedTopologies as any[] | undefined, node)) return { reason: ERR_BIND_CONFLICT };
  }
  return out;
}

/**
 * FindMatchingVolume with a node (component-helpers storage/volume/pv_helpers.go): a PV pre-bound
 * to the claim wins if its affinity allows the node (null: it does not, so the node cannot host
 * the claim); otherwise the smallest Available PV that fits. undefined: no static PV.
 */
function findMatchingVolumeForNode(claim: KubeObject, volumes: readonly KubeObject[], node: KubeObject, excluded: Set<string>): KubeObject | undefined | null {
  const inputs = claimMatchInputs(claim);
  if (!inputs) return undefined;
  const { request, selector } = inputs;
  let smallest: KubeObject | undefined;
  for (const pv of volumes) {
    if (excluded.has(pv.metadata.name!)) continue;
    if (!volumeMayServe(pv, claim, request)) continue;
    const fits = pvFitsNode(pv, node);
    if (isVolumeBoundToClaim(pv, claim)) return fits ? pv : null;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(pv.metadata.labels ?? {})) continue;
    if (!fits) continue;
    if (!accessModesCover(pv.spec?.accessModes ?? [], claim.spec?.accessModes ?? [])) continue;
    if (!smallest || volumeCapacity(pv) < volumeCapacity(smallest)) smallest = pv;
  }
  return smallest;
}

/** MatchTopologySelectorTerms: no terms match every node; terms ORed, expressions ANDed. */
function topologyTermsMatch(terms: any[] | undefined, node: KubeObject): boolean {
  if (!terms || terms.length === 0) return true;
  const labels: Record<string, string> = node.metadata.labels ?? {};
  return terms.some((t) => (t?.matchLabelExpressions ?? []).every((e: any) => e.key in labels && (e.values ?? []).includes(labels[e.key])));
}

/**
 * Reserve + PreBind (AssumePodVolumes, BindPodVolumes): each static binding is written to its
 * PV — claimRef to the claim and pv.kubernetes.io/bound-by-controller (GetBindVolumeToClaim) —
 * and each claim to provision gets the node as volume.kubernetes.io/selected-node. The PV
 * controller then completes the claim side (volumeName, bind-completed) or provisions. A failed
 * API write is left to the next attempt.
 */
export function volumeBindingPreBind(api: ApiServer, claims: PodClaims, node: KubeObject): void {
  const found = findPodVolumes(api, claims, node);
  if ('reason' in found) return;
  for (const { pvc, pv } of found.staticBindings) {
    if (isVolumeBoundToClaim(pv, pvc) && pv.spec.claimRef?.uid === pvc.metadata.uid) continue;
    const byController = !isVolumeBoundToClaim(pv, pvc);
    tryWrite(() =>
      api.mutate('PersistentVolume', undefined, pv.metadata.name!, (d) => {
        d.spec.claimRef = { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion };
        if (byController) d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      }),
    );
  }
  for (const pvc of found.dynamicProvisions) {
    if (pvc.metadata.annotations?.[ANN_SELECTED_NODE] === node.metadata.name) continue;
    tryWrite(() =>
      api.mutate('PersistentVolumeClaim', pvc.metadata.namespace, pvc.metadata.name!, (d) => {
        d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [ANN_SELECTED_NODE]: node.metadata.name! };
      }),
    );
  }
}

function tryWrite(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

/** checkBindings: every claim the pod uses is bound (volumeName set and phase Bound). */
export function claimsBound(api: ApiServer, pod: KubeObject): boolean {
  for (const ref of claimRefs(pod)) {
    const pvc = api.get('PersistentVolumeClaim', pod.metadata.namespace, ref.name);
    if (!pvc || !pvc.spec?.volumeName || pvc.status?.phase !== 'Bound') return false;
  }
  return true;
}
