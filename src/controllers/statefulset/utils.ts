// StatefulSet identity, storage and revision helpers (pkg/controller/statefulset/stateful_set_utils.go,
// 1.31+): pods are `<set>-<ordinal>` with stable hostname/subdomain and labels, each volume claim
// template becomes the claim `<template>-<set>-<ordinal>`, and revisions are snapshots of the
// pod template.

import type { KubeObject, OwnerReference } from '../../api/types.js';
import { controllerRef } from '../../api/server.js';
import { parseTimestamp } from '../../api/time.js';
import { isPodReady, getPodCondition } from '../controller_utils.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../controller_history.js';

export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** PodIndexLabel (GA 1.32, on by default since 1.28) */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** for StatefulSets, the pod label carries the whole revision name (`web-7b8d8f6c8d`) */
export const STATEFULSET_REVISION_LABEL = CONTROLLER_REVISION_HASH_LABEL;

/** statefulPodRegex */
const STATEFUL_POD_REGEX = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: ('', -1) when the name has no ordinal or it does not fit int32 */
export function getParentNameAndOrdinal(pod: KubeObject): { parent: string; ordinal: number } {
  const m = STATEFUL_POD_REGEX.exec(pod.metadata.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  // strconv.ParseInt(s, 10, 32): out-of-range ordinals are not parsed, but the parent still is
  return { parent: m[1], ordinal: Number.isSafeInteger(n) && n <= 2147483647 ? n : -1 };
}

export function getOrdinal(pod: KubeObject): number {
  return getParentNameAndOrdinal(pod).ordinal;
}

export function getStartOrdinal(set: KubeObject): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** getEndOrdinal: start + replicas - 1 */
export function getEndOrdinal(set: KubeObject): number {
  return getStartOrdinal(set) + (set.spec?.replicas ?? 1) - 1;
}

export function podInOrdinalRange(pod: KubeObject, set: KubeObject): boolean {
  const o = getOrdinal(pod);
  return o >= getStartOrdinal(set) && o <= getEndOrdinal(set);
}

export function getPodName(set: KubeObject, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

export function getPersistentVolumeClaimName(set: KubeObject, claimTemplateName: string, ordinal: number): string {
  return `${claimTemplateName}-${set.metadata.name}-${ordinal}`;
}

export function isMemberOf(set: KubeObject, pod: KubeObject): boolean {
  return getParentNameAndOrdinal(pod).parent === set.metadata.name;
}

/** identityMatches: name, namespace and the pod-name label fit the set */
export function identityMatches(set: KubeObject, pod: KubeObject): boolean {
  const { parent, ordinal } = getParentNameAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.name === getPodName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[STATEFULSET_POD_NAME_LABEL] === pod.metadata.name
  );
}

/** storageMatches: every claim template has a volume pointing at this ordinal's claim */
export function storageMatches(set: KubeObject, pod: KubeObject): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map<string, any>();
  for (const v of pod.spec?.volumes ?? []) volumes.set(v.name, v);
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const v = volumes.get(t.metadata?.name);
    if (!v?.persistentVolumeClaim || v.persistentVolumeClaim.claimName !== getPersistentVolumeClaimName(set, t.metadata?.name, ordinal)) return false;
  }
  return true;
}

/** getPersistentVolumeClaims: template name -> the claim object for this pod's ordinal */
export function getPersistentVolumeClaims(set: KubeObject, pod: KubeObject): Map<string, KubeObject> {
  const ordinal = getOrdinal(pod);
  const out = new Map<string, KubeObject>();
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const tname: string = t.metadata?.name;
    const meta = t.metadata ?? {};
    out.set(tname, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: getPersistentVolumeClaimName(set, tname, ordinal),
        namespace: set.metadata.namespace,
        // claims are labelled with the set's matchLabels (not the template's labels)
        ...(set.spec?.selector?.matchLabels ? { labels: { ...set.spec.selector.matchLabels } } : {}),
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      },
      spec: structuredClone(t.spec ?? {}),
    });
  }
  return out;
}

/** updateStorage: the claim volumes first (template order), then the pod's other volumes */
export function updateStorage(set: KubeObject, pod: KubeObject): void {
  const claims = getPersistentVolumeClaims(set, pod);
  const current: any[] = pod.spec?.volumes ?? [];
  const volumes: any[] = [];
  for (const [name, claim] of claims) volumes.push({ name, persistentVolumeClaim: { claimName: claim.metadata.name } });
  for (const v of current) if (!claims.has(v.name)) volumes.push(v);
  pod.spec ??= {};
  if (volumes.length) pod.spec.volumes = volumes;
}

/** updateIdentity: name, namespace, the pod-name and pod-index labels */
export function updateIdentity(set: KubeObject, pod: KubeObject): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = getPodName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [STATEFULSET_POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** initIdentity: hostname and subdomain are set at creation only (they are immutable) */
function initIdentity(set: KubeObject, pod: KubeObject): void {
  updateIdentity(set, pod);
  pod.spec.hostname = pod.metadata.name;
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
}

/** newStatefulSetPod: GetPodFromTemplate with a controllerRef, then identity and storage */
export function newStatefulSetPod(set: KubeObject, ordinal: number): KubeObject {
  const t = set.spec?.template ?? {};
  const meta = t.metadata ?? {};
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: getPodName(set, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef(set)],
    },
    spec: structuredClone(t.spec ?? {}),
  };
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

export function setPodRevision(pod: KubeObject, revision: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [STATEFULSET_REVISION_LABEL]: revision };
}

export function getPodRevision(pod: KubeObject): string {
  return pod.metadata.labels?.[STATEFULSET_REVISION_LABEL] ?? '';
}

/**
 * newVersionedStatefulSetPod: ordinals below start+partition are built from the current
 * revision, the rest from the update revision (OnDelete: always the update revision).
 */
export function newVersionedStatefulSetPod(currentSet: KubeObject, updateSet: KubeObject, currentRevision: string, updateRevision: string, ordinal: number): KubeObject {
  const strategy = currentSet.spec?.updateStrategy ?? {};
  const start = getStartOrdinal(currentSet);
  const useCurrent =
    (strategy.type === 'RollingUpdate' && !strategy.rollingUpdate && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (!!strategy.rollingUpdate && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, useCurrent ? currentRevision : updateRevision);
  return pod;
}

// ---- pod state (the set's own predicates, not controller_utils' IsPodActive) -------------------

/** isCreated: the API server has the pod (a not-yet-created slot has no phase) */
export function isCreated(pod: KubeObject): boolean {
  return !!pod.status?.phase;
}
export function isPending(pod: KubeObject): boolean {
  return pod.status?.phase === 'Pending';
}
export function isFailed(pod: KubeObject): boolean {
  return pod.status?.phase === 'Failed';
}
export function isSucceeded(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded';
}
export function isTerminating(pod: KubeObject): boolean {
  return !!pod.metadata.deletionTimestamp;
}
export function isRunningAndReady(pod: KubeObject): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}
/** isRunningAndAvailable: Running, Ready, and ready for more than minReadySeconds (strict) */
export function isRunningAndAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  if (!isRunningAndReady(pod)) return false;
  if (!minReadySeconds) return true;
  const ltt = parseTimestamp(getPodCondition(pod, 'Ready')?.lastTransitionTime);
  return ltt !== undefined && ltt + minReadySeconds * 1000 < nowMs;
}
export function isHealthy(pod: KubeObject): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}
/** isUnavailable: not healthy, or healthy but not yet available */
export function isUnavailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  return !isHealthy(pod) || !isRunningAndAvailable(pod, minReadySeconds, nowMs);
}

export function allowsBurst(set: KubeObject): boolean {
  return set.spec?.podManagementPolicy === 'Parallel';
}

// ---- revisions -------------------------------------------------------------------------------------

/** getPatch: the data of a revision is the pod template, to be applied as a replacement */
export function getPatch(set: KubeObject): unknown {
  return { spec: { template: { ...structuredClone(set.spec?.template ?? {}), $patch: 'replace' } } };
}

/** ApplyRevision: the set as it was at a revision (only the template is recorded) */
export function applyRevision(set: KubeObject, revision: KubeObject): KubeObject {
  const clone = structuredClone(set);
  const t = structuredClone((revision.data as any)?.spec?.template ?? {});
  delete t.$patch;
  clone.spec = { ...clone.spec, template: t };
  return clone;
}

/** completeRollingUpdate: every replica updated and ready -> the update revision becomes current */
export function completeRollingUpdate(set: KubeObject, status: any): void {
  if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

// ---- PVC retention (StatefulSetAutoDeletePVC, GA 1.32) -----------------------------------------

type Policy = 'Retain' | 'Delete';
function retentionPolicy(set: KubeObject): { whenDeleted: Policy; whenScaled: Policy } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  return { whenDeleted: p.whenDeleted === 'Delete' ? 'Delete' : 'Retain', whenScaled: p.whenScaled === 'Delete' ? 'Delete' : 'Retain' };
}

function hasOwnerRef(target: KubeObject, owner: KubeObject): boolean {
  return (target.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
}

/** claimOwnerMatchesSetAndPod: are the claim's ownerRefs what the retention policy asks for? */
export function claimOwnerMatchesSetAndPod(claim: KubeObject, set: KubeObject, pod: KubeObject): boolean {
  const want = wantedClaimOwners(set, pod);
  return hasOwnerRef(claim, set) === want.set && hasOwnerRef(claim, pod) === want.pod;
}

function wantedClaimOwners(set: KubeObject, pod: KubeObject): { set: boolean; pod: boolean } {
  const { whenDeleted, whenScaled } = retentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  if (whenScaled === 'Retain') return { set: whenDeleted === 'Delete', pod: false };
  if (whenDeleted === 'Retain') return { set: false, pod: scaledDown };
  return { set: !scaledDown, pod: scaledDown };
}

/**
 * updateClaimOwnerRefForSetAndPod: set or remove the (non-controller) set and pod ownerRefs.
 * Returns whether the claim changed.
 */
export function updateClaimOwnerRefForSetAndPod(claim: KubeObject, set: KubeObject, pod: KubeObject): boolean {
  const want = wantedClaimOwners(set, pod);
  let changed = false;
  const apply = (owner: KubeObject, kind: string, apiVersion: string, on: boolean) => {
    const has = hasOwnerRef(claim, owner);
    if (on && !has) {
      const ref: OwnerReference = { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid! };
      claim.metadata.ownerReferences = [...(claim.metadata.ownerReferences ?? []), ref];
      changed = true;
    } else if (!on && has) {
      const refs = (claim.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
      if (refs.length) claim.metadata.ownerReferences = refs;
      else delete claim.metadata.ownerReferences;
      changed = true;
    }
  };
  apply(set, 'StatefulSet', 'apps/v1', want.set);
  if (pod.metadata.uid) apply(pod, 'Pod', 'v1', want.pod);
  return changed;
}

/**
 * PodClaimIsStale (stateful_pod_control.go): with whenScaled=Delete, a claim still owned by an
 * earlier pod of the same name (its garbage collection is pending) must not be reused.
 */
export function claimIsStale(set: KubeObject, claim: KubeObject, podName: string, podUid: string | undefined): boolean {
  if (retentionPolicy(set).whenScaled === 'Retain') return false;
  return (claim.metadata.ownerReferences ?? []).some((r) => r.kind === 'Pod' && r.name === podName && r.uid !== podUid);
}
