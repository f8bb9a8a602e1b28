// The event queue: a binary min-heap ordered by (time, insertion sequence). The sequence makes
// the order of events scheduled for the same virtual millisecond the order they were scheduled
// in, so a run never depends on heap internals.

const NOOP = (): void => {};

export class QueuedEvent {
  cancelled = false;

  constructor(
    readonly time: number,
    readonly seq: number,
    /** the component that scheduled it: named in the runaway-scenario error */
    readonly source: string,
    public run: () => void,
  ) {}

  /**
   * The event is the Timer of Simulation.schedule: no separate handle per event. A cancelled
   * event stays in the heap until its time comes, so it drops its closure now: what the closure
   * holds (a dead pod worker's state, say) would otherwise live until then (65 MiB of the
   * envelope at 1/30 was cancelled timers).
   */
  cancel(): void {
    this.cancelled = true;
    this.run = NOOP;
  }
}

/**
 * A watch delivery (Informer): the entry holds the handler and the change and is its own run,
 * instead of a closure `() => handler(ev)` beside the entry — one object per delivery, not three
 * (watch deliveries are most of a run's events). `run` is a shared function called as a method
 * (`ev.run()`), so `this` is the entry.
 */
export class QueuedDelivery<E> extends QueuedEvent {
  constructor(
    time: number,
    seq: number,
    source: string,
    private handler: ((ev: E) => void) | undefined,
    private event: E | undefined,
  ) {
    super(time, seq, source, deliver);
  }

  override cancel(): void {
    super.cancel();
    this.handler = undefined;
    this.event = undefined;
  }

  /** @internal the shared run of every delivery */
  static runDelivery(this: QueuedDelivery<unknown>): void {
    this.handler!(this.event);
  }
}

const deliver = QueuedDelivery.runDelivery as unknown as () => void;

export class EventQueue {
  private heap: QueuedEvent[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: number, source: string, run: () => void): QueuedEvent {
    return this.insert(new QueuedEvent(time, this.nextSeq++, source, run));
  }

  /** a watch delivery: `handler(event)` at `time`, in the next place of the order */
  pushDelivery<E>(time: number, source: string, handler: (ev: E) => void, event: E): QueuedEvent {
    return this.insert(new QueuedDelivery(time, this.nextSeq++, source, handler, event));
  }

  /**
   * Set aside `n` sequence numbers for events to be pushed later with pushReserved: a series
   * scheduled one at a time then runs in the same order as if all had been pushed now.
   */
  reserve(n: number): number {
    const first = this.nextSeq;
    this.nextSeq += n;
    return first;
  }

  pushReserved(time: number, seq: number, source: string, run: () => void): QueuedEvent {
    return this.insert(new QueuedEvent(time, seq, source, run));
  }

  private insert(ev: QueuedEvent): QueuedEvent {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(ev, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = ev;
    return ev;
  }

  peek(): QueuedEvent | undefined {
    return this.heap[0];
  }

  pop(): QueuedEvent | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r], h[l]) ? r : l;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
