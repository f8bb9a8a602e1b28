import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration, parseDurationRange } from './duration.js';

describe('parseDuration', () => {
  // Cases from Go's src/time/time_test.go parseDurationTests that are whole milliseconds.
  it.each<[string, number]>([
    ['0', 0],
    ['5s', 5000],
    ['30s', 30_000],
    ['1478s', 1_478_000],
    ['+5s', 5000],
    ['+0', 0],
    ['5.0s', 5000],
    ['5.6s', 5600],
    ['5.s', 5000],
    ['.5s', 500],
    ['1.0s', 1000],
    ['1.00s', 1000],
    ['1.004s', 1004],
    ['1.0040s', 1004],
    ['100.00100s', 100_001],
    ['1000000ns', 1],
    ['1000us', 1],
    ['1000µs', 1], // U+00B5
    ['1000μs', 1], // U+03BC
    ['500ms', 500],
    ['10ms', 10],
    ['13ms', 13],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['3h30m', 12_600_000],
    ['10.5s4m', 250_500],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['39h9m14.425s', 140_954_425],
    ['52763797000000ns', 52_763_797],
    ['0.5h', 1_800_000],
    ['1.0000000001s', 1000], // below 1ns: truncated, as Go does
    ['0s', 0],
    ['0ms', 0],
  ])('%j → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  // Go's parseDurationErrorTests, plus the simulator's own restrictions.
  it.each(['', '3', '-', 's', '.', '-.', '.s', '+.s', '1d', '\x85\x85', '1.5', '1h30', '5 s', ' 5s', '9223372036854775810ns', '0.3333333333333333333h' /* = 1199999999999ns after Go's truncation */])(
    'rejects %j',
    (text) => {
      expect(() => parseDuration(text)).toThrow(DurationError);
    },
  );

  it('explains what is wrong and what is accepted', () => {
    expect(() => parseDuration('30')).toThrow(/invalid duration "30": missing unit; expected a Go duration such as "500ms"/);
    expect(() => parseDuration('3d')).toThrow(/unknown unit "d"/);
    expect(() => parseDuration('-1s')).toThrow(/must not be negative/);
    expect(() => parseDuration('1500us')).toThrow(/whole milliseconds/);
    expect(() => parseDuration('1ns')).toThrow(/whole milliseconds/);
    expect(() => parseDuration(30 as unknown as string)).toThrow(/durations must be strings/);
  });
});

describe('formatDuration', () => {
  // Go's src/time/time_test.go durationTests (the whole-millisecond and sub-ms ones)
  it.each<[number, string]>([
    [0, '0s'],
    [0.000001, '1ns'],
    [0.0011, '1.1µs'],
    [2.2, '2.2ms'],
    [500, '500ms'],
    [1, '1ms'],
    [3300, '3.3s'],
    [1500, '1.5s'],
    [4 * 60_000 + 5000, '4m5s'],
    [4 * 60_000 + 5001, '4m5.001s'],
    [5 * 3_600_000 + 6 * 60_000 + 7001, '5h6m7.001s'],
    [8 * 60_000 + 1, '8m0.001s'],
    [90_000, '1m30s'],
    [7_200_000, '2h0m0s'],
    [60_000, '1m0s'],
    [-1500, '-1.5s'],
  ])('%d ms → %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips with parseDuration', () => {
    for (const ms of [0, 1, 999, 1000, 61_001, 3_600_000, 86_400_000, 123_456_789]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});

describe('parseDurationRange', () => {
  it('accepts a single duration', () => {
    expect(parseDurationRange('2s')).toEqual({ min: 2000, max: 2000 });
  });
  it('accepts min..max', () => {
    expect(parseDurationRange('0s..2s')).toEqual({ min: 0, max: 2000 });
    expect(parseDurationRange('1.5s..2.5s')).toEqual({ min: 1500, max: 2500 });
    expect(parseDurationRange('500ms .. 1m')).toEqual({ min: 500, max: 60_000 });
    expect(parseDurationRange('1s..1s')).toEqual({ min: 1000, max: 1000 });
  });
  it('rejects reversed and malformed ranges', () => {
    expect(() => parseDurationRange('3s..1s')).toThrow(/minimum \(3s\) is greater than the maximum \(1s\)/);
    expect(() => parseDurationRange('1..2s')).toThrow(/missing unit/);
    expect(() => parseDurationRange('..2s')).toThrow(DurationError);
    expect(() => parseDurationRange('1s..')).toThrow(DurationError);
  });
});
