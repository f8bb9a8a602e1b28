// Translated from client-go util/workqueue/default_rate_limiters_test.go (durations in ms), plus
// the token bucket's reservation arithmetic (golang.org/x/time/rate Limiter.Reserve().Delay()).

import { describe, expect, it } from 'vitest';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter, type RateLimiter } from './rate_limiters.js';

/** ItemFastSlowRateLimiter, only for TestMaxOfRateLimiter (no controller uses it) */
class ItemFastSlowRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  constructor(private readonly fast: number, private readonly slow: number, private readonly maxFast: number) {}
  when(item: string): number {
    const n = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, n);
    return n <= this.maxFast ? this.fast : this.slow;
  }
  forget(item: string): void {
    this.failures.delete(item);
  }
  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles per item and starts over after Forget (TestItemExponentialFailureRateLimiter)', () => {
    const l = new ItemExponentialFailureRateLimiter(1, 1000);
    expect([1, 2, 3, 4, 5].map(() => l.when('one'))).toEqual([1, 2, 4, 8, 16]);
    expect(l.numRequeues('one')).toBe(5);
    expect(l.when('two')).toBe(1);
    expect(l.when('two')).toBe(2);
    expect(l.numRequeues('two')).toBe(2);
    l.forget('one');
    expect(l.numRequeues('one')).toBe(0);
    expect(l.when('one')).toBe(1);
  });

  it('caps at maxDelay without overflowing (TestItemExponentialFailureRateLimiterOverFlow)', () => {
    let l = new ItemExponentialFailureRateLimiter(1, 1000 * 1000);
    for (let i = 0; i < 5; i++) l.when('one');
    expect(l.when('one')).toBe(32);
    for (let i = 0; i < 1000; i++) l.when('overflow1');
    expect(l.when('overflow1')).toBe(1000 * 1000);
    const minute = 60_000;
    l = new ItemExponentialFailureRateLimiter(minute, 1000 * 60 * minute);
    for (let i = 0; i < 2; i++) l.when('two');
    expect(l.when('two')).toBe(4 * minute);
    for (let i = 0; i < 1000; i++) l.when('overflow2');
    expect(l.when('overflow2')).toBe(1000 * 60 * minute);
  });
});

describe('MaxOfRateLimiter', () => {
  it('waits the longest of its limiters and forgets in all (TestMaxOfRateLimiter)', () => {
    const l = new MaxOfRateLimiter(new ItemFastSlowRateLimiter(5, 3000, 3), new ItemExponentialFailureRateLimiter(1, 1000));
    expect([1, 2, 3, 4, 5].map(() => l.when('one', 0))).toEqual([5, 5, 5, 3000, 3000]);
    expect(l.numRequeues('one')).toBe(5);
    expect(l.when('two', 0)).toBe(5);
    expect(l.when('two', 0)).toBe(5);
    expect(l.numRequeues('two')).toBe(2);
    l.forget('one');
    expect(l.numRequeues('one')).toBe(0);
    expect(l.when('one', 0)).toBe(5);
  });
});

describe('BucketRateLimiter (rate.NewLimiter(10, 100))', () => {
  it('lets a full burst through, then one token per 100 ms', () => {
    const l = new BucketRateLimiter(10, 100);
    for (let i = 0; i < 100; i++) expect(l.when(`k${i}`, 0)).toBe(0);
    // the 101st and later reservations queue behind each other
    expect(l.when('a', 0)).toBe(100);
    expect(l.when('b', 0)).toBe(200);
    // 250 ms later the two waiting reservations are paid and 0.5 token has refilled
    expect(l.when('c', 250)).toBe(50);
    expect(l.numRequeues('a')).toBe(0);
  });

  it('refills to the burst and no further', () => {
    const l = new BucketRateLimiter(10, 100);
    for (let i = 0; i < 150; i++) l.when('x', 0);
    // 50 tokens owed; after 60 s the bucket is full again (100), not 550
    for (let i = 0; i < 100; i++) expect(l.when('x', 60_000)).toBe(0);
    expect(l.when('x', 60_000)).toBe(100);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('is 5 ms doubling per key up to 1000 s, and 10 qps past a burst of 100 overall', () => {
    const l = defaultControllerRateLimiter();
    expect([1, 2, 3, 4].map(() => l.when('rs', 0))).toEqual([5, 10, 20, 40]);
    for (let i = 0; i < 30; i++) l.when('rs', 0);
    expect(l.when('rs', 0)).toBe(1000 * 1000);
    l.forget('rs');
    expect(l.numRequeues('rs')).toBe(0);
    // 35 tokens spent so far: 65 more keys go at their per-key 5 ms, then the bucket decides
    for (let i = 0; i < 65; i++) expect(l.when(`key-${i}`, 0)).toBe(5);
    expect(l.when('late', 0)).toBe(100);
  });
});
