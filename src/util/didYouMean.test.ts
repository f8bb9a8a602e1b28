import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './didYouMean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['kubectl', 'kubectl', 0],
    ['kubctl', 'kubectl', 1], // deletion
    ['kubectll', 'kubectl', 1], // insertion
    ['kubectx', 'kubectl', 1], // substitution
    ['nmae', 'name', 1], // adjacent swap counts once
    ['abc', '', 3],
    ['iptable', 'ipvs', 5],
  ])('%s -> %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const keys = ['name', 'at', 'after', 'kubectl', 'apply', 'create', 'delete'];
  it('suggests the closest candidate within two edits', () => {
    expect(didYouMean('kubctl', keys)).toBe('kubectl');
    expect(didYouMean('delte', keys)).toBe('delete');
    expect(didYouMean('aplly', keys)).toBe('apply');
  });
  it('allows one edit only for short words, so unrelated short keys are not suggested', () => {
    expect(didYouMean('nmae', keys)).toBe('name');
    expect(didYouMean('ax', keys)).toBe('at');
    expect(didYouMean('xyz', keys)).toBeUndefined();
    expect(didYouMean('as', ['at', 'ab'])).toBe('at'); // tie: first candidate wins
  });
  it('matches case-only differences', () => {
    expect(didYouMean('KubeCtl', keys)).toBe('kubectl');
    expect(didYouMean('Iptables', ['iptables', 'ipvs'])).toBe('iptables');
  });
  it('returns nothing for far-off words or an exact match', () => {
    expect(didYouMean('teleport', keys)).toBeUndefined();
    expect(didYouMean('kubectl', ['kubectl'])).toBeUndefined();
  });
});
