// The event queue: a binary min-heap ordered by (time, insertion sequence). The sequence makes
// the order of events scheduled for the same virtual millisecond the order they were scheduled
// in, so a run never depends on heap internals.

export interface QueuedEvent {
  time: number;
  seq: number;
  /** the component that scheduled it: named in the runaway-scenario error */
  source: string;
  run: () => void;
  cancelled: boolean;
}

export class EventQueue {
  private heap: QueuedEvent[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: number, source: string, run: () => void): QueuedEvent {
    const ev: QueuedEvent = { time, seq: this.nextSeq++, source, run, cancelled: false };
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
