// Services by selector, for the endpoint controllers' pod handlers (getPodServiceMemberships in
// staging k8s.io/endpointslice and pkg/controller/endpoint): which Services of a namespace select
// a pod. Scanning the namespace's Services and compiling each selector per pod change cost
// O(Services in the namespace) per change; the index looks up each of the pod's labels instead.
// It is kept by a synchronous watch of the API server's Services, so it always answers as the live
// store does; on a change it re-reads the store (a nested write during a fan-out is seen last).

import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import type { Selector } from '../api/labels.js';
import { serviceSelector } from './selected_pods.js';

interface Indexed {
  svc: KubeObject;
  sel: Selector;
}

interface NamespaceIndex {
  /** Service name -> its object and compiled selector */
  byName: Map<string, Indexed>;
  /** label key -> value -> names of Services indexed under that pair (one pair per selector) */
  byPair: Map<string, Map<string, Set<string>>>;
  /** Services whose selector has no string pair to index by (the empty selector selects every pod) */
  unindexed: Set<string>;
}

const indexes = new WeakMap<ApiServer, ServiceSelectorIndex>();

/** The cluster's index (one per API server, shared by both endpoint controllers). */
export function serviceSelectorIndex(api: ApiServer): ServiceSelectorIndex {
  let ix = indexes.get(api);
  if (!ix) indexes.set(api, (ix = new ServiceSelectorIndex(api)));
  return ix;
}

export class ServiceSelectorIndex {
  private readonly namespaces = new Map<string, NamespaceIndex>();

  constructor(private readonly api: ApiServer) {
    for (const svc of api.store.iterate('Service')) this.refresh(svc.metadata.namespace ?? 'default', svc.metadata.name!);
    api.watch((ev) => this.refresh(ev.object.metadata.namespace ?? 'default', ev.object.metadata.name!), ['Service']);
  }

  /**
   * servicesForPod(api.store.iterate('Service', ns), ...labelSets): the namespace's Services with
   * a selector matching any of the label sets, in the store's order.
   */
  servicesForPod(ns: string, ...labelSets: (Record<string, string> | undefined)[]): KubeObject[] {
    const nsi = this.namespaces.get(ns);
    if (!nsi) return [];
    const found = new Set<string>();
    for (const labels of labelSets) {
      if (!labels) continue;
      for (const name of nsi.unindexed) if (nsi.byName.get(name)!.sel.matches(labels)) found.add(name);
      for (const k of Object.keys(labels)) {
        const names: Set<string> | undefined = nsi.byPair.get(k)?.get(labels[k]);
        if (!names) continue;
        for (const name of names) if (!found.has(name) && nsi.byName.get(name)!.sel.matches(labels)) found.add(name);
      }
    }
    if (found.size === 0) return [];
    if (found.size === 1) for (const name of found) return [nsi.byName.get(name)!.svc];
    // several: in the order the store iterates them (which moves a Service last when it is written)
    const out: KubeObject[] = [];
    for (const svc of this.api.store.iterate('Service', ns)) if (found.has(svc.metadata.name!)) out.push(svc);
    return out;
  }

  private refresh(ns: string, name: string): void {
    let nsi = this.namespaces.get(ns);
    const prev = nsi?.byName.get(name);
    const svc = this.api.store.get('Service', ns, name);
    if (prev?.svc === svc) return;
    if (prev && nsi) this.drop(nsi, name, prev);
    if (!svc?.spec?.selector) return;
    if (!nsi) this.namespaces.set(ns, (nsi = { byName: new Map(), byPair: new Map(), unindexed: new Set() }));
    const entry = { svc, sel: serviceSelector(svc) };
    nsi.byName.set(name, entry);
    const pair = indexPair(svc.spec.selector);
    if (!pair) nsi.unindexed.add(name);
    else {
      let values = nsi.byPair.get(pair[0]);
      if (!values) nsi.byPair.set(pair[0], (values = new Map()));
      let names = values.get(pair[1]);
      if (!names) values.set(pair[1], (names = new Set()));
      names.add(name);
    }
  }

  private drop(nsi: NamespaceIndex, name: string, prev: Indexed): void {
    nsi.byName.delete(name);
    const pair = indexPair(prev.svc.spec.selector);
    if (!pair) nsi.unindexed.delete(name);
    else nsi.byPair.get(pair[0])?.get(pair[1])?.delete(name);
  }
}

/** the pair a selector is indexed under: its first key with a string value (a pod it selects has that label) */
function indexPair(selector: Record<string, unknown>): [string, string] | undefined {
  for (const k of Object.keys(selector)) {
    const v = selector[k];
    if (typeof v === 'string') return [k, v];
  }
  return undefined;
}
