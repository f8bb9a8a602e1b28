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
