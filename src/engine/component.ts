// What every simulated component (controller, scheduler, kubelet, kube-proxy) is built from:
// an informer that sees API changes after the component's watch latency, and a de-duplicating
// work queue keyed by object, with client-go's workqueue semantics (an item queued twice is
// processed once; an item added while it waits is not added again), and its rate-limited requeue
// of a key whose sync failed (AddRateLimited / Forget, rate_limiting_queue.go).

import type { ApiServer, WatchEvent } from '../api/server.js';
import type { Simulation, Timer } from './sim.js';
import type { Rng } from './rng.js';
import type { Cluster } from './cluster.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate_limiters.js';

/** A latency: a fixed value or a seeded uniform draw from a range, in ms. */
export interface LatencyRange {
  min: number;
  max: number;
}

export function drawLatency(rng: Rng, r: LatencyRange): number {
  return r.max > r.min ? rng.between(r.min, r.max) : r.min;
}

export class Informer {
  private lastDelivery = 0;
  private readonly unwatch: () => void;

  constructor(
    private readonly sim: Simulation,
    api: ApiServer,
    private readonly name: string,
    kinds: string[] | undefined,
    private readonly latency: LatencyRange,
    private readonly rng: Rng,
    handler: (ev: WatchEvent) => void,
    /** a field selector on spec.nodeName (kubelets): only that node's pods are delivered */
    nodeName?: string,
    /**
     * Whether the handler could act on a change, judged from the change alone: a change it would
     * certainly ignore (a pod another kind of controller owns) is not scheduled at all. Its latency
     * is still drawn and still orders the stream, so every other delivery keeps its time.
     */
    relevant?: (ev: WatchEvent) => boolean,
  ) {
    const source = `${name}/watch`; // built once, not per delivered change
    const deliver = (ev: WatchEvent) => {
      // a watch stream is ordered: a later change is never delivered before an earlier one
      const at = Math.max(sim.now + drawLatency(this.rng, this.latency), this.lastDelivery);
      this.lastDelivery = at;
      if (relevant && !relevant(ev)) return;
      sim.deliverAt(at, source, handler, ev);
    };
    this.unwatch = nodeName !== undefined ? api.watchPodsOnNode(nodeName, deliver) : api.watch(deliver, kinds);
  }

  stop(): void {
    this.unwatch();
  }
}

/** a key waiting out its rate-limited delay (delaying_queue.go waitFor) */
interface WaitFor {
  readyAt: number;
  timer: Timer;
}

export class WorkQueue {
  private readonly pending = new Set<string>();
  /** built on the first failure: most queues never retry */
  private limiter: RateLimiter | undefined;
  /** keys waiting for their rate-limited add, one entry per key (waitingEntryByData) */
  private readonly waiting = new Map<string, WaitFor>();

  constructor(
    private readonly sim: Simulation,
    private readonly name: string,
    private readonly latency: LatencyRange,
    private readonly rng: Rng,
    private readonly process: (key: string) => void,
    /** the retry rate limiter; client-go's DefaultControllerRateLimiter unless a test says otherwise */
    private readonly newRateLimiter: () => RateLimiter = defaultControllerRateLimiter,
  ) {}

  add(key: string): void {
    if (this.pending.has(key)) return;
    this.pending.add(key);
    // one queue entry holding the key, not a closure per add
    this.sim.scheduleCall(drawLatency(this.rng, this.latency), this.name, this.processKey, key);
  }

  private readonly processKey = (key: string): void => {
    this.pending.delete(key);
    this.process(key);
  };

  addAfter(key: string, delay: number): void {
    this.sim.schedule(delay, `${this.name}/requeue`, () => this.add(key));
  }

  /**
   * AddRateLimited: add the key again once the rate limiter says so (a sync of it failed). As
   * the delaying queue does, a key already waiting keeps the earlier of its two ready times, so
   * failures in a row do not pile up timers. (Plain addAfter keeps its timers independent, as it
   * always has; only rate-limited adds share this waiting set.)
   */
  addRateLimited(key: string): void {
    this.limiter ??= this.newRateLimiter();
    const delay = this.limiter.when(key, this.sim.now);
    if (delay <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.sim.now + Math.ceil(delay);
    const existing = this.waiting.get(key);
    if (existing) {
      if (existing.readyAt <= readyAt) return;
      existing.timer.cancel();
    }
    const entry: WaitFor = {
      readyAt,
      timer: this.sim.scheduleAt(readyAt, `${this.name}/ratelimited`, () => {
        this.waiting.delete(key);
        this.add(key);
      }),
    };
    this.waiting.set(key, entry);
  }

  /** Forget: the key's sync succeeded; its next failure starts from the base delay again */
  forget(key: string): void {
    this.limiter?.forget(key);
  }

  /** NumRequeues: how many times in a row the key's sync has failed */
  numRequeues(key: string): number {
    return this.limiter?.numRequeues(key) ?? 0;
  }

  get length(): number {
    return this.pending.size;
  }
}

/**
 * A controller's work queue, as every kube-controller-manager controller has one: keys processed
 * after the cluster's controllerLatency, drawn from the controller's own stream `<name>/queue`;
 * failed keys retried after DefaultControllerRateLimiter unless the controller builds its queue
 * with another limiter (the Job controller does).
 */
export function controllerQueue(cluster: Cluster, name: string, process: (key: string) => void, newRateLimiter?: () => RateLimiter): WorkQueue {
  return new WorkQueue(cluster.sim, name, cluster.timing.controllerLatency, cluster.rng(`${name}/queue`), process, newRateLimiter);
}

/**
 * A controller's shared-informer handlers over `kinds`: changes delivered after the cluster's
 * watchLatency, drawn from the stream `<name>/informer`; `relevant` as for Informer.
 */
export function controllerInformer(cluster: Cluster, name: string, kinds: string[], handler: (ev: WatchEvent) => void, relevant?: (ev: WatchEvent) => boolean): Informer {
  return new Informer(cluster.sim, cluster.api, name, kinds, cluster.timing.watchLatency, cluster.rng(`${name}/informer`), handler, undefined, relevant);
}
