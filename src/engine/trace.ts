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
  /** a client request's outcome (src/network/traffic.ts RequestRecord), at the instant it was known */
  | { t: number; type: 'request'; sentAt: number; seq: number; client: string; url: string; outcome: string; latency: number; [field: string]: unknown };

export class Trace {
  readonly records: TraceRecord[] = [];

  add(record: TraceRecord): void {
    this.records.push(record);
  }

  /** The last `limit` object records for the given object at or before time t. */
  transitionsOf(kind: string, namespace: string | undefined, name: string, t: number, limit = 5): TraceRecord[] {
    const out: TraceRecord[] = [];
    for (let i = this.records.length - 1; i >= 0 && out.length < limit; i--) {
      const r = this.records[i];
      if (r.t > t) continue;
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
