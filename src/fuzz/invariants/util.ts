// Shared pieces of the invariant library: the pods a controller owns (by the store's owner
// index, not by scanning), and a tracker for "this mismatch has lasted longer than its grace".

import type { ApiServer } from '../../api/server.js';
import type { KubeObject } from '../../api/types.js';
import { formatDuration } from '../../util/duration.js';

/** Pods whose controller ownerReference names `owner` (upstream's ControllerRef), by name. */
export function ownedPods(api: ApiServer, owner: KubeObject): KubeObject[] {
  const uid = owner.metadata.uid;
  if (!uid) return [];
  const out: KubeObject[] = [];
  for (const key of api.store.dependentsOf(uid)) {
    const o = api.store.getByKey(key);
    if (o?.kind === 'Pod' && (o.metadata.ownerReferences ?? []).some((r: any) => r.uid === uid && r.controller)) out.push(o);
  }
  return out.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
}

/** Objects a controller owns of one kind (a Deployment's ReplicaSets). */
export function ownedOfKind(api: ApiServer, owner: KubeObject, kind: string): KubeObject[] {
  const uid = owner.metadata.uid;
  if (!uid) return [];
  const out: KubeObject[] = [];
  for (const key of api.store.dependentsOf(uid)) {
    const o = api.store.getByKey(key);
    if (o?.kind === kind && (o.metadata.ownerReferences ?? []).some((r: any) => r.uid === uid && r.controller)) out.push(o);
  }
  return out;
}

export function ref(o: KubeObject): string {
  return `${o.kind.toLowerCase()}/${o.metadata.name}`;
}

export interface Mismatch {
  /** stable identity across states (uid or namespaced name) */
  key: string;
  message: string;
  involved: KubeObject[];
  kind: string;
}

/**
 * Controllers converge after a latency, so most invariants tolerate a mismatch for a grace window
 * and report it only when it outlives it. Tracks since when each key has been mismatching.
 */
export class GraceTracker {
  private readonly since = new Map<string, number>();

  constructor(readonly graceMs: number) {}

  /** Feed the mismatches of the current state; returns the oldest one older than the grace. */
  update(mismatches: Mismatch[], now: number): { m: Mismatch; since: number } | undefined {
    const seen = new Set<string>();
    let worst: { m: Mismatch; since: number } | undefined;
    for (const m of mismatches) {
      seen.add(m.key);
      let t = this.since.get(m.key);
      if (t === undefined) this.since.set(m.key, (t = now));
      if (now - t > this.graceMs && (!worst || t < worst.since)) worst = { m, since: t };
    }
    for (const k of [...this.since.keys()]) if (!seen.has(k)) this.since.delete(k);
    return worst;
  }

  /** The first instant a current mismatch outlives the grace (strictly after since + grace). */
  wakeAt(): number | undefined {
    let best: number | undefined;
    for (const t of this.since.values()) if (best === undefined || t + this.graceMs + 1 < best) best = t + this.graceMs + 1;
    return best;
  }

  describe(v: { m: Mismatch; since: number }, now: number): string {
    return `${v.m.message} since ${formatDuration(v.since)} (${formatDuration(now - v.since)}, grace ${formatDuration(this.graceMs)})`;
  }
}
