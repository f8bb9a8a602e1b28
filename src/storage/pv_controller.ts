// The PersistentVolume controller (pkg/controller/volume/persistentvolume/pv_controller.go
// syncClaim/syncUnboundClaim/syncBoundClaim/syncVolume/bind/reclaimVolume) plus a simulated
// external provisioner that creates `pvc-<claim uid>` volumes for any StorageClass provisioner
// (except kubernetes.io/no-provisioner). Pending claims and volumes are re-synced every 15 s,
// the controller's resync period, only while some claim is still pending.

import type { Cluster, Component } from '../engine/cluster.js';
import { Informer, WorkQueue, drawLatency } from '../engine/component.js';
import type { WatchEvent } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { ApiError } from '../api/errors.js';
import { objectKey } from '../api/store.js';
import { checkVolumeSatisfyClaim, claimClass, findBestMatchForClaim, isVolumeBoundToClaim } from './match.js';
import type { Rng } from '../engine/rng.js';

const COMPONENT = 'persistentvolume-controller';
export const RESYNC_MS = 15_000;
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

export class PersistentVolumeController implements Component {
  readonly name = COMPONENT;
  private readonly queue: WorkQueue;
  private readonly rng: Rng;
  private resyncScheduled = false;
  /** claims a provisioning is under way for (claim uid) */
  private readonly provisioning = new Set<string>();

  constructor(private readonly cluster: Cluster) {
    const t = cluster.timing;
    this.rng = cluster.rng(`${COMPONENT}/provisioner`);
    this.queue = new WorkQueue(cluster.sim, COMPONENT, t.controllerLatency, cluster.rng(`${COMPONENT}/queue`), (key) => this.sync(key));
    new Informer(cluster.sim, cluster.api, COMPONENT, ['PersistentVolume', 'PersistentVolumeClaim', 'StorageClass'], t.watchLatency, cluster.rng(`${COMPONENT}/informer`), (ev) => this.onEvent(ev));
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === 'StorageClass') {
      this.enqueuePendingClaims();
      return;
    }
    this.queue.add(objectKey(o.kind, o.metadata.namespace, o.metadata.name!));
    // a claim that went away releases its volume
    if (o.kind === 'PersistentVolumeClaim' && ev.type === 'DELETED' && o.spec?.volumeName) this.queue.add(objectKey('PersistentVolume', undefined, o.spec.volumeName));
  }

  private enqueuePendingClaims(): void {
    for (const c of this.cluster.api.store.iterate('PersistentVolumeClaim')) if (c.status?.phase !== 'Bound') this.queue.add(objectKey(c.kind, c.metadata.namespace, c.metadata.name!));
  }

  private scheduleResync(): void {
    if (this.resyncScheduled) return;
    this.resyncScheduled = true;
    this.cluster.sim.schedule(RESYNC_MS, `${COMPONENT}/resync`, () => {
      this.resyncScheduled = false;
      this.enqueuePendingClaims();
    });
  }

  private sync(key: string): void {
    const o = this.cluster.api.store.getByKey(key);
    if (!o) return;
    try {
      if (o.kind === 'PersistentVolumeClaim') this.syncClaim(o);
      else if (o.kind === 'PersistentVolume') this.syncVolume(o);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.queue.addAfter(key, 1000);
    }
  }

  private event(o: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component = COMPONENT): void {
    this.cluster.api.recordEvent(o, type, reason, message, component);
  }

  // ---- claims ----------------------------------------------------------------------------------

  private syncClaim(claim: KubeObject): void {
    if (claim.metadata.deletionTimestamp) return;
    if (claim.metadata.annotations?.[ANN_BIND_COMPLETED]) return this.syncBoundClaim(claim);
    return this.syncUnboundClaim(claim);
  }

  private storageClass(name: string): KubeObject | undefined {
    return name ? this.cluster.api.get('StorageClass', undefined, name) : undefined;
  }

  private syncUnboundClaim(claim: KubeObject): void {
    const api = this.cluster.api;
    const volumeName: string | undefined = claim.spec?.volumeName;
    if (!volumeName) {
      const cls = claimClass(claim);
      const sc = this.storageClass(cls);
      const delayBinding = sc?.volumeBindingMode === 'WaitForFirstConsumer';
      const selectedNode = claim.metadata.annotations?.[ANN_SELECTED_NODE];
      // with WaitForFirstConsumer the scheduler's volume binder chooses static volumes (it writes
      // the PV's claimRef, src/scheduler/volumebinding.ts): here only a PV pre-bound to the claim
      // matches; with a selected node and none, the claim is provisioned
      const pv = findBestMatchForClaim(claim, [...api.store.iterate('PersistentVolume')], delayBinding);
      if (pv) return this.bind(pv, claim, !isVolumeBoundToClaim(pv, claim) || !!pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]);
      if (delayBinding && !selectedNode) {
        this.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      } else if (cls !== '') {
        if (!sc) this.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`);
        else this.provision(claim, sc);
      } else {
        this.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      }
      this.setClaimPhase(claim, 'Pending');
      this.scheduleResync();
      return;
    }
    // a claim that names its volume (pre-bound claim)
    const pv = api.get('PersistentVolume', undefined, volumeName);
    if (!pv) {
      this.setClaimPhase(claim, 'Pending');
      this.scheduleResync();
      return;
    }
    if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, claim)) {
      const why = pv.spec?.claimRef ? undefined : checkVolumeSatisfyClaim(pv, claim);
      if (why) {
        this.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volumeName}": ${why}`);
        this.setClaimPhase(claim, 'Pending');
        this.scheduleResync();
        return;
      }
      return this.bind(pv, claim, false);
    }
    this.event(claim, 'Normal', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
    this.setClaimPhase(claim, 'Pending');
    this.scheduleResync();
  }

  private syncBoundClaim(claim: KubeObject): void {
    const api = this.cluster.api;
    const volumeName: string | undefined = claim.spec?.volumeName;
    if (!volumeName) {
      this.setClaimPhase(claim, 'Lost', () => this.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!'));
      return;
    }
    const pv = api.get('PersistentVolume', undefined, volumeName);
    if (!pv) {
      this.setClaimPhase(claim, 'Lost', () => this.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!'));
      return;
    }
    if (!pv.spec?.claimRef) return this.bind(pv, claim, false);
    if (pv.spec.claimRef.uid === claim.metadata.uid) {
      this.updateClaimStatus(claim, pv);
      return;
    }
    this.setClaimPhase(claim, 'Lost', () => this.event(claim, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly'));
  }

  private setClaimPhase(claim: KubeObject, phase: string, onChange?: () => void): void {
    if (claim.status?.phase === phase) return;
    this.cluster.api.mutate('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name!, (d) => {
      d.status = { ...(d.status ?? {}), phase };
    }, 'status');
    onChange?.();
  }

  /** bind(): the volume first (claimRef, then phase), then the claim (volumeName, then status) */
  private bind(pv: KubeObject, claim: KubeObject, byController: boolean): void {
    const api = this.cluster.api;
    const ref = { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion };
    let volume = api.mutate('PersistentVolume', undefined, pv.metadata.name!, (d) => {
      if (!isVolumeBoundToClaim(d, claim) || !d.spec.claimRef?.uid) d.spec.claimRef = ref;
      if (byController) d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
    });
    if (volume.status?.phase !== 'Bound') volume = api.mutate('PersistentVolume', undefined, pv.metadata.name!, (d) => {
      d.status = { ...(d.status ?? {}), phase: 'Bound' };
    }, 'status');
    const bound = api.mutate('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name!, (d) => {
      d.spec.volumeName = pv.metadata.name;
      const ann: Record<string, string> = { ...(d.metadata.annotations ?? {}), [ANN_BIND_COMPLETED]: 'yes' };
      if (byController) ann[ANN_BOUND_BY_CONTROLLER] = 'yes';
      d.metadata.annotations = ann;
    });
    this.updateClaimStatus(bound, volume);
  }

  /** updateClaimStatus: the claim reports the volume's capacity and access modes */
  private updateClaimStatus(claim: KubeObject, pv: KubeObject): void {
    const want = { phase: 'Bound', accessModes: pv.spec?.accessModes ?? [], capacity: { ...(pv.spec?.capacity ?? {}) } };
    const s = claim.status ?? {};
    if (s.phase === want.phase && JSON.stringify(s.accessModes) === JSON.stringify(want.accessModes) && JSON.stringify(s.capacity) === JSON.stringify(want.capacity)) return;
    this.cluster.api.mutate('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name!, (d) => {
      d.status = { ...(d.status ?? {}), ...want };
    }, 'status');
  }

  // ---- provisioning ------------------------------------------------------------------------------

  private provision(claim: KubeObject, sc: KubeObject): void {
    const provisioner = String(sc.provisioner ?? '');
    if (provisioner === NO_PROVISIONER) return;
    const api = this.cluster.api;
    if (claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== provisioner) {
      api.mutate('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name!, (d) => {
        d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner };
      });
    }
    this.event(claim, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
    const uid = claim.metadata.uid!;
    if (this.provisioning.has(uid)) return;
    this.provisioning.add(uid);
    const delay = drawLatency(this.rng, this.cluster.timing.controllerLatency);
    this.cluster.sim.schedule(delay, `${COMPONENT}/provision`, () => {
      this.provisioning.delete(uid);
      const cur = api.store.getByUid(uid);
      if (!cur || cur.spec?.volumeName) return;
      this.event(cur, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${cur.metadata.namespace}/${cur.metadata.name}"`, provisioner);
      const name = `pvc-${uid}`;
      if (!api.get('PersistentVolume', undefined, name)) {
        api.create({
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name, annotations: { [ANN_PROVISIONED_BY]: provisioner } },
          spec: {
            accessModes: [...(cur.spec?.accessModes ?? [])],
            capacity: { storage: cur.spec?.resources?.requests?.storage },
            claimRef: { kind: 'PersistentVolumeClaim', namespace: cur.metadata.namespace, name: cur.metadata.name, uid, apiVersion: 'v1', resourceVersion: cur.metadata.resourceVersion },
            persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
            storageClassName: sc.metadata.name,
            volumeMode: cur.spec?.volumeMode ?? 'Filesystem',
            csi: { driver: provisioner, volumeHandle: name },
          },
        });
      }
      this.event(cur, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`, provisioner);
    });
  }

  // ---- volumes -----------------------------------------------------------------------------------

  private setVolumePhase(pv: KubeObject, phase: string, message?: string): KubeObject {
    if (pv.status?.phase === phase) return pv;
    return this.cluster.api.mutate('PersistentVolume', undefined, pv.metadata.name!, (d) => {
      d.status = { ...(d.status ?? {}), phase, ...(message ? { message } : {}) };
      if (!message) delete d.status.message;
    }, 'status');
  }

  private syncVolume(pv: KubeObject): void {
    const api = this.cluster.api;
    if (pv.metadata.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    if (!ref || !ref.uid) {
      this.setVolumePhase(pv, 'Available');
      return;
    }
    const claim = api.get('PersistentVolumeClaim', ref.namespace, ref.name);
    if (!claim || claim.metadata.uid !== ref.uid) {
      // the claim is gone: Released, then the reclaim policy
      if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') pv = this.setVolumePhase(pv, 'Released');
      this.reclaim(pv);
      return;
    }
    if (!claim.spec?.volumeName) {
      // the binding is not complete yet: syncClaim finishes it
      this.setVolumePhase(pv, 'Bound');
      this.queue.add(objectKey('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name!));
      return;
    }
    if (claim.spec.volumeName === pv.metadata.name) {
      this.setVolumePhase(pv, 'Bound');
      return;
    }
    // the claim is bound to another volume: a controller-made binding is undone
    if (pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]) {
      api.mutate('PersistentVolume', undefined, pv.metadata.name!, (d) => {
        delete d.spec.claimRef;
        if (d.metadata.annotations) delete d.metadata.annotations[ANN_BOUND_BY_CONTROLLER];
      });
    }
  }

  /** reclaimVolume: Retain keeps the volume Released; Delete removes it; Recycle has no recycler */
  private reclaim(pv: KubeObject): void {
    const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Retain') return;
    if (policy === 'Recycle') {
      if (pv.status?.phase !== 'Failed') {
        this.setVolumePhase(pv, 'Failed', 'No recycler plugin found for the volume!');
        this.event(pv, 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
      }
      return;
    }
    const name = pv.metadata.name!;
    const uid = pv.metadata.uid;
    this.cluster.sim.schedule(drawLatency(this.rng, this.cluster.timing.controllerLatency), `${COMPONENT}/delete`, () => {
      const cur = this.cluster.api.get('PersistentVolume', undefined, name);
      if (!cur || cur.metadata.uid !== uid || cur.metadata.deletionTimestamp) return;
      try {
        this.cluster.api.delete('PersistentVolume', undefined, name);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    });
  }
}
