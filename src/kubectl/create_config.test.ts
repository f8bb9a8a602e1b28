import { describe, expect, it } from 'vitest';
import { parseKubectl } from './parse.js';
import { configObjectFor, parseEnvFile, parseFileSource } from './create_config.js';

const fail = (m: string): never => {
  throw new Error(m);
};

describe('kubectl create configmap|secret generic', () => {
  it('parses into a generator action', () => {
    const a: any = parseKubectl('create configmap game -n team --from-literal=level=3 --from-file=ui=ui.properties');
    expect(a).toMatchObject({ verb: 'create', namespace: 'team', generate: { kind: 'ConfigMap', name: 'game', fromLiteral: ['level=3'], fromFile: ['ui=ui.properties'] } });
    expect(() => parseKubectl('create configmap a b')).toThrow('exactly one NAME is required, got 2');
    expect(() => parseKubectl('create secret generic s --from-env-file=a.env --from-literal=a=b')).toThrow('from-env-file cannot be combined with from-file or from-literal');
  });
  it('builds the object kubectl sends, files first then literals (create_configmap.go)', () => {
    const a: any = parseKubectl('create configmap game --from-literal=level=3 --from-file=ui.properties');
    a.generate.contents = { 'ui.properties': { file: Buffer.from('color=blue\n').toString('base64') } };
    const o = configObjectFor(a.generate, 'default', fail);
    expect(Object.keys(o.data as object)).toEqual(['ui.properties', 'level']);
    expect(o.data).toEqual({ 'ui.properties': 'color=blue\n', level: '3' });
  });
  it('secrets carry base64 data', () => {
    const a: any = parseKubectl('create secret generic db --from-literal=password=s3cret');
    expect(configObjectFor(a.generate, undefined, fail)).toMatchObject({ kind: 'Secret', type: 'Opaque', data: { password: 'czNjcmV0' } });
  });
  it("kubectl's key checks", () => {
    const a: any = parseKubectl('create configmap c --from-literal=a*b=1');
    expect(() => configObjectFor(a.generate, undefined, fail)).toThrow('error: "a*b" is not a valid key name for a ConfigMap: a valid config key');
    const d: any = parseKubectl('create configmap c --from-literal=a=1 --from-literal=a=2');
    expect(() => configObjectFor(d.generate, undefined, fail)).toThrow('error: cannot add key "a", another key by that name already exists in Data for ConfigMap "c"');
  });
  it('ParseFileSource and env files', () => {
    expect(parseFileSource('dir/app.conf')).toEqual({ key: 'app.conf', file: 'dir/app.conf' });
    expect(parseFileSource('=x')).toEqual({ error: 'key name for file path x missing' });
    expect(parseFileSource('a=b=c')).toEqual({ error: "key names or file paths cannot contain '='" });
    expect(parseEnvFile('# c\nA=1\n\nB=x=y\n', 'f')).toEqual([['A', '1'], ['B', 'x=y']]);
  });
});
