// Service admission: defaulting, validation and the allocation of cluster IPs and node ports, as
// the API server does it on create and update.
//
// Sources:
// - pkg/apis/core/v1/defaults.go SetDefaults_Service
// - pkg/apis/core/validation/validation.go ValidateService, validateServicePort, ValidatePortNumOrName
// - pkg/registry/core/service/storage/alloc.go (allocateCreate, initIPFamilyFields, txnAllocNodePorts,
//   patchAllocatedValues on update) and storage.go (dropTypeDependentFields, releasing on delete)
// - pkg/registry/core/service/ipallocator, portallocator, allocator/bitmap.go
//   (randomScanStrategyWithOffset, calculateRangeOffset)
//
// Allocation is state kept per ApiServer (a WeakMap): the apiserver's bitmaps. It happens while the
// create or update is admitted, after validation succeeded, and is released when the Service is
// deleted (a watch on the ApiServer) or when an update drops a node port.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import type { Rng } from '../engine/rng.js';
import { cidrContains, formatIPv4, parseCidr, parseIPv4, type Cidr } from './ip.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../api/validation.js';
import { goString, goValue, validateLabels } from '../api/validate.js';

// ---- configuration -------------------------------------------------------------------------

export interface NetworkConfig {
  /** --service-cluster-ip-range; kubeadm's default */
  serviceCIDR: string;
  /** --service-node-port-range */
  nodePortBase: number;
  nodePortSize: number;
  clusterDomain: string;
  /** addresses a load-balancer implementation (MetalLB-like) hands out; empty: stays <pending> */
  loadBalancerPool: string[];
}

export const DEFAULT_NETWORK: NetworkConfig = {
  serviceCIDR: '10.96.0.0/12',
  nodePortBase: 30000,
  nodePortSize: 2768,
  clusterDomain: 'cluster.local',
  loadBalancerPool: [],
};

/** The address kube-apiserver advertises; the `kubernetes` Service's endpoint (kind's control plane). */
export const APISERVER_ADDRESS = '172.18.0.1';
export const APISERVER_PORT = 6443;

interface ApiState {
  config: NetworkConfig;
  alloc?: ServiceAllocator;
}
const STATE = new WeakMap<object, ApiState>();

function state(api: object): ApiState {
  let s = STATE.get(api);
  if (!s) STATE.set(api, (s = { config: { ...DEFAULT_NETWORK } }));
  return s;
}

/** Set the cluster's network configuration; call before any Service is created. */
export function configureNetwork(api: ApiServer, config: Partial<NetworkConfig>): void {
  const s = state(api);
  s.config = { ...s.config, ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) };
}

export function networkConfig(api: object): NetworkConfig {
  return state(api).config;
}

// ---- bitmap allocator ----------------------------------------------------------------------

/**
 * allocator/bitmap.go with randomScanStrategyWithOffset: dynamic allocation starts at a random
 * point of the upper band [offset, max) and scans forward with wrap-around; when the upper band is
 * full it scans the lower (static) band the same way. Explicit requests may use either band.
 */
export class BitmapAllocator {
  private readonly used = new Set<number>();

  constructor(
    readonly max: number,
    readonly offset: number,
    private readonly rng: Rng,
  ) {}

  has(i: number): boolean {
    return this.used.has(i);
  }

  /** false when taken */
  allocate(i: number): boolean {
    if (this.used.has(i)) return false;
    this.used.add(i);
    return true;
  }

  allocateNext(): number | undefined {
    if (this.used.size >= this.max) return undefined;
    const upper = this.max - this.offset;
    if (upper > 0) {
      const start = this.rng.int(upper);
      for (let k = 0; k < upper; k++) {
        const at = this.offset + ((start + k) % upper);
        if (!this.used.has(at)) return this.take(at);
      }
    }
    if (this.offset > 0) {
      const start = this.rng.int(this.offset);
      for (let k = 0; k < this.offset; k++) {
        const at = (start + k) % this.offset;
        if (!this.used.has(at)) return this.take(at);
      }
    }
    return undefined;
  }

  release(i: number): void {
    this.used.delete(i);
  }

  get count(): number {
    return this.used.size;
  }

  private take(i: number): number {
    this.used.add(i);
    return i;
  }
}

/** ipallocator calculateRangeOffset: min(max(16, size/16), 256), 0 for tiny ranges */
export function ipRangeOffset(size: number): number {
  const min = 16, max = 256, step = 16;
  if (size < min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

/** portallocator calculateRangeOffset: min(max(16, size/32), 128), 0 for tiny ranges */
export function portRangeOffset(size: number): number {
  const min = 16, max = 128, step = 32;
  if (size < min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

export type AllocResult = { ok: true; value: string | number } | { ok: false; error: string };

export class ServiceAllocator {
  readonly cidr: Cidr;
  private readonly ips: BitmapAllocator;
  private readonly ports: BitmapAllocator;

  constructor(
    readonly config: NetworkConfig,
    ipRng: Rng,
    portRng: Rng,
  ) {
    const cidr = parseCidr(config.serviceCIDR);
    if (!cidr) throw new Error(`invalid service CIDR ${config.serviceCIDR}`);
    this.cidr = cidr;
    // the network and broadcast addresses are never handed out; index 0 is base+1
    const max = Math.max(0, cidr.size - 2);
    this.ips = new BitmapAllocator(max, ipRangeOffset(max), ipRng);
    this.ports = new BitmapAllocator(config.nodePortSize, portRangeOffset(config.nodePortSize), portRng);
  }

  /** An explicit IP (from the static or dynamic band) or the next free one. */
  allocateClusterIP(requested?: string): AllocResult {
    if (requested === undefined || requested === '') {
      const i = this.ips.allocateNext();
      if (i === undefined) return { ok: false, error: 'range is full' };
      return { ok: true, value: formatIPv4(this.cidr.base + 1 + i) };
    }
    const ip = parseIPv4(requested);
    const i = ip === undefined ? -1 : ip - this.cidr.base - 1;
    if (ip === undefined || !cidrContains(this.cidr, ip) || i < 0 || i >= this.ips.max) {
      return { ok: false, error: `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.cidr.text}` };
    }
    if (!this.ips.allocate(i)) return { ok: false, error: 'provided IP is already allocated' };
    return { ok: true, value: requested };
  }

  releaseClusterIP(ip: string): void {
    const n = parseIPv4(ip);
    if (n === undefined) return;
    this.ips.release(n - this.cidr.base - 1);
  }

  allocateNodePort(requested?: number): AllocResult {
    const { nodePortBase: base, nodePortSize: size } = this.config;
    if (requested === undefined || requested === 0) {
      const i = this.ports.allocateNext();
      if (i === undefined) return { ok: false, error: 'range is full' };
      return { ok: true, value: base + i };
    }
    if (requested < base || requested >= base + size) {
      return { ok: false, error: `provided port is not in the valid range. The range of valid ports is ${base}-${base + size - 1}` };
    }
    if (!this.ports.allocate(requested - base)) return { ok: false, error: 'provided port is already allocated' };
    return { ok: true, value: requested };
  }

  releaseNodePort(port: number): void {
    this.ports.release(port - this.config.nodePortBase);
  }

  nodePortInUse(port: number): boolean {
    return this.ports.has(port - this.config.nodePortBase);
  }
}

export function allocatorFor(api: ApiServer): ServiceAllocator {
  const s = state(api);
  if (!s.alloc) {
    const alloc = new ServiceAllocator(s.config, api.sim.rng.fork('apiserver/clusterip'), api.sim.rng.fork('apiserver/nodeport'));
    s.alloc = alloc;
    // the registry releases a Service's IPs and ports when it is deleted (storage.go afterDelete)
    api.watch((ev) => {
      if (ev.type === 'DELETED') releaseAll(alloc, ev.object);
    }, ['Service']);
  }
  return s.alloc;
}

/** Allocate a cluster IP on this API server (exported for tests and the `kubernetes` Service). */
export function allocateClusterIP(api: ApiServer, requested?: string): AllocResult {
  return allocatorFor(api).allocateClusterIP(requested);
}

function releaseAll(alloc: ServiceAllocator, svc: KubeObject): void {
  for (const ip of svc.spec?.clusterIPs ?? []) if (ip !== 'None') alloc.releaseClusterIP(ip);
  for (const port of nodePortsOf(svc)) alloc.releaseNodePort(port);
}

function nodePortsOf(svc: KubeObject): number[] {
  const out = new Set<number>();
  for (const p of svc.spec?.ports ?? []) if (p?.nodePort) out.add(p.nodePort);
  if (svc.spec?.healthCheckNodePort) out.add(svc.spec.healthCheckNodePort);
  return [...out];
}

// ---- defaulting ----------------------------------------------------------------------------

export const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;

/** pkg/api/v1/service/util.go ExternallyAccessible */
export function externallyAccessible(svc: KubeObject): boolean {
  const t = svc.spec?.type;
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && (svc.spec?.externalIPs ?? []).length > 0);
}

export function isHeadless(svc: KubeObject): boolean {
  return svc.spec?.clusterIP === 'None';
}

/** SetDefaults_Service, plus the registry's PrepareForCreate (an empty status.loadBalancer). */
export function defaultService(svc: KubeObject): void {
  const spec = (svc.spec ??= {});
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_TIMEOUT_SECONDS } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!p || typeof p !== 'object') continue;
      if (!p.protocol) p.protocol = 'TCP';
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    }
  }
  if (externallyAccessible(svc) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  svc.status ??= {};
  svc.status.loadBalancer ??= {};
}

// ---- validation ----------------------------------------------------------------------------

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITIES = ['ClientIP', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const MAX_CLIENT_IP_TIMEOUT = 86400;

function unsupported(field: string, value: unknown, supported: string[]): string {
  return `${field}: Unsupported value: ${goValue(value)}: supported values: ${supported.map(goString).join(', ')}`;
}

/** validation.go IsValidPortNum */
function portNumErrors(n: unknown): string[] {
  return Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** validation.go IsValidPortName (IANA_SVC_NAME) */
export function portNameErrors(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  else if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** ValidateService (the rules of the fields the simulator acts on). */
export function validateService(svc: KubeObject): string[] {
  const errs: string[] = [];
  const spec = svc.spec ?? {};
  const type = spec.type;
  if (!SERVICE_TYPES.includes(type)) errs.push(unsupported('spec.type', type, SERVICE_TYPES));
  const headless = spec.clusterIP === 'None';
  const ports: any[] = Array.isArray(spec.ports) ? spec.ports : [];
  if (type === 'ExternalName') {
    if (spec.clusterIP) errs.push('spec.clusterIP: Forbidden: may not be set for ExternalName services');
    const name = typeof spec.externalName === 'string' ? spec.externalName.replace(/\.$/, '') : '';
    if (!spec.externalName) errs.push('spec.externalName: Required value');
    else for (const msg of isDNS1123Subdomain(name)) errs.push(`spec.externalName: Invalid value: ${goString(spec.externalName)}: ${msg}`);
  } else {
    if (ports.length === 0 && !headless) errs.push('spec.ports: Required value');
    if (spec.clusterIP && spec.clusterIP !== 'None' && parseIPv4(spec.clusterIP) === undefined) {
      errs.push(`spec.clusterIPs[0]: Invalid value: ${goString(spec.clusterIP)}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`);
    }
    if (headless && (type === 'NodePort' || type === 'LoadBalancer')) {
      errs.push(`spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for ${type} services`);
    }
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const f = `spec.ports[${i}]`;
    if (!p || typeof p !== 'object') {
      errs.push(`${f}: Invalid value: ${goValue(p)}: must be an object`);
      return;
    }
    if (ports.length > 1 && !p.name) errs.push(`${f}.name: Required value`);
    else if (p.name) {
      for (const msg of isDNS1123Label(String(p.name))) errs.push(`${f}.name: Invalid value: ${goString(String(p.name))}: ${msg}`);
      if (names.has(p.name)) errs.push(`${f}.name: Duplicate value: ${goString(p.name)}`);
      names.add(p.name);
    }
    for (const msg of portNumErrors(p.port)) errs.push(`${f}.port: Invalid value: ${goValue(p.port)}: ${msg}`);
    if (!PROTOCOLS.includes(p.protocol)) errs.push(unsupported(`${f}.protocol`, p.protocol, PROTOCOLS));
    if (typeof p.targetPort === 'string') {
      for (const msg of portNameErrors(p.targetPort)) errs.push(`${f}.targetPort: Invalid value: ${goString(p.targetPort)}: ${msg}`);
    } else {
      for (const msg of portNumErrors(p.targetPort)) errs.push(`${f}.targetPort: Invalid value: ${goValue(p.targetPort)}: ${msg}`);
    }
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type === 'ClusterIP') errs.push(`${f}.nodePort: Forbidden: may not be used when \`type\` is 'ClusterIP'`);
      else for (const msg of portNumErrors(p.nodePort)) errs.push(`${f}.nodePort: Invalid value: ${goValue(p.nodePort)}: ${msg}`);
    }
    const key = `${p.port}/${p.protocol}`;
    if (seen.has(key)) errs.push(`${f}: Duplicate value: ${goValue({ port: p.port, protocol: p.protocol })}`);
    seen.add(key);
  });
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (!AFFINITIES.includes(spec.sessionAffinity)) errs.push(unsupported('spec.sessionAffinity', spec.sessionAffinity, AFFINITIES));
  if (spec.sessionAffinity === 'ClientIP') {
    const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (!Number.isInteger(t) || t <= 0 || t > MAX_CLIENT_IP_TIMEOUT) {
      errs.push(`spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: ${goValue(t)}: must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT}`);
    }
  } else if (spec.sessionAffinityConfig) {
    errs.push(`spec.sessionAffinityConfig: Invalid value: ${goValue(spec.sessionAffinityConfig)}: must not be set when session affinity is ${spec.sessionAffinity}`);
  }
  if (spec.externalTrafficPolicy !== undefined) {
    if (!externallyAccessible(svc)) errs.push(`spec.externalTrafficPolicy: Invalid value: ${goValue(spec.externalTrafficPolicy)}: may only be set for externally-accessible services`);
    else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy)) errs.push(unsupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.internalTrafficPolicy !== undefined && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(unsupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.healthCheckNodePort && !(type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local')) {
    errs.push('spec.healthCheckNodePort: Invalid value: may only be set when `type` is \'LoadBalancer\' and `externalTrafficPolicy` is \'Local\'');
  }
  return errs;
}

/** ValidateServiceUpdate: the cluster IP cannot change (except to/from ExternalName). */
export function validateServiceUpdate(svc: KubeObject, old: KubeObject): string[] {
  const a = old.spec?.clusterIP, b = svc.spec?.clusterIP;
  if (old.spec?.type !== 'ExternalName' && svc.spec?.type !== 'ExternalName' && a && a !== b) {
    return [`spec.clusterIPs[0]: Invalid value: ${goString(b ?? '')}: may not change once set`];
  }
  return [];
}

// ---- admission (validation + allocation) ----------------------------------------------------

function needsNodePorts(svc: KubeObject): boolean {
  const t = svc.spec?.type;
  return t === 'NodePort' || (t === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);
}

function needsHealthCheckNodePort(svc: KubeObject): boolean {
  return svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';
}

/**
 * Called from validateObject with the API server: validates, and when the Service is valid
 * allocates its cluster IP and node ports (create) or what an update newly needs. Mutates `svc`
 * (the object about to be stored). Returns field errors; on error nothing stays allocated.
 */
export function admitService(api: ApiServer, svc: KubeObject, priorErrors: number): string[] {
  const old = api.get('Service', svc.metadata.namespace, svc.metadata.name!);
  if (old) {
    patchAllocatedValues(svc, old);
    dropTypeDependentFields(svc, old);
  }
  const errs = [...validateService(svc), ...(old ? validateServiceUpdate(svc, old) : [])];
  if (errs.length || priorErrors) return errs;
  const alloc = allocatorFor(api);
  const spec = svc.spec;
  const taken: (() => void)[] = [];
  const fail = (e: string) => {
    for (const undo of taken) undo();
    return [e];
  };
  // cluster IP (alloc.go initIPFamilyFields + txnAllocClusterIPs); single-stack IPv4
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    delete spec.ipFamilies;
    delete spec.ipFamilyPolicy;
  } else {
    if (!old || old.spec?.type === 'ExternalName') {
      if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
      else {
        const r = alloc.allocateClusterIP(spec.clusterIP);
        if (!r.ok) {
          const shown = spec.clusterIP ? [spec.clusterIP] : [];
          return fail(`spec.clusterIPs: Invalid value: ${goValue(shown)}: failed to allocate IP ${spec.clusterIP ?? ''}: ${r.error}`);
        }
        const ip = String(r.value);
        taken.push(() => alloc.releaseClusterIP(ip));
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
      }
    }
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  // node ports (alloc.go txnAllocNodePorts): explicit ones honoured, the rest allocated; a port
  // number shared by two protocols of one Service is one allocation
  const oldPorts = new Set(old ? nodePortsOf(old) : []);
  const mine = new Set<number>();
  if (needsNodePorts(svc)) {
    for (let i = 0; i < spec.ports.length; i++) {
      const p = spec.ports[i];
      if (p.nodePort && (oldPorts.has(p.nodePort) || mine.has(p.nodePort))) {
        mine.add(p.nodePort);
        continue;
      }
      const r = alloc.allocateNodePort(p.nodePort || undefined);
      if (!r.ok) return fail(`spec.ports[${i}].nodePort: Invalid value: ${goValue(p.nodePort ?? 0)}: ${r.error}`);
      const port = Number(r.value);
      taken.push(() => alloc.releaseNodePort(port));
      p.nodePort = port;
      mine.add(port);
    }
  }
  if (needsHealthCheckNodePort(svc)) {
    const want = spec.healthCheckNodePort;
    if (!(want && oldPorts.has(want))) {
      const r = alloc.allocateNodePort(want || undefined);
      if (!r.ok) return fail(`spec.healthCheckNodePort: Invalid value: ${goValue(want ?? 0)}: ${r.error}`);
      spec.healthCheckNodePort = Number(r.value);
      taken.push(() => alloc.releaseNodePort(Number(r.value)));
    }
    mine.add(spec.healthCheckNodePort);
  }
  // an update releases what the Service no longer uses
  if (old) {
    for (const port of oldPorts) if (!mine.has(port)) alloc.releaseNodePort(port);
    if (spec.type === 'ExternalName') for (const ip of old.spec?.clusterIPs ?? []) if (ip !== 'None') alloc.releaseClusterIP(ip);
  }
  return [];
}

/**
 * strategy.go dropTypeDependentFields (PrepareForUpdate, before validation): a type change that no
 * longer needs node ports or a health-check port clears them when the user left them as they were.
 */
function dropTypeDependentFields(svc: KubeObject, old: KubeObject): void {
  const spec = svc.spec ?? {};
  if (!needsNodePorts(svc) && needsNodePorts(old)) {
    const oldPorts = new Set(nodePortsOf(old));
    for (const p of spec.ports ?? []) if (p && oldPorts.has(p.nodePort)) delete p.nodePort;
  }
  if (!needsHealthCheckNodePort(svc) && needsHealthCheckNodePort(old) && spec.healthCheckNodePort === old.spec?.healthCheckNodePort) delete spec.healthCheckNodePort;
}

/**
 * alloc.go patchAllocatedValues: an update (kubectl apply of the original manifest) that omits
 * the allocated cluster IP or node ports keeps them.
 */
function patchAllocatedValues(svc: KubeObject, old: KubeObject): void {
  const spec = (svc.spec ??= {});
  if (svc.spec.type !== 'ExternalName' && old.spec?.type !== 'ExternalName') {
    if (!spec.clusterIP && old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
    if (!spec.clusterIPs && old.spec?.clusterIPs) spec.clusterIPs = [...old.spec.clusterIPs];
  }
  if (needsNodePorts(svc) && needsNodePorts(old)) {
    for (const p of spec.ports ?? []) {
      if (!p || p.nodePort) continue;
      const match = (old.spec?.ports ?? []).find((q: any) => q.port === p.port && q.protocol === p.protocol) ?? (old.spec?.ports ?? []).find((q: any) => q.name && q.name === p.name);
      if (match?.nodePort) p.nodePort = match.nodePort;
    }
  }
  if (needsHealthCheckNodePort(svc) && needsHealthCheckNodePort(old) && !spec.healthCheckNodePort) spec.healthCheckNodePort = old.spec.healthCheckNodePort;
}

// ---- the `kubernetes` Service ----------------------------------------------------------------

/**
 * pkg/controlplane/controller/kubernetesservice: `default/kubernetes` takes the first address of
 * the service CIDR; its Endpoints and EndpointSlice (written by the apiserver's lease reconciler,
 * pkg/controlplane/reconcilers) point at the API server, and the Endpoints are marked skip-mirror.
 */
export function createKubernetesService(api: ApiServer): void {
  const cidr = parseCidr(networkConfig(api).serviceCIDR)!;
  const ip = formatIPv4(cidr.base + 1);
  const port = { name: 'https', port: 443, protocol: 'TCP', targetPort: APISERVER_PORT };
  api.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: ip, ports: [port] },
  });
  api.create({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: APISERVER_ADDRESS }], ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }] }],
  });
  api.create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [APISERVER_ADDRESS], conditions: { ready: true } }],
    ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }],
  });
}

/** The PORT(S) column of `kubectl get services` (printers.go makePortString): 80:30080/TCP,443/TCP */
export function servicePortsText(svc: KubeObject): string {
  const ports: any[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

/** The EXTERNAL-IP column (printers.go getServiceExternalIP). */
export function serviceExternalIPText(svc: KubeObject): string {
  const spec = svc.spec ?? {};
  const ext: string[] = spec.externalIPs ?? [];
  const lb: string[] = (svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean);
  switch (spec.type) {
    case 'ExternalName':
      return spec.externalName ?? '<none>';
    case 'LoadBalancer': {
      const all = [...lb, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    default:
      return ext.length ? ext.join(',') : '<none>';
  }
}

/**
 * The ENDPOINTS column of `kubectl get endpoints` (printers.go formatEndpoints): ready
 * `ip:port` pairs, at most 3 then `+ N more...`, `<none>` when empty.
 */
export function endpointsText(ep: KubeObject): string {
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const s of ((ep as any).subsets ?? []) as any[]) {
    const ports: any[] = s.ports?.length ? s.ports : [undefined];
    for (const port of ports) {
      for (const a of s.addresses ?? []) {
        count++;
        if (list.length < max) list.push(port ? `${a.ip}:${port.port}` : a.ip);
      }
    }
  }
  if (count === 0) return '<none>';
  return count > max ? `${list.join(',')} + ${count - max} more...` : list.join(',');
}
