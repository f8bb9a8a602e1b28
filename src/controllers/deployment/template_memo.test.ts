// withTemplateMemo (util.ts): the canonical text of a template is remembered by object, for one
// sync or (with a memo the caller keeps) across syncs; the answers must be those computed afresh.
// Also the comparisons that replace printing: canonicalEqual and FindNewReplicaSet without a sort.
import { describe, expect, it } from 'vitest';
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, withTemplateMemo, POD_TEMPLATE_HASH_LABEL } from './util.js';
import { newDeployment, newRS } from './testutil.js';

describe('withTemplateMemo', () => {
  it('finds the same new and old ReplicaSets as without the memo', () => {
    const d = newDeployment(3);
    const a = newRS('foo-a', 1, { createdSec: 1, image: 'old' });
    const b = newRS('foo-b', 2, { createdSec: 2 });
    const c = newRS('foo-c', 0, { createdSec: 3 });
    b.spec.template.metadata.labels[POD_TEMPLATE_HASH_LABEL] = 'b';
    const list = [c, a, b];
    const plain = { newRS: findNewReplicaSet(d, list), old: findOldReplicaSets(d, list) };
    const memo = withTemplateMemo(() => ({ newRS: findNewReplicaSet(d, list), again: findNewReplicaSet(d, list), old: findOldReplicaSets(d, list) }));
    expect(memo.newRS).toBe(plain.newRS);
    expect(memo.again).toBe(plain.newRS);
    expect(memo.old).toEqual(plain.old);
    expect(plain.newRS?.metadata.name).toBe('foo-b');
  });

  it('ignores only the pod-template-hash label and forgets templates once the sync ends', () => {
    const d = newDeployment(1);
    const rs = newRS('foo-x', 1);
    rs.spec.template.metadata.labels[POD_TEMPLATE_HASH_LABEL] = 'x';
    expect(withTemplateMemo(() => equalIgnoreHash(d.spec.template, rs.spec.template))).toBe(true);
    // a change after the sync (a new object version in the store would be a new object anyway)
    rs.spec.template.metadata.labels.extra = 'y';
    expect(withTemplateMemo(() => equalIgnoreHash(d.spec.template, rs.spec.template))).toBe(false);
    // the label is kept on the template itself
    expect(rs.spec.template.metadata.labels[POD_TEMPLATE_HASH_LABEL]).toBe('x');
  });
});

describe('sameCanonical', () => {
  it('answers as comparing the canonical forms, for JSON data', async () => {
    const fc = (await import('fast-check')).default;
    const { canonical, sameCanonical } = await import('./util.js');
    const leaf = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer({ min: -2, max: 2 }), fc.constantFrom('', 'a', 'b'));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('node'), { maxKeys: 3 })),
    })).node;
    // reversed key order: same canonical form, different JSON text
    const reorder = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reorder) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)])) : v;
    fc.assert(
      fc.property(tree, tree, fc.boolean(), (a, b, same) => {
        const other = same ? reorder(a) : b;
        return sameCanonical(a, other) === (canonical(a) === canonical(other));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('canonicalEqual', () => {
  it('answers as comparing the canonical forms, for JSON data with nulls, non-finite numbers and empty members', async () => {
    const fc = (await import('fast-check')).default;
    const { canonical, canonicalEqual } = await import('./util.js');
    const leaf = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.constant(Number.NaN),
      fc.constant(Infinity),
      fc.constant(-0),
      fc.boolean(),
      fc.integer({ min: -2, max: 2 }),
      fc.constantFrom('', 'a', 'null', '0'),
      fc.constant([]),
      fc.constant({}),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', '1', '10', '__proto__'), tie('node'), { maxKeys: 3 })),
    })).node;
    const reorder = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reorder) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)])) : v;
    // members normalised away, added: same canonical form, different JSON
    const pad = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(pad) : v && typeof v === 'object' ? { ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, pad(x)])), zz: [], yy: { x: undefined } } : v;
    fc.assert(
      fc.property(tree, tree, fc.constantFrom('other', 'reorder', 'pad'), (a, b, how) => {
        const other = how === 'reorder' ? reorder(a) : how === 'pad' ? pad(a) : b;
        return canonicalEqual(a, other) === (canonical(a) === canonical(other)) && canonicalEqual(other, a) === canonicalEqual(a, other);
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves values that are not JSON data to the printed comparison', async () => {
    const { canonical, canonicalEqual } = await import('./util.js');
    const when = new Date(0);
    for (const [a, b] of [
      [{ t: when }, {}],
      [{ t: when }, { t: null }],
      [{ f: () => 1 }, {}],
      [[() => 1], [null]],
      [JSON.parse('{"__proto__": {"a": 1}, "b": 2}'), { b: 2 }],
    ] as [unknown, unknown][]) {
      expect(canonicalEqual(a, b)).toBe(canonical(a) === canonical(b));
    }
  });
});

describe('findNewReplicaSet', () => {
  it('finds the first match of the list sorted by creation (ties by name), as the sort it replaces', async () => {
    const fc = (await import('fast-check')).default;
    const { byCreationTimestamp } = await import('./util.js');
    const sorted = (d: any, list: any[]) => [...list].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(d.spec?.template, rs.spec?.template));
    const rsArb = fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd'), createdSec: fc.integer({ min: 0, max: 3 }), image: fc.constantFrom('img', 'old'), hash: fc.constantFrom(undefined, 'h1', 'h2') });
    fc.assert(
      fc.property(fc.array(rsArb, { maxLength: 6 }), fc.boolean(), (specs, memo) => {
        const d = newDeployment(3);
        const list = specs.map((s, i) => {
          const rs = newRS(s.name, 1, { createdSec: s.createdSec, image: s.image });
          rs.metadata.uid = `uid-${i}`;
          if (s.hash) rs.spec.template.metadata.labels[POD_TEMPLATE_HASH_LABEL] = s.hash;
          return rs;
        });
        const got = memo ? withTemplateMemo(() => findNewReplicaSet(d, list)) : findNewReplicaSet(d, list);
        return got === sorted(d, list);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('withTemplateMemo with a memo kept across calls', () => {
  it('answers as without a memo for templates nobody changes in place', async () => {
    const fc = (await import('fast-check')).default;
    const d1 = newDeployment(3);
    const d2 = newDeployment(3);
    d2.spec.template.spec.containers[0].image = 'old';
    const pool = [newRS('foo-a', 1, { image: 'old' }), newRS('foo-b', 1), newRS('foo-c', 1, { image: 'other' }), newRS('foo-d', 0)];
    pool[1].spec.template.metadata.labels[POD_TEMPLATE_HASH_LABEL] = 'b';
    pool[3].spec.template.metadata.labels = { [POD_TEMPLATE_HASH_LABEL]: 'd', foo: 'bar' };
    const kept = new WeakMap<object, string>();
    fc.assert(
      fc.property(fc.boolean(), fc.subarray(pool), (first, list) => {
        const d = first ? d1 : d2;
        const plain = { newRS: findNewReplicaSet(d, list), old: findOldReplicaSets(d, list) };
        const memo = withTemplateMemo(() => ({ newRS: findNewReplicaSet(d, list), old: findOldReplicaSets(d, list) }), kept);
        return memo.newRS === plain.newRS && memo.old.all.length === plain.old.all.length && memo.old.all.every((rs, i) => rs === plain.old.all[i]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('carryTemplateText', () => {
  it('gives a stored copy the text of its original only when it prints the same, so answers stay those computed afresh', async () => {
    const fc = (await import('fast-check')).default;
    const { carryTemplateText } = await import('./util.js');
    const { cloneObject } = await import('../../api/clone.js');
    const change = fc.constantFrom('none', 'image', 'label', 'hash', 'reorder');
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 4 }), (changes) => {
        const d = newDeployment(3);
        const originals = changes.map((_, i) => newRS(`foo-${i}`, 1, { createdSec: i }));
        const kept = new WeakMap<object, string>();
        withTemplateMemo(() => findNewReplicaSet(d, originals), kept);
        const copies = originals.map((rs, i) => {
          const c = cloneObject(rs);
          const t = c.spec.template;
          if (changes[i] === 'image') t.spec.containers[0].image = 'other';
          if (changes[i] === 'label') t.metadata.labels.extra = 'x';
          if (changes[i] === 'hash') t.metadata.labels[POD_TEMPLATE_HASH_LABEL] = 'h';
          if (changes[i] === 'reorder') c.spec.template = { spec: t.spec, metadata: t.metadata };
          withTemplateMemo(() => carryTemplateText(rs.spec.template, c.spec.template), kept);
          return c;
        });
        const memo = withTemplateMemo(() => findNewReplicaSet(d, copies), kept);
        return memo === findNewReplicaSet(d, copies);
      }),
      { numRuns: 300 },
    );
  });

  it('does nothing outside a memo or for a template it has not printed', async () => {
    const { carryTemplateText } = await import('./util.js');
    const a = newRS('foo-a', 1).spec.template;
    const b = newRS('foo-b', 1).spec.template;
    const kept = new WeakMap<object, string>();
    carryTemplateText(a, b);
    withTemplateMemo(() => carryTemplateText(a, b), kept);
    expect(kept.has(b)).toBe(false);
  });
});
