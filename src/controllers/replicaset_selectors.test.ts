// The ReplicaSet controller's cached selectors and its template-label test answer as what they
// replace: selectorFromSet built on every call, and Object.entries(template).every(...).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectorFromSet } from '../api/labels.js';
import { hasLabels, setSelectorOfStored } from './replicaset.js';

const labelSet = fc.dictionary(fc.constantFrom('app', 'tier', 'env', 'constructor', 'x'), fc.constantFrom('a', 'b', ''), { maxKeys: 4 });

describe('ReplicaSet controller helpers', () => {
  it('setSelectorOfStored matches as selectorFromSet, and is built once per selector object', () => {
    fc.assert(
      fc.property(labelSet, fc.option(labelSet, { nil: undefined }), (set, labels) => {
        const sel = setSelectorOfStored(set);
        expect(setSelectorOfStored(set)).toBe(sel);
        const ref = selectorFromSet(set);
        expect(sel.empty()).toBe(ref.empty());
        expect(sel.matches(labels ?? {})).toBe(ref.matches(labels ?? {}));
      }),
      { numRuns: 300 },
    );
  });

  it('hasLabels answers as Object.entries(template).every over the pod labels (none read as {})', () => {
    fc.assert(
      fc.property(labelSet, fc.option(labelSet, { nil: undefined }), (template, labels) => {
        const l = labels ?? {};
        const ref = Object.entries(template).every(([k, v]) => l[k] === v);
        expect(hasLabels(labels, template, Object.keys(template))).toBe(ref);
      }),
      { numRuns: 300 },
    );
  });
});
