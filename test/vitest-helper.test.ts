// The vitest helper as a user imports it: `kuberehearse/vitest` through the package's exports
// map (the compiled dist/), one `it` per scenario, and a failure whose message is the terminal
// failure story.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectScenario, scenarioTests, ScenarioFailure } from 'kuberehearse/vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('scenarioTests on two bundled scenarios', () => {
  scenarioTests(['scenarios/pods/replacement-at-once.scenario.yaml', 'scenarios/pods/golden-pod-lifecycle.scenario.yaml'], { cwd: root, ci: true });
});

describe('package exports', () => {
  it('keep the package root working beside kuberehearse/vitest', async () => {
    const lib = await import('kuberehearse');
    const result = lib.run(lib.loadScenario(path.join(root, 'scenarios/pods/replacement-at-once.scenario.yaml')));
    expect(result.status).toBe('passed');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.exports)).toEqual(['.', './vitest', './schema/scenario.schema.json', './package.json']);
  });
});

describe('expectScenario', () => {
  it('returns the typed result of a passing scenario', () => {
    const r = expectScenario('scenarios/pods/replacement-at-once.scenario.yaml', { cwd: root });
    expect(r.status).toBe('passed');
    expect(r.expectations.map((e) => e.status)).toEqual(r.expectations.map(() => 'passed'));
  });

  it('throws the terminal failure story for a failing scenario', () => {
    let failure: unknown;
    try {
      expectScenario('test/fixtures/failing/replicaset-shortfall.scenario.yaml', { cwd: root });
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(ScenarioFailure);
    const message = (failure as ScenarioFailure).message;
    // the same block the CLI prints under "Failures (1)", up to the summary
    const cli = spawnSync(process.execPath, [path.join(root, 'bin/kuberehearse.js'), 'run', 'test/fixtures/failing/replicaset-shortfall.scenario.yaml'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', GITHUB_ACTIONS: '' },
    }).stdout;
    expect(cli).toContain(' FAIL ');
    const block = cli.slice(cli.indexOf(' FAIL '), cli.indexOf('\n    Scenarios')).trim();
    expect(message).toBe(block);
    expect((failure as ScenarioFailure).result.status).toBe('failed');
  });

  it('reports an invalid scenario with file:line:col', () => {
    expect(() => expectScenario('test/fixtures/cli/malformed.scenario.yaml', { cwd: root })).toThrow(/^test\/fixtures\/cli\/malformed\.scenario\.yaml:5:5: unknown key 'kubctl'/);
  });
});
