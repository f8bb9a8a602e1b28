import { describe, expect, it } from 'vitest';
import { generateName, MAX_GENERATED_NAME_BASE_LENGTH, NAME_ALPHABET } from './names.js';

it('uses the util/rand alphabet', () => expect(NAME_ALPHABET).toBe('bcdfghjklmnpqrstvwxz2456789'));

/** A fixed fake source cycling through the given indices. */
function fakeSource(indices: number[]): (n: number) => number {
  let i = 0;
  return (n: number) => indices[i++ % indices.length] % n;
}

describe('generateName', () => {
  it('appends five characters from the upstream alphabet', () => {
    expect(generateName('web-', fakeSource([0, 1, 2, 3, 26]))).toBe('web-bcdf9');
  });

  it('asks the source for indices below 27', () => {
    const asked: number[] = [];
    generateName('x-', (n) => {
      asked.push(n);
      return 0;
    });
    expect(asked).toEqual([27, 27, 27, 27, 27]);
  });

  it('is deterministic for the same source', () => {
    const a = generateName('web-7d9f-', fakeSource([5, 8, 13, 21, 3]));
    const b = generateName('web-7d9f-', fakeSource([5, 8, 13, 21, 3]));
    expect(a).toBe(b);
    expect(a).toBe('web-7d9f-hlr4f');
  });

  it('truncates the base to 58 characters so the name fits 63', () => {
    const base = `${'a'.repeat(70)}-`;
    const name = generateName(base, fakeSource([0]));
    expect(name).toHaveLength(63);
    expect(name.slice(0, MAX_GENERATED_NAME_BASE_LENGTH)).toBe('a'.repeat(58));
    expect(name.slice(58)).toBe('bbbbb');
    expect(generateName('a'.repeat(58), fakeSource([0]))).toHaveLength(63);
  });

  it('only ever uses the alphabet', () => {
    let seed = 7;
    const lcg = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 200; i++) {
      expect(generateName('p-', lcg).slice(2)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    }
  });

  it('rejects a source that returns out-of-range values', () => {
    expect(() => generateName('x-', () => 27)).toThrow(RangeError);
    expect(() => generateName('x-', () => 1.5)).toThrow(/integer in \[0, 27\)/);
  });
});
