import { describe, expect, it } from 'vitest';
import { ComparatorError, numericValue, parseComparator } from './compare.js';

const t = (spec: unknown, actual: unknown) => parseComparator(spec).test(actual);

describe('parseComparator', () => {
  it('treats plain values as equality, numbers and numeric strings alike', () => {
    expect(t(3, 3)).toBe(true);
    expect(t(3, '3')).toBe(true);
    expect(t('3', 3)).toBe(true);
    expect(t(3, 4)).toBe(false);
    expect(t('Running', 'Running')).toBe(true);
    expect(t('Running', 'running')).toBe(false);
    expect(t(3, '500m')).toBe(false);
    // two strings compare as text: version labels must not collapse numerically
    expect(t('1.10', '1.1')).toBe(false);
    expect(t('!=1.10', '1.1')).toBe(true);
    expect(t(1.1, '1.10')).toBe(true);
  });

  it('matches booleans against Kubernetes condition strings "True"/"False"', () => {
    expect(t(true, true)).toBe(true);
    expect(t(true, 'True')).toBe(true);
    expect(t(false, 'False')).toBe(true);
    expect(t(true, 'False')).toBe(false);
    expect(t(true, 1)).toBe(false);
  });

  it('null means absent or null', () => {
    expect(t(null, null)).toBe(true);
    expect(t(null, undefined)).toBe(true);
    expect(t(null, 0)).toBe(false);
    expect(parseComparator(null).describe()).toBe('absent or null');
  });

  it('compares numerically with >=, >, <=, <, with or without spaces', () => {
    expect(t('>=2', 2)).toBe(true);
    expect(t('>=2', '3')).toBe(true);
    expect(t('>=2', 1)).toBe(false);
    expect(t('>2', 2)).toBe(false);
    expect(t('> 2', 2.5)).toBe(true);
    expect(t('<5', 4)).toBe(true);
    expect(t('<5', 5)).toBe(false);
    expect(t('<=5', 5)).toBe(true);
    expect(t('<=0.5', '0.25')).toBe(true);
  });

  it('numeric comparators on non-numeric actuals are a mismatch, not a crash', () => {
    for (const spec of ['>=2', '<5', '2..4']) {
      expect(t(spec, '500m')).toBe(false);
      expect(t(spec, undefined)).toBe(false);
      expect(t(spec, { a: 1 })).toBe(false);
      expect(t(spec, true)).toBe(false);
    }
  });

  it('supports != and ==', () => {
    expect(t('!=0', 1)).toBe(true);
    expect(t('!=0', 0)).toBe(false);
    expect(t('!=0', '0')).toBe(false);
    expect(t('!=Pending', 'Running')).toBe(true);
    expect(t('==3', 3)).toBe(true);
    expect(t('== 3', '3')).toBe(true);
    expect(t('==Running', 'Running')).toBe(true);
  });

  it('supports inclusive ranges', () => {
    expect(t('2..4', 2)).toBe(true);
    expect(t('2..4', 4)).toBe(true);
    expect(t('2..4', '3')).toBe(true);
    expect(t('2..4', 5)).toBe(false);
    expect(t('-1..1', 0)).toBe(true);
    expect(parseComparator('2..4').describe()).toBe('between 2 and 4');
  });

  it('supports /regex/ with flags', () => {
    expect(t('/^web-/', 'web-abc')).toBe(true);
    expect(t('/^web-/', 'api-abc')).toBe(false);
    expect(t('/abc/i', 'xABCx')).toBe(true);
    expect(t('/^\\d+$/', 42)).toBe(true);
    expect(t('/x/', { x: 1 })).toBe(false);
    // g would make RegExp.test stateful; repeated tests must agree
    const g = parseComparator('/a/g');
    expect([g.test('a'), g.test('a'), g.test('a')]).toEqual([true, true, true]);
    expect(parseComparator('/abc/i').describe()).toBe('matching /abc/i');
  });

  it('keeps path-like strings literal', () => {
    expect(t('/var/log', '/var/log')).toBe(true);
    expect(t('/var/log', 'var')).toBe(false);
    expect(t('/healthz', '/healthz')).toBe(true);
  });

  it('a leading "=" escapes operator-looking text', () => {
    expect(t('=>=2', '>=2')).toBe(true);
    expect(t('=>=2', 3)).toBe(false);
    expect(t('=/abc/i', '/abc/i')).toBe(true);
    expect(t('=2..4', '2..4')).toBe(true);
    expect(t('=2..4', 3)).toBe(false);
  });

  it('describes itself in ASCII', () => {
    expect(parseComparator('>=2').describe()).toBe('>= 2');
    expect(parseComparator('<5').describe()).toBe('< 5');
    expect(parseComparator('!=0').describe()).toBe('!= 0');
    expect(parseComparator(3).describe()).toBe('3');
    expect(parseComparator('Running').describe()).toBe('"Running"');
    expect(parseComparator('=>=2').describe()).toBe('">=2"');
  });

  it('rejects malformed specs with a hint', () => {
    expect(() => parseComparator('>=abc')).toThrow(ComparatorError);
    expect(() => parseComparator('>=abc')).toThrow(/expected a number after ">="/);
    expect(() => parseComparator('4..2')).toThrow(/range is empty/);
    expect(() => parseComparator('/(/')).toThrow(/invalid regular expression/);
    expect(() => parseComparator({ a: 1 })).toThrow(ComparatorError);
    let caught: unknown;
    try {
      parseComparator('<html>');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ComparatorError);
    expect((caught as ComparatorError).hint).toMatch(/start a string with "="/);
  });

  it('numericValue reads numbers and plain decimal strings only', () => {
    expect(numericValue(' 3 ')).toBe(3);
    expect(numericValue('1e3')).toBe(1000);
    expect(numericValue('500m')).toBeUndefined();
    expect(numericValue('')).toBeUndefined();
    expect(numericValue(Number.NaN)).toBeUndefined();
  });
});
