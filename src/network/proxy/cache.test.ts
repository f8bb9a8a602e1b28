import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../../api/types.js';
import { ProxyCache, withSlice, withoutSlice } from './cache.js';
import { EndpointsMemo, endpointsForNode, sortSlices } from './shared_endpoints.js';

// A node's slice lists are kept sorted by copy on write and interned across nodes by the shared
// memo: every node must still see, for each Service, the endpoints of exactly the slices it was
// last told about (the reference: its latest objects by key, sorted, then addEndpoints).

const SVCS = ['web', 'api'];
const svc = (name: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { clusterIP: `10.96.0.${SVCS.indexOf(name) + 1}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } }) as KubeObject;
const slice = (name: string, owner: string | undefined, ips: string[], node: string): KubeObject =>
  ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: owner ? { 'kubernetes.io/service-name': owner } : {} },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true }, nodeName: node })),
  }) as KubeObject;

const change = fc.record({
  deleted: fc.boolean(),
  name: fc.constantFrom('s-a', 's-b', 's-c', 'x-1'),
  owner: fc.constantFrom(undefined, ...SVCS),
  ips: fc.subarray(['10.0.0.1', '10.0.0.2', '10.0.1.7']),
  node: fc.constantFrom('node-1', 'node-2'),
  // which caches see this change now (the others lag, and may never see it)
  to: fc.subarray([0, 1, 2], { minLength: 1 }),
});

describe('ProxyCache slice lists', () => {
  it('give each node the endpoints of the slices it was last told about, whatever the others saw', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 25 }), (changes) => {
        const memo = new EndpointsMemo();
        const nodes = ['node-1', 'node-2', 'node-3'];
        const caches = nodes.map((n) => new ProxyCache(n, memo));
        const latest = nodes.map(() => new Map<string, KubeObject>());
        for (const c of caches) for (const s of SVCS) c.apply('ADDED', svc(s));
        for (const ch of changes) {
          const obj = slice(ch.name, ch.owner, ch.ips, ch.node);
          for (const i of ch.to) {
            // the event's previous version is the object this cache holds under the name (a
            // watch delivers every change; a cache left out of a change here never held it)
            const old = latest[i].get(ch.name);
            if (ch.deleted && !old) continue;
            caches[i].apply(ch.deleted ? 'DELETED' : old ? 'MODIFIED' : 'ADDED', obj, old);
            if (ch.deleted) latest[i].delete(ch.name);
            else latest[i].set(ch.name, obj);
          }
          for (let i = 0; i < nodes.length; i++) {
            for (const s of SVCS) {
              const mine = sortSlices([...latest[i].values()].filter((o) => o.metadata.labels?.['kubernetes.io/service-name'] === s));
              const [port] = caches[i].servicePorts(`default/${s}`);
              expect(port.endpoints).toStrictEqual(endpointsForNode(mine, 'http', 'TCP', nodes[i]));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('withSlice / withoutSlice (steps shared across nodes)', () => {
  // several nodes holding the same list take each step; some skip steps (lagging, or a list of
  // their own): every list must be the reference's (latest objects by name, sorted), whether the
  // step was made or served from the shared one
  const step = fc.record({
    deleted: fc.boolean(),
    name: fc.constantFrom('s-a', 's-b', 's-c', 's-d'),
    to: fc.subarray([0, 1, 2], { minLength: 1 }),
    version: fc.nat(3),
  });
  it('answer as building the list from scratch', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const lists: (readonly KubeObject[])[] = [[], [], []];
        const latest = [0, 1, 2].map(() => new Map<string, KubeObject>());
        for (const s of steps) {
          const obj = slice(s.name, 'web', [`10.0.0.${s.version}`], 'node-1');
          for (const i of s.to) {
            if (s.deleted) {
              lists[i] = withoutSlice(lists[i], `default/${s.name}`);
              latest[i].delete(s.name);
            } else {
              lists[i] = withSlice(lists[i], obj);
              latest[i].set(s.name, obj);
            }
            expect(lists[i]).toStrictEqual(sortSlices(latest[i].values()));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('hand nodes holding the same list the same next list', () => {
    const a = slice('s-a', 'web', ['10.0.0.1'], 'node-1');
    const b = slice('s-b', 'web', ['10.0.0.2'], 'node-1');
    const base = withSlice(withSlice([], a), b);
    expect(withSlice(base, a)).toBe(withSlice(base, a));
    expect(withoutSlice(base, 'default/s-a')).toBe(withoutSlice(base, 'default/s-a'));
    expect(withoutSlice(base, 'default/s-a')).toStrictEqual([b]);
  });
});
