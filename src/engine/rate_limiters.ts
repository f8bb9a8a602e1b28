// The work queue's retry rate limiters, after client-go util/workqueue/default_rate_limiters.go,
// in virtual milliseconds. None of them draws from an rng: upstream's have no jitter.
//
// A controller whose sync fails requeues the key with AddRateLimited(key), which waits
// When(key); a sync that succeeds calls Forget(key), which resets the key's failure count.

export interface RateLimiter {
  /** how long `item` should wait (ms) before it is added again; counts one more failure */
  when(item: string, now: number): number;
  /** the item is done being retried (success or given up): stop tracking it */
  forget(item: string): void;
  /** how many failures the item has had */
  numRequeues(item: string): number;
}

/** ItemExponentialFailureRateLimiter: baseDelay * 2^failures, capped at maxDelay; per item */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseDelayMs: number,
    private readonly maxDelayMs: number,
  ) {}

  when(item: string): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    // upstream caps the float before converting it to a Duration so it never overflows;
    // 2^exp becomes Infinity in a double past exp 1023, which the cap also catches
    const backoff = this.baseDelayMs * 2 ** exp;
    return backoff > this.maxDelayMs ? this.maxDelayMs : backoff;
  }

  forget(item: string): void {
    this.failures.delete(item);
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * BucketRateLimiter: one token bucket for the whole queue (golang.org/x/time/rate
 * Limiter.Reserve().Delay()). The bucket starts full; each When reserves a token, and when none
 * is left the reservation is still made, the wait being the time until that token refills.
 * Kept in "token-milliseconds" (one token = 1000/qps ms) so that integer virtual times give
 * exact integer waits, as rate's float arithmetic does for these values.
 */
export class BucketRateLimiter implements RateLimiter {
  private readonly msPerToken: number;
  private readonly capacityMs: number;
  /** the bucket's content, in ms of refill; negative while reservations wait */
  private creditMs: number;
  private last = 0;

  constructor(qps: number, burst: number) {
    this.msPerToken = 1000 / qps;
    this.capacityMs = burst * this.msPerToken;
    this.creditMs = this.capacityMs;
  }

  when(_item: string, now: number): number {
    // advance: refill for the time since the last reservation, never past the burst
    const elapsed = Math.max(0, now - this.last);
    this.creditMs = Math.min(this.capacityMs, this.creditMs + elapsed);
    this.last = now;
    this.creditMs -= this.msPerToken;
    return this.creditMs < 0 ? -this.creditMs : 0;
  }

  forget(_item: string): void {}

  numRequeues(_item: string): number {
    return 0;
  }
}

/** MaxOfRateLimiter: asks every limiter (each counts the failure) and waits the longest */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(item: string, now: number): number {
    let ret = 0;
    for (const l of this.limiters) ret = Math.max(ret, l.when(item, now));
    return ret;
  }

  forget(item: string): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: string): number {
    let ret = 0;
    for (const l of this.limiters) ret = Math.max(ret, l.numRequeues(item));
    return ret;
  }
}

/**
 * DefaultControllerRateLimiter: per item 5 ms doubling up to 1000 s, and overall 10 qps with a
 * burst of 100: what every kube-controller-manager controller's queue is built with.
 */
export function defaultControllerRateLimiter(): RateLimiter {
  return new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(5, 1000 * 1000), new BucketRateLimiter(10, 100));
}
