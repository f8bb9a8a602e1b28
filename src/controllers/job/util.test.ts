// minorAtLeast parses each version string once: its answers must be those of parsing every time.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { minorAtLeast } from './util.js';

describe('minorAtLeast', () => {
  it('answers as parsing the version each time, asked once or many times', () => {
    const parse = (version: string, min: number) => {
      const [major, minor] = version.split('.').map(Number);
      return major > 1 || (major === 1 && minor >= min);
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 100 }), (cases) => {
        for (const [major, minor, min] of cases) {
          const v = `${major}.${minor}.0`;
          expect(minorAtLeast(v, min)).toBe(parse(v, min));
          expect(minorAtLeast(v, min)).toBe(parse(v, min));
        }
      }),
    );
    expect(minorAtLeast('1.31.0', 31)).toBe(true);
    expect(minorAtLeast('1.30.2', 31)).toBe(false);
    expect(minorAtLeast('2.0.0', 99)).toBe(true);
  });
});
