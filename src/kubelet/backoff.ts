// client-go's flowcontrol.Backoff (k8s.io/client-go/util/flowcontrol/backoff.go) as the kubelet
// configures it, with jitter 0:
//  - CrashLoopBackOff: NewBackOff(10s, 300s) (pkg/kubelet/kubelet.go newCrashLoopBackOff), with
//    the kubelet's HasExpiredFunc `eventTime - lastUpdate > 600s` (reference pod-lifecycle §2.3);
//  - image pulls: NewBackOff(10s, 300s) (pkg/kubelet/kubelet.go imageBackOff), with client-go's
//    default expiry of 2 x max.
// The kubelet's doBackOff (kuberuntime_manager.go) asks isInBackOffSince(key, FinishedAt of the
// latest exited instance); when not in back-off it calls next() and starts the container.

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
/** kubelet.go: `klet.crashLoopBackOff.HasExpiredFunc = ... eventTime.Sub(lastUpdate) > 600*time.Second` */
export const CRASHLOOP_EXPIRE_MS = 600_000;

interface Entry {
  backoff: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly initialMs = BACKOFF_INITIAL_MS,
    readonly maxMs = BACKOFF_MAX_MS,
    /** an entry older than this (eventTime - lastUpdate) starts over */
    readonly expireMs = 2 * BACKOFF_MAX_MS,
  ) {}

  private expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > this.expireMs;
  }

  /** IsInBackOffSince: the entry is live and less than its back-off has passed since eventTime */
  isInBackOffSince(key: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return false;
    return now - eventTime < e.backoff;
  }

  /** IsInBackOffSinceUpdate: less than the back-off has passed since the last update (image pulls) */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(now, e)) return false;
    return now - e.lastUpdate < e.backoff;
  }

  /** Next: a fresh entry starts at the initial delay, a live one doubles up to the max */
  next(key: string, eventTime: number, now: number): void {
    const e = this.entries.get(key);
    const backoff = !e || this.expired(eventTime, e) ? this.initialMs : Math.min(2 * e.backoff, this.maxMs);
    this.entries.set(key, { backoff, lastUpdate: now });
  }

  /** Get: the current delay of a key (0 when none) */
  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  lastUpdate(key: string): number | undefined {
    return this.entries.get(key)?.lastUpdate;
  }
}

export function newCrashLoopBackOff(): Backoff {
  return new Backoff(BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, CRASHLOOP_EXPIRE_MS);
}
