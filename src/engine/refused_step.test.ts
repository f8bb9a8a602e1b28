// A kubectl command kubectl itself refuses (pflag's unknown flag) in a step with `expectError`
// fails at its step as kubectl would (`error: unknown flag: --generator`); without expectError,
// and for the simulator's own limits, it stays a load-time error.

import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { InputError, formatDiagnostic } from '../scenario/diagnostics.js';
import { runScenario } from './run.js';

const compile = (text: string) => compileScenario(loadScenarioText('s.scenario.yaml', text));
const scenario = (step: string) => `name: x
duration: 5s
steps:
  - at: 1s
${step}
expect:
  - {at: 2s, pods: {selector: ""}, count: 0}
`;

function loadErrors(text: string): string[] {
  try {
    compile(text);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.diagnostics.map(formatDiagnostic);
  }
  return [];
}

describe('steps kubectl refuses', () => {
  it('fail at run time when expectError names the error', () => {
    const r = runScenario(compile(scenario('    kubectl: run kubia --image=luksa/kubia --port=8080 --generator=run/v1\n    expectError: "error: unknown flag: --generator"')));
    expect(r.steps[0]).toMatchObject({ outcome: 'ok', message: 'failed as expected: error: unknown flag: --generator' });
    expect(r.status).toBe('passed');
  });
  it('fail the step when expectError names another error', () => {
    const r = runScenario(compile(scenario('    kubectl: run kubia --image=luksa/kubia --generator=run/v1\n    expectError: "something else"')));
    expect(r.steps[0]).toMatchObject({ outcome: 'error', message: 'expected an error matching something else, got: error: unknown flag: --generator' });
  });
  it('are load-time errors without expectError, and so are the simulator\'s own limits', () => {
    expect(loadErrors(scenario('    kubectl: run kubia --image=luksa/kubia --generator=run/v1'))[0]).toMatch(/^s\.scenario\.yaml:5:\d+: unknown flag: --generator/);
    expect(loadErrors(scenario('    kubectl: run kubia --image=luksa/kubia --dry-run=client\n    expectError: "x"'))[0]).toMatch(/flag --dry-run of kubectl run is not supported by the simulator/);
  });
});
