// CrashLoopBackOff as doBackOff drives client-go's flowcontrol.Backoff (reference pod-lifecycle
// §2.3): 0, 10, 20, 40, 80, 160, 300 s between a crash and the restart; reset after 600 s.

import { describe, expect, it } from 'vitest';
import { Backoff, newCrashLoopBackOff } from './backoff.js';

/** the delay doBackOff imposes on a container that finished at `t`: restart at the first instant not in back-off */
function restartAfterCrash(b: Backoff, t: number): number {
  const wait = b.isInBackOffSince('k', t, t) ? b.get('k') : 0;
  b.next('k', t, t + wait);
  return wait;
}

describe('CrashLoopBackOff', () => {
  it('delays a quickly crashing container 0, 10, 20, 40, 80, 160, 300, 300 s', () => {
    const b = newCrashLoopBackOff();
    const delays: number[] = [];
    let t = 0;
    for (let i = 0; i < 8; i++) {
      const d = restartAfterCrash(b, t);
      delays.push(d / 1000);
      t += d + 1000; // runs 1 s, crashes again
    }
    expect(delays).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
  });

  it('starts over when the container ran more than 600 s since the last restart decision', () => {
    const b = newCrashLoopBackOff();
    restartAfterCrash(b, 0);
    expect(restartAfterCrash(b, 1_000)).toBe(10_000);
    // the next crash comes 601 s after that restart: not in back-off, and the delay is fresh
    expect(restartAfterCrash(b, 11_000 + 601_000)).toBe(0);
    expect(b.get('k')).toBe(10_000);
  });

  it('image pulls back off per key since the last failure (IsInBackOffSinceUpdate)', () => {
    const b = new Backoff();
    b.next('img', 0, 0);
    expect(b.isInBackOffSinceUpdate('img', 9_999)).toBe(true);
    expect(b.isInBackOffSinceUpdate('img', 10_000)).toBe(false);
    b.next('img', 10_000, 10_000);
    expect(b.get('img')).toBe(20_000);
  });
});
