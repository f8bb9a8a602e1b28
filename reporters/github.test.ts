import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ExpectationResult, RunSummary, ScenarioResult } from '../src/result.js';
import {
  annotationsFor,
  createGithubReporter,
  escapeData,
  escapeProperty,
  formatAnnotation,
  renderJobSummary,
  SUMMARY_BUDGET_BYTES,
} from './github.js';
import { allScenarios, CWD, failedScenario, passedScenario, summaryOf } from './results.fixture.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kuberehearse-github-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(summary: RunSummary, env: Record<string, string | undefined>): Promise<string> {
  let out = '';
  const reporter = createGithubReporter({ write: (t) => (out += t), color: false, isTTY: false, cwd: CWD, options: { env } });
  await reporter.onRunEnd(summary);
  return out;
}

describe('workflow command escaping', () => {
  // The cases of @actions/core's command tests (actions/toolkit packages/core/__tests__/command.test.ts,
  // 'command escapes message' and 'command escapes property').
  test('data escapes %, CR and LF', () => {
    expect(escapeData('percent % percent % cr \r cr \r lf \n lf \n')).toBe('percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A');
    expect(escapeData('%25 %25 %0D %0D %0A %0A')).toBe('%2525 %2525 %250D %250D %250A %250A');
    expect(escapeData('a:b,c')).toBe('a:b,c');
  });
  test('properties also escape : and ,', () => {
    expect(escapeProperty('prop1: value, % \r\n')).toBe('prop1%3A value%2C %25 %0D%0A');
  });
  test('an annotation is one line whatever its text holds, so text cannot inject commands', () => {
    const line = formatAnnotation({ level: 'error', file: 'a,b:c.yaml', line: 3, col: 5, title: 'x\n::add-mask::secret', message: 'one\n::set-output name=x::y\r\n100%' });
    expect(line).toBe('::error file=a%2Cb%3Ac.yaml,line=3,col=5,title=x%0A%3A%3Aadd-mask%3A%3Asecret::one%0A::set-output name=x::y%0D%0A100%25\n');
    expect(line.split('\n')).toHaveLength(2);
  });
});

describe('github reporter annotations', () => {
  test('writes the exact annotations for one scenario of each status', async () => {
    const out = await run(summaryOf(allScenarios()), {});
    expect(out.split('\n')).toEqual([
      '::error file=scenarios/rollout.scenario.yaml,line=12,col=5,title=Rolling update keeps 2 ready > step 2 "bump image"%3A kubectl set image deployment/web web=web%3A2 at 30s::deployment "web" has no container named "web"%0Ahint: containers are: app',
      '::error file=scenarios/rollout.scenario.yaml,line=21,col=7,title=Rolling update keeps 2 ready > two pods ready during rollout::expected ready 2, got 1 (within 30s after burst; decided at 1m30s, stopped holding at 1m2.5s)%0A- pod/web-abc: phase is Pending, expected Running%0A- pod/web-def: condition Ready is False, expected True%0Anear miss: 3 pods matched the labels; 1 Ready; closest web-abc Pending since 12s',
      '::error file=scenarios/rollout.scenario.yaml,line=30,col=7,title=Rolling update keeps 2 ready > no restarts::pod web-def restarted 2 times (never; decided at 40s)',
      '::notice file=scenarios/rollout.scenario.yaml,line=13,col=5,title=todo%3A Rolling update keeps 2 ready > rollout finishes eventually::maxSurge rounding',
      '::error file=scenarios/bad.scenario.yaml,line=4,col=9,title=Broken manifest%3A input error::scenarios/bad.scenario.yaml:4:9: spec.replicas must be an integer, got "three"%0Ascenarios/bad.scenario.yaml:9:3: unknown key "contianers" (did you mean "containers"?)',
      '::notice file=scenarios/hpa.scenario.yaml,line=1,col=1,title=todo%3A HPA scales on CPU::HPA is not modelled yet',
      '',
    ]);
  });

  test('a passing run writes nothing', async () => {
    expect(await run(summaryOf([passedScenario()]), {})).toBe('');
  });

  test('paths are relative to GITHUB_WORKSPACE when the run starts in a subdirectory', () => {
    const [a] = annotationsFor(summaryOf([failedScenario()]), `${CWD}/scenarios`, CWD);
    expect(a.file).toBe('scenarios/rollout.scenario.yaml');
    const [b] = annotationsFor(summaryOf([failedScenario()]), `${CWD}/scenarios`);
    expect(b.file).toBe('rollout.scenario.yaml');
  });

  test('long stories are cut to a few lines in the annotation', () => {
    const s = failedScenario();
    s.expectations[1].mismatches = Array.from({ length: 20 }, (_, i) => `mismatch ${i}`);
    const a = annotationsFor(summaryOf([s]), CWD).find((x) => x.line === 21)!;
    const lines = a.message.split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[6]).toBe('… 16 more line(s) in the job summary');
  });

  test('beyond the 10 errors GitHub shows per step, a notice points at the job summary', async () => {
    const s = failedScenario();
    const failing: ExpectationResult = s.expectations[2];
    s.steps = [];
    s.expectations = Array.from({ length: 12 }, (_, i) => ({ ...failing, index: i, name: `e${i}`, source: { ...failing.source, line: i + 1 } }));
    const lines = (await run(summaryOf([s]), {})).trimEnd().split('\n');
    expect(lines).toHaveLength(13);
    expect(lines.slice(0, 12).every((l) => l.startsWith('::error '))).toBe(true);
    expect(lines[12]).toBe('::notice::12 failures were annotated; GitHub shows 10 per step. The job summary lists every one.');
  });
});

describe('github job summary', () => {
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({ GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'), ...extra });

  test('appends the exact Markdown summary to $GITHUB_STEP_SUMMARY', async () => {
    const e = env();
    writeFileSync(e.GITHUB_STEP_SUMMARY, '# from an earlier tool\n');
    await run(summaryOf(allScenarios()), e);
    expect(readFileSync(e.GITHUB_STEP_SUMMARY, 'utf8')).toMatchInlineSnapshot(`
      "# from an earlier tool

      ## kuberehearse

      ❌ **1 failed** · 💥 **1 errored** · ✅ **1 passed** · 📝 1 todo · 4 scenarios

      Expectations: 2 failed, 13 passed, 1 todo (16). Virtual time: 3m30s.

      ### Failures

      | Scenario | Failed | Message | Where |
      | --- | --- | --- | --- |
      | Rolling update keeps 2 ready | step 2 "bump image": kubectl set image deployment/web web=web:2 at 30s | deployment "web" has no container named "web" | \`scenarios/rollout.scenario.yaml:12\` |
      | Rolling update keeps 2 ready | two pods ready during rollout | expected ready 2, got 1 | \`scenarios/rollout.scenario.yaml:21\` |
      | Rolling update keeps 2 ready | no restarts | pod web-def restarted 2 times | \`scenarios/rollout.scenario.yaml:30\` |
      | Broken manifest | input error | scenarios/bad.scenario.yaml:4:9: spec.replicas must be an integer, got "three" | \`scenarios/bad.scenario.yaml:4\` |

      <details><summary>Rolling update keeps 2 ready › step 2 "bump image": kubectl set image deployment/web web=web:2 at 30s</summary>

      \`\`\`text
      step 2 "bump image": kubectl set image deployment/web web=web:2 at 30s
      deployment "web" has no container named "web"
      hint: containers are: app

      rerun: npx kuberehearse run scenarios/rollout.scenario.yaml --seed 7
      \`\`\`

      </details>

      <details><summary>Rolling update keeps 2 ready › two pods ready during rollout</summary>

      \`\`\`text
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

      rerun: npx kuberehearse run scenarios/rollout.scenario.yaml --seed 7
      \`\`\`

      </details>

      <details><summary>Rolling update keeps 2 ready › no restarts</summary>

      \`\`\`text
      when:    never
      subject: expr
      decided: at 40s
      pod web-def restarted 2 times

      rerun: npx kuberehearse run scenarios/rollout.scenario.yaml --seed 7
      \`\`\`

      </details>

      <details><summary>Broken manifest › input error</summary>

      \`\`\`text
      input error:
      scenarios/bad.scenario.yaml:4:9: spec.replicas must be an integer, got "three"
      scenarios/bad.scenario.yaml:9:3: unknown key "contianers" (did you mean "containers"?)
      at scenarios/bad.scenario.yaml:4:9

      rerun: npx kuberehearse run scenarios/bad.scenario.yaml --seed 3
      \`\`\`

      </details>

      ### Scenarios

      | | Scenario | File | Expectations | Virtual time | Seed |
      | --- | --- | --- | --- | --- | --- |
      | ✅ | ReplicaSet keeps 3 pods | \`scenarios/rs.scenario.yaml:1\` | 12 | 2m | 42 |
      | ❌ | Rolling update keeps 2 ready | \`scenarios/rollout.scenario.yaml:1\` | 2 of 4 failed | 1m30s | 7 |
      | 💥 | Broken manifest | \`scenarios/bad.scenario.yaml:1\` | none | 0s | 3 |
      | 📝 | HPA scales on CPU (todo: HPA is not modelled yet) | \`scenarios/hpa.scenario.yaml:1\` | none | 0s | 11 |

      "
    `);
  });

  test('links to the file and line on GitHub when the repository and commit are known', async () => {
    const e = env({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abc123', GITHUB_SERVER_URL: 'https://github.example.com' });
    await run(summaryOf([failedScenario()]), e);
    const md = readFileSync(e.GITHUB_STEP_SUMMARY, 'utf8');
    expect(md).toContain('[scenarios/rollout.scenario.yaml:21](https://github.example.com/acme/shop/blob/abc123/scenarios/rollout.scenario.yaml#L21)');
  });

  test('table cells cannot break the table, and code fences cannot be closed by the text', () => {
    const s = failedScenario();
    s.name = 'a | b <img src=x>';
    s.expectations[2].message = 'has ``` and ```` inside';
    const md = renderJobSummary(summaryOf([s]), CWD, {});
    expect(md).toContain('| a \\| b &lt;img src=x&gt; | no restarts | has ``` and ```` inside |');
    expect(md).toContain('`````text\nwhen:    never');
  });

  test('stays under the budget: whole sections are left out and counted, counts always kept', () => {
    const many = Array.from({ length: 3000 }, (_, i): ScenarioResult => ({ ...failedScenario(), name: `scenario ${i}` }));
    const md = renderJobSummary(summaryOf(many), CWD, {});
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES);
    expect(SUMMARY_BUDGET_BYTES).toBeLessThan(1024 * 1024);
    expect(md).toContain('❌ **3000 failed** · 3000 scenarios');
    expect(md).toContain('### Failures\n\n| Scenario | Failed | Message | Where |');
    expect(md).toMatch(/\n_Left out to stay under GitHub's 1 MiB job summary limit: \d+ failure row\(s\), 9000 failure stories, 3000 scenario row\(s\)\. The junit or json report has everything\._\n$/);

    const small = renderJobSummary(summaryOf([failedScenario()]), CWD, {}, 1200);
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(1200);
    expect(small).toContain('### Failures');
    expect(small).not.toContain('### Scenarios');
    expect(small).toMatch(/_Left out to stay under GitHub's 1 MiB job summary limit: .*1 scenario row\(s\)\./);
  });

  test('without $GITHUB_STEP_SUMMARY only annotations are written', async () => {
    const out = await run(summaryOf([failedScenario()]), {});
    expect(out.split('\n').filter(Boolean).every((l) => l.startsWith('::'))).toBe(true);
  });

  test('a summary file that cannot be written becomes a warning, not a crash', async () => {
    const out = await run(summaryOf([passedScenario()]), { GITHUB_STEP_SUMMARY: path.join(dir, 'missing-dir', 'x.md') });
    expect(out).toMatch(/^::warning::could not append the job summary to .*missing-dir\/x\.md: ENOENT/);
  });
});
