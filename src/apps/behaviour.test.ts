// App model behaviour: HTTP answers by path, request count and time; memory growth and the OOM instant.

import { describe, expect, it } from 'vitest';
import { answerHttp, memoryExceedsAt } from './behaviour.js';
import { DEFAULT_APP } from './registry.js';

describe('app behaviour', () => {
  const kubia = { ...DEFAULT_APP, http: [{ path: '/', status: 500, afterRequests: 5 }, { path: '/', status: 200, body: "You've hit ${HOSTNAME}" }] };
  it('answers by the first matching entry: 200 for five requests, then 500', () => {
    const statuses = [0, 1, 2, 3, 4, 5, 6].map((n) => answerHttp(kubia, '/', n, 0, { HOSTNAME: 'k' }).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 500, 500]);
    expect(answerHttp(kubia, '/', 0, 0, { HOSTNAME: 'kubia-x' }).body).toBe("You've hit kubia-x");
  });
  it('answers 200 with the hostname by default, 404 for a path no entry covers', () => {
    expect(answerHttp(DEFAULT_APP, '/x', 0, 0, { HOSTNAME: 'h' })).toEqual({ status: 200, body: 'h\n' });
    expect(answerHttp({ ...DEFAULT_APP, http: [{ path: '/api', status: 200 }] }, '/', 0, 0, {}).status).toBe(404);
    expect(answerHttp({ ...DEFAULT_APP, http: [{ path: '/', status: 503, afterTimeMs: 10_000 }, { path: '/', status: 200 }] }, '/', 0, 10_000, {}).status).toBe(503);
  });
  it('finds the instant memory passes a limit', () => {
    const Mi = 2 ** 20;
    expect(memoryExceedsAt({ initial: 100 * Mi, growBy: 50 * Mi, everyMs: 1000 }, 256 * Mi)).toBe(4000);
    expect(memoryExceedsAt({ initial: 300 * Mi, growBy: 0, everyMs: 1000 }, 256 * Mi)).toBe(0);
    expect(memoryExceedsAt({ initial: 100 * Mi, growBy: 50 * Mi, everyMs: 1000, max: 200 * Mi }, 256 * Mi)).toBeUndefined();
  });
});
