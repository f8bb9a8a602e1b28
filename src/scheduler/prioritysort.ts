// The scheduling queue's activeQ ordered by the PrioritySort QueueSort plugin
// (pkg/scheduler/framework/plugins/queuesort/priority_sort.go Less): the higher spec.priority
// first, then the earlier queue timestamp. kube-scheduler pops one pod per scheduling cycle
// (schedule_one.go ScheduleOne -> NextPod), so pods that are in activeQ together are scheduled
// in that order. Here a pod enters activeQ after the scheduler's latency; every pod that became
// ready at the same virtual instant is in activeQ before the first of them is popped.
// Backoff and the unschedulable pool stay with the scheduler (addAfter), as before.

import { drawLatency, type LatencyRange } from '../engine/component.js';
import type { Simulation } from '../engine/sim.js';
import type { Rng } from '../engine/rng.js';
import { BinaryHeap } from '../util/heap.js';

export interface QueuedPodInfo {
  key: string;
  priority: number;
  /** when the pod was added to the queue (QueuedPodInfo.Timestamp) */
  timestamp: number;
  /** insertion order: a stable tie-break for equal timestamps (heap order is not stable) */
  seq: number;
}

/** PrioritySort.Less */
export function prioritySortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
  return a.seq < b.seq;
}

/** A binary heap by prioritySortLess (the activeQ). */
export class ActiveQ extends BinaryHeap<QueuedPodInfo> {
  constructor() {
    super(prioritySortLess);
  }
}

/**
 * The scheduler's work queue: de-duplicating like client-go's (a pod added while it waits is
 * not added again), with a drawn latency before a pod enters activeQ, and pops in PrioritySort
 * order. Every add schedules one pop at the instant its pod becomes ready; a pop first moves into
 * activeQ every pod ready by then (also those whose own pop comes later at the same instant),
 * then takes the head. So a lone pod is processed exactly when it would be without the sort.
 */
export class SchedulingQueue {
  private readonly pending = new Set<string>();
  /** pods waiting out the latency, by ready time */
  private readonly waiting = new BinaryHeap<Waiting>(earlier);
  private readonly active = new ActiveQ();
  private seq = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly name: string,
    private readonly latency: LatencyRange,
    private readonly rng: Rng,
    /** the pod's current spec.priority (read when it enters activeQ) */
    private readonly priorityOf: (key: string) => number,
    private readonly process: (key: string) => void,
  ) {}

  add(key: string): void {
    if (this.pending.has(key)) return;
    this.pending.add(key);
    const delay = Math.ceil(drawLatency(this.rng, this.latency));
    this.waiting.push({ key, timestamp: this.sim.now, readyAt: this.sim.now + delay, seq: this.seq++ });
    this.sim.schedule(delay, this.name, () => this.popOne());
  }

  addAfter(key: string, delay: number): void {
    this.sim.schedule(delay, `${this.name}/requeue`, () => this.add(key));
  }

  private popOne(): void {
    const now = this.sim.now;
    while (this.waiting.length > 0 && this.waiting.peek()!.readyAt <= now) {
      const w = this.waiting.pop()!;
      this.active.push({ key: w.key, priority: this.priorityOf(w.key), timestamp: w.timestamp, seq: w.seq });
    }
    const next = this.active.pop();
    if (!next) return;
    this.pending.delete(next.key);
    this.process(next.key);
  }

  get length(): number {
    return this.pending.size;
  }
}

/** a pod waiting out the queue latency, ordered by ready time, then insertion */
type Waiting = { key: string; timestamp: number; readyAt: number; seq: number };
const earlier = (a: Waiting, b: Waiting) => a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
