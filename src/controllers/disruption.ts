// The disruption controller (pkg/controller/disruption/disruption.go): keeps each
// PodDisruptionBudget's status — currentHealthy, desiredHealthy, expectedPods,
// disruptionsAllowed, disruptedPods and the DisruptionAllowed condition — that the Eviction API
// (src/api/eviction.ts) reads and decrements. expectedPods comes from the scale of the pods'
// controllers (ReplicaSet, ReplicationController, Deployment, StatefulSet) when the budget is
// a percentage or maxUnavailable; an int minAvailable counts the matching pods.

import type { Cluster, Component } from '../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import { byNamespaceName, getControllerOf } from '../api/server.js';
import { cloneObject, jsonEqual } from '../api/clone.js';
import { objectKey } from '../api/store.js';
import { ApiError } from '../api/errors.js';
import { parseTimestamp, timestamp } from '../api/time.js';
import { isPodReady, selectorOfStored } from './controller_utils.js';

/** DeletionTimeout: how long an eviction's entry in disruptedPods keeps the pod out of currentHealthy */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

type IntOrString = number | string;

/** intstr.GetScaledValueFromIntOrPercent (the disruption controller always rounds up) */
export function scaledValue(v: IntOrString, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const n = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(n) : Math.floor(n);
}

/** The scale of a pod's controller: a finder per kind, as disruption.go finders() */
export function controllerScale(api: ApiServer, pod: KubeObject): { uid: string; scale: number } | undefined {
  const ref = getControllerOf(pod);
  if (!ref) return undefined;
  const ns = pod.metadata.namespace;
  const obj = api.get(ref.kind, ns, ref.name);
  if (!obj || obj.metadata.uid !== ref.uid) return undefined;
  switch (ref.kind) {
    case 'ReplicaSet': {
      // getPodReplicaSet skips a ReplicaSet owned by a Deployment; getPodDeployment answers for it
      const owner = getControllerOf(obj);
      if (owner?.kind === 'Deployment') {
        const d = api.get('Deployment', ns, owner.name);
        return d && d.metadata.uid === owner.uid ? { uid: d.metadata.uid!, scale: d.spec?.replicas ?? 1 } : undefined;
      }
      return { uid: obj.metadata.uid!, scale: obj.spec?.replicas ?? 1 };
    }
    case 'ReplicationController':
    case 'StatefulSet':
      return { uid: obj.metadata.uid!, scale: obj.spec?.replicas ?? 1 };
    default:
      // getScaleController: only kinds with a scale subresource (custom ones are not modelled)
      return undefined;
  }
}

export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  unmanagedPods: string[];
}

/** getExpectedScale: the sum of the distinct controllers' scales. Throws "found no controllers". */
export function expectedScale(api: ApiServer, pods: KubeObject[]): { expectedCount: number; unmanagedPods: string[] } {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = getControllerOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name!);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const cs = controllerScale(api, pod);
    if (!cs) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    scales.set(cs.uid, cs.scale);
  }
  let expectedCount = 0;
  for (const s of scales.values()) expectedCount += s;
  return { expectedCount, unmanagedPods };
}

/** getExpectedPodCount */
export function expectedPodCount(api: ApiServer, pdb: KubeObject, pods: KubeObject[]): ExpectedCount {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { expectedCount, unmanagedPods } = expectedScale(api, pods);
    const maxUnavailable = scaledValue(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    const { expectedCount, unmanagedPods } = expectedScale(api, pods);
    return { expectedCount, desiredHealthy: scaledValue(spec.minAvailable, expectedCount, true), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/**
 * buildDisruptedPodMap: evictions not yet seen as deletions, kept for DeletionTimeout; also the
 * earliest instant one of them expires (the controller re-checks then).
 */
export function buildDisruptedPodMap(pods: KubeObject[], pdb: KubeObject, now: number): { disrupted: Record<string, string>; recheckAt?: number; notDeleted: KubeObject[] } {
  const recorded: Record<string, string> | undefined = pdb.status?.disruptedPods;
  const disrupted: Record<string, string> = {};
  const notDeleted: KubeObject[] = [];
  let recheckAt: number | undefined;
  if (!recorded) return { disrupted, notDeleted };
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = recorded[pod.metadata.name!];
    if (at === undefined) continue;
    const expected = (parseTimestamp(at) ?? 0) + DELETION_TIMEOUT_MS;
    if (expected < now) notDeleted.push(pod);
    else {
      if (recheckAt === undefined || expected < recheckAt) recheckAt = expected;
      disrupted[pod.metadata.name!] = at;
    }
  }
  return { disrupted, ...(recheckAt !== undefined ? { recheckAt } : {}), notDeleted };
}

/** countHealthyPods: ready, not terminating, not just evicted */
export function countHealthyPods(pods: KubeObject[], disrupted: Record<string, string>, now: number): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted[pod.metadata.name!];
    if (at !== undefined && (parseTimestamp(at) ?? 0) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

/** pdbhelper.UpdateDisruptionAllowedCondition (apimeta.SetStatusCondition keeps the transition time if unchanged) */
export function updateDisruptionAllowedCondition(status: any, now: number): void {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  const next = {
    type: 'DisruptionAllowed',
    status: allowed ? 'True' : 'False',
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
    observedGeneration: status.observedGeneration,
  };
  setStatusCondition(status, next, now);
}

export function setStatusCondition(status: any, c: any, now: number): void {
  const conds: any[] = (status.conditions ??= []);
  const i = conds.findIndex((x) => x.type === c.type);
  if (i < 0) conds.push({ ...c, lastTransitionTime: timestamp(now) });
  else {
    const prev = conds[i];
    conds[i] = { ...c, lastTransitionTime: prev.status === c.status ? prev.lastTransitionTime : timestamp(now) };
  }
}

/** The PDB status a sync computes (trySync + updatePdbStatus), or the failSafe status on error. */
export function computePdbStatus(api: ApiServer, pdb: KubeObject, pods: KubeObject[], now: number): { status: any; recheckAt?: number; notDeleted: KubeObject[]; unmanagedPods: string[] } {
  const generation = pdb.metadata.generation ?? 1;
  let ec: ExpectedCount;
  try {
    ec = expectedPodCount(api, pdb, pods);
  } catch (e) {
    // failSafe: no disruptions until the controller can compute the budget
    const status = { ...cloneObject(pdb.status ?? {}), disruptionsAllowed: 0 };
    setStatusCondition(status, { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: (e as Error).message, observedGeneration: status.observedGeneration }, now);
    return { status, notDeleted: [], unmanagedPods: [] };
  }
  const { disrupted, recheckAt, notDeleted } = buildDisruptedPodMap(pods, pdb, now);
  const currentHealthy = countHealthyPods(pods, disrupted, now);
  let disruptionsAllowed = currentHealthy - ec.desiredHealthy;
  if (ec.expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  const status: any = {
    currentHealthy,
    desiredHealthy: ec.desiredHealthy,
    expectedPods: ec.expectedCount,
    disruptionsAllowed,
    ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
    observedGeneration: generation,
    ...(pdb.status?.conditions ? { conditions: cloneObject(pdb.status.conditions) } : {}),
  };
  updateDisruptionAllowedCondition(status, now);
  return { status, ...(recheckAt !== undefined ? { recheckAt } : {}), notDeleted, unmanagedPods: ec.unmanagedPods };
}

/** The PDBs in a pod's namespace whose selector matches it (getPdbForPod; an empty selector matches nothing here too) */
export function pdbsForPod(api: ApiServer, pod: KubeObject): KubeObject[] {
  const out: KubeObject[] = [];
  // the store's PDBs of the namespace (most namespaces have none), each selector built once per
  // stored PDB; the matches in the API's list order (by name)
  for (const pdb of api.store.iterate('PodDisruptionBudget', pod.metadata.namespace ?? 'default')) {
    const ls = pdb.spec?.selector;
    if (!ls || (Object.keys(ls.matchLabels ?? {}).length === 0 && (ls.matchExpressions ?? []).length === 0)) continue;
    let sel;
    try {
      sel = selectorOfStored(ls);
    } catch {
      continue;
    }
    if (sel.matches(pod.metadata.labels)) out.push(pdb);
  }
  return out.length > 1 ? out.sort(byNamespaceName) : out;
}

export class DisruptionController implements Component {
  readonly name = 'disruption-controller';
  private readonly queue: WorkQueue;
  private readonly recheck = new Map<string, number>();

  constructor(private readonly cluster: Cluster) {
    // processNextWorkItem: a failed sync is requeued rate-limited, a successful one forgotten
    this.queue = controllerQueue(cluster, this.name, (key) => {
      if (this.sync(key)) this.queue.addRateLimited(key);
      else this.queue.forget(key);
    });
    controllerInformer(cluster, this.name, ['PodDisruptionBudget', 'Pod', 'ReplicaSet', 'ReplicationController', 'Deployment', 'StatefulSet'], (ev) => {
      const o = ev.object;
      if (o.kind === 'PodDisruptionBudget') {
        if (ev.type !== 'DELETED') this.enqueue(o);
        return;
      }
      if (o.kind === 'Pod') {
        // addPod/updatePod/deletePod: the PDB of the pod (and of its old labels)
        for (const p of pdbsForPod(cluster.api, o)) this.enqueue(p);
        if (ev.old && !jsonEqual(ev.old.metadata.labels, o.metadata.labels)) for (const p of pdbsForPod(cluster.api, ev.old)) this.enqueue(p);
        return;
      }
      // a controller's scale changed: every PDB of its namespace may depend on it
      for (const p of cluster.api.list('PodDisruptionBudget', o.metadata.namespace)) this.enqueue(p);
    });
  }

  private enqueue(pdb: KubeObject): void {
    this.queue.add(objectKey('PodDisruptionBudget', pdb.metadata.namespace, pdb.metadata.name!));
  }

  /** sync; returns the status write's error, which makes upstream requeue the key rate-limited */
  private sync(key: string): ApiError | undefined {
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    const pdb = api.store.getByKey(key);
    if (!pdb) return undefined;
    const pods = this.podsFor(pdb);
    if (pods.length === 0) api.recordEvent(pdb, 'Normal', 'NoPods', 'No matching pods found', this.name);
    const r = computePdbStatus(api, pdb, pods, now);
    if (r.unmanagedPods.length) {
      api.recordEvent(pdb, 'Normal', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`, this.name);
    }
    for (const p of r.notDeleted) api.recordEvent(p, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.name} to be deleted but it wasn't`, this.name);
    try {
      api.update({ ...pdb, status: r.status }, 'status');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return e;
    }
    if (r.recheckAt !== undefined && this.recheck.get(key) !== r.recheckAt) {
      this.recheck.set(key, r.recheckAt);
      this.queue.addAfter(key, r.recheckAt - now);
    }
    return undefined;
  }

  /** getPodsForPdb: a nil selector selects nothing; an empty one (policy/v1) every pod of the namespace */
  private podsFor(pdb: KubeObject): KubeObject[] {
    const ls = pdb.spec?.selector;
    if (!ls) return [];
    let sel;
    try {
      sel = selectorOfStored(ls);
    } catch {
      return [];
    }
    return this.cluster.api.list('Pod', pdb.metadata.namespace, sel);
  }
}
