// EndpointSlice conditions and packing, translated from staging k8s.io/endpointslice
// utils_test.go (TestPodToEndpoint) and reconciler_test.go, plus the controllers in a cluster.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { desiredByPortMap, planSlices, podToEndpoint, type SliceDraft } from './endpointslice.js';
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
