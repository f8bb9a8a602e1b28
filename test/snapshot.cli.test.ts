// Golden traces end to end, through the real binary: written on the first passing run, a change
// in behaviour fails with the first differing trace lines (terminal, junit, github), `-u`
// accepts it, and on CI a missing snapshot is a failure.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/kuberehearse.js');

function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '', GITHUB_ACTIONS: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scenario = (shutdown: string) => `name: golden
snapshot: true
apps:
  polite/app: {shutdown: ${shutdown}}
manifests:
  - apiVersion: v1
    kind: Pod
    metadata: {name: web, labels: {app: web}}
    spec: {containers: [{name: main, image: polite/app}]}
steps:
  - {at: 10s, name: delete, kubectl: delete pod web}
expect:
  - {within: 5s, after: delete, pods: {selector: app=web}, count: 0}
`;

describe('snapshot: true', () => {
  it('writes, matches, fails on a change with a diff, and is accepted by -u', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-golden-'));
    writeFileSync(path.join(dir, 'g.scenario.yaml'), scenario('2s'));
    const snap = path.join(dir, '__snapshots__', 'g.scenario.yaml.snap.json');

    const first = cli(['run', 'g.scenario.yaml'], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('trace snapshot written');
    const stored = JSON.parse(readFileSync(snap, 'utf8'));
    expect(stored.trace).toContain('12.005s deleted Pod default/web: Succeeded node=node-1 terminating');
    expect(readFileSync(snap, 'utf8')).not.toContain(dir);

    expect(cli(['run', 'g.scenario.yaml'], dir).code).toBe(0);

    writeFileSync(path.join(dir, 'g.scenario.yaml'), scenario('3s'));
    const changed = cli(['run', 'g.scenario.yaml', '--reporter', 'terminal,junit,github,html,json', '--output-file.junit', 'r.xml', '--output-file.html', 'r.html', '--output-file.json', 'r.json'], dir, { GITHUB_ACTIONS: 'true' });
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/✗ trace snapshot {2}g\.scenario\.yaml:2:11/);
    expect(changed.stdout).toMatch(/the trace differs from snapshot __snapshots__\/g\.scenario\.yaml\.snap\.json: \d+ trace lines differ \(\d+ removed, \d+ added\), first at line \d+/);
    expect(changed.stdout).toContain('- 12.005s deleted Pod default/web: Succeeded node=node-1 terminating');
    expect(changed.stdout).toContain('+ 13.005s deleted Pod default/web: Succeeded node=node-1 terminating');
    expect(changed.stdout).toMatch(/^::error file=g\.scenario\.yaml,line=2,col=11,title=golden > trace snapshot::the trace differs/m);
    expect(readFileSync(path.join(dir, 'r.xml'), 'utf8')).toMatch(/<failure message="the trace differs from snapshot[^"]*" type="SnapshotMismatch">/);
    expect(readFileSync(path.join(dir, 'r.html'), 'utf8')).toContain('<article class="failure snapshot"><h4>✗ trace snapshot <code>g.scenario.yaml:2:11</code></h4>');
    const json = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')).scenarios[0];
    expect(json.status).toBe('failed');
    expect(json.traceSnapshot).toMatchObject({ file: '__snapshots__/g.scenario.yaml.snap.json', status: 'mismatched', source: { line: 2, col: 11 } });
    expect(json.traceSnapshot.removed + json.traceSnapshot.added).toBeGreaterThan(0);
    expect(json.trace).toBeUndefined();
    expect(JSON.parse(readFileSync(snap, 'utf8'))).toEqual(stored);

    const updated = cli(['run', 'g.scenario.yaml', '-u'], dir);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain('trace snapshot updated');
    expect(JSON.parse(readFileSync(snap, 'utf8')).trace).toContain('13.005s deleted Pod default/web: Succeeded node=node-1 terminating');
    expect(cli(['run', 'g.scenario.yaml'], dir).code).toBe(0);
  });

  it('documents -u/--update and -w/--watch in run --help', () => {
    const help = cli(['run', '--help'], root).stdout;
    expect(help).toMatch(/^ {2}-u, --update {2,}\S/m);
    expect(help).toMatch(/^ {2}-w, --watch {2,}\S/m);
  });

  it('fails on CI when the snapshot is missing, and writes nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-golden-'));
    writeFileSync(path.join(dir, 'g.scenario.yaml'), scenario('2s'));
    const r = cli(['run', 'g.scenario.yaml'], dir, { CI: 'true' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no trace snapshot __snapshots__/g.scenario.yaml.snap.json, and snapshots are not written on CI (CI is set)');
    expect(existsSync(path.join(dir, '__snapshots__'))).toBe(false);
  });
});
