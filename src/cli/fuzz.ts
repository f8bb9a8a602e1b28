// `kuberehearse fuzz <scenario...>`: generate fault timelines for each scenario's `fuzz:`
// section, check its properties at every state, shrink a failure and write it down as a
// scenario file. Exit codes as `run`: 0 no counterexample, 1 counterexample found, 2 invalid
// input, 3 internal error (thrown to bin/).

import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pc from 'picocolors';
import { UsageError } from './args.js';
import type { Io } from './main.js';
import { discoverScenarioFiles, loadScenarioFile, type LoadedScenario } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { InputError, formatDiagnostic } from '../scenario/diagnostics.js';
import type { CompiledScenario } from '../scenario/model.js';
import { runScenario } from '../engine/run.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { didYouMean } from '../util/didYouMean.js';
import { FuzzError, fuzzScenario, parseReplay, type FuzzProgress, type FuzzReport } from '../fuzz/runner.js';
import { renderCounterexample, writeCounterexample } from '../fuzz/counterexample.js';
import { brokenProperties } from '../fuzz/timeline.js';

const EXIT = { passed: 0, failed: 1, input: 2 } as const;

export const FUZZ_HELP = `Usage: kuberehearse fuzz <scenario...> [options]

Generates timelines of the faults declared in each scenario's \`fuzz:\` section, runs each one and
checks the scenario's properties (its \`invariants:\` and \`always:\`/\`never:\` expectations) at every
state. A failing timeline is shrunk to the fewest and earliest faults and written next to the
scenario as <name>.counterexample-<n>.scenario.yaml, which fails under \`kuberehearse run\`.

Options:
  --runs <n>             generated timelines per scenario (default: fuzz.runs, or 100)
  --time-budget <dur>    stop generating after this wall time per scenario (e.g. 60s)
  --seed <n>             fast-check's seed (default: the scenario's seed: the same command finds the same thing)
  --replay <seed:path>   run exactly the counterexample a previous fuzz printed (one scenario)
  --out-dir <dir>        where to write counterexamples (default: next to the scenario)
  --reporter <name>      terminal (default) or json (the same facts, on stdout)
  --color / --no-color   force colour on or off

Exit codes: 0 no counterexample, 1 counterexample found, 2 invalid input, 3 internal error.
`;

const OPTIONS = {
  runs: { type: 'string' },
  'time-budget': { type: 'string' },
  seed: { type: 'string' },
  replay: { type: 'string' },
  'out-dir': { type: 'string' },
  reporter: { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface FuzzArgs {
  paths: string[];
  runs?: number;
  timeBudgetMs?: number;
  seed?: number;
  replay?: { seed: number; path: string };
  outDir?: string;
  json: boolean;
  color?: boolean;
  help: boolean;
}

export function parseFuzzArgs(argv: string[]): FuzzArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message;
    const flag = /'(-{1,2}[^']+)'/.exec(msg)?.[1];
    const known = Object.keys(OPTIONS).map((k) => `--${k}`);
    const guess = flag ? didYouMean(flag.replace(/=.*/, ''), known) : undefined;
    throw new UsageError(msg.replace(/\. To specify a positional argument.*$/s, ''), guess ? `did you mean ${guess}?` : `fuzz options: ${known.join(', ')}`);
  }
  const v = parsed.values;
  const int = (name: string, s: string | undefined, min: number): number | undefined => {
    if (s === undefined) return undefined;
    if (!/^\d+$/.test(s) || Number(s) < min) throw new UsageError(`--${name} must be a whole number${min ? ` of at least ${min}` : ''}, got "${s}"`);
    return Number(s);
  };
  let timeBudgetMs: number | undefined;
  if (v['time-budget'] !== undefined) {
    try {
      timeBudgetMs = parseDuration(v['time-budget']);
    } catch (e) {
      throw new UsageError(`--time-budget: ${(e as Error).message}`, 'write a duration such as 60s or 5m');
    }
  }
  let replay: FuzzArgs['replay'];
  if (v.replay !== undefined) {
    replay = parseReplay(v.replay);
    if (!replay) throw new UsageError(`--replay must be <seed>:<path> as fuzz printed it, got "${v.replay}"`, 'e.g. --replay 1762872070:44:4:1:2');
  }
  const reporter = v.reporter ?? 'terminal';
  if (reporter !== 'terminal' && reporter !== 'json') throw new UsageError(`unknown fuzz reporter "${reporter}"`, 'fuzz reporters: terminal, json');
  return {
    paths: parsed.positionals,
    runs: int('runs', v.runs, 1),
    timeBudgetMs,
    seed: int('seed', v.seed, 0),
    replay,
    ...(v['out-dir'] !== undefined ? { outDir: v['out-dir'] } : {}),
    json: reporter === 'json',
    color: v['no-color'] ? false : v.color,
    help: !!v.help,
  };
}

function rel(cwd: string, file: string): string {
  const r = path.relative(cwd, path.resolve(cwd, file));
  return (r.startsWith('..') ? path.resolve(cwd, file) : r).split(path.sep).join('/');
}

interface Outcome {
  report: FuzzReport;
  written?: string;
  reproduces?: boolean;
  reproduceNote?: string;
}

export async function fuzzCommand(argv: string[], io: Io): Promise<number> {
  const args = parseFuzzArgs(argv);
  if (args.help) {
    io.stdout(FUZZ_HELP);
    return EXIT.passed;
  }
  if (!args.paths.length) throw new UsageError('name the scenario files to fuzz', 'e.g. kuberehearse fuzz scenarios/fuzz/shutdown-race.scenario.yaml');
  const color = args.color ?? (io.env.FORCE_COLOR ? io.env.FORCE_COLOR !== '0' : io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb');
  const c = pc.createColors(color);
  // load everything first: invalid input runs nothing
  const errors: string[] = [];
  const scenarios: { loaded: LoadedScenario; compiled: CompiledScenario }[] = [];
  let files: string[] = [];
  try {
    files = await discoverScenarioFiles(args.paths, io.cwd);
  } catch (e) {
    if (e instanceof InputError) errors.push(...e.diagnostics.map((d) => formatDiagnostic({ ...d, file: rel(io.cwd, d.file) })));
    else throw e;
  }
  for (const file of files) {
    try {
      const loaded = loadScenarioFile(file);
      scenarios.push({ loaded, compiled: compileScenario(loaded) });
    } catch (e) {
      if (e instanceof InputError) errors.push(...e.diagnostics.map((d) => formatDiagnostic({ ...d, file: rel(io.cwd, d.file) })));
      else throw e;
    }
  }
  const fuzzable = scenarios.filter((s) => s.compiled.fuzz);
  if (!errors.length && !fuzzable.length) errors.push(`no scenario with a \`fuzz:\` section among ${files.length ? files.map((f) => rel(io.cwd, f)).join(', ') : args.paths.join(', ')}\n  hint: add fuzz: {faults: {deletePod: {max: 2, selector: app=web}}} and invariants: [...] (docs/fuzzing.md)`);
  if (args.replay && fuzzable.length > 1) errors.push('--replay replays one scenario\'s counterexample: name only that scenario');
  if (errors.length) {
    io.stderr(`${errors.join('\n')}\n`);
    return EXIT.input;
  }
  const outcomes: Outcome[] = [];
  for (const { loaded, compiled } of fuzzable) {
    const file = rel(io.cwd, compiled.file);
    if (!args.json) io.stdout(`${c.bold('fuzz')} ${file}\n`);
    const progress = progressPrinter(io, args.runs ?? compiled.fuzz!.runs, c);
    let report: FuzzReport;
    try {
      report = fuzzScenario(compiled, {
        ...(args.runs !== undefined ? { runs: args.runs } : {}),
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
        ...(args.timeBudgetMs !== undefined ? { timeBudgetMs: args.timeBudgetMs } : {}),
        ...(args.replay ? { replay: args.replay } : {}),
        clock: () => performance.now(),
        ...(args.json ? {} : { onProgress: progress.update }),
      });
    } catch (e) {
      progress.done();
      if (e instanceof FuzzError) {
        io.stderr(`${e.message.replace(compiled.file, file)}\n`);
        return EXIT.input;
      }
      throw e;
    }
    progress.done();
    const outcome: Outcome = { report };
    const ce = report.counterexample;
    if (ce) {
      const text = renderCounterexample({
        raw: loaded.raw,
        base: compiled,
        timeline: ce.timeline,
        prepared: ce.prepared,
        result: ce.result,
        broken: ce.broken,
        replay: ce.replay,
        displayFile: file,
        ...(args.outDir ? { move: { from: path.dirname(compiled.file), to: path.resolve(io.cwd, args.outDir) } } : {}),
      });
      const written = writeCounterexample(text, compiled.file, args.outDir ? path.resolve(io.cwd, args.outDir) : undefined);
      outcome.written = rel(io.cwd, written);
      // the promise of the file: it fails under `run`, for the same reason
      try {
        const again = compileScenario(loadScenarioFile(written));
        const broken = brokenProperties(again, runScenario(again)).map((b) => b.name);
        const missing = ce.broken.map((b) => b.name).filter((n) => !broken.includes(n));
        outcome.reproduces = missing.length === 0;
        if (missing.length) outcome.reproduceNote = `under run it did not break ${missing.join(', ')}${broken.length ? ` (it broke ${broken.join(', ')})` : ''}`;
      } catch (e) {
        outcome.reproduces = false;
        outcome.reproduceNote = e instanceof InputError ? `it does not load: ${e.diagnostics.map((d) => d.message).join('; ')}` : (e as Error).message;
      }
    }
    outcomes.push(outcome);
    if (!args.json) io.stdout(describeOutcome(outcome, file, c));
  }
  if (args.json) io.stdout(`${JSON.stringify({ scenarios: outcomes.map((o) => jsonOutcome(o, io.cwd)) }, null, 2)}\n`);
  return outcomes.some((o) => o.report.status === 'failed') ? EXIT.failed : EXIT.passed;
}

type Colors = ReturnType<typeof pc.createColors>;

/** A live line on a terminal; a plain line at each quarter of the runs in CI and pipes. */
function progressPrinter(io: Io, total: number, c: Colors) {
  const start = performance.now();
  let lastDraw = 0;
  let quarter = 0;
  let drawn = false;
  const text = (p: FuzzProgress) => {
    const secs = (performance.now() - start) / 1000;
    const rate = secs > 0 ? (p.runs / secs).toFixed(1) : '-';
    return p.shrinking ? `  shrinking: ${p.shrinks} attempt${p.shrinks === 1 ? '' : 's'} after ${p.runs} runs` : `  ${p.runs}/${total} runs, ${rate} runs/s, ${p.failures} failure${p.failures === 1 ? '' : 's'}`;
  };
  return {
    update: (p: FuzzProgress) => {
      if (io.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100) return;
        lastDraw = now;
        io.stdout(`\r\x1b[2K${c.dim(text(p))}`);
        drawn = true;
      } else if (!p.shrinking && p.runs >= ((quarter + 1) * total) / 4 && quarter < 3) {
        quarter++;
        io.stdout(`${text(p)}\n`);
      }
    },
    done: () => {
      if (drawn) io.stdout('\r\x1b[2K');
    },
  };
}

function describeOutcome(o: Outcome, file: string, c: Colors): string {
  const r = o.report;
  const lines: string[] = [];
  const faults = Object.entries(r.faults).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const speed = r.timing.elapsedMs > 0 ? `${r.timing.runsPerSecond.toFixed(1)} runs/s, slowest run ${Math.round(r.timing.slowestRunMs)}ms${r.timing.slowestRunSeed !== undefined ? ` (run seed ${r.timing.slowestRunSeed})` : ''}` : '';
  if (!r.counterexample) {
    lines.push(`  ${c.green('✓')} ${r.runs} generated timeline${r.runs === 1 ? '' : 's'}, no property broken${r.interrupted ? ' (time budget reached)' : ''}`);
    lines.push(`    checked: ${r.properties.join('; ')}`);
    lines.push(`    faults exercised: ${faults}`);
    if (speed) lines.push(`    ${speed}`);
    lines.push(`    seed ${r.seed} (--seed ${r.seed} repeats this fuzz; other seeds explore other timelines)`);
    return `${lines.join('\n')}\n`;
  }
  const ce = r.counterexample;
  lines.push(`  ${c.red('✗')} counterexample after ${r.runs} run${r.runs === 1 ? '' : 's'}, shrunk ${r.shrinks} time${r.shrinks === 1 ? '' : 's'}`);
  for (const b of ce.broken) lines.push(`    broke ${c.bold(b.kind === 'invariant' ? `invariant ${b.name}` : b.name)}${b.at !== undefined ? ` at ${formatDuration(b.at)}` : ''}: ${b.message}`);
  const events = ce.prepared.generated.filter((g) => g.resolved && ce.result.steps[g.index]?.outcome === 'ok');
  lines.push(`    minimal timeline (${events.length} fault${events.length === 1 ? '' : 's'}, run seed ${ce.timeline.seed}):`);
  for (const g of events) lines.push(`      ${formatDuration(g.occurrence.at)}  ${g.resolved!.description}`);
  for (const [k, v] of Object.entries(ce.timeline.timing)) lines.push(`      ${k}: ${v!.min === v!.max ? formatDuration(v!.min) : `${formatDuration(v!.min)}..${formatDuration(v!.max)}`}`);
  if (o.written) {
    const ok = o.reproduces ? 'it fails under `kuberehearse run` for the same reason' : c.yellow(`warning: ${o.reproduceNote ?? 'it does not reproduce under run'}`);
    lines.push(`    written: ${o.written} (${ok})`);
  }
  lines.push(`    replay: kuberehearse fuzz ${file} --replay ${ce.replay}`);
  lines.push(`    faults exercised: ${faults}${speed ? `; ${speed}` : ''}`);
  return `${lines.join('\n')}\n`;
}

function jsonOutcome(o: Outcome, cwd: string) {
  const r = o.report;
  const ce = r.counterexample;
  return {
    file: rel(cwd, r.file),
    name: r.name,
    status: r.status,
    seed: r.seed,
    runs: r.runs,
    shrinks: r.shrinks,
    interrupted: r.interrupted,
    properties: r.properties,
    faults: r.faults,
    ...(ce
      ? {
          counterexample: {
            broken: ce.broken,
            replay: ce.replay,
            runSeed: ce.timeline.seed,
            timing: ce.timeline.timing,
            faults: ce.prepared.generated.filter((g) => g.resolved && ce.result.steps[g.index]?.outcome === 'ok').map((g) => ({ at: g.occurrence.at, kind: g.occurrence.kind, step: g.resolved!.step })),
            ...(o.written ? { file: o.written, reproduces: o.reproduces ?? false } : {}),
            ...(o.reproduceNote ? { note: o.reproduceNote } : {}),
          },
        }
      : {}),
    timing: r.timing,
  };
}
