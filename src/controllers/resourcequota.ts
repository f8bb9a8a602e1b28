// The resource quota controller (pkg/controller/resourcequota/resource_quota_controller.go
// syncResourceQuota): status.hard mirrors spec.hard and status.used is recomputed from the
// objects in the namespace. Changes to counted objects (the replenishment controller's monitors)
// enqueue the namespace's quotas, so usage frees up when a pod finishes or an object is deleted.
// A failed status write is retried rate-limited (the worker's AddRateLimited, DefaultControllerRateLimiter,
// no retry limit). (The 5m full resync is left out: every change already triggers a sync, and a
// timer would keep an otherwise idle simulation busy.)

import type { Cluster, Component } from '../engine/cluster.js';
import { WorkQueue, drawLatency, controllerQueue } from '../engine/component.js';
import type { WatchEvent } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { ApiError } from '../api/errors.js';
import { objectKey } from '../api/store.js';
import { evaluatorMatches, formatUsage, matchesScopes, objectUsage } from '../admission/resourcequota.js';

/** calculate usage of every resource in `hard` over the namespace's objects of matching kinds */
export function computeQuotaUsed(quota: KubeObject, objects: (kind: string) => KubeObject[], kinds: string[], now: number): Record<string, string> {
  const hard = (quota.spec?.hard ?? {}) as Record<string, string | number>;
  const totals = new Map<string, bigint>(Object.keys(hard).map((k) => [k, 0n]));
  for (const kind of kinds) {
    const list = objects(kind);
    if (list.length === 0) continue;
    const charged = Object.keys(hard).filter((r) => evaluatorMatches(kind, list[0].apiVersion, r));
    if (charged.length === 0) continue;
    for (const o of list) {
      if (!matchesScopes(quota, o)) continue;
      const u = objectUsage(o, now);
      for (const r of charged) totals.set(r, totals.get(r)! + (u.get(r) ?? 0n));
    }
  }
  const used: Record<string, string> = {};
  for (const k of Object.keys(hard).sort()) used[k] = formatUsage(k, totals.get(k)!, totals.get(k) === 0n ? undefined : hard[k]);
  return used;
}

export class ResourceQuotaController implements Component {
  readonly name = 'resourcequota-controller';
  private readonly queue: WorkQueue;

  constructor(private readonly cluster: Cluster) {
    const t = cluster.timing;
    this.queue = controllerQueue(cluster, this.name, (key) => this.processNextWorkItem(key));
    const rng = cluster.rng(`${this.name}/informer`);
    let lastDelivery = 0;
    // the replenishment monitors see every kind; changes in a namespace without a quota cannot
    // change any quota, so they are dropped before paying for a delivery (Informer semantics
    // otherwise: watch latency, in order)
    cluster.api.watch((ev) => {
      const o = ev.object;
      if (o.kind === 'Event') return;
      const ns = o.metadata.namespace;
      if (o.kind !== 'ResourceQuota' && (!ns || !hasAny(cluster.api.store.iterate('ResourceQuota', ns)))) return;
      const at = Math.max(cluster.sim.now + drawLatency(rng, t.watchLatency), lastDelivery);
      lastDelivery = at;
      cluster.sim.scheduleAt(at, `${this.name}/watch`, () => this.onChange(ev));
    });
  }

  private onChange(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === 'ResourceQuota') {
      if (ev.type !== 'DELETED') this.enqueue(o);
      return;
    }
    const ns = o.metadata.namespace!;
    // a pod matters when it comes, goes, or stops counting (terminal or past its grace)
    if (o.kind === 'Pod' && ev.type === 'MODIFIED' && o.status?.phase === ev.old?.status?.phase && o.metadata.deletionTimestamp === ev.old?.metadata.deletionTimestamp) return;
    for (const q of this.cluster.api.list('ResourceQuota', ns)) this.enqueue(q);
  }

  private enqueue(q: KubeObject): void {
    this.queue.add(objectKey('ResourceQuota', q.metadata.namespace, q.metadata.name!));
  }

  /** worker's workFunc: a failed sync is requeued rate-limited, a successful one forgotten */
  private processNextWorkItem(key: string): void {
    if (this.sync(key)) this.queue.addRateLimited(key);
    else this.queue.forget(key);
  }

  /** syncResourceQuotaFromKey; returns the status write's error, which upstream retries */
  private sync(key: string): ApiError | undefined {
    const api = this.cluster.api;
    const quota = api.store.getByKey(key);
    if (!quota) return undefined;
    const ns = quota.metadata.namespace!;
    const used = computeQuotaUsed(quota, (kind) => api.list(kind, ns), [...api.store.kinds()].filter((k) => k !== 'Event').sort(), this.cluster.sim.now);
    const hard = { ...(quota.spec?.hard ?? {}) };
    if (JSON.stringify(quota.status?.hard ?? {}) !== JSON.stringify(hard) || JSON.stringify(quota.status?.used ?? {}) !== JSON.stringify(used)) {
      try {
        api.mutate('ResourceQuota', ns, quota.metadata.name!, (d) => {
          d.status = { hard, used };
        }, 'status');
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return e;
      }
    }
    return undefined;
  }
}

function hasAny(it: Iterable<unknown>): boolean {
  for (const _ of it) return true;
  return false;
}
