// The kuberehearse command line: `run` (default), `validate`, `schema`.
// Exit codes: 0 all passed; 1 an expectation failed or no scenario was found; 2 invalid input
// (flag, YAML, schema, manifest); 3 internal error.

import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseRunArgs, UsageError, type RunArgs } from './args.js';
import { discoverScenarioFiles, loadScenarioFile, schemaJson } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { InputError, formatDiagnostic } from '../scenario/diagnostics.js';
import type { CompiledScenario } from '../scenario/model.js';
import { runScenario } from '../engine/run.js';
import type { RunSummary, ScenarioResult } from '../result.js';
import { defaultOutputFiles, loadReporter, ReporterError, reportersNeedingTrace } from '../../reporters/index.js';
import type { Reporter } from '../../reporters/types.js';
import { fuzzCommand, FUZZ_HELP } from './fuzz.js';
import { loadConfig, applyConfig } from './config.js';
import { parseShard, shardFiles } from './shard.js';
import { parseMaxWorkers, runMany } from './pool.js';
import { listScenarios, formatList } from './list.js';
import { initScenario } from './init.js';
import { watchScenarios } from './watch.js';
import { checkSnapshot, isCI } from '../snapshot/store.js';

export const EXIT = { passed: 0, failed: 1, input: 2, internal: 3 } as const;

const VERSION = '0.1.0';

const RUN_OPTIONS_HELP = `Run options:
  -t, --test-name-pattern <regex>   run scenarios whose "file > name" matches
  --seed <n>                        one seed for every scenario (default: each scenario's own)
  --bail [n], -x                    stop after n failed scenarios (default 1)
  --shard <i>/<n>                   run shard i of n (1-based): a stable split by a hash of each
                                    file's path, so n CI jobs run every scenario exactly once
  --max-workers <n|n%>              run scenarios on n worker threads (default 1: in-process);
                                    results are reported in file order whatever the count
  --reporter <name|path>            terminal (default), json, junit, github, html, or a module path;
                                    repeatable or a,b (github is added on GitHub Actions by default)
  --output-file <path>              where a file reporter writes (one reporter)
  --output-file.<reporter> <path>   where that reporter writes (html: kuberehearse-report.html)
  --strict                          fail on manifest kinds and fields the simulator does not model
  --pass-with-no-tests              exit 0 when no scenario is found
  --trace                           include the trace in the json report
  --views                           print under each scenario what its kubectl get/describe steps
                                    showed (always in the html and json reports)
  -u, --update                      rewrite the golden traces of snapshot: true scenarios that differ
                                    (a missing one is written by a passing run, but fails when CI is set)
  -w, --watch                       run, then re-run the scenarios a changed file affects (a scenario,
                                    or a manifest or file it reads); Ctrl-C ends with the last exit code
  --color / --no-color              force colour on or off (NO_COLOR and FORCE_COLOR are honoured)

Config: kuberehearse.config.{ts,mts,js,mjs,json,yaml,yml} in the working directory (the first found;
  .js/.ts default-export the object) sets defaults for include, reporters, outputFile, seed, bail,
  strict, passWithNoTests, trace, views, color, maxWorkers, testNamePattern; flags on the command
  line win. A .ts config needs the typescript package in the project (Node 20 cannot import .ts).
`;

const RUN_HELP = `Usage: kuberehearse [run] [paths...] [options]

Runs the scenarios in paths (files or directories of *.scenario.yaml; default: scenarios/).

${RUN_OPTIONS_HELP}
Exit codes: 0 passed, 1 failed or no scenario found, 2 invalid input, 3 internal error.
`;

const LIST_HELP = `Usage: kuberehearse list [paths...] [--json] [--shard i/n] [-t regex]

Lists the scenarios a run would cover ("file > name [tags]"), without running them.
  --json   print a JSON array of {file, name, tags, todo?}
Exit codes: 0 listed, 1 no scenario found, 2 invalid input.
`;

const VALIDATE_HELP = `Usage: kuberehearse validate [paths...] [--strict] [--pass-with-no-tests]

Loads every scenario and checks it against the schema and the API server's manifest validation,
without running it. Exit codes: 0 valid, 1 no scenario found, 2 invalid input.
`;

const INIT_HELP = `Usage: kuberehearse init [dir]

Writes scenarios/example.scenario.yaml for the manifests in dir (default: .), with a starter
expectation per workload (Deployment/ReplicaSet/StatefulSet: ready pods = replicas at 1m;
DaemonSet: one pod per node; Job: succeeded) and a yaml-language-server schema modeline.
An existing file is never overwritten (exit 2).
`;

const SCHEMA_HELP = `Usage: kuberehearse schema

Prints the scenario JSON Schema (draft-07) for editors and validators.
`;

const HELP = `kuberehearse ${VERSION}: rehearse how a Kubernetes cluster behaves

Usage:
  kuberehearse [run] [paths...] [options]   run scenarios (default path: scenarios/)
  kuberehearse list [paths...] [--json]     the scenarios found, with names and tags
  kuberehearse validate [paths...]          load and check scenarios without running them
  kuberehearse init [dir]                   scaffold scenarios/example.scenario.yaml from the manifests in dir
  kuberehearse fuzz <scenario...> [options] generate fault timelines, shrink a failure
  kuberehearse schema                       print the scenario JSON Schema
  kuberehearse <command> --help             help for one command
  kuberehearse --version | --help

${RUN_OPTIONS_HELP}
Exit codes: 0 passed, 1 failed or no scenario found, 2 invalid input, 3 internal error.
`;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  isTTY: !!process.stdout.isTTY,
  env: process.env,
});

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === '--version' || first === '-v') {
      io.stdout(`${VERSION}\n`);
      return EXIT.passed;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      io.stdout(HELP);
      return EXIT.passed;
    }
    const help = rest.includes('--help') || rest.includes('-h');
    const commandHelp: Record<string, string> = { run: RUN_HELP, list: LIST_HELP, validate: VALIDATE_HELP, init: INIT_HELP, schema: SCHEMA_HELP, fuzz: FUZZ_HELP };
    if (first !== undefined && help && commandHelp[first] !== undefined) {
      io.stdout(commandHelp[first]);
      return EXIT.passed;
    }
    if (first === 'schema') {
      io.stdout(`${JSON.stringify(schemaJson(), null, 2)}\n`);
      return EXIT.passed;
    }
    if (first === 'validate') return await validate(rest, io);
    if (first === 'run') return await run(rest, io);
    if (first === 'fuzz') return await fuzzCommand(rest, io);
    if (first === 'list') return await list(rest, io);
    if (first === 'init') return init(rest, io);
    return await run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kuberehearse: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}  see: kuberehearse --help\n`);
      return EXIT.input;
    }
    if (e instanceof ReporterError) {
      io.stderr(`kuberehearse: ${e.message}\n`);
      return EXIT.input;
    }
    throw e;
  }
}

/** Load and compile every file; all input errors are reported before anything runs. */
async function loadAll(paths: string[], io: Io): Promise<{ compiled: CompiledScenario[]; errors: string[] }> {
  const files = await discoverScenarioFiles(paths.length ? paths : ['scenarios'], io.cwd);
  const compiled: CompiledScenario[] = [];
  const errors: string[] = [];
  for (const file of files) {
    try {
      compiled.push(compileScenario(loadScenarioFile(file)));
    } catch (e) {
      if (e instanceof InputError) errors.push(...e.diagnostics.map((d) => formatDiagnostic({ ...d, file: rel(io.cwd, d.file) })));
      else throw e;
    }
  }
  return { compiled, errors };
}

function rel(cwd: string, file: string): string {
  const r = path.relative(cwd, path.resolve(cwd, file));
  return (r.startsWith('..') ? path.resolve(cwd, file) : r).split(path.sep).join('/');
}

async function validate(argv: string[], io: Io): Promise<number> {
  const args = await runArgs(argv, io);
  const { compiled, errors } = await discoverOrFail(args, io);
  if (errors.length) {
    io.stderr(`${errors.join('\n')}\n`);
    return EXIT.input;
  }
  io.stdout(`${compiled.length} scenario${compiled.length === 1 ? '' : 's'} valid\n`);
  return compiled.length || args.passWithNoTests ? EXIT.passed : EXIT.failed;
}

async function discoverOrFail(args: RunArgs, io: Io) {
  try {
    return await loadAll(args.paths, io);
  } catch (e) {
    if (e instanceof InputError) return { compiled: [], errors: e.diagnostics.map((d) => formatDiagnostic({ ...d, file: rel(io.cwd, d.file) })) };
    throw e;
  }
}

/** Flags, then the config file's defaults for what the flags left unset. */
async function runArgs(argv: string[], io: Io): Promise<RunArgs & { help: boolean }> {
  const args = parseRunArgs(argv);
  const config = await loadConfig(io.cwd);
  return config ? { ...applyConfig(args, config.config), help: args.help } : args;
}

/** The scenarios of this shard (when --shard is given), then those matching -t. */
function select(all: CompiledScenario[], args: RunArgs, io: Io): CompiledScenario[] {
  let out = all;
  if (args.shard !== undefined) {
    const keep = new Set(shardFiles(all.map((s) => s.file), parseShard(args.shard), io.cwd));
    out = out.filter((s) => keep.has(s.file));
  }
  if (args.testNamePattern) out = out.filter((s) => args.testNamePattern!.test(`${rel(io.cwd, s.file)} > ${s.name}`));
  return out;
}

async function list(argv: string[], io: Io): Promise<number> {
  const json = argv.includes('--json');
  const args = await runArgs(argv.filter((a) => a !== '--json'), io);
  const { compiled, errors } = await discoverOrFail(args, io);
  if (errors.length) {
    io.stderr(`${errors.join('\n')}\n`);
    return EXIT.input;
  }
  const selected = select(compiled, args, io);
  io.stdout(formatList(listScenarios(selected, (f) => rel(io.cwd, f)), json));
  return selected.length || args.passWithNoTests ? EXIT.passed : EXIT.failed;
}

function init(argv: string[], io: Io): number {
  const dirs = argv.filter((a) => !a.startsWith('-'));
  const unknown = argv.find((a) => a.startsWith('-'));
  if (unknown) throw new UsageError(`init: unknown option '${unknown}'`, 'usage: kuberehearse init [dir]');
  if (dirs.length > 1) throw new UsageError('init takes one folder of manifests', 'usage: kuberehearse init [dir]');
  const r = initScenario(dirs[0] ?? '.', io.cwd);
  io.stdout(`wrote ${r.file} with ${r.workloads} starter expectation${r.workloads === 1 ? '' : 's'}\nrun it: npx kuberehearse run ${r.file}\n`);
  return EXIT.passed;
}

async function run(argv: string[], io: Io): Promise<number> {
  const args = await runArgs(argv, io);
  if (args.help) {
    io.stdout(RUN_HELP);
    return EXIT.passed;
  }
  if (args.watch) {
    const outputs = [...Object.values(args.outputFiles), ...(args.outputFile ? [args.outputFile] : []), ...args.reporters.flatMap((n) => (defaultOutputFiles[n] ? [defaultOutputFiles[n]] : []))];
    return watchScenarios(args, io, (paths) => runOnce({ ...args, paths, watch: false }, io), { outputs });
  }
  return runOnce(args, io);
}

async function runOnce(args: RunArgs, io: Io): Promise<number> {
  // validate these flags before any scenario is loaded: a typo must not cost a full compile
  if (args.shard !== undefined) parseShard(args.shard);
  const maxWorkers = args.maxWorkers === undefined ? 1 : parseMaxWorkers(args.maxWorkers);
  const { compiled: all, errors } = await discoverOrFail(args, io);
  if (args.strict) {
    for (const s of all) for (const u of s.unmodelled) errors.push(`${rel(io.cwd, u.source.file)}:${u.source.line}:${u.source.col}: ${u.message}\n  hint: --strict fails on what the simulator does not model; drop --strict to keep and ignore it`);
  }
  if (errors.length) {
    io.stderr(`${errors.join('\n')}\n\n${errors.length} error${errors.length === 1 ? '' : 's'}: nothing was run\n`);
    return EXIT.input;
  }
  const selected = select(all, args, io);
  // On GitHub Actions with no reporter chosen, annotate as well, as vitest adds github-actions.
  if (!args.reportersChosen && args.outputFile === undefined && io.env.GITHUB_ACTIONS === 'true') args.reporters = [...args.reporters, 'github'];
  const keepTrace = args.trace || args.reporters.some((n) => reportersNeedingTrace.has(n));
  const reporters = await createReporters(args, io);
  const files = selected.map((s) => s.file);
  const snapshotAt = new Map(selected.flatMap((s) => (s.snapshot ? [[s.file, s.snapshot] as const] : [])));
  const snapshotOptions = { update: args.update, ci: isCI(io.env), cwd: io.cwd };
  for (const r of reporters) r.reporter.onRunStart?.({ files, ...(args.seed !== undefined ? { seed: args.seed } : {}) });
  const results: ScenarioResult[] = await runMany(selected, {
    seed: args.seed,
    trace: keepTrace,
    maxWorkers,
    bail: args.bail,
    onStart: (s) => {
      for (const r of reporters) r.reporter.onScenarioStart?.(s.file, s.name);
    },
    onEnd: (result) => {
      const at = snapshotAt.get(result.file);
      if (at) {
        checkSnapshot(result, { ...snapshotOptions, source: at });
        if (!keepTrace) delete result.trace;
      }
      for (const r of reporters) r.reporter.onScenarioEnd?.(result);
    },
  });
  const summary: RunSummary = {
    scenarios: results,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    errors: results.filter((r) => r.status === 'error').length,
    todo: results.filter((r) => r.status === 'todo').length,
  };
  for (const r of reporters) {
    await r.reporter.onRunEnd(summary);
    r.flush();
  }
  if (results.some((r) => r.status === 'error' && r.error?.kind === 'input')) return EXIT.input;
  if (results.length === 0) return args.passWithNoTests ? EXIT.passed : EXIT.failed;
  return summary.failed + summary.errors > 0 ? EXIT.failed : EXIT.passed;
}

async function createReporters(args: RunArgs, io: Io): Promise<{ reporter: Reporter; flush: () => void }[]> {
  const color = args.color ?? (io.env.FORCE_COLOR ? io.env.FORCE_COLOR !== '0' : io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb');
  const out: { reporter: Reporter; flush: () => void }[] = [];
  for (const name of args.reporters) {
    const factory = await loadReporter(name, io.cwd);
    const file = args.outputFiles[name] ?? (args.reporters.length === 1 ? args.outputFile : undefined) ?? defaultOutputFiles[name];
    const chunks: string[] = [];
    const write = file ? (s: string) => chunks.push(s) : (s: string) => io.stdout(s);
    const reporter = factory({ write, color: file ? false : color, isTTY: file ? false : io.isTTY, cwd: io.cwd, options: { passWithNoTests: args.passWithNoTests, trace: args.trace, views: args.views } });
    out.push({
      reporter,
      flush: () => {
        if (!file) return;
        const target = path.resolve(io.cwd, file);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, chunks.join(''));
      },
    });
  }
  for (const name of Object.keys(args.outputFiles)) {
    if (!args.reporters.includes(name)) throw new UsageError(`--output-file.${name} names a reporter that is not enabled`, `add --reporter ${name}`);
  }
  return out;
}
