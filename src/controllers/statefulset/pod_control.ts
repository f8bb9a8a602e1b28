// StatefulPodControl against the API server (pkg/controller/statefulset/stateful_pod_control.go):
// claims are created before their pod, existing claims are never updated except for the
// retention policy's ownerRefs, and every write records upstream's event
// ("create Pod web-0 in StatefulSet web successful", "create Claim www-web-0 Pod web-0 in
// StatefulSet web success").

import type { ApiServer } from '../../api/server.js';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../api/errors.js';
import type { StatefulPodControl } from './control.js';
import {
  claimIsStale,
  claimOwnerMatchesSetAndPod,
  getPersistentVolumeClaims,
  updateClaimOwnerRefForSetAndPod,
  updateIdentity,
} from './utils.js';

const title = (verb: string) => verb[0].toUpperCase() + verb.slice(1);

export class ApiStatefulPodControl implements StatefulPodControl {
  constructor(
    private readonly api: ApiServer,
    private readonly component: string,
  ) {}

  private recordPodEvent(verb: string, set: KubeObject, pod: KubeObject, err?: unknown): void {
    if (err === undefined) {
      this.api.recordEvent(set, 'Normal', `Successful${title(verb)}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`, this.component);
    } else {
      this.api.recordEvent(set, 'Warning', `Failed${title(verb)}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`, this.component);
    }
  }

  private recordClaimEvent(verb: string, set: KubeObject, pod: KubeObject, claim: KubeObject, err?: unknown): void {
    if (err === undefined) {
      this.api.recordEvent(set, 'Normal', `Successful${title(verb)}`, `${verb} Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`, this.component);
    } else {
      this.api.recordEvent(set, 'Warning', `Failed${title(verb)}`, `${verb} Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`, this.component);
    }
  }

  createStatefulPod(set: KubeObject, pod: KubeObject): void {
    try {
      this.createPersistentVolumeClaims(set, pod);
    } catch (e) {
      this.recordPodEvent('create', set, pod, e);
      throw e;
    }
    let created: KubeObject;
    try {
      created = this.api.create(pod);
    } catch (e) {
      // an AlreadyExists is sunk without an event: the informer will show the pod
      if (e instanceof ApiError && e.reason === 'AlreadyExists') throw e;
      this.recordPodEvent('create', set, pod, e);
      throw e;
    }
    // set the claims' ownerRefs as far as possible now that the pod has a uid
    try {
      this.updatePodClaimForRetentionPolicy(set, created);
    } catch (e) {
      this.recordPodEvent('update', set, pod, e);
      throw e;
    }
    this.recordPodEvent('create', set, created);
  }

  deleteStatefulPod(set: KubeObject, pod: KubeObject): void {
    try {
      this.api.delete('Pod', pod.metadata.namespace, pod.metadata.name!, { preconditionUid: pod.metadata.uid });
      this.recordPodEvent('delete', set, pod);
    } catch (e) {
      this.recordPodEvent('delete', set, pod, e);
      throw e;
    }
  }

  updateStatefulPod(set: KubeObject, pod: KubeObject): void {
    try {
      // only identity labels, volumes and claim ownerRefs drift; pod volumes are immutable, so a
      // storage fix can only create the missing claims (as upstream, whose update then fails)
      updateIdentity(set, pod);
      this.createMissingPersistentVolumeClaims(set, pod);
      this.updatePodClaimForRetentionPolicy(set, pod);
      const live = this.api.get('Pod', pod.metadata.namespace, pod.metadata.name!);
      if (!live) return;
      const next = structuredClone(live);
      next.metadata.labels = { ...(live.metadata.labels ?? {}), ...pod.metadata.labels };
      if (JSON.stringify(next.metadata.labels) !== JSON.stringify(live.metadata.labels)) this.api.update(next);
    } catch (e) {
      this.recordPodEvent('update', set, pod, e);
      throw e;
    }
  }

  podClaimIsStale(set: KubeObject, pod: KubeObject): boolean {
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      const pvc = this.api.get('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name!);
      if (pvc && claimIsStale(set, pvc, pod.metadata.name!, pod.metadata.uid)) return true;
    }
    return false;
  }

  /** createPersistentVolumeClaims: create missing claims; a claim being deleted blocks the pod */
  private createPersistentVolumeClaims(set: KubeObject, pod: KubeObject): void {
    const errors: string[] = [];
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      const pvc = this.api.get('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name!);
      if (!pvc) {
        try {
          this.api.create(claim);
          this.recordClaimEvent('create', set, pod, claim);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          errors.push(`failed to create PVC ${claim.metadata.name}: ${e.message}`);
          this.recordClaimEvent('create', set, pod, claim, e);
        }
      } else if (pvc.metadata.deletionTimestamp) {
        errors.push(`pvc ${claim.metadata.name} is being deleted`);
      }
    }
    if (errors.length) throw new ApiError('Invalid', errors.join('; '));
  }

  createMissingPersistentVolumeClaims(set: KubeObject, pod: KubeObject): void {
    this.createPersistentVolumeClaims(set, pod);
  }

  claimsMatchRetentionPolicy(set: KubeObject, pod: KubeObject): boolean {
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      const pvc = this.api.get('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name!);
      // a missing claim is recreated by the pod path; it does not count as a mismatch
      if (pvc && !claimOwnerMatchesSetAndPod(pvc, set, pod)) return false;
    }
    return true;
  }

  updatePodClaimForRetentionPolicy(set: KubeObject, pod: KubeObject): void {
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      const pvc = this.api.get('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name!);
      if (!pvc) continue;
      const draft = structuredClone(pvc);
      if (updateClaimOwnerRefForSetAndPod(draft, set, pod)) this.api.update(draft);
    }
  }
}
