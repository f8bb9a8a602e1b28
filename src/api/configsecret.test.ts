import { describe, expect, it } from 'vitest';
import { admitSecret, isConfigMapKey, validateConfigMap, validateConfigSecretUpdate, validateSecret } from './configsecret.js';
import type { KubeObject } from './types.js';

describe('isConfigMapKey (apimachinery validation_test.go TestIsConfigMapKey)', () => {
  it.each(['a', 'good', 'good-good', 'still.good', 'this.is.also.good', '.so.is.this', 'THIS_IS_GOOD', 'so_is_this_17'])('valid %s', (k) => expect(isConfigMapKey(k)).toEqual([]));
  it.each(['.', '..', '..bad', 'b*d', 'bad!&bad'])('invalid %s', (k) => expect(isConfigMapKey(k).length).toBeGreaterThan(0));
  it('upstream messages', () => {
    expect(isConfigMapKey('..')).toEqual(["must not be '..'"]);
    expect(isConfigMapKey('b*d')[0]).toBe("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  });
});

const cm = (extra: Partial<KubeObject>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, ...extra });
const secret = (extra: Partial<KubeObject>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...extra });

describe('ValidateConfigMap / ValidateSecret (validation_test.go TestValidateConfigMap, TestValidateSecret)', () => {
  it('a key in both data and binaryData', () => {
    expect(validateConfigMap(cm({ data: { a: 'x' }, binaryData: { a: 'eA==' } }))).toEqual([
      'data[a]: Invalid value: "a": duplicate of key present in binaryData',
      'binaryData[a]: Invalid value: "a": duplicate of key present in data',
    ]);
  });
  it('the 1 MiB limit counts values', () => {
    expect(validateConfigMap(cm({ data: { a: 'x'.repeat(1024 * 1024) } }))).toEqual([]);
    expect(validateConfigMap(cm({ data: { a: 'x'.repeat(1024 * 1024), b: 'y' } }))).toEqual(['[]: Too long: must have at most 1048576 bytes']);
  });
  it('secret sizes count decoded bytes', () => {
    const big = Buffer.alloc(1024 * 1024 + 1).toString('base64');
    expect(validateSecret(secret({ type: 'Opaque', data: { a: big } }))).toEqual(['data: Too long: must have at most 1048576 bytes']);
  });
  it('types require their keys', () => {
    expect(validateSecret(secret({ type: 'kubernetes.io/tls', data: {} }))).toEqual(['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
    expect(validateSecret(secret({ type: 'kubernetes.io/service-account-token' }))).toEqual(['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
    expect(validateSecret(secret({ type: 'kubernetes.io/dockerconfigjson', data: {} }))).toEqual(['data[.dockerconfigjson]: Required value']);
    expect(validateSecret(secret({ type: 'kubernetes.io/basic-auth', data: {} }))).toEqual(['data[%s][username]: Required value', 'data[%s][password]: Required value']);
  });
});

describe('Secret admission (conversion.go: base64 data, stringData merged)', () => {
  it('stringData wins over data and is dropped; type defaults to Opaque', () => {
    const s = secret({ data: { user: Buffer.from('old').toString('base64') }, stringData: { user: 'admin', pass: 'p' } });
    admitSecret(s);
    expect(s).toMatchObject({ type: 'Opaque', data: { user: 'YWRtaW4=', pass: 'cA==' } });
    expect(s.stringData).toBeUndefined();
  });
  it('data that is not base64 is a BadRequest', () => {
    expect(() => admitSecret(secret({ data: { a: 'not base64!' } }))).toThrow('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3');
  });
});

describe('immutable (ValidateConfigMapUpdate / ValidateSecretUpdate)', () => {
  it('data may not change once immutable', () => {
    const old = cm({ immutable: true, data: { a: '1' } });
    expect(validateConfigSecretUpdate(cm({ immutable: true, data: { a: '2' } }), old)).toEqual(['data: Forbidden: field is immutable when `immutable` is set']);
    expect(validateConfigSecretUpdate(cm({ data: { a: '1' } }), old)).toEqual(['immutable: Forbidden: field is immutable when `immutable` is set']);
    expect(validateConfigSecretUpdate(cm({ immutable: true, data: { a: '1' }, metadata: { name: 'c', labels: { x: 'y' } } }), old)).toEqual([]);
  });
});
