// CrashLoopBackOff (kuberuntime_manager.go doBackOff over client-go flowcontrol.Backoff with
// NewBackOff(10s, 300s)): the first crash restarts at once, then 10s, 20s, 40s ... capped at
// 300s; an entry expires (the delay resets) when the container ran for more than 600s since the
// last restart decision. We restart exactly at FinishedAt + delay (reference pod-lifecycle §2.3).

const INITIAL_MS = 10_000;
const MAX_MS = 300_000;
const EXPIRE_MS = 600_000;

export class CrashLoopBackOff {
  private readonly entries = new Map<string, { backoff: number; lastUpdate: number }>();

  /** The delay before restarting a container that finished at `finishedAt`. */
  next(key: string, finishedAt: number): number {
    const e = this.entries.get(key);
    if (!e || finishedAt - e.lastUpdate > EXPIRE_MS) {
      // no entry: start now and remember; the next crash waits the initial delay
      this.entries.set(key, { backoff: 0, lastUpdate: finishedAt });
      return 0;
    }
    const backoff = e.backoff === 0 ? INITIAL_MS : Math.min(2 * e.backoff, MAX_MS);
    this.entries.set(key, { backoff, lastUpdate: finishedAt + backoff });
    return backoff;
  }
}
