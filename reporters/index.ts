// Reporter registry: built-ins by name, anything else as a module path whose default export is a
// ReporterFactory (as vitest and Playwright accept a path in `--reporter`).

import { statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { didYouMean } from '../src/util/didYouMean.js';
import { createGithubReporter } from './github.js';
import { createHtmlReporter, DEFAULT_HTML_OUTPUT } from './html.js';
import { createJsonReporter } from './json.js';
import { createJunitReporter } from './junit.js';
import { createTerminalReporter } from './terminal.js';
import type { Reporter, ReporterContext, ReporterFactory } from './types.js';

export type { Reporter, ReporterContext, ReporterFactory } from './types.js';
export { createTerminalReporter, type TerminalReporterOptions } from './terminal.js';
export { createJsonReporter, JSON_SCHEMA_VERSION, type JsonReporterOptions } from './json.js';
export { createJunitReporter, renderJunitReport, type JunitReporterOptions } from './junit.js';
export { createGithubReporter, type GithubReporterOptions } from './github.js';
export { createHtmlReporter, renderHtmlReport, type HtmlReporterOptions } from './html.js';

/** The reporters selectable by name with `--reporter <name>`. `terminal` is the default. */
export const builtinReporters: Record<string, ReporterFactory> = {
  terminal: createTerminalReporter,
  json: createJsonReporter,
  junit: createJunitReporter,
  github: createGithubReporter,
  html: createHtmlReporter,
};

/**
 * Where a built-in reporter writes when the run names no output file for it; reporters not
 * listed write to stdout.
 */
export const defaultOutputFiles: Record<string, string> = { html: DEFAULT_HTML_OUTPUT };

/** Reporters whose output needs each scenario's trace kept in the results. */
export const reportersNeedingTrace: ReadonlySet<string> = new Set(['html']);

/** A reporter could not be found, loaded or created. The CLI prints the message and exits 2. */
export class ReporterError extends Error {
  readonly code = 'KUBEREHEARSE_REPORTER';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReporterError';
  }
}

const EXAMPLE = 'export default (ctx) => ({ onRunEnd(summary) { ctx.write(`${summary.passed} passed\\n`) } })';

function builtinList(): string {
  return Object.keys(builtinReporters).join(', ');
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  const t = typeof v;
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** A value meant as a file rather than a reporter name. */
function looksLikePath(s: string): boolean {
  return s.startsWith('.') || path.isAbsolute(s) || s.includes('/') || s.includes('\\') || /\.(c|m)?(j|t)s$/.test(s);
}

/**
 * The factory for a built-in reporter name, or for a module at a path (resolved against `cwd`)
 * whose default export is a {@link ReporterFactory} (or a class constructed with the context).
 *
 * @throws {ReporterError} for an unknown name (listing the built-ins), a missing or failing
 * module, or a module without a function as its default export.
 * @example await loadReporter('json', process.cwd())
 * @example await loadReporter('./ci/slack-reporter.js', process.cwd())
 */
export async function loadReporter(nameOrPath: string, cwd: string): Promise<ReporterFactory> {
  if (Object.prototype.hasOwnProperty.call(builtinReporters, nameOrPath)) return builtinReporters[nameOrPath];
  if (!looksLikePath(nameOrPath)) {
    const suggestion = didYouMean(nameOrPath, Object.keys(builtinReporters));
    throw new ReporterError(
      `unknown reporter ${JSON.stringify(nameOrPath)}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ''}; ` +
        `built-in reporters are: ${builtinList()}. ` +
        `For a custom reporter, give a path to a module whose default export is a reporter factory, e.g. --reporter ./my-reporter.js`,
    );
  }

  const abs = path.resolve(cwd, nameOrPath);
  let isFile = false;
  try {
    isFile = statSync(abs).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    throw new ReporterError(
      `reporter module ${JSON.stringify(nameOrPath)} not found (looked for the file ${abs}); ` +
        `paths are relative to ${cwd}. Built-in reporters are: ${builtinList()}`,
    );
  }

  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ReporterError(
      `reporter module ${JSON.stringify(nameOrPath)} failed to load: ${reason}. ` +
        `Reporter modules must be JavaScript Node can import (.js, .mjs, .cjs); compile TypeScript reporters first`,
      { cause: err },
    );
  }

  const factory = mod.default;
  if (factory === undefined) {
    throw new ReporterError(
      `reporter module ${JSON.stringify(nameOrPath)} has no default export; export a reporter factory, e.g. ${EXAMPLE}`,
    );
  }
  if (typeof factory !== 'function') {
    throw new ReporterError(
      `the default export of reporter module ${JSON.stringify(nameOrPath)} is ${describeValue(factory)}, ` +
        `expected a function (ctx) => Reporter, e.g. ${EXAMPLE}`,
    );
  }
  // Check what the factory returns when the runner calls it, so a broken reporter fails with
  // its module named rather than later with "onRunEnd is not a function".
  return (ctx: ReporterContext): Reporter => {
    // A class (the vitest style) is constructed; anything else is called as a factory.
    const isClass = /^class[\s{]/.test(Function.prototype.toString.call(factory));
    const reporter: unknown = isClass
      ? new (factory as new (ctx: ReporterContext) => unknown)(ctx)
      : (factory as (ctx: ReporterContext) => unknown)(ctx);
    if (reporter === null || typeof reporter !== 'object' || typeof (reporter as Reporter).onRunEnd !== 'function') {
      throw new ReporterError(
        `reporter module ${JSON.stringify(nameOrPath)}: its factory must return an object with an onRunEnd(summary) method, ` +
          `got ${reporter !== null && typeof reporter === 'object' ? 'an object without onRunEnd' : describeValue(reporter)}`,
      );
    }
    return reporter as Reporter;
  };
}
