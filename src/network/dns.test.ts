// Cluster DNS: record rules translated from coredns plugin/kubernetes/handler_test.go (dnsTestCases;
// fixtures adapted: IPv4 only, zone cluster.local, TTL 5 as in the test) and the pod resolver
// (pkg/kubelet/network/dns/dns_test.go: search list, ndots, dnsPolicy, dnsConfig).

import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/sim.js';
import { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { configureNetwork } from './services.js';
import { formatDig, formatNslookup, podResolvConf, query, resolve, resolvConfText, runDig, runNslookup, searchCandidates } from './dns.js';

function world(): ApiServer {
  const api = new ApiServer(new Simulation(1), { kubernetesVersion: '1.34' });
  configureNetwork(api, { serviceCIDR: '10.0.0.0/24' });
  for (const ns of ['default', 'testns']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const svc = (name: string, spec: any) => api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'testns' }, spec });
  svc('svc1', { selector: { app: 'a' }, clusterIP: '10.0.0.1', ports: [{ name: 'http', port: 80 }] });
  svc('svcempty', { selector: { app: 'none' }, clusterIP: '10.0.0.2', ports: [{ name: 'http', port: 80 }] });
  svc('hdls1', { selector: { app: 'h' }, clusterIP: 'None', ports: [{ name: 'http', port: 80 }] });
  svc('external', { type: 'ExternalName', externalName: 'ext.interwebs.test' });
  svc('external-to-service', { type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local' });
  const ep = (ip: string, o: any = {}) => ({ addresses: [ip], conditions: { ready: true }, ...o });
  api.create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'hdls1-abcde', namespace: 'testns', labels: { 'kubernetes.io/service-name': 'hdls1' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: [ep('172.0.0.2'), ep('172.0.0.3'), ep('172.0.0.4', { hostname: 'dup-name' }), ep('172.0.0.5', { hostname: 'dup-name' }), ep('172.0.0.9', { conditions: { ready: false } })],
  } as KubeObject);
  api.create({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'svc1-abcde', namespace: 'testns', labels: { 'kubernetes.io/service-name': 'svc1' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: [ep('172.0.0.20')],
  } as KubeObject);
  return api;
}

const data = (api: ApiServer, name: string, type: any) => {
  const r = query(api, name, type, { ttl: 5 });
  return { rcode: r.rcode, answers: r.answers.map((a) => `${a.type} ${a.data}`), extra: r.extra.map((a) => `${a.name} ${a.data}`) };
};

describe('CoreDNS kubernetes plugin records (handler_test.go dnsTestCases)', () => {
  const api = world();
  const cases: [string, string, string, string[]][] = [
    ['svc1.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 10.0.0.1']],
    ['svcempty.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 10.0.0.2']],
    ['svc1.testns.svc.cluster.local.', 'SRV', 'NOERROR', ['SRV 0 100 80 svc1.testns.svc.cluster.local.']],
    ['_http._tcp.svc1.testns.svc.cluster.local.', 'SRV', 'NOERROR', ['SRV 0 100 80 svc1.testns.svc.cluster.local.']],
    ['hdls1.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.2', 'A 172.0.0.3', 'A 172.0.0.4', 'A 172.0.0.5']],
    ['172-0-0-2.hdls1.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.2']],
    ['dup-name.hdls1.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.4', 'A 172.0.0.5']],
    [
      '_http._tcp.hdls1.testns.svc.cluster.local.',
      'SRV',
      'NOERROR',
      ['SRV 0 25 80 172-0-0-2.hdls1.testns.svc.cluster.local.', 'SRV 0 25 80 172-0-0-3.hdls1.testns.svc.cluster.local.', 'SRV 0 25 80 dup-name.hdls1.testns.svc.cluster.local.'],
    ],
    ['external.testns.svc.cluster.local.', 'CNAME', 'NOERROR', ['CNAME ext.interwebs.test.']],
    ['external-to-service.testns.svc.cluster.local.', 'A', 'NOERROR', ['CNAME svc1.testns.svc.cluster.local.', 'A 10.0.0.1']],
    ['svc1.testns.svc.cluster.local.', 'AAAA', 'NOERROR', []],
    ['svc0.testns.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['svc0.svc-nons.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['bogusendpoint.hdls1.testns.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['_https._tcp.svc1.testns.svc.cluster.local.', 'SRV', 'NXDOMAIN', []],
    ['x.external.testns.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    // an endpoint name works for a ClusterIP Service too: it resolves the endpoint's IP
    ['172-0-0-20.svc1.testns.svc.cluster.local.', 'A', 'NOERROR', ['A 172.0.0.20']],
    ['testns.svc.cluster.local.', 'A', 'NOERROR', []],
    ['10-244-0-5.testns.pod.cluster.local.', 'A', 'NOERROR', ['A 10.244.0.5']],
    ['10-244-0-5.nons.pod.cluster.local.', 'A', 'NXDOMAIN', []],
    ['SVC1.TESTNS.svc.cluster.local.', 'A', 'NOERROR', ['A 10.0.0.1']],
    ['1.0.0.10.in-addr.arpa.', 'PTR', 'NOERROR', ['PTR svc1.testns.svc.cluster.local.']],
    ['4.0.0.172.in-addr.arpa.', 'PTR', 'NOERROR', ['PTR dup-name.hdls1.testns.svc.cluster.local.']],
    ['example.com.', 'A', 'NXDOMAIN', []],
  ];
  for (const [name, type, rcode, answers] of cases) {
    it(`${name} ${type} -> ${rcode} ${answers.join(', ')}`, () => {
      const r = data(api, name, type);
      expect(r.rcode).toBe(rcode);
      expect(r.answers).toEqual(answers);
    });
  }

  it('puts the A records of SRV targets in the additional section (both dup-name addresses)', () => {
    expect(data(api, '_http._tcp.hdls1.testns.svc.cluster.local.', 'SRV').extra).toEqual([
      '172-0-0-2.hdls1.testns.svc.cluster.local. 172.0.0.2',
      '172-0-0-3.hdls1.testns.svc.cluster.local. 172.0.0.3',
      'dup-name.hdls1.testns.svc.cluster.local. 172.0.0.4',
      'dup-name.hdls1.testns.svc.cluster.local. 172.0.0.5',
    ]);
  });

  it('answers NXDOMAIN for a headless Service whose endpoints are all not ready', () => {
    const a = world();
    a.mutate('EndpointSlice', 'testns', 'hdls1-abcde', (d: any) => {
      for (const e of d.endpoints) e.conditions.ready = false;
    });
    expect(data(a, 'hdls1.testns.svc.cluster.local.', 'A').rcode).toBe('NXDOMAIN');
  });
});

const clientPod = (ns: string, spec: any = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: ns }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });

describe('the pod resolver (GetPodDNS, resolv.conf search and ndots)', () => {
  const api = world();

  it('writes the cluster search list, the cluster DNS address and ndots:5 for ClusterFirst', () => {
    expect(resolvConfText(podResolvConf(api, clientPod('testns')))).toBe('search testns.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.0.0.10\noptions ndots:5\n');
  });

  it('appends dnsConfig searches and merges options, pod values winning', () => {
    const rc = podResolvConf(api, clientPod('testns', { dnsConfig: { searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }));
    expect(rc.searches).toEqual(['testns.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example']);
    expect(rc.options).toEqual([{ name: 'ndots', value: '2' }, { name: 'edns0' }]);
  });

  it('tries the search list first below ndots dots, the name first at or above', () => {
    const rc = podResolvConf(api, clientPod('prod'));
    expect(searchCandidates('web', rc)).toEqual(['web.prod.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.']);
    expect(searchCandidates('a.b.c.d.e', rc)[0]).toBe('a.b.c.d.e.prod.svc.cluster.local.');
    expect(searchCandidates('a.b.c.d.e.f', rc)[0]).toBe('a.b.c.d.e.f.');
    expect(searchCandidates('web.', rc)).toEqual(['web.']);
  });

  it('resolves short names through the search list: svc, svc.ns, svc.ns.svc', () => {
    expect(resolve(api, 'svc1', 'A', clientPod('testns')).answers.map((a) => a.data)).toEqual(['10.0.0.1']);
    const r = resolve(api, 'svc1.testns', 'A', clientPod('default'));
    expect(r.answers.map((a) => a.data)).toEqual(['10.0.0.1']);
    expect(r.tried).toEqual(['svc1.testns.default.svc.cluster.local.', 'svc1.testns.svc.cluster.local.']);
    expect(resolve(api, 'svc1', 'A', clientPod('default')).rcode).toBe('NXDOMAIN');
  });

  it('dnsPolicy Default uses the node resolver: cluster names do not resolve', () => {
    expect(resolve(api, 'svc1.testns.svc.cluster.local', 'A', clientPod('testns', { dnsPolicy: 'Default' })).rcode).toBe('NXDOMAIN');
    expect(resolve(api, 'svc1.testns.svc.cluster.local', 'A', clientPod('testns', { dnsPolicy: 'None', dnsConfig: { nameservers: ['10.0.0.10'] } })).answers).toHaveLength(1);
  });
});

describe('nslookup and dig output', () => {
  const api = world();
  it('prints nslookup answers and NXDOMAIN like the bind9 tools', () => {
    expect(runNslookup(api, clientPod('testns'), ['nslookup', 'svc1']).stdout).toBe('Server:\t\t10.0.0.10\nAddress:\t10.0.0.10#53\n\nName:\tsvc1.testns.svc.cluster.local\nAddress: 10.0.0.1\n\n');
    const miss = runNslookup(api, clientPod('testns'), ['nslookup', 'nope']);
    expect(miss.exitCode).toBe(1);
    expect(miss.stdout).toContain("** server can't find nope: NXDOMAIN");
  });

  it('dig does not search unless +search, and +short prints only the data', () => {
    expect(runDig(api, clientPod('testns'), ['dig', '+short', 'svc1']).stdout).toBe('');
    expect(runDig(api, clientPod('testns'), ['dig', '+short', '+search', 'svc1']).stdout).toBe('10.0.0.1\n');
    const full = formatDig('svc1.testns.svc.cluster.local', 'A', resolve(api, 'svc1.testns.svc.cluster.local.', 'A'));
    expect(full.stdout).toContain(';; ->>HEADER<<- opcode: QUERY, status: NOERROR');
    expect(full.stdout).toContain('svc1.testns.svc.cluster.local.\t\t30\tIN\tA\t10.0.0.1');
    expect(formatNslookup('x', resolve(api, 'hdls1.testns.svc.cluster.local', 'SRV')).stdout).toContain('service = 0 25 80');
  });
});
