import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { fromServices, serviceEnvVarMap } from './envvars.js';

function svc(name: string, clusterIP: string, ports: any[], namespace = 'test'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { bar: 'baz' }, clusterIP, ports } };
}

describe('fromServices', () => {
  // pkg/kubelet/envvars/envvars_test.go TestFromServices, in full.
  it('TestFromServices', () => {
    const sl = [
      svc('foo-bar', '1.2.3.4', [{ port: 8080, protocol: 'TCP' }]),
      svc('abc-123', '5.6.7.8', [{ name: 'u-d-p', port: 8081, protocol: 'UDP' }, { name: 't-c-p', port: 8081, protocol: 'TCP' }]),
      svc('q-u-u-x', '9.8.7.6', [{ port: 8082, protocol: 'TCP' }, { name: '8083', port: 8083, protocol: 'TCP' }]),
      svc('svrc-clusterip-none', 'None', [{ port: 8082, protocol: 'TCP' }]),
      svc('svrc-clusterip-empty', '', [{ port: 8082, protocol: 'TCP' }]),
    ];
    expect(fromServices(sl).map((e) => [e.name, e.value])).toEqual([
      ['FOO_BAR_SERVICE_HOST', '1.2.3.4'],
      ['FOO_BAR_SERVICE_PORT', '8080'],
      ['FOO_BAR_PORT', 'tcp://1.2.3.4:8080'],
      ['FOO_BAR_PORT_8080_TCP', 'tcp://1.2.3.4:8080'],
      ['FOO_BAR_PORT_8080_TCP_PROTO', 'tcp'],
      ['FOO_BAR_PORT_8080_TCP_PORT', '8080'],
      ['FOO_BAR_PORT_8080_TCP_ADDR', '1.2.3.4'],
      ['ABC_123_SERVICE_HOST', '5.6.7.8'],
      ['ABC_123_SERVICE_PORT', '8081'],
      ['ABC_123_SERVICE_PORT_U_D_P', '8081'],
      ['ABC_123_SERVICE_PORT_T_C_P', '8081'],
      ['ABC_123_PORT', 'udp://5.6.7.8:8081'],
      ['ABC_123_PORT_8081_UDP', 'udp://5.6.7.8:8081'],
      ['ABC_123_PORT_8081_UDP_PROTO', 'udp'],
      ['ABC_123_PORT_8081_UDP_PORT', '8081'],
      ['ABC_123_PORT_8081_UDP_ADDR', '5.6.7.8'],
      ['ABC_123_PORT_8081_TCP', 'tcp://5.6.7.8:8081'],
      ['ABC_123_PORT_8081_TCP_PROTO', 'tcp'],
      ['ABC_123_PORT_8081_TCP_PORT', '8081'],
      ['ABC_123_PORT_8081_TCP_ADDR', '5.6.7.8'],
      ['Q_U_U_X_SERVICE_HOST', '9.8.7.6'],
      ['Q_U_U_X_SERVICE_PORT', '8082'],
      ['Q_U_U_X_SERVICE_PORT_8083', '8083'],
      ['Q_U_U_X_PORT', 'tcp://9.8.7.6:8082'],
      ['Q_U_U_X_PORT_8082_TCP', 'tcp://9.8.7.6:8082'],
      ['Q_U_U_X_PORT_8082_TCP_PROTO', 'tcp'],
      ['Q_U_U_X_PORT_8082_TCP_PORT', '8082'],
      ['Q_U_U_X_PORT_8082_TCP_ADDR', '9.8.7.6'],
      ['Q_U_U_X_PORT_8083_TCP', 'tcp://9.8.7.6:8083'],
      ['Q_U_U_X_PORT_8083_TCP_PROTO', 'tcp'],
      ['Q_U_U_X_PORT_8083_TCP_PORT', '8083'],
      ['Q_U_U_X_PORT_8083_TCP_ADDR', '9.8.7.6'],
    ]);
  });

  it('a port without protocol is TCP', () => {
    expect(fromServices([svc('web', '10.0.0.5', [{ port: 80 }])]).find((e) => e.name === 'WEB_PORT')?.value).toBe('tcp://10.0.0.5:80');
  });
});

describe('serviceEnvVarMap (kubelet_pods.go getServiceEnvVarMap)', () => {
  const services = [
    svc('kubernetes', '10.0.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }], 'default'),
    svc('web', '10.0.0.10', [{ port: 80 }], 'test'),
    svc('other', '10.0.0.11', [{ port: 81 }], 'elsewhere'),
    svc('headless', 'None', [{ port: 82 }], 'test'),
  ];
  it('pod namespace plus the kubernetes master service', () => {
    const m = serviceEnvVarMap(services, 'test', true);
    expect(m.get('KUBERNETES_SERVICE_HOST')).toBe('10.0.0.1');
    expect(m.get('KUBERNETES_SERVICE_PORT_HTTPS')).toBe('443');
    expect(m.get('WEB_SERVICE_HOST')).toBe('10.0.0.10');
    expect(m.has('OTHER_SERVICE_HOST')).toBe(false);
    expect(m.has('HEADLESS_SERVICE_HOST')).toBe(false);
  });
  // kubelet_pods_test.go TestMakeEnvironmentVariables "api server = Y, kubelet = Y" with
  // enableServiceLinks false: only the master service remains.
  it('enableServiceLinks=false keeps only the kubernetes service', () => {
    const m = serviceEnvVarMap(services, 'test', false);
    expect([...m.keys()].every((k) => k.startsWith('KUBERNETES_'))).toBe(true);
    expect(m.get('KUBERNETES_PORT')).toBe('tcp://10.0.0.1:443');
  });
  it('a kubernetes service outside default is an ordinary service', () => {
    const m = serviceEnvVarMap([svc('kubernetes', '10.9.9.9', [{ port: 1 }], 'test')], 'test', false);
    expect(m.size).toBe(0);
  });
});

describe('ServiceEnvCache', () => {
  it('answers as serviceEnvVarMap for any sequence of service lists (objects shared, replaced, reordered)', async () => {
    const { default: fc } = await import('fast-check');
    const { ServiceEnvCache } = await import('./envvars.js');
    // a pool of immutable service objects: a replaced service is a new object, as the API stores it
    const pool = [
      svc('kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }], 'default'),
      svc('web', '10.96.0.10', [{ port: 80, protocol: 'TCP' }]),
      svc('web', '10.96.0.11', [{ name: 'http', port: 8080, protocol: 'TCP' }]),
      svc('db', '10.96.0.12', [{ port: 5432, protocol: 'TCP' }], 'other'),
      svc('headless', 'None', [{ port: 80, protocol: 'TCP' }]),
      svc('a-b', '10.96.0.13', [{ port: 81, protocol: 'UDP' }]),
    ];
    const call = fc.record({
      services: fc.array(fc.constantFrom(...pool), { maxLength: 5 }),
      namespace: fc.constantFrom('test', 'other', 'default'),
      links: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 12 }), (calls) => {
        const cache = new ServiceEnvCache();
        for (const c of calls) {
          // a fresh array each time (the kubelet lists the services at every container start)
          const got = cache.get([...c.services], c.namespace, c.links);
          const want = serviceEnvVarMap(c.services, c.namespace, c.links);
          expect([...got]).toEqual([...want]);
          // the shared entries of the map: its variables in its order, one list per map
          expect(cache.varsOf(got)).toEqual([...want].map(([name, value]) => ({ name, value })));
          expect(cache.varsOf(got)).toBe(cache.varsOf(got));
        }
      }),
    );
  });
});
