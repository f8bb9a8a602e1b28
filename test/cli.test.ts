// End-to-end tests of the real binary (bin/kuberehearse.js over dist/), one per exit code and
// per user-visible promise of the CLI.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/kuberehearse.js');

function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? root,
    encoding: 'utf8',
    // the json report with traces of every bundled scenario is many MiB
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: 'true', GITHUB_ACTIONS: '', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kuberehearse run', () => {
  it('runs the bundled scenarios and exits 0', () => {
    const r = cli(['run', 'scenarios/']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // todo scenarios (known gaps, marked with their reason) count as skipped
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed(, \d+ skipped)?\n$/m);
    expect(r.stdout).not.toMatch(/^[✗!] /m);
  });

  it('defaults to scenarios/ and to the run command', () => {
    const r = cli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scenarios/workloads/rc-keeps-replicas.scenario.yaml');
  });

  it('exits 1 on a failing expectation and prints the pinned failure story', () => {
    const r = cli(['run', 'test/fixtures/failing', '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(readFileSync(path.join(root, 'test/fixtures/failing/expected-output.txt'), 'utf8'));
  });

  it('exits 2 with file:line:col for a malformed scenario, and runs nothing', () => {
    const r = cli(['run', 'test/fixtures/cli/malformed.scenario.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("test/fixtures/cli/malformed.scenario.yaml:5:5: unknown key 'kubctl' in step; did you mean 'kubectl'?");
    expect(r.stderr).toContain('nothing was run');
    expect(r.stdout).toBe('');
  });

  it('exits 2 with the manifest position when the API server rejects a manifest', () => {
    const r = cli(['run', 'test/fixtures/cli/bad-manifest.scenario.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('test/fixtures/cli/bad-manifest.scenario.yaml:3:5: the API server rejected this manifest');
    expect(r.stdout).toContain('`selector` does not match template `labels`');
  });

  it('reports a scenario without expectations as an error instead of a vacuous pass', () => {
    const r = cli(['run', 'test/fixtures/cli/no-expectations.scenario.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-expectations.scenario.yaml:1:7: the scenario declares no expectation');
  });

  it('exits 1 when no scenario is found, 0 with --pass-with-no-tests', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-empty-'));
    const r = cli(['run', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('No scenario files found, exiting with code 1');
    expect(cli(['run', dir, '--pass-with-no-tests']).code).toBe(0);
  });

  it('exits 2 for an unknown flag, with a did-you-mean', () => {
    const r = cli(['run', '--reporterr', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--reporterr'");
    expect(r.stderr).toContain('did you mean --reporter?');
  });

  it('exits 2 for a path that does not exist', () => {
    const r = cli(['run', 'no/such/dir']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/dir');
  });

  it('exits 3 on an internal error and says it is a bug', () => {
    const r = cli(['run', 'scenarios/basics', '--reporter', './test/fixtures/cli/throwing-reporter.mjs']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('internal error (this is a bug)');
    expect(r.stderr).toContain('reporter exploded');
  });

  it('gives byte-identical JSON for two runs of the same scenarios', () => {
    const a = cli(['run', 'scenarios/', '--reporter', 'json', '--trace']);
    const b = cli(['run', 'scenarios/', '--reporter', 'json', '--trace']);
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout).toBe(b.stdout);
    const doc = JSON.parse(a.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.scenarios.every((s: any) => Array.isArray(s.trace) && s.trace.length > 0)).toBe(true);
  });

  it('changes generated names with --seed', () => {
    const names = (seed: string) =>
      JSON.parse(cli(['run', 'scenarios/workloads/rc-keeps-replicas.scenario.yaml', '--reporter', 'json', '--trace', '--seed', seed]).stdout)
        .scenarios[0].trace.filter((r: any) => r.type === 'object' && r.kind === 'Pod' && r.op === 'added')
        .map((r: any) => r.name);
    expect(names('1')).toEqual(names('1'));
    expect(names('1')).not.toEqual(names('2'));
  });

  it('filters scenarios by name with -t', () => {
    const r = cli(['run', 'scenarios/', '-t', 'cascade=orphan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 passed, 0 failed$/m);
  });

  it('writes a reporter to its own output file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-out-'));
    const out = path.join(dir, 'nested/report.json');
    const r = cli(['run', 'scenarios/basics', '--reporter', 'terminal', '--reporter', 'json', `--output-file.json=${out}`]);
    expect(r.code).toBe(0);
    // scenarios/basics: labels-selectors-namespaces and kubectl-get-describe
    expect(r.stdout).toMatch(/2 passed, 0 failed/);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.passed).toBe(2);
  });

  it('--strict fails on fields the simulator does not model yet, listing them', () => {
    const plain = cli(['run', 'test/fixtures/cli/unmodelled.scenario.yaml']);
    expect(plain.code).toBe(0);
    const strict = cli(['run', 'test/fixtures/cli/unmodelled.scenario.yaml', '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('unmodelled.scenario.yaml:3:5: Pod/probed: spec.containers[0].stdin is kept but not modelled yet');
  });

  it('--bail stops after the first failed scenario', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-bail-'));
    const text = readFileSync(path.join(root, 'test/fixtures/failing/replicaset-shortfall.scenario.yaml'), 'utf8');
    mkdirSync(path.join(dir, 's'));
    writeFileSync(path.join(dir, 's/a.scenario.yaml'), text);
    writeFileSync(path.join(dir, 's/b.scenario.yaml'), text.replace('name: A ReplicaSet', 'name: Another ReplicaSet'));
    const r = cli(['run', 's', '--bail'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^0 passed, 1 failed$/m);
  });
});

describe('kuberehearse schema / validate / --help', () => {
  it('prints the draft-07 scenario schema', () => {
    const r = cli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe('https://kuberehearse.dev/schema/scenario-v1.json');
  });

  it('validates without running', () => {
    const r = cli(['validate', 'scenarios/']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+ scenarios valid\n$/);
    expect(cli(['validate', 'test/fixtures/cli/malformed.scenario.yaml']).code).toBe(2);
  });

  it('documents the exit codes in --help', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 passed, 1 failed or no scenario found, 2 invalid input, 3 internal error.');
  });
});
