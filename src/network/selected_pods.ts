// The pods a Service selects, in name order, as both endpoint controllers read them at every sync
// (`selectedPods(api.list('Pod', ns), svc)`: the namespace's pods sorted by name, then filtered).
// Sorting a namespace's pods at every sync was a fifth of a sync's cost at 250 endpoints; a
// Service's pods rarely change between two syncs (most syncs follow a pod's status change), so
// the order of the previous sync is kept and only pods new since then are sorted and merged in.
// The live store is still read every time: this remembers an order, never the set of pods.

import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import { selectorFromSet, type Selector } from '../api/labels.js';

/** a Service object's selector, compiled once (stored objects are never changed in place) */
const selectors = new WeakMap<KubeObject, Selector>();

export function serviceSelector(svc: KubeObject): Selector {
  let s = selectors.get(svc);
  if (!s) selectors.set(svc, (s = selectorFromSet(svc.spec.selector)));
  return s;
}

function byName(a: KubeObject, b: KubeObject): number {
  const x = a.metadata.name!, y = b.metadata.name!;
  return x < y ? -1 : x > y ? 1 : 0;
}

export class SelectedPods {
  /** Service "ns/name" -> the names of its selected pods at the previous call, in name order */
  private readonly previous = new Map<string, string[]>();

  /** selectedPods(api.list('Pod', ns), svc): the pods the Service selects, sorted by name */
  of(api: ApiServer, svc: KubeObject): KubeObject[] {
    const ns = svc.metadata.namespace ?? 'default';
    const key = `${ns}/${svc.metadata.name}`;
    if (!svc.spec?.selector) {
      this.previous.delete(key);
      return [];
    }
    const sel = serviceSelector(svc);
    const byPodName = new Map<string, KubeObject>();
    for (const p of api.store.iterate('Pod', ns)) if (sel.matches(p.metadata.labels)) byPodName.set(p.metadata.name!, p);
    const prev = this.previous.get(key) ?? [];
    const kept: KubeObject[] = [];
    for (const name of prev) {
      const p = byPodName.get(name);
      if (p) kept.push(p);
    }
    if (kept.length === byPodName.size) {
      if (kept.length !== prev.length) this.previous.set(key, kept.map((p) => p.metadata.name!));
      return kept;
    }
    // pods new since the previous call: sorted among themselves, then merged into the kept order
    const keptSet = new Set<KubeObject>(kept);
    const added: KubeObject[] = [];
    for (const p of byPodName.values()) if (!keptSet.has(p)) added.push(p);
    added.sort(byName);
    const out: KubeObject[] = new Array(kept.length + added.length);
    let i = 0, j = 0, k = 0;
    while (i < kept.length && j < added.length) out[k++] = byName(kept[i], added[j]) < 0 ? kept[i++] : added[j++];
    while (i < kept.length) out[k++] = kept[i++];
    while (j < added.length) out[k++] = added[j++];
    this.previous.set(key, out.map((p) => p.metadata.name!));
    return out;
  }

  /** the Service is gone: its order is forgotten */
  forget(ns: string, name: string): void {
    this.previous.delete(`${ns}/${name}`);
  }
}
