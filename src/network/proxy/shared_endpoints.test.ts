import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../../api/types.js';
import { categorizeEndpoints } from './topology.js';
import { EndpointsMemo, SharedPortEndpoints, describeChain, endpointsForNode, sortSlices } from './shared_endpoints.js';

// The shared path (one list per slice set, local copies per node) must give every node exactly
// what the per-node reference computation (addEndpoints/endpointsMapFromEndpointInfo, then
// CategorizeEndpoints) gives it, duplicates across slices ("local wins") included.

const NODES = ['node-1', 'node-2', 'node-3'];
const cond = fc.constantFrom(undefined, true, false);
const endpoint = fc.record({
  ip: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.10', '10.0.1.2'),
  nodeName: fc.constantFrom(undefined, ...NODES),
  ready: cond,
  serving: cond,
  terminating: cond,
  zones: fc.subarray(['a', 'b']),
  noAddress: fc.boolean(),
});
const slice = fc.record({
  portName: fc.constantFrom('', 'http'),
  protocol: fc.constantFrom('TCP', 'UDP'),
  port: fc.constantFrom(0, 80, 8080),
  ipv6: fc.boolean(),
  endpoints: fc.array(endpoint, { maxLength: 6 }),
});

function toSlice(name: string, s: any): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: s.ipv6 ? 'IPv6' : 'IPv4',
    ports: [{ name: s.portName, port: s.port, protocol: s.protocol }],
    endpoints: s.endpoints.map((e: any, i: number) => ({
      addresses: e.noAddress ? [] : [e.ip],
      conditions: { ...(e.ready === undefined ? {} : { ready: e.ready }), ...(e.serving === undefined ? {} : { serving: e.serving }), ...(e.terminating === undefined ? {} : { terminating: e.terminating }) },
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
      ...(e.zones.length ? { hints: { forZones: e.zones.map((z: string) => ({ name: z })) } } : {}),
      targetRef: { kind: 'Pod', name: `${name}-${i}` },
    })),
  } as KubeObject;
}

const policy = fc.record({ internalPolicyLocal: fc.boolean(), externalPolicyLocal: fc.boolean(), externallyAccessible: fc.boolean() });

describe('SharedPortEndpoints', () => {
  it('gives every node what the per-node computation gives it (endpoints, categories, chain text)', () => {
    fc.assert(
      fc.property(fc.array(slice, { maxLength: 4 }), fc.constantFrom('', 'http'), fc.constantFrom('TCP', 'UDP'), policy, fc.constantFrom(undefined, 'a', 'b'), (raw, portName, protocol, sp, zone) => {
        const slices = sortSlices(raw.map((s, i) => toSlice(`web-${String.fromCharCode(97 + ((i * 7) % raw.length))}${i}`, s)));
        const shared = new SharedPortEndpoints(slices, portName, protocol);
        for (const node of [...NODES, 'node-9']) {
          const endpoints = endpointsForNode(slices, portName, protocol, node);
          const cat = categorizeEndpoints(endpoints, sp, zone);
          const got = shared.forNode(node, sp, zone);
          expect(got.endpoints).toStrictEqual(endpoints);
          expect(got.cat).toStrictEqual(cat);
          expect(got.chain).toBe(describeChain(cat));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('answers the same from slices whose lists it has read before (a new version sharing slice objects), lazily or not', () => {
    fc.assert(
      fc.property(
        fc.array(slice, { minLength: 1, maxLength: 4 }),
        slice,
        fc.nat(),
        fc.constantFrom('', 'http'),
        fc.constantFrom('TCP', 'UDP'),
        policy,
        fc.constantFrom(undefined, 'a', 'b'),
        (raw, replacement, which, portName, protocol, sp, zone) => {
          const v1 = sortSlices(raw.map((s, i) => toSlice(`web-${String.fromCharCode(97 + ((i * 7) % raw.length))}${i}`, s)));
          new SharedPortEndpoints(v1, portName, protocol).forNode('node-1', sp, zone);
          // the next version: one slice rewritten (a new object under the same name), the others the same objects
          const at = which % v1.length;
          const v2 = v1.map((sl, i) => (i === at ? toSlice(sl.metadata.name!, replacement) : sl));
          const shared = new SharedPortEndpoints(v2, portName, protocol);
          for (const node of [...NODES, 'node-9']) {
            const endpoints = endpointsForNode(v2, portName, protocol, node);
            const cat = categorizeEndpoints(endpoints, sp, zone);
            const lazy = shared.programmedFor(node, sp, zone);
            expect(lazy.sp).toBe(sp);
            expect(lazy.chain).toBe(describeChain(cat));
            expect(lazy.endpoints).toStrictEqual(endpoints);
            expect(lazy.cat).toStrictEqual(cat);
            const got = shared.forNode(node, sp, zone);
            expect(got.endpoints).toStrictEqual(endpoints);
            expect(got.cat).toStrictEqual(cat);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('programmedFor gives the nodes without endpoints of their own one shared view per port object', () => {
    const slices = [toSlice('web-a', { portName: '', protocol: 'TCP', port: 80, endpoints: [{ ip: '10.0.0.1', nodeName: 'node-1', ready: true, zones: [] }] })];
    const shared = new SharedPortEndpoints(slices, '', 'TCP');
    const sp = { internalPolicyLocal: false, externalPolicyLocal: false, externallyAccessible: false };
    const a = shared.programmedFor('node-2', sp, undefined);
    expect(shared.programmedFor('node-3', sp, undefined)).toBe(a);
    expect(a.endpoints).toStrictEqual(endpointsForNode(slices, '', 'TCP', 'node-2'));
    // another port object (the Service was rewritten) with the same policy: its own view, its own sp
    const sp2 = { ...sp };
    const b = shared.programmedFor('node-2', sp2, undefined);
    expect(b).not.toBe(a);
    expect(b.sp).toBe(sp2);
    expect(b.endpoints).toBe(a.endpoints);
    // the node with an endpoint of its own gets its own (lazy) view
    expect(shared.programmedFor('node-1', sp, undefined).endpoints).toMatchObject([{ isLocal: true }]);
  });

  it('a later duplicate of an IP:port on this node wins over the first one (local wins)', () => {
    const slices = sortSlices([
      toSlice('web-a', { portName: '', protocol: 'TCP', port: 80, endpoints: [{ ip: '10.0.0.1', nodeName: 'node-1', ready: false, zones: [] }] }),
      toSlice('web-b', { portName: '', protocol: 'TCP', port: 80, endpoints: [{ ip: '10.0.0.1', nodeName: 'node-2', ready: true, zones: [] }] }),
    ]);
    const shared = new SharedPortEndpoints(slices, '', 'TCP');
    const sp = { internalPolicyLocal: false, externalPolicyLocal: false, externallyAccessible: false };
    expect(shared.forNode('node-2', sp, undefined).endpoints).toMatchObject([{ ready: true, isLocal: true, nodeName: 'node-2' }]);
    expect(shared.forNode('node-1', sp, undefined).endpoints).toMatchObject([{ ready: false, isLocal: true, nodeName: 'node-1' }]);
    expect(shared.forNode('node-3', sp, undefined).endpoints).toMatchObject([{ ready: false, isLocal: false, nodeName: 'node-1' }]);
  });
});

describe('EndpointsMemo', () => {
  const mk = (name: string, ip: string) => toSlice(name, { portName: '', protocol: 'TCP', port: 80, endpoints: [{ ip, nodeName: 'node-1', zones: [] }] });
  it('shares one computation between caches holding the same slice objects, and keeps older versions apart', () => {
    const memo = new EndpointsMemo();
    const v1 = [mk('web-a', '10.0.0.1')];
    const v2 = [mk('web-a', '10.0.0.2')];
    const a = memo.get('default/web', v1, '', 'TCP');
    expect(memo.get('default/web', [...v1], '', 'TCP')).toBe(a);
    const b = memo.get('default/web', v2, '', 'TCP');
    expect(b).not.toBe(a);
    // a node still at the older version gets the older endpoints
    const sp = { internalPolicyLocal: false, externalPolicyLocal: false, externallyAccessible: false };
    expect(memo.get('default/web', v1, '', 'TCP').forNode('node-2', sp, undefined).endpoints.map((e) => e.ip)).toEqual(['10.0.0.1']);
    expect(memo.get('default/web', v2, '', 'TCP').forNode('node-2', sp, undefined).endpoints.map((e) => e.ip)).toEqual(['10.0.0.2']);
    // a different port of the same slice set is its own list
    expect(memo.get('default/web', v2, 'http', 'TCP')).not.toBe(b);
  });
});

describe('EndpointsMemo.programmed', () => {
  // Service port objects: a few fixed ones (shared per Service object), asked in any order by any
  // node of any zone, from any of a few slice sets: each answer must be what programmedFor gives
  // per port (and so the per-node reference above), and nodes with no endpoint of their own must
  // share one array
  const spec = (portName: string, protocol: string, p: { internalPolicyLocal: boolean; externalPolicyLocal: boolean; externallyAccessible: boolean }) => ({ portName, protocol, ...p });
  it('answers as programmedFor per port, one array for the nodes with no endpoint of their own', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(slice, { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.array(fc.record({ portName: fc.constantFrom('', 'http'), protocol: fc.constantFrom('TCP', 'UDP'), p: policy }), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
        fc.array(fc.record({ set: fc.nat(), specs: fc.nat(), node: fc.constantFrom(...NODES, 'node-8', 'node-9'), zone: fc.constantFrom(undefined, 'a', 'b') }), { maxLength: 20 }),
        (sets, rawSpecs, asks) => {
          const memo = new EndpointsMemo();
          const versions = sets.map((raw) => sortSlices(raw.map((s, i) => toSlice(`web-${String.fromCharCode(97 + i)}`, s))));
          const specLists = rawSpecs.map((l) => l.map((s) => spec(s.portName, s.protocol, s.p)));
          for (const a of asks) {
            const slices = versions[a.set % versions.length];
            const specs = specLists[a.specs % specLists.length];
            const got = memo.programmed('default/web', [...slices], specs, a.node, a.zone);
            expect(got.slices).toStrictEqual(slices);
            expect(got.ports.length).toBe(specs.length);
            specs.forEach((sp, i) => {
              const endpoints = endpointsForNode(slices, sp.portName, sp.protocol, a.node);
              const cat = categorizeEndpoints(endpoints, sp, a.zone);
              const p = got.ports[i];
              expect(p.sp).toBe(sp);
              expect(p.chain).toBe(describeChain(cat));
              expect(p.endpoints).toStrictEqual(endpoints);
              expect(p.cat).toStrictEqual(cat);
            });
            const noneLocal = specs.every((sp) => endpointsForNode(slices, sp.portName, sp.protocol, a.node).every((e) => !e.isLocal));
            // node-8 and node-9 never hold an endpoint: they share the array
            if (noneLocal) expect(memo.programmed('default/web', slices, specs, 'node-9', a.zone).ports).toBe(got.ports);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
