// Adoption and release of dependents by selector (pkg/controller/controller_ref_manager.go
// ClaimObject): a controller owns the objects whose controllerRef names it and that still match
// its selector; it releases owned objects that stopped matching, and adopts matching orphans.

import type { ApiServer } from '../api/server.js';
import { controllerRef, getControllerOf } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import type { Selector } from '../api/labels.js';
import { ApiError } from '../api/errors.js';

export function claimObjects(api: ApiServer, owner: KubeObject, selector: Selector, candidates: KubeObject[], component: string): KubeObject[] {
  const claimed: KubeObject[] = [];
  const ownerUid = owner.metadata.uid!;
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  for (const obj of candidates) {
    const ref = getControllerOf(obj);
    const matches = selector.matches(obj.metadata.labels);
    if (ref) {
      if (ref.uid !== ownerUid) continue; // owned by someone else
      if (matches) {
        claimed.push(obj);
        continue;
      }
      if (ownerDeleting) continue;
      release(api, obj, ownerUid);
      continue;
    }
    // orphan
    if (!matches || ownerDeleting || obj.metadata.deletionTimestamp) continue;
    if (obj.metadata.namespace !== owner.metadata.namespace) continue;
    // RecheckDeletionTimestamp: a live read of the owner before adopting
    const live = api.get(owner.kind, owner.metadata.namespace, owner.metadata.name!);
    if (!live || live.metadata.uid !== ownerUid || live.metadata.deletionTimestamp) continue;
    const adopted = adopt(api, obj, owner);
    if (adopted) claimed.push(adopted);
    void component;
  }
  return claimed;
}

function adopt(api: ApiServer, obj: KubeObject, owner: KubeObject): KubeObject | undefined {
  try {
    return api.mutate(obj.kind, obj.metadata.namespace, obj.metadata.name!, (d) => {
      d.metadata.ownerReferences = [...(d.metadata.ownerReferences ?? []), controllerRef(owner)];
    });
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

function release(api: ApiServer, obj: KubeObject, ownerUid: string): void {
  try {
    api.mutate(obj.kind, obj.metadata.namespace, obj.metadata.name!, (d) => {
      const refs = (d.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
      if (refs.length) d.metadata.ownerReferences = refs;
      else delete d.metadata.ownerReferences;
    });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}
