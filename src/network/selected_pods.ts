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
  /** Service "ns/name" -> its selected pods' names at the previous call, in name order, and each name's position */
  private readonly previous = new Map<string, { names: string[]; at: Map<string, number> }>();

  /** selectedPods(api.list('Pod', ns), svc): the pods the Service selects, sorted by name */
  of(api: ApiServer, svc: KubeObject): KubeObject[] {
    const ns = svc.metadata.namespace ?? 'default';
    const key = `${ns}/${svc.metadata.name}`;
    if (!svc.spec?.selector) {
      this.previous.delete(key);
      return [];
    }
    const sel = serviceSelector(svc);
    const prev = this.previous.get(key);
    // each selected pod goes to its previous position; the rest are new since the previous call
    const slots: (KubeObject | undefined)[] = prev ? new Array(prev.names.length) : [];
    const added: KubeObject[] = [];
    let placed = 0;
    for (const p of api.store.iterate('Pod', ns)) {
      if (!sel.matches(p.metadata.labels)) continue;
      const i = prev?.at.get(p.metadata.name!);
      if (i === undefined) added.push(p);
      else {
        slots[i] = p;
        placed++;
      }
    }
    if (added.length === 0 && prev && placed === prev.names.length) return slots as KubeObject[];
    const kept: KubeObject[] = [];
    for (const p of slots) if (p) kept.push(p);
    // new pods sorted among themselves, then merged into the kept order
    added.sort(byName);
    const out: KubeObject[] = new Array(kept.length + added.length);
    let i = 0, j = 0, k = 0;
    while (i < kept.length && j < added.length) out[k++] = byName(kept[i], added[j]) < 0 ? kept[i++] : added[j++];
    while (i < kept.length) out[k++] = kept[i++];
    while (j < added.length) out[k++] = added[j++];
    const names = out.map((p) => p.metadata.name!);
    this.previous.set(key, { names, at: new Map(names.map((n, x) => [n, x])) });
    return out;
  }

  /** the Service is gone: its order is forgotten */
  forget(ns: string, name: string): void {
    this.previous.delete(`${ns}/${name}`);
  }
}
