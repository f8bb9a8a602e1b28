// Helpers shared by the built-in reporters.

import path from 'node:path';
import type { RunSummary, SourceRef } from '../src/result.js';

/**
 * A path as reporters show it: relative to `cwd` when it was absolute, always with `/`, so the
 * same run prints and serialises the same text on every machine and OS.
 */
export function displayPath(file: string, cwd: string): string {
  const rel = path.isAbsolute(file) ? path.relative(cwd, file) || '.' : file;
  return rel.split(path.sep).join('/').replace(/\\/g, '/');
}

/** `file:line:col`, the form editors and terminals turn into links. */
export function formatSource(source: SourceRef, cwd: string): string {
  return `${displayPath(source.file, cwd)}:${source.line}:${source.col}`;
}

export interface Counts {
  scenarios: { total: number; passed: number; failed: number; errors: number; todo: number };
  expectations: { total: number; passed: number; failed: number; todo: number };
}

/**
 * Counts derived from the scenario list rather than taken from the summary's own counters, so
 * every reporter agrees with the results it prints.
 */
export function countResults(summary: RunSummary): Counts {
  const s = { total: 0, passed: 0, failed: 0, errors: 0, todo: 0 };
  const e = { total: 0, passed: 0, failed: 0, todo: 0 };
  for (const sc of summary.scenarios) {
    s.total++;
    if (sc.status === 'passed') s.passed++;
    else if (sc.status === 'failed') s.failed++;
    else if (sc.status === 'error') s.errors++;
    else s.todo++;
    for (const ex of sc.expectations) {
      e.total++;
      if (ex.status === 'passed') e.passed++;
      else if (ex.status === 'failed') e.failed++;
      else e.todo++;
    }
  }
  return { scenarios: s, expectations: e };
}
