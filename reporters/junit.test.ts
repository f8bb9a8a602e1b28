import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { ScenarioResult } from '../src/result.js';
import { createJunitReporter, renderJunitReport, xmlAttr, xmlText } from './junit.js';
import { allScenarios, CWD, errorScenario, failedScenario, passedScenario, summaryOf, todoScenario } from './results.fixture.js';
import { findAll, parseXml } from './xml.testkit.js';

const render = (scenarios: ScenarioResult[], time?: 'zero' | 'virtual'): string => renderJunitReport(scenarios, { cwd: CWD, time });

describe('junit reporter', () => {
  test('writes the exact document for one scenario of each status', () => {
    const twoPassing = { ...passedScenario(), expectations: passedScenario().expectations.slice(0, 2) };
    expect(render([twoPassing, failedScenario(), errorScenario(), todoScenario()])).toMatchInlineSnapshot(`
      "<?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="kuberehearse" tests="9" failures="3" errors="1" skipped="2" time="0">
        <testsuite name="scenarios/rs.scenario.yaml" file="scenarios/rs.scenario.yaml" tests="2" failures="0" errors="0" skipped="0" time="0">
          <properties>
            <property name="scenario" value="ReplicaSet keeps 3 pods"/>
            <property name="seed" value="42"/>
            <property name="virtualDuration" value="2m"/>
            <property name="tags" value="S25"/>
          </properties>
          <testcase classname="scenarios/rs.scenario.yaml" name="ReplicaSet keeps 3 pods &gt; replicas stay at 3 (#0)" file="scenarios/rs.scenario.yaml" line="10" time="0"/>
          <testcase classname="scenarios/rs.scenario.yaml" name="ReplicaSet keeps 3 pods &gt; replicas stay at 3 (#1)" file="scenarios/rs.scenario.yaml" line="11" time="0"/>
        </testsuite>
        <testsuite name="scenarios/rollout.scenario.yaml" file="scenarios/rollout.scenario.yaml" tests="5" failures="3" errors="0" skipped="1" time="0">
          <properties>
            <property name="scenario" value="Rolling update keeps 2 ready"/>
            <property name="seed" value="7"/>
            <property name="virtualDuration" value="1m30s"/>
            <property name="tags" value="S30,rollout"/>
          </properties>
          <testcase classname="scenarios/rollout.scenario.yaml" name="Rolling update keeps 2 ready &gt; step 2 &quot;bump image&quot;: kubectl set image deployment/web web=web:2" file="scenarios/rollout.scenario.yaml" line="12" time="0">
            <failure message="deployment &quot;web&quot; has no container named &quot;web&quot;" type="StepFailed">deployment "web" has no container named "web"
      hint: containers are: app
          at step 2 "bump image": kubectl set image deployment/web web=web:2 at 30s (scenarios/rollout.scenario.yaml:12:5)
      scenario: Rolling update keeps 2 ready (seed 7, 1m30s virtual)
      rerun: npx kuberehearse run scenarios/rollout.scenario.yaml --seed 7</failure>
          </testcase>
          <testcase classname="scenarios/rollout.scenario.yaml" name="Rolling update keeps 2 ready &gt; deployment exists" file="scenarios/rollout.scenario.yaml" line="10" time="0"/>
          <testcase classname="scenarios/rollout.scenario.yaml" name="Rolling update keeps 2 ready &gt; two pods ready during rollout" file="scenarios/rollout.scenario.yaml" line="21" time="0">
            <failure message="expected ready 2, got 1" type="ExpectationFailed">expected ready 2, got 1
          at two pods ready during rollout (scenarios/rollout.scenario.yaml:21:7)
      when:    within 30s after burst
      subject: pods app=web
      decided: at 1m30s, stopped holding at 1m2.5s
      expected ready 2, got 1
      - pod/web-abc: phase is Pending, expected Running
      - pod/web-def: condition Ready is False, expected True
      near miss: 3 pods matched the labels; 1 Ready; closest web-abc Pending since 12s
      snapshot at 1m30s (Pod):
        NAME                  READY   STATUS    RESTARTS   AGE
        web-abc               0/1     Pending   0          78s
        web-def               0/1     Running   2          1m30s
        web-7f9c6d5b8-x2x4q   1/1     Running   0          1m30s
      last transitions:
        +12s    pod/web-abc     Pending unschedulable
        +1m2.5s pod/web-def     Running not-ready
        +1m25s  deployment/web  Progressing
      scenario: Rolling update keeps 2 ready (seed 7, 1m30s virtual)
      rerun: npx kuberehearse run scenarios/rollout.scenario.yaml --seed 7</failure>
          </testcase>
          <testcase classname="scenarios/rollout.scenario.yaml" name="Rolling update keeps 2 ready &gt; no restarts" file="scenarios/rollout.scenario.yaml" line="30" time="0">
            <failure message="pod web-def restarted 2 times" type="ExpectationFailed">pod web-def restarted 2 times
          at no restarts (scenarios/rollout.scenario.yaml:30:7)
      when:    never
      subject: expr
      decided: at 40s
      pod web-def restarted 2 times
      scenario: Rolling update keeps 2 ready (seed 7, 1m30s virtual)
      rerun: npx kuberehearse run scenarios/rollout.scenario.yaml --seed 7</failure>
          </testcase>
          <testcase classname="scenarios/rollout.scenario.yaml" name="Rolling update keeps 2 ready &gt; rollout finishes eventually" file="scenarios/rollout.scenario.yaml" line="13" time="0">
            <skipped message="todo: maxSurge rounding"/>
          </testcase>
        </testsuite>
        <testsuite name="scenarios/bad.scenario.yaml" file="scenarios/bad.scenario.yaml" tests="1" failures="0" errors="1" skipped="0" time="0">
          <properties>
            <property name="scenario" value="Broken manifest"/>
            <property name="seed" value="3"/>
            <property name="virtualDuration" value="0s"/>
          </properties>
          <testcase classname="scenarios/bad.scenario.yaml" name="Broken manifest" file="scenarios/bad.scenario.yaml" line="4" time="0">
            <error message="scenarios/bad.scenario.yaml:4:9: spec.replicas must be an integer, got &quot;three&quot;" type="InputError">input error:
      scenarios/bad.scenario.yaml:4:9: spec.replicas must be an integer, got "three"
      scenarios/bad.scenario.yaml:9:3: unknown key "contianers" (did you mean "containers"?)
          at Broken manifest (scenarios/bad.scenario.yaml:4:9)
      scenario: Broken manifest (seed 3, 0s virtual)
      rerun: npx kuberehearse run scenarios/bad.scenario.yaml --seed 3</error>
          </testcase>
        </testsuite>
        <testsuite name="scenarios/hpa.scenario.yaml" file="scenarios/hpa.scenario.yaml" tests="1" failures="0" errors="0" skipped="1" time="0">
          <properties>
            <property name="scenario" value="HPA scales on CPU"/>
            <property name="seed" value="11"/>
            <property name="virtualDuration" value="0s"/>
            <property name="tags" value="hpa"/>
          </properties>
          <testcase classname="scenarios/hpa.scenario.yaml" name="HPA scales on CPU" file="scenarios/hpa.scenario.yaml" line="1" time="0">
            <skipped message="todo: HPA is not modelled yet"/>
          </testcase>
        </testsuite>
      </testsuites>
      "
    `);
  });

  test('is well-formed XML whose counts agree with its testcases', () => {
    const doc = parseXml(render(allScenarios()));
    expect(doc.name).toBe('testsuites');
    const cases = findAll(doc, 'testcase');
    const suites = findAll(doc, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([
      'scenarios/rs.scenario.yaml',
      'scenarios/rollout.scenario.yaml',
      'scenarios/bad.scenario.yaml',
      'scenarios/hpa.scenario.yaml',
    ]);
    const tally = (el: typeof doc, tag: string): number => findAll(el, tag).length;
    for (const el of [doc, ...suites]) {
      expect(Number(el.attrs.tests)).toBe(tally(el, 'testcase'));
      expect(Number(el.attrs.failures)).toBe(tally(el, 'failure'));
      expect(Number(el.attrs.errors)).toBe(tally(el, 'error'));
      expect(Number(el.attrs.skipped)).toBe(tally(el, 'skipped'));
    }
    // every testcase has the attributes GitLab and mikepenz/action-junit-report locate it by
    for (const c of cases) expect(Object.keys(c.attrs)).toEqual(['classname', 'name', 'file', 'line', 'time']);
    // (classname, name) is unique: GitLab keeps only the first of duplicates
    expect(new Set(cases.map((c) => `${c.attrs.classname}\u0000${c.attrs.name}`)).size).toBe(cases.length);
  });

  test('every failure body has a "(path:line:col)" line, which is all dorny/test-reporter can locate', () => {
    const doc = parseXml(render(allScenarios()));
    const bodies = [...findAll(doc, 'failure'), ...findAll(doc, 'error')].map((f) => f.text);
    expect(bodies).toHaveLength(4);
    for (const body of bodies) expect(body.split('\n').some((l) => /\((.*):(\d+):\d+\)$/.test(l))).toBe(true);
  });

  test('special characters round-trip through attributes and text exactly', () => {
    const nasty = `a "quoted" <tag> & 'apos'\ttab\nnew line\r\n]]> end`;
    const s = failedScenario();
    s.name = nasty;
    s.expectations[1] = { ...s.expectations[1], name: nasty, message: nasty, mismatches: undefined, snapshot: undefined, transitions: undefined, nearMiss: undefined };
    const doc = parseXml(render([s]));
    const c = findAll(doc, 'testcase').find((x) => x.attrs.line === '21')!;
    expect(c.attrs.name).toBe(`${nasty} > ${nasty}`);
    const failure = c.children[0];
    // the message attribute keeps only the first line
    expect(failure.attrs.message).toBe(`a "quoted" <tag> & 'apos'\ttab`);
    expect(failure.text.startsWith(`a "quoted" <tag> & 'apos'\ttab\n    at `)).toBe(true);
    expect(failure.text).toContain(`\n${nasty}\n`);
  });

  test('control characters XML cannot carry are written visibly; ANSI colour codes are removed', () => {
    const s = failedScenario();
    s.expectations[2] = { ...s.expectations[2], message: 'bell\u0007 nul\u0000 \u001b[31mred\u001b[0m lone\uD800 ok' };
    const xml = render([s]);
    const doc = parseXml(xml); // would throw on any raw control character
    const msg = findAll(doc, 'failure').find((f) => f.attrs.message.startsWith('bell'))!.attrs.message;
    expect(msg).toBe('bell\\u0007 nul\\u0000 red lone\\uD800 ok');
    expect(xmlText('a\u000Bb')).toBe('a\\u000Bb');
  });

  test('escapes for attributes and text', () => {
    expect(xmlText(`<a & b>`)).toBe('&lt;a &amp; b&gt;');
    expect(xmlText('x\r\ny')).toBe('x&#13;\ny');
    expect(xmlAttr(`"'<>&\n\t`)).toBe('&quot;&apos;&lt;&gt;&amp;&#10;&#9;');
    // characters outside the BMP are fine as they are
    expect(xmlAttr('pod 🚀')).toBe('pod 🚀');
  });

  test('duplicate expectation names get a suffix so (classname, name) stays unique', () => {
    const s = passedScenario();
    s.expectations = s.expectations.slice(0, 3).map((e) => ({ ...e, name: 'same' }));
    const names = findAll(parseXml(render([s])), 'testcase').map((c) => c.attrs.name);
    expect(names).toEqual(['ReplicaSet keeps 3 pods > same', 'ReplicaSet keeps 3 pods > same (2)', 'ReplicaSet keeps 3 pods > same (3)']);
  });

  test('a passing scenario without expectations still appears, with a warning in system-out', () => {
    const s = { ...passedScenario(), expectations: [] };
    const doc = parseXml(render([s]));
    const [c] = findAll(doc, 'testcase');
    expect(c.attrs.name).toBe('ReplicaSet keeps 3 pods');
    expect(findAll(c, 'system-out')[0].text).toBe('no expectations: this scenario passed without checking anything');
  });

  test('a todo scenario reports its expectations as skipped, with the failure story when one failed', () => {
    const s: ScenarioResult = { ...failedScenario(), status: 'todo', todo: 'rollouts are not modelled' };
    const doc = parseXml(render([s]));
    const skipped = findAll(doc, 'skipped');
    expect(findAll(doc, 'failure')).toHaveLength(1); // the failed step still fails
    expect(skipped.map((x) => x.attrs.message)).toEqual([
      'todo: rollouts are not modelled',
      'todo: rollouts are not modelled',
      'todo: rollouts are not modelled',
      'todo: maxSurge rounding',
    ]);
    expect(skipped[0].text).toBe('this expectation passed; the todo may be done');
    expect(skipped[1].text).toMatch(/^expected ready 2, got 1\n {4}at two pods ready during rollout \(scenarios\/rollout\.scenario\.yaml:21:7\)\n/);
  });

  test('time is 0 by default and virtual seconds on request', () => {
    const zero = parseXml(render(allScenarios()));
    expect(new Set(findAll(zero, 'testcase').map((c) => c.attrs.time))).toEqual(new Set(['0']));
    const virtual = parseXml(render([failedScenario(), passedScenario()], 'virtual'));
    expect(virtual.attrs.time).toBe('210');
    expect(findAll(virtual, 'testsuite').map((s) => s.attrs.time)).toEqual(['90', '120']);
    const times = findAll(virtual, 'testcase').map((c) => c.attrs.time);
    expect(times.slice(0, 3)).toEqual(['30', '120', '90']); // step at 30s, then each expectation's decision instant
  });

  test('an empty run is an empty <testsuites>', () => {
    expect(render([])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kuberehearse" tests="0" failures="0" errors="0" skipped="0" time="0">\n</testsuites>\n',
    );
  });

  test('the reporter writes the document once, at the end, identical for identical results', async () => {
    const runOnce = async (): Promise<string[]> => {
      const writes: string[] = [];
      const r = createJunitReporter({ write: (t) => writes.push(t), color: true, isTTY: true, cwd: CWD, options: {} });
      for (const s of allScenarios()) r.onScenarioEnd?.(s);
      expect(writes).toEqual([]);
      await r.onRunEnd(summaryOf(allScenarios()));
      return writes;
    };
    const a = await runOnce();
    expect(a).toHaveLength(1);
    expect(a).toEqual(await runOnce());
  });
});

// A second, independent XML parser: Chromium's DOMParser (skipped where Chromium is absent).
const CHROMIUM = '/usr/bin/chromium';
describe.skipIf(!existsSync(CHROMIUM))(`junit XML in Chromium's XML parser${existsSync(CHROMIUM) ? '' : ` (SKIPPED: ${CHROMIUM} is not installed)`}`, () => {
  test('parses without errors and finds every testcase', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const tab = await browser.newPage();
      const s = failedScenario();
      s.expectations[2] = { ...s.expectations[2], message: 'bell\u0007 <&> "q" \u001b[31mred\u001b[0m\r\n]]>' };
      const xml = render([...allScenarios(), s]);
      const result = await tab.evaluate((text: string) => {
        const g = globalThis as any;
        const doc = new g.DOMParser().parseFromString(text, 'application/xml');
        const err = doc.getElementsByTagName('parsererror')[0];
        return { error: err ? String(err.textContent) : '', cases: doc.getElementsByTagName('testcase').length };
      }, xml);
      expect(result).toEqual({ error: '', cases: findAll(parseXml(xml), 'testcase').length });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
