// End-to-end tests of the CLI items of issue 8: --shard, --max-workers, list, init, the config
// file and per-command --help, through the real binary over dist/.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseShard, shardFiles } from '../src/cli/shard.js';
import { parseMaxWorkers } from '../src/cli/pool.js';
import { applyConfig, checkConfig } from '../src/cli/config.js';
import { parseRunArgs } from '../src/cli/args.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/kuberehearse.js');

function cli(args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? root,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: 'true', GITHUB_ACTIONS: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const listed = (args: string[]) => JSON.parse(cli(['list', ...args, '--json']).stdout) as { file: string; name: string; tags: string[] }[];

describe('--shard', () => {
  it('1/3, 2/3 and 3/3 together list every scenario exactly once', () => {
    const all = listed(['scenarios/']).map((s) => s.file);
    const parts = [1, 2, 3].map((i) => listed(['scenarios/', '--shard', `${i}/3`]).map((s) => s.file));
    expect(parts.every((p) => p.length > 0)).toBe(true);
    expect(parts.flat().sort()).toEqual([...all].sort());
    expect(new Set(parts.flat()).size).toBe(all.length);
  });

  it('runs only its shard', () => {
    const r = cli(['run', 'scenarios/workloads', '--shard', '1/2', '--reporter', 'json']);
    expect(r.code).toBe(0);
    const files = JSON.parse(r.stdout).scenarios.map((s: { file: string }) => s.file);
    expect(files).toEqual(listed(['scenarios/workloads', '--shard', '1/2']).map((s) => s.file));
  });

  it('rejects an index past the total with Playwright\'s message (exit 2)', () => {
    const r = cli(['run', '--shard', '4/3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shard "4/3" current must be a positive number, not greater than shard total');
    expect(() => parseShard('0/3')).toThrow(/current must be a positive number/);
    expect(() => parseShard('a/b')).toThrow(/<index>\/<count>/);
  });

  it('is a function of the path set, not of the input order', () => {
    const files = Array.from({ length: 20 }, (_, i) => `s/f${i}.scenario.yaml`);
    const a = shardFiles(files, { index: 2, count: 3 }, '/x');
    const b = shardFiles([...files].reverse(), { index: 2, count: 3 }, '/x');
    expect([...b].sort()).toEqual([...a].sort());
  });
});

describe('--max-workers', () => {
  it('gives byte-identical json for 1 and 4 workers', () => {
    const one = cli(['run', 'scenarios/workloads', 'scenarios/jobs', 'scenarios/basics', '--reporter', 'json', '--trace', '--max-workers', '1']);
    const four = cli(['run', 'scenarios/workloads', 'scenarios/jobs', 'scenarios/basics', '--reporter', 'json', '--trace', '--max-workers', '4']);
    expect(one.code).toBe(0);
    expect(four.stderr).toBe('');
    expect(four.stdout).toBe(one.stdout);
  });

  it('reports the failing story in file order on workers too', () => {
    const one = cli(['run', 'test/fixtures/failing', '--no-color']);
    const two = cli(['run', 'test/fixtures/failing', '--no-color', '--max-workers', '2']);
    expect(two.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
  });

  it('parses n and n% and rejects 0', () => {
    expect(parseMaxWorkers('3', 8)).toBe(3);
    expect(parseMaxWorkers('50%', 8)).toBe(4);
    expect(parseMaxWorkers('10%', 2)).toBe(1);
    expect(() => parseMaxWorkers('0')).toThrow(/positive integer/);
    expect(cli(['run', '--max-workers', 'many']).code).toBe(2);
  });
});

describe('list', () => {
  it('prints file > name [tags] and a count', () => {
    const r = cli(['list', 'scenarios/workloads/rc-keeps-replicas.scenario.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'scenarios/workloads/rc-keeps-replicas.scenario.yaml > A ReplicationController keeps its replica count and replaces a deleted pod at once [S25, S18, replicationcontroller]\n1 scenario\n',
    );
  });

  it('--json gives names and tags', () => {
    expect(listed(['scenarios/workloads/rc-keeps-replicas.scenario.yaml'])).toEqual([
      { file: 'scenarios/workloads/rc-keeps-replicas.scenario.yaml', name: 'A ReplicationController keeps its replica count and replaces a deleted pod at once', tags: ['S25', 'S18', 'replicationcontroller'] },
    ]);
  });
});

describe('init', () => {
  it('scaffolds a runnable scenario with a starter expectation per workload and never overwrites', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-init-'));
    mkdirSync(path.join(dir, 'k8s'));
    writeFileSync(
      path.join(dir, 'k8s/app.yaml'),
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: agent}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
`,
    );
    const r = cli(['init', 'k8s'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = path.join(dir, 'scenarios/example.scenario.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/kuberehearse/schema/scenario.schema.json');
    expect(text).toContain('Deployment web has 2 ready pods');
    expect(text).toContain('DaemonSet agent runs one pod per node');
    expect(text).toContain('Job once succeeds');
    // the Deployment and DaemonSet starters hold on the simulator; the Job's image has no app
    // model (it runs forever), so only its expectation fails
    const run = cli(['run', path.join(dir, 'scenarios'), '--reporter', 'json']);
    const exps = JSON.parse(run.stdout).scenarios[0].expectations.map((e: { name: string; status: string }) => [e.name, e.status]);
    expect(exps).toEqual([
      ['Deployment web has 2 ready pods', 'passed'],
      ['DaemonSet agent runs one pod per node', 'passed'],
      ['Job once succeeds', 'failed'],
    ]);
    const again = cli(['init', 'k8s'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('scenarios/example.scenario.yaml already exists');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('exits 2 for a folder that does not exist', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-init-'));
    expect(cli(['init', 'nope'], { cwd: dir }).code).toBe(2);
    expect(existsSync(path.join(dir, 'scenarios'))).toBe(false);
  });
});

describe('config file', () => {
  it('supplies defaults that flags override', () => {
    const args = applyConfig(parseRunArgs(['--seed', '7']), checkConfig('c.json', { seed: 3, reporters: ['json'], strict: true, maxWorkers: 2 }));
    expect(args.seed).toBe(7);
    expect(args.reporters).toEqual(['json']);
    expect(args.strict).toBe(true);
    expect(args.maxWorkers).toBe('2');
  });

  it('is read from the cwd (json and yaml), and an unknown key exits 2 with did-you-mean', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-config-'));
    writeFileSync(path.join(dir, 'kuberehearse.config.yaml'), `include: [${JSON.stringify(path.join(root, 'scenarios/basics'))}]\nreporters: [json]\n`);
    const r = cli([], { cwd: dir });
    expect(r.code).toBe(0);
    // scenarios/basics: labels-selectors-namespaces and kubectl-get-describe
    expect(JSON.parse(r.stdout).summary.passed).toBe(2);
    expect(cli(['--reporter', 'terminal'], { cwd: dir }).stdout).toMatch(/2 passed, 0 failed/);
    writeFileSync(path.join(dir, 'kuberehearse.config.json'), '{"reporter": ["json"]}');
    const bad = cli([], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("kuberehearse.config.json: unknown key 'reporter'; did you mean 'reporters'?");
  });
});

describe('config file in JavaScript or TypeScript', () => {
  const basics = JSON.stringify(path.join(root, 'scenarios/basics'));
  it.each([
    ['kuberehearse.config.mjs', `export default { include: [${basics}], reporters: ['json'] };\n`],
    ['kuberehearse.config.js', `export default Promise.resolve({ include: [${basics}], reporters: ['json'] });\n`],
    // typed with the library's defineConfig; transpiled with the project's typescript package
    ['kuberehearse.config.ts', `import { defineConfig } from ${JSON.stringify(path.join(root, 'dist/src/index.js'))};\nconst reporters: string[] = ['json'];\nexport default defineConfig({ include: [${basics}], reporters });\n`],
  ])('%s supplies the defaults', (name, text) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-config-'));
    writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}');
    writeFileSync(path.join(dir, name), text);
    const r = cli([], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.passed).toBe(2);
    // the transpiled module is removed again
    expect(readdirSync(dir).sort()).toEqual([name, 'package.json'].sort());
  });

  it('a config without a default export or with a bad value is an input error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-config-'));
    writeFileSync(path.join(dir, 'kuberehearse.config.mjs'), 'export const reporters = ["json"];\n');
    const none = cli([], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('kuberehearse.config.mjs: has no default export');
    writeFileSync(path.join(dir, 'kuberehearse.config.mjs'), 'export default { seed: -1 };\n');
    const bad = cli([], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("kuberehearse.config.mjs: 'seed' must be a non-negative integer, got -1");
  });
});

describe('--help per command', () => {
  it.each([
    ['run', '--max-workers <n|n%>'],
    ['list', 'kuberehearse list'],
    ['validate', 'kuberehearse validate'],
    ['init', 'kuberehearse init'],
    ['fuzz', 'kuberehearse fuzz'],
    ['schema', 'kuberehearse schema'],
  ])('%s --help', (cmd, text) => {
    const r = cli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(text);
  });
});
