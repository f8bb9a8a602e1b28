// A failed scenario with a full trace for the html tests: three pods through their lifecycle,
// an EndpointSlice following readiness, requests served by different pods (one refused), a
// fault step, and the failed expectations of results.fixture.ts.

import type { TraceRecord } from '../src/engine/trace.js';
import type { ScenarioResult } from '../src/result.js';
import { failedScenario } from './results.fixture.js';

function pod(t: number, name: string, summary: string, op: 'added' | 'modified' | 'deleted' = 'modified'): TraceRecord {
  return { t, type: 'object', op, kind: 'Pod', namespace: 'default', name, rv: t, summary };
}

function slice(t: number, summary: string, op: 'added' | 'modified' | 'deleted' = 'modified'): TraceRecord {
  return { t, type: 'object', op, kind: 'EndpointSlice', namespace: 'default', name: 'web-8xk2p', rv: t, summary };
}

/** Request records as the traffic model writes them (read defensively by the timeline). */
function request(t: number, servedBy: string | undefined, outcome: string): TraceRecord {
  return { t, type: 'request', client: 'laptop', url: 'web.default.svc', ...(servedBy ? { servedBy } : {}), outcome } as unknown as TraceRecord;
}

export function tracedScenario(): ScenarioResult {
  const r = failedScenario();
  r.steps.push({ index: 3, name: 'node fails', source: { file: r.file, line: 17, col: 5 }, action: 'fault: nodeDown node-1', at: 45_000, outcome: 'ok' });
  const stable = 'web-7f9c6d5b8-x2x4q';
  r.trace = [
    { t: 0, type: 'step', index: 0, action: 'kubectl apply -f web.yaml', outcome: 'ok' },
    pod(0, stable, 'Pending', 'added'),
    pod(0, 'web-abc', 'Pending', 'added'),
    pod(500, stable, 'Pending node=node-2'),
    pod(1_500, 'web-abc', 'Pending node=node-1'),
    pod(3_000, stable, 'Running node=node-2'),
    pod(3_000, 'web-abc', 'Running node=node-1'),
    pod(5_000, stable, 'Running node=node-2 ready'),
    slice(5_000, `service=web ready=${stable}`, 'added'),
    pod(8_000, 'web-abc', 'Running node=node-1 ready'),
    slice(8_000, `service=web ready=web-abc,${stable}`),
    ...[10_000, 15_000, 20_000, 25_000].map((t, i) => request(t, i % 2 === 0 ? 'web-abc' : stable, 'ok')),
    { t: 30_000, type: 'step', index: 1, name: 'bump image', action: 'kubectl set image deployment/web web=web:2', outcome: 'error', message: 'deployment "web" has no container named "web"' },
    pod(30_000, 'web-abc', 'Running node=node-1 ready terminating'),
    slice(30_000, `service=web ready=${stable} terminating=web-abc`),
    pod(31_000, 'web-def', 'Pending', 'added'),
    pod(31_500, 'web-def', 'Pending node=node-2'),
    pod(33_000, 'web-def', 'Running node=node-2'),
    slice(33_000, `service=web ready=${stable} notready=web-def terminating=web-abc`),
    request(35_000, stable, 'ok'),
    request(40_000, undefined, 'refused'),
    { t: 45_000, type: 'step', index: 3, name: 'node fails', action: 'fault: nodeDown node-1', outcome: 'ok' },
    pod(60_000, 'web-abc', 'Running node=node-1 ready terminating', 'deleted'),
    slice(60_000, `service=web ready=${stable} notready=web-def`),
    request(70_000, stable, '200'),
    { t: 90_000, type: 'check', expectation: 1, name: 'two pods ready during rollout', outcome: 'failed', message: 'expected ready 2, got 1' },
  ];
  return r;
}
