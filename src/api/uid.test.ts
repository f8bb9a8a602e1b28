import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatUid, hexInteger } from './uid.js';

/** the uid as newUid printed it before formatUid: the words printed, then sliced */
function sliced(x0: number, x1: number, x2: number, x3: number): string {
  const hex8 = (x: number) => x.toString(16).padStart(8, '0');
  const w0 = hex8(x0), w1 = hex8(x1), w2 = hex8(x2), w3 = hex8(x3);
  const variant = (8 + (parseInt(w2[0], 16) & 3)).toString(16);
  return `${w0}-${w1.slice(0, 4)}-4${w1.slice(5, 8)}-${variant}${w2.slice(1, 4)}-${w2.slice(4)}${w3}`;
}

describe('formatUid', () => {
  it('prints what slicing the printed words printed', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(fc.property(u32, u32, u32, u32, (a, b, c, d) => {
      expect(formatUid(a, b, c, d)).toBe(sliced(a, b, c, d));
    }), { numRuns: 2000 });
    for (const x of [0, 0xffffffff, 0x80000000, 0x7fffffff]) expect(formatUid(x, x, x, x)).toBe(sliced(x, x, x, x));
  });
});

describe('hexInteger', () => {
  it('prints what toString(16) prints', () => {
    fc.assert(fc.property(fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.nat(1e9).map((ms) => 0x1800000000 + ms * 1000)), (n) => {
      expect(hexInteger(n)).toBe(n.toString(16));
    }), { numRuns: 3000 });
    for (const n of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, 2 ** 53, 1.5, -3]) expect(hexInteger(n)).toBe(n.toString(16));
  });
});
