// End-to-end: `kubectl get|describe` steps through the real binary (issue 8 item 3). The terminal
// reporter prints each view with --views; the json report carries it on the step and, with
// --trace, as a `view` trace record; the html report shows it under the step.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/kuberehearse.js');
const scenario = 'scenarios/basics/kubectl-get-describe.scenario.yaml';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: 'true', GITHUB_ACTIONS: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kubectl views', () => {
  it('--views prints the tables kubectl would print under the scenario', () => {
    const r = cli(['run', scenario, '--views']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.includes('$ kubectl get deployments,replicasets,services'));
    expect(at).toBeGreaterThan(0);
    // kubectl's columns, tabwriter padding (widest cell + 3) and resource-prefixed names
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '    NAME                    READY   UP-TO-DATE   AVAILABLE   AGE',
      '    deployment.apps/kubia   2/2     2            2           31s',
    ]);
    const pods = lines.findIndex((l) => l.includes('$ kubectl get pods -o wide'));
    expect(lines[pods + 1]).toMatch(/^ {4}NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/);
    expect(lines[pods + 2]).toMatch(/^ {4}kubia-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 +30s +10\.244\.\d+\.\d+ +node-1 +<none> +<none>$/);
    expect(r.stdout).toContain('    No resources found in kube-public namespace.');
    expect(r.stdout).toContain('    Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable');
  });

  it('without --views only counts the views; json and html carry them', () => {
    const plain = cli(['run', scenario]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('NAME   ');
    expect(plain.stdout).toMatch(/\d+ kubectl views: --views/);

    const dir = mkdtempSync(path.join(tmpdir(), 'kr-views-'));
    const json = path.join(dir, 'r.json');
    const html = path.join(dir, 'r.html');
    const r = cli(['run', scenario, '--trace', '--reporter', 'json', '--output-file.json', json, '--reporter', 'html', '--output-file.html', html]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    const steps = doc.scenarios[0].steps;
    const get = steps.find((s: any) => s.action === 'kubectl get deployments,replicasets,services');
    expect(get.view.split('\n')[0]).toBe('NAME                    READY   UP-TO-DATE   AVAILABLE   AGE');
    expect(get.message).toBeUndefined();
    const views = doc.scenarios[0].trace.filter((t: any) => t.type === 'view');
    expect(views.length).toBe(steps.filter((s: any) => s.view !== undefined).length);
    expect(Object.keys(views[0])).toEqual(['t', 'type', 'index', 'command', 'text']);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<pre class="view">NAME                    READY   UP-TO-DATE   AVAILABLE   AGE');
    expect(page).toMatch(/<a href="#scenario-1-step-2" class="view-link">/);
  });

  it('a get of a missing object fails the step with the server\'s NotFound', () => {
    const r = cli(['run', scenario, '--reporter', 'json']);
    const step = JSON.parse(r.stdout).scenarios[0].steps.find((s: any) => s.action === 'kubectl get pod does-not-exist');
    expect(step.outcome).toBe('ok');
    expect(step.message).toBe('failed as expected: Error from server (NotFound): pods "does-not-exist" not found');
  });
});
