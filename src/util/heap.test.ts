import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BinaryHeap } from './heap.js';

describe('BinaryHeap', () => {
  it('property: pops every pushed item in `less` order, interleaved pushes and pops included', () => {
    type Item = { v: number; seq: number };
    const less = (a: Item, b: Item) => a.v < b.v || (a.v === b.v && a.seq < b.seq);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(null))), (ops) => {
        const h = new BinaryHeap<Item>(less);
        const model: Item[] = [];
        ops.forEach((op, seq) => {
          if (op === null) {
            model.sort((a, b) => (less(a, b) ? -1 : 1));
            expect(h.peek()).toBe(model[0]);
            expect(h.pop()).toBe(model.shift());
          } else {
            const x = { v: op, seq };
            h.push(x);
            model.push(x);
          }
          expect(h.length).toBe(model.length);
        });
      }),
    );
  });
});
