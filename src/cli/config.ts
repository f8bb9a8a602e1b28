// `kuberehearse.config.{ts,mts,js,mjs,json,yaml,yml}` in the working directory: defaults for the
// run flags, so a project writes its reporters and output files once. A flag on the command line
// wins over the file. An unknown key or a value of the wrong type is an input error (exit 2), so a
// typo never silently drops a setting. A .js/.ts file default-exports the object (or a promise of
// it); `defineConfig` from 'kuberehearse' types it.

import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { UsageError, type RunArgs } from './args.js';
import { didYouMean } from '../util/didYouMean.js';

// vitest's order: TypeScript first, then JavaScript, then the data formats
export const CONFIG_FILES = [
  'kuberehearse.config.ts',
  'kuberehearse.config.mts',
  'kuberehearse.config.js',
  'kuberehearse.config.mjs',
  'kuberehearse.config.json',
  'kuberehearse.config.yaml',
  'kuberehearse.config.yml',
] as const;

export interface KuberehearseConfig {
  /** scenario paths when none is given on the command line */
  include?: string[];
  reporters?: string[];
  /** one path (single reporter) or a path per reporter name */
  outputFile?: string | Record<string, string>;
  seed?: number;
  bail?: number;
  strict?: boolean;
  passWithNoTests?: boolean;
  trace?: boolean;
  /** print each kubectl get/describe step's view in the terminal (`--views`) */
  views?: boolean;
  color?: boolean;
  maxWorkers?: number | string;
  testNamePattern?: string;
}

type Check = (v: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isBool: Check = (v) => typeof v === 'boolean';
const isUint: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStrings: Check = (v) => Array.isArray(v) && v.every(isString);

const KEYS: Record<keyof KuberehearseConfig, { check: Check; expected: string }> = {
  include: { check: (v) => isString(v) || isStrings(v), expected: 'a path or a list of paths' },
  reporters: { check: (v) => isString(v) || isStrings(v), expected: 'a reporter name or a list of them' },
  outputFile: { check: (v) => isString(v) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(isString)), expected: 'a path, or an object of reporter name to path' },
  seed: { check: isUint, expected: 'a non-negative integer' },
  bail: { check: isUint, expected: 'a non-negative integer' },
  strict: { check: isBool, expected: 'true or false' },
  passWithNoTests: { check: isBool, expected: 'true or false' },
  trace: { check: isBool, expected: 'true or false' },
  views: { check: isBool, expected: 'true or false' },
  color: { check: isBool, expected: 'true or false' },
  maxWorkers: { check: (v) => isString(v) || isUint(v), expected: 'a positive integer or a percentage such as "50%"' },
  testNamePattern: { check: isString, expected: 'a regular expression (string)' },
};

/** The config file in `cwd` (the first of CONFIG_FILES that exists), or undefined. */
export async function loadConfig(cwd: string): Promise<{ file: string; config: KuberehearseConfig } | undefined> {
  const name = CONFIG_FILES.find((f) => existsSync(path.join(cwd, f)));
  if (!name) return undefined;
  const full = path.join(cwd, name);
  let data: unknown;
  if (/\.m?[jt]s$/.test(name)) data = await importConfig(full, name);
  else {
    const text = readFileSync(full, 'utf8');
    try {
      data = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
      throw new UsageError(`${name}: cannot be parsed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { file: name, config: checkConfig(name, data ?? {}) };
}

/** The default export of a .js/.mjs config, or of a .ts/.mts one transpiled by the project's typescript. */
async function importConfig(full: string, name: string): Promise<unknown> {
  let url = pathToFileURL(full).href;
  let temp: string | undefined;
  if (/\.m?ts$/.test(name)) {
    // Node 20 cannot import TypeScript: transpile it with the project's own typescript package
    // into a module beside the config (so its imports resolve as the config's would), as vite does
    const ts = loadTypeScript(path.dirname(full));
    if (!ts)
      throw new UsageError(`${name}: loading a TypeScript config on Node ${process.versions.node} needs the typescript package in the project`, 'npm install -D typescript, or write kuberehearse.config.js / .json / .yaml instead');
    const out = ts.transpileModule(readFileSync(full, 'utf8'), { fileName: full, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    temp = path.join(path.dirname(full), `.${name}.${process.pid}.mjs`);
    writeFileSync(temp, out.outputText);
    url = pathToFileURL(temp).href;
  }
  try {
    const mod = (await import(url)) as { default?: unknown };
    if (!('default' in mod)) throw new UsageError(`${name}: has no default export`, 'export default { reporters: [...], ... } (defineConfig from kuberehearse types it)');
    return await mod.default;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${name}: cannot be loaded: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    if (temp) unlinkSync(temp);
  }
}

interface TypeScriptApi {
  transpileModule(input: string, options: { fileName: string; compilerOptions: Record<string, unknown> }): { outputText: string };
  ModuleKind: { ESNext: number };
  ScriptTarget: { ES2022: number };
}

function loadTypeScript(dir: string): TypeScriptApi | undefined {
  for (const from of [path.join(dir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from)('typescript') as TypeScriptApi;
    } catch {
      // not installed there: try the next place
    }
  }
  return undefined;
}

/** Identity, for a typed `kuberehearse.config.ts`: `export default defineConfig({ ... })`. */
export function defineConfig(config: KuberehearseConfig): KuberehearseConfig {
  return config;
}

export function checkConfig(file: string, data: unknown): KuberehearseConfig {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`${file}: must be an object of run defaults`, `keys: ${Object.keys(KEYS).join(', ')}`);
  const known = Object.keys(KEYS);
  for (const [key, value] of Object.entries(data)) {
    const rule = KEYS[key as keyof KuberehearseConfig];
    if (!rule) {
      const guess = didYouMean(key, known);
      throw new UsageError(`${file}: unknown key '${key}'${guess ? `; did you mean '${guess}'?` : ''}`, `allowed keys: ${known.join(', ')}`);
    }
    if (!rule.check(value)) throw new UsageError(`${file}: '${key}' must be ${rule.expected}, got ${JSON.stringify(value)}`);
  }
  return data as KuberehearseConfig;
}

/** Fill what the command line left unset from the config. Flags win; lists are not merged. */
export function applyConfig(args: RunArgs, config: KuberehearseConfig): RunArgs {
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
  const out: RunArgs = { ...args, outputFiles: { ...args.outputFiles } };
  if (!out.paths.length && config.include) out.paths = list(config.include);
  if (!out.reportersChosen && config.reporters) {
    out.reporters = list(config.reporters).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
    out.reportersChosen = out.reporters.length > 0;
    if (!out.reporters.length) out.reporters = ['terminal'];
  }
  if (typeof config.outputFile === 'string') out.outputFile ??= config.outputFile;
  else if (config.outputFile) for (const [name, file] of Object.entries(config.outputFile)) out.outputFiles[name] ??= file;
  out.seed ??= config.seed;
  out.bail ??= config.bail;
  out.strict ||= config.strict ?? false;
  out.passWithNoTests ||= config.passWithNoTests ?? false;
  out.trace ||= config.trace ?? false;
  out.views ||= config.views ?? false;
  out.color ??= config.color;
  out.maxWorkers ??= config.maxWorkers === undefined ? undefined : String(config.maxWorkers);
  if (!out.testNamePattern && config.testNamePattern !== undefined) {
    try {
      out.testNamePattern = new RegExp(config.testNamePattern);
    } catch (e) {
      throw new UsageError(`testNamePattern in the config file: invalid regular expression: ${(e as Error).message}`);
    }
  }
  return out;
}
