import { describe, expect, test } from 'vitest';
import type { RunSummary, ScenarioResult } from '../src/result.js';
import { createJsonReporter, JSON_SCHEMA_VERSION, renderJsonReport } from './json.js';
import { allScenarios, CWD, failedScenario, summaryOf, todoScenario } from './results.fixture.js';

async function run(summary: RunSummary, options: Record<string, unknown> = {}, seed?: number): Promise<{ writes: string[] }> {
  const writes: string[] = [];
  const reporter = createJsonReporter({ write: (t) => writes.push(t), color: true, isTTY: true, cwd: CWD, options });
  reporter.onRunStart?.({ files: [], seed });
  for (const s of summary.scenarios) reporter.onScenarioEnd?.(s);
  expect(writes).toEqual([]); // nothing before the end: the output is one document
  await reporter.onRunEnd(summary);
  return { writes };
}

/** The same data with every object's keys inserted in reverse order. */
function scramble<T>(v: T): T {
  if (Array.isArray(v)) return v.map(scramble) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).reverse()) out[k] = scramble((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}

describe('json reporter', () => {
  test('writes one document with the exact documented shape', async () => {
    const { writes } = await run(summaryOf([todoScenario()]), {}, 5);
    expect(writes).toEqual([
      `{
  "schemaVersion": 1,
  "tool": "kuberehearse",
  "seed": 5,
  "summary": {
    "total": 1,
    "passed": 0,
    "failed": 0,
    "errors": 0,
    "todo": 1,
    "expectations": {
      "total": 0,
      "passed": 0,
      "failed": 0,
      "todo": 0
    }
  },
  "scenarios": [
    {
      "file": "scenarios/hpa.scenario.yaml",
      "name": "HPA scales on CPU",
      "tags": [
        "hpa"
      ],
      "seed": 11,
      "status": "todo",
      "todo": "HPA is not modelled yet",
      "duration": 0,
      "events": 0,
      "expectations": [],
      "steps": []
    }
  ]
}
`,
    ]);
    expect(JSON_SCHEMA_VERSION).toBe(1);
  });

  test('counts every status and expectation in the summary', async () => {
    const { writes } = await run(summaryOf(allScenarios()));
    const doc = JSON.parse(writes[0]);
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'summary', 'scenarios']); // no seed given
    expect(doc.summary).toEqual({
      total: 4,
      passed: 1,
      failed: 1,
      errors: 1,
      todo: 1,
      expectations: { total: 16, passed: 13, failed: 2, todo: 1 },
    });
    expect(doc.scenarios.map((s: ScenarioResult) => s.status)).toEqual(['passed', 'failed', 'error', 'todo']);
  });

  test('writes keys in a fixed order whatever order the results were built in', () => {
    const normal = renderJsonReport(summaryOf(allScenarios()), { cwd: CWD, trace: true });
    const scrambled = renderJsonReport(scramble(summaryOf(allScenarios())), { cwd: CWD, trace: true });
    expect(scrambled).toBe(normal);

    const failed = JSON.parse(normal).scenarios[1];
    expect(Object.keys(failed)).toEqual(['file', 'name', 'tags', 'seed', 'status', 'duration', 'events', 'expectations', 'steps', 'trace']);
    expect(Object.keys(failed.expectations[1])).toEqual([
      'index', 'name', 'source', 'temporal', 'subject', 'status', 'decidedAt', 'becameFalseAt',
      'message', 'mismatches', 'nearMiss', 'snapshot', 'transitions',
    ]);
    expect(Object.keys(failed.expectations[1].source)).toEqual(['file', 'line', 'col']);
    expect(Object.keys(failed.expectations[1].snapshot)).toEqual(['at', 'kind', 'columns', 'rows']);
    expect(Object.keys(failed.expectations[1].transitions[0])).toEqual(['t', 'object', 'text']);
    expect(Object.keys(failed.steps[1])).toEqual(['index', 'name', 'source', 'action', 'at', 'outcome', 'message']);
    expect(failed.trace.map((r: object) => Object.keys(r))).toEqual([
      ['t', 'type', 'index', 'action', 'outcome'],
      ['t', 'type', 'op', 'kind', 'namespace', 'name', 'rv', 'summary'],
      ['t', 'type', 'expectation', 'name', 'outcome', 'message'],
    ]);
    const error = JSON.parse(normal).scenarios[2].error;
    expect(Object.keys(error)).toEqual(['kind', 'message', 'source']);
  });

  test('is byte-identical for identical input and ends with a newline', async () => {
    const a = (await run(summaryOf(allScenarios()), {}, 1)).writes[0];
    const b = (await run(summaryOf(allScenarios()), {}, 1)).writes[0];
    expect(a).toBe(b);
    expect(a.endsWith('}\n')).toBe(true);
    expect(a.startsWith('{\n  "schemaVersion": 1,\n  "tool": "kuberehearse",\n')).toBe(true);
  });

  test('strips the trace unless the trace option is on', async () => {
    const without = JSON.parse((await run(summaryOf([failedScenario()]))).writes[0]);
    expect(without.scenarios[0]).not.toHaveProperty('trace');
    const off = JSON.parse((await run(summaryOf([failedScenario()]), { trace: false })).writes[0]);
    expect(off.scenarios[0]).not.toHaveProperty('trace');
    const withTrace = JSON.parse((await run(summaryOf([failedScenario()]), { trace: true })).writes[0]);
    expect(withTrace.scenarios[0].trace).toEqual(failedScenario().trace);
  });

  test('keeps every value of the results', () => {
    const doc = JSON.parse(renderJsonReport(summaryOf([failedScenario()]), { cwd: '/elsewhere', trace: true }));
    // With a cwd the file is not under, the relative path climbs out of it; values are otherwise untouched.
    const original = failedScenario();
    const rel = '../work/proj/scenarios/rollout.scenario.yaml';
    expect(doc.scenarios[0].file).toBe(rel);
    expect(doc.scenarios[0].expectations[1].source.file).toBe(rel);
    expect(doc.scenarios[0].expectations[1].mismatches).toEqual(original.expectations[1].mismatches);
    expect(doc.scenarios[0].expectations[1].snapshot).toEqual(original.expectations[1].snapshot);
    expect(doc.scenarios[0].steps[2]).toEqual({ ...original.steps[2], source: { ...original.steps[2].source, file: rel } });
  });

  test('shows absolute paths relative to the working directory', async () => {
    const doc = JSON.parse((await run(summaryOf([failedScenario()]))).writes[0]);
    expect(doc.scenarios[0].file).toBe('scenarios/rollout.scenario.yaml');
    expect(doc.scenarios[0].steps[1].source).toEqual({ file: 'scenarios/rollout.scenario.yaml', line: 12, col: 5 });
  });

  test('writes fields it does not know yet after the known ones, sorted', () => {
    const s = { ...todoScenario(), zeta: 1, alpha: { b: 2, a: 1 } } as ScenarioResult;
    const doc = JSON.parse(renderJsonReport(summaryOf([s]), { cwd: CWD, trace: false }));
    expect(Object.keys(doc.scenarios[0]).slice(-2)).toEqual(['alpha', 'zeta']);
    expect(Object.keys(doc.scenarios[0].alpha)).toEqual(['a', 'b']);
  });
});
