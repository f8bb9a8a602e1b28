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
import { fuzzCommand } from './fuzz.js';

export const EXIT = { passed: 0, failed: 1, input: 2, internal: 3 } as const;

const VERSION = '0.1.0';

const HELP = `kuberehearse ${VERSION}: rehearse how a Kubernetes cluster behaves

Usage:
  kuberehearse [run] [paths...] [options]   run scenarios (default path: scenarios/)
  kuberehearse validate [paths...]          load and check scenarios without running them
  kuberehearse fuzz <scenario...> [options] generate fault timelines, shrink a failure (kuberehearse fuzz --help)
  kuberehearse schema                       print the scenario JSON Schema
  kuberehearse --version | --help

Run options:
  -t, --test-name-pattern <regex>   run scenarios whose "file > name" matches
  --seed <n>                        one seed for every scenario (default: each scenario's own)
  --bail [n], -x                    stop after n failed scenarios (default 1)
  --reporter <name|path>            terminal (default), json, junit, github, html, or a module path;
                                    repeatable or a,b (github is added on GitHub Actions by default)
  --output-file <path>              where a file reporter writes (one reporter)
  --output-file.<reporter> <path>   where that reporter writes (html: kuberehearse-report.html)
  --strict                          fail on manifest kinds and fields the simulator does not model
  --pass-with-no-tests              exit 0 when no scenario is found
  --trace                           include the trace in the json report
  --color / --no-color              force colour on or off (NO_COLOR and FORCE_COLOR are honoured)

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
    if (first === 'schema') {
      io.stdout(`${JSON.stringify(schemaJson(), null, 2)}\n`);
      return EXIT.passed;
    }
    if (first === 'validate') return await validate(rest, io);
    if (first === 'run') return await run(rest, io);
    if (first === 'fuzz') return await fuzzCommand(rest, io);
    if (first !== undefined && !first.startsWith('-') && /^[a-z]+$/.test(first) && ['init', 'list'].includes(first)) {
      io.stderr(`kuberehearse: the ${first} command is not available yet\n`);
      return EXIT.input;
    }
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
  const args = parseRunArgs(argv);
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

async function run(argv: string[], io: Io): Promise<number> {
  const args = parseRunArgs(argv);
  if (args.help) {
    io.stdout(HELP);
    return EXIT.passed;
  }
  const { compiled: all, errors } = await discoverOrFail(args, io);
  if (args.strict) {
    for (const s of all) for (const u of s.unmodelled) errors.push(`${rel(io.cwd, u.source.file)}:${u.source.line}:${u.source.col}: ${u.message}\n  hint: --strict fails on what the simulator does not model; drop --strict to keep and ignore it`);
  }
  if (errors.length) {
    io.stderr(`${errors.join('\n')}\n\n${errors.length} error${errors.length === 1 ? '' : 's'}: nothing was run\n`);
    return EXIT.input;
  }
  const selected = args.testNamePattern ? all.filter((s) => args.testNamePattern!.test(`${rel(io.cwd, s.file)} > ${s.name}`)) : all;
  // On GitHub Actions with no reporter chosen, annotate as well, as vitest adds github-actions.
  if (!args.reportersChosen && args.outputFile === undefined && io.env.GITHUB_ACTIONS === 'true') args.reporters = [...args.reporters, 'github'];
  const keepTrace = args.trace || args.reporters.some((n) => reportersNeedingTrace.has(n));
  const reporters = await createReporters(args, io);
  const files = selected.map((s) => s.file);
  for (const r of reporters) r.reporter.onRunStart?.({ files, ...(args.seed !== undefined ? { seed: args.seed } : {}) });
  const results: ScenarioResult[] = [];
  let failures = 0;
  for (const s of selected) {
    for (const r of reporters) r.reporter.onScenarioStart?.(s.file, s.name);
    const result = runScenario(s, { seed: args.seed, trace: keepTrace });
    results.push(result);
    for (const r of reporters) r.reporter.onScenarioEnd?.(result);
    if (result.status === 'failed' || result.status === 'error') failures++;
    if (args.bail !== undefined && args.bail > 0 && failures >= args.bail) break;
  }
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
    const reporter = factory({ write, color: file ? false : color, isTTY: file ? false : io.isTTY, cwd: io.cwd, options: { passWithNoTests: args.passWithNoTests, trace: args.trace } });
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
