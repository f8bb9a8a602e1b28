// EndpointSlice conditions and packing, translated from staging k8s.io/endpointslice
// utils_test.go (TestPodToEndpoint) and reconciler_test.go, plus the controllers in a cluster.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../api/types.js';
import { desiredByPortMap, planSlices, podToEndpoint, portMapKey, storedPortMapKey, type PortGroup, type SliceDraft } from './endpointslice.js';
import { findPort, shouldPodBeInEndpoints } from './endpointutil.js';
import { advance, newCluster, pod } from '../../test/helpers/cluster.js';

const svc = (spec: any = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'foo', namespace: 'default' }, spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }], ...spec } });
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'us-central1-a' } } };

function p(name: string, o: { ready?: boolean; terminating?: boolean; ip?: string; hostname?: string; subdomain?: string } = {}): KubeObject {
  const ip = o.ip ?? '1.2.3.5';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'x' }, ...(o.terminating ? { deletionTimestamp: '1970-01-01T00:00:05Z' } : {}) },
    spec: { nodeName: 'node-1', ...(o.hostname ? { hostname: o.hostname } : {}), ...(o.subdomain ? { subdomain: o.subdomain } : {}), containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 80 }] }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

describe('podToEndpoint (utils_test.go TestPodToEndpoint)', () => {
  const cases: [string, KubeObject, KubeObject, { ready: boolean; serving: boolean; terminating: boolean }][] = [
    ['ready pod', p('a'), svc(), { ready: true, serving: true, terminating: false }],
    ['not ready pod', p('a', { ready: false }), svc(), { ready: false, serving: false, terminating: false }],
    ['not ready pod, publishNotReadyAddresses', p('a', { ready: false }), svc({ publishNotReadyAddresses: true }), { ready: true, serving: false, terminating: false }],
    ['ready terminating pod', p('a', { terminating: true }), svc(), { ready: false, serving: true, terminating: true }],
    ['not ready terminating pod', p('a', { ready: false, terminating: true }), svc(), { ready: false, serving: false, terminating: true }],
    ['ready terminating pod, publishNotReadyAddresses', p('a', { terminating: true }), svc({ publishNotReadyAddresses: true }), { ready: true, serving: true, terminating: true }],
  ];
  for (const [name, pd, s, conditions] of cases) {
    it(name, () => {
      expect(podToEndpoint(pd, node, s)).toEqual({
        addresses: ['1.2.3.5'],
        conditions,
        nodeName: 'node-1',
        zone: 'us-central1-a',
        targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
      });
    });
  }

  it('sets the hostname only when the subdomain names the Service (ShouldSetHostname)', () => {
    expect(podToEndpoint(p('a', { hostname: 'web-0', subdomain: 'foo' }), node, svc()).hostname).toBe('web-0');
    expect(podToEndpoint(p('a', { hostname: 'web-0', subdomain: 'bar' }), node, svc()).hostname).toBeUndefined();
  });

  it('skips a pod on an unknown node unless the Service publishes not-ready addresses', () => {
    expect(desiredByPortMap(svc(), [p('a')], () => undefined).size).toBe(0);
    expect(desiredByPortMap(svc({ publishNotReadyAddresses: true }), [p('a')], () => undefined).size).toBe(1);
  });
});

describe('slice packing (reconciler_test.go)', () => {
  const labels = { 'kubernetes.io/service-name': 'foo' };
  const ports = [{ name: 'http', port: 80, protocol: 'TCP' }];
  const eps = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ addresses: [`10.0.${Math.floor((i + from) / 250)}.${(i + from) % 250}`], conditions: { ready: true }, targetRef: { kind: 'Pod', name: `p${i + from}`, uid: `u${i + from}` } }));
  const desired = (n: number) => new Map([[JSON.stringify(ports), { ports, endpoints: eps(n) }]]);

  it('TestReconcile1Pod / TestReconcileManyPods: 250 endpoints make slices of 100, 100 and 50', () => {
    const plan = planSlices([], desired(250), labels, 100);
    expect(plan.create.map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
    expect(plan.update).toEqual([]);
  });

  it('TestReconcileEmpty: a Service without endpoints gets one placeholder slice, kept as it is', () => {
    const plan = planSlices([], new Map(), labels, 100);
    expect(plan.create).toEqual([{ labels, ports: [], endpoints: [] }]);
    const again = planSlices([{ name: 'foo-abc', labels, ports: [], endpoints: [] }], new Map(), labels, 100);
    expect(again).toEqual({ create: [], update: [], delete: [] });
  });

  it('turns the placeholder into the first real slice instead of deleting and creating', () => {
    const plan = planSlices([{ name: 'foo-abc', labels, ports: [], endpoints: [] }], desired(3), labels, 100);
    expect(plan.create).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.update.map((s) => [s.name, s.endpoints.length])).toEqual([['foo-abc', 3]]);
  });

  it('TestReconcileEndpointSlicesSomePreexisting: remaining endpoints fill the unchanged slice that ends closest to full', () => {
    const existing: SliceDraft[] = [
      { name: 'a', labels, ports, endpoints: eps(60, 0) },
      { name: 'b', labels, ports, endpoints: eps(90, 60) },
    ];
    const want = new Map([[JSON.stringify(ports), { ports, endpoints: [...eps(150, 0), ...eps(5, 150)] }]]);
    const plan = planSlices(existing, want, labels, 100);
    expect(plan.create).toEqual([]);
    expect(plan.update.map((s) => [s.name, s.endpoints.length])).toEqual([['b', 95]]);
  });

  it('deletes slices whose endpoints are all gone and slices of port lists no longer wanted', () => {
    const other = [{ name: 'http', port: 8080, protocol: 'TCP' }];
    const existing: SliceDraft[] = [{ name: 'a', labels, ports: other, endpoints: eps(2) }];
    const plan = planSlices(existing, desired(2), labels, 100);
    // the create of the new port list reuses the slice that would be deleted
    expect(plan.update.map((s) => [s.name, s.ports])).toEqual([['a', ports]]);
    expect(plan.delete).toEqual([]);
  });
});

describe('EndpointSlice controllers in a cluster', () => {
  it('keeps ready, serving and terminating conditions and the managed-by labels', () => {
    const c = newCluster({ nodes: 1 });
    c.api.create(pod('a', { labels: { app: 'web' } }));
    c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    advance(c, 2000);
    const slices = c.api.list('EndpointSlice', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web');
    expect(slices).toHaveLength(1);
    const s: any = slices[0];
    expect(s.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(s.metadata.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s.metadata.ownerReferences[0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });
    expect(s.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(s.endpoints[0].conditions).toEqual({ ready: true, serving: true, terminating: false });
  });

  it('knows every stored slice port list by its printed form, keys carried over its own writes included', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }] } });
    for (const n of ['a', 'b', 'c']) c.api.create(pod(n, { labels: { app: 'web' } }));
    const check = () => {
      const slices = c.api.list('EndpointSlice', 'default');
      expect(slices.length).toBeGreaterThan(0);
      for (const s of slices as any[]) expect(storedPortMapKey(s.ports ?? [])).toBe(JSON.stringify(s.ports ?? []));
    };
    for (let i = 0; i < 4; i++) {
      advance(c, 1000);
      check();
      if (i < 3) c.api.delete('Pod', 'default', ['a', 'b', 'c'][i]);
      c.api.create(pod(`x${i}`, { labels: { app: 'web' } }));
    }
    advance(c, 2000);
    check();
  });

  it('mirrors hand-made Endpoints of a selector-less Service (not the kubernetes Service, which is skip-mirror)', () => {
    const c = newCluster({ nodes: 1 });
    c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { ports: [{ port: 5432 }] } });
    c.api.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext' }, subsets: [{ addresses: [{ ip: '192.168.10.5' }], notReadyAddresses: [{ ip: '192.168.10.6' }], ports: [{ port: 5432, protocol: 'TCP' }] }] } as KubeObject);
    advance(c, 1000);
    const mirrored = c.api.list('EndpointSlice', 'default').filter((s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslicemirroring-controller.k8s.io');
    expect(mirrored.map((s) => s.metadata.labels?.['kubernetes.io/service-name'])).toEqual(['ext']);
    expect((mirrored[0] as any).endpoints).toEqual([
      { addresses: ['192.168.10.5'], conditions: { ready: true } },
      { addresses: ['192.168.10.6'], conditions: { ready: false } },
    ]);
    c.api.delete('Endpoints', 'default', 'ext');
    advance(c, 1000);
    expect(c.api.list('EndpointSlice', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'ext')).toEqual([]);
  });
});

describe('desired endpoints and plans from per-pod caches', () => {
  // desiredByPortMap as it was before endpoints were cached per pod object and port lists per
  // Service: a pod's ports resolved and printed (NewPortMapKey) for every pod, podToEndpoint each time
  function referenceDesired(s: KubeObject, pods: KubeObject[], getNode: (name: string) => KubeObject | undefined): Map<string, PortGroup> {
    const out = new Map<string, PortGroup>();
    const publish = !!s.spec?.publishNotReadyAddresses;
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ports: any[] = [];
      for (const sp of s.spec?.ports ?? []) {
        const num = findPort(pod, sp);
        if (num === undefined) continue;
        const port: any = { name: sp.name ?? '', port: num, protocol: sp.protocol ?? 'TCP' };
        if (sp.appProtocol) port.appProtocol = sp.appProtocol;
        ports.push(port);
      }
      const n = pod.spec?.nodeName ? getNode(pod.spec.nodeName) : undefined;
      if (!n && !publish) continue;
      const ep = podToEndpoint(pod, n, s);
      if (ep.addresses.length === 0) continue;
      const key = JSON.stringify(ports);
      let g = out.get(key);
      if (!g) out.set(key, (g = { ports, endpoints: [] }));
      g.endpoints.push(ep);
    }
    return out;
  }
  const podArb = fc.record({
    ready: fc.boolean(),
    terminating: fc.boolean(),
    ip: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', ''),
    http: fc.constantFrom(undefined, 80, 8080),
    hostname: fc.boolean(),
    node: fc.constantFrom(undefined, 'node-1', 'node-2', 'node-gone'),
  });
  const svcArb = fc.record({
    ports: fc.subarray([
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
      { name: 'web', port: 81, protocol: 'TCP', targetPort: 8080 },
      { name: 'dns', port: 53, protocol: 'UDP', appProtocol: 'dns' },
    ]),
    publish: fc.boolean(),
    name: fc.constantFrom('foo', 'bar'),
    zoned: fc.boolean(),
  });
  const toPod = (o: any, i: number): KubeObject => {
    const pd = p(`p${i}`, { ready: o.ready, terminating: o.terminating, ip: o.ip, ...(o.hostname ? { hostname: `h${i}`, subdomain: 'foo' } : {}) });
    pd.spec.containers[0].ports = o.http ? [{ name: 'http', containerPort: o.http }] : [];
    if (o.node) pd.spec.nodeName = o.node;
    else delete pd.spec.nodeName;
    if (!o.ip) pd.status = { ...pd.status, podIP: undefined, podIPs: [] };
    return pd;
  };
  const nodes = (zoned: boolean) => (n: string) =>
    n === 'node-gone' ? undefined : ({ apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: zoned ? { 'topology.kubernetes.io/zone': `z-${n}` } : {} } } as KubeObject);

  it('desiredByPortMap answers as resolving and building every pod afresh, with caches warm from other Services', () => {
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 8 }), svcArb, svcArb, (ps, a, b) => {
        const pods = ps.map(toPod);
        for (const s of [a, b, a]) {
          const service = svc({ ports: s.ports, publishNotReadyAddresses: s.publish });
          service.metadata.name = s.name;
          const got = desiredByPortMap(service, pods, nodes(s.zoned));
          const want = referenceDesired(service, pods, nodes(s.zoned));
          expect([...got.keys()]).toEqual([...want.keys()]);
          expect(JSON.stringify([...got.values()])).toBe(JSON.stringify([...want.values()]));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('planSlices answers the same with what it remembers of earlier plans as over fresh copies of the same slices', () => {
    const ports = [{ name: 'http', port: 80, protocol: 'TCP' }];
    const key = JSON.stringify(ports);
    const labels = { 'kubernetes.io/service-name': 'foo' };
    const ep = (i: number, ready: boolean) => ({ addresses: [`10.0.0.${i}`], conditions: { ready }, targetRef: { kind: 'Pod', name: `p${i}`, uid: `u${i}` } });
    // a pool of desired endpoint objects, as the per-pod cache hands them out (one object per pod state)
    const pool = Array.from({ length: 12 }, (_, i) => [ep(i, true), ep(i, false)]);
    const state = fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.boolean()), { maxLength: 12 });
    fc.assert(
      fc.property(fc.array(state, { minLength: 1, maxLength: 3 }), state, state, fc.integer({ min: 2, max: 5 }), (sliceStates, before, after, max) => {
        // stored slices hold copies (the API server copies every write)
        const existing: SliceDraft[] = sliceStates.map((st, j) => ({ name: `s${j}`, labels, ports, endpoints: st.map(([i, r]) => structuredClone(pool[i][r ? 0 : 1])) }));
        const desired = (st: [number, boolean][]) => {
          const seen = new Set<number>();
          const endpoints = st.filter(([i]) => !seen.has(i) && (seen.add(i), true)).map(([i, r]) => pool[i][r ? 0 : 1]);
          return new Map([[key, { ports, endpoints }]]);
        };
        // an earlier plan over the same stored slices wanted other objects for some endpoints
        const first = planSlices(existing, desired(before), labels, max);
        expect(JSON.stringify(first)).toBe(JSON.stringify(planSlices(structuredClone(existing), desired(before), labels, max)));
        const warm = planSlices(existing, desired(after), labels, max);
        const cold = planSlices(structuredClone(existing), desired(after), labels, max);
        expect(JSON.stringify(warm)).toBe(JSON.stringify(cold));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('desiredByPortMap with the port list remembered per Service object', () => {
  it('gives what a fresh copy of the Service gives, every time', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, clusterIP: '10.96.0.9', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }] } };
    const pods: KubeObject[] = [0, 1].map((i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-${i}`, namespace: 'default', uid: `u${i}`, labels: { app: 'web' } },
      spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'x' }] },
      status: { phase: 'Running', podIP: `10.1.0.${i + 1}`, podIPs: [{ ip: `10.1.0.${i + 1}` }], conditions: [{ type: 'Ready', status: 'True' }] },
    }));
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } };
    const print = (m: Map<string, PortGroup>) => JSON.stringify([...m]);
    const fresh = print(desiredByPortMap(structuredClone(svc), pods, () => node));
    expect(print(desiredByPortMap(svc, pods, () => node))).toBe(fresh);
    expect(print(desiredByPortMap(svc, pods, () => node))).toBe(fresh);
    expect([...desiredByPortMap(svc, pods, () => node).keys()]).toEqual([portMapKey([{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }])]);
  });
});
