// `kuberehearse run --watch` end to end: the real binary on a temp folder, a changed manifest
// re-runs only the scenario that reads it, a broken scenario is reported and the watch goes on,
// and Ctrl-C (SIGINT) ends it with the last run's exit code.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { affectedScenarios, buildGraph, watchScenarios } from '../src/cli/watch.js';
import { parseRunArgs } from '../src/cli/args.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/kuberehearse.js');

const pod = (label: string) => `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: ${label}}}
spec: {containers: [{name: main, image: nginx}]}
`;

describe('kuberehearse run --watch', () => {
  it('re-runs the scenarios a change affects, keeps going after failures, and exits on SIGINT', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-watch-'));
    mkdirSync(path.join(dir, 'manifests'));
    writeFileSync(path.join(dir, 'manifests', 'pod.yaml'), pod('web'));
    writeFileSync(path.join(dir, 'a.scenario.yaml'), 'name: reads manifests\nmanifests: [{file: manifests/}]\nexpect:\n  - {at: 10s, pods: {selector: app=web}, ready: 1}\n');
    writeFileSync(path.join(dir, 'b.scenario.yaml'), 'name: on its own\nmanifests: [{file: other.yaml}]\nexpect:\n  - {at: 10s, pods: {selector: app=solo}, ready: 1}\n');
    writeFileSync(path.join(dir, 'other.yaml'), pod('solo'));

    const child = spawn(process.execPath, [bin, 'run', '--watch', '.', '--reporter', 'terminal,json', '--output-file.json', 'report.json'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '', GITHUB_ACTIONS: '' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = async (re: RegExp, count: number) => {
      const deadline = Date.now() + 30_000;
      while ((out.match(new RegExp(re.source, 'g')) ?? []).length < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} x${count}; output so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(/watching for changes/, 1);
      expect(out).toContain('2 passed, 0 failed');

      writeFileSync(path.join(dir, 'manifests', 'pod.yaml'), pod('other'));
      await waitFor(/watching for changes/, 2);
      expect(out).toContain('changed: manifests/pod.yaml; re-running 1 scenario');
      expect(out).toContain('✗ a.scenario.yaml > reads manifests');
      expect(out).toContain('0 passed, 1 failed');
      expect(out).not.toMatch(/\x1b\[2J/); // not a terminal: earlier runs are not cleared

      writeFileSync(path.join(dir, 'b.scenario.yaml'), 'name: on its own\nexpect: [\n');
      await waitFor(/watching for changes/, 3);
      expect(out).toContain('changed: b.scenario.yaml; re-running 1 scenario');
      expect(out).toMatch(/b\.scenario\.yaml:\d+:\d+: YAML syntax error/);

      writeFileSync(path.join(dir, 'manifests', 'pod.yaml'), pod('web'));
      await waitFor(/watching for changes/, 4);
      expect(out.split('changed: ').at(-1)).toContain('1 passed, 0 failed');

      // a scenario in a new folder is found and run
      mkdirSync(path.join(dir, 'more'));
      writeFileSync(path.join(dir, 'more', 'c.scenario.yaml'), 'name: new one\nmanifests: [{file: ../other.yaml}]\nexpect:\n  - {at: 10s, pods: {selector: app=solo}, ready: 1}\n');
      await waitFor(/watching for changes/, 5);
      expect(out.split('changed: ').at(-1)).toContain('✓ more/c.scenario.yaml > new one');
      // report.json, written by every run beside other.yaml, never triggers a run of its own
      await new Promise((r) => setTimeout(r, 500));
      expect(out.match(/^changed: /gm)).toHaveLength(4);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});

describe('affectedScenarios', () => {
  const graph = new Map([
    ['/p/a.scenario.yaml', new Set(['/p/a.scenario.yaml', '/p/m/pod.yaml'])],
    ['/p/b.scenario.yaml', new Set(['/p/b.scenario.yaml'])],
  ]);
  it('maps a changed file to the scenarios that read it or its folder', () => {
    expect(affectedScenarios(['/p/m/pod.yaml'], [graph])).toEqual(['/p/a.scenario.yaml']);
    expect(affectedScenarios(['/p/m/new.yaml'], [graph])).toEqual(['/p/a.scenario.yaml']);
    expect(affectedScenarios(['/p/b.scenario.yaml'], [graph])).toEqual(['/p/b.scenario.yaml']);
    // a scenario file beside another scenario's inline manifests affects only itself
    expect(affectedScenarios(['/p/c.scenario.yaml'], [graph])).toEqual([]);
    // editor swap files, golden traces, non-manifest files and the run's own reports do not trigger runs
    expect(affectedScenarios(['/p/m/.pod.yaml.swp', '/p/m/pod.yaml~', '/p/m/__snapshots__/x.snap.json', '/p/m/notes.txt'], [graph])).toEqual([]);
    expect(affectedScenarios(['/p/m/report.json'], [graph], new Set(['/p/m/report.json']))).toEqual([]);
  });
});

describe('buildGraph', () => {
  it('records the files a scenario reads: manifests, step files and --from-file sources', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-deps-'));
    mkdirSync(path.join(dir, 'conf'));
    writeFileSync(path.join(dir, 'conf', 'app.properties'), 'mode=fast\n');
    writeFileSync(path.join(dir, 'pod.yaml'), pod('web'));
    writeFileSync(path.join(dir, 'later.yaml'), pod('later').replace('name: web', 'name: later'));
    writeFileSync(
      path.join(dir, 's.scenario.yaml'),
      'name: deps\nmanifests: [{file: pod.yaml}]\nsteps:\n  - {at: 1s, kubectl: apply -f later.yaml}\n  - {at: 2s, kubectl: create configmap conf --from-file=conf/}\nexpect:\n  - {at: 5s, pods: {selector: app=web}, ready: 1}\n',
    );
    const graph = await buildGraph(['.'], dir);
    const deps = [...graph.get(path.join(dir, 's.scenario.yaml'))!].map((d) => path.relative(dir, d)).sort();
    expect(deps).toEqual(['conf', 'later.yaml', 'pod.yaml', 's.scenario.yaml']);
    expect(affectedScenarios([path.join(dir, 'conf', 'app.properties')], [graph])).toEqual([path.join(dir, 's.scenario.yaml')]);
  });
});

describe('watchScenarios', () => {
  it('clears a terminal between runs, passes the affected files, and returns the last exit code when stopped', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-watch-tty-'));
    writeFileSync(path.join(dir, 'pod.yaml'), pod('web'));
    writeFileSync(path.join(dir, 'a.scenario.yaml'), 'name: a\nmanifests: [{file: pod.yaml}]\nexpect:\n  - {at: 10s, pods: {selector: app=web}, ready: 1}\n');
    writeFileSync(path.join(dir, 'b.scenario.yaml'), 'name: b\nmanifests: [{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}]\nexpect:\n  - {at: 1s, object: configmap/c}\n');
    let out = '';
    const runs: string[][] = [];
    const codes = [0, 1];
    const ac = new AbortController();
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t), cwd: dir, isTTY: true, env: {} };
    const done = watchScenarios(parseRunArgs(['.']), io, async (paths) => {
      runs.push(paths);
      return codes[runs.length - 1] ?? 0;
    }, { signal: ac.signal, debounceMs: 20 });
    while (!out.includes('watching for changes')) await new Promise((r) => setTimeout(r, 10));
    writeFileSync(path.join(dir, 'pod.yaml'), pod('changed'));
    while (runs.length < 2) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    expect(await done).toBe(1);
    expect(runs).toEqual([['.'], ['a.scenario.yaml']]);
    expect(out).toContain('\x1b[2J');
    expect(out.indexOf('\x1b[2J')).toBeLessThan(out.indexOf('changed: pod.yaml; re-running 1 scenario'));
  });
});
