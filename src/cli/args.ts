// Command-line parsing: node:util parseArgs plus vitest's dot-notation for per-reporter output
// files (`--output-file.junit=report.xml`, also spelled `--outputFile.junit`).

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../util/didYouMean.js';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface RunArgs {
  paths: string[];
  testNamePattern?: RegExp;
  seed?: number;
  bail?: number;
  reporters: string[];
  /** whether --reporter was given; when not, `reporters` holds the defaults */
  reportersChosen: boolean;
  outputFile?: string;
  outputFiles: Record<string, string>;
  strict: boolean;
  passWithNoTests: boolean;
  trace: boolean;
  color?: boolean;
  /** `--shard i/n` as given; parsed by shard.ts */
  shard?: string;
  /** `--max-workers n|n%` as given; parsed by pool.ts */
  maxWorkers?: string;
  /** `-u, --update`: rewrite trace snapshots that differ (src/snapshot) */
  update: boolean;
  /** `-w, --watch`: re-run affected scenarios on change (src/cli/watch.ts) */
  watch: boolean;
  /** `--views`: print what each `kubectl get|describe` step showed (terminal reporter) */
  views: boolean;
}

export const RUN_OPTIONS = {
  'test-name-pattern': { type: 'string', short: 't' },
  seed: { type: 'string' },
  bail: { type: 'string' },
  reporter: { type: 'string', multiple: true },
  'output-file': { type: 'string' },
  strict: { type: 'boolean' },
  'pass-with-no-tests': { type: 'boolean' },
  trace: { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  shard: { type: 'string' },
  'max-workers': { type: 'string' },
  update: { type: 'boolean', short: 'u' },
  watch: { type: 'boolean', short: 'w' },
  views: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const ALIASES: Record<string, string> = {
  '--testNamePattern': '--test-name-pattern',
  '--outputFile': '--output-file',
  '--passWithNoTests': '--pass-with-no-tests',
  '--maxWorkers': '--max-workers',
};

export function parseRunArgs(argv: string[]): RunArgs & { help: boolean } {
  const outputFiles: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    for (const [from, to] of Object.entries(ALIASES)) if (a === from || a.startsWith(`${from}=`) || a.startsWith(`${from}.`)) a = to + a.slice(from.length);
    // --bail without a number means 1 (vitest/Playwright -x)
    if (a === '--bail' && (argv[i + 1] === undefined || !/^\d+$/.test(argv[i + 1]))) a = '--bail=1';
    if (a === '-x') a = '--bail=1';
    const m = /^--output-file\.([A-Za-z0-9_-]+)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? argv[++i];
      if (value === undefined) throw new UsageError(`option --output-file.${m[1]} needs a path`);
      outputFiles[m[1]] = value;
      continue;
    }
    rest.push(a);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message;
    const flag = /'(-{1,2}[^']+)'/.exec(msg)?.[1];
    const known = Object.keys(RUN_OPTIONS).map((k) => `--${k}`);
    const guess = flag ? didYouMean(flag.replace(/=.*/, ''), known) : undefined;
    throw new UsageError(msg.replace(/\. To specify a positional argument.*$/s, ''), guess ? `did you mean ${guess}?` : `run options: ${known.join(', ')}`);
  }
  const v = parsed.values;
  let testNamePattern: RegExp | undefined;
  if (v['test-name-pattern'] !== undefined) {
    try {
      testNamePattern = new RegExp(v['test-name-pattern']);
    } catch (e) {
      throw new UsageError(`-t: invalid regular expression: ${(e as Error).message}`);
    }
  }
  const int = (name: string, s: string | undefined): number | undefined => {
    if (s === undefined) return undefined;
    if (!/^\d+$/.test(s)) throw new UsageError(`--${name} must be a non-negative integer, got "${s}"`);
    return Number(s);
  };
  const reporters = (v.reporter ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  return {
    paths: parsed.positionals,
    testNamePattern,
    seed: int('seed', v.seed),
    bail: int('bail', v.bail),
    reporters: reporters.length ? reporters : ['terminal'],
    reportersChosen: reporters.length > 0,
    outputFile: v['output-file'],
    outputFiles,
    strict: !!v.strict,
    passWithNoTests: !!v['pass-with-no-tests'],
    trace: !!v.trace,
    color: v['no-color'] ? false : v.color,
    shard: v.shard,
    maxWorkers: v['max-workers'],
    update: !!v.update,
    watch: !!v.watch,
    views: !!v.views,
    help: !!v.help,
  };
}
