// The trace: the ordered record of every state change, step, Kubernetes Event and check of a run.
// It is what expectations read, what reporters draw, and what makes two runs comparable byte for
// byte (same scenario + seed -> identical JSON).

export type TraceRecord =
  | {
      t: number;
      type: 'object';
      op: 'added' | 'modified' | 'deleted';
      kind: string;
      namespace?: string;
      name: string;
      rv: number;
      /** one-line summary of what changed, for failure stories */
      summary?: string;
    }
  | { t: number; type: 'step'; index: number; name?: string; action: string; outcome: 'ok' | 'error'; message?: string }
  | { t: number; type: 'event'; kind: string; namespace?: string; name: string; eventType: string; reason: string; message: string }
  | { t: number; type: 'check'; expectation: number; name: string; outcome: 'passed' | 'failed'; message?: string }
  | { t: number; type: 'note'; message: string }
  /** what a `kubectl get|describe` step printed (src/engine/view_action.ts) */
  | { t: number; type: 'view'; index: number; command: string; text: string }
  /** a client request's outcome (src/network/traffic.ts RequestRecord), at the instant it was known */
  | { t: number; type: 'request'; sentAt: number; seq: number; client: string; url: string; outcome: string; latency: number; [field: string]: unknown };

/**
 * A trace record built only when someone reads the trace: hot paths (one record per client
 * request) keep what they already have and pay for the record's object when a reporter or a test
 * reads `records`. `expand` must give the record the eager path would have added.
 */
export abstract class DeferredRecord {
  abstract expand(): TraceRecord;
}

export class Trace {
  private readonly items: (TraceRecord | DeferredRecord)[] = [];
  /** index of the first deferred record not yet expanded, -1 when none */
  private firstDeferred = -1;

  add(record: TraceRecord): void {
    this.items.push(record);
  }

  addDeferred(record: DeferredRecord): void {
    if (this.firstDeferred < 0) this.firstDeferred = this.items.length;
    this.items.push(record);
  }

  /** Every record so far, in order (deferred ones expanded in place). */
  get records(): TraceRecord[] {
    if (this.firstDeferred >= 0) {
      const items = this.items;
      for (let i = this.firstDeferred; i < items.length; i++) {
        const r = items[i];
        if (r instanceof DeferredRecord) items[i] = r.expand();
      }
      this.firstDeferred = -1;
    }
    return this.items as TraceRecord[];
  }

  /** The last `limit` object records for the given object at or before time t. */
  transitionsOf(kind: string, namespace: string | undefined, name: string, t: number, limit = 5): TraceRecord[] {
    const out: TraceRecord[] = [];
    const items = this.items;
    for (let i = items.length - 1; i >= 0 && out.length < limit; i--) {
      const r = items[i];
      // deferred records are never object or event records
      if (r instanceof DeferredRecord || r.t > t) continue;
      if ((r.type === 'object' || r.type === 'event') && r.kind === kind && r.name === name && (r.namespace ?? '') === (namespace ?? '')) {
        out.push(r);
      }
    }
    return out.reverse();
  }

  toJSON(): TraceRecord[] {
    return this.records;
  }
}
