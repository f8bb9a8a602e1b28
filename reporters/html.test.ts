import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ScenarioResult } from '../src/result.js';
import { summarizeEndpoints } from '../src/api/endpointsSummary.js';
import { createHtmlReporter, renderHtmlReport } from './html.js';
import { tracedScenario } from './html.fixture.js';
import { buildTimeline, parseEndpointsSummary, podState } from './html/timeline.js';
import { tickStep } from './html/svg.js';
import { allScenarios, CWD, errorScenario, passedScenario, summaryOf, todoScenario } from './results.fixture.js';

const page = (scenarios: ScenarioResult[]): string => renderHtmlReport(summaryOf(scenarios), { cwd: CWD });
const fullRun = (): ScenarioResult[] => [passedScenario(), tracedScenario(), errorScenario(), todoScenario()];

describe('timeline model', () => {
  test('pod state from the trace summary, as kubectl shows it', () => {
    expect(podState('Pending')).toEqual({ state: 'Pending', detail: '' });
    expect(podState('Pending node=n1')).toEqual({ state: 'Pending', detail: 'node=n1' });
    expect(podState('Running node=n1')).toEqual({ state: 'Running', detail: 'node=n1' });
    expect(podState('Running node=n1 ready')).toEqual({ state: 'Ready', detail: 'node=n1' });
    expect(podState('Running node=n1 ready terminating')).toEqual({ state: 'Terminating', detail: 'node=n1' });
    expect(podState('Pending terminating')).toEqual({ state: 'Terminating', detail: '' });
    expect(podState('Succeeded node=n1')).toEqual({ state: 'Succeeded', detail: 'node=n1' });
    expect(podState(undefined)).toEqual({ state: 'Unknown', detail: '' });
  });

  test('endpoint summaries round-trip between the API server and the timeline', () => {
    const slice = {
      kind: 'EndpointSlice',
      metadata: { name: 'web-abcde', labels: { 'kubernetes.io/service-name': 'web' } },
      endpoints: [
        { addresses: ['10.0.0.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-a' } },
        { addresses: ['10.0.0.2'], conditions: {}, targetRef: { kind: 'Pod', name: 'web-b' } }, // nil ready means ready
        { addresses: ['10.0.0.3'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'web-c' } },
        { addresses: ['10.0.0.4'], conditions: { ready: false, serving: true, terminating: true }, targetRef: { kind: 'Pod', name: 'web-d' } },
      ],
    };
    const text = summarizeEndpoints(slice);
    expect(text).toBe('service=web ready=web-a,web-b notready=web-c terminating=web-d');
    expect(parseEndpointsSummary(text)).toEqual({ service: 'web', ready: ['web-a', 'web-b'], notready: ['web-c'], terminating: ['web-d'] });

    const endpoints = {
      kind: 'Endpoints',
      metadata: { name: 'web' },
      subsets: [
        { addresses: [{ ip: '10.0.0.1', targetRef: { name: 'web-a' } }, { ip: '10.0.0.9' }], notReadyAddresses: [{ ip: '10.0.0.3', targetRef: { name: 'web-c' } }] },
        { addresses: [{ ip: '10.0.0.1', targetRef: { name: 'web-a' } }] }, // same pod under a second port
      ],
    };
    expect(summarizeEndpoints(endpoints)).toBe('service=web ready=web-a,10.0.0.9 notready=web-c');
    expect(summarizeEndpoints({ kind: 'Endpoints', metadata: { name: 'empty' } })).toBe('service=empty');
    expect(parseEndpointsSummary('service=empty')).toEqual({ service: 'empty', ready: [], notready: [], terminating: [] });
    expect(summarizeEndpoints({ kind: 'Service', metadata: { name: 'web' } })).toBeUndefined();
  });

  test('a lane per pod with its states over virtual time, in first-seen order', () => {
    const tl = buildTimeline(tracedScenario());
    expect(tl.end).toBe(120_000); // the last expectation was decided at 2m
    expect(tl.pods.map((p) => p.name)).toEqual(['web-7f9c6d5b8-x2x4q', 'web-abc', 'web-def']);
    const abc = tl.pods[1].segments.map((s) => [s.from, s.to, s.state, s.detail]);
    expect(abc).toEqual([
      [0, 1_500, 'Pending', ''],
      [1_500, 3_000, 'Pending', 'node=node-1'],
      [3_000, 8_000, 'Running', 'node=node-1'],
      [8_000, 30_000, 'Ready', 'node=node-1'],
      [30_000, 60_000, 'Terminating', 'node=node-1'], // ends when the pod is deleted
    ]);
    expect(tl.pods[2].segments.at(-1)).toEqual({ from: 33_000, to: 120_000, state: 'Running', detail: 'node=node-2' });
  });

  test('endpoint membership per Service follows the EndpointSlice', () => {
    const [svc] = buildTimeline(tracedScenario()).services;
    expect(svc.name).toBe('web');
    const byPod = Object.fromEntries(svc.members.map((m) => [m.pod, m.segments.map((s) => [s.from, s.to, s.state])]));
    expect(byPod).toEqual({
      'web-7f9c6d5b8-x2x4q': [[5_000, 120_000, 'ready']],
      'web-abc': [
        [8_000, 30_000, 'ready'],
        [30_000, 60_000, 'terminating'],
      ],
      'web-def': [[33_000, 120_000, 'notready']],
    });
  });

  test('requests, steps, faults and failed expectations', () => {
    const tl = buildTimeline(tracedScenario());
    expect(tl.requests.map((r) => [r.t, r.servedBy, r.ok])).toEqual([
      [10_000, 'web-abc', true],
      [15_000, 'web-7f9c6d5b8-x2x4q', true],
      [20_000, 'web-abc', true],
      [25_000, 'web-7f9c6d5b8-x2x4q', true],
      [35_000, 'web-7f9c6d5b8-x2x4q', true],
      [40_000, undefined, false],
      [70_000, 'web-7f9c6d5b8-x2x4q', true],
    ]);
    expect(tl.requests[5].text).toBe('laptop → web.default.svc refused');
    expect(tl.markers.map((m) => [m.t, m.kind, m.label, m.failed])).toEqual([
      [0, 'step', '1', false],
      [30_000, 'step', '2', true],
      [45_000, 'fault', '⚡4', false],
      [90_000, 'failure', '✗', true],
      [40_000, 'failure', '✗', true],
    ]);
    expect(tl.markers[3].from).toBe(62_500);
  });

  test('without a trace there are no lanes, but steps and failures are still marked', () => {
    const r = tracedScenario();
    delete r.trace;
    const tl = buildTimeline(r);
    expect(tl.traced).toBe(false);
    expect([tl.pods, tl.services, tl.requests]).toEqual([[], [], []]);
    expect(tl.markers.filter((m) => m.kind === 'failure')).toHaveLength(2);
  });

  test('a trace without endpoints or requests draws pods only', () => {
    const r = tracedScenario();
    r.trace = r.trace!.filter((x) => x.type !== 'object' || x.kind === 'Pod').filter((x) => (x as { type: string }).type !== 'request');
    const tl = buildTimeline(r);
    expect(tl.services).toEqual([]);
    expect(tl.requests).toEqual([]);
    expect(tl.pods).toHaveLength(3);
  });

  test('lanes beyond the limit are counted, not drawn', () => {
    const tl = buildTimeline(tracedScenario(), { maxPods: 2, maxRequests: 3 });
    expect(tl.pods).toHaveLength(2);
    expect(tl.omittedPods).toBe(1);
    expect(tl.requests).toHaveLength(3);
    expect(tl.omittedRequests).toBe(4);
  });

  test('axis ticks are 1, 2 or 5 times a power of ten', () => {
    expect(tickStep(120_000)).toBe(20_000);
    expect(tickStep(90_000)).toBe(20_000);
    expect(tickStep(31_000)).toBe(5_000);
    expect(tickStep(800)).toBe(100);
    expect(tickStep(0)).toBe(1000);
  });
});

describe('html page', () => {
  test('is self-contained: no URL, no external resource, no fetch allowed', () => {
    const html = page(fullRun());
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    for (const m of html.matchAll(/\bhref\s*=\s*"([^"]*)"/gi)) expect(m[1]).toMatch(/^#scenario-\d+$/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`);
  });

  test('escapes everything that comes from scenarios', () => {
    const r = tracedScenario();
    r.name = '<script>alert(1)</script> & "q"';
    r.expectations[1].message = '<img onerror=x>';
    const html = page([r]);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;');
    expect(html.match(/<script>/g)).toHaveLength(1); // only the page's own
  });

  test('draws a lane per pod and endpoint member, marks, and the failure stories', () => {
    const html = page(fullRun());
    expect(html.match(/<g class="lane pod"/g)).toHaveLength(3);
    expect(html.match(/<g class="lane endpoint"/g)).toHaveLength(3);
    expect(html.match(/class="mark request ok"/g)).toHaveLength(6);
    expect(html.match(/class="mark request failed"/g)).toHaveLength(1);
    expect(html).toContain('<g class="marker failure failed" data-t="90000">');
    expect(html).toContain('<g class="marker fault" data-t="45000">');
    expect(html).toContain('<rect class="seg pod s-Terminating" data-state="Terminating"');
    // the failure stories, with the kubectl-style snapshot
    expect(html).toContain('✗ two pods ready during rollout <code>scenarios/rollout.scenario.yaml:21:7</code>');
    expect(html).toContain('  NAME                  READY   STATUS    RESTARTS   AGE\n');
    expect(html).toContain('rerun: <code>npx kuberehearse run scenarios/rollout.scenario.yaml --seed 7</code>');
    // failed scenarios open, others collapsed; no timeline for a scenario that never ran
    expect(html).toContain('<details class="scenario failed" id="scenario-2" open>');
    expect(html).toContain('<details class="scenario passed" id="scenario-1">');
    expect(html).not.toContain('id="scenario-3-timeline"');
  });

  test('is identical for identical results', () => {
    expect(page(fullRun())).toBe(page(fullRun()));
  });

  test('the reporter writes the page once, at the end', async () => {
    const writes: string[] = [];
    const r = createHtmlReporter({ write: (t) => writes.push(t), color: false, isTTY: false, cwd: CWD, options: {} });
    for (const s of allScenarios()) r.onScenarioEnd?.(s);
    expect(writes).toEqual([]);
    await r.onRunEnd(summaryOf(allScenarios()));
    expect(writes).toHaveLength(1);
    expect(writes[0].startsWith('<!doctype html>\n')).toBe(true);
    expect(writes[0].endsWith('</html>\n')).toBe(true);
  });
});

// Debian's chromium driven by playwright-core. Flags as in the environment notes: without the
// background-networking ones Chromium tries hosts this machine cannot reach.
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const browserSuite = hasChromium
  ? 'html page in headless Chromium'
  : `html page in headless Chromium (SKIPPED: ${CHROMIUM} is not installed; apt-get install -y chromium)`;

describe.skipIf(!hasChromium)(browserSuite, () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kuberehearse-html-'));
    file = path.join(dir, 'report.html');
    writeFileSync(file, page(fullRun()));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('renders lanes and the failing instant, with no errors and no network', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      // playwright-core adds --headless and its own fresh --user-data-dir
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      tab.on('request', (req) => requests.push(req.url()));
      const url = pathToFileURL(file).href;
      await tab.goto(url);

      expect(await tab.title()).toBe('kuberehearse: 1 failed, 1 errored, 1 passed, 1 todo');
      const failed = tab.locator('#scenario-2');
      expect(await failed.locator('svg.timeline g.lane.pod').count()).toBe(3);
      expect(await failed.locator('svg.timeline g.lane.endpoint').count()).toBe(3);
      expect(await tab.locator('#scenario-1 svg.timeline').isVisible()).toBe(false); // passed: collapsed

      // The failing instant: a visible red band at x(90s) over the whole chart.
      const band = failed.locator('g.marker.failure[data-t="90000"] rect.highlight');
      await band.scrollIntoViewIfNeeded();
      expect(await band.isVisible()).toBe(true);
      const box = (await band.boundingBox())!;
      const svgBox = (await failed.locator('svg.timeline').boundingBox())!;
      const fill = await band.evaluate((el: any) => el.ownerDocument.defaultView.getComputedStyle(el).fill as string);
      expect(fill).toBe('rgba(214, 39, 40, 0.22)');
      // 230 px of labels, then 860 px for 0..2m: 90s is at 230 + 645
      expect(box.x + box.width / 2 - svgBox.x).toBeCloseTo(875, 0);
      expect(box.height).toBeGreaterThan(150);

      // Pod lanes are coloured by state.
      const ready = failed.locator('rect.seg.pod.s-Ready').first();
      expect(await ready.evaluate((el: any) => el.ownerDocument.defaultView.getComputedStyle(el).fill as string)).toBe('rgb(49, 163, 84)');

      // The script: the cursor reads out the virtual time under the mouse.
      const plot = (await failed.locator('svg.timeline').boundingBox())!;
      await tab.mouse.move(plot.x + 230 + 430, plot.y + 60);
      expect(await failed.locator('g.cursor').getAttribute('visibility')).toBe('visible');
      expect(await failed.locator('g.cursor text').textContent()).toBe('1m');

      // The filter hides passing scenarios.
      await tab.locator('#only-failures').check();
      expect(await tab.locator('#scenario-1').isVisible()).toBe(false);
      expect(await failed.isVisible()).toBe(true);

      await tab.screenshot({ path: path.join(dir, 'report.png'), fullPage: true });
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
