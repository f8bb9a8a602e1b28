import { describe, expect, it } from 'vitest';
import {
  compareQuantity,
  formatQuantity,
  parseQuantity,
  QuantityError,
  roundUpToMilli,
  toMilli,
  toValue,
  type QuantityFormat,
} from './quantity.js';

const E9 = 1_000_000_000n;
/** decQuantity(i, exponent, format) from quantity_test.go, in nano-units. */
const dec = (i: bigint, exponent: number): bigint => (exponent + 9 >= 0 ? i * 10n ** BigInt(exponent + 9) : i / 10n ** BigInt(-(exponent + 9)));
const MAX_ALLOWED = (2n ** 63n - 1n) * E9;

describe('parseQuantity', () => {
  // quantity_test.go TestQuantityParse table: [input, expected nano, format]
  const table: [string, bigint, QuantityFormat][] = [
    ['0', 0n, 'DecimalSI'],
    ['0n', 0n, 'DecimalSI'],
    ['0u', 0n, 'DecimalSI'],
    ['0m', 0n, 'DecimalSI'],
    ['0Ki', 0n, 'BinarySI'],
    ['0k', 0n, 'DecimalSI'],
    ['0Mi', 0n, 'BinarySI'],
    ['0M', 0n, 'DecimalSI'],
    ['0Gi', 0n, 'BinarySI'],
    ['0G', 0n, 'DecimalSI'],
    ['0Ti', 0n, 'BinarySI'],
    ['0T', 0n, 'DecimalSI'],
    ['1', dec(1n, 0), 'DecimalSI'],
    ['1Ki', dec(1024n, 0), 'BinarySI'],
    ['8Ki', dec(8n * 1024n, 0), 'BinarySI'],
    ['7Mi', dec(7n * 2n ** 20n, 0), 'BinarySI'],
    ['6Gi', dec(6n * 2n ** 30n, 0), 'BinarySI'],
    ['5Ti', dec(5n * 2n ** 40n, 0), 'BinarySI'],
    ['4Pi', dec(4n * 2n ** 50n, 0), 'BinarySI'],
    ['3Ei', dec(3n * 2n ** 60n, 0), 'BinarySI'],
    ['10Ti', dec(10n * 2n ** 40n, 0), 'BinarySI'],
    ['100Ti', dec(100n * 2n ** 40n, 0), 'BinarySI'],
    ['5n', dec(5n, -9), 'DecimalSI'],
    ['4u', dec(4n, -6), 'DecimalSI'],
    ['3m', dec(3n, -3), 'DecimalSI'],
    ['9', dec(9n, 0), 'DecimalSI'],
    ['8k', dec(8n, 3), 'DecimalSI'],
    ['50k', dec(5n, 4), 'DecimalSI'],
    ['7M', dec(7n, 6), 'DecimalSI'],
    ['6G', dec(6n, 9), 'DecimalSI'],
    ['5T', dec(5n, 12), 'DecimalSI'],
    ['40T', dec(4n, 13), 'DecimalSI'],
    ['300T', dec(3n, 14), 'DecimalSI'],
    ['2P', dec(2n, 15), 'DecimalSI'],
    ['1E', dec(1n, 18), 'DecimalSI'],
    ['1E-3', dec(1n, -3), 'DecimalExponent'],
    ['1e3', dec(1n, 3), 'DecimalExponent'],
    ['1E6', dec(1n, 6), 'DecimalExponent'],
    ['1e9', dec(1n, 9), 'DecimalExponent'],
    ['1E12', dec(1n, 12), 'DecimalExponent'],
    ['1e15', dec(1n, 15), 'DecimalExponent'],
    ['1E18', dec(1n, 18), 'DecimalExponent'],
    ['1e14', dec(1n, 14), 'DecimalExponent'],
    ['1e13', dec(1n, 13), 'DecimalExponent'],
    ['100.035k', dec(100035n, 0), 'DecimalSI'],
    ['0.001', dec(1n, -3), 'DecimalSI'],
    ['0.0005k', dec(5n, -1), 'DecimalSI'],
    ['0.005', dec(5n, -3), 'DecimalSI'],
    ['0.05', dec(5n, -2), 'DecimalSI'],
    ['0.5', dec(5n, -1), 'DecimalSI'],
    ['0.00050k', dec(5n, -1), 'DecimalSI'],
    ['0.00500', dec(5n, -3), 'DecimalSI'],
    ['0.05000', dec(5n, -2), 'DecimalSI'],
    ['0.50000', dec(5n, -1), 'DecimalSI'],
    ['0.5e0', dec(5n, -1), 'DecimalExponent'],
    ['0.5e-1', dec(5n, -2), 'DecimalExponent'],
    ['0.5e-2', dec(5n, -3), 'DecimalExponent'],
    ['10.035M', dec(10035n, 3), 'DecimalSI'],
    ['1.2e3', dec(12n, 2), 'DecimalExponent'],
    ['1.3E+6', dec(13n, 5), 'DecimalExponent'],
    ['1.40e9', dec(14n, 8), 'DecimalExponent'],
    ['1.53E12', dec(153n, 10), 'DecimalExponent'],
    ['1.6e15', dec(16n, 14), 'DecimalExponent'],
    ['1.7E18', dec(17n, 17), 'DecimalExponent'],
    ['9.01', dec(901n, -2), 'DecimalSI'],
    ['8.1k', dec(81n, 2), 'DecimalSI'],
    ['7.123456M', dec(7123456n, 0), 'DecimalSI'],
    ['6.987654321G', dec(6987654321n, 0), 'DecimalSI'],
    ['5.444T', dec(5444n, 9), 'DecimalSI'],
    ['40.1T', dec(401n, 11), 'DecimalSI'],
    ['300.2T', dec(3002n, 11), 'DecimalSI'],
    ['2.5P', dec(25n, 14), 'DecimalSI'],
    ['1.01E', dec(101n, 16), 'DecimalSI'],
    // things that saturate/round
    ['3.001n', dec(4n, -9), 'DecimalSI'],
    ['1.1E-9', dec(2n, -9), 'DecimalExponent'],
    ['0.0000000001', dec(1n, -9), 'DecimalSI'],
    ['0.0000000005', dec(1n, -9), 'DecimalSI'],
    ['0.00000000050', dec(1n, -9), 'DecimalSI'],
    ['0.5e-9', dec(1n, -9), 'DecimalExponent'],
    ['0.9n', dec(1n, -9), 'DecimalSI'],
    ['0.00000012345', dec(124n, -9), 'DecimalSI'],
    ['0.00000012354', dec(124n, -9), 'DecimalSI'],
    ['9Ei', MAX_ALLOWED, 'BinarySI'],
    ['9223372036854775807Ki', MAX_ALLOWED, 'BinarySI'],
    ['12E', dec(12n, 18), 'DecimalSI'],
    // fractional binary
    ['100.035Ki', dec(10243584n, -2), 'BinarySI'],
    ['0.5Mi', dec(524288n, 0), 'BinarySI'],
    ['0.05Gi', dec(536870912n, -1), 'BinarySI'],
    ['0.025Ti', dec(274877906944n, -1), 'BinarySI'],
    // "things written by trolls"
    ['0.000000000001Ki', dec(2n, -9), 'DecimalSI'], // rounds up, changes format
    ['.001', dec(1n, -3), 'DecimalSI'],
    ['.0001k', dec(100n, -3), 'DecimalSI'],
    ['1.', dec(1n, 0), 'DecimalSI'],
    ['1.G', dec(1n, 9), 'DecimalSI'],
  ];

  it.each(table)('TestQuantityParse %j', (input, nano, format) => {
    expect(parseQuantity(input)).toEqual({ nano, format });
  });

  // TestQuantityParse: "Try the negative version of everything" and "with an explicit +"
  it.each(table)('TestQuantityParse negated / explicit + %j', (input, nano, format) => {
    expect(parseQuantity(`-${input}`)).toEqual({ nano: -nano, format });
    expect(parseQuantity(`+${input}`)).toEqual({ nano, format });
  });

  // TestQuantityParse invalid list (plus the empty string)
  it.each(['', '1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', '1e4294967297', ' 1', '1 '])(
    'TestQuantityParse invalid %j',
    (input) => {
      expect(() => parseQuantity(input)).toThrow(QuantityError);
    },
  );

  it('reports upstream messages', () => {
    const msg = (input: string): string => {
      try {
        parseQuantity(input);
      } catch (e) {
        return (e as QuantityError).detail;
      }
      return 'no error';
    };
    expect(msg('1 ')).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(msg('aoeu')).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(msg('1i')).toBe("unable to parse quantity's suffix");
    expect(msg('0.1mi')).toBe("unable to parse quantity's suffix");
    expect(msg('e-20')).toBe('unable to parse numeric part of quantity');
    expect(() => parseQuantity('2 Gi')).toThrow(/invalid quantity "2 Gi": quantities must match .*; expected a number with an optional suffix/);
  });

  it('keeps upstream fast-path quirks for inputs without digits', () => {
    // parseQuantityString returns value "0" for a lone sign; the int64 path accepts empty digits.
    expect(parseQuantity('-').nano).toBe(0n);
    expect(parseQuantity('m')).toEqual({ nano: 0n, format: 'DecimalSI' });
    expect(parseQuantity('Ki')).toEqual({ nano: 0n, format: 'BinarySI' });
    expect(() => parseQuantity('Ei')).toThrow(/unable to parse numeric part/);
  });

  it('accepts YAML numbers', () => {
    expect(parseQuantity(0.5)).toEqual({ nano: 500_000_000n, format: 'DecimalSI' });
    expect(parseQuantity(2)).toEqual({ nano: 2n * E9, format: 'DecimalSI' });
    expect(parseQuantity(1e21)).toEqual({ nano: 10n ** 30n, format: 'DecimalExponent' });
    expect(() => parseQuantity(Number.NaN)).toThrow(QuantityError);
  });

  it('rounds negative values away from zero', () => {
    expect(parseQuantity('-3.001n').nano).toBe(-4n);
  });

  it('handles extreme exponents without blowing up', () => {
    expect(parseQuantity('1e-2147483647')).toEqual({ nano: 1n, format: 'DecimalExponent' });
    expect(parseQuantity('0e2147483647').nano).toBe(0n);
    expect(() => parseQuantity('1e2147483647')).toThrow(/too large for the simulator/);
  });
});

describe('formatQuantity', () => {
  // quantity_test.go TestQuantityParseEmit
  it.each([
    ['1Ki', '1Ki'],
    ['1Mi', '1Mi'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
  ])('TestQuantityParseEmit %j → %j', (input, out) => {
    expect(formatQuantity(parseQuantity(input))).toBe(out);
    expect(formatQuantity(parseQuantity(`-${input}`))).toBe(`-${out}`);
  });

  // quantity_test.go TestQuantityString (values built from decQuantity)
  it.each<[bigint, QuantityFormat, string]>([
    [dec(1024n * 1024n * 1024n, 0), 'BinarySI', '1Gi'],
    [dec(300n * 1024n * 1024n, 0), 'BinarySI', '300Mi'],
    [dec(6n * 1024n, 0), 'BinarySI', '6Ki'],
    [dec(1001n * 1024n * 1024n * 1024n, 0), 'BinarySI', '1001Gi'],
    [dec(1024n ** 4n, 0), 'BinarySI', '1Ti'],
    [dec(5n, 0), 'BinarySI', '5'],
    [dec(500n, -3), 'BinarySI', '500m'],
    [dec(1n, 9), 'DecimalSI', '1G'],
    [dec(1000n, 6), 'DecimalSI', '1G'],
    [dec(1000000n, 3), 'DecimalSI', '1G'],
    [dec(1000000000n, 0), 'DecimalSI', '1G'],
    [dec(1n, -3), 'DecimalSI', '1m'],
    [dec(80n, -3), 'DecimalSI', '80m'],
    [dec(1080n, -3), 'DecimalSI', '1080m'],
    [dec(108n, -2), 'DecimalSI', '1080m'],
    [dec(10800n, -4), 'DecimalSI', '1080m'],
    [dec(300n, 6), 'DecimalSI', '300M'],
    [dec(1n, 12), 'DecimalSI', '1T'],
    [dec(1n, 18), 'DecimalSI', '1E'],
    [dec(1n, 21), 'DecimalSI', '1e21'],
    [dec(5n, 21), 'DecimalSI', '5e21'],
    [dec(1n, 24), 'DecimalSI', '1e24'],
    [dec(1234567n, 6), 'DecimalSI', '1234567M'],
    [dec(1234567n, -3), 'BinarySI', '1234567m'],
    [dec(3n, 3), 'DecimalSI', '3k'],
    [dec(1025n, 0), 'BinarySI', '1025'],
    [0n, 'DecimalSI', '0'],
    [0n, 'BinarySI', '0'],
    [dec(1n, 9), 'DecimalExponent', '1e9'],
    [dec(1n, -3), 'DecimalExponent', '1e-3'],
    [dec(1n, -9), 'DecimalExponent', '1e-9'],
    [dec(80n, -3), 'DecimalExponent', '80e-3'],
    [dec(300n, 6), 'DecimalExponent', '300e6'],
    [dec(1n, 12), 'DecimalExponent', '1e12'],
    [dec(1n, 3), 'DecimalExponent', '1e3'],
    [dec(3n, 3), 'DecimalExponent', '3e3'],
    [0n, 'DecimalExponent', '0'],
    [dec(1n, -9), 'DecimalSI', '1n'],
    [dec(80n, -9), 'DecimalSI', '80n'],
    [dec(1080n, -9), 'DecimalSI', '1080n'],
    [dec(1n, -6), 'DecimalSI', '1u'],
    [dec(80n, -6), 'DecimalSI', '80u'],
    [dec(1080n, -6), 'DecimalSI', '1080u'],
    // TestBinarySIZeroExponentString
    [dec(2000n, 0), 'BinarySI', '2000'],
  ])('TestQuantityString %#', (nano, format, want) => {
    expect(formatQuantity({ nano, format })).toBe(want);
    if (nano !== 0n) expect(formatQuantity({ nano: -nano, format })).toBe(`-${want}`);
    // canonical strings parse back to the same value
    expect(parseQuantity(want).nano).toBe(nano);
  });

  // TestQuantityString alternates: non-canonical inputs emit the canonical form
  it.each([
    ['1024Mi', '1Gi'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['1000E', '1e21'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['00', '0'],
    ['1.5', '1500m'],
    ['1.5Gi', '1536Mi'],
    ['100.035Ki', '102435840m'],
  ])('canonicalizes %j → %j', (input, want) => {
    expect(formatQuantity(parseQuantity(input))).toBe(want);
  });

  it('prints the BinarySI cap as a plain integer', () => {
    expect(formatQuantity(parseQuantity('9Ei'))).toBe('9223372036854775807');
  });
});

describe('toMilli / toValue / compareQuantity', () => {
  it('MilliValue and Value round up in magnitude', () => {
    expect(toMilli(parseQuantity('250m'))).toBe(250n);
    expect(toMilli(parseQuantity('0.5'))).toBe(500n);
    expect(toMilli(parseQuantity('1n'))).toBe(1n);
    expect(toMilli(parseQuantity('-1n'))).toBe(-1n);
    expect(toMilli(parseQuantity('10Ti'))).toBe(10n * 2n ** 40n * 1000n); // past 2^53, still exact
    expect(toValue(parseQuantity('1500m'))).toBe(2n);
    expect(toValue(parseQuantity('128Mi'))).toBe(134217728n);
    expect(toValue(parseQuantity('-0.5'))).toBe(-1n);
    expect(toValue(parseQuantity('2'))).toBe(2n);
  });

  // quantity_test.go TestQuantityCmp
  it.each<[string, string, number]>([
    ['0', '0', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
    ['1Gi', '1024Mi', 0],
    ['1G', '1Gi', -1],
  ])('TestQuantityCmp %j vs %j', (a, b, want) => {
    expect(compareQuantity(parseQuantity(a), parseQuantity(b))).toBe(want);
  });

  // quantity_test.go TestQuantityRoundUp (scale -3, as SetDefaults_ResourceList uses)
  it('roundUpToMilli', () => {
    expect(roundUpToMilli(parseQuantity('9.01')).nano).toBe(dec(901n, -2));
    expect(roundUpToMilli(parseQuantity('0.1m')).nano).toBe(dec(1n, -3));
    expect(formatQuantity(roundUpToMilli(parseQuantity('100.5u')))).toBe('1m');
    expect(roundUpToMilli(parseQuantity('-0.1m')).nano).toBe(-dec(1n, -3));
  });
});
