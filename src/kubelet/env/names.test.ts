import { describe, expect, it } from 'vitest';
import { isEnvVarName, isRelaxedEnvVarName } from './names.js';

// Cases ours, rules from validation.go IsEnvVarName / hasChDirPrefix / IsRelaxedEnvVarName.
describe('isEnvVarName', () => {
  for (const ok of ['A', 'ab', 'AbC_123', '_', 'a.b', 'my.env-name', '-leading-dash', '.dot']) it(`valid ${ok}`, () => expect(isEnvVarName(ok)).toEqual([]));
  for (const bad of ['1z', '1234', 'FOO BAR', 'a=b', '', 'é']) it(`invalid ${JSON.stringify(bad)}`, () => expect(isEnvVarName(bad).length).toBeGreaterThan(0));
  it('chdir prefixes', () => {
    expect(isEnvVarName('.')).toEqual(["must not be '.'"]);
    expect(isEnvVarName('..')).toEqual(["must not be '..'"]);
    expect(isEnvVarName('..a')).toEqual(["must not start with '..'"]);
  });
  it('upstream message', () => expect(isEnvVarName('1z')[0]).toContain("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"));
});

describe('isRelaxedEnvVarName', () => {
  it('accepts printable ASCII without =', () => expect(isRelaxedEnvVarName('1z FOO-BAR!')).toEqual([]));
  it('rejects =, non-ASCII, empty', () => {
    expect(isRelaxedEnvVarName('a=b')).toHaveLength(1);
    expect(isRelaxedEnvVarName('é')).toHaveLength(1);
    expect(isRelaxedEnvVarName('')).toEqual(['environment variable name must be non-empty']);
  });
});
