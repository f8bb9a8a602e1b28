// Every bundled scenario runs in CI, one test each: it must pass, or be marked `todo` with its
// reason (then it is reported as todo, never silently green).
import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../src/scenario/load.js';
import { compileScenario } from '../src/scenario/compile.js';
import { runScenario } from '../src/engine/run.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) return scenarioFiles(p);
      return /\.scenario\.ya?ml$/.test(f) ? [p] : [];
    });
}

const files = scenarioFiles(path.join(root, 'scenarios'));

describe('bundled scenarios', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const rel = path.relative(root, file);
    const compiled = compileScenario(loadScenarioFile(file));
    const run = compiled.todo ? it.todo : it;
    run(`${rel} > ${compiled.name}`, () => {
      const result = runScenario(compiled);
      const failures = [
        ...result.expectations.filter((e) => e.status === 'failed').map((e) => `${e.name}: ${e.message}`),
        ...result.steps.filter((s) => s.outcome === 'error').map((s) => `step ${s.index + 1}: ${s.message}`),
        ...(result.error ? [result.error.message] : []),
      ];
      expect(failures).toEqual([]);
      expect(result.status).toBe('passed');
      expect(result.expectations.length).toBeGreaterThan(0);
    });
  }

  it('tag the seed behaviours they demonstrate', () => {
    const tags = new Set(files.flatMap((f) => compileScenario(loadScenarioFile(f)).tags.filter((t) => /^S\d\d$/.test(t))));
    // every seed behaviour of ../shared/SEED-BEHAVIOURS.md (S01-S37) has a scenario
    const missing = Array.from({ length: 37 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`).filter((id) => !tags.has(id));
    expect(missing).toEqual([]);
  });
});
