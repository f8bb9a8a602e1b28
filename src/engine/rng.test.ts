import { describe, expect, it } from 'vitest';
import { Rng, cyrb128, deriveSeed } from './rng.js';

function draws(r: Rng, n: number): number[] {
  return Array.from({ length: n }, () => r.nextUint32());
}

describe('Rng', () => {
  it('gives the same sequence for the same seed and stream', () => {
    expect(draws(new Rng(7, 'a'), 50)).toEqual(draws(new Rng(7, 'a'), 50));
    expect(draws(new Rng(7).fork('x'), 20)).toEqual(draws(new Rng(7, 'root/x'), 20));
  });

  it('gives different sequences for different seeds or streams', () => {
    expect(draws(new Rng(7, 'a'), 10)).not.toEqual(draws(new Rng(8, 'a'), 10));
    expect(draws(new Rng(7, 'a'), 10)).not.toEqual(draws(new Rng(7, 'b'), 10));
    expect(draws(new Rng(7).fork('a'), 10)).not.toEqual(draws(new Rng(7).fork('b'), 10));
  });

  it("fork('a') does not depend on draws made from fork('b') or from the parent", () => {
    const untouched = draws(new Rng(99).fork('a'), 20);
    const root = new Rng(99);
    const b = root.fork('b');
    draws(b, 1000);
    draws(root, 1000);
    expect(draws(root.fork('a'), 20)).toEqual(untouched);
    // forks nest by path
    expect(draws(root.fork('a').fork('c'), 5)).toEqual(draws(new Rng(99, 'root/a/c'), 5));
  });

  it('int(n) stays in [0, n) and reaches every value', () => {
    const r = new Rng(1, 'int');
    for (const n of [1, 2, 3, 7, 27, 1000]) {
      const seen = new Set<number>();
      let bad = 0;
      for (let i = 0; i < 5000; i++) {
        const x = r.int(n);
        if (!Number.isInteger(x) || x < 0 || x >= n) bad++;
        seen.add(x);
      }
      expect(bad).toBe(0);
      if (n <= 27) expect(seen.size).toBe(n);
    }
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(-1)).toThrow(RangeError);
    expect(() => r.int(2.5)).toThrow('Rng.int needs a positive integer, got 2.5');
  });

  it('between(min, max) is inclusive on both ends; an empty range gives min', () => {
    const r = new Rng(3, 'between');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(r.between(10, 14));
    expect([...seen].sort()).toEqual([10, 11, 12, 13, 14]);
    expect(r.between(5, 5)).toBe(5);
    expect(r.between(9, 2)).toBe(9);
  });

  it('float() is in [0, 1) and pick() returns an element', () => {
    const r = new Rng(5, 'f');
    const fs = Array.from({ length: 1000 }, () => r.float());
    expect(fs.every((f) => f >= 0 && f < 1)).toBe(true);
    const items = ['a', 'b', 'c'];
    const picked = new Set(Array.from({ length: 200 }, () => r.pick(items)));
    expect([...picked].sort()).toEqual(items);
  });

  it('cyrb128 and deriveSeed are pure functions of their input', () => {
    expect(cyrb128('hello')).toEqual(cyrb128('hello'));
    expect(cyrb128('hello')).not.toEqual(cyrb128('hellp'));
    const s = deriveSeed('scenarios/a.yaml', 'name');
    expect(s).toBe(deriveSeed('scenarios/a.yaml', 'name'));
    expect(s).toBeGreaterThanOrEqual(0);
    expect(s).toBeLessThanOrEqual(0x7fffffff);
    // parts are separated, so ('ab','c') and ('a','bc') differ
    expect(deriveSeed('ab', 'c')).not.toBe(deriveSeed('a', 'bc'));
  });
});
