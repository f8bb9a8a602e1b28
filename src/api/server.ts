// The simulated API server: the only way components talk to each other, as in Kubernetes.
// Writes go through admission (defaulting, validation), get a resourceVersion, bump generation
// on spec changes, and fan out to watchers. Deletion follows the registry's rules: graceful
// pod deletion, finalizers, and the propagation policy that the garbage collector carries out
// (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go).

import type { Simulation } from '../engine/sim.js';
import type { Rng } from '../engine/rng.js';
import { ApiError, alreadyExists, invalid, notFound } from './errors.js';
import { ObjectStore, objectKey } from './store.js';
import type { KubeObject, OwnerReference } from './types.js';
import { parseTimestamp, timestamp } from './time.js';
import { generateName } from './names.js';
import { formatUid, hexInteger } from './uid.js';
import { applyDefaults } from './defaults.js';
import { validateObject, validateUpdate } from './validate.js';
import { isNamespacedKind } from './kinds.js';
import { summarizeEndpoints } from './endpointsSummary.js';
import type { Selector } from './labels.js';
import { checkKindServed } from './crd.js';
import { admit } from '../admission/index.js';
import { preservePodPriority } from '../admission/priority.js';
import { cloneObject, copyMembersSharing, copySharing, isPlainObject, jsonEqual, jsonEqualExceptIn, shallowCopy } from './clone.js';
import { EventCorrelator } from './event_correlator.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
  /** the previous version, for MODIFIED and DELETED */
  old?: KubeObject;
}
export type WatchHandler = (ev: WatchEvent) => void;

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';
export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  /** delete only if the uid still matches (the kubelet's final delete uses this) */
  preconditionUid?: string;
}

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export interface ApiServerOptions {
  kubernetesVersion: string;
  /** which actor writes: recorded in the trace */
}

export class ApiServer {
  readonly store = new ObjectStore();
  private readonly watchers: { kinds: Set<string> | undefined; handler: WatchHandler }[] = [];
  /**
   * The handlers a change of each kind reaches, in registration order: built on first use and
   * dropped whenever a watch starts or stops, so a change calls only the watchers of its kind
   * instead of testing every watcher. A list is never changed once built: a watch started or
   * stopped while a change fans out does not alter that fan-out (as the copy it replaces).
   */
  private watchersByKind = new Map<string, WatchHandler[]>();
  /** pod watchers with a spec.nodeName field selector (kubelets), indexed by node */
  private readonly podWatchersByNode = new Map<string, WatchHandler[]>();
  private readonly uidRng: Rng;
  private readonly nameRng: Rng;
  private eventSeq = 0;

  constructor(
    readonly sim: Simulation,
    readonly options: ApiServerOptions,
  ) {
    this.uidRng = sim.rng.fork('apiserver/uid');
    this.nameRng = sim.rng.fork('apiserver/generateName');
  }

  // ---- reads ---------------------------------------------------------------------------------

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(kind, isNamespacedKind(kind) ? namespace ?? 'default' : undefined, name);
  }

  /** Objects of a kind, sorted by namespace then name, as `kubectl get` lists them. */
  list(kind: string, namespace?: string, selector?: Selector): KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.store.iterate(kind, namespace)) {
      if (!selector || selector.matches(o.metadata.labels)) out.push(o);
    }
    return out.sort(byNamespaceName);
  }

  // ---- watch ---------------------------------------------------------------------------------

  /** Synchronous fan-out of every change; informers add their own latency on top. */
  watch(handler: WatchHandler, kinds?: string[]): () => void {
    const w = { kinds: kinds ? new Set(kinds) : undefined, handler };
    this.watchers.push(w);
    this.watchersByKind = new Map();
    return () => {
      const i = this.watchers.indexOf(w);
      if (i >= 0) this.watchers.splice(i, 1);
      this.watchersByKind = new Map();
    };
  }

  /**
   * Watch the pods bound to one node, as a kubelet does with the field selector
   * `spec.nodeName=<node>`: only changes of those pods are delivered, at O(1) cost per change.
   */
  watchPodsOnNode(nodeName: string, handler: WatchHandler): () => void {
    let list = this.podWatchersByNode.get(nodeName);
    if (!list) this.podWatchersByNode.set(nodeName, (list = []));
    list.push(handler);
    return () => {
      const l = this.podWatchersByNode.get(nodeName);
      const i = l ? l.indexOf(handler) : -1;
      if (l && i >= 0) l.splice(i, 1);
    };
  }

  private notify(ev: WatchEvent): void {
    const o = ev.object;
    // the record `{ t, type: 'object', op, kind, namespace, name, rv, summary }`, packed as it is made
    this.sim.trace.addObject(
      this.sim.now,
      ev.type === 'ADDED' ? 'added' : ev.type === 'MODIFIED' ? 'modified' : 'deleted',
      o.kind,
      o.metadata.namespace,
      o.metadata.name!,
      Number(o.metadata.resourceVersion),
      o.kind === 'Pod' ? this.podSummary(o) : summarize(ev),
    );
    let handlers = this.watchersByKind.get(o.kind);
    if (!handlers) {
      handlers = this.watchers.filter((w) => !w.kinds || w.kinds.has(o.kind)).map((w) => w.handler);
      this.watchersByKind.set(o.kind, handlers);
    }
    for (let i = 0; i < handlers.length; i++) handlers[i](ev);
    if (o.kind === 'Pod' && this.podWatchersByNode.size) {
      const node = o.spec?.nodeName, oldNode = ev.old?.spec?.nodeName;
      if (node) for (const h of this.podWatchersByNode.get(node) ?? []) h(ev);
      if (oldNode && oldNode !== node) for (const h of this.podWatchersByNode.get(oldNode) ?? []) h(ev);
    }
  }

  /**
   * A pod's trace summary (`<phase>[ node=<node>][ ready][ terminating]`), one string per distinct
   * summary shared by every record that prints it: the trace keeps a summary per pod write.
   */
  private podSummary(o: KubeObject): string {
    const phase = o.status?.phase ?? 'Pending';
    const node = o.spec?.nodeName;
    const ready = o.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
    const terminating = !!o.metadata.deletionTimestamp;
    let byPhase = this.podSummaries.get(node || '');
    if (!byPhase) this.podSummaries.set(node || '', (byPhase = new Map()));
    let texts = byPhase.get(phase);
    if (!texts) byPhase.set(phase, (texts = []));
    const i = (ready ? 2 : 0) + (terminating ? 1 : 0);
    return (texts[i] ??= summarizePod(phase, node, ready, terminating));
  }
  /** pod summaries by node ('' when unbound), then phase, then ready and terminating */
  private readonly podSummaries = new Map<unknown, Map<unknown, string[]>>();

  // ---- writes --------------------------------------------------------------------------------

  create(input: KubeObject): KubeObject {
    return this.createObject(cloneObject(input), input.metadata?.name ?? input.metadata?.generateName);
  }

  /**
   * create() of an object the caller gives up (nothing else holds it or any part of it): the
   * server's own Events, built fresh for the write, are kept without a defensive copy.
   */
  private createOwned(obj: KubeObject): KubeObject {
    return this.createObject(obj, obj.metadata?.name ?? obj.metadata?.generateName);
  }

  /** `obj` is private to the write; `inputName` is the name or prefix the client sent. */
  private createObject(obj: KubeObject, inputName: string | undefined): KubeObject {
    obj.metadata ??= {};
    const kind = obj.kind;
    const unserved = checkKindServed(this.store, obj);
    if (unserved) throw unserved;
    if (isNamespacedKind(kind)) {
      obj.metadata.namespace ??= 'default';
      if (kind !== 'Namespace' && !this.store.get('Namespace', undefined, obj.metadata.namespace)) {
        throw new ApiError('NotFound', `namespaces "${obj.metadata.namespace}" not found`);
      }
    } else {
      delete obj.metadata.namespace;
    }
    if (!obj.metadata.name && obj.metadata.generateName) {
      // the registry retries name generation on a conflict; a collision is vanishingly rare
      for (let attempt = 0; attempt < 8; attempt++) {
        const candidate = generateName(obj.metadata.generateName, (n) => this.nameRng.int(n));
        if (!this.store.get(kind, obj.metadata.namespace, candidate)) {
          obj.metadata.name = candidate;
          break;
        }
      }
    }
    const name = obj.metadata.name ?? '';
    if (!name) throw invalid(kind, obj.apiVersion, '', ['metadata.name: Required value: name or generateName is required']);
    if (this.store.get(kind, obj.metadata.namespace, name)) throw alreadyExists(kind, obj.apiVersion, name);
    // BeforeCreate fills the UID before the strategy validates (a Job's generated selector uses it)
    obj.metadata.uid = this.newUid();
    applyDefaults(obj, { kubernetesVersion: this.options.kubernetesVersion });
    admit(this, obj, 'mutate', undefined, inputName);
    const errs = validateObject(obj, this);
    if (errs.length) throw invalid(kind, obj.apiVersion, name, errs);
    admit(this, obj, 'validate');
    const rv = this.store.nextResourceVersion();
    obj.metadata.resourceVersion = String(rv);
    obj.metadata.creationTimestamp = timestamp(this.sim.now);
    if (hasGeneration(obj)) obj.metadata.generation = 1;
    if (Object.hasOwn(obj.metadata, 'deletionTimestamp')) delete obj.metadata.deletionTimestamp;
    this.store.put(obj);
    this.notify({ type: 'ADDED', object: obj });
    return obj;
  }

  /**
   * Replace an object (PUT). `status` is kept from the stored object unless `subresource` is
   * 'status', in which case only status (and nothing else) changes, as with the status subresource.
   */
  update(input: KubeObject, subresource?: 'status'): KubeObject {
    return this.write(input, subresource, false);
  }

  /**
   * The update itself. `owned`: the server built `input` itself for this write and gives it up,
   * so it is kept without a defensive copy (only its top level and metadata are changed here,
   * and what it shares with stored objects is never changed in place).
   */
  private write(input: KubeObject, subresource: 'status' | undefined, owned: boolean): KubeObject {
    const kind = input.kind;
    const ns = isNamespacedKind(kind) ? input.metadata.namespace ?? 'default' : undefined;
    const name = input.metadata.name!;
    const old = this.store.get(kind, ns, name);
    if (!old) throw notFound(kind, input.apiVersion, name);
    let obj: KubeObject;
    let specSame = false;
    if (subresource === 'status') {
      // the copy (of an owned status too) shares every part equal to the stored status's: nothing
      // below writes into a status, and a no-op status write is mostly found as the stored status
      const status = copySharing(input.status, old.status);
      if (status === old.status || jsonEqual(old.status, status)) return old;
      // (Object.assign-built copies, not spreads followed by members: see shallowCopy)
      obj = shallowCopy(old);
      obj.metadata = shallowCopy(old.metadata);
      obj.status = status;
    } else {
      obj = owned ? input : copyUpdateInput(input, old);
      // fields the client cannot change. A member is deleted only when the input has it: a delete
      // turns the object into a slow dictionary-mode object for every later reader
      const meta = obj.metadata, om = old.metadata;
      if (ns) meta.namespace = ns;
      else if (Object.hasOwn(meta, 'namespace')) delete meta.namespace;
      meta.uid = om.uid;
      meta.creationTimestamp = om.creationTimestamp;
      if (om.deletionTimestamp) meta.deletionTimestamp = om.deletionTimestamp;
      else if (Object.hasOwn(meta, 'deletionTimestamp')) delete meta.deletionTimestamp;
      if (om.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
      else if (Object.hasOwn(meta, 'deletionGracePeriodSeconds')) delete meta.deletionGracePeriodSeconds;
      if (hasStatusSubresource(kind)) obj.status = old.status;
      applyDefaults(obj, { kubernetesVersion: this.options.kubernetesVersion, update: true });
      if (kind === 'Pod') preservePodPriority(obj, old); // Priority admission on UPDATE
      const errs = validateObject(obj, this, old);
      // validation may fill the spec (a Service's cluster IP); nothing changes it after this
      specSame = jsonEqual(old.spec, obj.spec);
      errs.push(...validateUpdate(obj, old, specSame));
      if (errs.length) throw invalid(kind, obj.apiVersion, name, errs);
      if (hasGeneration(obj)) {
        obj.metadata.generation = old.metadata.generation ?? 1;
        if (!specSame) obj.metadata.generation += 1;
      }
    }
    // a no-op write does not bump resourceVersion (a status write can only change status)
    if (subresource !== 'status' && sameContent(old, obj, specSame)) return old;
    obj.metadata.resourceVersion = String(this.store.nextResourceVersion());
    // an update that removes the last finalizer of an object being deleted completes the delete
    if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers?.length) && (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0) {
      this.store.remove(old);
      this.notify({ type: 'DELETED', object: obj, old });
      return obj;
    }
    this.store.put(obj);
    this.notify({ type: 'MODIFIED', object: obj, old });
    return obj;
  }

  /** Read-modify-write: `fn` gets a private copy to change. Returns the stored result. */
  mutate(kind: string, namespace: string | undefined, name: string, fn: (draft: KubeObject) => void, subresource?: 'status'): KubeObject {
    const cur = this.get(kind, namespace, name);
    if (!cur) throw notFound(kind, kindApiVersion(kind), name);
    const draft = cloneObject(cur);
    fn(draft);
    return this.update(draft, subresource);
  }

  /**
   * mutate without update's second copy: the draft is this write's own copy, so it is stored as
   * is. Only for callbacks that put into the draft nothing but values built for it (new objects
   * and arrays, primitives, the draft's own members) and keep no reference to the draft; a
   * callback that inserts an object its caller keeps (a compiled action's taints, a controller's
   * cached status) must use mutate, as defaulting could change that object in place and a later
   * change of it by its owner would reach the stored object. Stores what mutate would store.
   */
  mutateOwned(kind: string, namespace: string | undefined, name: string, fn: (draft: KubeObject) => void, subresource?: 'status'): KubeObject {
    const cur = this.get(kind, namespace, name);
    if (!cur) throw notFound(kind, kindApiVersion(kind), name);
    const draft = cloneObject(cur);
    fn(draft);
    // the draft's unchanged parts are replaced by the stored object's (copyUpdateInput), which
    // makes the write's comparisons stop at them; the status subresource shares in write itself
    return this.write(subresource !== 'status' && SHARED_ON_UPDATE.has(kind) ? copyUpdateInput(draft, cur) : draft, subresource, true);
  }

  delete(kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject | undefined {
    const ns = isNamespacedKind(kind) ? namespace ?? 'default' : undefined;
    const obj = this.store.get(kind, ns, name);
    if (!obj) throw notFound(kind, kindApiVersion(kind), name);
    if (opts.preconditionUid && opts.preconditionUid !== obj.metadata.uid) {
      throw new ApiError('Conflict', `Precondition failed: UID in precondition: ${opts.preconditionUid}, UID in object meta: ${obj.metadata.uid}`);
    }
    const now = this.sim.now;
    // the deletion fields are new members of the copy: see shallowCopy
    const meta = shallowCopy(obj.metadata);
    // graceful deletion (pkg/registry/core/pod/strategy.go CheckGracefulDelete)
    if (kind === 'Pod') {
      let grace = opts.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
      const phase = obj.status?.phase;
      if (!obj.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
      if (grace < 0) grace = 1;
      if (grace > 0) {
        const current = meta.deletionGracePeriodSeconds;
        const since = parseTimestamp(meta.deletionTimestamp);
        if (since !== undefined && current !== undefined) {
          // rest/delete.go BeforeDelete: a grace period only shrinks, and the new deadline counts
          // from the first delete (old deadline - old grace + new grace), not from now
          if (current <= grace) return obj;
          meta.deletionTimestamp = timestamp(Math.max(since - current * 1000 + grace * 1000, now));
        } else {
          meta.deletionTimestamp = timestamp(now + grace * 1000);
          bumpGeneration(meta);
        }
        meta.deletionGracePeriodSeconds = grace;
        return this.commit(obj, meta);
      }
      meta.deletionGracePeriodSeconds = 0;
    }
    // propagation (store.go shouldOrphanDependents / shouldDeleteDependents)
    const finalizers = [...(meta.finalizers ?? [])];
    const policy = opts.propagationPolicy ?? policyFromFinalizers(finalizers) ?? defaultPropagation(kind, obj.apiVersion);
    const dropPolicyFinalizers = () => {
      for (const f of [FINALIZER_ORPHAN, FINALIZER_FOREGROUND]) {
        const i = finalizers.indexOf(f);
        if (i >= 0) finalizers.splice(i, 1);
      }
    };
    if (policy === 'Orphan') {
      dropPolicyFinalizers();
      finalizers.push(FINALIZER_ORPHAN);
    } else if (policy === 'Foreground') {
      dropPolicyFinalizers();
      finalizers.push(FINALIZER_FOREGROUND);
    } else if (opts.propagationPolicy === 'Background') {
      dropPolicyFinalizers();
    }
    // orphaning something with no dependents needs no finalizer: the registry skips it too
    if (policy !== 'Background' && this.store.dependentsOf(obj.metadata.uid!).length === 0) dropPolicyFinalizers();
    if (finalizers.length) {
      meta.finalizers = finalizers;
      if (!meta.deletionTimestamp) bumpGeneration(meta);
      meta.deletionTimestamp ??= timestamp(now);
      meta.deletionGracePeriodSeconds = 0;
      return this.commit(obj, meta);
    }
    this.store.remove(obj);
    const goneMeta = shallowCopy(meta);
    goneMeta.deletionTimestamp = meta.deletionTimestamp ?? timestamp(now);
    goneMeta.resourceVersion = String(this.store.nextResourceVersion());
    const gone = shallowCopy(obj);
    gone.metadata = goneMeta;
    this.notify({ type: 'DELETED', object: gone, old: obj });
    return undefined;
  }

  private commit(old: KubeObject, meta: KubeObject['metadata']): KubeObject {
    const m = shallowCopy(meta);
    m.resourceVersion = String(this.store.nextResourceVersion());
    const obj = shallowCopy(old);
    obj.metadata = m;
    this.store.put(obj);
    this.notify({ type: 'MODIFIED', object: obj, old });
    return obj;
  }

  // ---- Kubernetes Events ---------------------------------------------------------------------

  /**
   * Record an Event about an object through client-go's EventCorrelator (./event_correlator.ts):
   * an identical Event increments `count`; from the 10th distinct message with the same source,
   * object, type and reason within 600 s one "(combined from similar events): " Event stands for
   * them; past a burst of 25 per source and object (refilled 1 per 300 s) Events are dropped.
   * The `event` trace record is the Event as written (none for a dropped one).
   */
  recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
    const ns = involved.metadata.namespace ?? 'default';
    const now = this.sim.now;
    const c = this.eventCorrelator.correlate({ object: involved.metadata.uid, component }, type, reason, message, now,
      () => `${involved.metadata.name}.${hexInteger(0x1800000000 + now * 1000 + this.eventSeq++)}`);
    if (c.skip) return;
    this.sim.trace.add({ t: now, type: 'event', kind: involved.kind, namespace: involved.metadata.namespace, name: involved.metadata.name!, eventType: type, reason, message: c.message });
    if (c.update) {
      const cur = this.store.get('Event', ns, c.name);
      if (cur) {
        // the eventLogger's patch: count, lastTimestamp and message. The server's own write: a
        // private top level and metadata (the only parts the update changes); involvedObject and
        // source are the stored Event's, never changed in place
        const next = shallowCopy(cur);
        next.metadata = shallowCopy(cur.metadata);
        next.count = c.count;
        next.lastTimestamp = timestamp(now);
        next.message = c.message;
        this.write(next, undefined, true);
        return;
      }
      // record.go recordEvent: the patch found no Event (deleted meanwhile): create it as observed
    }
    // built here for this write only: kept without a defensive copy
    this.createOwned({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: c.name, namespace: ns },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: involved.metadata.namespace,
        uid: involved.metadata.uid,
      },
      reason,
      message: c.message,
      type,
      count: c.count,
      source: { component },
      firstTimestamp: timestamp(c.firstTimestamp),
      lastTimestamp: timestamp(now),
    });
  }
  private readonly eventCorrelator = new EventCorrelator();

  // ---- helpers -------------------------------------------------------------------------------

  /** a version-4-shaped UUID from the seeded stream: four 32-bit draws */
  private newUid(): string {
    const r = this.uidRng;
    return formatUid(r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32());
  }

  key(obj: KubeObject): string {
    return objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name!);
  }
}

export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

/** store.go markAsDeleting / BeforeDelete: the first deletionTimestamp bumps a positive generation */
function bumpGeneration(meta: KubeObject['metadata']): void {
  if (meta.generation !== undefined && meta.generation > 0) meta.generation += 1;
}

function policyFromFinalizers(finalizers: string[]): PropagationPolicy | undefined {
  if (finalizers.includes(FINALIZER_ORPHAN)) return 'Orphan';
  if (finalizers.includes(FINALIZER_FOREGROUND)) return 'Foreground';
  return undefined;
}

/** DefaultGarbageCollectionPolicy per type (pkg/registry/.../strategy.go): RC and batch/v1 Job orphan. */
export function defaultPropagation(kind: string, apiVersion: string): PropagationPolicy {
  if (kind === 'ReplicationController') return 'Orphan';
  if (kind === 'Job' && apiVersion === 'batch/v1') return 'Orphan';
  return 'Background';
}

function hasGeneration(obj: KubeObject): boolean {
  return obj.spec !== undefined || obj.kind === 'Pod';
}

const STATUS_SUBRESOURCE = new Set([
  'Pod', 'Node', 'Namespace', 'Service', 'ReplicationController', 'ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet',
  'Job', 'CronJob', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'PersistentVolume', 'PersistentVolumeClaim',
  'ResourceQuota', 'Ingress',
]);
function hasStatusSubresource(kind: string): boolean {
  return STATUS_SUBRESOURCE.has(kind);
}

/**
 * Kinds whose update may share subtrees with the stored object (copySharing): their defaulting
 * and validation write into a subtree only where a default is missing, as a function of that
 * subtree alone, so a subtree identical to the stored one (defaulted when it was written) is never
 * written into. Not so for e.g. a Service (a type change allocates node ports into the ports it
 * keeps) or a Job (its selector comes from the uid): those are copied whole.
 */
const SHARED_ON_UPDATE = new Set(['Pod', 'ReplicaSet', 'Deployment', 'Endpoints', 'EndpointSlice', 'Event', 'Node', 'Lease']);

/**
 * An update's private copy of its input: what cloneObject(input) gives once the status of a kind
 * with a status subresource is the stored one (write replaces it: not copied) and, for the kinds
 * of SHARED_ON_UPDATE, with the top level and metadata fresh (write fills them) and every subtree
 * below them identical to the stored object's shared with it.
 */
function copyUpdateInput(input: KubeObject, old: KubeObject): KubeObject {
  const sharing = SHARED_ON_UPDATE.has(input.kind);
  const keepStatus = hasStatusSubresource(input.kind);
  if ((!sharing && !keepStatus) || !isPlainObject(input) || Object.hasOwn(input, '__proto__')) return cloneObject(input);
  const src = input as Record<string, unknown>, base = old as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    const v = src[k];
    if (k === 'status' && keepStatus) out[k] = old.status;
    else if (!sharing) out[k] = cloneObject(v);
    else if (k === 'metadata') out[k] = copyMembersSharing(v as object, old.metadata);
    else out[k] = copySharing(v, Object.hasOwn(base, k) ? base[k] : undefined);
  }
  return out as KubeObject;
}

function sameContent(a: KubeObject, b: KubeObject, specSame: boolean): boolean {
  // JSON.stringify of both without metadata.resourceVersion, compared without printing (./clone.ts);
  // the specs, when already found equal, are not walked again
  return jsonEqualExceptIn(a, b, 'metadata', 'resourceVersion', specSame ? 'spec' : undefined);
}

export function byNamespaceName(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '', nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  const x = a.metadata.name!, y = b.metadata.name!;
  return x < y ? -1 : x > y ? 1 : 0;
}

function kindApiVersion(kind: string): string {
  return ({ Deployment: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1' } as Record<string, string>)[kind] ?? 'v1';
}

/** the summary a pod's record carries */
export function summarizePod(phase: unknown, node: unknown, ready: boolean, terminating: boolean): string {
  const parts = [phase];
  if (node) parts.push(`node=${node}`);
  if (ready) parts.push('ready');
  if (terminating) parts.push('terminating');
  return parts.join(' ');
}

/** a change's trace summary (pods' are remembered per distinct text by the server) */
export function summarize(ev: WatchEvent): string | undefined {
  const o = ev.object;
  if (o.kind === 'Pod') {
    const ready = o.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
    return summarizePod(o.status?.phase ?? 'Pending', o.spec?.nodeName, ready, !!o.metadata.deletionTimestamp);
  }
  if (o.kind === 'EndpointSlice' || o.kind === 'Endpoints') return summarizeEndpoints(o);
  if (o.status && typeof o.status.replicas === 'number') {
    return `replicas=${o.status.replicas} ready=${o.status.readyReplicas ?? 0} spec=${o.spec?.replicas}`;
  }
  return undefined;
}
