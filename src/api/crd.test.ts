// CustomResourceDefinitions: kinds become servable, unknown kinds are refused as kubectl's REST
// mapping refuses them, and openAPIV3Schema errors read as the apiextensions-apiserver's
// (kube-openapi validate messages, e.g. "spec.size in body must be of type integer").

import { describe, expect, it } from 'vitest';
import { newCluster } from '../../test/helpers/cluster.js';
import type { KubeObject } from './types.js';
import { checkKindServed, NoKindMatchError, resolverWithCrds, validateCustomObject } from './crd.js';
import { listResources, resourceByKind } from '../kubectl/resources.js';

const crd = (scope = 'Namespaced'): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope,
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: {
        type: 'object', required: ['size'],
        properties: {
          size: { type: 'integer', minimum: 1, maximum: 10 },
          color: { type: 'string', enum: ['red', 'blue'] },
          name: { type: 'string', pattern: '^[a-z]+$' },
        },
      } } } },
    }],
  },
});
const widget = (name: string, spec: any, apiVersion = 'example.com/v1'): KubeObject => ({ apiVersion, kind: 'Widget', metadata: { name }, spec });

describe('CustomResourceDefinitions', () => {
  it('a custom object without its CRD is refused: no matches for kind', () => {
    const c = newCluster();
    expect(() => c.api.create(widget('w', { size: 1 }))).toThrow(NoKindMatchError);
    expect(() => c.api.create(widget('w', { size: 1 }))).toThrow('no matches for kind "Widget" in version "example.com/v1"');
  });

  it('removed built-in versions are refused too; unmodelled built-in kinds stay storable', () => {
    const c = newCluster();
    expect(() => c.api.create({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'd' }, spec: {} })).toThrow('no matches for kind "Deployment" in version "extensions/v1beta1"');
    expect(() => c.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } })).not.toThrow();
  });

  it('after the CRD, custom objects are stored, defaulted into the namespace and listed', () => {
    const c = newCluster();
    c.api.create(crd());
    c.api.create(widget('b', { size: 2 }));
    c.api.create(widget('a', { size: 3, color: 'red' }));
    expect(c.api.list('Widget', 'default').map((w) => w.metadata.name)).toEqual(['a', 'b']);
    expect(c.api.get('Widget', 'default', 'a')!.metadata.namespace).toBe('default');
    // served only in its own version
    expect(() => c.api.create(widget('x', { size: 1 }, 'example.com/v2'))).toThrow('no matches for kind "Widget" in version "example.com/v2"');
  });

  it('cluster-scoped CRDs make cluster-scoped objects', () => {
    const c = newCluster();
    const d = crd('Cluster');
    d.spec.names = { plural: 'gadgets', kind: 'Gadget' };
    d.metadata.name = 'gadgets.example.com';
    c.api.create(d);
    const g = c.api.create({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'default' }, spec: { size: 1 } });
    expect(g.metadata.namespace).toBeUndefined();
  });

  it('openAPIV3Schema: required, type, enum, minimum/maximum, pattern, with upstream wording', () => {
    const c = newCluster();
    c.api.create(crd());
    const err = (spec: any) => {
      try {
        c.api.create(widget('w', spec));
      } catch (e) {
        return (e as Error).message;
      }
      return 'created';
    };
    expect(err({})).toBe('Widget.example.com "w" is invalid: spec.size: Required value');
    expect(err({ size: 'big' })).toBe('Widget.example.com "w" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"');
    expect(err({ size: 0 })).toBe('Widget.example.com "w" is invalid: spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1');
    expect(err({ size: 11 })).toBe('Widget.example.com "w" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10');
    expect(err({ size: 1, color: 'pink' })).toBe('Widget.example.com "w" is invalid: spec.color: Unsupported value: "pink": supported values: "red", "blue"');
    expect(err({ size: 1, name: 'X1' })).toBe("Widget.example.com \"w\" is invalid: spec.name: Invalid value: \"X1\": spec.name in body should match '^[a-z]+$'");
  });

  it('a CRD needs its name to be <plural>.<group>', () => {
    const c = newCluster();
    const d = crd();
    d.metadata.name = 'widgets';
    expect(() => c.api.create(d)).toThrow('metadata.name: Invalid value: "widgets": must be spec.names.plural+"."+spec.group');
  });

  it("kubectl resolves the CRD's plural, singular, short name and Kind", () => {
    const r = resolverWithCrds([crd()]);
    for (const w of ['widgets', 'widget', 'wd', 'Widget', 'widgets.example.com']) expect(r(w)?.kind).toBe('Widget');
    expect(r('pods')?.kind).toBe('Pod');
    expect(resolverWithCrds([])('widgets')).toBeUndefined();
  });
});

describe('built-in kinds, grouped once', () => {
  it('every built-in kind and apiVersion pair is served or refused as the scan of the resource list decided', () => {
    const store = { iterate: () => [] as KubeObject[] };
    const kinds = [...new Set(listResources().map((r) => r.kind)), 'Widget', 'toString', '__proto__'];
    const versions = [...new Set(listResources().map((r) => r.apiVersion)), 'apps/v1beta1', 'example.com/v1', 'v2'];
    for (const kind of kinds) {
      for (const apiVersion of versions) {
        const groups = listResources().filter((r) => r.kind === kind).map((r) => r.group);
        const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
        const served = groups.length > 0 && groups.includes(group) && apiVersion !== 'apps/v1beta1';
        const obj = { apiVersion, kind, metadata: { name: 'x' } } as KubeObject;
        expect(checkKindServed(store, obj) === undefined).toBe(served);
        // a built-in kind is never validated against a CRD schema
        if (resourceByKind(kind)) expect(validateCustomObject(store, obj)).toEqual([]);
      }
    }
  });
});
