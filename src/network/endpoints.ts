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
import { ApiError } from '../api/errors.js';
import {
  LABEL_HEADLESS,
  findPort,
  isPodReady,
  managesEndpoints,
  podIPv4,
  selectedPods,
  servicesForPod,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './endpointutil.js';

export const MAX_CAPACITY = 1000;
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
  return ip.split('.').map((o) => o.padStart(3, '0')).join('.');
}

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
  const subsets = repackSubsets(computeSubsets(svc, pods).subsets);
  const truncated = truncateEndpoints(subsets);
  for (const s of subsets) {
    if (s.addresses && s.addresses.length === 0) delete s.addresses;
    if (s.notReadyAddresses && s.notReadyAddresses.length === 0) delete s.notReadyAddresses;
  }
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (!svc.spec?.clusterIP || svc.spec.clusterIP === 'None') labels[LABEL_HEADLESS] = '';
  return { subsets: subsets.filter((s) => s.addresses || s.notReadyAddresses), labels, truncated };
}

export class EndpointsController implements Component {
  readonly name = 'endpoint-controller';
  private readonly queue: WorkQueue;

  constructor(private readonly cluster: Cluster) {
    this.queue = controllerQueue(cluster, this.name, (key) => this.sync(key));
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

  private sync(key: string): void {
    const [, ns, name] = key.split('/');
    const api = this.cluster.api;
    const svc = api.get('Service', ns, name);
    if (!svc) {
      // the Service is gone: so are its Endpoints (hand-made ones included)
      if (api.get('Endpoints', ns, name)) ignoreNotFound(() => api.delete('Endpoints', ns, name));
      return;
    }
    if (!managesEndpoints(svc)) return;
    const pods = selectedPods(api.list('Pod', ns), svc);
    const want = desiredEndpoints(svc, pods);
    const cur = api.get('Endpoints', ns, name);
    const annotations: Record<string, string> = { ...(cur?.metadata.annotations ?? {}) };
    if (want.truncated) annotations[ANNOTATION_OVER_CAPACITY] = 'truncated';
    else delete annotations[ANNOTATION_OVER_CAPACITY];
    if (!cur) {
      api.create({
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace: ns, labels: want.labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
        ...(want.subsets.length ? { subsets: want.subsets } : {}),
      });
      return;
    }
    const same = jsonEqual(cur.subsets ?? [], want.subsets) && jsonEqual(cur.metadata.labels ?? {}, want.labels) && jsonEqual(cur.metadata.annotations ?? {}, annotations);
    if (same) return;
    api.mutate('Endpoints', ns, name, (d) => {
      d.metadata.labels = want.labels;
      if (Object.keys(annotations).length) d.metadata.annotations = annotations;
      else delete d.metadata.annotations;
      if (want.subsets.length) d.subsets = want.subsets;
      else delete d.subsets;
    });
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
  return !(ev.type === 'MODIFIED' && ev.old && !podEndpointsChanged(ev.old, o));
}

/**
 * A pod change, as both endpoint controllers handle it (updatePod / addPod / deletePod in
 * endpoints_controller.go and endpointslice_controller.go): the Services of the pod's namespace
 * that select it, by its old or new labels, are queued again, unless an update left everything
 * the endpoints read unchanged.
 */
export function enqueueServicesOfPod(api: ApiServer, queue: WorkQueue, ev: WatchEvent): void {
  const o = ev.object;
  if (ev.type === 'MODIFIED' && ev.old && !podEndpointsChanged(ev.old, o)) return;
  const ns = o.metadata.namespace;
  for (const svc of servicesForPod(api.store.iterate('Service', ns), o.metadata.labels, ev.old?.metadata.labels)) {
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

export function ignoreNotFound(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
  }
}
