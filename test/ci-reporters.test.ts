// End-to-end tests of the CI reporters through the real binary: junit and html files, and the
// github reporter that switches itself on under GitHub Actions.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findAll, parseXml } from '../reporters/xml.testkit.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/kuberehearse.js');
const failing = path.join(root, 'test/fixtures/failing');

function cli(args: string[], env: Record<string, string> = {}, cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    // the GitHub variables are cleared so the tests mean the same on a GitHub runner
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITHUB_WORKSPACE: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CI reporters through the CLI', () => {
  it('writes a junit file with the failure and its file:line, and an html page with the timeline', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kuberehearse-ci-'));
    const r = cli(['run', failing, '--reporter', 'junit,html', '--output-file.junit', path.join(dir, 'junit.xml')], {}, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(''); // both reporters write files

    const doc = parseXml(readFileSync(path.join(dir, 'junit.xml'), 'utf8'));
    const failures = findAll(doc, 'failure');
    expect(failures.length).toBeGreaterThan(0);
    expect(Number(doc.attrs.failures)).toBe(failures.length);
    const [c] = findAll(doc, 'testcase').filter((t) => t.children.some((x) => x.name === 'failure'));
    expect(c.attrs.file).toMatch(/test\/fixtures\/failing\/replicaset-shortfall\.scenario\.yaml$/);
    expect(Number(c.attrs.line)).toBeGreaterThan(0);

    // the html page goes to its default file, and the CLI kept the trace for it
    const html = readFileSync(path.join(dir, 'kuberehearse-report.html'), 'utf8');
    expect(html).toContain('<details class="scenario failed"');
    expect(html).toMatch(/<g class="lane pod"/);
    expect(html).toMatch(/<g class="marker failure failed"/);
  });

  it('on GitHub Actions with no reporter chosen, adds annotations and the job summary to the terminal output', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kuberehearse-gha-'));
    const summary = path.join(dir, 'summary.md');
    const r = cli(['run', 'test/fixtures/failing'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('0 passed, 1 failed\n'); // the terminal reporter is still there
    expect(r.stdout).toMatch(/^::error file=test\/fixtures\/failing\/replicaset-shortfall\.scenario\.yaml,line=\d+,col=\d+,title=/m);
    expect(readFileSync(summary, 'utf8')).toContain('❌ **1 failed** · 1 scenario');
  });

  it('does not annotate outside GitHub Actions, nor when a reporter was chosen', () => {
    expect(cli(['run', 'test/fixtures/failing']).stdout).not.toContain('::error');
    const dir = mkdtempSync(path.join(tmpdir(), 'kuberehearse-gha-'));
    const summary = path.join(dir, 'summary.md');
    const r = cli(['run', 'test/fixtures/failing', '--reporter', 'terminal'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(r.stdout).not.toContain('::error');
    expect(existsSync(summary)).toBe(false);
  });
});
