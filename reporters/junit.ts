// The junit reporter: one JUnit XML document in the shape GitLab, Jenkins, and the GitHub actions
// mikepenz/action-junit-report and dorny/test-reporter all read (the common subset documented by
// testmoapp/junitxml; per-reader notes in docs/reporters.md):
//   <testsuites>  one <testsuite> per scenario file  one <testcase> per expectation,
// plus a testcase per failed step, per run error, and per scenario that has nothing else to show.
// No timestamps, host names or wall-clock times, so the same results give the same bytes.

import type { ExpectationResult, ScenarioResult, StepResult } from '../src/result.js';
import { formatVirtual } from './terminal.js';
import type { Reporter, ReporterContext } from './types.js';
import { displayPath } from './util.js';
import { errorStory, expectationHeadline, expectationStory, firstLine, rerunCommand, snapshotFailed, snapshotHeadline, snapshotStory, stepStory } from './story.js';

/** Options read from `ReporterContext.options`. */
export interface JunitReporterOptions {
  /**
   * What the `time` attributes hold. CI tools read them as wall-clock seconds, and a scenario
   * runs in milliseconds of real time however long its virtual timeline is, so by default every
   * `time` is `0`. With `'virtual'`, a testsuite's time is the scenario's virtual duration and a
   * testcase's time the virtual instant its verdict was reached, in seconds: deterministic and
   * informative, but CI tools will label it as if it were real time.
   * @default 'zero'
   */
  time?: 'zero' | 'virtual';
}

// XML 1.0 cannot carry these even as character references (XML 1.0 §2.2 Char), so they are
// written as visible `\uXXXX` text rather than silently dropped: the reader still sees them.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]/g;

function clean(s: string): string {
  return s.replace(ANSI, '').replace(INVALID_XML, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Escaped for element content. `\r` is a reference because parsers normalise a raw one away. */
export function xmlText(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escaped for a double-quoted attribute; whitespace as references so parsers keep it. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Seconds as JUnit wants them: "0", "12", "62.5" (no exponent, no locale). */
function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

interface Outcome {
  tag: 'failure' | 'error' | 'skipped';
  message: string;
  type?: string;
  text?: string;
}

interface Case {
  name: string;
  line: number;
  timeMs: number;
  outcome?: Outcome;
  systemOut?: string;
}

interface Suite {
  file: string;
  scenarios: ScenarioResult[];
  cases: Case[];
}

const MESSAGE_LIMIT = 500;

function shortMessage(s: string): string {
  const line = firstLine(s);
  return line.length > MESSAGE_LIMIT ? `${line.slice(0, MESSAGE_LIMIT - 1)}…` : line;
}

/** The footer of every failure body: which run this was and how to repeat it exactly. */
function footer(r: ScenarioResult, cwd: string): string[] {
  return [`scenario: ${r.name} (seed ${r.seed}, ${formatVirtual(r.duration)} virtual)`, `rerun: ${rerunCommand(r, cwd)}`];
}

/**
 * The "    at <what> (<path>:<line>:<col>)" line: dorny/test-reporter finds the position only by
 * matching /\((.*):(\d+):\d+\)$/ on a line of the failure text, so it must end the line.
 */
function atLine(what: string, file: string, line: number, col: number): string {
  return `    at ${what} (${file}:${line}:${col})`;
}

function expectationCase(r: ScenarioResult, e: ExpectationResult, file: string, cwd: string, virtual: boolean): Case {
  const c: Case = { name: `${r.name} > ${e.name}`, line: e.source.line, timeMs: virtual ? e.decidedAt : 0 };
  const story = (): string =>
    [expectationHeadline(e), atLine(e.name, file, e.source.line, e.source.col), ...expectationStory(e), ...footer(r, cwd)].join('\n');
  if (r.status === 'todo' || e.status === 'todo') {
    const reason = e.status === 'todo' ? e.todo : r.todo;
    // The todo still ran; a failure under it is worth reading, a pass under it is worth knowing.
    const detail = e.status === 'failed' ? story() : e.status === 'passed' ? 'this expectation passed; the todo may be done' : undefined;
    c.outcome = { tag: 'skipped', message: `todo: ${reason ?? '(no reason given)'}`, ...(detail !== undefined ? { text: detail } : {}) };
  } else if (e.status === 'failed') {
    c.outcome = { tag: 'failure', message: shortMessage(expectationHeadline(e)), type: 'ExpectationFailed', text: story() };
  }
  return c;
}

function stepCase(r: ScenarioResult, s: StepResult, file: string, cwd: string, virtual: boolean): Case {
  const name = s.name !== undefined ? ` ${JSON.stringify(s.name)}` : '';
  const [title, ...rest] = stepStory(s);
  return {
    name: `${r.name} > step ${s.index + 1}${name}: ${s.action}`,
    line: s.source.line,
    timeMs: virtual ? s.at ?? 0 : 0,
    outcome: {
      tag: 'failure',
      message: shortMessage(s.message ?? 'the step failed'),
      type: 'StepFailed',
      text: [...rest, atLine(title, file, s.source.line, s.source.col), ...footer(r, cwd)].join('\n'),
    },
  };
}

function snapshotCase(r: ScenarioResult, file: string, cwd: string, virtual: boolean): Case {
  const src = r.traceSnapshot?.source ?? { file: r.file, line: 1, col: 1 };
  return {
    name: `${r.name} > trace snapshot`,
    line: src.line,
    timeMs: virtual ? r.duration : 0,
    outcome: { tag: 'failure', message: shortMessage(snapshotHeadline(r)), type: 'SnapshotMismatch', text: [...snapshotStory(r), atLine('trace snapshot', file, src.line, src.col), ...footer(r, cwd)].join('\n') },
  };
}

const ERROR_TYPES = { input: 'InputError', runtime: 'RuntimeError', internal: 'InternalError' } as const;

function errorCase(r: ScenarioResult, file: string, cwd: string, virtual: boolean): Case {
  const err = r.error;
  const src = err?.source;
  const lines = errorStory(r, cwd);
  if (src !== undefined) lines.splice(lines.length - 1, 1, atLine(r.name, displayPath(src.file, cwd), src.line, src.col));
  return {
    name: r.name,
    line: src?.line ?? 1,
    timeMs: virtual ? r.duration : 0,
    outcome: {
      tag: 'error',
      message: shortMessage(err?.message ?? 'the run stopped with an error'),
      type: ERROR_TYPES[err?.kind ?? 'internal'],
      text: [...lines, ...footer(r, cwd)].join('\n'),
    },
  };
}

function scenarioCases(r: ScenarioResult, cwd: string, virtual: boolean): Case[] {
  const file = displayPath(r.file, cwd);
  const cases: Case[] = [];
  if (r.status === 'error') cases.push(errorCase(r, file, cwd, virtual));
  // A failed step usually explains the failed expectations after it, so it comes first.
  for (const s of r.steps) if (s.outcome === 'error') cases.push(stepCase(r, s, file, cwd, virtual));
  for (const e of r.expectations) cases.push(expectationCase(r, e, file, cwd, virtual));
  if (snapshotFailed(r)) cases.push(snapshotCase(r, file, cwd, virtual));
  if (cases.length === 0) {
    // Every scenario shows up as at least one testcase, so none disappears from the CI's counts.
    const c: Case = { name: r.name, line: 1, timeMs: virtual ? r.duration : 0 };
    if (r.status === 'todo') c.outcome = { tag: 'skipped', message: `todo: ${r.todo ?? '(no reason given)'}` };
    else c.systemOut = 'no expectations: this scenario passed without checking anything';
    cases.push(c);
  }
  return cases;
}

/** GitLab keeps only the first of several testcases with the same (classname, name). */
function makeUnique(cases: Case[]): void {
  const seen = new Map<string, number>();
  for (const c of cases) {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    if (n > 1) c.name = `${c.name} (${n})`;
  }
}

function count(cases: Case[]): { tests: number; failures: number; errors: number; skipped: number } {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome?.tag === 'failure').length,
    errors: cases.filter((c) => c.outcome?.tag === 'error').length,
    skipped: cases.filter((c) => c.outcome?.tag === 'skipped').length,
  };
}

function countAttrs(n: ReturnType<typeof count>, timeMs: number): string {
  return `tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="${seconds(timeMs)}"`;
}

function caseXml(c: Case, file: string): string[] {
  const open = `    <testcase classname="${xmlAttr(file)}" name="${xmlAttr(c.name)}" file="${xmlAttr(file)}" line="${c.line}" time="${seconds(c.timeMs)}"`;
  const inner: string[] = [];
  const o = c.outcome;
  if (o !== undefined) {
    const type = o.type !== undefined ? ` type="${xmlAttr(o.type)}"` : '';
    const head = `      <${o.tag} message="${xmlAttr(o.message)}"${type}`;
    inner.push(o.text !== undefined ? `${head}>${xmlText(o.text)}</${o.tag}>` : `${head}/>`);
  }
  if (c.systemOut !== undefined) inner.push(`      <system-out>${xmlText(c.systemOut)}</system-out>`);
  return inner.length === 0 ? [`${open}/>`] : [`${open}>`, ...inner, '    </testcase>'];
}

/** The whole JUnit document for a run, ending with a newline. */
export function renderJunitReport(scenarios: ScenarioResult[], options: { cwd: string; time?: 'zero' | 'virtual' }): string {
  const virtual = options.time === 'virtual';
  // One suite per file, in the order files first appear (the runner's stable order).
  const suites = new Map<string, Suite>();
  for (const r of scenarios) {
    const file = displayPath(r.file, options.cwd);
    let suite = suites.get(file);
    if (suite === undefined) suites.set(file, (suite = { file, scenarios: [], cases: [] }));
    suite.scenarios.push(r);
    suite.cases.push(...scenarioCases(r, options.cwd, virtual));
  }
  const body: string[] = [];
  const all: Case[] = [];
  let totalMs = 0;
  for (const suite of suites.values()) {
    makeUnique(suite.cases);
    all.push(...suite.cases);
    const suiteMs = virtual ? suite.scenarios.reduce((sum, r) => sum + r.duration, 0) : 0;
    totalMs += suiteMs;
    const file = xmlAttr(suite.file);
    body.push(`  <testsuite name="${file}" file="${file}" ${countAttrs(count(suite.cases), suiteMs)}>`);
    body.push('    <properties>');
    for (const r of suite.scenarios) {
      const props: [string, string][] = [
        ['scenario', r.name],
        ['seed', String(r.seed)],
        ['virtualDuration', formatVirtual(r.duration)],
      ];
      if (r.tags.length > 0) props.push(['tags', r.tags.join(',')]);
      for (const [k, v] of props) body.push(`      <property name="${k}" value="${xmlAttr(v)}"/>`);
    }
    body.push('    </properties>');
    for (const c of suite.cases) body.push(...caseXml(c, suite.file));
    body.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kuberehearse" ${countAttrs(count(all), totalMs)}>`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}

export function createJunitReporter(ctx: ReporterContext): Reporter {
  const opts = ctx.options as JunitReporterOptions;
  return {
    onRunEnd(summary) {
      ctx.write(renderJunitReport(summary.scenarios, { cwd: ctx.cwd, time: opts.time }));
    },
  };
}
