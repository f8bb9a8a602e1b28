// The html reporter: one self-contained page (inline CSS, SVG and a small script; no network,
// opens from file://) with a timeline per scenario and every failure story. The timeline needs
// each result's trace, which the CLI keeps whenever this reporter is enabled.
// Without --output-file.html the page goes to kuberehearse-report.html (DEFAULT_HTML_OUTPUT).

import type { RunSummary, ScenarioResult, StepResult } from '../src/result.js';
import { SCRIPT, STYLE } from './html/assets.js';
import { escapeHtml, renderTimelineSvg } from './html/svg.js';
import { buildTimeline, type TimelineLimits } from './html/timeline.js';
import { formatVirtual } from './terminal.js';
import type { Reporter, ReporterContext } from './types.js';
import { countResults, displayPath, formatSource } from './util.js';
import { errorStory, expectationHeadline, expectationStory, rerunCommand, snapshotFailed, snapshotStory, stepStory } from './story.js';

/** Where the CLI writes the page when no --output-file.html is given (a page on stdout helps nobody). */
export const DEFAULT_HTML_OUTPUT = 'kuberehearse-report.html';

/** Options read from `ReporterContext.options`. */
export interface HtmlReporterOptions {
  /** Lane and mark limits per scenario, so a 5000-pod scenario still gives a usable page. */
  limits?: TimelineLimits;
}

const STATUS_LABEL = { passed: 'PASSED', failed: 'FAILED', error: 'ERROR', todo: 'TODO' } as const;
const STATUS_ICON = { passed: '✓', failed: '✗', error: '!', todo: '○' } as const;

// No fetch of any kind: even a file:// page would otherwise load what user text could inject.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

function pre(lines: string[]): string {
  return `<pre>${escapeHtml(lines.join('\n'))}</pre>`;
}

/** The anchor of a step's entry, which its timeline marker links to. */
const stepAnchor = (scenarioId: string, s: StepResult): string => `${scenarioId}-step-${s.index + 1}`;

function stepItem(s: StepResult, scenarioId: string): string {
  const at = s.at !== undefined ? formatVirtual(s.at) : 'not run';
  const name = s.name !== undefined ? ` <b>${escapeHtml(s.name)}</b>` : '';
  const cls = s.outcome === 'error' ? ' class="error"' : '';
  const out = s.message !== undefined ? pre(s.message.split('\n')) : '';
  // what a `kubectl get|describe` step printed, as kubectl printed it
  const view = s.view !== undefined ? `<pre class="view">${escapeHtml(s.view)}</pre>` : '';
  return `<li id="${stepAnchor(scenarioId, s)}"${cls}><span class="t">${escapeHtml(at)}</span>${s.index + 1}.${name} <code>${escapeHtml(s.action)}</code>${s.outcome === 'error' ? ' — failed' : ''}${out}${view}</li>`;
}

/** Step markers of steps with a view link to the step's entry and carry the view in their tooltip. */
function linkViews(tl: ReturnType<typeof buildTimeline>, r: ScenarioResult, scenarioId: string): ReturnType<typeof buildTimeline> {
  for (const m of tl.markers) {
    const s = m.step !== undefined ? r.steps[m.step] : undefined;
    if (s?.view === undefined) continue;
    m.href = `#${stepAnchor(scenarioId, s)}`;
    m.text = `${m.text}\n${s.view}`;
  }
  return tl;
}

function scenarioSection(r: ScenarioResult, i: number, cwd: string, limits: TimelineLimits | undefined): string {
  const id = `scenario-${i + 1}`;
  const file = displayPath(r.file, cwd);
  const meta = [`seed ${r.seed}`, `${formatVirtual(r.duration)} virtual`, `${r.events} events`];
  if (r.tags.length > 0) meta.push(`tags ${r.tags.join(', ')}`);
  if (r.todo !== undefined) meta.push(`todo: ${r.todo}`);
  const open = r.status === 'failed' || r.status === 'error' ? ' open' : '';
  const parts = [
    `<details class="scenario ${r.status}" id="${id}"${open}>`,
    `<summary><span class="badge ${r.status}">${STATUS_LABEL[r.status]}</span>${escapeHtml(r.name)}<span class="file">${escapeHtml(file)}</span></summary>`,
    `<p class="meta">${escapeHtml(meta.join(' · '))}</p>`,
  ];
  // A scenario stopped before it ran (invalid input) has no timeline to show.
  const ran = r.trace !== undefined || r.steps.some((s) => s.at !== undefined) || r.duration > 0;
  if (ran) parts.push(`<div class="timeline-wrap">${renderTimelineSvg(linkViews(buildTimeline(r, limits), r, id), `${id}-timeline`)}</div>`);

  const failures: string[] = [];
  if (r.status === 'error') failures.push(`<article class="failure error"><h4>! the run stopped</h4>${pre(errorStory(r, cwd))}</article>`);
  for (const s of r.steps) {
    if (s.outcome === 'error') failures.push(`<article class="failure step"><h4>✗ step ${s.index + 1} <code>${escapeHtml(formatSource(s.source, cwd))}</code></h4>${pre(stepStory(s))}</article>`);
  }
  for (const e of r.expectations) {
    if (e.status !== 'failed') continue;
    failures.push(
      `<article class="failure expectation" data-decided-at="${e.decidedAt}"><h4>✗ ${escapeHtml(e.name)} <code>${escapeHtml(formatSource(e.source, cwd))}</code></h4>` +
        `<p>${escapeHtml(expectationHeadline(e))}</p>${pre(expectationStory(e))}</article>`,
    );
  }
  if (snapshotFailed(r)) {
    const src = r.traceSnapshot?.source;
    failures.push(`<article class="failure snapshot"><h4>✗ trace snapshot <code>${escapeHtml(src ? formatSource(src, cwd) : r.traceSnapshot?.file ?? '')}</code></h4>${pre(snapshotStory(r))}</article>`);
  }
  if (failures.length > 0) {
    parts.push(`<section class="failures"><h3>${r.status === 'todo' ? 'Failures (todo: expected for now)' : 'Failures'}</h3>`, ...failures);
    parts.push(`<p class="meta">rerun: <code>${escapeHtml(rerunCommand(r, cwd))}</code></p></section>`);
  }
  const todos = r.expectations.filter((e) => e.status === 'todo');
  if (todos.length > 0) {
    parts.push('<h3>Todo</h3><ul>', ...todos.map((e) => `<li>${escapeHtml(e.name)}: ${escapeHtml(e.todo ?? '(no reason given)')}</li>`), '</ul>');
  }
  if (r.steps.length > 0) parts.push('<h3>Steps</h3><ol class="steps">', ...r.steps.map((s) => stepItem(s, id)), '</ol>');
  parts.push('</details>');
  return parts.join('\n');
}

const KEY: [string, string][] = [
  ['Pending', '#f2c14e'],
  ['Running (not ready)', '#9ecae1'],
  ['Ready', '#31a354'],
  ['Terminating', '#b07aa1'],
  ['Succeeded', '#636363'],
  ['Failed', '#d62728'],
  ['endpoint not ready', '#fdd0a2'],
];

export function renderHtmlReport(summary: RunSummary, options: { cwd: string; limits?: TimelineLimits }): string {
  const { scenarios: s } = countResults(summary);
  const counts: [number, string, string][] = [
    [s.failed, 'failed', 'failed'],
    [s.errors, 'errored', 'error'],
    [s.passed, 'passed', 'passed'],
    [s.todo, 'todo', 'todo'],
  ];
  const countText = counts.filter(([k]) => k > 0).map(([k, label]) => `${k} ${label}`);
  const pageTitle = `kuberehearse: ${countText.length > 0 ? countText.join(', ') : 'no scenarios'}`;
  const nav = summary.scenarios.map(
    (r, i) => `<li class="${r.status}"><a href="#scenario-${i + 1}">${STATUS_ICON[r.status]} ${escapeHtml(displayPath(r.file, options.cwd))} › ${escapeHtml(r.name)}</a></li>`,
  );
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    `<title>${escapeHtml(pageTitle)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>kuberehearse report</h1>',
    `<p class="counts">${counts.filter(([k]) => k > 0).map(([k, label, cls]) => `<span class="${cls}">${k} ${label}</span>`).join('')}<span>${s.total} scenarios · ${escapeHtml(formatVirtual(summary.scenarios.reduce((n, r) => n + r.duration, 0)))} virtual</span></p>`,
    '<p class="controls"><label><input type="checkbox" id="only-failures"> show only failures</label> · times are virtual (simulated), from the start of each scenario · hover a bar or mark for details</p>',
    `<p class="key">${KEY.map(([label, colour]) => `<span><i style="background:${colour}"></i>${escapeHtml(label)}</span>`).join('')}<span>┆ step</span><span style="color:#e6550d">┆ fault</span><span style="color:#d62728">┃ failed expectation</span></p>`,
    '</header>',
    `<nav><ul>${nav.join('')}</ul></nav>`,
    '<main>',
    summary.scenarios.length === 0 ? '<p>No scenarios were run.</p>' : '',
    ...summary.scenarios.map((r, i) => scenarioSection(r, i, options.cwd, options.limits)),
    '</main>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function createHtmlReporter(ctx: ReporterContext): Reporter {
  const opts = ctx.options as HtmlReporterOptions;
  return {
    onRunEnd(summary) {
      ctx.write(renderHtmlReport(summary, { cwd: ctx.cwd, limits: opts.limits }));
    },
  };
}
