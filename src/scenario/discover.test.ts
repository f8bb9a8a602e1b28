import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from './diagnostics.js';
import { discoverScenarioFiles } from './discover.js';

const CWD = process.cwd();
const D = 'test/fixtures/loader/discover';

describe('discoverScenarioFiles', () => {
  it('finds *.scenario.yaml and *.scenario.yml below directories, sorted, skipping dot directories', async () => {
    expect(await discoverScenarioFiles([D], CWD)).toEqual([`${D}/a.scenario.yaml`, `${D}/b/c.scenario.yml`, `${D}/b/d.scenario.yaml`]);
  });

  it('accepts explicit files whatever their name, and de-duplicates', async () => {
    expect(
      await discoverScenarioFiles([`${D}/explicit.yaml`, `${D}/b`, `${D}/b/c.scenario.yml`, `./${D}/a.scenario.yaml`, D], CWD),
    ).toEqual([`${D}/a.scenario.yaml`, `${D}/b/c.scenario.yml`, `${D}/b/d.scenario.yaml`, `${D}/explicit.yaml`]);
  });

  it('resolves relative paths against cwd and keeps them relative', async () => {
    expect(await discoverScenarioFiles(['b'], path.join(CWD, D))).toEqual(['b/c.scenario.yml', 'b/d.scenario.yaml']);
    expect(await discoverScenarioFiles(['.'], path.join(CWD, D, 'b'))).toEqual(['c.scenario.yml', 'd.scenario.yaml']);
  });

  it('returns absolute paths for absolute arguments', async () => {
    const abs = path.join(CWD, D, 'b');
    expect(await discoverScenarioFiles([abs], '/')).toEqual([`${abs}/c.scenario.yml`, `${abs}/d.scenario.yaml`]);
  });

  describe('node_modules', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kr-discover-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    it('is skipped', async () => {
      mkdirSync(path.join(root, 'node_modules/pkg'), { recursive: true });
      mkdirSync(path.join(root, 'src'), { recursive: true });
      writeFileSync(path.join(root, 'node_modules/pkg/x.scenario.yaml'), 'name: x\n');
      writeFileSync(path.join(root, 'src/y.scenario.yaml'), 'name: y\n');
      expect(await discoverScenarioFiles(['.'], root)).toEqual(['src/y.scenario.yaml']);
    });
  });

  it('reports every missing path', async () => {
    const err = await discoverScenarioFiles([D, 'nope', 'gone.scenario.yaml'], CWD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`)).toEqual([
      'nope:1:1: no such file or directory: nope',
      'gone.scenario.yaml:1:1: no such file or directory: gone.scenario.yaml',
    ]);
  });
});
