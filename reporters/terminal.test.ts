import { describe, expect, test } from 'vitest';
import type { ScenarioResult } from '../src/result.js';
import { allScenarios, CWD, errorScenario, passedScenario, summaryOf, todoScenario } from './results.fixture.js';
import { createTerminalReporter, formatVirtual, machineLine, renderTable } from './terminal.js';

interface RunOptions {
  color?: boolean;
  options?: Record<string, unknown>;
  seed?: number;
  /** call onScenarioEnd for each scenario (a runner may call only onRunEnd) */
  announce?: boolean;
}

async function run(scenarios: ScenarioResult[], o: RunOptions = {}): Promise<string> {
  let out = '';
  const reporter = createTerminalReporter({
    write: (t) => {
      out += t;
    },
    color: o.color ?? false,
    isTTY: false,
    cwd: CWD,
    options: o.options ?? {},
  });
  reporter.onRunStart?.({ files: scenarios.map((s) => s.file), seed: o.seed });
  if (o.announce ?? true) for (const s of scenarios) reporter.onScenarioEnd?.(s);
  await reporter.onRunEnd(summaryOf(scenarios));
  return out;
}

const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1)!;

const FULL_REPORT = `✓ scenarios/rs.scenario.yaml > ReplicaSet keeps 3 pods  [S25]  (12 expectations, 2m virtual)
✗ scenarios/rollout.scenario.yaml > Rolling update keeps 2 ready  [S30, rollout]  (2 of 4 expectations failed, 1 todo, 1m30s virtual)
! scenarios/bad.scenario.yaml > Broken manifest  error: scenarios/bad.scenario.yaml:4:9: spec.replicas must be an integer, got "three"
○ scenarios/hpa.scenario.yaml > HPA scales on CPU  [hpa]  todo: HPA is not modelled yet

Failures (2)

 FAIL  scenarios/rollout.scenario.yaml > Rolling update keeps 2 ready  (seed 7)
  ✗ step 2 "bump image": kubectl set image deployment/web web=web:2 at 30s  scenarios/rollout.scenario.yaml:12:5
    deployment "web" has no container named "web"
    hint: containers are: app
  ✗ two pods ready during rollout  scenarios/rollout.scenario.yaml:21:7
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
  ✗ no restarts  scenarios/rollout.scenario.yaml:30:7
    when:    never
    subject: expr
    decided: at 40s
    pod web-def restarted 2 times

 ERROR  scenarios/bad.scenario.yaml > Broken manifest  (seed 3)
  input error:
    scenarios/bad.scenario.yaml:4:9: spec.replicas must be an integer, got "three"
    scenarios/bad.scenario.yaml:9:3: unknown key "contianers" (did you mean "containers"?)
  at scenarios/bad.scenario.yaml:4:9

    Scenarios  1 failed | 1 errored | 1 passed | 1 todo (4)
 Expectations  2 failed | 13 passed | 1 todo (16)
 Virtual time  3m30s
         Seed  99
1 passed, 2 failed, 1 skipped
`;

describe('terminal reporter, colour off', () => {
  test('prints a line per scenario, every failed expectation and step in full, and the summary', async () => {
    expect(await run(allScenarios(), { seed: 99 })).toBe(FULL_REPORT);
  });

  test('is byte-identical for identical input', async () => {
    expect(await run(allScenarios(), { seed: 99 })).toBe(await run(allScenarios(), { seed: 99 }));
  });

  test('prints the scenario lines at the end when the runner did not announce scenarios', async () => {
    expect(await run(allScenarios(), { seed: 99, announce: false })).toBe(FULL_REPORT);
  });

  test('omits the seed line when the run has no seed', async () => {
    const out = await run([passedScenario()]);
    expect(out).toBe(
      `✓ scenarios/rs.scenario.yaml > ReplicaSet keeps 3 pods  [S25]  (12 expectations, 2m virtual)

    Scenarios  1 passed (1)
 Expectations  12 passed (12)
 Virtual time  2m
1 passed, 0 failed
`,
    );
  });

  test('flags a scenario that passed without any expectation', async () => {
    const vacuous = { ...passedScenario(), expectations: [], tags: [] };
    const out = await run([vacuous]);
    expect(out.split('\n').slice(0, 2)).toEqual([
      '✓ scenarios/rs.scenario.yaml > ReplicaSet keeps 3 pods  (0 expectations, 2m virtual)',
      '  ⚠ no expectations: this scenario passed without checking anything',
    ]);
  });

  test('labels an internal error as a bug and copes with an error without a source', async () => {
    const s = errorScenario();
    s.error = { kind: 'internal', message: 'event budget exceeded' };
    const out = await run([s]);
    expect(out).toContain(
      ` ERROR  scenarios/bad.scenario.yaml > Broken manifest  (seed 3)
  internal error (this is a bug in kuberehearse; please report it with the scenario and seed):
    event budget exceeded

`,
    );
  });
});

describe('the machine-readable last line', () => {
  const FORMAT = /^\d+ passed, \d+ failed(, \d+ skipped)?$/;

  test('counts errors as failed and todo as skipped', async () => {
    const out = await run(allScenarios());
    expect(lastLine(out)).toBe('1 passed, 2 failed, 1 skipped');
    expect(lastLine(out)).toMatch(FORMAT);
  });

  test('leaves out skipped when nothing was skipped', async () => {
    expect(lastLine(await run([passedScenario(), passedScenario()]))).toBe('2 passed, 0 failed');
    expect(lastLine(await run([errorScenario()]))).toBe('0 passed, 1 failed');
    expect(lastLine(await run([todoScenario()]))).toBe('0 passed, 0 failed, 1 skipped');
  });

  test('stays uncoloured when colour is on', async () => {
    expect(lastLine(await run(allScenarios(), { color: true }))).toBe('1 passed, 2 failed, 1 skipped');
  });

  test('machineLine formats the counts', () => {
    expect(machineLine(3, 1, 1)).toBe('3 passed, 1 failed, 1 skipped');
    expect(machineLine(0, 0, 0)).toBe('0 passed, 0 failed');
  });
});

describe('zero scenarios', () => {
  test('says the run exits with code 1 and how to allow it', async () => {
    expect(await run([])).toBe(
      'No scenario files found, exiting with code 1\nRun with --pass-with-no-tests to exit with code 0\n0 passed, 0 failed\n',
    );
  });

  test('with passWithNoTests says the run exits with code 0', async () => {
    expect(await run([], { options: { passWithNoTests: true } })).toBe('No scenario files found, exiting with code 0\n0 passed, 0 failed\n');
  });
});

describe('colour on', () => {
  test('uses ANSI codes, and the text without them is the colour-off report', async () => {
    const out = await run(allScenarios(), { color: true, seed: 99 });
    expect(out).toMatch(/\x1b\[32m✓\x1b\[39m/); // green tick
    expect(out).toMatch(/\x1b\[31m✗\x1b\[39m/); // red cross
    expect(out).toMatch(/\x1b\[33m○\x1b\[39m/); // yellow todo mark
    expect(stripAnsi(out)).toBe(FULL_REPORT);
  });
});

describe('renderTable', () => {
  test('pads columns by 3 with a minimum width of 6 and leaves the last column unpadded, like kubectl', () => {
    // cli-runtime pkg/printers/tabwriter.go: tabwriter.NewWriter(out, 6, 4, 3, ' ', 0)
    expect(renderTable(['name', 'up', 'x'], [['a', 'yes', 'last'], ['bbbbbbb', '', 'z']])).toEqual([
      'NAME      UP    X',
      'a         yes   last',
      'bbbbbbb         z',
    ]);
  });

  test('measures width in characters, not UTF-16 units', () => {
        // U+1D518 is two UTF-16 code units; five of them are 5 columns wide, so the column is 8.
    expect(renderTable(['a', 'b'], [['\u{1D518}'.repeat(5), 'x']])).toEqual(['A       B', `${'\u{1D518}'.repeat(5)}   x`]);
  });
});

describe('formatVirtual', () => {
  test.each([
    [0, '0s'],
    [500, '500ms'],
    [10_000, '10s'],
    [62_500, '1m2.5s'],
    [70_000, '1m10s'],
    [120_000, '2m'],
    [3_600_000, '1h'],
    [3_630_000, '1h0m30s'],
    [3_900_000, '1h5m'],
    [36_000_000, '10h'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatVirtual(ms)).toBe(text);
  });
});

describe('kubectl views', () => {
  const withView = (): ScenarioResult => {
    const r = passedScenario();
    r.steps = [
      { index: 0, source: { file: r.file, line: 9, col: 5 }, action: 'kubectl get pods', at: 30_000, outcome: 'ok', view: 'NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          30s' },
      { index: 1, source: { file: r.file, line: 11, col: 5 }, action: 'kubectl scale deployment web --replicas=2', at: 31_000, outcome: 'ok', message: 'deployment.apps/web scaled' },
    ];
    return r;
  };

  test('counts the views and points at --views by default', async () => {
    const out = await run([withView()]);
    expect(out.split('\n')[0]).toContain('(12 expectations, 1 kubectl view: --views, 2m virtual)');
    expect(out).not.toContain('web-1');
  });

  test('with views: true prints each view under the scenario line, as kubectl printed it', async () => {
    const out = await run([withView()], { options: { views: true } });
    expect(out.split('\n').slice(1, 5)).toEqual([
      '    $ kubectl get pods  # step 1 at 30s',
      '    NAME    READY   STATUS    RESTARTS   AGE',
      '    web-1   1/1     Running   0          30s',
      '',
    ]);
    expect(out).not.toContain('--views');
  });
});
