// The github reporter: workflow-command annotations on the scenario file's lines, and a Markdown
// job summary appended to $GITHUB_STEP_SUMMARY. Enabled by name, and by the CLI on its own when
// GITHUB_ACTIONS=true and no reporter was chosen (as vitest adds its github-actions reporter).
//
// Command syntax and escaping follow what the runner parses (actions/runner
// src/Runner.Worker/ActionCommandManager.cs, IssueCommandProperties: `col`, not `column`), with
// @actions/core's escaping (toolkit packages/core/src/command.ts escapeData/escapeProperty).

import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type { ExpectationResult, RunSummary, ScenarioResult, SourceRef } from '../src/result.js';
import { formatVirtual } from './terminal.js';
import type { Reporter, ReporterContext } from './types.js';
import { countResults } from './util.js';
import { decidedText, errorStory, expectationHeadline, expectationStory, firstLine, rerunCommand, snapshotFailed, snapshotHeadline, snapshotStory, stepStory, stepTitle } from './story.js';

/** Options read from `ReporterContext.options`. */
export interface GithubReporterOptions {
  /**
   * The environment to read GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, GITHUB_SERVER_URL,
   * GITHUB_REPOSITORY and GITHUB_SHA from.
   * @default process.env
   */
  env?: Record<string, string | undefined>;
}

/** GitHub shows at most this many error annotations of one step (and as many warnings/notices). */
export const ANNOTATIONS_SHOWN_PER_STEP = 10;
/** GitHub fails a step's summary upload above 1 MiB; stay well below, whatever the results hold. */
export const SUMMARY_BUDGET_BYTES = 900 * 1024;
const MESSAGE_LINES = 6;
const MESSAGE_CHARS = 1000;

/** Message data: `%`, CR and LF (escapeData in @actions/core). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally escape `:` and `,`, which separate properties (escapeProperty). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  file: string;
  line: number;
  col: number;
  title: string;
  message: string;
}

export function formatAnnotation(a: Annotation): string {
  const props = `file=${escapeProperty(a.file)},line=${a.line},col=${a.col},title=${escapeProperty(a.title)}`;
  return `::${a.level} ${props}::${escapeData(a.message)}\n`;
}

/** Short annotation text: a few lines at most; the job summary has the whole story. */
function shorten(lines: string[]): string {
  const kept = lines.slice(0, MESSAGE_LINES);
  if (lines.length > MESSAGE_LINES) kept.push(`… ${lines.length - MESSAGE_LINES} more line(s) in the job summary`);
  const text = kept.join('\n');
  return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS - 1)}…` : text;
}

/** Paths relative to the repository root (GITHUB_WORKSPACE, else the run's cwd), with `/`. */
function repoPath(file: string, cwd: string, workspace: string | undefined): string {
  const abs = path.resolve(cwd, file);
  const root = workspace !== undefined && workspace !== '' ? workspace : cwd;
  const rel = path.relative(root, abs);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

function expectationMessage(e: ExpectationResult): string {
  const lines = [`${expectationHeadline(e)} (${e.temporal}; decided ${decidedText(e)})`];
  const mismatches = e.mismatches ?? [];
  const repeated = e.message !== undefined && mismatches[0] === e.message;
  for (const m of repeated ? mismatches.slice(1) : e.message === undefined ? mismatches.slice(1) : mismatches) lines.push(`- ${firstLine(m)}`);
  if (e.nearMiss !== undefined) lines.push(`near miss: ${e.nearMiss}`);
  return shorten(lines);
}

/** Every annotation of a run, in the results' order: errors, failed steps, failed expectations, todos. */
export function annotationsFor(summary: RunSummary, cwd: string, workspace?: string): Annotation[] {
  const out: Annotation[] = [];
  const at = (s: SourceRef) => ({ file: repoPath(s.file, cwd, workspace), line: s.line, col: s.col });
  for (const r of summary.scenarios) {
    if (r.status === 'error') {
      const src = r.error?.source ?? { file: r.file, line: 1, col: 1 };
      const kind = r.error?.kind ?? 'internal';
      out.push({ level: 'error', ...at(src), title: `${r.name}: ${kind} error`, message: shorten(r.error?.message.split('\n') ?? ['the run stopped with an error']) });
    }
    for (const s of r.steps) {
      if (s.outcome !== 'error') continue;
      out.push({ level: 'error', ...at(s.source), title: `${r.name} > ${stepTitle(s)}`, message: shorten((s.message ?? 'the step failed').split('\n')) });
    }
    if (r.status === 'todo') {
      // One notice per todo scenario, not per expectation: a notice, not a warning, because a
      // todo is a known, accepted gap rather than something new to fix.
      out.push({ level: 'notice', ...at({ file: r.file, line: 1, col: 1 }), title: `todo: ${r.name}`, message: r.todo ?? '(no reason given)' });
      continue;
    }
    for (const e of r.expectations) {
      if (e.status === 'todo') {
        out.push({ level: 'notice', ...at(e.source), title: `todo: ${r.name} > ${e.name}`, message: e.todo ?? '(no reason given)' });
      } else if (e.status === 'failed') {
        out.push({ level: 'error', ...at(e.source), title: `${r.name} > ${e.name}`, message: expectationMessage(e) });
      }
    }
    if (snapshotFailed(r)) out.push({ level: 'error', ...at(r.traceSnapshot?.source ?? { file: r.file, line: 1, col: 1 }), title: `${r.name} > trace snapshot`, message: shorten(snapshotStory(r)) });
  }
  return out;
}

// ---- job summary ------------------------------------------------------------------------------

/** A table cell: pipes escaped, one line, no raw HTML. */
function cell(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A fenced block that no backtick run inside the text can close early. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text}\n${f}`;
}

interface SummaryEnv {
  workspace?: string;
  /** https://github.com/owner/repo/blob/sha, when the environment names them */
  blobBase?: string;
}

function link(src: SourceRef, cwd: string, env: SummaryEnv): string {
  const p = repoPath(src.file, cwd, env.workspace);
  const label = `${cell(p)}:${src.line}`;
  return env.blobBase !== undefined ? `[${label}](${env.blobBase}/${p.split('/').map(encodeURIComponent).join('/')}#L${src.line})` : `\`${p}:${src.line}\``;
}

const ICON = { passed: '✅', failed: '❌', error: '💥', todo: '📝' } as const;

interface Failure {
  scenario: ScenarioResult;
  what: string;
  src: SourceRef;
  headline: string;
  story: string[];
}

function failuresOf(r: ScenarioResult, cwd: string): Failure[] {
  const out: Failure[] = [];
  if (r.status === 'error') {
    out.push({ scenario: r, what: `${r.error?.kind ?? 'internal'} error`, src: r.error?.source ?? { file: r.file, line: 1, col: 1 }, headline: firstLine(r.error?.message ?? 'the run stopped with an error'), story: errorStory(r, cwd) });
  }
  for (const s of r.steps) if (s.outcome === 'error') out.push({ scenario: r, what: stepTitle(s), src: s.source, headline: firstLine(s.message ?? 'the step failed'), story: stepStory(s) });
  if (r.status !== 'todo') {
    for (const e of r.expectations) if (e.status === 'failed') out.push({ scenario: r, what: e.name, src: e.source, headline: expectationHeadline(e), story: expectationStory(e) });
  }
  if (snapshotFailed(r)) out.push({ scenario: r, what: 'trace snapshot', src: r.traceSnapshot?.source ?? { file: r.file, line: 1, col: 1 }, headline: snapshotHeadline(r), story: snapshotStory(r) });
  return out;
}

/** The Markdown job summary, at most `budget` bytes (counts and the failure table come first). */
export function renderJobSummary(summary: RunSummary, cwd: string, env: SummaryEnv, budget = SUMMARY_BUDGET_BYTES): string {
  const { scenarios: s, expectations: e } = countResults(summary);
  const counts: string[] = [];
  if (s.failed > 0) counts.push(`${ICON.failed} **${s.failed} failed**`);
  if (s.errors > 0) counts.push(`${ICON.error} **${s.errors} errored**`);
  if (s.passed > 0) counts.push(`${ICON.passed} **${s.passed} passed**`);
  if (s.todo > 0) counts.push(`${ICON.todo} ${s.todo} todo`);
  counts.push(`${s.total} scenario${s.total === 1 ? '' : 's'}`);
  // The leading blank line keeps the heading a heading whatever an earlier step appended.
  const head = [
    '',
    '## kuberehearse',
    '',
    counts.join(' · '),
    '',
    `Expectations: ${e.failed} failed, ${e.passed} passed, ${e.todo} todo (${e.total}). Virtual time: ${formatVirtual(summary.scenarios.reduce((n, r) => n + r.duration, 0))}.`,
    '',
  ];
  const failures = summary.scenarios.flatMap((r) => failuresOf(r, cwd));

  // Filled in document order while it fits, row by row and story by story; once something does
  // not fit, the rest is counted instead, so the summary never exceeds the budget and never
  // ends mid-row. Counts come first and always fit.
  const bytes = (lines: string[]): number => Buffer.byteLength(lines.join('\n') + '\n');
  const out = [...head];
  let used = bytes(out);
  const reserve = 300; // room for the closing "left out" note
  let full = false;
  const left = { failures: 0, details: 0, scenarios: 0 };
  const add = (lines: string[], what: keyof typeof left): void => {
    if (!full && used + bytes(lines) + reserve <= budget) {
      out.push(...lines);
      used += bytes(lines);
    } else {
      full = true;
      left[what]++;
    }
  };
  /** A table: its header only with its first row, then each row while it fits. */
  const table = (header: string[], rows: string[], what: keyof typeof left): void => {
    if (rows.length === 0) return;
    add([...header, rows[0]], what);
    for (const row of rows.slice(1)) add([row], what);
    if (!full) add([''], what);
  };

  if (failures.length > 0) {
    table(
      ['### Failures', '', '| Scenario | Failed | Message | Where |', '| --- | --- | --- | --- |'],
      failures.map((f) => `| ${cell(f.scenario.name)} | ${cell(f.what)} | ${cell(f.headline)} | ${link(f.src, cwd, env)} |`),
      'failures',
    );
    for (const f of failures) {
      add(
        [
          `<details><summary>${cell(f.scenario.name)} › ${cell(f.what)}</summary>`,
          '',
          fence([...f.story, '', `rerun: ${rerunCommand(f.scenario, cwd)}`].join('\n')),
          '',
          '</details>',
          '',
        ],
        'details',
      );
    }
  }
  table(
    ['### Scenarios', '', '| | Scenario | File | Expectations | Virtual time | Seed |', '| --- | --- | --- | --- | --- | --- |'],
    summary.scenarios.map((r) => {
      const failed = r.expectations.filter((x) => x.status === 'failed').length;
      const ex = r.expectations.length === 0 ? 'none' : failed > 0 ? `${failed} of ${r.expectations.length} failed` : `${r.expectations.length}`;
      return `| ${ICON[r.status]} | ${cell(r.name)}${r.todo !== undefined ? ` (todo: ${cell(r.todo)})` : ''} | ${link({ file: r.file, line: 1, col: 1 }, cwd, env)} | ${ex} | ${formatVirtual(r.duration)} | ${r.seed} |`;
    }),
    'scenarios',
  );
  if (full) {
    const parts = [
      left.failures > 0 ? `${left.failures} failure row(s)` : '',
      left.details > 0 ? `${left.details} failure stor${left.details === 1 ? 'y' : 'ies'}` : '',
      left.scenarios > 0 ? `${left.scenarios} scenario row(s)` : '',
    ].filter(Boolean);
    out.push('', `_Left out to stay under GitHub's 1 MiB job summary limit: ${parts.join(', ')}. The junit or json report has everything._`);
  }
  return out.join('\n') + '\n';
}

export function createGithubReporter(ctx: ReporterContext): Reporter {
  const opts = ctx.options as GithubReporterOptions;
  return {
    onRunEnd(summary) {
      const env = opts.env ?? process.env;
      const workspace = env.GITHUB_WORKSPACE;
      const annotations = annotationsFor(summary, ctx.cwd, workspace);
      for (const a of annotations) ctx.write(formatAnnotation(a));
      const errors = annotations.filter((a) => a.level === 'error').length;
      if (errors > ANNOTATIONS_SHOWN_PER_STEP) {
        ctx.write(`::notice::${escapeData(`${errors} failures were annotated; GitHub shows ${ANNOTATIONS_SHOWN_PER_STEP} per step. The job summary lists every one.`)}\n`);
      }
      const file = env.GITHUB_STEP_SUMMARY;
      if (file === undefined || file === '') return;
      const server = env.GITHUB_SERVER_URL || 'https://github.com';
      const blobBase = env.GITHUB_REPOSITORY && env.GITHUB_SHA ? `${server}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}` : undefined;
      try {
        appendFileSync(file, renderJobSummary(summary, ctx.cwd, { workspace, blobBase }));
      } catch (err) {
        ctx.write(`::warning::${escapeData(`could not append the job summary to ${file}: ${err instanceof Error ? err.message : String(err)}`)}\n`);
      }
    },
  };
}
