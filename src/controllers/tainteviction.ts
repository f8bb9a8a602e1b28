// Taint-based eviction (pkg/controller/tainteviction/taint_eviction.go processPodOnNode,
// getMinTolerationTime): a pod on a node with NoExecute taints is deleted at once when one taint
// is not tolerated, after the smallest tolerationSeconds of the matching tolerations when all are
// (the 300 s not-ready/unreachable tolerations every pod gets at admission), never when none of
// them sets tolerationSeconds (DaemonSet pods). The deletion is scheduled on a timer and
// cancelled when the taints go away; a later taint update keeps the first start time.

import type { Cluster, Component } from '../engine/cluster.js';
import { Informer } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import { ApiError } from '../api/errors.js';
import { timestamp } from '../api/time.js';
import { toleratesTaint } from '../scheduler/helpers.js';

/** v1helper.GetMatchingTolerations: every taint tolerated, and the tolerations used */
export function getMatchingTolerations(taints: any[], tolerations: any[]): { allTolerated: boolean; used: any[] } {
  const used: any[] = [];
  for (const taint of taints) {
    const t = tolerations.find((x) => toleratesTaint(x, taint));
    if (!t) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}

/** getMinTolerationTime in ms: -1 = tolerated forever */
export function minTolerationTime(tolerations: any[]): number {
  if (tolerations.length === 0) return 0;
  let min = Infinity;
  for (const t of tolerations) {
    if (typeof t.tolerationSeconds !== 'number') continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

interface Scheduled {
  createdAt: number;
  fireAt: number;
  timer: { cancel(): void };
}

export class TaintEvictionController implements Component {
  readonly name = 'taint-eviction-controller';
  private readonly work = new Map<string, Scheduled>();

  constructor(private readonly cluster: Cluster) {
    new Informer(cluster.sim, cluster.api, this.name, ['Node', 'Pod'], cluster.timing.watchLatency, cluster.rng(`${this.name}/informer`), (ev) => {
      const o = ev.object;
      if (o.kind === 'Node') {
        if (ev.type === 'DELETED') return;
        if (JSON.stringify(noExecute(ev.old)) === JSON.stringify(noExecute(o))) return;
        const taints = noExecute(o);
        for (const pod of cluster.api.store.podsOnNode(o.metadata.name!)) this.processPod(pod, taints);
        return;
      }
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      if (ev.type === 'DELETED' || !o.spec?.nodeName) {
        this.cancel(key, false);
        return;
      }
      const node = cluster.api.get('Node', undefined, o.spec.nodeName);
      this.processPod(o, node ? noExecute(node) : []);
    });
  }

  private processPod(pod: KubeObject, taints: any[]): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const now = this.cluster.sim.now;
    if (taints.length === 0) return this.cancel(key, true);
    const { allTolerated, used } = getMatchingTolerations(taints, pod.spec?.tolerations ?? []);
    if (!allTolerated) {
      this.cancel(key, true);
      return this.add(key, now, now);
    }
    const min = minTolerationTime(used);
    if (min < 0) return this.cancel(key, true);
    // an eviction already scheduled keeps its start time: upstream re-schedules only when
    // createdAt + min is not before now + min, which with a monotonic clock means never
    // (in virtual time the two can be equal; keeping it avoids a spurious cancel event)
    if (this.work.has(key)) return;
    this.add(key, now, now + min);
  }

  private add(key: string, createdAt: number, fireAt: number): void {
    if (this.work.has(key)) return;
    const timer = this.cluster.sim.scheduleAt(fireAt, `${this.name}/evict`, () => {
      this.work.delete(key);
      this.evict(key);
    });
    this.work.set(key, { createdAt, fireAt, timer });
  }

  /** cancelWorkWithEvent */
  private cancel(key: string, withEvent: boolean): void {
    const w = this.work.get(key);
    if (!w) return;
    w.timer.cancel();
    this.work.delete(key);
    if (!withEvent) return;
    const [ns, name] = key.split('/');
    const pod = this.cluster.api.get('Pod', ns, name);
    if (pod) this.cluster.api.recordEvent(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`, this.name);
  }

  /** deletePodHandler: the DisruptionTarget condition, then a normal (graceful) delete */
  private evict(key: string): void {
    const api = this.cluster.api;
    const [ns, name] = key.split('/');
    const pod = api.get('Pod', ns, name);
    if (!pod || pod.metadata.deletionTimestamp) return;
    api.recordEvent(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`, this.name);
    try {
      api.mutate('Pod', ns, name, (d) => {
        d.status ??= {};
        const conds: any[] = (d.status.conditions ??= []);
        const c = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: timestamp(this.cluster.sim.now) };
        const i = conds.findIndex((x) => x.type === 'DisruptionTarget');
        if (i >= 0) conds[i] = c;
        else conds.push(c);
      }, 'status');
      api.delete('Pod', ns, name);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

function noExecute(node: KubeObject | undefined): any[] {
  return (node?.spec?.taints ?? []).filter((t: any) => t.effect === 'NoExecute');
}
