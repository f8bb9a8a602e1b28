// The invariant library as a table, and the compilation of a scenario's `invariants:` list:
// built-in names, names of the scenario's own expectations (checked by the expectation
// evaluator; named here so that `kuberehearse fuzz` treats them as properties), or "all".

import type { SourceRef } from '../../result.js';
import type { InvariantDef } from './types.js';
import { replicaCount } from './replicaCount.js';
import { endpointsReadiness } from './endpointsReadiness.js';
import { rolloutAvailability } from './rolloutAvailability.js';
import { statefulSetOrdering } from './statefulSetOrdering.js';
import { daemonSetCoverage } from './daemonSetCoverage.js';
import { jobParallelism } from './jobParallelism.js';
import { noLostRequests, sessionAffinity } from './traffic.js';
import { didYouMean } from '../../util/didYouMean.js';

export const INVARIANTS: readonly InvariantDef[] = [
  replicaCount,
  endpointsReadiness,
  rolloutAvailability,
  statefulSetOrdering,
  daemonSetCoverage,
  jobParallelism,
  sessionAffinity,
  noLostRequests,
];

export function invariantByName(name: string): InvariantDef | undefined {
  return INVARIANTS.find((i) => i.name === name);
}

export interface CompiledInvariant {
  name: string;
  source: SourceRef;
  /** set when the name is one of the scenario's expectations rather than a built-in */
  expectation?: number;
}

/** What compile.ts's Compiler offers (structural, so this module does not import it). */
export interface InvariantCompiler {
  error(p: (string | number)[], message: string, hint?: string, code?: string): void;
  pos(p: (string | number)[]): { file: string; line: number; col: number };
}

export function compileInvariants(c: InvariantCompiler, raw: unknown, expectations: readonly { index: number; name: string }[]): CompiledInvariant[] {
  if (raw === undefined || raw === null) return [];
  const src = (p: (string | number)[]) => {
    const at = c.pos(p);
    return { file: at.file, line: at.line, col: at.col };
  };
  if (raw === 'all') return INVARIANTS.map((i) => ({ name: i.name, source: src(['invariants']) }));
  const names = Array.isArray(raw) ? raw.map(String) : [String(raw)];
  const out: CompiledInvariant[] = [];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    const p = Array.isArray(raw) ? ['invariants', i] : ['invariants'];
    if (seen.has(name)) return;
    seen.add(name);
    if (name === 'all') {
      c.error(p, '"all" stands alone: write `invariants: all`', 'or list the invariants you want');
      return;
    }
    if (invariantByName(name)) {
      out.push({ name, source: src(p) });
      return;
    }
    const exp = expectations.find((e) => e.name === name);
    if (exp) {
      out.push({ name, source: src(p), expectation: exp.index });
      return;
    }
    const known = [...INVARIANTS.map((x) => x.name), ...expectations.map((e) => e.name)];
    const guess = didYouMean(name, known);
    c.error(p, `unknown invariant "${name}"`, `${guess ? `did you mean ${guess}? ` : ''}built-in invariants: ${INVARIANTS.map((x) => x.name).join(', ')}; or the name of one of this scenario's expectations; or all`, 'scenario.invariant');
  });
  return out;
}
