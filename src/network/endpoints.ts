// The Endpoints controller (pkg/controller/endpoint/endpoints_controller.go): one core/v1
// Endpoints object per Service with a selector, listing the selected pods' addresses as ready or
// not ready per Service port, repacked into subsets (pkg/api/v1/endpoints/util.go RepackSubsets)
// and truncated at 1000 addresses with the over-capacity annotation. Services without a selector
// keep hand-made Endpoints untouched; ExternalName Services get none.

import type { Cluster, Component } from '../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import type { ApiServer, WatchEvent } from '../api/server.js';
import { objectKey } from '../api/store.js';
import { jsonEqual } from '../api/clone.js';
import { ApiError, apiError, ignoreNotFound } from '../api/errors.js';
import {
  LABEL_HEADLESS,
  findPort,
  isPodReady,
  managesEndpoints,
  podIPv4,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './endpointutil.js';
import { SelectedPods } from './selected_pods.js';
import { serviceSelectorIndex } from './service_index.js';

export const MAX_CAPACITY = 1000;
/**
 * endpoints_controller.go maxRetries: a Service whose sync keeps failing is retried this many
 * times, rate-limited (DefaultControllerRateLimiter: 5 ms doubling), before it is dropped
 */
export const MAX_RETRIES = 15;
export const ANNOTATION_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name: string; uid?: string };
}
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** podToEndpointAddressForService; undefined when the pod has no address of the family */
export function podToEndpointAddress(pod: KubeObject, svc: KubeObject): EndpointAddress | undefined {
  const ip = podIPv4(pod);
  if (!ip) return undefined;
  const a: EndpointAddress = { ip };
  if (shouldSetHostname(pod, svc)) a.hostname = pod.spec.hostname;
  if (pod.spec?.nodeName) a.nodeName = pod.spec.nodeName;
  a.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name!, uid: pod.metadata.uid };
  return a;
}

/**
 * The subsets syncService computes for a Service over its selected pods, before repacking:
 * one single-address subset per (pod, resolvable port), ready when the pod is ready or the Service
 * publishes not-ready addresses (addEndpointSubset).
 */
export function computeSubsets(svc: KubeObject, pods: KubeObject[]): { subsets: EndpointSubset[]; ready: number; notReady: number } {
  const publish = !!svc.spec?.publishNotReadyAddresses;
  const subsets: EndpointSubset[] = [];
  let ready = 0, notReady = 0;
  const add = (pod: KubeObject, epa: EndpointAddress, port: EndpointPort | undefined) => {
    const ports = port ? [port] : [];
    if (publish || isPodReady(pod)) {
      subsets.push({ addresses: [epa], ports });
      ready++;
    } else {
      subsets.push({ notReadyAddresses: [epa], ports });
      notReady++;
    }
  };
  const svcPorts: any[] = svc.spec?.ports ?? [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publish)) continue;
    const epa = podToEndpointAddress(pod, svc);
    if (!epa) continue;
    if (svcPorts.length === 0) {
      // only headless Services may omit ports; their addresses go in a port-less subset
      if (svc.spec?.clusterIP === 'None') add(pod, epa, undefined);
      continue;
    }
    for (const sp of svcPorts) {
      const num = findPort(pod, sp);
      if (num === undefined) continue; // this pod is omitted for this port only
      const epp: EndpointPort = { port: num, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) epp.name = sp.name;
      if (sp.appProtocol) epp.appProtocol = sp.appProtocol;
      add(pod, epa, epp);
    }
  }
  return { subsets, ready, notReady };
}

function ipKey(ip: string): string {
  let k = ipKeys.get(ip);
  if (k === undefined) {
    if (ipKeys.size >= 65536) ipKeys.clear();
    ipKeys.set(ip, (k = ip.split('.').map((o) => o.padStart(3, '0')).join('.')));
  }
  return k;
}

/** ipKey's answers by IP (bounded): each new version of a pod asks again for the same IP */
const ipKeys = new Map<string, string>();

function addrKey(a: EndpointAddress): string {
  return `${a.ip}|${a.targetRef?.uid ?? ''}`;
}

function portKey(p: EndpointPort): string {
  return `${p.name ?? ''}|${p.port}|${p.protocol}|${p.appProtocol ?? ''}`;
}

/**
 * RepackSubsets: addresses that offer the same set of ports share one subset; an address ready for
 * a port wins over the same address not ready. Addresses are sorted by IP then UID
 * (addrsByIPAndUID). Ports and subsets are sorted by port name/number here, where upstream sorts
 * them by a hash of their contents (an order no reader should depend on).
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const addrs = new Map<string, EndpointAddress>();
  const portAddrs = new Map<string, { port?: EndpointPort; ready: Map<string, boolean> }>();
  const note = (port: EndpointPort | undefined, a: EndpointAddress, ready: boolean) => {
    const pk = port ? portKey(port) : '<none>';
    let e = portAddrs.get(pk);
    if (!e) portAddrs.set(pk, (e = { port, ready: new Map() }));
    const k = addrKey(a);
    addrs.set(k, a);
    e.ready.set(k, e.ready.get(k) === true || ready);
  };
  for (const s of subsets) {
    const ports = s.ports?.length ? s.ports : [undefined];
    for (const port of ports) {
      for (const a of s.addresses ?? []) note(port, a, true);
      for (const a of s.notReadyAddresses ?? []) note(port, a, false);
    }
  }
  // group the ports by the exact set of (address, readiness) that offers them
  const groups = new Map<string, { ports: EndpointPort[]; ready: Map<string, boolean> }>();
  for (const { port, ready } of portAddrs.values()) {
    const key = [...ready].map(([k, r]) => `${k}=${r}`).sort().join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports: [], ready }));
    if (port) g.ports.push(port);
  }
  // the padded form of each IP, computed once per address rather than once per comparison
  const ipKeys = new Map<string, string>();
  const padded = (ip: string) => {
    let k = ipKeys.get(ip);
    if (k === undefined) ipKeys.set(ip, (k = ipKey(ip)));
    return k;
  };
  const byAddr = (x: EndpointAddress, y: EndpointAddress) => {
    const a = padded(x.ip), b = padded(y.ip);
    if (a !== b) return a < b ? -1 : 1;
    const u = x.targetRef?.uid ?? '', v = y.targetRef?.uid ?? '';
    return u < v ? -1 : u > v ? 1 : 0;
  };
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [], notReady: EndpointAddress[] = [];
    for (const [k, r] of g.ready) (r ? ready : notReady).push(addrs.get(k)!);
    const s: EndpointSubset = {};
    if (ready.length) s.addresses = ready.sort(byAddr);
    if (notReady.length) s.notReadyAddresses = notReady.sort(byAddr);
    if (g.ports.length) s.ports = g.ports.sort((x, y) => portKey(x).localeCompare(portKey(y)));
    out.push(s);
  }
  return out.sort((x, y) => (x.ports ?? []).map(portKey).join(';').localeCompare((y.ports ?? []).map(portKey).join(';')));
}

/**
 * truncateEndpoints: past 1000 addresses, keep the ready ones (or, when the ready ones alone are
 * too many, a proportional share of them and no not-ready ones) and share the rest of the room
 * between subsets in proportion, rounding up. Returns whether it truncated.
 */
export function truncateEndpoints(subsets: EndpointSubset[]): boolean {
  let totalReady = 0, totalNotReady = 0;
  for (const s of subsets) {
    totalReady += (s.addresses ?? []).length;
    totalNotReady += (s.notReadyAddresses ?? []).length;
  }
  if (totalReady + totalNotReady <= MAX_CAPACITY) return false;
  let truncateReady = false;
  let max = MAX_CAPACITY - totalReady;
  let numTotal = totalNotReady;
  if (totalReady > MAX_CAPACITY) {
    truncateReady = true;
    max = MAX_CAPACITY;
    numTotal = totalReady;
  }
  let canBeAdded = max;
  for (const s of subsets) {
    const n = truncateReady ? (s.addresses ?? []).length : (s.notReadyAddresses ?? []).length;
    let toBeAdded = Math.ceil((n / numTotal) * max);
    if (toBeAdded > canBeAdded) toBeAdded = canBeAdded;
    if (truncateReady) {
      s.addresses = (s.addresses ?? []).slice(0, toBeAdded);
      s.notReadyAddresses = [];
      canBeAdded -= s.addresses.length;
    } else {
      s.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses.length;
    }
  }
  return true;
}

/** The Endpoints object the controller wants for a Service (name, labels, subsets, annotation). */
export function desiredEndpoints(svc: KubeObject, pods: KubeObject[]): { subsets: EndpointSubset[]; labels: Record<string, string>; truncated: boolean } {
  return finishEndpoints(svc, packedSubsets(svc, pods) ?? repackSubsets(computeSubsets(svc, pods).subsets));
}

/** desiredEndpoints as upstream spells it (computeSubsets, then RepackSubsets): the reference
 * packedSubsets is tested against, and its fallback */
export function desiredEndpointsReference(svc: KubeObject, pods: KubeObject[]): { subsets: EndpointSubset[]; labels: Record<string, string>; truncated: boolean } {
  return finishEndpoints(svc, repackSubsets(computeSubsets(svc, pods).subsets));
}

function finishEndpoints(svc: KubeObject, subsets: EndpointSubset[]): { subsets: EndpointSubset[]; labels: Record<string, string>; truncated: boolean } {
  const truncated = truncateEndpoints(subsets);
  for (const s of subsets) {
    if (s.addresses && s.addresses.length === 0) delete s.addresses;
    if (s.notReadyAddresses && s.notReadyAddresses.length === 0) delete s.notReadyAddresses;
  }
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (!svc.spec?.clusterIP || svc.spec.clusterIP === 'None') labels[LABEL_HEADLESS] = '';
  return { subsets: subsets.filter((s) => s.addresses || s.notReadyAddresses), labels, truncated };
}

/**
 * What a pod gives any Service's Endpoints, worked out once per pod object: stored objects are
 * replaced on write, never changed, so a pod object's address, readiness and sort key are fixed.
 */
interface PodAddress {
  /** podToEndpointAddress without a hostname; undefined when the pod has no IPv4 address */
  addr: EndpointAddress | undefined;
  /** the same with spec.hostname, for the Service its subdomain names (built on first use) */
  withHostname?: EndpointAddress;
  /** ipKey(ip): addresses sort by it, then by UID (addrsByIPAndUID) */
  sortKey: string;
  uid: string;
  ready: boolean;
}

const podAddresses = new WeakMap<KubeObject, PodAddress>();

function podAddressOf(pod: KubeObject): PodAddress {
  let a = podAddresses.get(pod);
  if (!a) {
    const ip = podIPv4(pod);
    let addr: EndpointAddress | undefined;
    if (ip) {
      addr = { ip };
      if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
      addr.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name!, uid: pod.metadata.uid };
    }
    a = { addr, sortKey: ip ? ipKey(ip) : '', uid: pod.metadata.uid ?? '', ready: isPodReady(pod) };
    podAddresses.set(pod, a);
  }
  return a;
}

/** podToEndpointAddress, from the pod's cached address (same keys in the same order) */
function cachedEndpointAddress(pod: KubeObject, svc: KubeObject, a: PodAddress): EndpointAddress {
  if (!shouldSetHostname(pod, svc)) return a.addr!;
  if (!a.withHostname) {
    const { ip, ...rest } = a.addr!;
    a.withHostname = { ip, hostname: pod.spec.hostname, ...rest };
  }
  return a.withHostname;
}

/** one address (pod) of packedSubsets, with the port records it offers */
interface PackEntry {
  a: PodAddress;
  addr: EndpointAddress;
  ready: boolean;
  ports: PortRecord[];
}

/** one EndpointPort (or the port-less subset of a headless Service) and the addresses offering it */
interface PortRecord {
  key: string;
  port: EndpointPort | undefined;
  /** in address order, each once */
  members: PackEntry[];
}

function byAddress(x: PackEntry, y: PackEntry): number {
  const a = x.a.sortKey, b = y.a.sortKey;
  if (a !== b) return a < b ? -1 : 1;
  const u = x.a.uid, v = y.a.uid;
  return u < v ? -1 : u > v ? 1 : 0;
}

function sameMembers(x: PackEntry[], y: PackEntry[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * repackSubsets(computeSubsets(svc, pods).subsets) in O(addresses x ports) plus one sort, from
 * addresses cached per pod object: each address is sorted once (not once per port), and ports
 * offered by the same addresses are grouped by comparing their address lists instead of printing
 * and sorting them. undefined in the cases where the reference's answer would depend on the
 * order it met its inputs in (two addresses sorting equal, port keys collating equal): the caller
 * then takes the reference path.
 */
export function packedSubsets(svc: KubeObject, pods: readonly KubeObject[]): EndpointSubset[] | undefined {
  const publish = !!svc.spec?.publishNotReadyAddresses;
  const svcPorts: any[] = svc.spec?.ports ?? [];
  const headless = svcPorts.length === 0 && svc.spec?.clusterIP === 'None';
  if (svcPorts.length === 0 && !headless) return [];
  const records = new Map<string, PortRecord>();
  // per Service port: resolved number -> record (a numeric targetPort resolves the same for every pod)
  const bySvcPort: Map<number, PortRecord>[] = svcPorts.map(() => new Map());
  const recordFor = (i: number, num: number): PortRecord => {
    let r = bySvcPort[i].get(num);
    if (!r) {
      const sp = svcPorts[i];
      const epp: EndpointPort = { port: num, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) epp.name = sp.name;
      if (sp.appProtocol) epp.appProtocol = sp.appProtocol;
      const key = portKey(epp);
      r = records.get(key);
      if (!r) records.set(key, (r = { key, port: epp, members: [] }));
      bySvcPort[i].set(num, r);
    }
    return r;
  };
  let none: PortRecord | undefined;
  const entries: PackEntry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publish)) continue;
    const a = podAddressOf(pod);
    if (!a.addr) continue;
    const ports: PortRecord[] = [];
    if (headless) {
      if (!none) records.set('<none>', (none = { key: '<none>', port: undefined, members: [] }));
      ports.push(none);
    } else {
      for (let i = 0; i < svcPorts.length; i++) {
        const num = findPort(pod, svcPorts[i]);
        if (num !== undefined) ports.push(recordFor(i, num));
      }
      if (ports.length === 0) continue;
    }
    entries.push({ a, addr: cachedEndpointAddress(pod, svc, a), ready: publish || a.ready, ports });
  }
  entries.sort(byAddress);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    // two addresses the reference would merge (same IP and UID) or could order either way
    if (i > 0 && byAddress(entries[i - 1], e) === 0) return undefined;
    for (const r of e.ports) if (r.members[r.members.length - 1] !== e) r.members.push(e);
  }
  // ports offered by exactly the same addresses share a subset, in the order the reference groups them
  const groups: { members: PackEntry[]; ports: PortRecord[] }[] = [];
  for (const r of records.values()) {
    let g = groups.find((x) => sameMembers(x.members, r.members));
    if (!g) groups.push((g = { members: r.members, ports: [] }));
    g.ports.push(r);
  }
  const out: { s: EndpointSubset; key: string }[] = [];
  for (const g of groups) {
    const ready: EndpointAddress[] = [], notReady: EndpointAddress[] = [];
    for (const e of g.members) (e.ready ? ready : notReady).push(e.addr);
    const s: EndpointSubset = {};
    if (ready.length) s.addresses = ready;
    if (notReady.length) s.notReadyAddresses = notReady;
    const ports = g.ports.filter((r) => r.port !== undefined);
    if (!collatesApart(ports.map((r) => r.key))) return undefined;
    if (ports.length) s.ports = ports.sort((x, y) => x.key.localeCompare(y.key)).map((r) => r.port!);
    out.push({ s, key: ports.map((r) => r.key).join(';') });
  }
  if (!collatesApart(out.map((o) => o.key))) return undefined;
  return out.sort((x, y) => x.key.localeCompare(y.key)).map((o) => o.s);
}

/** no two of the strings compare equal under localeCompare (then no sort by it depends on input order) */
function collatesApart(keys: string[]): boolean {
  if (keys.length < 2) return true;
  const sorted = [...keys].sort((x, y) => x.localeCompare(y));
  for (let i = 1; i < sorted.length; i++) if (sorted[i - 1].localeCompare(sorted[i]) === 0) return false;
  return true;
}

/**
 * A stored Endpoints' subsets list -> desired subsets last found to print the same. Desired
 * subsets hold the addresses cached per pod object (podAddressOf), so comparing new desired
 * subsets with the remembered ones mostly meets the same address objects (equal at once), where
 * comparing with the stored list walks every address's copy. Stored lists are never changed.
 */
const knownSubsets = new WeakMap<object, EndpointSubset[]>();

/** jsonEqual(stored ?? [], want), through knownSubsets: "prints the same" is transitive */
export function sameSubsets(stored: unknown, want: EndpointSubset[]): boolean {
  if (stored === undefined || stored === null || typeof stored !== 'object') return jsonEqual(stored ?? [], want);
  const known = knownSubsets.get(stored);
  if (known !== undefined ? !jsonEqual(known, want) : !jsonEqual(stored, want)) return false;
  knownSubsets.set(stored, want);
  return true;
}

/** key.split('/'), remembered for the few keys a controller's queue sees (bounded) */
const splitKeys = new Map<string, readonly string[]>();

export function splitKey(key: string): readonly string[] {
  let parts = splitKeys.get(key);
  if (parts === undefined) {
    if (splitKeys.size >= 4096) splitKeys.clear();
    splitKeys.set(key, (parts = key.split('/')));
  }
  return parts;
}

export class EndpointsController implements Component {
  readonly name = 'endpoint-controller';
  private readonly queue: WorkQueue;
  private readonly selected = new SelectedPods();

  constructor(private readonly cluster: Cluster) {
    this.queue = controllerQueue(cluster, this.name, (key) => this.processNextWorkItem(key));
    serviceSelectorIndex(cluster.api);
    controllerInformer(cluster, this.name, ['Service', 'Pod', 'Endpoints'], (ev) => this.onEvent(ev), endpointsWatchRelevant);
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    const ns = o.metadata.namespace;
    if (o.kind === 'Service') return this.queue.add(objectKey('Service', ns, o.metadata.name!));
    if (o.kind === 'Endpoints') {
      // onEndpointsDelete: a deleted Endpoints is recreated for its Service
      if (ev.type === 'DELETED') this.queue.add(objectKey('Service', ns, o.metadata.name!));
      return;
    }
    enqueueServicesOfPod(this.cluster.api, this.queue, ev);
  }

  /** processNextWorkItem + handleErr: a failed sync is retried rate-limited, up to maxRetries */
  private processNextWorkItem(key: string): void {
    const err = this.sync(key);
    if (err && this.queue.numRequeues(key) < MAX_RETRIES) this.queue.addRateLimited(key);
    else this.queue.forget(key);
  }

  /** syncService; returns the write error that makes upstream requeue the Service */
  private sync(key: string): ApiError | undefined {
    const [, ns, name] = splitKey(key);
    const api = this.cluster.api;
    const svc = api.get('Service', ns, name);
    if (!svc) {
      this.selected.forget(ns, name);
      // the Service is gone: so are its Endpoints (hand-made ones included)
      if (api.get('Endpoints', ns, name)) return apiError(() => ignoreNotFound(() => api.delete('Endpoints', ns, name)));
      return undefined;
    }
    if (!managesEndpoints(svc)) return undefined;
    const want = desiredEndpoints(svc, this.selected.of(api, svc));
    const cur = api.get('Endpoints', ns, name);
    const annotations: Record<string, string> = { ...(cur?.metadata.annotations ?? {}) };
    if (want.truncated) annotations[ANNOTATION_OVER_CAPACITY] = 'truncated';
    else delete annotations[ANNOTATION_OVER_CAPACITY];
    if (!cur) {
      const ep: KubeObject = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace: ns, labels: want.labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
        ...(want.subsets.length ? { subsets: want.subsets } : {}),
      };
      // (upstream drops the key when the namespace is terminating; no create fails that way here)
      const err = apiError(() => api.create(ep));
      if (err) api.recordEvent(ep, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${ns}/${name}: ${err.message}`, this.name);
      return err;
    }
    const same = sameSubsets(cur.subsets, want.subsets) && jsonEqual(cur.metadata.labels ?? {}, want.labels) && jsonEqual(cur.metadata.annotations ?? {}, annotations);
    if (same) return undefined;
    // what api.mutate does, with a shallow copy: every field the update could share with the
    // stored object is either replaced here or copied by api.update
    const d: KubeObject = { ...cur, metadata: { ...cur.metadata } };
    d.metadata.labels = want.labels;
    if (Object.keys(annotations).length) d.metadata.annotations = annotations;
    else delete d.metadata.annotations;
    if (want.subsets.length) d.subsets = want.subsets;
    else delete d.subsets;
    const err = apiError(() => api.update(d));
    if (err) api.recordEvent(d, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${ns}/${name}: ${err.message}`, this.name);
    return err;
  }
}

/**
 * The changes onEvent acts on, judged from the change alone (an Informer's `relevant`): a Service
 * change, an Endpoints deletion, a pod added or deleted, or a pod update that changed what its
 * endpoints are made of. The rest (most pod status writes, our own Endpoints writes) are not delivered.
 */
export function endpointsWatchRelevant(ev: WatchEvent): boolean {
  const o = ev.object;
  if (o.kind === 'Endpoints') return ev.type === 'DELETED';
  if (o.kind !== 'Pod') return true;
  return !(ev.type === 'MODIFIED' && ev.old && !podChangeMatters(ev.old, o));
}

/** new pod object -> the old one it was compared with and podEndpointsChanged's answer: each
 * change is judged once, not by both controllers' filters and handlers (four times) */
const changeAnswers = new WeakMap<KubeObject, { old: KubeObject; changed: boolean }>();

function podChangeMatters(old: KubeObject, cur: KubeObject): boolean {
  const a = changeAnswers.get(cur);
  if (a?.old === old) return a.changed;
  const changed = podEndpointsChanged(old, cur);
  changeAnswers.set(cur, { old, changed });
  return changed;
}

/**
 * A pod change, as both endpoint controllers handle it (updatePod / addPod / deletePod in
 * endpoints_controller.go and endpointslice_controller.go): the Services of the pod's namespace
 * that select it, by its old or new labels, are queued again, unless an update left everything
 * the endpoints read unchanged.
 */
export function enqueueServicesOfPod(api: ApiServer, queue: WorkQueue, ev: WatchEvent): void {
  const o = ev.object;
  if (ev.type === 'MODIFIED' && ev.old && !podChangeMatters(ev.old, o)) return;
  const ns = o.metadata.namespace;
  for (const svc of serviceSelectorIndex(api).servicesForPod(ns ?? 'default', o.metadata.labels, ev.old?.metadata.labels)) {
    queue.add(objectKey('Service', ns, svc.metadata.name!));
  }
}

/** podEndpointsChanged (util/controller_utils.go): what about a pod can change its endpoints. */
export function podEndpointsChanged(a: KubeObject, b: KubeObject): boolean {
  return (
    !jsonEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {}) ||
    a.spec?.hostname !== b.spec?.hostname ||
    a.spec?.subdomain !== b.spec?.subdomain ||
    !!a.metadata.deletionTimestamp !== !!b.metadata.deletionTimestamp ||
    isPodReady(a) !== isPodReady(b) ||
    !jsonEqual([a.status?.podIP, a.status?.podIPs], [b.status?.podIP, b.status?.podIPs]) ||
    a.status?.phase !== b.status?.phase ||
    a.spec?.nodeName !== b.spec?.nodeName
  );
}

