// Which scenario files a run covers: explicit files whatever their name, and every
// *.scenario.yaml / *.scenario.yml below the directories given.

import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, globSync } from 'tinyglobby';
import { InputError } from './diagnostics.js';
import { compareStrings } from './manifests.js';

export const SCENARIO_GLOB = '**/*.scenario.{yaml,yml}';

/**
 * Scenario files named by `paths` (files or directories, relative to `cwd` or absolute), sorted
 * by path and de-duplicated. Paths are returned as given: relative ones stay relative to `cwd`,
 * with `/` separators. A path that does not exist is an InputError.
 */
export async function discoverScenarioFiles(paths: string[], cwd: string): Promise<string[]> {
  const found = new Map<string, string>(); // absolute -> as shown
  const missing: string[] = [];
  for (const given of paths) {
    const abs = path.resolve(cwd, given);
    let isDir: boolean;
    try {
      isDir = (await stat(abs)).isDirectory();
    } catch {
      missing.push(given);
      continue;
    }
    if (!isDir) {
      found.set(abs, toPosix(given === '' ? '.' : path.normalize(given)));
      continue;
    }
    const matches = await glob(SCENARIO_GLOB, { cwd: abs, ignore: ['**/node_modules/**'], onlyFiles: true, expandDirectories: false });
    for (const m of matches) {
      found.set(path.join(abs, m), toPosix(path.join(given, m)));
    }
  }
  if (missing.length) throw notFound(missing, cwd);
  return [...new Set(found.values())].sort(compareStrings);
}

/**
 * discoverScenarioFiles without awaiting, for callers that must declare tests synchronously
 * (the vitest helper collects one `it` per scenario at import time). Same rules, same order.
 */
export function discoverScenarioFilesSync(paths: string[], cwd: string): string[] {
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const given of paths) {
    const abs = path.resolve(cwd, given);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      missing.push(given);
      continue;
    }
    if (!isDir) {
      found.set(abs, toPosix(given === '' ? '.' : path.normalize(given)));
      continue;
    }
    for (const m of globSync(SCENARIO_GLOB, { cwd: abs, ignore: ['**/node_modules/**'], onlyFiles: true, expandDirectories: false })) found.set(path.join(abs, m), toPosix(path.join(given, m)));
  }
  if (missing.length) throw notFound(missing, cwd);
  return [...new Set(found.values())].sort(compareStrings);
}

function notFound(missing: string[], cwd: string): InputError {
  return new InputError(
    missing.map((p) => ({
      file: p,
      line: 1,
      col: 1,
      message: `no such file or directory: ${p}`,
      hint: `paths are relative to ${cwd}; pass scenario files or directories holding *.scenario.yaml files`,
      code: 'input.notFound',
    })),
  );
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
