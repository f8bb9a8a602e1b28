// What every simulated component (controller, scheduler, kubelet, kube-proxy) is built from:
// an informer that sees API changes after the component's watch latency, and a de-duplicating
// work queue keyed by object, with client-go's workqueue semantics (an item queued twice is
// processed once; an item added while it waits is not added again).

import type { ApiServer, WatchEvent } from '../api/server.js';
import type { Simulation } from './sim.js';
import type { Rng } from './rng.js';
import type { Cluster } from './cluster.js';

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
      sim.scheduleAt(at, source, () => handler(ev));
    };
    this.unwatch = nodeName !== undefined ? api.watchPodsOnNode(nodeName, deliver) : api.watch(deliver, kinds);
  }

  stop(): void {
    this.unwatch();
  }
}

export class WorkQueue {
  private readonly pending = new Set<string>();

  constructor(
    private readonly sim: Simulation,
    private readonly name: string,
    private readonly latency: LatencyRange,
    private readonly rng: Rng,
    private readonly process: (key: string) => void,
  ) {}

  add(key: string): void {
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.sim.schedule(drawLatency(this.rng, this.latency), this.name, () => {
      this.pending.delete(key);
      this.process(key);
    });
  }

  addAfter(key: string, delay: number): void {
    this.sim.schedule(delay, `${this.name}/requeue`, () => this.add(key));
  }

  get length(): number {
    return this.pending.size;
  }
}

/**
 * A controller's work queue, as every kube-controller-manager controller has one: keys processed
 * after the cluster's controllerLatency, drawn from the controller's own stream `<name>/queue`.
 */
export function controllerQueue(cluster: Cluster, name: string, process: (key: string) => void): WorkQueue {
  return new WorkQueue(cluster.sim, name, cluster.timing.controllerLatency, cluster.rng(`${name}/queue`), process);
}

/**
 * A controller's shared-informer handlers over `kinds`: changes delivered after the cluster's
 * watchLatency, drawn from the stream `<name>/informer`; `relevant` as for Informer.
 */
export function controllerInformer(cluster: Cluster, name: string, kinds: string[], handler: (ev: WatchEvent) => void, relevant?: (ev: WatchEvent) => boolean): Informer {
  return new Informer(cluster.sim, cluster.api, name, kinds, cluster.timing.watchLatency, cluster.rng(`${name}/informer`), handler, undefined, relevant);
}
