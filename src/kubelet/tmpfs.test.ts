import { describe, expect, it } from 'vitest';
import { exceedsMemoryLimit, isMemoryMedium, volumeBytes } from './tmpfs.js';
import { SharedVolume } from './exec/fs.js';

describe('tmpfs accounting (emptyDir medium: Memory)', () => {
  it('counts the UTF-8 bytes of every file', () => {
    const v = new SharedVolume();
    v.replaceAll({ a: 'abc', 'd/b': 'é' });
    expect(volumeBytes(v)).toBe(5);
  });
  it('only medium Memory is a tmpfs', () => {
    expect(isMemoryMedium({ emptyDir: { medium: 'Memory' } })).toBe(true);
    expect(isMemoryMedium({ emptyDir: {} })).toBe(false);
  });
  it('app memory plus tmpfs must stay within the limit; no limit never OOMs', () => {
    expect(exceedsMemoryLimit(60, 4, 64)).toBe(false);
    expect(exceedsMemoryLimit(60, 5, 64)).toBe(true);
    expect(exceedsMemoryLimit(1e12, 1e12, undefined)).toBe(false);
  });
});
