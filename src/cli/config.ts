// `kuberehearse.config.json` / `.yaml` / `.yml` in the working directory: defaults for the run
// flags, so a project writes its reporters and output files once. A flag on the command line wins
// over the file. An unknown key or a value of the wrong type is an input error (exit 2), so a
// typo never silently drops a setting.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError, type RunArgs } from './args.js';
import { didYouMean } from '../util/didYouMean.js';

export const CONFIG_FILES = ['kuberehearse.config.json', 'kuberehearse.config.yaml', 'kuberehearse.config.yml'] as const;

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
export function loadConfig(cwd: string): { file: string; config: KuberehearseConfig } | undefined {
  const name = CONFIG_FILES.find((f) => existsSync(path.join(cwd, f)));
  if (!name) return undefined;
  const text = readFileSync(path.join(cwd, name), 'utf8');
  let data: unknown;
  try {
    data = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new UsageError(`${name}: cannot be parsed: ${(e as Error).message.split('\n')[0]}`);
  }
  return { file: name, config: checkConfig(name, data ?? {}) };
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
