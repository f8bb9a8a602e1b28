import { describe, expect, it } from 'vitest';
import { IpvsBalancer, IptablesBalancer, UserspaceBalancer, computeProbability, iptablesProbabilities } from './balancers.js';
import { ProxyCache } from './cache.js';
import { Rng } from '../../engine/rng.js';
import type { ProxyEndpoint } from './types.js';

const ep = (ip: string): ProxyEndpoint => ({ ip, port: 80, key: `${ip}:80`, ready: true, serving: true, terminating: false, isLocal: false, zoneHints: [] });

describe('iptables probabilities', () => {
  // pkg/proxy/iptables/proxier_test.go TestOverallIPTablesRules: a 2-endpoint service has one rule
  // `--probability 0.5000000000`; the reference's 3-endpoint chain is 0.3333333333, 0.5000000000, fallthrough
  it('prints 1/(n-i) with ten decimals, the last rule unconditional', () => {
    expect(computeProbability(2)).toBe('0.5000000000');
    expect(iptablesProbabilities(2)).toEqual(['0.5000000000']);
    expect(iptablesProbabilities(3)).toEqual(['0.3333333333', '0.5000000000']);
    expect(iptablesProbabilities(1)).toEqual([]);
  });
  it('each endpoint gets about 1/n of new connections', () => {
    const b = new IptablesBalancer(new Rng(7, 't'));
    const chain = [ep('10.0.0.1'), ep('10.0.0.2'), ep('10.0.0.3')];
    const n = new Map<string, number>();
    for (let i = 0; i < 30000; i++) {
      const e = b.pick(chain, `203.0.113.${i % 250}`, i, undefined)!;
      n.set(e.ip, (n.get(e.ip) ?? 0) + 1);
    }
    for (const v of n.values()) expect(Math.abs(v - 10000)).toBeLessThan(500);
  });
  it('ClientIP: sticks within the sliding timeout, re-draws after it, and falls through when the endpoint goes', () => {
    const b = new IptablesBalancer(new Rng(1, 't'));
    const chain = [ep('10.0.0.1'), ep('10.0.0.2'), ep('10.0.0.3')];
    const first = b.pick(chain, '1.2.3.4', 0, 10_000)!;
    // every new connection refreshes the entry: 9 s apart, never expires
    for (let t = 9000; t < 90_000; t += 9000) expect(b.pick(chain, '1.2.3.4', t, 10_000)!.ip).toBe(first.ip);
    const rest = chain.filter((e) => e.ip !== first.ip);
    const next = b.pick(rest, '1.2.3.4', 90_000, 10_000)!;
    expect(next.ip).not.toBe(first.ip);
    expect(b.pick(rest, '1.2.3.4', 91_000, 10_000)!.ip).toBe(next.ip);
  });
});

describe('ipvs rr and userspace round robin', () => {
  it('ipvs cycles in order and keeps its place when a server is removed', () => {
    const b = new IpvsBalancer();
    const chain = [ep('10.0.0.1'), ep('10.0.0.2'), ep('10.0.0.3')];
    expect([0, 1, 2, 3].map((i) => b.pick(chain, 'c', i, undefined)!.ip)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1']);
    expect(b.pick([chain[0], chain[2]], 'c', 5, undefined)!.ip).toBe('10.0.0.3');
  });
  it('userspace visits every endpoint once per round (LoadBalancerRR over a shuffled list)', () => {
    const b = new UserspaceBalancer(new Rng(3, 'u'));
    const chain = [ep('10.0.0.1'), ep('10.0.0.2'), ep('10.0.0.3')];
    const round = [0, 1, 2].map((i) => b.pick(chain, 'c', i, undefined)!.ip);
    expect([...round].sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect([3, 4, 5].map((i) => b.pick(chain, 'c', i, undefined)!.ip)).toEqual(round);
  });
});

describe('ProxyCache (pkg/proxy/endpointslicecache.go)', () => {
  it('sorts a service port\'s endpoints by the string "IP:port", merges duplicates, reads nil conditions as ready', () => {
    const c = new ProxyCache('node-1');
    c.apply('ADDED', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] } });
    const slice = (name: string, eps: any[]) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: eps });
    c.apply('ADDED', slice('web-a', [{ addresses: ['10.0.0.2'], conditions: {} }, { addresses: ['10.0.0.10'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'node-1' }]));
    c.apply('ADDED', slice('web-b', [{ addresses: ['10.0.0.2'], nodeName: 'node-1' }]));
    const [{ sp, endpoints }] = c.servicePorts('default/web');
    expect(sp.key).toBe('default/web:http');
    expect(endpoints.map((e) => e.key)).toEqual(['10.0.0.10:8080', '10.0.0.2:8080']);
    expect(endpoints[1]).toMatchObject({ ready: true, isLocal: true });
    expect(endpoints[0]).toMatchObject({ ready: false, serving: true, terminating: true });
  });
  it('programs nothing for headless and ExternalName Services (ShouldSkipService)', () => {
    const c = new ProxyCache('n');
    c.apply('ADDED', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'h', namespace: 'default' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } });
    c.apply('ADDED', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    expect(c.servicePorts('default/h')).toEqual([]);
    expect(c.servicePorts('default/x')).toEqual([]);
  });
});
