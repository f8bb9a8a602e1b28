// The EndpointSlice controller (pkg/controller/endpointslice, staging k8s.io/endpointslice
// reconciler.go) and the EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring).
// Slices carry per-endpoint conditions (ready, serving, terminating), hold at most 100 endpoints,
// group pods by their resolved port list, and a Service with no endpoints keeps one placeholder
// slice. Selector-less Services' hand-made Endpoints are mirrored into slices.

import type { Cluster, Component } from '../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../engine/component.js';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, type RateLimiter } from '../engine/rate_limiters.js';
import type { KubeObject } from '../api/types.js';
import type { WatchEvent } from '../api/server.js';
import { controllerRef } from '../api/server.js';
import { objectKey } from '../api/store.js';
import { jsonEqual } from '../api/clone.js';
import {
  LABEL_HEADLESS,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  LABEL_SKIP_MIRROR,
  MANAGED_BY_CONTROLLER,
  MANAGED_BY_MIRRORING,
  findPort,
  isPodReady,
  managesEndpoints,
  podIPv4,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './endpointutil.js';
import { endpointsWatchRelevant, enqueueServicesOfPod, splitKey } from './endpoints.js';
import { apiError, ignoreNotFound } from '../api/errors.js';
import { parseIPv4 } from './ip.js';
import { SelectedPods } from './selected_pods.js';
import { serviceSelectorIndex } from './service_index.js';

/** --max-endpoints-per-slice default (config/v1alpha1/defaults.go) */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** --mirroring-max-endpoints-per-subset default */
export const MIRRORING_MAX_ENDPOINTS_PER_SUBSET = 1000;
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind: string; namespace?: string; name: string; uid?: string };
}
export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** podToEndpoint (utils.go) */
export function podToEndpoint(pod: KubeObject, node: KubeObject | undefined, svc: KubeObject): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // a terminating pod is never "ready" unless the Service publishes not-ready addresses
  const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating);
  const ip = podIPv4(pod);
  const ep: SliceEndpoint = { addresses: ip ? [ip] : [], conditions: { ready, serving, terminating } };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[LABEL_TOPOLOGY_ZONE];
  if (zone) ep.zone = zone;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name!, uid: pod.metadata.uid };
  return ep;
}

export interface PortGroup {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export function portMapKey(ports: SlicePort[]): string {
  return JSON.stringify(ports);
}

/**
 * portMapKey by port list object, for lists nobody changes in place: stored slices' lists, and
 * the lists built for a Service's desired slices (podPorts)
 */
const portKeys = new WeakMap<object, string>();

export function storedPortMapKey(ports: SlicePort[]): string {
  if (ports === null || typeof ports !== 'object') return portMapKey(ports);
  let k = portKeys.get(ports);
  if (k === undefined) portKeys.set(ports, (k = portMapKey(ports)));
  return k;
}

/**
 * A slice was written with `written` as its ports: the stored copy of that list has the same
 * key when it prints the same (portMapKey is its JSON text), so the next sync need not print it.
 */
function carryPortKey(stored: KubeObject | undefined, written: SlicePort[]): void {
  const to = (stored as any)?.ports;
  if (to === null || typeof to !== 'object' || to === written || portKeys.has(to)) return;
  const k = portKeys.get(written);
  if (k !== undefined && jsonEqual(to, written)) portKeys.set(to, k);
}

/**
 * reconcileByAddressType: the desired endpoints grouped by each pod's resolved port list
 * (NewPortMapKey). Terminating pods are included (with their conditions); a pod on a Node the
 * controller does not know is skipped unless the Service publishes not-ready addresses.
 */
export function desiredByPortMap(svc: KubeObject, pods: KubeObject[], getNode: (name: string) => KubeObject | undefined): Map<string, PortGroup> {
  const out = new Map<string, PortGroup>();
  const publish = !!svc.spec?.publishNotReadyAddresses;
  const portsOf = podPorts(svc);
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const { ports, key } = portsOf(pod);
    const node = pod.spec?.nodeName ? getNode(pod.spec.nodeName) : undefined;
    if (!node && !publish) continue;
    const ep = cachedPodEndpoint(pod, node, svc);
    if (ep.addresses.length === 0) continue;
    let g = out.get(key);
    if (!g) out.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(ep);
  }
  return out;
}

/** podPorts's list for a Service whose every port has a numeric target, by Service object */
const fixedPorts = new WeakMap<KubeObject, { ports: SlicePort[]; key: string }>();

/**
 * A pod's resolved port list and its portMapKey, for one call of desiredByPortMap. A numeric (or
 * absent) targetPort resolves the same for every pod, so when every port of the Service has one,
 * the list is built once; otherwise once per distinct list of resolved numbers.
 */
function podPorts(svc: KubeObject): (pod: KubeObject) => { ports: SlicePort[]; key: string } {
  const svcPorts: any[] = svc.spec?.ports ?? [];
  const build = (nums: (number | undefined)[]) => {
    const ports: SlicePort[] = [];
    svcPorts.forEach((sp, i) => {
      const num = nums[i];
      if (num === undefined) return;
      const p: SlicePort = { name: sp.name ?? '', port: num, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol) p.appProtocol = sp.appProtocol;
      ports.push(p);
    });
    const key = portMapKey(ports);
    portKeys.set(ports, key);
    return { ports, key };
  };
  if (svcPorts.every((sp) => typeof (sp.targetPort ?? sp.port) === 'number')) {
    // built from the Service alone: once per Service object (stored, never changed; nothing
    // changes the list in place, the API server copies what it is given)
    let fixed = fixedPorts.get(svc);
    if (!fixed) fixedPorts.set(svc, (fixed = build(svcPorts.map((sp) => sp.targetPort ?? sp.port))));
    const f = fixed;
    return () => f;
  }
  const byNums = new Map<string, { ports: SlicePort[]; key: string }>();
  return (pod) => {
    const nums = svcPorts.map((sp) => findPort(pod, sp));
    const sig = nums.join(',');
    let r = byNums.get(sig);
    if (!r) byNums.set(sig, (r = build(nums)));
    return r;
  };
}

/** pod object -> its endpoint as last built, and what else it was built from (the Service's
 * publishNotReadyAddresses, the hostname rule, the node's zone): stored objects never change */
const podEndpoints = new WeakMap<KubeObject, { publish: boolean; hostname: boolean; zone: string; ep: SliceEndpoint }>();

/** podToEndpoint, remembered per pod object: desired endpoints are compared with stored ones
 * by identity first (planSlices), and a pod unchanged since the last sync gives the same object */
function cachedPodEndpoint(pod: KubeObject, node: KubeObject | undefined, svc: KubeObject): SliceEndpoint {
  const publish = !!svc.spec?.publishNotReadyAddresses;
  const hostname = shouldSetHostname(pod, svc);
  const zone: string = node?.metadata.labels?.[LABEL_TOPOLOGY_ZONE] || '';
  const c = podEndpoints.get(pod);
  if (c && c.publish === publish && c.hostname === hostname && c.zone === zone) return c.ep;
  const ep = podToEndpoint(pod, node, svc);
  podEndpoints.set(pod, { publish, hostname, zone, ep });
  return ep;
}

/** A slice as the reconciler sees it: name undefined = to create. */
export interface SliceDraft {
  name?: string;
  labels: Record<string, string>;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export interface SlicePlan {
  create: SliceDraft[];
  update: SliceDraft[];
  delete: string[];
}

function endpointKey(ep: SliceEndpoint): string {
  return `${ep.targetRef?.uid ?? ''}|${ep.addresses[0] ?? ''}`;
}

const desiredKeys = new WeakMap<SliceEndpoint, string>();

/** a desired endpoint's key, once per endpoint object (desired endpoints are cached per pod object) */
function desiredKey(ep: SliceEndpoint): string {
  let k = desiredKeys.get(ep);
  if (k === undefined) desiredKeys.set(ep, (k = endpointKey(ep)));
  return k;
}

/**
 * What planning learnt about an existing slice's endpoint list (a stored slice's array, which is
 * never changed): each endpoint's key, and the desired endpoint object each was found to print
 * the same as. Desired endpoints are cached per pod object and never changed either, so a later
 * plan wanting the same object needs no walk of either.
 */
interface KnownEndpoints {
  keys: string[];
  equalTo: (SliceEndpoint | undefined)[];
}

const knownLists = new WeakMap<readonly SliceEndpoint[], KnownEndpoints>();

function known(list: readonly SliceEndpoint[]): KnownEndpoints {
  let k = knownLists.get(list);
  if (!k || k.keys.length !== list.length) knownLists.set(list, (k = { keys: list.map(endpointKey), equalTo: new Array(list.length) }));
  return k;
}

/**
 * reconcileByPortMapping + reconcile's placeholder and create-to-update rules (reconciler.go):
 * 1. existing slices keep the endpoints still wanted (updated in place); emptied slices go;
 * 2. slices already being updated are filled up, fullest first;
 * 3. what remains goes into the unchanged slice it fits closest to full (getSliceToFill), else
 *    into new slices of at most `max`;
 * then a Service with no endpoints keeps exactly one placeholder slice, and creates are turned
 * into updates of slices that would otherwise be deleted.
 */
export function planSlices(existing: SliceDraft[], desired: Map<string, PortGroup>, labels: Record<string, string>, max: number): SlicePlan {
  const create: SliceDraft[] = [], update: SliceDraft[] = [], del: SliceDraft[] = [];
  const byPort = new Map<string, SliceDraft[]>();
  for (const s of existing) {
    // existing drafts carry stored slices' lists (draftOf), which are never changed (as known()
    // assumes for their endpoint lists): a list's key is remembered
    const k = storedPortMapKey(s.ports);
    if (!byPort.has(k)) byPort.set(k, []);
    byPort.get(k)!.push(s);
  }
  for (const [k, slices] of byPort) if (!desired.has(k)) del.push(...slices);
  const sameLabels = (s: SliceDraft) => jsonEqual(s.labels, labels);
  for (const [k, group] of desired) {
    const want = new Map<string, SliceEndpoint>();
    for (const ep of group.endpoints) want.set(desiredKey(ep), ep);
    const toUpdate: SliceDraft[] = [];
    const unchanged: SliceDraft[] = [];
    for (const s of byPort.get(k) ?? []) {
      let changed = !sameLabels(s);
      const kept: SliceEndpoint[] = [];
      const kn = known(s.endpoints);
      for (let i = 0; i < s.endpoints.length; i++) {
        const key = kn.keys[i];
        const w = want.get(key);
        if (!w) {
          changed = true;
          continue;
        }
        if (!changed && kn.equalTo[i] !== w) {
          if (jsonEqual(w, s.endpoints[i])) kn.equalTo[i] = w;
          else changed = true;
        }
        kept.push(w);
        want.delete(key);
      }
      if (!changed) unchanged.push(s);
      else if (kept.length === 0) del.push(s);
      else toUpdate.push({ ...s, labels, endpoints: kept });
    }
    // what is left, taken from the front (a cursor: Array#shift moves the rest every time)
    const remaining = [...want.values()];
    let next = 0;
    toUpdate.sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const s of toUpdate) while (s.endpoints.length < max && next < remaining.length) s.endpoints.push(remaining[next++]);
    while (next < remaining.length) {
      const left = remaining.length - next;
      let fill: SliceDraft | undefined;
      if (left < max && unchanged.length) {
        // getSliceToFill: the unchanged slice with the least free room that still fits them all
        let best = -1;
        unchanged.forEach((s, i) => {
          const room = max - s.endpoints.length;
          if (room >= left && (best < 0 || room < max - unchanged[best].endpoints.length)) best = i;
        });
        if (best >= 0) {
          fill = { ...unchanged[best], labels, endpoints: [...unchanged[best].endpoints] };
          unchanged.splice(best, 1);
        }
      }
      fill ??= { labels, ports: group.ports, endpoints: [] };
      while (fill.endpoints.length < max && next < remaining.length) fill.endpoints.push(remaining[next++]);
      (fill.name ? toUpdate : create).push(fill);
    }
    update.push(...toUpdate);
  }
  // a Service without endpoints keeps one placeholder slice (no ports, no endpoints)
  if (existing.length === del.length && create.length === 0) {
    const isPlaceholder = (s: SliceDraft) => s.ports.length === 0 && s.endpoints.length === 0 && sameLabels(s);
    if (del.length === 1 && isPlaceholder(del[0])) del.length = 0;
    else create.push({ labels, ports: [], endpoints: [] });
  }
  // creates become updates of slices that would otherwise be deleted (less churn)
  while (del.length && create.length) {
    const c = create.pop()!;
    const d = del.shift()!;
    update.push({ ...c, name: d.name });
  }
  return { create, update, delete: del.map((s) => s.name!) };
}

function draftOf(slice: KubeObject): SliceDraft {
  return { name: slice.metadata.name, labels: slice.metadata.labels ?? {}, ports: (slice as any).ports ?? [], endpoints: (slice as any).endpoints ?? [] };
}

function byName(a: KubeObject, b: KubeObject): number {
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}

/**
 * Write a plan: creates with generateName `<svc>-` and an owner reference when given. Stops at
 * the first write that fails and returns upstream's error text for it (reconciler.go finalize,
 * `for` names what the slices are for: "Service" or "Endpoints"); the sync then returns it.
 * (Deletes go first here, creates first upstream: a refused create has already deleted what the
 * plan deletes.)
 */
function applyPlan(cluster: Cluster, ns: string, svcName: string, plan: SlicePlan, owner: KubeObject | undefined, annotations: Record<string, string> | undefined, forKind: 'Service' | 'Endpoints'): string | undefined {
  const api = cluster.api;
  const what = `EndpointSlice for ${forKind} ${ns}/${svcName}`;
  for (const name of plan.delete) {
    const err = apiError(() => ignoreNotFound(() => api.delete('EndpointSlice', ns, name)));
    if (err) return `failed to delete ${name} ${what}: ${err.message}`;
  }
  for (const s of plan.update) {
    // api.mutate with a shallow copy: what is not replaced here is copied by api.update
    const cur = api.get('EndpointSlice', ns, s.name!);
    if (!cur) continue; // gone meanwhile (mutate's NotFound, ignored)
    const d: any = { ...cur, metadata: { ...cur.metadata } };
    d.metadata.labels = s.labels;
    if (annotations) d.metadata.annotations = annotations;
    d.ports = s.ports;
    d.endpoints = s.endpoints;
    let stored: KubeObject | undefined;
    const err = apiError(() => {
      stored = api.update(d);
    });
    if (err) return `failed to update ${s.name} ${what}: ${err.message}`;
    carryPortKey(stored, s.ports);
  }
  for (const s of plan.create) {
    let stored: KubeObject | undefined;
    const err = apiError(() => {
      stored = api.create({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          generateName: `${svcName}-`,
          namespace: ns,
          labels: s.labels,
          ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
          ...(owner ? { ownerReferences: [controllerRef(owner)] } : {}),
        },
        addressType: 'IPv4',
        endpoints: s.endpoints,
        ports: s.ports,
      } as KubeObject);
    });
    // (upstream drops the key when the namespace is terminating; no create fails that way here)
    if (err) return `failed to create ${what}: ${err.message}`;
    carryPortKey(stored, s.ports);
  }
  return undefined;
}

function slicesOf(cluster: Cluster, ns: string, svcName: string, managedBy: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const s of cluster.api.store.iterate('EndpointSlice', ns)) {
    const l = s.metadata.labels ?? {};
    if (l[LABEL_SERVICE_NAME] === svcName && l[LABEL_MANAGED_BY] === managedBy) out.push(s);
  }
  return out.sort(byName);
}

/** setEndpointSliceLabels: the Service's labels, plus service-name, managed-by and headless. */
export function sliceLabels(svc: KubeObject, managedBy: string): Record<string, string> {
  const l: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY) l[k] = v;
  if (!svc.spec?.clusterIP || svc.spec.clusterIP === 'None') l[LABEL_HEADLESS] = '';
  l[LABEL_SERVICE_NAME] = svc.metadata.name!;
  l[LABEL_MANAGED_BY] = managedBy;
  return l;
}

/**
 * endpointslice_controller.go and endpointslicemirroring_controller.go: maxRetries, and their
 * queues' rate limiter, DefaultControllerRateLimiter's with a 1 s base back-off ("a more
 * significant rate limit back off here helps ensure that the Controller does not overwhelm the
 * API Server") capped at maxSyncBackOff
 */
export const SLICE_MAX_RETRIES = 15;
export const SLICE_MAX_SYNC_BACKOFF_MS = 1000 * 1000;
export const MIRRORING_MAX_SYNC_BACKOFF_MS = 100 * 1000;
export function sliceRateLimiter(maxSyncBackOffMs: number): RateLimiter {
  return new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(1000, maxSyncBackOffMs), new BucketRateLimiter(10, 100));
}

export class EndpointSliceController implements Component {
  readonly name = 'endpointslice-controller';
  private readonly queue: WorkQueue;
  private readonly selected = new SelectedPods();

  constructor(private readonly cluster: Cluster) {
    this.queue = controllerQueue(cluster, this.name, (key) => this.processNextWorkItem(key), () => sliceRateLimiter(SLICE_MAX_SYNC_BACKOFF_MS));
    serviceSelectorIndex(cluster.api);
    // as the endpoints controller: pod updates that leave its endpoints alone are not delivered,
    // nor slice changes other than a deletion (onEvent acts on a managed slice's deletion only)
    const relevant = (ev: WatchEvent) => (ev.object.kind === 'EndpointSlice' ? ev.type === 'DELETED' : endpointsWatchRelevant(ev));
    controllerInformer(cluster, this.name, ['Service', 'Pod', 'EndpointSlice'], (ev) => this.onEvent(ev), relevant);
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    const ns = o.metadata.namespace;
    if (o.kind === 'Service') return this.queue.add(objectKey('Service', ns, o.metadata.name!));
    if (o.kind === 'EndpointSlice') {
      // a slice of ours changed or vanished under us: reconcile its Service again
      const l = o.metadata.labels ?? {};
      if (l[LABEL_MANAGED_BY] === MANAGED_BY_CONTROLLER && l[LABEL_SERVICE_NAME] && ev.type === 'DELETED') this.queue.add(objectKey('Service', ns, l[LABEL_SERVICE_NAME]));
      return;
    }
    enqueueServicesOfPod(this.cluster.api, this.queue, ev);
  }

  /** processNextWorkItem + handleErr: a failed sync is retried rate-limited, up to maxRetries */
  private processNextWorkItem(key: string): void {
    const err = this.sync(key);
    if (err && this.queue.numRequeues(key) < SLICE_MAX_RETRIES) this.queue.addRateLimited(key);
    else this.queue.forget(key);
  }

  /** syncService; returns the error that makes upstream requeue the Service */
  private sync(key: string): string | undefined {
    const [, ns, name] = splitKey(key);
    const api = this.cluster.api;
    const svc = api.get('Service', ns, name);
    // a deleted Service's slices go with it through the garbage collector (owner references)
    if (!svc) this.selected.forget(ns, name);
    if (!svc || !managesEndpoints(svc)) return undefined;
    const nodes = new Map<string, KubeObject | undefined>();
    const getNode = (n: string) => {
      let node = nodes.get(n);
      if (node === undefined && !nodes.has(n)) nodes.set(n, (node = api.get('Node', undefined, n)));
      return node;
    };
    const desired = desiredByPortMap(svc, this.selected.of(api, svc), getNode);
    const existing = slicesOf(this.cluster, ns, name, MANAGED_BY_CONTROLLER).map(draftOf);
    const plan = planSlices(existing, desired, sliceLabels(svc, MANAGED_BY_CONTROLLER), MAX_ENDPOINTS_PER_SLICE);
    const err = applyPlan(this.cluster, ns, name, plan, svc, undefined, 'Service');
    if (err) api.recordEvent(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${ns}/${name}: ${err}`, this.name);
    return err;
  }
}

// ---- mirroring ---------------------------------------------------------------------------

/** shouldMirror: a selector-less Service exists, and the Endpoints is not marked skip-mirror. */
export function shouldMirror(ep: KubeObject, svc: KubeObject | undefined): boolean {
  if (!svc || svc.spec?.selector != null) return false;
  if (ep.metadata.labels?.[LABEL_SKIP_MIRROR] === 'true') return false;
  if (ep.metadata.annotations?.['control-plane.alpha.kubernetes.io/leader']) return false;
  return true;
}

/** The mirrored endpoints of an Endpoints object, by port list (addressToEndpoint); invalid IPs skipped. */
export function mirroredByPortMap(ep: KubeObject): Map<string, PortGroup> {
  const out = new Map<string, PortGroup>();
  for (const subset of ((ep as any).subsets ?? []) as any[]) {
    const ports: SlicePort[] = (subset.ports ?? []).map((p: any) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
    const key = portMapKey(ports);
    let g = out.get(key);
    if (!g) out.set(key, (g = { ports, endpoints: [] }));
    let n = 0;
    for (const [list, ready] of [[subset.addresses, true], [subset.notReadyAddresses, false]] as const) {
      for (const a of list ?? []) {
        // at most 1000 addresses of a subset are mirrored (TooManyAddressesToMirror)
        if (n >= MIRRORING_MAX_ENDPOINTS_PER_SUBSET) break;
        if (parseIPv4(a.ip ?? '') === undefined) continue;
        const e: SliceEndpoint = { addresses: [a.ip], conditions: { ready } };
        if (a.hostname) e.hostname = a.hostname;
        if (a.nodeName) e.nodeName = a.nodeName;
        if (a.targetRef) e.targetRef = a.targetRef;
        g.endpoints.push(e);
        n++;
      }
    }
  }
  return out;
}

const MIRROR_SKIPPED_ANNOTATIONS = ['endpoints.kubernetes.io/last-change-trigger-time', 'kubectl.kubernetes.io/last-applied-configuration'];

export class EndpointSliceMirroringController implements Component {
  readonly name = 'endpointslicemirroring-controller';
  private readonly queue: WorkQueue;

  constructor(private readonly cluster: Cluster) {
    this.queue = controllerQueue(cluster, this.name, (key) => this.processNextWorkItem(key), () => sliceRateLimiter(MIRRORING_MAX_SYNC_BACKOFF_MS));
    controllerInformer(cluster, this.name, ['Service', 'Endpoints', 'EndpointSlice'], (ev) => {
      const o = ev.object;
      const ns = o.metadata.namespace;
      if (o.kind === 'EndpointSlice') {
        const l = o.metadata.labels ?? {};
        if (l[LABEL_MANAGED_BY] === MANAGED_BY_MIRRORING && l[LABEL_SERVICE_NAME] && ev.type === 'DELETED') this.queue.add(`${ns}/${l[LABEL_SERVICE_NAME]}`);
        return;
      }
      this.queue.add(`${ns}/${o.metadata.name}`);
    });
  }

  /** processNextWorkItem + handleErr: a failed sync is retried rate-limited, up to maxRetries */
  private processNextWorkItem(key: string): void {
    const err = this.sync(key);
    if (err && this.queue.numRequeues(key) < SLICE_MAX_RETRIES) this.queue.addRateLimited(key);
    else this.queue.forget(key);
  }

  /** syncEndpoints; returns the error that makes upstream requeue the Endpoints */
  private sync(key: string): string | undefined {
    const [ns, name] = splitKey(key);
    const api = this.cluster.api;
    const ep = api.get('Endpoints', ns, name);
    const svc = api.get('Service', ns, name);
    const existing = slicesOf(this.cluster, ns, name, MANAGED_BY_MIRRORING);
    if (!ep || !shouldMirror(ep, svc)) {
      // deleteMirroredSlices (reconciler.go deleteEndpoints): every slice is tried, the failures
      // aggregated into the sync's error
      const errs: string[] = [];
      for (const s of existing) {
        const err = apiError(() => ignoreNotFound(() => api.delete('EndpointSlice', ns, s.metadata.name!)));
        if (err) errs.push(err.message);
      }
      return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
    }
    const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}) };
    labels[LABEL_SERVICE_NAME] = name;
    labels[LABEL_MANAGED_BY] = MANAGED_BY_MIRRORING;
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(ep.metadata.annotations ?? {})) if (!MIRROR_SKIPPED_ANNOTATIONS.includes(k)) annotations[k] = v;
    const desired = mirroredByPortMap(ep);
    for (const [k, g] of desired) if (g.endpoints.length === 0) desired.delete(k);
    const plan = planSlices(existing.map(draftOf), desired, labels, MIRRORING_MAX_ENDPOINTS_PER_SUBSET);
    // the mirroring controller keeps no placeholder: an Endpoints without addresses has no slices
    const placeholder = (s: SliceDraft) => s.ports.length === 0 && s.endpoints.length === 0;
    plan.create = plan.create.filter((s) => !placeholder(s));
    for (const s of plan.update.filter(placeholder)) plan.delete.push(s.name!);
    plan.update = plan.update.filter((s) => !placeholder(s));
    for (const s of existing) if (desired.size === 0 && !plan.delete.includes(s.metadata.name!)) plan.delete.push(s.metadata.name!);
    // (upstream records no event for the mirroring controller's failures)
    return applyPlan(this.cluster, ns, name, plan, svc, annotations, 'Endpoints');
  }
}
