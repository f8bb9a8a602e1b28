// The object store behind the simulated API server: objects by kind/namespace/name, with the
// indexes controllers need so that cost grows with the work, not with the cluster:
// by uid, by owner uid (garbage collection, controllers' owned pods), by node (kubelets,
// scheduler) and by namespace. Maps iterate in insertion order, so every walk is deterministic.

import type { KubeObject } from './types.js';

export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}//${name}`;
}

export class ObjectStore {
  private readonly byKind = new Map<string, Map<string, KubeObject>>();
  /**
   * The same objects by kind, then namespace ('' for cluster-scoped), then name, each with its
   * key: get() and put() find an object without building its key (a new string per call,
   * flattened and hashed again); the key is built once, when the object is first stored.
   */
  private readonly byName = new Map<string, Map<string, Map<string, Slot>>>();
  private readonly byUid = new Map<string, KubeObject>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly byNamespace = new Map<string, Map<string, Set<string>>>();
  /** pods with no controller (candidates for adoption), by namespace */
  private readonly orphanPods = new Map<string, Set<string>>();
  private revision = 0;

  nextResourceVersion(): number {
    return ++this.revision;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byName.get(kind)?.get(namespace || '')?.get(name)?.obj;
  }

  getByKey(key: string): KubeObject | undefined {
    const kind = key.slice(0, key.indexOf('/'));
    return this.byKind.get(kind)?.get(key);
  }

  getByUid(uid: string): KubeObject | undefined {
    return this.byUid.get(uid);
  }

  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }

  /** All objects of a kind (optionally one namespace), in insertion order. */
  iterate(kind: string, namespace?: string): Iterable<KubeObject> {
    if (namespace !== undefined) return this.iterateNamespace(kind, namespace);
    // the map's own (live) iterator, as the generator delegating to it gave
    const m = this.byKind.get(kind);
    return m ? m.values() : NONE;
  }

  private *iterateNamespace(kind: string, namespace: string): Iterable<KubeObject> {
    const keys = this.byNamespace.get(namespace)?.get(kind);
    if (!keys) return;
    const m = this.byKind.get(kind)!;
    for (const k of keys) yield m.get(k)!;
  }

  count(kind: string): number {
    return this.byKind.get(kind)?.size ?? 0;
  }

  /** Keys of objects whose ownerReferences name this uid. */
  dependentsOf(uid: string): string[] {
    const s = this.dependents.get(uid);
    return s ? [...s] : [];
  }

  /** whether a namespace holds a pod with no controllerRef: when it does not, a controller's pods are its dependents */
  hasOrphanPods(namespace: string): boolean {
    return (this.orphanPods.get(namespace)?.size ?? 0) > 0;
  }

  podsOnNode(node: string): KubeObject[] {
    const s = this.podsByNode.get(node);
    if (!s) return [];
    const m = this.byKind.get('Pod')!;
    return [...s].map((k) => m.get(k)!);
  }

  put(obj: KubeObject): void {
    const kind = obj.kind;
    const ns = obj.metadata.namespace;
    const name = obj.metadata.name!;
    let m = this.byKind.get(kind);
    if (!m) this.byKind.set(kind, (m = new Map()));
    const names = this.nameMap(kind, ns);
    const slot = names.get(name);
    if (!slot) {
      const key = objectKey(kind, ns, name);
      names.set(name, { key, obj });
      m.set(key, obj);
      this.index(key, obj);
      return;
    }
    const prev = slot.obj, key = slot.key;
    slot.obj = obj;
    m.set(key, obj);
    if (sameIndexKeys(prev, obj)) {
      this.reindexInPlace(key, obj);
      return;
    }
    this.unindex(key, prev);
    this.index(key, obj);
  }

  private nameMap(kind: string, namespace: string | undefined): Map<string, Slot> {
    let byNs = this.byName.get(kind);
    if (!byNs) this.byName.set(kind, (byNs = new Map()));
    const ns = namespace || '';
    let m = byNs.get(ns);
    if (!m) byNs.set(ns, (m = new Map()));
    return m;
  }

  /**
   * unindex + index of a new version whose indexed fields (uid, owner uids and controller flag,
   * node, namespace) did not change: the same sets, without finding each one twice. The key
   * still moves to the end of every set it is in, as the remove and add did: walks of the
   * dependents, a node's pods and a namespace's objects see it in that order.
   */
  private reindexInPlace(key: string, obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (uid) this.byUid.set(uid, obj);
    const refs = obj.metadata.ownerReferences;
    if (refs) {
      for (let i = 0; i < refs.length; i++) {
        const s = this.dependents.get(refs[i].uid)!;
        s.delete(key);
        s.add(key);
      }
    }
    const pod = obj.kind === 'Pod';
    const node = pod ? obj.spec?.nodeName : undefined;
    if (node) moveToEnd(this.podsByNode.get(node)!, key);
    const ns = obj.metadata.namespace;
    if (ns) {
      moveToEnd(this.byNamespace.get(ns)!.get(obj.kind)!, key);
      if (pod && !refs?.some((r) => r.controller)) moveToEnd(this.orphanPods.get(ns)!, key);
    }
  }

  remove(obj: KubeObject): void {
    const names = this.byName.get(obj.kind)?.get(obj.metadata.namespace || '');
    const slot = names?.get(obj.metadata.name!);
    if (!slot) return;
    names!.delete(obj.metadata.name!);
    this.byKind.get(obj.kind)!.delete(slot.key);
    this.unindex(slot.key, slot.obj);
  }

  private index(key: string, obj: KubeObject): void {
    if (obj.metadata.uid) this.byUid.set(obj.metadata.uid, obj);
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let s = this.dependents.get(ref.uid);
      if (!s) this.dependents.set(ref.uid, (s = new Set()));
      s.add(key);
    }
    if (obj.kind === 'Pod' && obj.spec?.nodeName) {
      let s = this.podsByNode.get(obj.spec.nodeName);
      if (!s) this.podsByNode.set(obj.spec.nodeName, (s = new Set()));
      s.add(key);
    }
    const ns = obj.metadata.namespace;
    if (ns) {
      let byKind = this.byNamespace.get(ns);
      if (!byKind) this.byNamespace.set(ns, (byKind = new Map()));
      let s = byKind.get(obj.kind);
      if (!s) byKind.set(obj.kind, (s = new Set()));
      s.add(key);
      if (obj.kind === 'Pod' && !obj.metadata.ownerReferences?.some((r) => r.controller)) {
        let o = this.orphanPods.get(ns);
        if (!o) this.orphanPods.set(ns, (o = new Set()));
        o.add(key);
      }
    }
  }

  private unindex(key: string, obj: KubeObject): void {
    if (obj.metadata.uid && this.byUid.get(obj.metadata.uid) === obj) this.byUid.delete(obj.metadata.uid);
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const s = this.dependents.get(ref.uid);
      if (s) {
        s.delete(key);
        if (s.size === 0) this.dependents.delete(ref.uid);
      }
    }
    if (obj.kind === 'Pod' && obj.spec?.nodeName) this.podsByNode.get(obj.spec.nodeName)?.delete(key);
    const ns = obj.metadata.namespace;
    if (ns) this.byNamespace.get(ns)?.get(obj.kind)?.delete(key);
    if (ns && obj.kind === 'Pod') this.orphanPods.get(ns)?.delete(key);
  }
}

const NONE: Iterable<KubeObject> = [];

/** a stored object and its key */
interface Slot {
  key: string;
  obj: KubeObject;
}

function moveToEnd(s: Set<string>, key: string): void {
  s.delete(key);
  s.add(key);
}

/** whether two versions of an object (same kind, namespace and name) sit in the same index sets */
function sameIndexKeys(a: KubeObject, b: KubeObject): boolean {
  const ma = a.metadata, mb = b.metadata;
  if (ma.uid !== mb.uid) return false;
  if (a.kind === 'Pod' && a.spec?.nodeName !== b.spec?.nodeName) return false;
  const ra = ma.ownerReferences, rb = mb.ownerReferences;
  if (ra === undefined && rb === undefined) return true;
  // anything but two lists of references takes the full unindex + index
  if (!Array.isArray(ra) || !Array.isArray(rb) || ra.length !== rb.length) return false;
  for (let i = 0; i < ra.length; i++) {
    const x = ra[i], y = rb[i];
    if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null || x.uid !== y.uid || !x.controller !== !y.controller) return false;
  }
  return true;
}
