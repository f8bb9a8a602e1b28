// client-go's EventCorrelator at scenario level: scenarios/policy/resourcequota records a
// FailedCreate about ReplicaSet web on every refused sync, each naming another pod. Upstream's
// EventAggregator (events_cache.go, defaultAggregateMaxEvents 10) keeps nine Events and turns the
// 10th and later into one "(combined from similar events): " Event, created once (its name and
// firstTimestamp stay) and then patched: count + 1, lastTimestamp, the latest message.

import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { runScenario } from '../engine/run.js';
import type { TraceRecord } from '../engine/trace.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('EventCorrelator in scenarios/policy/resourcequota', () => {
  it('nine FailedCreate Events, then one combined Event counting the rest', () => {
    const r = runScenario(compileScenario(loadScenarioFile(path.join(root, 'scenarios/policy/resourcequota.scenario.yaml'))), { trace: true });
    expect(r.status).toBe('passed');
    const trace = r.trace as TraceRecord[];
    const failed = trace.filter((x): x is Extract<TraceRecord, { type: 'event' }> => x.type === 'event' && x.reason === 'FailedCreate');
    const combined = failed.filter((x) => x.message.startsWith('(combined from similar events): '));
    expect(failed.length).toBe(12);
    expect(failed.slice(0, 9).every((x) => /^Error creating: pods "web-[a-z0-9]{5}" is forbidden: exceeded quota/.test(x.message))).toBe(true);
    expect(failed.slice(9)).toEqual(combined);
    // one Event object: added at the 10th refusal, modified at the 11th and 12th
    const written = trace.filter((x): x is Extract<TraceRecord, { type: 'object' }> => x.type === 'object' && x.kind === 'Event' && combined.some((c) => c.t === x.t));
    expect(written.map((x) => x.op)).toEqual(['added', 'modified', 'modified']);
    expect(new Set(written.map((x) => x.name)).size).toBe(1);
    expect(new Set(failed.slice(0, 9).map((x) => x.message)).size).toBe(9);
  });
});
