// Service admission: defaulting (pkg/apis/core/v1/defaults.go SetDefaults_Service), validation
// (pkg/apis/core/validation ValidateService) and allocation (pkg/registry/core/service/storage/alloc.go,
// portallocator, ipallocator, allocator/bitmap.go).

import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/sim.js';
import { ApiServer } from '../api/server.js';
import { ApiError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { Rng } from '../engine/rng.js';
import { BitmapAllocator, ServiceAllocator, DEFAULT_NETWORK, createKubernetesService, endpointsText, ipRangeOffset, portRangeOffset, servicePortsText, serviceExternalIPText } from './services.js';

function server(seed = 1): ApiServer {
  const api = new ApiServer(new Simulation(seed), { kubernetesVersion: '1.34' });
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return api;
}

const svc = (name: string, spec: any = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } });

function rejected(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e.message;
    throw e;
  }
  throw new Error('expected the API server to reject it');
}

describe('range offsets (calculateRangeOffset)', () => {
  it('splits the node port range at 86 and the /12 service CIDR at 256 (portallocator, ipallocator)', () => {
    expect(portRangeOffset(2768)).toBe(86);
    expect(portRangeOffset(16)).toBe(16);
    expect(portRangeOffset(15)).toBe(0);
    expect(portRangeOffset(100000)).toBe(128);
    expect(ipRangeOffset(2 ** 20 - 2)).toBe(256);
    expect(ipRangeOffset(254)).toBe(16);
    expect(ipRangeOffset(6)).toBe(0);
  });
});

describe('bitmap random scan with offset (bitmap.go randomScanStrategyWithOffset)', () => {
  it('hands out the upper band first, then the lower band, then nothing', () => {
    const a = new BitmapAllocator(10, 4, new Rng(7));
    const got: number[] = [];
    for (let i = 0; i < 6; i++) got.push(a.allocateNext()!);
    expect([...got].sort((x, y) => x - y)).toEqual([4, 5, 6, 7, 8, 9]);
    const lower: number[] = [];
    for (let i = 0; i < 4; i++) lower.push(a.allocateNext()!);
    expect([...lower].sort((x, y) => x - y)).toEqual([0, 1, 2, 3]);
    expect(a.allocateNext()).toBeUndefined();
  });

  it('honours explicit requests in either band and refuses taken ones', () => {
    const alloc = new ServiceAllocator(DEFAULT_NETWORK, new Rng(1), new Rng(2));
    expect(alloc.allocateNodePort(30080)).toEqual({ ok: true, value: 30080 });
    expect(alloc.allocateNodePort(30080)).toEqual({ ok: false, error: 'provided port is already allocated' });
    expect(alloc.allocateNodePort(80)).toEqual({ ok: false, error: 'provided port is not in the valid range. The range of valid ports is 30000-32767' });
    expect(alloc.allocateClusterIP('10.96.0.10')).toEqual({ ok: true, value: '10.96.0.10' });
    expect(alloc.allocateClusterIP('10.96.0.10')).toEqual({ ok: false, error: 'provided IP is already allocated' });
    expect(alloc.allocateClusterIP('10.0.0.5')).toMatchObject({ ok: false, error: 'the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12' });
    // network and broadcast addresses are never allocatable
    expect(alloc.allocateClusterIP('10.96.0.0').ok).toBe(false);
    expect(alloc.allocateClusterIP('10.111.255.255').ok).toBe(false);
  });

  it('allocates dynamic node ports from 30086-32767 and cluster IPs past 10.96.1.0', () => {
    const alloc = new ServiceAllocator(DEFAULT_NETWORK, new Rng(3), new Rng(4));
    for (let i = 0; i < 50; i++) {
      const p = alloc.allocateNodePort();
      expect(p.ok && (p.value as number) >= 30086 && (p.value as number) <= 32767).toBe(true);
      const ip = alloc.allocateClusterIP();
      if (!ip.ok) throw new Error(ip.error);
      const [a, b, c] = String(ip.value).split('.').map(Number);
      // the dynamic band of the /12 starts at index 256 from 10.96.0.1: 10.96.1.1 or later
      expect(a).toBe(10);
      expect(b >= 96 && b <= 111).toBe(true);
      expect(b > 96 || c >= 1).toBe(true);
    }
  });
});

describe('Service defaulting (SetDefaults_Service)', () => {
  it('defaults type, affinity, protocol, targetPort and the traffic policies', () => {
    const api = server();
    const s = api.create(svc('web'));
    expect(s.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    expect(s.spec.ports[0]).toEqual({ port: 80, protocol: 'TCP', targetPort: 80 });
    expect(s.spec.externalTrafficPolicy).toBeUndefined();
    expect(s.spec.clusterIPs).toEqual([s.spec.clusterIP]);
  });

  it('gives ClientIP affinity the 10800 s timeout and NodePort/LoadBalancer externalTrafficPolicy Cluster', () => {
    const api = server();
    expect(api.create(svc('a', { sessionAffinity: 'ClientIP' })).spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(api.create(svc('b', { type: 'NodePort' })).spec.externalTrafficPolicy).toBe('Cluster');
    const lb = api.create(svc('c', { type: 'LoadBalancer' }));
    expect(lb.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
    expect(lb.status).toEqual({ loadBalancer: {} });
    // None clears a stray sessionAffinityConfig
    expect(api.create(svc('d', { sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } })).spec.sessionAffinityConfig).toBeUndefined();
  });

  it('allocates a health-check node port for LoadBalancer + externalTrafficPolicy Local only', () => {
    const api = server();
    expect(api.create(svc('a', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' })).spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(api.create(svc('b', { type: 'NodePort', externalTrafficPolicy: 'Local' })).spec.healthCheckNodePort).toBeUndefined();
  });
});

describe('Service validation (ValidateService)', () => {
  const cases: [string, any, string][] = [
    ['sessionAffinity Cookie', { sessionAffinity: 'Cookie' }, 'spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"'],
    ['unknown type', { type: 'Internal' }, 'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ['no ports', { ports: [] }, 'spec.ports: Required value'],
    ['unnamed ports when there are two', { ports: [{ port: 80 }, { port: 443, name: 'https' }] }, 'spec.ports[0].name: Required value'],
    ['port out of range', { ports: [{ port: 70000 }] }, 'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ['bad protocol', { ports: [{ port: 80, protocol: 'HTTP' }] }, 'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ['targetPort name with no letter', { ports: [{ port: 80, targetPort: '80-80' }] }, 'spec.ports[0].targetPort: Invalid value: "80-80": must contain at least one letter (a-z)'],
    ['targetPort name too long', { ports: [{ port: 80, targetPort: 'a-very-long-port-name' }] }, 'spec.ports[0].targetPort: Invalid value: "a-very-long-port-name": must be no more than 15 characters'],
    ['nodePort on ClusterIP', { ports: [{ port: 80, nodePort: 30001 }] }, "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ['affinity timeout 0', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }, 'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400'],
    ['externalTrafficPolicy on ClusterIP', { externalTrafficPolicy: 'Local' }, 'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
    ['ExternalName without a name', { type: 'ExternalName' }, 'spec.externalName: Required value'],
    ['duplicate port', { ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] }, 'spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}'],
    ['headless NodePort', { type: 'NodePort', clusterIP: 'None' }, "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
  ];
  for (const [what, spec, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(rejected(() => server().create(svc('web', spec)))).toContain(message);
    });
  }

  it('accepts a headless Service without ports and an ExternalName Service without a cluster IP', () => {
    const api = server();
    expect(api.create(svc('db', { clusterIP: 'None', ports: undefined })).spec.clusterIPs).toEqual(['None']);
    const ext = api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    expect(ext.spec.clusterIP).toBeUndefined();
  });
});

describe('Service allocation through the API server', () => {
  it('gives default/kubernetes the first address of the service CIDR', () => {
    const api = server();
    createKubernetesService(api);
    expect(api.get('Service', 'default', 'kubernetes')!.spec.clusterIP).toBe('10.96.0.1');
    expect(rejected(() => api.create(svc('web', { clusterIP: '10.96.0.1' })))).toBe(
      'Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.1"]: failed to allocate IP 10.96.0.1: provided IP is already allocated',
    );
  });

  it('honours a fixed nodePort, rejects a second claim, and frees it when the Service is deleted', () => {
    const api = server();
    api.create(svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    expect(rejected(() => api.create(svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })))).toBe(
      'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    api.delete('Service', 'default', 'a');
    expect(api.create(svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })).spec.ports[0].nodePort).toBe(30080);
  });

  it('shares one node port between the TCP and UDP ports of one Service', () => {
    const api = server();
    const s = api.create(svc('dns', { type: 'NodePort', ports: [{ name: 'udp', port: 53, protocol: 'UDP', nodePort: 30053 }, { name: 'tcp', port: 53, protocol: 'TCP', nodePort: 30053 }] }));
    expect(s.spec.ports.map((p: any) => p.nodePort)).toEqual([30053, 30053]);
  });

  it('keeps allocated values when an update omits them (patchAllocatedValues) and drops node ports when the type no longer needs them', () => {
    const api = server();
    const s = api.create(svc('web', { type: 'NodePort' }));
    const ip = s.spec.clusterIP, port = s.spec.ports[0].nodePort;
    const re = api.update(svc('web', { type: 'NodePort' }));
    expect([re.spec.clusterIP, re.spec.ports[0].nodePort]).toEqual([ip, port]);
    const back = api.update(svc('web', { type: 'ClusterIP', clusterIP: ip, ports: [{ port: 80, nodePort: port }] }));
    expect(back.spec.ports[0].nodePort).toBeUndefined();
    // the port is free again
    expect(api.create(svc('other', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] })).spec.ports[0].nodePort).toBe(port);
    expect(rejected(() => api.update(svc('web', { clusterIP: '10.96.0.99' })))).toContain('spec.clusterIPs[0]: Invalid value: "10.96.0.99": may not change once set');
  });

  it('releases nothing when validation fails', () => {
    const api = server();
    rejected(() => api.create(svc('bad', { type: 'NodePort', sessionAffinity: 'Cookie', ports: [{ port: 80, nodePort: 30100 }] })));
    expect(api.create(svc('ok', { type: 'NodePort', ports: [{ port: 80, nodePort: 30100 }] })).spec.ports[0].nodePort).toBe(30100);
  });
});

describe('kubectl get services columns (printers.go)', () => {
  it('prints ports with node ports and a pending external IP', () => {
    const s: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] }, status: { loadBalancer: {} } };
    expect(servicePortsText(s)).toBe('80:30080/TCP,443/TCP');
    expect(serviceExternalIPText(s)).toBe('<pending>');
    expect(serviceExternalIPText({ ...s, status: { loadBalancer: { ingress: [{ ip: '192.168.1.240' }] } } })).toBe('192.168.1.240');
    expect(serviceExternalIPText({ ...s, spec: { type: 'ClusterIP' } })).toBe('<none>');
  });

  it('prints at most three ready ip:port pairs for endpoints (formatEndpoints)', () => {
    const ep = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'x' }, subsets: [{ addresses: ['1', '2', '3', '4'].map((i) => ({ ip: `10.0.0.${i}` })), notReadyAddresses: [{ ip: '10.0.0.9' }], ports: [{ port: 80 }] }] } as unknown as KubeObject;
    expect(endpointsText(ep)).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...');
    expect(endpointsText({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'x' } })).toBe('<none>');
  });
});
