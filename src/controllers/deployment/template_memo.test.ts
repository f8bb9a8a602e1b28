// withTemplateMemo (util.ts): inside one sync the canonical text of a template is remembered by
// object; the answers must be those computed afresh, and nothing is remembered after the sync.
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
