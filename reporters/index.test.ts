import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  builtinReporters,
  createGithubReporter,
  createHtmlReporter,
  createJsonReporter,
  createJunitReporter,
  createTerminalReporter,
  defaultOutputFiles,
  loadReporter,
  ReporterError,
  reportersNeedingTrace,
} from './index.js';
import { summaryOf, todoScenario } from './results.fixture.js';
import type { ReporterContext } from './types.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kuberehearse-reporters-'));
  writeFileSync(
    path.join(dir, 'count.mjs'),
    'export default (ctx) => ({\n' +
      '  onRunEnd(summary) { ctx.write(`custom: ${summary.scenarios.length} scenario(s), prefix=${ctx.options.prefix}\\n`); },\n' +
      '});\n',
  );
  writeFileSync(path.join(dir, 'klass.mjs'), 'export default class { constructor(ctx) { this.ctx = ctx; } onRunEnd() { this.ctx.write("class\\n"); } }\n');
  writeFileSync(path.join(dir, 'named.mjs'), 'export const reporter = () => ({ onRunEnd() {} });\n');
  writeFileSync(path.join(dir, 'object.mjs'), 'export default { onRunEnd() {} };\n');
  writeFileSync(path.join(dir, 'empty-factory.mjs'), 'export default () => ({});\n');
  writeFileSync(path.join(dir, 'broken.mjs'), 'export default (ctx) => {\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function ctx(options: Record<string, unknown> = {}): { ctx: ReporterContext; out: () => string } {
  let out = '';
  return {
    ctx: { write: (t) => (out += t), color: false, isTTY: false, cwd: dir, options },
    out: () => out,
  };
}

async function loadError(nameOrPath: string): Promise<ReporterError> {
  const err = await loadReporter(nameOrPath, dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReporterError);
  return err as ReporterError;
}

describe('builtinReporters', () => {
  test('holds terminal, json, junit, github and html', () => {
    expect(Object.keys(builtinReporters)).toEqual(['terminal', 'json', 'junit', 'github', 'html']);
    expect(builtinReporters.terminal).toBe(createTerminalReporter);
    expect(builtinReporters.json).toBe(createJsonReporter);
    expect(builtinReporters.junit).toBe(createJunitReporter);
    expect(builtinReporters.github).toBe(createGithubReporter);
    expect(builtinReporters.html).toBe(createHtmlReporter);
  });

  test('the html page goes to a file by default and needs the trace', () => {
    expect(defaultOutputFiles).toEqual({ html: 'kuberehearse-report.html' });
    expect([...reportersNeedingTrace]).toEqual(['html']);
  });
});

describe('loadReporter', () => {
  test('returns built-ins by name', async () => {
    expect(await loadReporter('json', dir)).toBe(createJsonReporter);
    expect(await loadReporter('terminal', dir)).toBe(createTerminalReporter);
  });

  test('loads a custom reporter module relative to cwd, and it runs', async () => {
    const factory = await loadReporter('./count.mjs', dir);
    const c = ctx({ prefix: 'x' });
    await factory(c.ctx).onRunEnd(summaryOf([todoScenario()]));
    expect(c.out()).toBe('custom: 1 scenario(s), prefix=x\n');
  });

  test('loads a module by absolute path', async () => {
    const factory = await loadReporter(path.join(dir, 'count.mjs'), '/');
    const c = ctx();
    await factory(c.ctx).onRunEnd(summaryOf([]));
    expect(c.out()).toBe('custom: 0 scenario(s), prefix=undefined\n');
  });

  test('constructs a class exported as default', async () => {
    const c = ctx();
    await (await loadReporter('./klass.mjs', dir))(c.ctx).onRunEnd(summaryOf([]));
    expect(c.out()).toBe('class\n');
  });

  test('an unknown name lists the built-ins and suggests the closest', async () => {
    const err = await loadError('jsno');
    expect(err.code).toBe('KUBEREHEARSE_REPORTER');
    expect(err.message).toBe(
      'unknown reporter "jsno" (did you mean "json"?); built-in reporters are: terminal, json, junit, github, html. ' +
        'For a custom reporter, give a path to a module whose default export is a reporter factory, e.g. --reporter ./my-reporter.js',
    );
    expect((await loadError('junit-xml')).message).toMatch(/^unknown reporter "junit-xml"; built-in reporters are: terminal, json, junit, github, html\./);
  });

  test('a built-in name is not confused with Object.prototype members', async () => {
    expect((await loadError('constructor')).message).toMatch(/^unknown reporter "constructor"/);
  });

  test('a missing module says where it looked', async () => {
    const err = await loadError('./nope.js');
    expect(err.message).toBe(
      `reporter module "./nope.js" not found (looked for the file ${path.join(dir, 'nope.js')}); ` +
        `paths are relative to ${dir}. Built-in reporters are: terminal, json, junit, github, html`,
    );
  });

  test('a module without a default export is rejected with an example', async () => {
    expect((await loadError('./named.mjs')).message).toMatch(
      /^reporter module "\.\/named\.mjs" has no default export; export a reporter factory, e\.g\. export default \(ctx\) =>/,
    );
  });

  test('a default export that is not a function is rejected', async () => {
    expect((await loadError('./object.mjs')).message).toMatch(
      /^the default export of reporter module "\.\/object\.mjs" is an object, expected a function \(ctx\) => Reporter/,
    );
  });

  test('a module that fails to import is reported with the cause', async () => {
    const err = await loadError('./broken.mjs');
    expect(err.message).toMatch(/^reporter module "\.\/broken\.mjs" failed to load: .+\. Reporter modules must be JavaScript/);
    expect(err.cause).toBeInstanceOf(Error);
  });

  test('a factory that returns no onRunEnd fails when created, naming the module', async () => {
    const factory = await loadReporter('./empty-factory.mjs', dir);
    expect(() => factory(ctx().ctx)).toThrow(
      new ReporterError('reporter module "./empty-factory.mjs": its factory must return an object with an onRunEnd(summary) method, got an object without onRunEnd'),
    );
  });
});
