// Running one compiled scenario: build the cluster, apply the manifests at t=0, play the steps,
// and evaluate the expectations over every state the cluster passes through.

import type { CompiledScenario, CompiledStep } from '../scenario/model.js';
import type { ScenarioResult, StepResult } from '../result.js';
import { Cluster } from './cluster.js';
import { AppRegistry } from '../apps/registry.js';
import { ExpectationEvaluator } from '../expect/evaluator.js';
import { EventBudgetExceeded } from './sim.js';
import { ActionError, applyObject, executeAction } from './actions.js';
import { ApiError } from '../api/errors.js';
import { startCluster } from './bootstrap.js';
import { formatDuration } from '../util/duration.js';
import { startKubeletStep } from '../kubelet/steps.js';
import { executeNodeFault } from './node_faults.js';
import { trafficBusy, trafficOf } from '../network/traffic.js';
import { InvariantChecker } from '../fuzz/invariants/checker.js';

export interface RunOptions {
  /** overrides the scenario's seed */
  seed?: number;
  /** keep the trace in the result */
  trace?: boolean;
  eventBudget?: number;
}

export function runScenario(s: CompiledScenario, opts: RunOptions = {}): ScenarioResult {
  const seed = opts.seed ?? s.seed;
  const cluster = new Cluster(s.cluster, seed, new AppRegistry(s.apps), opts.eventBudget);
  const { sim, api } = cluster;
  const steps: StepResult[] = s.steps.map((st) => ({ index: st.index, ...(st.name ? { name: st.name } : {}), source: st.source, action: st.description, outcome: 'not-run' }));
  const result: ScenarioResult = {
    file: s.file,
    name: s.name,
    tags: s.tags,
    seed,
    status: 'passed',
    ...(s.todo ? { todo: s.todo } : {}),
    duration: 0,
    events: 0,
    expectations: [],
    steps,
  };
  const evaluator = new ExpectationEvaluator(s.expectations, api, sim.trace);
  // `invariants:` are checked at every state, like `always:` expectations (src/fuzz/invariants)
  const invariants = new InvariantChecker(s.invariants, api, s.expectations.length);
  const dirty = new Set<string>();
  api.watch((ev) => dirty.add(ev.object.kind));

  let stopReason: string | undefined;
  let stepIndex = 0;
  let stepsDone = s.steps.length === 0;
  /** a step in progress that completes when this returns true */
  let pending: { step: CompiledStep; done: () => boolean; timer?: { cancel(): void } } | undefined;

  const completeStep = (step: CompiledStep) => {
    pending?.timer?.cancel();
    pending = undefined;
    evaluator.stepRan(step.name);
    stepIndex++;
    if (stepIndex >= s.steps.length) {
      stepsDone = true;
      return;
    }
    const next = s.steps[stepIndex];
    if (next.at !== undefined) sim.scheduleAt(Math.max(next.at, sim.now), 'step', () => runStep(next));
    else sim.schedule(next.after ?? 0, 'step', () => runStep(next));
  };

  const runStep = (step: CompiledStep) => {
    const r = steps[step.index];
    r.at = sim.now;
    const a = step.action;
    if (a.type === 'generated') {
      // a fuzz fault: choose its target now, then run it as that action (a string: nothing to do)
      const g = a.resolve(cluster);
      if (typeof g === 'string') {
        r.outcome = 'ok';
        r.message = `skipped: ${g}`;
        sim.trace.add({ t: sim.now, type: 'step', index: step.index, action: step.description, outcome: 'ok', message: r.message });
        return completeStep(step);
      }
      r.action = g.description;
      return runStep({ ...step, description: g.description, action: g.action });
    }
    if (a.type === 'request') {
      // the requests go on in the background; the step completes at once (src/network/traffic.ts)
      r.outcome = 'ok';
      r.message = trafficOf(cluster).start(a.request);
      sim.trace.add({ t: sim.now, type: 'step', index: step.index, ...(step.name ? { name: step.name } : {}), action: step.description, outcome: 'ok', message: r.message });
      return completeStep(step);
    }
    if (a.type === 'nodeFault') {
      r.outcome = 'ok';
      r.message = executeNodeFault(cluster, a.fault);
      sim.trace.add({ t: sim.now, type: 'step', index: step.index, ...(step.name ? { name: step.name } : {}), action: step.description, outcome: 'ok', message: r.message });
      return completeStep(step);
    }
    if (a.type === 'kubelet') {
      // exec/fault on the pod's kubelet (src/kubelet/steps.ts); an exec may take virtual time
      const run = startKubeletStep(cluster, a.action);
      const settle = () => {
        const { output, error } = run.outcome();
        const expected = step.expectError;
        r.outcome = (error === undefined) === (expected === undefined) && (error === undefined || errorMatches(error, expected!)) ? 'ok' : 'error';
        if (r.outcome === 'ok') r.message = error === undefined ? output : `failed as expected: ${error}`;
        else r.message = error === undefined ? `expected the action to fail with ${expected}, but it succeeded: ${output}` : expected !== undefined ? `expected an error matching ${expected}, got: ${error}` : error;
        sim.trace.add({ t: sim.now, type: 'step', index: step.index, ...(step.name ? { name: step.name } : {}), action: step.description, outcome: r.outcome, message: r.message });
      };
      if (run.finished()) {
        settle();
        return completeStep(step);
      }
      pending = { step, done: () => (run.finished() ? (settle(), true) : false) };
      return;
    }
    if (a.type === 'wait') {
      r.outcome = 'ok';
      sim.trace.add({ t: sim.now, type: 'step', index: step.index, ...(step.name ? { name: step.name } : {}), action: step.description, outcome: 'ok' });
      const done = () => a.condition.evaluate({ api, now: sim.now }).ok;
      if (done()) return completeStep(step);
      const timer = sim.schedule(a.timeoutMs, 'wait-timeout', () => {
        const o = a.condition.evaluate({ api, now: sim.now });
        r.outcome = 'error';
        r.message = `timed out after ${formatDuration(a.timeoutMs)} waiting for ${a.text}${o.message ? `: ${o.message}` : ''}`;
        stopReason = `step ${step.index + 1} (${step.description}) ${r.message}`;
      });
      pending = { step, done, timer };
      return;
    }
    try {
      const out = executeAction(cluster, a.action, a.objects);
      if (out.pending) {
        // a watching command (`rollout status`): the step ends when it finishes, fails or times out
        const w = out.pending;
        const settle = (error: string | undefined, output: string[]) => {
          const expected = step.expectError;
          r.outcome = (error === undefined) === (expected === undefined) && (error === undefined || errorMatches(error, expected!)) ? 'ok' : 'error';
          if (r.outcome === 'ok') r.message = error === undefined ? output.join('\n') : `failed as expected: ${error}`;
          else r.message = error === undefined ? `expected the action to fail with ${expected}, but it succeeded: ${output.join('; ')}` : expected !== undefined ? `expected an error matching ${expected}, got: ${error}` : error;
          sim.trace.add({ t: sim.now, type: 'step', index: step.index, ...(step.name ? { name: step.name } : {}), action: step.description, outcome: r.outcome, message: r.message });
        };
        const done = () => {
          const c = w.check();
          if (c.done) settle(c.error, c.output);
          return c.done;
        };
        const timer = w.timeoutMs !== undefined ? sim.schedule(w.timeoutMs, 'step-timeout', () => {
          settle(w.timeoutError, w.check().output);
          completeStep(step);
        }) : undefined;
        pending = { step, done, ...(timer ? { timer } : {}) };
        return;
      }
      if (step.expectError !== undefined) {
        r.outcome = 'error';
        r.message = `expected the action to fail with ${step.expectError}, but it succeeded: ${out.output.join('; ')}`;
        sim.trace.add({ t: sim.now, type: 'step', index: step.index, ...(step.name ? { name: step.name } : {}), action: step.description, outcome: 'error', message: r.message });
        return completeStep(step);
      }
      r.outcome = 'ok';
      if (out.view === undefined || out.output.length > 0) r.message = out.output.join('\n');
      sim.trace.add({ t: sim.now, type: 'step', index: step.index, ...(step.name ? { name: step.name } : {}), action: step.description, outcome: 'ok', ...(r.message !== undefined ? { message: r.message } : {}) });
      if (out.view !== undefined) {
        // `kubectl get|describe`: what kubectl printed (src/engine/view_action.ts)
        r.view = out.view;
        sim.trace.add({ t: sim.now, type: 'view', index: step.index, command: step.description, text: out.view });
      }
      if (out.waitForGone.length) {
        const uids = out.waitForGone;
        const done = () => uids.every((u) => !api.store.getByUid(u));
        if (!done()) {
          pending = { step, done };
          return;
        }
      }
    } catch (e) {
      if (!(e instanceof ActionError)) throw e;
      if (step.expectError !== undefined && errorMatches(e.message, step.expectError)) {
        r.outcome = 'ok';
        r.message = `failed as expected: ${e.message}`;
        sim.trace.add({ t: sim.now, type: 'step', index: step.index, ...(step.name ? { name: step.name } : {}), action: step.description, outcome: 'ok', message: r.message });
        return completeStep(step);
      }
      r.outcome = 'error';
      r.message = step.expectError !== undefined ? `expected an error matching ${step.expectError}, got: ${e.message}` : e.message;
      sim.trace.add({ t: sim.now, type: 'step', index: step.index, ...(step.name ? { name: step.name } : {}), action: step.description, outcome: 'error', message: e.message });
    }
    completeStep(step);
  };

  sim.onAfterEvent(() => {
    invariants.afterEvent(dirty);
    if (dirty.size) {
      evaluator.afterEvent(dirty);
      dirty.clear();
    } else evaluator.afterEvent(dirty);
    if (pending && pending.done()) completeStep(pending.step);
  });

  try {
    startCluster(cluster);
    // manifests are applied at t=0, in order, like `kubectl apply -f`
    sim.schedule(0, 'manifests', () => {
      for (const m of s.manifests) {
        try {
          applyObject(cluster, m.object);
        } catch (e) {
          if (e instanceof ActionError || e instanceof ApiError) throw new ManifestRejected(e.message.replace(/^Error from server \(\w+\): /, ''), m.source);
          throw e;
        }
      }
    });
    if (s.steps.length) {
      const first = s.steps[0];
      sim.schedule(first.at ?? first.after ?? 0, 'step', () => runStep(first));
    }
    const end = s.duration;
    for (;;) {
      if (stopReason) break;
      const cp = evaluator.nextCheckpoint(sim.now);
      const target = Math.min(cp ?? Infinity, end ?? Infinity);
      if (target === Infinity && stepsDone && !trafficBusy(api)) break;
      evaluator.checkpointsMoved = false;
      const before = sim.eventCount;
      sim.runUntil(target, () => stopReason !== undefined || evaluator.checkpointsMoved || (target === Infinity && stepsDone && !trafficBusy(api)));
      if (stopReason) break;
      // a checkpoint sees the instant once everything scheduled at it has run
      if (sim.now === target && sim.nextEventTime() !== sim.now) evaluator.checkpoint();
      if (end !== undefined && sim.now >= end) break;
      if (target === Infinity && !stepsDone && sim.eventCount === before && sim.nextEventTime() === undefined) {
        const st = pending?.step ?? s.steps[stepIndex];
        stopReason = `step ${st.index + 1} (${st.description}) is still waiting, but nothing in the cluster will change any more`;
        steps[st.index].outcome = 'error';
        steps[st.index].message = 'waited for a change that never came';
      }
    }
    // close the run: everything scheduled at the final instant settles first
    if (!stopReason) sim.runUntil(sim.now);
    evaluator.finish(stopReason);
    invariants.finish();
    result.expectations = [...evaluator.results(), ...invariants.results()];
    steps.forEach((st) => {
      if (st.outcome === 'not-run' && stopReason === undefined && end !== undefined) st.message = `not run: the scenario's duration (${formatDuration(end)}) ended first`;
    });
  } catch (e) {
    if (e instanceof ManifestRejected) {
      result.status = 'error';
      result.error = { kind: 'input', message: `${e.source.file}:${e.source.line}:${e.source.col}: the API server rejected this manifest: ${e.message}`, source: e.source };
    } else if (e instanceof EventBudgetExceeded) {
      result.status = 'error';
      result.error = { kind: 'runtime', message: e.message };
    } else throw e;
  }
  result.duration = sim.now;
  result.events = sim.eventCount;
  if (result.status !== 'error') {
    const failedExp = result.expectations.some((x) => x.status === 'failed');
    const failedStep = steps.some((x) => x.outcome === 'error');
    result.status = s.todo ? 'todo' : failedExp || failedStep ? 'failed' : 'passed';
  } else if (s.todo) {
    result.status = 'todo';
  }
  if (opts.trace) result.trace = sim.trace.records;
  return result;
}

/** `expectError`: a /regex/ or a plain substring of the error message */
function errorMatches(message: string, expected: string): boolean {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(expected);
  if (m) return new RegExp(m[1], m[2]).test(message);
  return message.includes(expected);
}

class ManifestRejected extends Error {
  constructor(
    message: string,
    readonly source: { file: string; line: number; col: number },
  ) {
    super(message);
  }
}
