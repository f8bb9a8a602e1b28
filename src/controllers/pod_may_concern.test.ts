// podMayConcern: the watch filter of controllers that own pods through a controllerRef. A change
// it drops must be one podEventOwner ignores without touching expectations or the queue.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import type { WatchEvent } from '../api/server.js';
import { ObjectStore } from '../api/store.js';
import { ControllerExpectations, podEventOwner, podMayConcern } from './controller_utils.js';

function obj(kind: string, ref?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind,
    metadata: { name: 'x', namespace: 'ns', uid: 'u', ...(ref ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: ref, name: 'o', uid: 'o', controller: true }] } : {}) },
  } as KubeObject;
}

describe('podMayConcern', () => {
  const rows: [string, WatchEvent, boolean][] = [
    ['a pod of another kind of controller', { type: 'MODIFIED', object: obj('Pod', 'ReplicaSet'), old: obj('Pod', 'ReplicaSet') }, false],
    ['a new pod of another kind of controller', { type: 'ADDED', object: obj('Pod', 'ReplicaSet') }, false],
    ['a deleted pod of another kind of controller', { type: 'DELETED', object: obj('Pod', 'ReplicaSet'), old: obj('Pod', 'ReplicaSet') }, false],
    ['a pod of this kind', { type: 'MODIFIED', object: obj('Pod', 'Job'), old: obj('Pod', 'Job') }, true],
    ['a pod that moved from this kind to another', { type: 'MODIFIED', object: obj('Pod', 'ReplicaSet'), old: obj('Pod', 'Job') }, true],
    ['an orphan pod', { type: 'MODIFIED', object: obj('Pod'), old: obj('Pod') }, true],
    ['a pod released by another controller', { type: 'MODIFIED', object: obj('Pod'), old: obj('Pod', 'ReplicaSet') }, true],
    ['a Node (never filtered)', { type: 'MODIFIED', object: obj('Node', 'ReplicaSet'), old: obj('Node', 'ReplicaSet') }, true],
  ];
  for (const [what, ev, want] of rows) {
    it(`${what}: ${want ? 'delivered' : 'dropped'}`, () => {
      expect(podMayConcern('Job')(ev)).toBe(want);
      if (!want && ev.object.kind === 'Pod') {
        // what the controller would have done with it: nothing
        const store = new ObjectStore();
        const expectations = new ControllerExpectations();
        const enqueued: string[] = [];
        expect(podEventOwner(ev, 'Job', store, expectations, (k) => enqueued.push(k))).toBeUndefined();
        expect(enqueued).toEqual([]);
      }
    });
  }
});
