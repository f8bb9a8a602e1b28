// Stored objects are never changed in place (components hold references to them, and an update
// shares the parts it did not change with the version before it: ./clone.ts copySharing). Here
// every object the store takes is deep-frozen, so a write into a stored object, or into a part a
// newer version shares, throws (ES modules are strict); each scenario must still run to the same
// report as without freezing.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadScenarioFile } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { runScenario } from '../engine/run.js';
import { ObjectStore } from './store.js';
import { globSync } from 'tinyglobby';

function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
}

// every bundled scenario and the bench's small one: updates of every kind that shares (pods,
// ReplicaSets, Deployments, endpoints, Events, nodes) and of kinds that do not (a Service
// changing type, an RC's selector and template), and every controller's private copies
const SCENARIOS = ['bench/small.scenario.yaml', ...globSync('scenarios/**/*.scenario.yaml').sort()];

describe('stored objects, deep-frozen', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(SCENARIOS)('%s runs to the same report', (file) => {
    const scenario = compileScenario(loadScenarioFile(file));
    const plain = runScenario(scenario, { trace: true });
    const put = ObjectStore.prototype.put;
    let frozen = 0;
    vi.spyOn(ObjectStore.prototype, 'put').mockImplementation(function (this: ObjectStore, obj) {
      deepFreeze(obj);
      frozen++;
      return put.call(this, obj);
    });
    const withFrozen = runScenario(compileScenario(loadScenarioFile(file)), { trace: true });
    expect(frozen).toBeGreaterThan(20);
    // a write into a frozen object throws out of runScenario (a TypeError naming the member), or
    // fails a step
    expect(withFrozen.status).toBe(plain.status);
    expect(JSON.stringify(withFrozen) === JSON.stringify(plain)).toBe(true);
  });
});
