// An `expr:` subject reuses its last outcome while nothing the expression read has changed (the
// API server's resourceVersion, `now` when read, the request log when read). The evaluator asks
// after every event; here every one of those answers is compared with a fresh evaluation.

import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { runScenario } from '../engine/run.js';
import { celBindings, ExprSubject, type EvalContext, type Outcome, type Subject } from './subjects.js';
import { compileCel } from './cel.js';
import { Simulation } from '../engine/sim.js';
import { ApiServer } from '../api/server.js';

const SCENARIO = `
name: expressions over pods, time and requests while a Deployment scales and serves
seed: 5
manifests:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
  - apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec: {selector: {app: web}, ports: [{port: 80}]}
  - apiVersion: v1
    kind: Pod
    metadata: {name: client}
    spec: {containers: [{name: shell, image: busybox}]}
clients:
  - {name: curl, from: pod/client}
steps:
  - at: 5s
    request: {client: curl, url: http://web/, count: 40, every: 250ms, timeout: 2s}
  - at: 8s
    kubectl: scale deployment web --replicas=4
  - at: 12s
    kubectl: delete pod -l app=web --wait=false
expect:
  - name: pods only
    never: {}
    expr: pods.size() > 100
  - name: time only
    never: {}
    expr: now > 1000.0
  - name: time read only once pods are running
    never: {}
    expr: pods.filter(p, has(p.status.phase) && p.status.phase == "Running").size() >= 3 && now > 1000.0
  - name: requests
    never: {}
    expr: requests.size() > 39 && requests.exists(r, r.outcome != "ok")
  - name: fewer than 30 requests so far (fails on the 30th)
    always: {}
    expr: requests.size() < 30
  - name: an error at every instant
    never: {}
    expr: nosuchkinds.size() > 0
  - name: a missing key until the status is written
    never: {}
    expr: deployments[0].status.readyReplicas > 10
duration: 30s
`;

/** Asks the memoised subject, then evaluates from scratch, and keeps both answers. */
class Compared implements Subject {
  readonly kinds = 'all' as const;
  readonly describe: string;
  readonly answers: { memo: Outcome; fresh: Outcome }[] = [];
  reused = 0;
  private last?: Outcome;

  constructor(private readonly inner: ExprSubject) {
    this.describe = inner.describe;
  }

  evaluate(ctx: EvalContext): Outcome {
    const memo = this.inner.evaluate(ctx);
    const fresh = this.inner.evaluateFresh(celBindings(ctx.api, ctx.now));
    if (memo === this.last) this.reused++;
    this.last = memo;
    this.answers.push({ memo, fresh });
    return memo;
  }
}

describe('expr subjects reuse an outcome only while what they read is unchanged', () => {
  it('answers as a fresh evaluation after every event of a run', () => {
    const s = compileScenario(loadScenarioText('expr-memo.scenario.yaml', SCENARIO));
    const compared = s.expectations.map((e) => {
      expect(e.subject).toBeInstanceOf(ExprSubject);
      const c = new Compared(e.subject as ExprSubject);
      (e as { subject: Subject }).subject = c;
      return c;
    });
    const result = runScenario(s);
    expect(result.expectations.filter((e) => e.status === 'failed').map((e) => e.name)).toEqual(['fewer than 30 requests so far (fails on the 30th)']);
    for (const c of compared) {
      expect(c.answers.length).toBeGreaterThan(200);
      for (const a of c.answers) expect(a.memo).toEqual(a.fresh);
      // most events write nothing, so the memo is used...
      expect(c.reused).toBeGreaterThan(0);
    }
    // ...but time-only and request-reading expressions are evaluated again when those move
    const timeOnly = compared[1].answers;
    expect(new Set(timeOnly.map((a) => a.memo)).size).toBeGreaterThan(1);
    const requests = compared[3].answers.map((a) => a.memo.message);
    expect(requests[0]).toBe('expected requests.size() > 39 && requests.exists(r, r.outcome != "ok") to be true, got false');
    // the missing key is an error first, then a false comparison once the status is written
    const thirty = compared[4].answers;
    expect(thirty[thirty.length - 1].memo.ok).toBe(false);
    const missing = compared[6].answers.map((a) => a.memo.message ?? '');
    expect(missing[0]).toMatch(/^expression error: No such key/);
    expect(missing[missing.length - 1]).toMatch(/got false$/);
  });

  it('evaluates again when time moves only if the expression read now', () => {
    const sim = new Simulation(1);
    const api = new ApiServer(sim, { kubernetesVersion: '1.34' });
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const timed = new ExprSubject('now < 1.5', compileCel('now < 1.5'));
    const untimed = new ExprSubject('namespaces.size() == 1', compileCel('namespaces.size() == 1'));
    const shortCircuit = new ExprSubject('namespaces.size() == 2 && now < 1.5', compileCel('namespaces.size() == 2 && now < 1.5'));
    const first = untimed.evaluate({ api, now: 1000 });
    expect(timed.evaluate({ api, now: 1000 }).ok).toBe(true);
    expect(shortCircuit.evaluate({ api, now: 1000 }).ok).toBe(false);
    // no write, time moved
    expect(timed.evaluate({ api, now: 2000 }).ok).toBe(false);
    expect(untimed.evaluate({ api, now: 2000 })).toBe(first);
    expect(shortCircuit.evaluate({ api, now: 2000 }).ok).toBe(false);
    // a write: the second namespace makes the short-circuit read now, which is past 1.5 s
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    expect(untimed.evaluate({ api, now: 2000 }).ok).toBe(false);
    expect(shortCircuit.evaluate({ api, now: 2000 }).ok).toBe(false);
    expect(shortCircuit.evaluate({ api, now: 1000 }).ok).toBe(true);
    expect(shortCircuit.evaluate({ api, now: 1400 }).ok).toBe(true);
    expect(shortCircuit.evaluate({ api, now: 1600 }).ok).toBe(false);
  });

  it('does not reuse an outcome across runs of the same compiled scenario', () => {
    const s = compileScenario(loadScenarioText('expr-memo.scenario.yaml', SCENARIO));
    const a = runScenario(s);
    const b = runScenario(s, { seed: 6 });
    const c = runScenario(compileScenario(loadScenarioText('expr-memo.scenario.yaml', SCENARIO)), { seed: 6 });
    expect(JSON.stringify(a.expectations)).toBe(JSON.stringify(runScenario(compileScenario(loadScenarioText('expr-memo.scenario.yaml', SCENARIO))).expectations));
    expect(JSON.stringify(b)).toBe(JSON.stringify(c));
  });
});
