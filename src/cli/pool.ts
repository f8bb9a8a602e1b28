// Runs scenarios in-process (maxWorkers 1) or on a tinypool worker-thread pool, and hands the
// results back in FILE ORDER whatever the worker count: a result that finishes early is buffered
// until every earlier one is in, so reporters and the json report are byte-identical for
// `--max-workers 1` and `--max-workers 4`. `--bail` counts failures in file order too, so the
// same scenarios are reported whichever thread finished first.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { UsageError } from './args.js';
import type { WorkerTask } from './worker.js';
import type { CompiledScenario } from '../scenario/model.js';
import { runScenario } from '../engine/run.js';
import type { ScenarioResult } from '../result.js';

/** `n` or `n%` of the available cores (Jest/vitest `--maxWorkers`), at least 1. */
export function parseMaxWorkers(value: string | number, cores = availableParallelism()): number {
  const s = String(value).trim();
  const m = /^(\d+)(%?)$/.exec(s);
  if (!m || Number(m[1]) === 0) throw new UsageError(`--max-workers "${s}" must be a positive integer or a percentage of the cores (e.g. 4 or 50%)`);
  return m[2] ? Math.max(1, Math.floor((cores * Number(m[1])) / 100)) : Number(m[1]);
}

/** The compiled worker module: dist/src/cli/worker.js beside this file, or dist/ when run from src/ (tests). */
function workerFile(): string {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL('../../dist/src/cli/worker.js', import.meta.url));
}

export interface RunManyOptions {
  seed?: number;
  trace: boolean;
  maxWorkers: number;
  bail?: number;
  onStart?: (s: CompiledScenario) => void;
  onEnd?: (r: ScenarioResult) => void;
}

const failed = (r: ScenarioResult) => r.status === 'failed' || r.status === 'error';

export async function runMany(scenarios: CompiledScenario[], opts: RunManyOptions): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  let failures = 0;
  const bailed = () => opts.bail !== undefined && opts.bail > 0 && failures >= opts.bail;
  const accept = (s: CompiledScenario, r: ScenarioResult) => {
    opts.onStart?.(s);
    results.push(r);
    opts.onEnd?.(r);
    if (failed(r)) failures++;
  };
  const threads = Math.min(opts.maxWorkers, scenarios.length);
  if (threads <= 1) {
    for (const s of scenarios) {
      accept(s, runScenario(s, { seed: opts.seed, trace: opts.trace || s.snapshot !== undefined }));
      if (bailed()) break;
    }
    return results;
  }
  // tinypool is loaded only for worker threads (the default runs in-process)
  const { Tinypool } = await import('tinypool');
  const pool = new Tinypool({ filename: workerFile(), minThreads: threads, maxThreads: threads });
  try {
    const pending = scenarios.map((s) => {
      // a `snapshot: true` scenario's trace is compared with its golden file (src/snapshot)
      const task: WorkerTask = { file: s.file, seed: opts.seed, trace: opts.trace || s.snapshot !== undefined };
      const p = pool.run(task) as Promise<ScenarioResult>;
      p.catch(() => undefined); // observed below, in order; avoid an unhandled rejection meanwhile
      return p;
    });
    for (let i = 0; i < scenarios.length; i++) {
      accept(scenarios[i], await pending[i]);
      if (bailed()) break;
    }
  } finally {
    await pool.destroy();
  }
  return results;
}
