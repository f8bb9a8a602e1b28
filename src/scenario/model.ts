// The normalised scenario: what `compile` produces from a validated scenario file and what the
// engine runs. Every element keeps its source position so failures point at the file.

import type { ClusterConfig } from '../engine/cluster.js';
import type { AppModel } from '../apps/registry.js';
import type { KubeObject } from '../api/types.js';
import type { Action } from '../kubectl/types.js';
import type { SourceRef } from '../result.js';
import type { Subject } from '../expect/subjects.js';

export interface SourcedObject {
  object: KubeObject;
  source: SourceRef;
}

export type StepAction =
  | { type: 'action'; action: Action; /** objects for apply/create/delete -f, loaded at compile time */ objects: SourcedObject[] }
  | { type: 'wait'; condition: Subject; text: string; timeoutMs: number };

export interface CompiledStep {
  index: number;
  name?: string;
  source: SourceRef;
  /** absolute time, or relative to the previous step's completion */
  at?: number;
  after?: number;
  description: string;
  action: StepAction;
  /** the action must fail with an error containing this text or matching this /regex/ */
  expectError?: string;
}

export type Temporal =
  | { op: 'at'; t: number }
  | { op: 'within'; d: number; afterStep?: string }
  | { op: 'always' | 'never'; from: number; until?: number }
  /** no temporal operator: checked once, when the run has ended */
  | { op: 'end' };

export interface CompiledExpectation {
  index: number;
  name: string;
  source: SourceRef;
  todo?: string;
  temporal: Temporal;
  subject: Subject;
}

export interface CompiledScenario {
  file: string;
  name: string;
  description?: string;
  tags: string[];
  seed: number;
  todo?: string;
  /** explicit `duration:` (ms), or undefined for the default rule */
  duration?: number;
  cluster: ClusterConfig;
  apps: AppModel[];
  manifests: SourcedObject[];
  steps: CompiledStep[];
  expectations: CompiledExpectation[];
  invariants: string[];
  /** unmodelled kinds and fields, for --strict */
  unmodelled: { source: SourceRef; message: string }[];
}
