import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, applyPatch, applyStrategicMergePatch, PatchError, type JsonPatchOp } from './patch.js';

describe('applyMergePatch (RFC 7386)', () => {
  // RFC 7386 Appendix A, "Example Test Cases"
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(cases)('RFC 7386 appendix A: %j + %j', (target, patch, want) => {
    expect(applyMergePatch(target, patch)).toEqual(want);
  });

  it('does not mutate its inputs and returns unshared objects', () => {
    const target = { spec: { replicas: 1, selector: { app: 'a' } }, keep: { x: [1] } };
    const patch = { spec: { replicas: 3 } };
    const out = applyMergePatch(target, patch);
    expect(target.spec.replicas).toBe(1);
    expect(out).toEqual({ spec: { replicas: 3, selector: { app: 'a' } }, keep: { x: [1] } });
    (out as any).keep.x.push(2);
    expect(target.keep.x).toEqual([1]);
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  // RFC 6902 Appendix A examples
  it('A.1 adding an object member', () => {
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }])).toEqual({ baz: 'qux', foo: 'bar' });
  });
  it('A.2 adding an array element', () => {
    expect(applyJsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }])).toEqual({ foo: ['bar', 'qux', 'baz'] });
  });
  it('A.3 removing an object member', () => {
    expect(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }])).toEqual({ foo: 'bar' });
  });
  it('A.4 removing an array element', () => {
    expect(applyJsonPatch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }])).toEqual({ foo: ['bar', 'baz'] });
  });
  it('A.5 replacing a value', () => {
    expect(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }])).toEqual({ baz: 'boo', foo: 'bar' });
  });
  it('A.6 moving a value', () => {
    const doc = { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } };
    expect(applyJsonPatch(doc, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }])).toEqual({
      foo: { bar: 'baz' },
      qux: { corge: 'grault', thud: 'fred' },
    });
  });
  it('A.7 moving an array element', () => {
    expect(applyJsonPatch({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }])).toEqual({
      foo: ['all', 'cows', 'eat', 'grass'],
    });
  });
  it('A.8 testing a value: success', () => {
    const doc = { baz: 'qux', foo: ['a', 2, 'c'] };
    expect(
      applyJsonPatch(doc, [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ]),
    ).toEqual(doc);
  });
  it('A.9 testing a value: error', () => {
    expect(() => applyJsonPatch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }])).toThrow('testing value /baz failed: test failed');
  });
  it('A.10 adding a nested member object', () => {
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }])).toEqual({ foo: 'bar', child: { grandchild: {} } });
  });
  it('A.12 adding to a nonexistent target fails', () => {
    expect(() => applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }])).toThrow(
      'add operation does not apply: doc is missing path: "/baz/bat": missing value',
    );
  });
  it('A.14 ~ escape ordering', () => {
    const doc = { '/': 9, '~1': 10 };
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/~01', value: 10 }])).toEqual(doc);
    expect(applyJsonPatch(doc, [{ op: 'replace', path: '/~1', value: 1 }])).toEqual({ '/': 1, '~1': 10 });
  });
  it('A.16 adding an array value', () => {
    expect(applyJsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }])).toEqual({ foo: ['bar', ['abc', 'def']] });
  });
  it('copy and whole-document add', () => {
    expect(applyJsonPatch({ a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }])).toEqual({ a: { b: 1 }, c: { b: 1 } });
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '', value: { z: 2 } }])).toEqual({ z: 2 });
  });

  it('errors use evanphx/json-patch wording and leave the input untouched', () => {
    const doc = { spec: { replicas: 1, list: [1] } };
    const ops: JsonPatchOp[] = [
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'replace', path: '/spec/missing', value: 1 },
    ];
    expect(() => applyJsonPatch(doc, ops)).toThrow('replace operation does not apply: doc is missing key: /spec/missing: missing value');
    expect(doc.spec.replicas).toBe(1);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/nope' }])).toThrow(
      "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value",
    );
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/spec/list/5', value: 1 }])).toThrow('Unable to access invalid index: 5: invalid index referenced');
    expect(() => applyJsonPatch(doc, [{ op: 'move', from: '/nope', path: '/x' }])).toThrow('move operation does not apply: doc is missing from path: /nope');
    expect(() => applyJsonPatch(doc, [{ op: 'frob', path: '/x' } as unknown as JsonPatchOp])).toThrow('Unexpected kind: frob');
  });
});

// Translated from staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go,
// customStrategicMergePatchTestCaseData (TestCustomStrategicMergePatch) and
// customStrategicMergePatchRawTestCases. Upstream's MergeItem test type is modelled with Pod fields
// of the same strategies: spec.containers (merge by name) for mergingList, metadata.finalizers
// (merge, primitive) for mergingIntList, spec.tolerations (no strategy) for nonMergingList,
// metadata.labels for simpleMap.
describe('applyStrategicMergePatch: upstream TestCustomStrategicMergePatch cases', () => {
  const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...metadata },
    spec,
  });
  const smp = (o: unknown, p: unknown): any => applyStrategicMergePatch(o, p, 'Pod');

  it('unique scalars when merging lists', () => {
    expect(smp(pod({}, { finalizers: ['1', '2'] }), { metadata: { finalizers: ['2', '3'] } }).metadata.finalizers).toEqual(['1', '2', '3']);
  });
  it('delete map from nested map ($patch: delete)', () => {
    expect(smp(pod({}, { labels: { key1: '1', key2: '1' } }), { metadata: { labels: { $patch: 'delete' } } }).metadata.labels).toEqual({});
  });
  it('delete all items from merging list ($patch: replace in a list)', () => {
    expect(smp(pod({ containers: [{ name: '1' }, { name: '2' }] }), { spec: { containers: [{ $patch: 'replace' }] } }).spec.containers).toEqual([]);
  });
  it('merge empty merging lists', () => {
    expect(smp(pod({ containers: [] }), { spec: { containers: [] } }).spec.containers).toEqual([]);
  });
  it('delete all keys from map / add key and delete all keys from map ($patch: replace in a map)', () => {
    expect(smp(pod({ a: 1, b: 1 }), { spec: { $patch: 'replace' } }).spec).toEqual({});
    expect(smp(pod({ a: 1, b: 1 }), { spec: { other: 'a', $patch: 'replace' } }).spec).toEqual({ other: 'a' });
  });
  it('delete all duplicate entries in a merging list', () => {
    const o = pod({ containers: [{ name: '1' }, { name: '1' }, { name: '2', image: 'a' }, { name: '3' }, { name: '3' }] });
    const out = smp(o, { spec: { containers: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }] } });
    expect(out.spec.containers).toEqual([{ name: '2', image: 'a' }]);
  });
  it('retainKeys map can add, change and delete a field when no retainKeys directive present', () => {
    const d = (strategy: unknown) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { strategy } });
    const sd = (o: unknown, p: unknown): any => applyStrategicMergePatch(o, p, 'Deployment');
    expect(sd(d({ type: 'foo' }), { spec: { strategy: { rollingUpdate: 'bar' } } }).spec.strategy).toEqual({ type: 'foo', rollingUpdate: 'bar' });
    expect(sd(d({ type: 'foo', a: 'a' }), { spec: { strategy: { a: 'b' } } }).spec.strategy).toEqual({ type: 'foo', a: 'b' });
    expect(sd(d({ type: 'foo', a: 'a' }), { spec: { strategy: { a: null } } }).spec.strategy).toEqual({ type: 'foo' });
    expect(sd(d({ type: 'foo', a: 'a' }), { spec: { strategy: {} } }).spec.strategy).toEqual({ type: 'foo', a: 'a' });
  });
  it('preserve the order from the patch in a merging list', () => {
    const o = pod({ containers: [{ name: '1' }, { name: '2', image: 'b' }, { name: '3' }] });
    const out = smp(o, { spec: { containers: [{ name: '3', image: 'c' }, { name: '1', image: 'a' }, { name: '2', tty: true }] } });
    expect(out.spec.containers).toEqual([{ name: '3', image: 'c' }, { name: '1', image: 'a' }, { name: '2', image: 'b', tty: true }]);
  });
  it('preserve the order from the patch in a merging list 2', () => {
    const o = pod({ containers: [{ name: '1' }, { name: '2', image: 'b' }, { name: '3' }] });
    const out = smp(o, { spec: { containers: [{ name: '3', image: 'c' }, { name: '1', image: 'a' }] } });
    expect(out.spec.containers).toEqual([{ name: '2', image: 'b' }, { name: '3', image: 'c' }, { name: '1', image: 'a' }]);
  });
  it('preserve the order from the patch in a merging int list', () => {
    expect(smp(pod({}, { finalizers: ['1', '2', '3'] }), { metadata: { finalizers: ['3', '1', '2'] } }).metadata.finalizers).toEqual(['3', '1', '2']);
    expect(smp(pod({}, { finalizers: ['1', '2', '3'] }), { metadata: { finalizers: ['3', '1'] } }).metadata.finalizers).toEqual(['2', '3', '1']);
  });
  it('$setElementOrder contains item that is not present in the list to be merged', () => {
    const o = pod({ containers: [{ name: '1' }, { name: '3' }] });
    const p = {
      spec: {
        '$setElementOrder/containers': [{ name: '3' }, { name: '2' }, { name: '1' }],
        containers: [
          { name: '3', image: '3' },
          { name: '1', image: '1' },
        ],
      },
    };
    const out = smp(o, p);
    expect(out.spec).toEqual({ containers: [{ name: '3', image: '3' }, { name: '1', image: '1' }] });
  });
  it('$setElementOrder contains item that is not present in the int list to be merged', () => {
    const out = smp(pod({}, { finalizers: ['1', '3'] }), { metadata: { '$setElementOrder/finalizers': ['3', '2', '1'] } });
    expect(out.metadata).toEqual({ name: 'p', finalizers: ['3', '1'] });
  });
  it('should check if order in $setElementOrder and patch list match', () => {
    const o = pod({ containers: [{ name: '1' }, { name: '3' }, { name: '2' }] });
    const p = { spec: { '$setElementOrder/containers': [{ name: '1' }, { name: '2' }, { name: '3' }], containers: [{ name: '3', image: '3' }, { name: '1', image: '1' }] } };
    expect(() => smp(o, p)).toThrow("doesn't match");
  });
  it('missing merge key should error out', () => {
    expect(() => smp(pod({ containers: [{ name: '1', image: 'a' }] }), { spec: { containers: [{ image: 'b' }] } })).toThrow(
      'does not contain declared merge key',
    );
  });
});

describe('applyStrategicMergePatch: built-in merge keys', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80, name: 'http' }],
              env: [{ name: 'A', value: '1' }],
              volumeMounts: [{ mountPath: '/data', name: 'data' }],
            },
            { name: 'sidecar', image: 'busybox' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
          tolerations: [{ key: 'a', operator: 'Exists' }],
        },
      },
    },
  };

  it('merges containers by name, ports by containerPort and env by name; leaves the input alone', () => {
    const before = JSON.stringify(deployment);
    const out = applyStrategicMergePatch<any>(
      deployment,
      {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'app', image: 'nginx:1.26', env: [{ name: 'B', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] }],
            },
          },
        },
      },
      'Deployment',
    );
    expect(JSON.stringify(deployment)).toBe(before);
    const app = out.spec.template.spec.containers.find((c: any) => c.name === 'app');
    expect(app.image).toBe('nginx:1.26');
    expect(app.env).toEqual([{ name: 'B', value: '2' }, { name: 'A', value: '1' }]);
    expect(app.ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'sidecar']);
    expect(out.spec.replicas).toBe(2);
  });

  it('tolerations have no strategy: the list is replaced', () => {
    const out = applyStrategicMergePatch<any>(deployment, { spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } } }, 'Deployment');
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('removes a container with $patch: delete and a volume mount by mountPath', () => {
    const out = applyStrategicMergePatch<any>(
      deployment,
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'sidecar', $patch: 'delete' },
                { name: 'app', volumeMounts: [{ mountPath: '/data', $patch: 'delete' }] },
              ],
            },
          },
        },
      },
      'Deployment',
    );
    expect(out.spec.template.spec.containers).toHaveLength(1);
    expect(out.spec.template.spec.containers[0].volumeMounts).toEqual([]);
  });

  it('null deletes a key; $retainKeys clears unlisted fields (volumes are merge,retainKeys)', () => {
    const out = applyStrategicMergePatch<any>(
      deployment,
      { metadata: { labels: null }, spec: { template: { spec: { volumes: [{ name: 'data', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }] } } } },
      'Deployment',
    );
    expect(out.metadata.labels).toBeUndefined();
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'data', configMap: { name: 'cm' } }]);
  });

  it('$deleteFromPrimitiveList removes values from a merge list of scalars', () => {
    const o = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', finalizers: ['a', 'b', 'c'] } };
    const out = applyStrategicMergePatch<any>(o, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }, 'Pod');
    expect(out.metadata).toEqual({ name: 'p', finalizers: ['a', 'c'] });
  });

  it('Service ports merge by port; ownerReferences by uid; conditions by type', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }], sessionAffinity: 'ClientIP' } };
    const out = applyStrategicMergePatch<any>(svc, { spec: { sessionAffinity: 'None', ports: [{ port: 443, targetPort: 8443 }] } }, 'Service');
    expect(out.spec).toEqual({ ports: [{ port: 443, targetPort: 8443 }, { port: 80, targetPort: 8080 }], sessionAffinity: 'None' });

    const p = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', ownerReferences: [{ uid: 'u1', name: 'rs', kind: 'ReplicaSet', apiVersion: 'apps/v1' }] },
      status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] },
    };
    const out2 = applyStrategicMergePatch<any>(p, { metadata: { ownerReferences: [{ uid: 'u1', $patch: 'delete' }] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'Pod');
    expect(out2.metadata.ownerReferences).toEqual([]);
    expect(out2.status.conditions).toEqual([{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }]);
  });

  it('new values are cleaned of directives and nulls', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    const out = applyStrategicMergePatch<any>(o, { data: { a: '1', b: null } }, 'ConfigMap');
    expect(out).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
  });

  it('directive errors use strategicpatch wording', () => {
    const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }] } };
    expect(() => applyStrategicMergePatch(p, { spec: { $patch: 'frob' } }, 'Pod')).toThrow('Unknown patch type: frob in map');
    expect(() => applyStrategicMergePatch(p, { spec: { containers: [{ $patch: 'merge' }] } }, 'Pod')).toThrow(
      'merging lists cannot yet be specified in the patch',
    );
    expect(() => applyStrategicMergePatch(p, { spec: { $retainKeys: ['x'], containers: [] } }, 'Pod')).toThrow('invalid patch format of retainKeys');
  });

  it('custom resources reject strategic merge patch (415) with a hint to use --type=merge', () => {
    const cr = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } };
    let err: unknown;
    try {
      applyStrategicMergePatch(cr, { spec: { size: 2 } }, 'Widget');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PatchError);
    expect((err as PatchError).status).toBe(415);
    expect((err as PatchError).message).toContain('strategic merge patch is not supported for Widget');
    expect((err as PatchError).hint).toContain('--type=merge');
    expect(applyPatch(cr, 'merge', { spec: { size: 2 } }, 'Widget')).toEqual({ ...cr, spec: { size: 2 } });
  });
});

describe('applyPatch: the result is what the Go types would encode', () => {
  // ObjectMeta labels/annotations are omitempty maps: removing the last key leaves no field
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: '1' }, annotations: { n: 'v' } }, data: { k: 'v' } };
  it.each([
    ['strategic', { metadata: { labels: { a: null } } }],
    ['merge', { metadata: { labels: { a: null } } }],
    ['json', [{ op: 'remove', path: '/metadata/labels/a' }]],
  ] as const)('%s patch removing the last label drops metadata.labels', (type, patch) => {
    const out = applyPatch(structuredClone(obj), type, patch, 'ConfigMap') as any;
    expect(out.metadata).toEqual({ name: 'x', annotations: { n: 'v' } });
    expect(out.data).toEqual({ k: 'v' });
  });
});
