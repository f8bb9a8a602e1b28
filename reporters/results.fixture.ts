// Hand-built results for the reporter tests: one scenario of each status, with a failure that
// carries everything a failure can (several mismatches, a snapshot, transitions, a failed step).

import type { ExpectationResult, RunSummary, ScenarioResult } from '../src/result.js';

export const CWD = '/work/proj';

function passedExpectation(index: number, file: string): ExpectationResult {
  return {
    index,
    name: `replicas stay at 3 (#${index})`,
    source: { file, line: 10 + index, col: 5 },
    temporal: 'always from 10s until 2m',
    subject: 'pods app=web',
    status: 'passed',
    decidedAt: 120_000,
  };
}

export function passedScenario(): ScenarioResult {
  const file = 'scenarios/rs.scenario.yaml';
  return {
    file,
    name: 'ReplicaSet keeps 3 pods',
    tags: ['S25'],
    seed: 42,
    status: 'passed',
    duration: 120_000,
    events: 57,
    expectations: Array.from({ length: 12 }, (_, i) => passedExpectation(i, file)),
    steps: [{ index: 0, source: { file, line: 6, col: 5 }, action: 'kubectl delete pod web-abc', at: 5_000, outcome: 'ok' }],
  };
}

export function failedScenario(): ScenarioResult {
  // An absolute path: reporters must show it relative to the working directory.
  const file = `${CWD}/scenarios/rollout.scenario.yaml`;
  return {
    file,
    name: 'Rolling update keeps 2 ready',
    tags: ['S30', 'rollout'],
    seed: 7,
    status: 'failed',
    duration: 90_000,
    events: 120,
    expectations: [
      { ...passedExpectation(0, file), name: 'deployment exists' },
      {
        index: 1,
        name: 'two pods ready during rollout',
        source: { file, line: 21, col: 7 },
        temporal: 'within 30s after burst',
        subject: 'pods app=web',
        status: 'failed',
        decidedAt: 90_000,
        becameFalseAt: 62_500,
        message: 'expected ready 2, got 1',
        mismatches: ['pod/web-abc: phase is Pending, expected Running', 'pod/web-def: condition Ready is False, expected True'],
        nearMiss: '3 pods matched the labels; 1 Ready; closest web-abc Pending since 12s',
        snapshot: {
          at: 90_000,
          kind: 'Pod',
          columns: ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
          rows: [
            ['web-abc', '0/1', 'Pending', '0', '78s'],
            ['web-def', '0/1', 'Running', '2', '1m30s'],
            ['web-7f9c6d5b8-x2x4q', '1/1', 'Running', '0', '1m30s'],
          ],
        },
        transitions: [
          { t: 12_000, object: 'pod/web-abc', text: 'Pending unschedulable' },
          { t: 62_500, object: 'pod/web-def', text: 'Running not-ready' },
          { t: 85_000, object: 'deployment/web', text: 'Progressing' },
        ],
      },
      {
        index: 2,
        name: 'no restarts',
        source: { file, line: 30, col: 7 },
        temporal: 'never',
        subject: 'expr',
        status: 'failed',
        decidedAt: 40_000,
        message: 'pod web-def restarted 2 times',
      },
      { ...passedExpectation(3, file), name: 'rollout finishes eventually', status: 'todo', todo: 'maxSurge rounding' },
    ],
    steps: [
      { index: 0, source: { file, line: 8, col: 5 }, action: 'kubectl apply -f web.yaml', at: 0, outcome: 'ok' },
      {
        index: 1,
        name: 'bump image',
        source: { file, line: 12, col: 5 },
        action: 'kubectl set image deployment/web web=web:2',
        at: 30_000,
        outcome: 'error',
        message: 'deployment "web" has no container named "web"\nhint: containers are: app',
      },
      { index: 2, source: { file, line: 15, col: 5 }, action: 'kubectl rollout status deployment/web', outcome: 'not-run' },
    ],
    trace: [
      { t: 0, type: 'step', index: 0, action: 'kubectl apply -f web.yaml', outcome: 'ok' },
      { t: 12_000, type: 'object', op: 'modified', kind: 'Pod', namespace: 'default', name: 'web-abc', rv: 14, summary: 'Pending' },
      { t: 90_000, type: 'check', expectation: 1, name: 'two pods ready during rollout', outcome: 'failed', message: 'expected ready 2, got 1' },
    ],
  };
}

export function errorScenario(): ScenarioResult {
  const file = 'scenarios/bad.scenario.yaml';
  return {
    file,
    name: 'Broken manifest',
    tags: [],
    seed: 3,
    status: 'error',
    duration: 0,
    events: 0,
    expectations: [],
    steps: [],
    error: {
      kind: 'input',
      message:
        'scenarios/bad.scenario.yaml:4:9: spec.replicas must be an integer, got "three"\n' +
        'scenarios/bad.scenario.yaml:9:3: unknown key "contianers" (did you mean "containers"?)',
      source: { file, line: 4, col: 9 },
    },
  };
}

export function todoScenario(): ScenarioResult {
  return {
    file: 'scenarios/hpa.scenario.yaml',
    name: 'HPA scales on CPU',
    tags: ['hpa'],
    seed: 11,
    status: 'todo',
    todo: 'HPA is not modelled yet',
    duration: 0,
    events: 0,
    expectations: [],
    steps: [],
  };
}

export function summaryOf(scenarios: ScenarioResult[]): RunSummary {
  return {
    scenarios,
    passed: scenarios.filter((s) => s.status === 'passed').length,
    failed: scenarios.filter((s) => s.status === 'failed').length,
    errors: scenarios.filter((s) => s.status === 'error').length,
    todo: scenarios.filter((s) => s.status === 'todo').length,
  };
}

export function allScenarios(): ScenarioResult[] {
  return [passedScenario(), failedScenario(), errorScenario(), todoScenario()];
}
