// The store's orphan-pod index and the owner index's order, which the ReplicaSet controller relies
// on to read a controller's pods from its dependents instead of walking the namespace.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ObjectStore } from './store.js';
import type { KubeObject } from './types.js';

const OWNERS = ['rs-a', 'rs-b'];
const NAMESPACES = ['ns-1', 'ns-2'];

function pod(ns: string, name: string, owner: string | undefined, controller: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, uid: `${ns}/${name}`, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, ...(controller ? { controller: true } : {}) }] } : {}) },
  } as KubeObject;
}

const op = fc.record({
  remove: fc.boolean(),
  ns: fc.constantFrom(...NAMESPACES),
  name: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4'),
  owner: fc.option(fc.constantFrom(...OWNERS), { nil: undefined }),
  controller: fc.boolean(),
});

describe('ObjectStore orphan pods and owner order', () => {
  it('hasOrphanPods says whether a namespace holds a pod without a controller', () => {
    const s = new ObjectStore();
    expect(s.hasOrphanPods('ns-1')).toBe(false);
    s.put(pod('ns-1', 'a', 'rs-a', true));
    expect(s.hasOrphanPods('ns-1')).toBe(false);
    s.put(pod('ns-1', 'b', 'rs-a', false)); // an owner that is not a controller: still an orphan
    expect(s.hasOrphanPods('ns-1')).toBe(true);
    expect(s.hasOrphanPods('ns-2')).toBe(false);
    s.put(pod('ns-1', 'b', 'rs-a', true)); // adopted
    expect(s.hasOrphanPods('ns-1')).toBe(false);
    s.put(pod('ns-1', 'c', undefined, false));
    s.remove(pod('ns-1', 'c', undefined, false));
    expect(s.hasOrphanPods('ns-1')).toBe(false);
  });

  it('after any writes, a controller’s pods from the owner index are the namespace walk’s, in its order', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const s = new ObjectStore();
        for (const o of ops) {
          const p = pod(o.ns, o.name, o.owner, o.controller);
          if (o.remove) s.remove(p);
          else s.put(p);
          for (const ns of NAMESPACES) {
            const all = [...s.iterate('Pod', ns)];
            expect(s.hasOrphanPods(ns)).toBe(all.some((x) => !x.metadata.ownerReferences?.some((r) => r.controller)));
            for (const uid of OWNERS) {
              const walk = all.filter((x) => x.metadata.ownerReferences?.find((r) => r.controller)?.uid === uid).map((x) => x.metadata.name);
              const viaOwner = s.dependentsOf(uid).map((k) => s.getByKey(k)!).filter((x) => x.metadata.namespace === ns && x.metadata.ownerReferences?.find((r) => r.controller)?.uid === uid).map((x) => x.metadata.name);
              expect(viaOwner).toEqual(walk);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('ObjectStore put of a version with the same index keys', () => {
  // versions of a few pods that differ in owners, controller flag, node and other fields, so that
  // many writes keep every indexed field (the in-place reindex) and others change one
  const version = fc.record({
    remove: fc.boolean(),
    ns: fc.constantFrom(...NAMESPACES),
    name: fc.constantFrom('p0', 'p1', 'p2'),
    uid: fc.constantFrom('u0', 'u1'),
    owners: fc.option(fc.array(fc.record({ uid: fc.constantFrom(...OWNERS), controller: fc.boolean() }), { maxLength: 2 }), { nil: undefined }),
    node: fc.option(fc.constantFrom('n1', 'n2'), { nil: undefined }),
    phase: fc.constantFrom('Pending', 'Running'),
  });
  const build = (v: { ns: string; name: string; uid: string; owners?: { uid: string; controller: boolean }[]; node?: string; phase: string }): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: v.name, namespace: v.ns, uid: `${v.ns}/${v.name}/${v.uid}`,
      ...(v.owners ? { ownerReferences: v.owners.map((o) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.uid, uid: o.uid, ...(o.controller ? { controller: true } : {}) })) } : {}),
    },
    spec: v.node ? { nodeName: v.node } : {},
    status: { phase: v.phase },
  }) as KubeObject;

  it('answers every index query as removing the old version and adding the new one does', () => {
    fc.assert(
      fc.property(fc.array(version, { maxLength: 50 }), (vs) => {
        const s = new ObjectStore(), ref = new ObjectStore();
        for (const v of vs) {
          const o = build(v);
          if (v.remove) {
            s.remove(o);
            ref.remove(o);
            continue;
          }
          s.put(o);
          // the reference always takes the full unindex + index
          const prev = ref.get('Pod', v.ns, v.name);
          if (prev) ref.remove(prev);
          ref.put(o);
          for (const ns of NAMESPACES) {
            expect([...s.iterate('Pod', ns)]).toEqual([...ref.iterate('Pod', ns)]);
            expect(s.hasOrphanPods(ns)).toBe(ref.hasOrphanPods(ns));
          }
          for (const uid of OWNERS) expect(s.dependentsOf(uid)).toEqual(ref.dependentsOf(uid));
          for (const n of ['n1', 'n2']) expect(s.podsOnNode(n)).toEqual(ref.podsOnNode(n));
          for (const ns of NAMESPACES) for (const name of ['p0', 'p1', 'p2']) for (const u of ['u0', 'u1']) {
            const uid = `${ns}/${name}/${u}`;
            expect(s.getByUid(uid)).toBe(ref.getByUid(uid));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('ObjectStore lookups by name', () => {
  it('get answers as a walk over every object of the kind, after any puts and removes', () => {
    const write = fc.record({
      remove: fc.boolean(),
      kind: fc.constantFrom('Pod', 'Node', 'ConfigMap'),
      ns: fc.constantFrom('ns-1', 'ns-2', '', undefined),
      name: fc.constantFrom('a', 'b', 'c'),
      version: fc.nat(3),
    });
    fc.assert(fc.property(fc.array(write, { maxLength: 40 }), (writes) => {
      const s = new ObjectStore();
      for (const w of writes) {
        const o = { apiVersion: 'v1', kind: w.kind, metadata: { name: w.name, namespace: w.ns, uid: `${w.kind}/${w.ns}/${w.name}`, resourceVersion: String(w.version) } } as KubeObject;
        if (w.remove) s.remove(o);
        else s.put(o);
      }
      for (const kind of ['Pod', 'Node', 'ConfigMap', 'Service']) {
        for (const ns of ['ns-1', 'ns-2', '', undefined]) {
          for (const name of ['a', 'b', 'c', 'd']) {
            const walked = [...s.iterate(kind)].find((o) => (o.metadata.namespace || '') === (ns || '') && o.metadata.name === name);
            expect(s.get(kind, ns, name)).toBe(walked);
          }
        }
        expect([...s.iterate(kind)].length).toBe(s.count(kind));
      }
    }), { numRuns: 300 });
  });
});
