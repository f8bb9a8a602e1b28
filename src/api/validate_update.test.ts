// validateUpdate's pod rule (ValidatePodUpdate: only images, activeDeadlineSeconds, tolerations,
// terminationGracePeriodSeconds, schedulingGates and, while unbound, nodeName may change): the
// walk that replaced the two stripped copies answers as the copies did.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cloneObject, copyMembersSharing, jsonEqual } from './clone.js';
import { podSpecEqualExceptMutable, podSpecsEqualByStrippedCopies, validateObject, validateUpdate } from './validate.js';
import type { KubeObject } from './types.js';

const value = fc.oneof(fc.constantFrom('a', 'b', 1, null, undefined), fc.constantFrom({ x: 1 }, [1], []));
const container = fc.dictionary(fc.constantFrom('name', 'image', 'ports', 'env'), value, { maxKeys: 3 });
const spec = fc.dictionary(
  fc.constantFrom('containers', 'initContainers', 'nodeName', 'tolerations', 'activeDeadlineSeconds', 'terminationGracePeriodSeconds', 'schedulingGates', 'restartPolicy', 'volumes'),
  fc.oneof(value, fc.array(container, { maxLength: 2 })),
  { maxKeys: 5 },
);
/** pairs often alike: the new spec is a copy of the old with a few members replaced */
const specs = fc.tuple(fc.option(spec, { nil: undefined }), spec, fc.boolean(), fc.constantFrom('containers', 'nodeName', 'tolerations', 'volumes', 'image')).map(([a, b, copy, key]) => {
  if (!copy || a === undefined) return [a, b] as const;
  const c: any = cloneObject(a);
  if (key === 'image') {
    for (const ct of Array.isArray(c.containers) ? c.containers : []) if (ct && typeof ct === 'object') ct.image = 'changed';
  } else {
    c[key] = b[key];
  }
  return [a, c] as const;
});

describe('podSpecEqualExceptMutable', () => {
  it('answers as the two stripped copies compared as printed', () => {
    const answered = { equal: 0, different: 0 };
    fc.assert(fc.property(specs, ([a, b]) => {
      const fast = podSpecEqualExceptMutable(a, b, !(a as any)?.nodeName);
      let slow: boolean | Error;
      try {
        slow = podSpecsEqualByStrippedCopies(a, b);
      } catch (e) {
        slow = e as Error;
      }
      // the walk declines the shapes the copies cannot strip (a container that is not an object)
      if (fast !== undefined) {
        expect(fast).toBe(slow);
        answered[fast ? 'equal' : 'different']++;
      }
    }), { numRuns: 2000 });
    // the walk answered often, both ways
    expect(answered.equal).toBeGreaterThan(100);
    expect(answered.different).toBeGreaterThan(100);
  });

  it('declines container lists it cannot strip as the copies did', () => {
    expect(podSpecEqualExceptMutable({ containers: [null] }, { containers: [null] }, true)).toBeUndefined();
    expect(podSpecEqualExceptMutable({ containers: {} }, { containers: {} }, true)).toBeUndefined();
    expect(podSpecEqualExceptMutable({ containers: [{ name: 'a', image: 'x' }] }, { containers: [{ name: 'a', image: 'y' }] }, true)).toBe(true);
  });
});

describe('validateUpdate of a pod', () => {
  const pod = (spec: any): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec });
  it('gives the same errors whether or not the caller says the specs are equal', () => {
    fc.assert(fc.property(specs, ([a, b]) => {
      const old = pod(a), obj = pod(b);
      let plain: string[] | Error, told: string[] | Error;
      try { plain = validateUpdate(obj, old); } catch (e) { plain = e as Error; }
      try { told = validateUpdate(obj, old, jsonEqual(a, b)); } catch (e) { told = e as Error; }
      expect(told).toEqual(plain);
      if (Array.isArray(plain)) {
        let slow: boolean | undefined;
        try { slow = jsonEqual(a, b) || podSpecsEqualByStrippedCopies(a, b); } catch { slow = undefined; }
        if (slow !== undefined) expect(plain.length === 0).toBe(slow);
      }
    }), { numRuns: 1000 });
  });

  it('binding an unbound pod is allowed, rebinding a bound one is not', () => {
    const c = [{ name: 'c', image: 'nginx' }];
    expect(validateUpdate(pod({ containers: c, nodeName: 'n1' }), pod({ containers: c }))).toEqual([]);
    expect(validateUpdate(pod({ containers: c, nodeName: 'n2' }), pod({ containers: c, nodeName: 'n1' }))).toHaveLength(1);
    expect(validateUpdate(pod({ containers: [{ name: 'c', image: 'nginx:2' }], nodeName: 'n1' }), pod({ containers: c, nodeName: 'n1' }))).toEqual([]);
  });
});

describe('validateObject on an update, given the stored version', () => {
  const ctx = { get: () => undefined };
  const rs = (): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'a.io/b': 'c' } },
    spec: {
      replicas: 3,
      minReadySeconds: 0,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Always', containers: [{ name: 'web', image: 'nginx' }] } },
    },
  }) as KubeObject;
  const pod = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx' }] },
  }) as KubeObject;
  // edits that keep or break the rules, in the parts the stored version's checks are skipped for
  const edits: ((o: any) => void)[] = [
    () => {},
    (o) => { o.spec.replicas = 5; },
    (o) => { o.spec.replicas = -1; },
    (o) => { o.metadata.labels = { app: 'web', 'bad key!': 'x' }; },
    (o) => { o.metadata.labels = { app: 'web', tier: 'front' }; },
    (o) => { o.metadata.annotations = { '-bad': 'x' }; },
    (o) => { if (o.spec.template) o.spec.template.metadata.labels = { app: 'other' }; },
    (o) => { if (o.spec.selector) o.spec.selector = { matchLabels: {} }; },
    (o) => { (o.spec.template?.spec ?? o.spec).containers[0].name = 'Bad_Name'; },
    (o) => { (o.spec.template?.spec ?? o.spec).containers.push({ name: 'side', image: 'busybox' }); },
    (o) => { if (o.spec.template) o.spec.template.spec.restartPolicy = 'Never'; },
  ];

  it('finds what validating the whole object finds, whatever the update shares with the stored version', () => {
    fc.assert(fc.property(fc.constantFrom(rs, pod), fc.subarray(edits.map((_, i) => i)), fc.boolean(), (make, picked, first) => {
      const stored = make();
      expect(validateObject(stored, ctx)).toEqual([]);
      const draft = cloneObject(stored);
      for (const i of picked) edits[i](draft);
      // an update shares every part it did not change (copyUpdateInput), or nothing at all
      const next = first ? copyMembersSharing(draft, stored) : draft;
      expect(validateObject(next, ctx, stored)).toEqual(validateObject(next, ctx));
    }), { numRuns: 500 });
  });
});
