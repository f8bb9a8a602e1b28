// The default reporter: a line per scenario as it ends, then every failure in full, then a
// vitest-style summary ending in a plain `N passed, N failed[, N skipped]` line for log scrapers.
// Output depends only on the results (virtual times, no wall clock), so it is reproducible.

import pc from 'picocolors';
import type { ExpectationResult, RunSummary, ScenarioResult, Snapshot, StepResult, Transition } from '../src/result.js';
import { formatDuration } from '../src/util/duration.js';
import type { Reporter, ReporterContext } from './types.js';
import { countResults, displayPath, formatSource } from './util.js';
import { GET_TABWRITER, tabwrite } from '../src/kubectl/printers/tabwriter.js';
import { snapshotFailed, snapshotStory } from './story.js';

/** Options read from `ReporterContext.options`. */
export interface TerminalReporterOptions {
  /**
   * The run was started with `--pass-with-no-tests`: an empty run is reported as exiting with
   * code 0 (the CLI sets the code; this only changes the message).
   * @default false
   */
  passWithNoTests?: boolean;
  /**
   * `--views`: print under each scenario's line what its `kubectl get|describe` steps showed
   * (StepResult.view), as kubectl prints it.
   * @default false
   */
  views?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

const MARK = { passed: '✓', failed: '✗', error: '!', todo: '○' } as const;

/**
 * A virtual time in Go duration syntax, without the trailing zero units Go's Duration.String
 * prints ("2m0s" -> "2m", "1h0m0s" -> "1h"): shorter, and still valid input to
 * time.ParseDuration, which is how scenario authors write times.
 */
export function formatVirtual(ms: number): string {
  return formatDuration(ms)
    .replace(/([hm])0s$/, '$1')
    .replace(/(h)0m$/, '$1');
}

const width = (s: string): number => [...s].length;
const padEnd = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)));

/**
 * Rows laid out the way `kubectl get` does: kubectl writes tab-separated cells through Go's
 * text/tabwriter with minwidth 6, padding 3 and no trailing tab (cli-runtime
 * pkg/printers/tabwriter.go, GetNewTabWriter), so every column but the last is as wide as its
 * widest cell plus 3, at least 6, and the last column is not padded.
 */
export function renderTable(columns: string[], rows: string[][]): string[] {
  const all = [columns.map((h) => h.toUpperCase()), ...rows];
  return tabwrite(all.map((r) => r.join('\t')), GET_TABWRITER).map((l) => l.trimEnd());
}

/** "step 2 at 30s: kubectl get pods" and what it printed, indented: a `kubectl get|describe` view. */
export function viewLines(s: StepResult): string[] {
  if (s.view === undefined) return [];
  const name = s.name !== undefined ? ` ${JSON.stringify(s.name)}` : '';
  const at = s.at !== undefined ? ` at ${formatVirtual(s.at)}` : '';
  return [`$ ${s.action}  # step ${s.index + 1}${name}${at}`, ...s.view.split('\n')];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Continuation lines of a multi-line text get the same indent as the first. */
function indentLines(text: string, indent: string): string[] {
  return text.split('\n').map((l) => (l === '' ? '' : indent + l));
}

export function createTerminalReporter(ctx: ReporterContext): Reporter {
  const c: Colors = pc.createColors(ctx.color);
  const opts = ctx.options as TerminalReporterOptions;
  let seed: number | undefined;
  // Scenarios already given a line in onScenarioEnd; onRunEnd prints lines for any the runner
  // did not announce, so the report is complete whichever hooks the runner calls.
  const printed = new Map<string, number>();
  const keyOf = (r: ScenarioResult): string => `${r.file}\u0000${r.name}`;
  const out = (lines: string[]): void => {
    if (lines.length > 0) ctx.write(lines.join('\n') + '\n');
  };

  function title(r: ScenarioResult): string {
    return `${c.dim(displayPath(r.file, ctx.cwd) + ' >')} ${r.name}`;
  }

  function scenarioLine(r: ScenarioResult): string[] {
    const tags = r.tags.length > 0 ? `  ${c.cyan(`[${r.tags.join(', ')}]`)}` : '';
    const failed = r.expectations.filter((e) => e.status === 'failed').length;
    const todo = r.expectations.filter((e) => e.status === 'todo').length;
    const total = r.expectations.length;
    const parts: string[] = [];
    if (r.status === 'failed' && failed > 0) parts.push(`${failed} of ${plural(total, 'expectation')} failed`);
    else parts.push(plural(total, 'expectation'));
    if (todo > 0) parts.push(`${todo} todo`);
    const views = r.steps.filter((st) => st.view !== undefined).length;
    if (views > 0 && opts.views !== true) parts.push(`${plural(views, 'kubectl view')}: --views`);
    if (r.traceSnapshot?.status === 'written' || r.traceSnapshot?.status === 'updated') parts.push(`trace snapshot ${r.traceSnapshot.status}`);
    parts.push(`${formatVirtual(r.duration)} virtual`);
    const stats = c.dim(`(${parts.join(', ')})`);
    switch (r.status) {
      case 'passed': {
        const lines = [`${c.green(MARK.passed)} ${title(r)}${tags}  ${stats}`];
        // A pass that asserted nothing is the silent vacuous pass users of other tools complain
        // about (KUTTL #165); say so instead of showing a plain tick.
        if (total === 0) lines.push(`  ${c.yellow('⚠ no expectations: this scenario passed without checking anything')}`);
        return lines;
      }
      case 'failed':
        return [`${c.red(MARK.failed)} ${title(r)}${tags}  ${stats}`];
      case 'error': {
        const first = r.error?.message.split('\n')[0] ?? 'the run stopped with an error';
        return [`${c.red(MARK.error)} ${title(r)}${tags}  ${c.red(`error: ${first}`)}`];
      }
      case 'todo':
        return [`${c.yellow(MARK.todo)} ${title(r)}${tags}  ${c.yellow(`todo: ${r.todo ?? '(no reason given)'}`)}`];
    }
  }

  /** With --views: each get/describe step's screen under the scenario line, as kubectl printed it. */
  function scenarioViews(r: ScenarioResult): string[] {
    if (opts.views !== true) return [];
    const lines: string[] = [];
    for (const s of r.steps) {
      const [head, ...body] = viewLines(s);
      if (head === undefined) continue;
      lines.push(`    ${c.cyan(head)}`, ...body.map((l) => (l === '' ? '' : `    ${l}`)), '');
    }
    return lines;
  }

  function snapshotLines(s: Snapshot): string[] {
    const head = `snapshot at ${formatVirtual(s.at)} (${s.kind}):`;
    if (s.rows.length === 0) return [head, `  No resources found.`];
    return [head, ...renderTable(s.columns, s.rows).map((l) => `  ${l}`)];
  }

  function transitionLines(ts: Transition[]): string[] {
    const times = ts.map((t) => `+${formatVirtual(t.t)}`);
    const tw = Math.max(...times.map(width));
    const ow = Math.max(...ts.map((t) => width(t.object)));
    return ['last transitions:', ...ts.map((t, i) => `  ${padEnd(times[i], tw)} ${padEnd(t.object, ow)}  ${t.text}`.trimEnd())];
  }

  function expectationLines(e: ExpectationResult): string[] {
    const lines = [`  ${c.red(MARK.failed)} ${c.bold(e.name)}  ${c.dim(formatSource(e.source, ctx.cwd))}`];
    const body: string[] = [];
    body.push(`${c.dim('when:')}    ${e.temporal}`);
    body.push(`${c.dim('subject:')} ${e.subject}`);
    const decided = [`at ${formatVirtual(e.decidedAt)}`];
    if (e.becameTrueAt !== undefined) decided.push(`held from ${formatVirtual(e.becameTrueAt)}`);
    if (e.becameFalseAt !== undefined) decided.push(`stopped holding at ${formatVirtual(e.becameFalseAt)}`);
    body.push(`${c.dim('decided:')} ${decided.join(', ')}`);
    const mismatches = e.mismatches ?? [];
    // a message that only repeats the first mismatch is not printed twice
    if (e.message !== undefined && !(mismatches.length > 0 && e.message === mismatches[0])) body.push(...indentLines(c.red(e.message), ''));
    for (const m of mismatches) {
      const [first, ...rest] = m.split('\n');
      body.push(`- ${first}`, ...rest.map((l) => (l === '' ? '' : `  ${l}`)));
    }
    if (e.message === undefined && (e.mismatches ?? []).length === 0) body.push(c.red('failed (no details were recorded)'));
    if (e.nearMiss !== undefined) body.push(`${c.yellow('near miss:')} ${e.nearMiss}`);
    if (e.snapshot !== undefined) body.push(...snapshotLines(e.snapshot));
    if (e.transitions !== undefined && e.transitions.length > 0) body.push(...transitionLines(e.transitions));
    return [...lines, ...body.map((l) => (l === '' ? '' : `    ${l}`))];
  }

  function stepLines(s: StepResult): string[] {
    const name = s.name !== undefined ? ` ${JSON.stringify(s.name)}` : '';
    const at = s.at !== undefined ? ` at ${formatVirtual(s.at)}` : '';
    const lines = [`  ${c.red(MARK.failed)} ${c.bold(`step ${s.index + 1}${name}`)}: ${s.action}${at}  ${c.dim(formatSource(s.source, ctx.cwd))}`];
    if (s.message !== undefined) lines.push(...indentLines(c.red(s.message), '    '));
    return lines;
  }

  function errorLines(r: ScenarioResult): string[] {
    const err = r.error;
    if (err === undefined) return [`  ${c.red('error: the run stopped with an error but recorded no message')}`];
    const label =
      err.kind === 'internal'
        ? 'internal error (this is a bug in kuberehearse; please report it with the scenario and seed):'
        : `${err.kind} error:`;
    const lines = [`  ${c.red(c.bold(label))}`, ...indentLines(err.message, '    ')];
    if (err.source !== undefined) lines.push(`  ${c.dim('at')} ${formatSource(err.source, ctx.cwd)}`);
    return lines;
  }

  function snapshotBlock(r: ScenarioResult): string[] {
    const s = r.traceSnapshot!;
    const [head, ...rest] = snapshotStory(r);
    const paint = (l: string) => (l.startsWith('- ') ? c.red(l) : l.startsWith('+ ') ? c.green(l) : l.startsWith('hint:') ? c.dim(l) : l);
    return [`  ${c.red(MARK.failed)} ${c.bold('trace snapshot')}  ${c.dim(s.source ? formatSource(s.source, ctx.cwd) : s.file)}`, `    ${c.red(head)}`, ...rest.map((l) => `    ${paint(l)}`)];
  }

  function failureBlock(r: ScenarioResult): string[] {
    const badge = r.status === 'error' ? c.bgRed(c.white(c.bold(' ERROR '))) : c.bgRed(c.white(c.bold(' FAIL ')));
    const lines = ['', `${badge} ${displayPath(r.file, ctx.cwd)} > ${r.name}  ${c.dim(`(seed ${r.seed})`)}`];
    if (r.status === 'error') lines.push(...errorLines(r));
    // A failed step usually explains the failed expectations after it, so it comes first.
    for (const s of r.steps) if (s.outcome === 'error') lines.push(...stepLines(s));
    for (const e of r.expectations) if (e.status === 'failed') lines.push(...expectationLines(e));
    if (snapshotFailed(r)) lines.push(...snapshotBlock(r));
    return lines;
  }

  function summaryLines(summary: RunSummary): string[] {
    const { scenarios: s, expectations: e } = countResults(summary);
    const joinCounts = (parts: [number, string, (x: string) => string][], total: number): string => {
      const shown = parts.filter(([n]) => n > 0).map(([n, label, paint]) => paint(`${n} ${label}`));
      return `${shown.length > 0 ? shown.join(c.dim(' | ')) : '0 run'} ${c.dim(`(${total})`)}`;
    };
    const boldRed = (x: string): string => c.bold(c.red(x));
    const green = (x: string): string => c.bold(c.green(x));
    const yellow = (x: string): string => c.yellow(x);
    const label = (l: string): string => c.dim(l.padStart(13));
    const lines = [
      '',
      `${label('Scenarios')}  ${joinCounts(
        [
          [s.failed, 'failed', boldRed],
          [s.errors, 'errored', boldRed],
          [s.passed, 'passed', green],
          [s.todo, 'todo', yellow],
        ],
        s.total,
      )}`,
      `${label('Expectations')}  ${joinCounts(
        [
          [e.failed, 'failed', boldRed],
          [e.passed, 'passed', green],
          [e.todo, 'todo', yellow],
        ],
        e.total,
      )}`,
      `${label('Virtual time')}  ${formatVirtual(summary.scenarios.reduce((sum, r) => sum + r.duration, 0))}`,
    ];
    if (seed !== undefined) lines.push(`${label('Seed')}  ${seed}`);
    lines.push(machineLine(s.passed, s.failed + s.errors, s.todo));
    return lines;
  }

  return {
    onRunStart(info) {
      seed = info.seed;
    },
    onScenarioEnd(result) {
      const key = keyOf(result);
      printed.set(key, (printed.get(key) ?? 0) + 1);
      out([...scenarioLine(result), ...scenarioViews(result)]);
    },
    onRunEnd(summary) {
      if (summary.scenarios.length === 0) {
        const code = opts.passWithNoTests === true ? 0 : 1;
        const lines = [`No scenario files found, exiting with code ${code}`];
        if (code === 1) lines.push('Run with --pass-with-no-tests to exit with code 0');
        lines.push(machineLine(0, 0, 0));
        out(lines);
        return;
      }
      const late: string[] = [];
      for (const r of summary.scenarios) {
        const key = keyOf(r);
        const n = printed.get(key) ?? 0;
        if (n > 0) printed.set(key, n - 1);
        else late.push(...scenarioLine(r), ...scenarioViews(r));
      }
      out(late);
      const failures = summary.scenarios.filter((r) => r.status === 'failed' || r.status === 'error');
      const lines: string[] = [];
      if (failures.length > 0) {
        lines.push('', c.red(c.bold(`Failures (${failures.length})`)));
        for (const r of failures) lines.push(...failureBlock(r));
      }
      lines.push(...summaryLines(summary));
      out(lines);
    },
  };
}

/**
 * The last line of every terminal report, never coloured, for CI log scrapers:
 * `N passed, N failed` plus `, N skipped` when anything was skipped. Errored scenarios count as
 * failed and todo scenarios as skipped.
 */
export function machineLine(passed: number, failed: number, skipped: number): string {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}
