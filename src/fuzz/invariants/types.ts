// The invariant contract: a property of the cluster checked at every state a run passes through
// (DESIGN §3.3). An invariant is a table entry; its monitor holds the per-run memory a property
// over time needs (since when a ReplicaSet has been short of pods, which pod served a client).

import type { ApiServer } from '../../api/server.js';
import type { KubeObject } from '../../api/types.js';
import type { Requests } from '../../network/request_log.js';

export interface Violation {
  /** one line: "replicaset/web has 2 active pods for spec.replicas 3 since 12s (grace 5s)" */
  message: string;
  mismatches?: string[];
  /** the objects the failure story shows (a kubectl-get table and their last transitions) */
  involved?: { kind: string; objects: KubeObject[] };
}

export interface MonitorContext {
  api: ApiServer;
  /** virtual ms */
  now: number;
  /** the requests completed so far in this run (src/network/traffic.ts), read by index */
  requests: Requests;
}

export interface InvariantMonitor {
  /** Look at the current state; a violation decides the invariant (the first one is reported). */
  check(ctx: MonitorContext): Violation | undefined;
  /** The next instant at which time alone could break the property (a grace window ending). */
  wakeAt?(): number | undefined;
}

export interface InvariantDef {
  name: string;
  /** what it checks, for docs and `--help` */
  summary: string;
  /** kinds whose changes can break it; 'traffic' re-checks when a request completes */
  kinds: readonly string[];
  traffic?: boolean;
  /** a fresh monitor per run: nothing leaks between runs */
  create(): InvariantMonitor;
}
