import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { extractFieldPathAsString, formatMap, goQuote, podFieldSelectorRuntimeValue, splitMaybeSubscriptedPath } from './fieldpath.js';

const pod = (metadata: any, spec: any = {}, status: any = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec, status });

describe('extractFieldPathAsString (pkg/fieldpath/fieldpath_test.go TestExtractFieldPathAsString)', () => {
  const ok: [string, string, KubeObject, string][] = [
    ['ok - namespace', 'metadata.namespace', pod({ namespace: 'object-namespace' }), 'object-namespace'],
    ['ok - name', 'metadata.name', pod({ name: 'object-name' }), 'object-name'],
    ['ok - labels', 'metadata.labels', pod({ labels: { key: 'value' } }), 'key="value"'],
    ['ok - labels bslash n', 'metadata.labels', pod({ labels: { key: 'value\n' } }), 'key="value\\n"'],
    ['ok - annotations', 'metadata.annotations', pod({ annotations: { builder: 'john-doe' } }), 'builder="john-doe"'],
    ['ok - annotation', "metadata.annotations['spec.pod.beta.kubernetes.io/statefulset-index']", pod({ annotations: { 'spec.pod.beta.kubernetes.io/statefulset-index': '1' } }), '1'],
    ['ok - uid', 'metadata.uid', pod({ uid: 'b7e1' }), 'b7e1'],
    ['missing label subscript is empty', "metadata.labels['absent']", pod({ labels: {} }), ''],
  ];
  for (const [name, path, obj, want] of ok) it(name, () => expect(extractFieldPathAsString(obj, path)).toBe(want));

  it('invalid expression', () => {
    expect(() => extractFieldPathAsString(pod({ namespace: 'object-namespace' }), 'metadata.whoops')).toThrow(/unsupported fieldPath/);
  });
  it('invalid annotation', () => {
    expect(() => extractFieldPathAsString(pod({ annotations: { foo: 'bar' } }), "metadata.annotations['unescaped]forbidden[characters'inside[]key']")).toThrow(/invalid key subscript/);
  });
  it('subscript on a field that has none', () => {
    expect(() => extractFieldPathAsString(pod({ name: 'x' }), "metadata.name['a']")).toThrow(/does not support subscript/);
  });
});

describe('formatMap (fieldpath.go FormatMap)', () => {
  it('sorted key="value" lines, no trailing newline', () => {
    expect(formatMap({ zone: 'us-est-coast', cluster: 'test-cluster1', rack: 'rack-22' })).toBe('cluster="test-cluster1"\nrack="rack-22"\nzone="us-est-coast"');
  });
  it('empty map is the empty string', () => expect(formatMap({})).toBe(''));
  it('Go %q escaping', () => {
    expect(goQuote('a"b\\c\td\x01é')).toBe('"a\\"b\\\\c\\td\\x01é"');
    expect(goQuote('\u00a0')).toBe('"\\u00a0"');
  });
});

describe('splitMaybeSubscriptedPath (fieldpath_test.go TestSplitMaybeSubscriptedPath)', () => {
  const cases: [string, string, string, boolean][] = [
    ["metadata.annotations['key']", 'metadata.annotations', 'key', true],
    ["metadata.annotations['a[b']c']", 'metadata.annotations', "a[b']c", true],
    ["metadata.labels['['key']", 'metadata.labels', "['key", true],
    ["metadata.labels['key']']", 'metadata.labels', "key']", true],
    ["metadata.labels['']", 'metadata.labels', '', true],
    ["metadata.labels[' ']", 'metadata.labels', ' ', true],
    ["metadata.labels[ 'key' ]", "metadata.labels[ 'key' ]", '', false],
    ["metadata.labels[]", 'metadata.labels[]', '', false],
    ["metadata.labels[']", "metadata.labels[']", '', false],
    ["metadata.labels['key']foo", "metadata.labels['key']foo", '', false],
    ["['key']", "['key']", '', false],
    ['metadata.labels', 'metadata.labels', '', false],
  ];
  for (const [input, path, sub, ok] of cases) it(input, () => expect(splitMaybeSubscriptedPath(input)).toEqual([path, sub, ok]));
});

describe('podFieldSelectorRuntimeValue (kubelet_pods.go)', () => {
  const p = pod({ name: 'p', namespace: 'ns', uid: 'u1', labels: { app: 'web' } }, { nodeName: 'node-1', serviceAccountName: 'sa' }, {});
  it('spec and status fields come from the kubelet', () => {
    const addrs = { podIPs: ['10.244.1.5', 'fd00::5'], hostIPs: ['192.168.0.2', 'fd01::2'] };
    expect(podFieldSelectorRuntimeValue('spec.nodeName', p, addrs)).toBe('node-1');
    expect(podFieldSelectorRuntimeValue('spec.serviceAccountName', p, addrs)).toBe('sa');
    expect(podFieldSelectorRuntimeValue('status.podIP', p, addrs)).toBe('10.244.1.5');
    expect(podFieldSelectorRuntimeValue('status.podIPs', p, addrs)).toBe('10.244.1.5,fd00::5');
    expect(podFieldSelectorRuntimeValue('status.hostIP', p, addrs)).toBe('192.168.0.2');
    expect(podFieldSelectorRuntimeValue('status.hostIPs', p, addrs)).toBe('192.168.0.2,fd01::2');
    expect(podFieldSelectorRuntimeValue('spec.terminationGracePeriodSeconds', p, addrs)).toBe('30');
    expect(podFieldSelectorRuntimeValue("metadata.labels['app']", p, addrs)).toBe('web');
    expect(podFieldSelectorRuntimeValue('metadata.uid', p, addrs)).toBe('u1');
  });
});
