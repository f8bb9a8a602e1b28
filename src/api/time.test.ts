import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { timestamp } from './time.js';

describe('timestamp', () => {
  it('prints the whole second of any instant, whatever was printed before (cached seconds included)', () => {
    // seconds 4096 apart share a cache slot
    const ms = fc.oneof(fc.integer({ min: 0, max: 10_000_000_000 }), fc.nat(20).map((k) => k * 4096 * 1000 + 1500));
    fc.assert(fc.property(fc.array(ms, { minLength: 1, maxLength: 30 }), (instants) => {
      for (const t of instants) expect(timestamp(t)).toBe(new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    }), { numRuns: 300 });
    expect(timestamp(5999)).toBe('1970-01-01T00:00:05Z');
  });
});
