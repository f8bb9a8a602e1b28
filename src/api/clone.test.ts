import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { cloneObject, copyMembersSharing, copySharing, jsonEqual, jsonEqualExcept, jsonEqualExceptIn, jsonEqualMembers, shallowCopy } from './clone.js';

// JSON-shaped values as API objects hold them, with the awkward corners JSON.stringify has:
// undefined members (left out of objects, null in arrays), NaN and -0, key order.
const leaf = fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(NaN), fc.constant(-0), fc.double({ noNaN: true }));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('tree'), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'resourceVersion', '1'), tie('tree'), { maxKeys: 4 }),
}));
/** pairs that are often equal: b is a copy of a with at most one change */
const pair = fc.tuple(tree, tree, fc.boolean()).map(([a, b, copy]) => (copy ? [a, cloneObject(a)] : [a, b]) as [unknown, unknown]);

describe('cloneObject', () => {
  it('gives what structuredClone gives for JSON-shaped trees', () => {
    fc.assert(fc.property(tree, (v) => {
      expect(cloneObject(v)).toStrictEqual(structuredClone(v));
      expect(JSON.stringify(cloneObject(v))).toBe(JSON.stringify(v));
    }));
  });

  it('copies deeply: changing the copy leaves the original alone', () => {
    const o = { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'c' }] } };
    const c = cloneObject(o);
    c.metadata.labels.a = '2';
    c.spec.containers[0].name = 'd';
    expect(o).toEqual({ metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'c' }] } });
  });

  it('keeps an own "__proto__" key a plain member', () => {
    const o = JSON.parse('{"__proto__": {"x": 1}, "y": 2}');
    const c = cloneObject(o);
    expect(Object.keys(c)).toEqual(['__proto__', 'y']);
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
  });

  it('falls back to structuredClone for values that are not plain', () => {
    const d = new Date(5);
    const c = cloneObject({ d });
    expect(c.d).toBeInstanceOf(Date);
    expect(c.d).not.toBe(d);
  });
});

describe('shallowCopy', () => {
  it('has the members of a spread, in its order, and the same prototype', () => {
    const obj = fc.dictionary(fc.constantFrom('a', 'b', 'c', '1', 'resourceVersion', '__proto__'), tree, { maxKeys: 5 });
    fc.assert(fc.property(obj, fc.boolean(), (o, parsed) => {
      // JSON.parse makes an own "__proto__" member, as a manifest could
      const src: Record<string, unknown> = parsed ? JSON.parse(JSON.stringify(o)) : o;
      const a = shallowCopy(src), b = { ...src };
      expect(Reflect.ownKeys(a)).toEqual(Reflect.ownKeys(b));
      for (const k of Reflect.ownKeys(b)) expect(Object.is((a as any)[k], (b as any)[k])).toBe(true);
      expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
      expect(a).not.toBe(src);
    }));
  });
});

describe('jsonEqual', () => {
  it('answers JSON.stringify(a) === JSON.stringify(b)', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      expect(jsonEqual(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
    }), { numRuns: 500 });
  });

  it('is key-order sensitive, as the printed form is', () => {
    expect(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(jsonEqual({ a: 1, u: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual([undefined], [null])).toBe(true);
    expect(jsonEqual({ t: new Date(0) }, { t: '1970-01-01T00:00:00.000Z' })).toBe(true);
  });

  it('jsonEqualExcept leaves one top-level key out', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      fc.pre(typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b));
      const strip = (o: any) => {
        const { resourceVersion: _r, ...rest } = o;
        return JSON.stringify(rest);
      };
      expect(jsonEqualExcept(a as object, b as object, 'resourceVersion')).toBe(strip(a) === strip(b));
    }), { numRuns: 500 });
  });

  it('jsonEqualExceptIn is the API server no-op test (all but metadata.resourceVersion)', () => {
    const obj = fc.record({ kind: fc.constant('Pod'), metadata: fc.dictionary(fc.constantFrom('name', 'resourceVersion', 'labels'), tree, { maxKeys: 3 }), spec: tree, status: tree }, { requiredKeys: ['kind', 'metadata'] });
    const objs = fc.tuple(obj, obj, fc.boolean(), fc.string({ maxLength: 2 })).map(([a, b, copy, rv]) => {
      if (!copy) return [a, b] as const;
      const c = cloneObject(a);
      c.metadata = { ...c.metadata, resourceVersion: rv };
      return [a, c] as const;
    });
    fc.assert(fc.property(objs, ([a, b]) => {
      const { resourceVersion: _a, ...ma } = a.metadata;
      const { resourceVersion: _b, ...mb } = b.metadata;
      const expected = JSON.stringify({ ...a, metadata: ma }) === JSON.stringify({ ...b, metadata: mb });
      expect(jsonEqualExceptIn(a, b, 'metadata', 'resourceVersion')).toBe(expected);
      // the update path passes the spec as known equal once it found it so: same answer
      if (jsonEqual(a.spec, b.spec)) expect(jsonEqualExceptIn(a, b, 'metadata', 'resourceVersion', 'spec')).toBe(expected);
    }), { numRuns: 500 });
  });

  it('jsonEqualMembers answers as printing both without the skipped keys, members compared by the callback', () => {
    const obj = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'resourceVersion', '1'), tree, { maxKeys: 4 });
    const objs = fc.tuple(obj, obj, fc.boolean()).map(([a, b, copy]) => (copy ? [a, { ...cloneObject(a), b: b.b }] : [a, b]) as [Record<string, unknown>, Record<string, unknown>]);
    const skip = new Set(['c', '1']);
    fc.assert(fc.property(objs, ([a, b]) => {
      const strip = (o: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(o).filter(([k]) => !skip.has(k))));
      expect(jsonEqualMembers(a, b, skip, (_k, x, y) => jsonEqual(x, y))).toBe(strip(a) === strip(b));
    }), { numRuns: 500 });
  });
});

/** every object and array of a tree, with its path */
function nodes(v: unknown, path = '', out = new Map<object, string[]>()): Map<object, string[]> {
  if (typeof v !== 'object' || v === null) return out;
  const seen = out.get(v);
  if (seen) seen.push(path);
  else out.set(v, [path]);
  for (const k of Object.keys(v)) nodes((v as Record<string, unknown>)[k], `${path}/${k}`, out);
  return out;
}

/** v changed at one place (a member set, dropped or added), the rest a copy */
function changedCopy(v: unknown, pick: number, to: unknown): unknown {
  const c = cloneObject(v);
  const all = [...nodes(c).keys()];
  if (all.length === 0) return to;
  const target = all[pick % all.length] as Record<string, unknown>;
  const keys = Object.keys(target);
  if (keys.length && pick % 3 === 0) delete target[keys[pick % keys.length]];
  else if (keys.length && pick % 3 === 1) target[keys[pick % keys.length]] = to;
  else if (!Array.isArray(target)) target['added'] = to;
  return c;
}

describe('copySharing', () => {
  // stored objects are plain objects all the way down (copy, YAML and JSON make no null prototypes)
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('tree'), { maxLength: 3 }),
    object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'resourceVersion', '1'), tie('tree'), { maxKeys: 4, noNullPrototype: true }),
  }));
  // inputs as the API server gets them: often a copy of the stored object with one change, or
  // the stored object's own parts put into a new top level
  const inputs = fc.tuple(tree, tree, fc.nat(), fc.constantFrom('copy', 'changed', 'other', 'parts')).map(([base, other, pick, how]) => {
    if (how === 'copy') return [cloneObject(base), base] as [unknown, unknown];
    if (how === 'changed') return [changedCopy(base, pick, other), base] as [unknown, unknown];
    if (how === 'parts' && typeof base === 'object' && base !== null) return [Array.isArray(base) ? [...base, other] : { ...base, extra: other }, base] as [unknown, unknown];
    return [other, base] as [unknown, unknown];
  });

  it('gives what cloneObject gives: the same values, keys in the same order', () => {
    fc.assert(fc.property(inputs, ([v, base]) => {
      const c = copySharing(v, base);
      expect(c).toStrictEqual(cloneObject(v));
      expect(JSON.stringify(c)).toBe(JSON.stringify(v));
      const keyOrder = (x: unknown) => [...nodes(x).entries()].map(([n, p]) => `${p[0]}:${Object.keys(n).join(',')}`);
      expect(keyOrder(c)).toEqual(keyOrder(cloneObject(v)));
    }), { numRuns: 1000 });
  });

  it('shares only the base object\'s parts, each at its own path, and never a part of the input the base does not own', () => {
    fc.assert(fc.property(inputs, ([v, base]) => {
      const c = copySharing(v, base);
      const inBase = nodes(base), inInput = nodes(v);
      for (const [n, paths] of nodes(c)) {
        const basePaths = inBase.get(n);
        if (basePaths) for (const p of paths) expect(basePaths).toContain(p);
        else {
          expect(inInput.has(n)).toBe(false);
          expect(paths).toHaveLength(1); // a fresh part is in one place only
        }
      }
    }), { numRuns: 1000 });
  });

  it('is the base itself when the input is a copy of it, and copies only the changed path otherwise', () => {
    fc.assert(fc.property(tree, fc.nat(), tree, (base, pick, to) => {
      expect(copySharing(cloneObject(base), base)).toBe(base);
      const v = changedCopy(base, pick, to);
      const c = copySharing(v, base);
      const inBase = nodes(base);
      // a fresh part of the result is on the path to the change: it differs from the base's part at its path
      for (const [n, [p]] of nodes(c)) {
        if (inBase.has(n)) continue;
        const at = p.split('/').slice(1).reduce<unknown>((o, k) => (typeof o === 'object' && o !== null && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined), base);
        expect(isDeepStrictEqual(n, at) && keysDeep(n) === keysDeep(at)).toBe(false);
      }
    }), { numRuns: 1000 });
  });

  it('copyMembersSharing gives a fresh top level over shared members', () => {
    const base = { name: 'a', labels: { app: 'web' }, ownerReferences: [{ uid: 'u' }] };
    const v = { ...cloneObject(base), resourceVersion: '5' };
    const c = copyMembersSharing(v, base);
    expect(c).toStrictEqual(v);
    expect(c).not.toBe(base);
    expect(c.labels).toBe(base.labels);
    expect(c.ownerReferences).toBe(base.ownerReferences);
    const same = copyMembersSharing(cloneObject(base), base);
    expect(same).not.toBe(base);
    expect(same).toStrictEqual(base);
  });
});

/** the keys of every part of a tree, in order (what toStrictEqual does not compare) */
function keysDeep(v: unknown): string {
  return JSON.stringify([...nodes(v).entries()].map(([n, p]) => [p[0], Object.keys(n)]));
}

