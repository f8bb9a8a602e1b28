import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSyncedTail, syncedTail, type NotedPort } from './sync_note.js';
import type { ProxyServicePort } from './types.js';

// The shared tail must read exactly as the note built from scratch, whatever sequence of states
// (ports, chains, Services) the nodes ask for, and be the same string object for a repeated state.

const port = (svc: string, portName: string, port: number): ProxyServicePort => ({
  key: `${svc}:${portName}`,
  namespace: svc.split('/')[0],
  name: svc.split('/')[1],
  portName,
  protocol: 'TCP',
  clusterIP: '10.96.0.1',
  port,
  loadBalancerIPs: [],
  externalIPs: [],
  externallyAccessible: false,
  externalPolicyLocal: false,
  internalPolicyLocal: false,
});

const SVCS = ['default/web', 'default/api'];
// port objects are shared per Service object: a few fixed ones, reused across states
const PORTS = [port(SVCS[0], '', 80), port(SVCS[0], 'http', 8080), port(SVCS[1], 'grpc', 9090), port(SVCS[1], '', 443)];
const CHAINS = ['no endpoints (REJECT)', 'no local endpoints', '10.244.0.5:80', '10.244.0.5:80, 10.244.1.7:80 terminating'];

const state = fc.record({
  svc: fc.constantFrom(...SVCS),
  ports: fc.array(
    fc.record({ sp: fc.constantFrom(...PORTS), chain: fc.constantFrom(...CHAINS), copy: fc.boolean() }).map(({ sp, chain, copy }): NotedPort => ({
      sp,
      // the same text in another string object
      chain: copy ? [...chain].join('') : chain,
    })),
    { maxLength: 3 },
  ),
});

describe('syncedTail', () => {
  it('reads as the note built from scratch, for any sequence of states', () => {
    fc.assert(
      fc.property(fc.array(state, { maxLength: 40 }), (states) => {
        for (const s of states) expect(syncedTail(s.svc, s.ports)).toBe(buildSyncedTail(s.svc, s.ports));
      }),
      { numRuns: 300 },
    );
  });

  it('formats ports as kube-proxy notes them', () => {
    expect(buildSyncedTail('default/web', [])).toBe(' synced default/web (no rules)');
    expect(buildSyncedTail('default/web', [{ sp: PORTS[0], chain: CHAINS[2] }, { sp: PORTS[1], chain: CHAINS[0] }])).toBe(
      ' synced default/web (80: 10.244.0.5:80; http: no endpoints (REJECT))',
    );
  });

  it('serves a repeated state from the cache as it was built (strings compare by value: identity is not observable)', () => {
    const ports = [{ sp: PORTS[2], chain: CHAINS[3] }];
    const a = syncedTail(SVCS[1], ports);
    expect(syncedTail(SVCS[1], [{ sp: PORTS[2], chain: CHAINS[2] }])).toBe(' synced default/api (grpc: 10.244.0.5:80)');
    // another node's view: other wrapper objects, the same port object and chain
    expect(syncedTail(SVCS[1], [{ sp: PORTS[2], chain: CHAINS[3] }])).toBe(a);
    expect(a).toBe(' synced default/api (grpc: 10.244.0.5:80, 10.244.1.7:80 terminating)');
  });
});
