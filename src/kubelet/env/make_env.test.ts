import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { envRecord, makeEnvironmentVariables, type MakeEnvInput, type MakeEnvResult } from './make_env.js';

// Fixtures of pkg/kubelet/kubelet_pods_test.go TestMakeEnvironmentVariables (buildService, the
// dapi-test-pod-name pod, testKubeletHostIP/testKubeletHostIPv6).
function buildService(name: string, namespace: string, clusterIP: string, protocol: string, port: number): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ protocol, port }], clusterIP } };
}
const SERVICES = [
  buildService('kubernetes', 'default', '1.2.3.1', 'TCP', 8081),
  buildService('test', 'test1', '1.2.3.3', 'TCP', 8083),
  buildService('kubernetes', 'test2', '1.2.3.4', 'TCP', 8084),
  buildService('test', 'test2', '1.2.3.5', 'TCP', 8085),
  buildService('test', 'test2', 'None', 'TCP', 8085),
  buildService('test', 'test2', '', 'TCP', 8085),
  buildService('not-special', 'default', '1.2.3.8', 'TCP', 8088),
  buildService('not-special', 'default', 'None', 'TCP', 8088),
  buildService('not-special', 'default', '', 'TCP', 8088),
];
const HOST_IP = '127.0.0.1';
const HOST_IPV6 = '::1';
const NODE: KubeObject = {
  apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-name' },
  status: { addresses: [{ type: 'InternalIP', address: HOST_IP }, { type: 'InternalIP', address: HOST_IPV6 }], allocatable: { cpu: '4', memory: '8Gi' } },
};
const kube = (ip = '1.2.3.1', port = 8081): [string, string][] => [
  ['KUBERNETES_SERVICE_HOST', ip], ['KUBERNETES_SERVICE_PORT', `${port}`], ['KUBERNETES_PORT', `tcp://${ip}:${port}`],
  [`KUBERNETES_PORT_${port}_TCP`, `tcp://${ip}:${port}`], [`KUBERNETES_PORT_${port}_TCP_PROTO`, 'tcp'],
  [`KUBERNETES_PORT_${port}_TCP_PORT`, `${port}`], [`KUBERNETES_PORT_${port}_TCP_ADDR`, ip],
];
const test1 = (): [string, string][] => [
  ['TEST_SERVICE_HOST', '1.2.3.3'], ['TEST_SERVICE_PORT', '8083'], ['TEST_PORT', 'tcp://1.2.3.3:8083'],
  ['TEST_PORT_8083_TCP', 'tcp://1.2.3.3:8083'], ['TEST_PORT_8083_TCP_PROTO', 'tcp'], ['TEST_PORT_8083_TCP_PORT', '8083'], ['TEST_PORT_8083_TCP_ADDR', '1.2.3.3'],
];

interface Case {
  ns: string;
  enableServiceLinks: boolean;
  container: any;
  nilLister?: boolean;
  configMap?: any;
  secret?: any;
  podIPs?: string[];
  version?: string;
}

function run(c: Case): MakeEnvResult {
  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'dapi-test-pod-name', namespace: c.ns },
    spec: { serviceAccountName: 'special', nodeName: 'node-name', enableServiceLinks: c.enableServiceLinks, containers: [c.container] },
  };
  const input: MakeEnvInput = {
    pod, container: c.container, services: c.nilLister ? [] : SERVICES, node: NODE, kubernetesVersion: c.version ?? '1.31',
    // The upstream fakes answer any name with the one fixture object (its own namespace/name are ignored).
    getConfigMap: (_ns, name) => (c.configMap && name === 'test-config-map' ? c.configMap : undefined),
    getSecret: (_ns, name) => (c.secret && name === 'test-secret' ? c.secret : undefined),
    ...(c.podIPs ? { podIPs: c.podIPs } : {}),
  };
  return makeEnvironmentVariables(input);
}
/** Upstream sorts both sides by name before comparing (the envs Less helper). */
function sorted(r: MakeEnvResult): [string, string][] {
  if ('error' in r) throw new Error(`unexpected error: ${r.error}`);
  return r.env.map((e) => [e.name, e.value] as [string, string]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
const sort = (e: [string, string][]) => [...e].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const fieldRef = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('makeEnvironmentVariables (kubelet_pods_test.go TestMakeEnvironmentVariables)', () => {
  const testEnv = test1().map(([name, value]) => ({ name, value }));

  it('api server = Y, kubelet = Y', () => {
    expect(sorted(run({ ns: 'test1', enableServiceLinks: false, container: { env: [{ name: 'FOO', value: 'BAR' }, ...testEnv] } })))
      .toEqual(sort([['FOO', 'BAR'], ...test1(), ...kube()]));
  });
  it('api server = Y, kubelet = N', () => {
    expect(sorted(run({ ns: 'test1', enableServiceLinks: false, nilLister: true, container: { env: [{ name: 'FOO', value: 'BAR' }, ...testEnv] } })))
      .toEqual(sort([['FOO', 'BAR'], ...test1()]));
  });
  it('api server = N; kubelet = Y', () => {
    expect(sorted(run({ ns: 'test1', enableServiceLinks: false, container: { env: [{ name: 'FOO', value: 'BAZ' }] } }))).toEqual(sort([['FOO', 'BAZ'], ...kube()]));
  });
  it('api server = N; kubelet = Y; service env vars', () => {
    expect(sorted(run({ ns: 'test1', enableServiceLinks: true, container: { env: [{ name: 'FOO', value: 'BAZ' }] } }))).toEqual(sort([['FOO', 'BAZ'], ...test1(), ...kube()]));
  });
  it('master service in pod ns', () => {
    expect(sorted(run({ ns: 'test2', enableServiceLinks: false, container: { env: [{ name: 'FOO', value: 'ZAP' }] } }))).toEqual(sort([['FOO', 'ZAP'], ...kube()]));
  });
  it('master service in pod ns, service env vars', () => {
    // test2's own `kubernetes` service replaces default's: it is just a same-namespace service.
    expect(sorted(run({ ns: 'test2', enableServiceLinks: true, container: { env: [{ name: 'FOO', value: 'ZAP' }] } }))).toEqual(sort([
      ['FOO', 'ZAP'],
      ['TEST_SERVICE_HOST', '1.2.3.5'], ['TEST_SERVICE_PORT', '8085'], ['TEST_PORT', 'tcp://1.2.3.5:8085'], ['TEST_PORT_8085_TCP', 'tcp://1.2.3.5:8085'],
      ['TEST_PORT_8085_TCP_PROTO', 'tcp'], ['TEST_PORT_8085_TCP_PORT', '8085'], ['TEST_PORT_8085_TCP_ADDR', '1.2.3.5'],
      ...kube('1.2.3.4', 8084),
    ]));
  });
  it('pod in master service ns', () => {
    expect(sorted(run({ ns: 'default', enableServiceLinks: false, container: {} }))).toEqual(sort(kube()));
  });
  it('pod in master service ns, service env vars', () => {
    expect(sorted(run({ ns: 'default', enableServiceLinks: true, container: {} }))).toEqual(sort([
      ['NOT_SPECIAL_SERVICE_HOST', '1.2.3.8'], ['NOT_SPECIAL_SERVICE_PORT', '8088'], ['NOT_SPECIAL_PORT', 'tcp://1.2.3.8:8088'], ['NOT_SPECIAL_PORT_8088_TCP', 'tcp://1.2.3.8:8088'],
      ['NOT_SPECIAL_PORT_8088_TCP_PROTO', 'tcp'], ['NOT_SPECIAL_PORT_8088_TCP_PORT', '8088'], ['NOT_SPECIAL_PORT_8088_TCP_ADDR', '1.2.3.8'],
      ...kube(),
    ]));
  });
  it('downward api pod', () => {
    const container = { env: [
      fieldRef('POD_NAME', 'metadata.name'), fieldRef('POD_NAMESPACE', 'metadata.namespace'), fieldRef('POD_NODE_NAME', 'spec.nodeName'),
      fieldRef('POD_SERVICE_ACCOUNT_NAME', 'spec.serviceAccountName'), fieldRef('POD_IP', 'status.podIP'), fieldRef('POD_IPS', 'status.podIPs'),
      fieldRef('HOST_IP', 'status.hostIP'), fieldRef('HOST_IPS', 'status.hostIPs'),
    ] };
    expect(sorted(run({ ns: 'downward-api', enableServiceLinks: false, nilLister: true, podIPs: ['1.2.3.4', 'fd00::6'], container }))).toEqual(sort([
      ['POD_NAME', 'dapi-test-pod-name'], ['POD_NAMESPACE', 'downward-api'], ['POD_NODE_NAME', 'node-name'], ['POD_SERVICE_ACCOUNT_NAME', 'special'],
      ['POD_IP', '1.2.3.4'], ['POD_IPS', '1.2.3.4,fd00::6'], ['HOST_IP', HOST_IP], ['HOST_IPS', `${HOST_IP},${HOST_IPV6}`],
    ]));
  });
  const ipEnv = { env: [fieldRef('POD_IP', 'status.podIP'), fieldRef('POD_IPS', 'status.podIPs'), fieldRef('HOST_IP', 'status.hostIP'), fieldRef('HOST_IPS', 'status.hostIPs')] };
  const ipWant = sort([['POD_IP', '1.2.3.4'], ['POD_IPS', '1.2.3.4,fd00::6'], ['HOST_IP', HOST_IP], ['HOST_IPS', `${HOST_IP},${HOST_IPV6}`]]);
  it('downward api pod ips reverse order', () => {
    expect(sorted(run({ ns: 'downward-api', enableServiceLinks: false, nilLister: true, podIPs: ['fd00::6', '1.2.3.4'], container: ipEnv }))).toEqual(ipWant);
  });
  it('downward api pod ips multiple ips', () => {
    expect(sorted(run({ ns: 'downward-api', enableServiceLinks: false, nilLister: true, podIPs: ['1.2.3.4', '192.168.1.1.', 'fd00::6'], container: ipEnv }))).toEqual(ipWant);
  });
  it('env expansion', () => {
    const container = { env: [
      { name: 'TEST_LITERAL', value: 'test-test-test' }, fieldRef('POD_NAME', 'metadata.name'),
      { name: 'OUT_OF_ORDER_TEST', value: '$(OUT_OF_ORDER_TARGET)' }, { name: 'OUT_OF_ORDER_TARGET', value: 'FOO' },
      { name: 'EMPTY_VAR' }, { name: 'EMPTY_TEST', value: 'foo-$(EMPTY_VAR)' },
      { name: 'POD_NAME_TEST2', value: 'test2-$(POD_NAME)' }, { name: 'POD_NAME_TEST3', value: '$(POD_NAME_TEST2)-3' },
      { name: 'LITERAL_TEST', value: 'literal-$(TEST_LITERAL)' }, { name: 'TEST_UNDEFINED', value: '$(UNDEFINED_VAR)' },
    ] };
    expect(sorted(run({ ns: 'test1', enableServiceLinks: false, container }))).toEqual(sort([
      ['TEST_LITERAL', 'test-test-test'], ['POD_NAME', 'dapi-test-pod-name'], ['POD_NAME_TEST2', 'test2-dapi-test-pod-name'],
      ['POD_NAME_TEST3', 'test2-dapi-test-pod-name-3'], ['LITERAL_TEST', 'literal-test-test-test'],
      ['OUT_OF_ORDER_TEST', '$(OUT_OF_ORDER_TARGET)'], ['OUT_OF_ORDER_TARGET', 'FOO'], ['TEST_UNDEFINED', '$(UNDEFINED_VAR)'],
      ['EMPTY_VAR', ''], ['EMPTY_TEST', 'foo-'], ...kube(),
    ]));
  });
  it('configmapkeyref_missing_optional', () => {
    const container = { env: [{ name: 'POD_NAME', valueFrom: { configMapKeyRef: { name: 'missing-config-map', key: 'key', optional: true } } }] };
    expect(sorted(run({ ns: 'test', enableServiceLinks: false, container }))).toEqual(sort(kube()));
  });
  it('configmapkeyref_missing_key_optional', () => {
    const container = { env: [{ name: 'POD_NAME', valueFrom: { configMapKeyRef: { name: 'test-config-map', key: 'key', optional: true } } }] };
    expect(sorted(run({ ns: 'test', enableServiceLinks: false, nilLister: true, configMap: { data: { a: 'b' } }, container }))).toEqual([]);
  });
  it('secretkeyref_missing_optional', () => {
    const container = { env: [{ name: 'POD_NAME', valueFrom: { secretKeyRef: { name: 'missing-secret', key: 'key', optional: true } } }] };
    expect(sorted(run({ ns: 'test', enableServiceLinks: false, container }))).toEqual(sort(kube()));
  });
  it('secretkeyref_missing_key_optional', () => {
    const container = { env: [{ name: 'POD_NAME', valueFrom: { secretKeyRef: { name: 'test-secret', key: 'key', optional: true } } }] };
    expect(sorted(run({ ns: 'test', enableServiceLinks: false, nilLister: true, secret: { data: { a: b64('b') } }, container }))).toEqual([]);
  });
  const fromContainer = (ref: 'configMapRef' | 'secretRef', name: string, prefix = 'p_') => ({
    envFrom: [{ [ref]: { name } }, { prefix, [ref]: { name } }],
    env: [{ name: 'TEST_LITERAL', value: 'test-test-test' }, { name: 'EXPANSION_TEST', value: '$(REPLACE_ME)' }, { name: 'DUPE_TEST', value: 'ENV_VAR' }],
  });
  it('configmap', () => {
    expect(sorted(run({ ns: 'test1', enableServiceLinks: false, configMap: { data: { REPLACE_ME: 'FROM_CONFIG_MAP', DUPE_TEST: 'CONFIG_MAP' } }, container: fromContainer('configMapRef', 'test-config-map') }))).toEqual(sort([
      ['TEST_LITERAL', 'test-test-test'], ['REPLACE_ME', 'FROM_CONFIG_MAP'], ['EXPANSION_TEST', 'FROM_CONFIG_MAP'], ['DUPE_TEST', 'ENV_VAR'],
      ['p_REPLACE_ME', 'FROM_CONFIG_MAP'], ['p_DUPE_TEST', 'CONFIG_MAP'], ...kube(),
    ]));
  });
  it('configmap allow prefix to start with a digital (1.30+)', () => {
    expect(sorted(run({ ns: 'test1', enableServiceLinks: false, version: '1.31', configMap: { data: { REPLACE_ME: 'FROM_CONFIG_MAP', DUPE_TEST: 'CONFIG_MAP' } }, container: fromContainer('configMapRef', 'test-config-map', '1_') }))).toEqual(sort([
      ['TEST_LITERAL', 'test-test-test'], ['REPLACE_ME', 'FROM_CONFIG_MAP'], ['EXPANSION_TEST', 'FROM_CONFIG_MAP'], ['DUPE_TEST', 'ENV_VAR'],
      ['1_REPLACE_ME', 'FROM_CONFIG_MAP'], ['1_DUPE_TEST', 'CONFIG_MAP'], ...kube(),
    ]));
  });
  it('configmap, service env vars', () => {
    expect(sorted(run({ ns: 'test1', enableServiceLinks: true, configMap: { data: { REPLACE_ME: 'FROM_CONFIG_MAP', DUPE_TEST: 'CONFIG_MAP' } }, container: fromContainer('configMapRef', 'test-config-map') }))).toEqual(sort([
      ['TEST_LITERAL', 'test-test-test'], ...test1(), ['REPLACE_ME', 'FROM_CONFIG_MAP'], ['EXPANSION_TEST', 'FROM_CONFIG_MAP'], ['DUPE_TEST', 'ENV_VAR'],
      ['p_REPLACE_ME', 'FROM_CONFIG_MAP'], ['p_DUPE_TEST', 'CONFIG_MAP'], ...kube(),
    ]));
  });
  it('configmap_missing', () => {
    const r = run({ ns: 'test1', enableServiceLinks: false, container: { envFrom: [{ configMapRef: { name: 'test-config-map' } }] } });
    expect(r).toEqual({ error: 'configmap "test-config-map" not found' });
  });
  it('configmap_missing_optional', () => {
    expect(sorted(run({ ns: 'test', enableServiceLinks: false, container: { envFrom: [{ configMapRef: { name: 'missing-config-map', optional: true } }] } }))).toEqual(sort(kube()));
  });
  it('configmap_invalid_keys_valid', () => {
    expect(sorted(run({ ns: 'test', enableServiceLinks: false, configMap: { data: { '1234': 'abc' } }, container: { envFrom: [{ prefix: 'p_', configMapRef: { name: 'test-config-map' } }] } })))
      .toEqual(sort([['p_1234', 'abc'], ...kube()]));
  });
  it('secret (data is base64 in the stored object)', () => {
    expect(sorted(run({ ns: 'test1', enableServiceLinks: false, secret: { data: { REPLACE_ME: b64('FROM_SECRET'), DUPE_TEST: b64('SECRET') } }, container: fromContainer('secretRef', 'test-secret') }))).toEqual(sort([
      ['TEST_LITERAL', 'test-test-test'], ['REPLACE_ME', 'FROM_SECRET'], ['EXPANSION_TEST', 'FROM_SECRET'], ['DUPE_TEST', 'ENV_VAR'],
      ['p_REPLACE_ME', 'FROM_SECRET'], ['p_DUPE_TEST', 'SECRET'], ...kube(),
    ]));
  });
  it('secret_missing', () => {
    expect(run({ ns: 'test1', enableServiceLinks: false, container: { envFrom: [{ secretRef: { name: 'test-secret' } }] } })).toEqual({ error: 'secret "test-secret" not found' });
  });
  it('if services aren\'t synced, non-static pods should fail; static pods succeed', () => {
    const base = run({ ns: 'test1', enableServiceLinks: false, container: { env: [] } });
    expect('error' in base).toBe(false);
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'test1' }, spec: { enableServiceLinks: false } };
    const common = { pod, container: {}, services: SERVICES, getConfigMap: () => undefined, getSecret: () => undefined, kubernetesVersion: '1.31', servicesSynced: false };
    expect(makeEnvironmentVariables(common)).toEqual({ error: 'services have not yet been read at least once, cannot construct envvars' });
    expect('env' in makeEnvironmentVariables({ ...common, isStaticPod: true })).toBe(true);
  });

  // Up to 1.29 (the text before PR #123385): "configmap_invalid_keys" and "secret_invalid_keys".
  it('configmap_invalid_keys (≤1.29)', () => {
    const r = run({ ns: 'test', version: '1.29', enableServiceLinks: false, configMap: { data: { '1234': 'abc', '1z': 'abc', key: 'value' } }, container: { envFrom: [{ configMapRef: { name: 'test-config-map' } }] } });
    expect(sorted(r)).toEqual(sort([['key', 'value'], ...kube()]));
    expect('warnings' in r && r.warnings).toEqual([{ reason: 'InvalidEnvironmentVariableNames', message: 'Keys [1234, 1z] from the EnvFrom configMap test/test-config-map were skipped since they are considered invalid environment variable names.' }]);
  });
  it('secret_invalid_keys (≤1.29)', () => {
    const r = run({ ns: 'test', version: '1.29', enableServiceLinks: false, secret: { data: { '1234': b64('abc'), '1z': b64('abc'), 'key.1': b64('value') } }, container: { envFrom: [{ secretRef: { name: 'test-secret' } }] } });
    expect(sorted(r)).toEqual(sort([['key.1', 'value'], ...kube()]));
    expect('warnings' in r && r.warnings[0]?.message).toBe('Keys [1234, 1z] from the EnvFrom secret test/test-secret were skipped since they are considered invalid environment variable names.');
  });
  it('from 1.30 the same keys are injected without an event', () => {
    const r = run({ ns: 'test', version: '1.30', enableServiceLinks: false, configMap: { data: { '1234': 'abc', 'FOO-BAR': 'x' } }, container: { envFrom: [{ configMapRef: { name: 'test-config-map' } }] } });
    expect(sorted(r)).toEqual(sort([['1234', 'abc'], ['FOO-BAR', 'x'], ...kube()]));
    expect('warnings' in r && r.warnings).toEqual([]);
  });
});

describe('makeEnvironmentVariables: other upstream rules', () => {
  it('a missing required key names the object (kubelet_pods.go)', () => {
    const cm = { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'test-config-map', key: 'y' } } }] };
    expect(run({ ns: 'ns', enableServiceLinks: false, configMap: { data: {} }, container: cm })).toEqual({ error: "couldn't find key y in ConfigMap ns/test-config-map" });
    const s = { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'test-secret', key: 'y' } } }] };
    expect(run({ ns: 'ns', enableServiceLinks: false, secret: { data: {} }, container: s })).toEqual({ error: "couldn't find key y in Secret ns/test-secret" });
  });
  it('binaryData is not visible to env', () => {
    const c = { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'test-config-map', key: 'bin' } } }] };
    expect(run({ ns: 'ns', enableServiceLinks: false, configMap: { binaryData: { bin: b64('x') } }, container: c })).toEqual({ error: "couldn't find key bin in ConfigMap ns/test-config-map" });
  });
  it('user variables win over service links and may reference them', () => {
    const c = { env: [{ name: 'KUBERNETES_SERVICE_HOST', value: 'mine' }, { name: 'URL', value: 'https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)' }] };
    const env = envRecord((run({ ns: 'x', enableServiceLinks: false, container: c }) as any).env);
    expect(env.KUBERNETES_SERVICE_HOST).toBe('mine');
    expect(env.URL).toBe('https://mine:8081');
  });
  it('resourceFieldRef: divisor rounds up; missing limit is node allocatable', () => {
    const c = { name: 'c', resources: { requests: { cpu: '250m', memory: '100Mi' } }, env: [
      { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
      { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
      { name: 'MEM_REQ_MI', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } },
      { name: 'CPU_LIM', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'MEM_LIM_GI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Gi' } } },
    ] };
    const env = envRecord((run({ ns: 'x', enableServiceLinks: false, nilLister: true, container: c }) as any).env);
    expect(env).toEqual({ CPU_REQ: '1', CPU_REQ_M: '250', MEM_REQ_MI: '100', CPU_LIM: '4', MEM_LIM_GI: '8' });
  });
  it('labels and annotations by key', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', labels: { app: 'web' }, annotations: { 'a.io/x': '1' } }, spec: { enableServiceLinks: true } };
    const container = { env: [fieldRef('APP', "metadata.labels['app']"), fieldRef('X', "metadata.annotations['a.io/x']")] };
    const r = makeEnvironmentVariables({ pod, container, services: [], getConfigMap: () => undefined, getSecret: () => undefined, kubernetesVersion: '1.31' });
    expect(envRecord((r as any).env)).toEqual({ APP: 'web', X: '1' });
  });
  it('nil enableServiceLinks is an error (defaulting sets it to true)', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: {} };
    expect(makeEnvironmentVariables({ pod, container: {}, services: [], getConfigMap: () => undefined, getSecret: () => undefined, kubernetesVersion: '1.31' }))
      .toEqual({ error: 'nil pod.spec.enableServiceLinks encountered, cannot construct envvars' });
  });
});

describe('lazyEnvRecord', () => {
  it('answers as envRecord of HOSTNAME then the variables (same members, same order), one object for every call', async () => {
    const { default: fc } = await import('fast-check');
    const { lazyEnvRecord } = await import('./make_env.js');
    const name = fc.constantFrom('HOSTNAME', 'A', 'B', 'PATH', 'WEB_SERVICE_HOST', '1x');
    fc.assert(
      fc.property(fc.string(), fc.array(fc.record({ name, value: fc.string() }), { maxLength: 8 }), (host, vars) => {
        const lazy = lazyEnvRecord(host, vars);
        const first = lazy();
        const want = envRecord([{ name: 'HOSTNAME', value: host }, ...vars]);
        expect(Object.entries(first)).toEqual(Object.entries(want));
        expect(lazy()).toBe(first);
      }),
    );
  });

  it('gives the shared service entries of the cache the same list as without it', async () => {
    const { ServiceEnvCache } = await import('./envvars.js');
    const cache = new ServiceEnvCache();
    const services: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'test' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 80, protocol: 'TCP' }] } },
    ];
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'test' }, spec: { enableServiceLinks: true } };
    const container = { name: 'c', env: [{ name: 'WEB_SERVICE_HOST', value: 'mine' }, { name: 'X', value: '$(WEB_SERVICE_PORT)' }] };
    const base = { pod, container, services, getConfigMap: () => undefined, getSecret: () => undefined, kubernetesVersion: '1.34' };
    for (let i = 0; i < 2; i++) {
      expect(makeEnvironmentVariables({ ...base, serviceEnvCache: cache })).toEqual(makeEnvironmentVariables(base));
    }
  });
});
