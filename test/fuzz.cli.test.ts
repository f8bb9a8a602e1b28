// End-to-end tests of `kuberehearse fuzz` through the real binary: exit codes, --runs, --seed
// determinism, the written counterexample and --replay. Few runs each, to stay fast.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/kuberehearse.js');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: 'true', GITHUB_ACTIONS: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PLANTED = 'scenarios/fuzz/two-deletions.scenario.yaml';
const HOLDS = 'scenarios/fuzz/shutdown-race-prestop.scenario.yaml';

describe('kuberehearse fuzz', () => {
  it('exits 0 with the confidence summary when no property breaks', () => {
    const r = cli(['fuzz', HOLDS, '--runs', '4']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`fuzz ${HOLDS}\n`);
    expect(r.stdout).toContain('✓ 4 generated timelines, no property broken');
    expect(r.stdout).toContain('checked: invariant noLostRequests');
    expect(r.stdout).toMatch(/faults exercised: deletePod \d+, latencyJitter 4/);
  });

  it('exits 1, writes a counterexample that fails under run, and prints the replay', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-fuzz-cli-'));
    const r = cli(['fuzz', PLANTED, '--runs', '50', '--out-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ counterexample after');
    expect(r.stdout).toContain('broke at least two pods stay ready once started at 10.005s: ready: expected >= 2, got 1');
    expect(r.stdout).toMatch(/minimal timeline \(2 faults, run seed \d+\):\n {6}10s  delete pod web-\w+ \(live pod \d of app=web\)\n {6}10s  delete pod web-\w+ \(live pod \d of app=web\)\n/);
    expect(r.stdout).toContain('(it fails under `kuberehearse run` for the same reason)');
    const files = readdirSync(dir);
    expect(files).toEqual(['two-deletions.counterexample-1.scenario.yaml']);
    const run = cli(['run', path.join(dir, files[0])]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ready: expected >= 2, got 1');

    const replay = /--replay (\d+:[\d:]+)/.exec(r.stdout)![1];
    const again = cli(['fuzz', PLANTED, '--replay', replay, '--out-dir', dir, '--reporter', 'json']);
    expect(again.code).toBe(1);
    const json = JSON.parse(again.stdout).scenarios[0];
    expect(json.runs).toBe(1);
    expect(json.counterexample.file).toBe(path.join(dir, 'two-deletions.counterexample-2.scenario.yaml'));
    expect(json.counterexample.reproduces).toBe(true);
    expect(json.counterexample.faults.map((f: any) => f.at)).toEqual([10000, 10000]);
  });

  it('gives the same result for the same --seed', () => {
    const facts = (seed: string) => {
      const r = cli(['fuzz', HOLDS, '--runs', '3', '--seed', seed, '--reporter', 'json']);
      expect(r.code).toBe(0);
      const { timing: _t, ...rest } = JSON.parse(r.stdout).scenarios[0];
      return rest;
    };
    const a = facts('11');
    expect(facts('11')).toEqual(a);
    expect(a.seed).toBe(11);
  });

  it('exits 2 on invalid input: a bad flag, a scenario without fuzz:, a malformed --replay', () => {
    const bad = cli(['fuzz', PLANTED, '--run', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('did you mean --runs?');
    const plain = cli(['fuzz', 'scenarios/workloads/rc-keeps-replicas.scenario.yaml']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('no scenario with a `fuzz:` section');
    expect(cli(['fuzz', PLANTED, '--replay', 'abc']).code).toBe(2);
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-fuzz-cli-'));
    const f = path.join(dir, 'noprops.scenario.yaml');
    writeFileSync(f, 'name: no properties\nexpect: [{at: 1s, pods: {}, count: 0}]\nfuzz: {faults: {deletePod: {max: 1}}}\n');
    const noProps = cli(['fuzz', f]);
    expect(noProps.code).toBe(2);
    expect(noProps.stderr).toContain('has no property to fuzz');
  });
});

// issue #7 "done when": the shutdown race is found within the default budget, the counterexample
// fails under `run`, and the same file passes once the fix (a preStop delay) is applied to it
describe('kuberehearse fuzz on the shutdown race', () => {
  it('finds it with its default budget, shrinks to at most three events, and the fixed counterexample passes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-fuzz-race-'));
    const r = cli(['fuzz', 'scenarios/fuzz/shutdown-race.scenario.yaml', '--out-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('broke invariant noLostRequests');
    const timeline = /minimal timeline \((\d+) faults?/.exec(r.stdout);
    expect(Number(timeline![1])).toBeLessThanOrEqual(3);
    const [file] = readdirSync(dir);
    const broken = cli(['run', path.join(dir, file)]);
    expect(broken.code).toBe(1);
    const text = readFileSync(path.join(dir, file), 'utf8');
    const container = 'containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]';
    const fixed = text.includes(container)
      ? text.replace(container, 'containers: [{name: web, image: nginx, ports: [{containerPort: 80}], lifecycle: {preStop: {sleep: {seconds: 5}}}}]')
      : text.replace(/( +)- name: web\n\1  image: nginx\n/, (m, ind) => `${m}${ind}  lifecycle: {preStop: {sleep: {seconds: 5}}}\n`);
    expect(fixed).not.toBe(text);
    writeFileSync(path.join(dir, 'fixed.scenario.yaml'), fixed);
    const ok = cli(['run', path.join(dir, 'fixed.scenario.yaml')]);
    expect(ok.stdout).toContain('1 passed, 0 failed');
    expect(ok.code).toBe(0);
  });
});
