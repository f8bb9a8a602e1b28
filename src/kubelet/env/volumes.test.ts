import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { configMapVolumeFiles, downwardAPIVolumeFiles, failedMountMessage, projectedVolumeFiles, secretVolumeFiles, type VolumeFiles } from './volumes.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const files = (r: VolumeFiles) => {
  if ('error' in r) throw new Error(r.error);
  return Object.fromEntries(Object.entries(r.files).map(([p, f]) => [p, [f.content, f.mode.toString(8)]]));
};
const pod = (metadata: any, spec: any = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns', ...metadata }, spec });

describe('downwardAPIVolumeFiles (pkg/volume/downwardapi/downwardapi_test.go)', () => {
  // TestWriteWithUnixPath: nested paths; a label value with a newline is Go-quoted on one line.
  it('TestWriteWithUnixPath', () => {
    const p = pod({ uid: 'test_pod_uid', labels: { key1: 'value1', key2: 'value2', key3: 'value3\n' }, annotations: { a1: 'value1', a2: 'value2' } });
    expect(files(downwardAPIVolumeFiles(p, [
      { path: 'this/is/mine/labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'this/is/yours/annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
    ], undefined))).toEqual({
      'this/is/mine/labels': ['key1="value1"\nkey2="value2"\nkey3="value3\\n"', '644'],
      'this/is/yours/annotations': ['a1="value1"\na2="value2"', '644'],
    });
  });
  // TestWriteWithUnixPathBadPath: "this//labels" is cleaned to "this/labels".
  it('TestWriteWithUnixPathBadPath', () => {
    const p = pod({ labels: { key1: 'value1', key2: 'value2' } });
    expect(Object.keys(files(downwardAPIVolumeFiles(p, [{ path: 'this//labels', fieldRef: { fieldPath: 'metadata.labels' } }], undefined)))).toEqual(['this/labels']);
  });
  it('name, namespace, uid, a single label; item mode beats defaultMode', () => {
    const p = pod({ name: 'test_metadata_name', uid: 'u-1', labels: { app: 'web' } });
    expect(files(downwardAPIVolumeFiles(p, [
      { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
      { path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' }, mode: 0o400 },
      { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } },
      { path: 'app', fieldRef: { fieldPath: "metadata.labels['app']" } },
    ], undefined, 0o600))).toEqual({ name: ['test_metadata_name', '600'], namespace: ['ns', '400'], uid: ['u-1', '600'], app: ['web', '600'] });
  });
  it('a multi-line annotation has its lines sorted (downwardapi.go sortLines)', () => {
    const p = pod({ annotations: { x: 'b\na' } });
    expect(files(downwardAPIVolumeFiles(p, [{ path: 'x', fieldRef: { fieldPath: "metadata.annotations['x']" } }], undefined)).x![0]).toBe('a\nb');
  });
  it('resourceFieldRef names its container; a missing limit is node allocatable', () => {
    const p = pod({}, { containers: [{ name: 'client-container', resources: { requests: { memory: '32Mi' } } }] });
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { allocatable: { cpu: '2', memory: '4Gi' } } };
    expect(files(downwardAPIVolumeFiles(p, [
      { path: 'cpu_limit', resourceFieldRef: { containerName: 'client-container', resource: 'limits.cpu', divisor: '1m' } },
      { path: 'mem_request', resourceFieldRef: { containerName: 'client-container', resource: 'requests.memory', divisor: '1Mi' } },
    ], node))).toEqual({ cpu_limit: ['2000', '644'], mem_request: ['32', '644'] });
  });
  it('an unsupported field fails the mount', () => {
    expect(downwardAPIVolumeFiles(pod({}), [{ path: 'x', fieldRef: { fieldPath: 'spec.nodeName' } }], undefined)).toEqual({ error: 'unsupported fieldPath: spec.nodeName' });
  });
});

describe('configMapVolumeFiles (case names after pkg/volume/configmap/configmap_test.go TestMakePayload; fixtures ours)', () => {
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data: { foo: 'foo', bar: 'bar' } } as any;
  const get = (_ns: string, name: string) => (name === 'cm' ? cm : undefined);
  it('no overrides', () => expect(files(configMapVolumeFiles({ name: 'cm' }, 'ns', get))).toEqual({ bar: ['bar', '644'], foo: ['foo', '644'] }));
  it('basic 1 (items with a path)', () => expect(files(configMapVolumeFiles({ name: 'cm', items: [{ key: 'foo', path: 'path/to/foo.txt' }] }, 'ns', get))).toEqual({ 'path/to/foo.txt': ['foo', '644'] }));
  it('multiple files with modes', () => {
    expect(files(configMapVolumeFiles({ name: 'cm', defaultMode: 0o644, items: [{ key: 'foo', path: 'foo.txt', mode: 0o400 }, { key: 'bar', path: 'bar.bin' }] }, 'ns', get)))
      .toEqual({ 'foo.txt': ['foo', '400'], 'bar.bin': ['bar', '644'] });
  });
  it('non existent', () => expect(configMapVolumeFiles({ name: 'cm', items: [{ key: 'zab', path: 'path/to/foo.txt' }] }, 'ns', get)).toEqual({ error: 'configmap references non-existent config key: zab' }));
  it('optional non existent key is skipped', () => expect(files(configMapVolumeFiles({ name: 'cm', optional: true, items: [{ key: 'zab', path: 'z' }, { key: 'foo', path: 'f' }] }, 'ns', get))).toEqual({ f: ['foo', '644'] }));
  it('a missing ConfigMap: error, or an empty directory when optional', () => {
    expect(configMapVolumeFiles({ name: 'nope' }, 'ns', get)).toEqual({ error: 'configmap "nope" not found' });
    expect(files(configMapVolumeFiles({ name: 'nope', optional: true }, 'ns', get))).toEqual({});
    expect(failedMountMessage('config', 'configmap "nope" not found')).toBe('MountVolume.SetUp failed for volume "config" : configmap "nope" not found');
  });
  it('binaryData keys become files too', () => {
    const withBin = { ...cm, binaryData: { 'logo.bin': b64('PNG') } } as any;
    expect(files(configMapVolumeFiles({ name: 'cm' }, 'ns', () => withBin))['logo.bin']).toEqual(['PNG', '644']);
  });
});

describe('secretVolumeFiles (after pkg/volume/secret/secret_test.go TestMakePayload; fixtures ours)', () => {
  const s: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data: { foo: b64('foo'), bar: b64('bar') } } as any;
  const get = (_ns: string, name: string) => (name === 's' ? s : undefined);
  it('no overrides, decoded', () => expect(files(secretVolumeFiles({ secretName: 's' }, 'ns', get))).toEqual({ bar: ['bar', '644'], foo: ['foo', '644'] }));
  it('non existent', () => expect(secretVolumeFiles({ secretName: 's', items: [{ key: 'zab', path: 'p' }] }, 'ns', get)).toEqual({ error: 'references non-existent secret key: zab' }));
  it('missing secret', () => expect(secretVolumeFiles({ secretName: 'x' }, 'ns', get)).toEqual({ error: 'secret "x" not found' }));
});

describe('projectedVolumeFiles (projected.go collectData; cases ours)', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data: { 'app.conf': 'x=1' } } as any;
  const sec = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data: { password: b64('hunter2') } } as any;
  const p = pod({ name: 'p', labels: { app: 'web' } }, { serviceAccountName: 'builder' });
  const base = { pod: p, getConfigMap: (_: string, n: string) => (n === 'cm' ? cm : undefined), getSecret: (_: string, n: string) => (n === 's' ? sec : undefined) };
  it('all four sources with defaultMode', () => {
    const r = projectedVolumeFiles({ ...base, source: { defaultMode: 0o440, sources: [
      { configMap: { name: 'cm' } },
      { secret: { name: 's', items: [{ key: 'password', path: 'db/password', mode: 0o400 }] } },
      { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { serviceAccountToken: { path: 'token', audience: 'vault', expirationSeconds: 600 } },
    ] } });
    expect(files(r)).toEqual({
      'app.conf': ['x=1', '440'], 'db/password': ['hunter2', '400'], labels: ['app="web"', '440'], token: ['sim-token:builder:vault:600s', '440'],
    });
  });
  it('token is 0600 when fsUser/fsGroup is set; expiration defaults to 3600', () => {
    const r = projectedVolumeFiles({ ...base, fsOwnershipSet: true, source: { sources: [{ serviceAccountToken: { path: 'token' } }] } });
    expect(files(r)).toEqual({ token: ['sim-token:builder:api:3600s', '600'] });
  });
  it('errors from several sources are aggregated', () => {
    const r = projectedVolumeFiles({ ...base, source: { sources: [{ configMap: { name: 'nope' } }, { secret: { name: 'gone' } }] } });
    expect(r).toEqual({ error: '[configmap "nope" not found, secret "gone" not found]' });
  });
});

describe('downwardAPI item paths', () => {
  it('are keyed as posix.normalize writes them (a plain name taken as it is)', async () => {
    const { default: fc } = await import('fast-check');
    const { posix } = await import('node:path');
    const p0 = pod({ name: 'p' });
    const path = fc.oneof(fc.constantFrom('name', '.', '..', '...', 'a/./b', 'a//b', './x', 'x/', '.hidden', 'a/../b'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(path, (p) => {
        const r = downwardAPIVolumeFiles(p0, [{ path: p, fieldRef: { fieldPath: 'metadata.name' } }], undefined);
        expect('files' in r && Object.keys(r.files)).toEqual(Object.keys({ [posix.normalize(p)]: 0 }));
      }),
      { numRuns: 300 },
    );
  });
});
