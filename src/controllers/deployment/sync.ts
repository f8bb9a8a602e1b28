// The Deployment controller's shared sync steps (pkg/controller/deployment/sync.go): finding or
// creating the new ReplicaSet with its revision, scaling ReplicaSets (proportionally on a
// scaling event or while paused), cleaning up old revisions, and the status calculation.
// Everything goes through a DeploymentClient, so the upstream test tables can drive this code
// with an in-memory fake exactly as upstream drives it with a fake clientset.

import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../api/errors.js';
import { cloneObject } from '../../api/clone.js';
import { controllerRef, getControllerOf } from '../../api/server.js';
import {
  POD_TEMPLATE_HASH_LABEL,
  REASON,
  byCreationTimestamp,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  sameCanonical,
  computeHash,
  deploymentComplete,
  desiredReplicasAnnotation,
  equalIgnoreHash,
  filterActive,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  getCondition,
  getProportion,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newReplicaSetAnnotationsInSync,
  newRSNewReplicas,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  sumSpecReplicas,
  sumStatus,
  REVISION_ANNOTATION,
} from './util.js';

/** What the controller may do: the API calls upstream makes through its clientset, and the queue. */
export interface DeploymentClient {
  now(): number;
  createReplicaSet(rs: KubeObject): KubeObject;
  getReplicaSet(namespace: string, name: string): KubeObject | undefined;
  updateReplicaSet(rs: KubeObject): KubeObject;
  deleteReplicaSet(namespace: string, name: string): void;
  /** UpdateStatus: upstream's status strategy also persists metadata.annotations (the revision) */
  updateDeploymentStatus(d: KubeObject): KubeObject;
  event(d: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** enqueueAfter; delay in ms */
  requeueAfter(d: KubeObject, delayMs: number): void;
}

export type ScalingOperation = 'up' | 'down' | '';

/** getAllReplicaSetsAndSyncRevision's answer; `wrote`: whether finding them wrote anything */
export interface FoundReplicaSets {
  newRS?: KubeObject;
  oldRSs: KubeObject[];
  wrote: boolean;
}

export class DeploymentSync {
  constructor(readonly client: DeploymentClient) {}

  get now(): number {
    return this.client.now();
  }

  /** getAllReplicaSetsAndSyncRevision: the new RS (created if asked) and every old RS */
  getAllReplicaSetsAndSyncRevision(d: KubeObject, rsList: KubeObject[], createIfNotExisted: boolean): FoundReplicaSets {
    const { all } = findOldReplicaSets(d, rsList);
    const newRS = this.getNewReplicaSet(d, rsList, all, createIfNotExisted);
    return { newRS, oldRSs: all, wrote: this.wrote };
  }

  /**
   * What a later getAllReplicaSetsAndSyncRevision of the same sync (same deployment copy, same
   * list, nothing written in between) would answer, given an earlier answer: that answer again
   * when its lookup wrote nothing (it changed neither the deployment copy nor the cluster, so
   * the lookup would run the same way) and it is not asked to create a missing new RS.
   * Upstream's syncDeployment looks twice (isScalingEvent, then sync or the rollout).
   */
  again(found: FoundReplicaSets | undefined, d: KubeObject, rsList: KubeObject[], createIfNotExisted: boolean): FoundReplicaSets {
    if (found && !found.wrote && (found.newRS || !createIfNotExisted)) return { newRS: found.newRS, oldRSs: [...found.oldRSs], wrote: false };
    return this.getAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted);
  }

  /** set by getNewReplicaSet: whether its last call wrote (an RS, the deployment's status) */
  private wrote = false;

  /**
   * getNewReplicaSet: sync the existing new RS's annotations and the deployment's revision, or
   * create the new RS `<deployment>-<hash>` at NewRSNewReplicas. A name taken by an RS that is
   * not ours with our template is a hash collision: bump status.collisionCount and fail the sync.
   */
  getNewReplicaSet(d: KubeObject, rsList: KubeObject[], oldRSs: KubeObject[], createIfNotExisted: boolean): KubeObject | undefined {
    // every path that returns without writing (or throwing) sets this back to false
    this.wrote = true;
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) {
      // SetNewReplicaSetAnnotations changes only the annotations: the copy shares the rest (and
      // the spec is copied before minReadySeconds is set); updateReplicaSet copies what it stores.
      // When it would change nothing, the copy would print as the stored RS: that is used instead
      // (nothing changes the new RS a sync returns in place).
      const rsCopy = newReplicaSetAnnotationsInSync(d, existing, newRevision) ? existing : withOwnAnnotations(existing);
      const annotationsUpdated = rsCopy !== existing && setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      const minReadyNeedsUpdate = (rsCopy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadyNeedsUpdate) {
        rsCopy.spec = { ...rsCopy.spec, minReadySeconds: d.spec?.minReadySeconds ?? 0 };
        return this.client.updateReplicaSet(rsCopy);
      }
      // the revision recorded on the RS is the one to show on the deployment
      let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        setCondition((d.status ??= {}), newCondition('Progressing', 'True', REASON.FoundNewRS, `Found new replica set "${rsCopy.metadata.name}"`, this.now));
        needsUpdate = true;
      }
      if (needsUpdate) this.client.updateDeploymentStatus(d);
      else this.wrote = false;
      return rsCopy;
    }
    if (!createIfNotExisted) {
      this.wrote = false;
      return undefined;
    }

    const template = cloneObject(d.spec.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const selector = cloneObject(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const newRS: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        // deterministic, so that a retried create is idempotent
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        ownerReferences: [controllerRef(d)],
        labels: { ...template.metadata.labels },
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const newReplicasCount = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec.replicas = newReplicasCount;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let createdRS: KubeObject;
    let alreadyExists = false;
    try {
      createdRS = this.client.createReplicaSet(newRS);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.reason === 'AlreadyExists') {
        alreadyExists = true;
        const rs = this.client.getReplicaSet(d.metadata.namespace!, newRS.metadata.name!);
        if (!rs) throw e;
        const ref = getControllerOf(rs);
        if (ref && ref.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec?.template)) {
          createdRS = rs;
        } else {
          d.status ??= {};
          d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
          this.client.updateDeploymentStatus(d);
          throw e;
        }
      } else {
        const msg = `Failed to create new replica set "${newRS.metadata.name}": ${e.message}`;
        if (hasProgressDeadline(d)) {
          setCondition((d.status ??= {}), newCondition('Progressing', 'False', REASON.FailedRSCreate, msg, this.now));
          try {
            this.client.updateDeploymentStatus(d);
          } catch {
            // the bigger problem is already being reported
          }
        }
        this.client.event(d, 'Warning', REASON.FailedRSCreate, msg);
        throw e;
      }
    }
    if (!alreadyExists && newReplicasCount > 0) {
      this.client.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${createdRS.metadata.name} from 0 to ${newReplicasCount}`);
    }
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition((d.status ??= {}), newCondition('Progressing', 'True', REASON.NewReplicaSetCreated, `Created new replica set "${createdRS.metadata.name}"`, this.now));
      needsUpdate = true;
    }
    if (needsUpdate) this.client.updateDeploymentStatus(d);
    return createdRS;
  }

  /**
   * scale: on a scaling event or while paused. One active RS (or none) takes the whole size; a
   * saturated new RS scales the old ones to 0; otherwise the surplus or deficit is spread over
   * the active RSes in proportion to their size (RollingUpdate only), leftovers to the first.
   */
  scale(d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]): void {
    const replicas = replicasOf(d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (replicasOf(activeOrLatest) === replicas) return;
      this.scaleReplicaSetAndRecordEvent(activeOrLatest, replicas, d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of filterActive(oldRSs)) this.scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const allRSs = filterActive([...oldRSs, newRS]);
    const allowedSize = replicas > 0 ? replicas + maxSurge(d) : 0;
    const toAdd = allowedSize - sumSpecReplicas(allRSs);
    let op: ScalingOperation = '';
    if (toAdd > 0) {
      allRSs.sort(bySizeNewer);
      op = 'up';
    } else if (toAdd < 0) {
      allRSs.sort(bySizeOlder);
      op = 'down';
    }
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of allRSs) {
      if (toAdd !== 0) {
        const proportion = getProportion(rs, d, toAdd, added);
        sizes.set(rs.metadata.name!, replicasOf(rs) + proportion);
        added += proportion;
      } else sizes.set(rs.metadata.name!, replicasOf(rs));
    }
    allRSs.forEach((rs, i) => {
      // the leftover goes to the largest RS
      if (i === 0 && toAdd !== 0) sizes.set(rs.metadata.name!, Math.max(0, sizes.get(rs.metadata.name!)! + toAdd - added));
      this.scaleReplicaSet(rs, sizes.get(rs.metadata.name!)!, d, op);
    });
  }

  scaleReplicaSetAndRecordEvent(rs: KubeObject, newScale: number, d: KubeObject): { scaled: boolean; rs: KubeObject } {
    if (replicasOf(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d, replicasOf(rs) < newScale ? 'up' : 'down');
  }

  /** scaleReplicaSet: set the size and the desired/max replicas annotations; an event when the size changed */
  scaleReplicaSet(rs: KubeObject, newScale: number, d: KubeObject, op: ScalingOperation): { scaled: boolean; rs: KubeObject } {
    const sizeNeedsUpdate = replicasOf(rs) !== newScale;
    const desired = replicasOf(d), max = desired + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const oldScale = replicasOf(rs);
    // only the size and the annotations change: the rest is shared (updateReplicaSet copies it)
    const copy = withOwnAnnotations(rs);
    copy.spec = { ...rs.spec, replicas: newScale };
    setReplicasAnnotations(copy, desired, max);
    const updated = this.client.updateReplicaSet(copy);
    if (sizeNeedsUpdate) {
      this.client.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  /**
   * cleanupDeployment: keep revisionHistoryLimit old RSes; delete the lowest revisions first,
   * skipping (but counting) any that still have replicas or an unobserved generation.
   */
  cleanupDeployment(oldRSs: KubeObject[], d: KubeObject): void {
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => rs && !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - d.spec.revisionHistoryLimit;
    if (diff <= 0) return;
    cleanable.sort(byRevision);
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i];
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
      try {
        this.client.deleteReplicaSet(rs.metadata.namespace!, rs.metadata.name!);
      } catch (e) {
        if (!(e instanceof ApiError) || e.reason !== 'NotFound') throw e;
      }
    }
  }

  /** sync: scaling events and paused deployments (no new RS is created); `found`: see again() */
  sync(d: KubeObject, rsList: KubeObject[], found?: FoundReplicaSets): void {
    const { newRS, oldRSs } = this.again(found, d, rsList, false);
    this.scale(d, newRS, oldRSs);
    if (d.spec?.paused) this.cleanupDeployment(oldRSs, d);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** isScalingEvent: an active RS whose desired-replicas annotation differs from the deployment's replicas */
  isScalingEvent(d: KubeObject, rsList: KubeObject[]): boolean {
    return this.scalingEvent(d, rsList).scaling;
  }

  /** isScalingEvent, with the ReplicaSets it found (for again()) */
  scalingEvent(d: KubeObject, rsList: KubeObject[]): { scaling: boolean; found: FoundReplicaSets } {
    const found = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (const rs of filterActive([...found.oldRSs, found.newRS])) {
      const desired = desiredReplicasAnnotation(rs);
      if (desired === undefined) continue;
      if (desired !== replicasOf(d)) return { scaling: true, found };
    }
    return { scaling: false, found };
  }

  /** checkPausedConditions: Progressing=Unknown DeploymentPaused / DeploymentResumed, unless timed out */
  checkPausedConditions(d: KubeObject): void {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond && cond.reason === REASON.TimedOut) return;
    const pausedCondExists = cond?.reason === REASON.Paused;
    let needsUpdate = false;
    if (d.spec?.paused && !pausedCondExists) {
      setCondition((d.status ??= {}), newCondition('Progressing', 'Unknown', REASON.Paused, 'Deployment is paused', this.now));
      needsUpdate = true;
    } else if (!d.spec?.paused && pausedCondExists) {
      setCondition((d.status ??= {}), newCondition('Progressing', 'Unknown', REASON.Resumed, 'Deployment is resumed', this.now));
      needsUpdate = true;
    }
    if (needsUpdate) this.client.updateDeploymentStatus(d);
  }

  /** syncDeploymentStatus: write calculateStatus if it changed (no progress estimation) */
  syncDeploymentStatus(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject): void {
    const status = calculateStatus(allRSs, newRS, d, this.now);
    if (sameStatus(d.status, status)) return;
    d.status = status;
    this.client.updateDeploymentStatus(d);
  }
}

/**
 * A copy of an object whose annotations may be changed: metadata and annotations are its own,
 * everything else is shared with the original (which must then not be changed through it).
 * Keys keep their order, as in a full copy.
 */
export function withOwnAnnotations(o: KubeObject): KubeObject {
  const metadata = { ...o.metadata };
  if (metadata.annotations) metadata.annotations = { ...metadata.annotations };
  return { ...o, metadata };
}

/**
 * SetDeploymentRevision (changes d); true when it changed. d's metadata may be the stored
 * object's (privateCopy shares it), so a change replaces d.metadata and its annotations with
 * copies instead of writing into them; keys keep the order writing in place would give.
 */
export function setDeploymentRevision(d: KubeObject, revision: string): boolean {
  const cur = d.metadata.annotations;
  if (cur?.[REVISION_ANNOTATION] === revision) return false;
  const annotations = cur ? { ...cur } : {};
  annotations[REVISION_ANNOTATION] = revision;
  const metadata = { ...d.metadata };
  metadata.annotations = annotations;
  d.metadata = metadata;
  return true;
}

/**
 * calculateStatus: counts summed over the RSes (unavailable from spec, not status), conditions
 * carried over, Available True when available >= replicas - MaxUnavailable. Zero counts are
 * omitted, as the API serialises them (omitempty).
 */
export function calculateStatus(allRSsIn: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject, nowMs: number): any {
  const allRSs = allRSsIn.filter((rs): rs is KubeObject => !!rs);
  const available = sumStatus(allRSs, 'availableReplicas');
  const unavailable = Math.max(0, sumSpecReplicas(allRSs) - available);
  // members set only when non-zero (no `delete`: it turns an object into a slow dictionary)
  const status: any = {};
  const observedGeneration = d.metadata.generation, replicas = sumStatus(allRSs, 'replicas');
  const updatedReplicas = newRS ? newRS.status?.replicas ?? 0 : 0, readyReplicas = sumStatus(allRSs, 'readyReplicas');
  if (observedGeneration) status.observedGeneration = observedGeneration;
  if (replicas) status.replicas = replicas;
  if (updatedReplicas) status.updatedReplicas = updatedReplicas;
  if (readyReplicas) status.readyReplicas = readyReplicas;
  if (available) status.availableReplicas = available;
  if (unavailable) status.unavailableReplicas = unavailable;
  // upstream appends the conditions by value; a condition is replaced, never changed in place,
  // so the list is new and its conditions are shared (a status comparison then finds them equal
  // by identity)
  const conditions = d.status?.conditions;
  if (conditions?.length) status.conditions = Array.isArray(conditions) ? conditions.slice() : cloneObject(conditions);
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const availableNow = available >= replicasOf(d) - maxUnavailable(d);
  // setCondition leaves a condition of the same status and reason alone: no new one to build then
  const cur = getCondition(status, 'Available');
  if (cur && cur.status === (availableNow ? 'True' : 'False') && cur.reason === (availableNow ? REASON.MinimumReplicasAvailable : REASON.MinimumReplicasUnavailable)) return status;
  if (availableNow) {
    setCondition(status, newCondition('Available', 'True', REASON.MinimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition('Available', 'False', REASON.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

export function sameStatus(a: unknown, b: unknown): boolean {
  const x = a ?? {}, y = b ?? {};
  // a count that is a finite number on one side and differs on the other prints differently:
  // the statuses differ (most status writes), known without walking or printing them
  if (plainObject(x) && plainObject(y)) {
    for (const k of STATUS_COUNTS) {
      const u = x[k], v = y[k];
      if (u !== v && (finiteNumber(u) || finiteNumber(v))) return false;
    }
  }
  return sameCanonical(x, y);
}

const STATUS_COUNTS = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'];

function plainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function finiteNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}

export { deploymentComplete, byCreationTimestamp };
