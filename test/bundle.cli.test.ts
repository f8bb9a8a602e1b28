// The one-file bundle bin/kuberehearse.js runs (scripts/build-bundle.mjs, bin/load-cli.js) must be
// the CLI of dist/ and nothing else: same output, byte for byte, as dist/src/cli/main.js, and its
// dynamic imports (tinypool, config files, reporter modules) still load.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: '' };
delete env.FORCE_COLOR;

/** Runs main(args) of the bundle (via bin/load-cli.js) or of dist/src/cli/main.js in a fresh node. */
function runWith(loader: 'bundle' | 'modules', args: string[], cwd = root) {
  const load =
    loader === 'bundle'
      ? `const b = (await import(${JSON.stringify(pathToFileURL(path.join(root, 'bin/load-cli.js')).href)})).loadBundle(); if (!b) throw new Error('no bundle'); const { main } = b.exports;`
      : `const { main } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist/src/cli/main.js')).href)});`;
  const script = `${load} process.exitCode = await main(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the bundled CLI', () => {
  it('is what bin/ loads after a build', () => {
    const r = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(path.join(root, 'bin/load-cli.js')).href)}); const b = m.loadBundle(); console.log(JSON.stringify({ id: b?.id, main: typeof b?.exports.main }));`],
      { cwd: root, encoding: 'utf8', env },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), main: 'function' });
  });

  it('reports the same traces as the modules it was made from', () => {
    const args = ['run', 'scenarios/basics', 'scenarios/services/dns-names.scenario.yaml', '--reporter', 'json', '--trace'];
    const bundled = runWith('bundle', args);
    const modules = runWith('modules', args);
    expect(bundled.stderr).toBe('');
    expect(bundled.code).toBe(0);
    expect(JSON.parse(bundled.stdout).scenarios.length).toBeGreaterThan(1);
    // the json report holds no wall-clock time: two runs of the same build give the same bytes
    expect(bundled.stdout).toBe(modules.stdout);
    expect(bundled.code).toBe(modules.code);
  });

  it('loads tinypool, config files and reporter modules through its dynamic imports', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-bundle-'));
    writeFileSync(path.join(dir, 'kuberehearse.config.mjs'), `export default { include: [${JSON.stringify(path.join(root, 'scenarios/basics'))}] };\n`);
    writeFileSync(path.join(dir, 'count.mjs'), 'export default (ctx) => ({ onRunEnd(s) { ctx.write(`counted ${s.passed}\\n`) } });\n');
    // through bin/ (which runs the bundle, as the first test checks): --max-workers' threads take
    // node's flags, and `node -e` ones would not do for them
    const r = spawnSync(process.execPath, [path.join(root, 'bin/kuberehearse.js'), 'run', '--reporter', './count.mjs', '--max-workers', '2'], { cwd: dir, encoding: 'utf8', env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^counted [1-9]\d*\n$/);
  });
});
