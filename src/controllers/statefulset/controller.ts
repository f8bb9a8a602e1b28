// The StatefulSet controller (pkg/controller/statefulset/stateful_set.go sync +
// stateful_set_control.go UpdateStatefulSet): claim the set's pods, resolve the current and update
// ControllerRevisions (creating one when the template changed, bumping an older equal one on a
// rollback), run one updateStatefulSet pass, write the status and truncate the history.

import type { Cluster, Component } from '../../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../../engine/component.js';
import type { KubeObject } from '../../api/types.js';
import type { WatchEvent } from '../../api/server.js';
import { getControllerOf } from '../../api/server.js';
import { objectKey } from '../../api/store.js';
import { ApiError } from '../../api/errors.js';
import { selectorFromLabelSelector, type Selector } from '../../api/labels.js';
import { claimObjects } from '../controller_ref_manager.js';
import { podMayConcern } from '../controller_utils.js';
import { equalRevision, hashControllerRevision, controllerRevisionName, newControllerRevision, nextRevision, sortRevisions } from '../controller_history.js';
import { updateStatefulSet, type StatefulSetStatus } from './control.js';
import { ApiStatefulPodControl } from './pod_control.js';
import { completeRollingUpdate, getPatch, getPodRevision, isMemberOf } from './utils.js';

export const STATEFULSET_CONTROLLER = 'statefulset-controller';

export class StatefulSetController implements Component {
  readonly name = STATEFULSET_CONTROLLER;
  private readonly queue: WorkQueue;
  private readonly control: ApiStatefulPodControl;

  constructor(private readonly cluster: Cluster) {
    this.control = new ApiStatefulPodControl(cluster.api, this.name);
    this.queue = controllerQueue(cluster, this.name, (key) => this.sync(key));
    controllerInformer(cluster, this.name, ['StatefulSet', 'Pod', 'ControllerRevision'], (ev) => this.onEvent(ev), podMayConcern('StatefulSet'));
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    const ns = o.metadata.namespace;
    if (o.kind === 'StatefulSet') {
      this.queue.add(objectKey('StatefulSet', ns, o.metadata.name!));
      return;
    }
    const ref = getControllerOf(o);
    const oldRef = ev.old ? getControllerOf(ev.old) : undefined;
    if (oldRef?.kind === 'StatefulSet' && ref?.uid !== oldRef.uid) this.queue.add(objectKey('StatefulSet', ns, oldRef.name));
    if (ref) {
      if (ref.kind === 'StatefulSet') this.queue.add(objectKey('StatefulSet', ns, ref.name));
      return;
    }
    // an orphan pod: the sets whose selector matches may adopt it (getPodStatefulSets)
    if (o.kind !== 'Pod' || ev.type === 'DELETED') return;
    for (const set of this.cluster.api.store.iterate('StatefulSet', ns)) {
      const sel = selectorOf(set);
      if (sel && !sel.empty() && sel.matches(o.metadata.labels)) this.queue.add(objectKey('StatefulSet', ns, set.metadata.name!));
    }
  }

  private sync(key: string): void {
    const api = this.cluster.api;
    const set = api.store.getByKey(key);
    if (!set) {
      this.queue.forget(key);
      return;
    }
    const selector = selectorOf(set);
    if (!selector) {
      // an invalid selector is not requeued (upstream: utilruntime.HandleError, return nil)
      this.queue.forget(key);
      return;
    }
    const ns = set.metadata.namespace!;
    // getPodsForStatefulSet: all pods of the namespace; only members (name `<set>-N`) are adopted
    const candidates: KubeObject[] = [];
    for (const p of api.store.iterate('Pod', ns)) {
      if (getControllerOf(p)?.uid === set.metadata.uid || isMemberOf(set, p)) candidates.push(p);
    }
    const pods = claimObjects(api, set, selector, candidates, this.name);
    let error: unknown;
    let status: StatefulSetStatus | undefined;
    try {
      const revisions = this.listRevisions(set);
      const { current, update, collisionCount } = this.getRevisions(set, revisions);
      const result = updateStatefulSet({ set, currentRevision: current, updateRevision: update, collisionCount, pods, now: this.cluster.sim.now, control: this.control });
      status = result.status;
      error = result.error;
      this.updateStatus(key, set, status);
      this.truncateHistory(set, pods, revisions, current, update);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error = e;
    }
    if (error !== undefined) {
      // processNextWorkItem: AddRateLimited (DefaultControllerRateLimiter)
      this.queue.addRateLimited(key);
      return;
    }
    this.queue.forget(key);
    // availability comes minReadySeconds after readiness: look again then
    const minReady: number = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status && status.availableReplicas !== (set.spec?.replicas ?? 1)) this.queue.addAfter(key, minReady * 1000);
  }

  /** ListRevisions: the ControllerRevisions this set controls */
  private listRevisions(set: KubeObject): KubeObject[] {
    const api = this.cluster.api;
    const out: KubeObject[] = [];
    for (const k of api.store.dependentsOf(set.metadata.uid!)) {
      const o = api.store.getByKey(k);
      if (o && o.kind === 'ControllerRevision' && getControllerOf(o)?.uid === set.metadata.uid) out.push(o);
    }
    return sortRevisions(out);
  }

  /** getStatefulSetRevisions */
  private getRevisions(set: KubeObject, revisions: KubeObject[]): { current: KubeObject; update: KubeObject; collisionCount: number } {
    const api = this.cluster.api;
    let collisionCount: number = set.status?.collisionCount ?? 0;
    const data = getPatch(set);
    const candidate = newControllerRevision(set, set.spec?.template?.metadata?.labels, data, nextRevision(revisions), collisionCount);
    const equal = revisions.filter((r) => equalRevision(r, candidate));
    let update: KubeObject;
    if (equal.length && revisions[revisions.length - 1] === equal[equal.length - 1]) {
      update = revisions[revisions.length - 1];
    } else if (equal.length) {
      // a rollback to an earlier template reuses its revision with the next number
      const old = equal[equal.length - 1];
      update = api.mutate('ControllerRevision', old.metadata.namespace, old.metadata.name!, (d) => {
        d.revision = candidate.revision;
      });
    } else {
      // CreateControllerRevision: on a name collision with different data, bump collisionCount
      for (;;) {
        const hash = hashControllerRevision(data, collisionCount);
        const name = controllerRevisionName(set.metadata.name!, hash);
        const exists = api.get('ControllerRevision', set.metadata.namespace, name);
        if (exists) {
          if (equalRevision(exists, candidate)) {
            update = exists;
            break;
          }
          collisionCount++;
          continue;
        }
        update = api.create(newControllerRevision(set, set.spec?.template?.metadata?.labels, data, candidate.revision as number, collisionCount));
        break;
      }
    }
    const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  /** updateStatefulSetStatus: complete a finished rolling update, write only on a change */
  private updateStatus(key: string, set: KubeObject, s: StatefulSetStatus): void {
    const api = this.cluster.api;
    const st: any = { ...s };
    completeRollingUpdate(set, st);
    const status: any = {
      observedGeneration: st.observedGeneration,
      replicas: st.replicas,
      readyReplicas: st.readyReplicas,
      currentReplicas: st.currentReplicas,
      updatedReplicas: st.updatedReplicas,
      currentRevision: st.currentRevision,
      updateRevision: st.updateRevision,
      collisionCount: st.collisionCount,
      availableReplicas: st.availableReplicas,
    };
    // omitempty fields of apps/v1 StatefulSetStatus (availableReplicas and replicas are always written)
    for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (status[k] === 0) delete status[k];
    for (const k of ['currentRevision', 'updateRevision']) if (!status[k]) delete status[k];
    const fresh = api.store.getByKey(key);
    if (!fresh || fresh.metadata.uid !== set.metadata.uid) return;
    const prev = fresh.status ?? {};
    const merged = { ...status, ...(prev.conditions ? { conditions: prev.conditions } : {}) };
    if (JSON.stringify(prev) === JSON.stringify(merged)) return;
    api.update({ ...fresh, status: merged }, 'status');
  }

  /** truncateHistory: keep revisionHistoryLimit non-live revisions, oldest deleted first */
  private truncateHistory(set: KubeObject, pods: KubeObject[], revisions: KubeObject[], current: KubeObject, update: KubeObject): void {
    const api = this.cluster.api;
    const live = new Set<string>([current.metadata.name!, update.metadata.name!]);
    for (const p of pods) live.add(getPodRevision(p));
    const history = revisions.filter((r) => !live.has(r.metadata.name!));
    const limit: number = set.spec?.revisionHistoryLimit ?? 10;
    if (history.length <= limit) return;
    for (const r of history.slice(0, history.length - limit)) {
      try {
        api.delete('ControllerRevision', r.metadata.namespace, r.metadata.name!);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    }
  }
}

function selectorOf(set: KubeObject): Selector | undefined {
  try {
    return selectorFromLabelSelector(set.spec?.selector);
  } catch {
    return undefined;
  }
}
