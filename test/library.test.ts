// The library API, as a user imports it from the package (the compiled dist/, like `main`).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('library API (package main)', () => {
  it('package.json main and types point at built files', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/src/index.js');
    expect(readFileSync(path.join(root, pkg.types), 'utf8')).toContain('export declare function run(');
  });

  it('loads and runs a scenario, and reports input errors as InputError', async () => {
    const lib = await import(path.join(root, 'dist/src/index.js'));
    const result = lib.run(lib.loadScenario(path.join(root, 'scenarios/pods/replacement-at-once.scenario.yaml')));
    expect(result.status).toBe('passed');
    expect(result.expectations.length).toBeGreaterThan(0);
    const again = lib.run(lib.loadScenario(path.join(root, 'scenarios/pods/replacement-at-once.scenario.yaml')), { trace: true });
    const third = lib.run(lib.loadScenario(path.join(root, 'scenarios/pods/replacement-at-once.scenario.yaml')), { trace: true });
    expect(JSON.stringify(again)).toBe(JSON.stringify(third));
    expect(() => lib.loadScenarioFromText('x.scenario.yaml', 'name: x\nbogus: 1\n')).toThrow(lib.InputError);
  });
});
