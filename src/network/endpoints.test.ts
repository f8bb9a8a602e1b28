// The Endpoints controller's address placement and truncation, translated from
// pkg/controller/endpoint/endpoints_controller_test.go, and the controller running in a cluster.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../api/types.js';
import { computeSubsets, desiredEndpoints, desiredEndpointsReference, packedSubsets, repackSubsets, truncateEndpoints, type EndpointSubset } from './endpoints.js';
import { findPort } from './endpointutil.js';
import { advance, newCluster, pod } from '../../test/helpers/cluster.js';

const service = (spec: any = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'foo', namespace: 'default' }, spec: { selector: { foo: 'bar' }, clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], ...spec } });

function testPod(phase: string, ready: boolean, terminating: boolean, name = 'pod0', ip = '10.1.1.1'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { foo: 'bar' }, ...(terminating ? { deletionTimestamp: '1970-01-01T00:00:10Z' } : {}) },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
    status: { phase, podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

describe('addresses by pod state (TestSyncServiceAddresses)', () => {
  // endpoints_controller_test.go TestSyncServiceAddresses: [phase, Ready, terminating, publishNotReady, ready, notReady]
  const table: [string, boolean, boolean, boolean, number, number][] = [
    ['Running', true, false, false, 1, 0],
    ['Running', true, true, false, 0, 0],
    ['Unknown', true, false, false, 1, 0],
    ['Unknown', true, true, false, 0, 0],
    ['Pending', true, false, false, 1, 0],
    ['Pending', true, true, false, 0, 0],
    ['Unknown', false, false, false, 0, 1],
    ['Pending', false, false, false, 0, 1],
    ['Failed', false, false, false, 0, 0],
    ['Succeeded', false, false, false, 0, 0],
    ['Running', false, false, true, 1, 0],
    ['Unknown', false, false, true, 1, 0],
    ['Pending', false, false, true, 1, 0],
    ['Running', false, true, true, 1, 0],
    ['Unknown', false, true, true, 1, 0],
    ['Pending', false, true, true, 1, 0],
    ['Failed', false, false, true, 0, 0],
    ['Succeeded', false, false, true, 0, 0],
  ];
  for (const [phase, ready, terminating, publish, wantReady, wantNotReady] of table) {
    it(`${phase} Ready=${ready} terminating=${terminating} publishNotReadyAddresses=${publish} -> ${wantReady}/${wantNotReady}`, () => {
      const r = computeSubsets(service({ publishNotReadyAddresses: publish }), [testPod(phase, ready, terminating)]);
      expect([r.ready, r.notReady]).toEqual([wantReady, wantNotReady]);
    });
  }
});

describe('named target ports (FindPort)', () => {
  it('resolves a name per pod, in container order, matching the protocol', () => {
    const a = testPod('Running', true, false, 'a', '10.1.1.1');
    const b = testPod('Running', true, false, 'b', '10.1.1.2');
    b.spec.containers[0].ports = [{ name: 'http', containerPort: 9090, protocol: 'UDP' }, { name: 'http', containerPort: 9091, protocol: 'TCP' }];
    const sp = { targetPort: 'http', protocol: 'TCP', port: 80 };
    expect(findPort(a, sp)).toBe(8080);
    expect(findPort(b, sp)).toBe(9091);
    expect(findPort(a, { targetPort: 'metrics', protocol: 'TCP' })).toBeUndefined();
    expect(findPort(a, { targetPort: 7000, protocol: 'TCP' })).toBe(7000);
  });

  it('finds named ports of sidecars (restartPolicy Always init containers) but not plain init containers', () => {
    const p = testPod('Running', true, false);
    p.spec.initContainers = [{ name: 'init', ports: [{ name: 'x', containerPort: 1 }] }, { name: 'side', restartPolicy: 'Always', ports: [{ name: 'y', containerPort: 2 }] }];
    expect(findPort(p, { targetPort: 'x', protocol: 'TCP' })).toBeUndefined();
    expect(findPort(p, { targetPort: 'y', protocol: 'TCP' })).toBe(2);
  });

  it('groups pods resolving a name to different numbers into different subsets, and omits a pod without the port', () => {
    const a = testPod('Running', true, false, 'a', '10.1.1.1');
    const b = testPod('Running', true, false, 'b', '10.1.1.2');
    b.spec.containers[0].ports = [{ name: 'http', containerPort: 9090, protocol: 'TCP' }];
    const c = testPod('Running', true, false, 'c', '10.1.1.3');
    c.spec.containers[0].ports = [];
    const { subsets } = desiredEndpoints(service({ ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] }), [a, b, c]);
    expect(subsets.map((s) => [s.addresses!.map((x) => x.ip), s.ports!.map((p) => p.port)])).toEqual([
      [['10.1.1.1'], [8080]],
      [['10.1.1.2'], [9090]],
    ]);
  });
});

describe('RepackSubsets (pkg/api/v1/endpoints/util_test.go TestPackSubsets)', () => {
  it('merges addresses that offer the same ports and sorts addresses by IP', () => {
    const addr = (ip: string) => ({ ip, targetRef: { kind: 'Pod', name: ip, uid: ip } });
    const out = repackSubsets([
      { addresses: [addr('10.0.0.10')], ports: [{ name: 'p', port: 111, protocol: 'TCP' }] },
      { addresses: [addr('10.0.0.2')], ports: [{ name: 'p', port: 111, protocol: 'TCP' }] },
      { notReadyAddresses: [addr('10.0.0.3')], ports: [{ name: 'p', port: 111, protocol: 'TCP' }] },
    ]);
    expect(out).toHaveLength(1);
    expect(out[0].addresses!.map((a) => a.ip)).toEqual(['10.0.0.2', '10.0.0.10']);
    expect(out[0].notReadyAddresses!.map((a) => a.ip)).toEqual(['10.0.0.3']);
  });

  it('keeps an address ready when it is ready for the same port in another subset', () => {
    const a = { ip: '1.2.3.4', targetRef: { kind: 'Pod', name: 'x', uid: 'u' } };
    const port = [{ port: 80, protocol: 'TCP' }];
    const out = repackSubsets([{ notReadyAddresses: [a], ports: port }, { addresses: [a], ports: port }]);
    expect(out).toEqual([{ addresses: [a], ports: port }]);
  });
});

describe('truncateEndpoints (TestTruncateEndpoints)', () => {
  const mk = (ready: number[], notReady: number[]): EndpointSubset[] =>
    ready.map((n, i) => ({
      addresses: Array.from({ length: n }, (_, k) => ({ ip: `10.${i}.0.${k}` })),
      notReadyAddresses: Array.from({ length: notReady[i] }, (_, k) => ({ ip: `10.${i}.1.${k}` })),
    }));
  const table: [string, number[], number[], number[], number[]][] = [
    ['less than endpoints per subset', [50, 100, 100, 100, 100], [50, 100, 100, 100, 100], [50, 100, 100, 100, 100], [50, 100, 100, 100, 100]],
    ['exactly the max', [100, 100, 100, 100, 100], [100, 100, 100, 100, 100], [100, 100, 100, 100, 100], [100, 100, 100, 100, 100]],
    ['not ready truncated', [90, 110, 50, 10, 20], [101, 200, 200, 201, 298], [90, 110, 50, 10, 20], [73, 144, 144, 145, 214]],
    ['ready truncated, not ready dropped', [205, 400, 402, 400, 693], [100, 200, 200, 200, 300], [98, 191, 192, 191, 328], [0, 0, 0, 0, 0]],
  ];
  for (const [name, ready, notReady, wantReady, wantNotReady] of table) {
    it(name, () => {
      const subsets = mk(ready, notReady);
      const truncated = truncateEndpoints(subsets);
      expect(truncated).toBe(ready.reduce((a, b) => a + b) + notReady.reduce((a, b) => a + b) > 1000);
      expect(subsets.map((s) => s.addresses!.length)).toEqual(wantReady);
      expect(subsets.map((s) => s.notReadyAddresses!.length)).toEqual(wantNotReady);
    });
  }
});

describe('Endpoints controller in a cluster', () => {
  const svcObj = (name: string, spec: any): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });

  it('lists ready pods as addresses and follows deletions', () => {
    const c = newCluster({ nodes: 1 });
    for (const n of ['a', 'b']) c.api.create(pod(n, { labels: { app: 'web' } }));
    c.api.create(svcObj('web', { selector: { app: 'web' } }));
    advance(c, 2000);
    const ep: any = c.api.get('Endpoints', 'default', 'web')!;
    expect(ep.subsets[0].addresses.map((a: any) => a.targetRef.name)).toEqual(['a', 'b']);
    expect(ep.subsets[0].ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    c.api.delete('Pod', 'default', 'a');
    advance(c, 100);
    expect((c.api.get('Endpoints', 'default', 'web') as any).subsets[0].addresses.map((a: any) => a.targetRef.name)).toEqual(['b']);
    c.api.delete('Service', 'default', 'web');
    advance(c, 100);
    expect(c.api.get('Endpoints', 'default', 'web')).toBeUndefined();
  });

  it('leaves hand-made Endpoints of a selector-less Service alone, and gives ExternalName Services none', () => {
    const c = newCluster({ nodes: 1 });
    c.api.create(svcObj('ext-db', {}));
    c.api.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext-db' }, subsets: [{ addresses: [{ ip: '192.168.10.5' }], ports: [{ port: 5432, protocol: 'TCP' }] }] } as KubeObject);
    c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'alias' }, spec: { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'x' } } });
    advance(c, 1000);
    expect((c.api.get('Endpoints', 'default', 'ext-db') as any).subsets[0].addresses).toEqual([{ ip: '192.168.10.5' }]);
    expect(c.api.get('Endpoints', 'default', 'alias')).toBeUndefined();
  });

  it('labels the Endpoints of a headless Service', () => {
    const c = newCluster({ nodes: 1 });
    c.api.create(svcObj('db', { clusterIP: 'None', selector: { app: 'db' } }));
    advance(c, 100);
    expect(c.api.get('Endpoints', 'default', 'db')!.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
  });
});

describe('packedSubsets (RepackSubsets from addresses cached per pod object)', () => {
  // the fast path must answer as computeSubsets + RepackSubsets over the same pods, with cold and
  // warm per-pod caches, named ports resolving differently per pod, duplicate and equal-sorting
  // IPs (where it defers to the reference), headless port-less Services and truncation
  const podArb = fc.record({
    ip: fc.constantFrom('10.1.1.1', '10.1.1.2', '10.1.1.10', '10.1.2.1', '9.1.1.1', '010.1.1.1', ''),
    phase: fc.constantFrom('Running', 'Pending', 'Succeeded'),
    ready: fc.boolean(),
    terminating: fc.boolean(),
    uid: fc.constantFrom('u1', 'u2', 'u3', undefined),
    http: fc.constantFrom(undefined, 8080, 9090),
    metrics: fc.constantFrom(undefined, 9100),
    hostname: fc.boolean(),
    node: fc.constantFrom(undefined, 'node-1'),
  });
  const svcArb = fc.record({
    ports: fc.subarray([
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
      { name: 'web', port: 81, protocol: 'TCP', targetPort: 8080 },
      { name: 'metrics', port: 9100, protocol: 'TCP', targetPort: 'metrics', appProtocol: 'http' },
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
    ]),
    headless: fc.boolean(),
    publish: fc.boolean(),
  });
  const toPod = (p: any, i: number): KubeObject => {
    const ports = [
      ...(p.http ? [{ name: 'http', containerPort: p.http, protocol: 'TCP' }] : []),
      ...(p.metrics ? [{ name: 'metrics', containerPort: p.metrics }] : []),
    ];
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: 'default', ...(p.uid ? { uid: `${p.uid}-${i % 3}` } : {}), labels: { foo: 'bar' }, ...(p.terminating ? { deletionTimestamp: '1970-01-01T00:00:10Z' } : {}) },
      spec: { ...(p.node ? { nodeName: p.node } : {}), ...(p.hostname ? { hostname: `h${i}`, subdomain: 'foo' } : {}), containers: [{ name: 'c', image: 'x', ports }] },
      status: { phase: p.phase, ...(p.ip ? { podIP: p.ip, podIPs: [{ ip: p.ip }] } : {}), conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False' }] },
    };
  };
  const toSvc = (s: any): KubeObject => service({ ports: s.ports, publishNotReadyAddresses: s.publish, clusterIP: s.headless ? 'None' : '10.96.0.20' });

  it('gives what computeSubsets + RepackSubsets give, cold and warm', () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 12 }), svcArb, (ps, s) => {
        const pods = ps.map(toPod);
        const svc = toSvc(s);
        const want = desiredEndpointsReference(svc, pods);
        expect(desiredEndpoints(svc, pods)).toEqual(want);
        expect(JSON.stringify(desiredEndpoints(svc, pods))).toBe(JSON.stringify(want));
        if (packedSubsets(svc, pods)) fast++;
      }),
      { numRuns: 1500 },
    );
    // the fast path answered most cases itself (the reference only when the order it met the pods in matters)
    expect(fast).toBeGreaterThan(600);
  });

  it('answers without the reference when IPs and UIDs are distinct, and truncates as it does', () => {
    const pods = Array.from({ length: 1003 }, (_, i) => testPod('Running', i % 7 !== 0, false, `p${i}`, `10.2.${Math.floor(i / 250)}.${i % 250}`));
    const svc = service();
    expect(packedSubsets(svc, pods)).toBeDefined();
    const got = desiredEndpoints(svc, pods);
    expect(got.truncated).toBe(true);
    expect(JSON.stringify(got)).toBe(JSON.stringify(desiredEndpointsReference(svc, pods)));
  });
});

describe('sameSubsets', () => {
  it('answers as jsonEqual(stored ?? [], want) over a sequence of comparisons with remembered answers', async () => {
    const { jsonEqual } = await import('../api/clone.js');
    const { sameSubsets } = await import('./endpoints.js');
    // a few pods' desired subsets (address objects shared, as the per-pod cache gives them) and
    // stored lists printing as some of them (copies, as the API server stores them)
    const pods = [0, 1, 2].map((i) => testPod('Running', i !== 1, false, `pod${i}`, `10.1.1.${i + 1}`));
    const desiredFor = (mask: number, publish: boolean) =>
      desiredEndpoints(service({ publishNotReadyAddresses: publish }), pods.filter((_, i) => mask & (1 << i))).subsets;
    const want = fc.record({ mask: fc.integer({ min: 0, max: 7 }), publish: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), want), { minLength: 1, maxLength: 12 }), (steps) => {
        const stored: (EndpointSubset[] | undefined)[] = [undefined, structuredClone(desiredFor(7, false)), structuredClone(desiredFor(3, false)), structuredClone(desiredFor(5, true))];
        for (const [s, w] of steps) {
          const d = desiredFor(w.mask, w.publish);
          if (sameSubsets(stored[s], d) !== jsonEqual(stored[s] ?? [], d)) return false;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});

describe('splitKey', () => {
  it("answers as key.split('/'), remembered or not", async () => {
    const { splitKey } = await import('./endpoints.js');
    const part = fc.constantFrom('', 'Service', 'default', 'kube-system', 'web', 'a.b');
    fc.assert(
      fc.property(fc.array(fc.array(part, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 20 }), (keys) => {
        for (const k of keys.map((p) => p.join('/'))) for (let i = 0; i < 2; i++) expect(splitKey(k)).toEqual(k.split('/'));
      }),
    );
    // past its bound the memo starts again, with the same answers
    for (let i = 0; i < 5000; i++) expect(splitKey(`Service/ns-${i}/x`)[1]).toBe(`ns-${i}`);
  });
});
