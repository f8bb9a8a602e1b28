// The fuzz machinery end to end on small scenarios: generated timelines and their steps, the
// planted-bug scenario shrinking to its minimal timeline, replay, the written counterexample,
// determinism, `invariants:` in plain runs, and the loader under arbitrary input.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenarioFile, loadScenarioText } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { InputError } from '../scenario/diagnostics.js';
import { runScenario } from '../engine/run.js';
import { fuzzScenario, runTimeline, type FuzzReport } from './runner.js';
import { brokenProperties, prepareRun, timelineArbitrary } from './timeline.js';
import { renderCounterexample, writeCounterexample } from './counterexample.js';

const PLANTED = 'scenarios/fuzz/two-deletions.scenario.yaml';

function load(file: string) {
  const loaded = loadScenarioFile(file);
  return { loaded, compiled: compileScenario(loaded) };
}

function compileText(text: string, file = path.join(process.cwd(), 'scenarios/fuzz/t.scenario.yaml')) {
  return compileScenario(loadScenarioText(file, text));
}

function errorsOf(text: string): string[] {
  try {
    compileText(text);
    return [];
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics.map((d) => d.message);
    throw e;
  }
}

const BASE = `name: t
manifests:
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: web, image: nginx}]}
`;

describe('generated timelines', () => {
  it('stay within the window, at 100 ms resolution, within each budget, and their steps compile', () => {
    const { compiled } = load('scenarios/fuzz/rollout-max-unavailable.scenario.yaml');
    const spec = compiled.fuzz!;
    const timelines = fc.sample(timelineArbitrary(spec), { seed: 7, numRuns: 30 });
    const steps: unknown[] = [];
    for (const tl of timelines) {
      expect(tl.faults.filter((f) => f.kind === 'kubectl').length).toBeLessThanOrEqual(3);
      for (const f of tl.faults) {
        expect(f.at).toBeGreaterThanOrEqual(spec.window.from);
        expect(f.at).toBeLessThanOrEqual(spec.window.until);
        expect(f.at % 100).toBe(0);
      }
      expect(tl.faults.map((f) => f.at)).toEqual([...tl.faults.map((f) => f.at)].sort((a, b) => a - b));
      const t = tl.timing.controllerLatency!;
      expect(t.min).toBeGreaterThanOrEqual(1);
      expect(t.max).toBeLessThanOrEqual(500);
      expect(t.min).toBeLessThanOrEqual(t.max);
      const prepared = prepareRun(compiled, spec, tl);
      for (const g of prepared.generated) {
        const r = spec.faults.find((x) => x.kind === g.occurrence.kind)!.resolve(g.occurrence.params, undefined as never);
        if (typeof r !== 'string') steps.push({ at: '1s', ...r.step });
      }
    }
    expect(steps.length).toBeGreaterThan(5);
    // every generated step is a valid scenario step
    expect(errorsOf(`${BASE}expect: [{at: 1s, pods: {selector: app=web}, count: 2}]\nsteps: ${JSON.stringify(steps)}\n`)).toEqual([]);
  });

  it('merge into the scenario steps by time, before the first later `at:` step', () => {
    const compiled = compileText(`${BASE}steps:
  - {at: 5s, kubectl: scale rs web --replicas=3}
  - {after: 1s, kubectl: scale rs web --replicas=4}
  - {at: 20s, kubectl: scale rs web --replicas=2}
invariants: [replicaCount]
fuzz: {faults: {deletePod: {max: 3, selector: app=web}}}
`);
    const p = prepareRun(compiled, compiled.fuzz!, { seed: 1, timing: {}, faults: [1000, 6000, 25000].map((at) => ({ kind: 'deletePod', at, params: { pick: 0 } })) });
    expect(p.scenario.steps.map((s) => s.at ?? `+${s.after}`)).toEqual([1000, 5000, '+1000', 6000, 20000, 25000]);
    expect(p.order.map((o) => ('original' in o ? o.original : 'g'))).toEqual(['g', 0, 1, 'g', 2, 'g']);
    expect(p.scenario.duration).toBe(50_000 + 30_000); // window until (last step + 30s) + settle
  });
});

describe('fuzzing the planted bug (two pods deleted close together)', () => {
  const { loaded, compiled } = load(PLANTED);
  let report: FuzzReport;
  beforeAll(() => {
    report = fuzzScenario(compiled, { runs: 50 });
  });

  it('finds it and shrinks to two deletions at the start of the window', () => {
    expect(report.status).toBe('failed');
    const ce = report.counterexample!;
    expect(ce.broken.map((b) => b.name)).toEqual(['at least two pods stay ready once started']);
    expect(ce.timeline.faults.map((f) => [f.kind, f.at])).toEqual([
      ['deletePod', 10_000],
      ['deletePod', 10_000],
    ]);
    expect(ce.replay).toMatch(/^\d+:[\d:]+$/);
  });

  it('is deterministic for a seed', () => {
    const again = fuzzScenario(compiled, { runs: 50 });
    expect({ ...again, timing: undefined, counterexample: again.counterexample?.timeline }).toEqual({ ...report, timing: undefined, counterexample: report.counterexample?.timeline });
  });

  it('replays the counterexample from its seed and path in one run', () => {
    const [seed, ...rest] = report.counterexample!.replay.split(':');
    const r = fuzzScenario(compiled, { replay: { seed: Number(seed), path: rest.join(':') } });
    expect(r.runs).toBe(1);
    expect(r.counterexample!.timeline).toEqual(report.counterexample!.timeline);
  });

  it('writes a counterexample that loads, fails under run for the same reason, and never overwrites', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-fuzz-'));
    const ce = report.counterexample!;
    const text = renderCounterexample({ raw: loaded.raw, base: compiled, timeline: ce.timeline, prepared: ce.prepared, result: ce.result, broken: ce.broken, replay: ce.replay, displayFile: PLANTED, move: { from: path.dirname(compiled.file), to: dir } });
    const file = writeCounterexample(text, compiled.file, dir);
    expect(path.basename(file)).toBe('two-deletions.counterexample-1.scenario.yaml');
    expect(path.basename(writeCounterexample(text, compiled.file, dir))).toBe('two-deletions.counterexample-2.scenario.yaml');
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('# fuzz: deletePod');
    expect(written).not.toContain('fuzz:\n');
    const again = compileScenario(loadScenarioFile(file));
    const result = runScenario(again);
    expect(result.status).toBe('failed');
    expect(brokenProperties(again, result).map((b) => b.name)).toEqual(['at least two pods stay ready once started']);
  });

  it('creates an --out-dir that does not exist yet', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'kr-fuzz-')), 'not', 'yet');
    const file = writeCounterexample('name: x\n', compiled.file, dir);
    expect(file).toBe(path.join(dir, 'two-deletions.counterexample-1.scenario.yaml'));
    expect(readFileSync(file, 'utf8')).toBe('name: x\n');
  });

  it('holds when the budget allows a single deletion', () => {
    const one = { ...compiled, fuzz: { ...compiled.fuzz!, faults: compiled.fuzz!.faults.map((f) => ({ ...f, max: 1 })) } };
    const r = fuzzScenario(one, { runs: 15 });
    expect(r.status).toBe('passed');
    expect(r.runs).toBe(15);
    expect(r.faults.deletePod).toBeGreaterThan(0);
  });
});

describe('runTimeline', () => {
  it('gives the same trace for the same timeline', () => {
    const { compiled } = load(PLANTED);
    const tl = { seed: 42, timing: {}, faults: [{ kind: 'deletePod', at: 12_000, params: { pick: 1 } }] };
    const a = runTimeline(compiled, compiled.fuzz!, tl);
    const b = runTimeline(compiled, compiled.fuzz!, tl);
    expect(a.result.events).toBe(b.result.events);
    expect(a.result.steps).toEqual(b.result.steps);
    expect(a.result.steps[0].action).toMatch(/^delete pod web-\w+ \(live pod [012] of app=web\)$/);
  });
});

describe('invariants: in a plain run', () => {
  it('are reported as results after the expectations, and checked at every state', () => {
    const s = compileText(`${BASE}duration: 30s
invariants: [replicaCount, endpointsReadiness]
steps: [{at: 5s, kubectl: delete pod -l app=web --wait=false}]
`);
    const r = runScenario(s);
    expect(r.status).toBe('passed');
    expect(r.expectations.map((e) => [e.name, e.status, e.temporal])).toEqual([
      ['invariant replicaCount', 'passed', 'always (invariant)'],
      ['invariant endpointsReadiness', 'passed', 'always (invariant)'],
    ]);
  });

  it('report the broken one, with its story, and fail the run', () => {
    const s = compileText(`name: t
manifests:
  - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}
  - {apiVersion: v1, kind: Pod, metadata: {name: client}, spec: {containers: [{name: shell, image: busybox}]}}
clients: [{name: curl, from: pod/client}]
steps: [{at: 2s, request: {client: curl, url: http://web/}}]
duration: 10s
invariants: [noLostRequests]
`);
    const r = runScenario(s);
    expect(r.status).toBe('failed');
    const inv = r.expectations.find((e) => e.name === 'invariant noLostRequests')!;
    expect(inv.status).toBe('failed');
    expect(inv.decidedAt).toBe(2000);
    expect(inv.message).toMatch(/^request #1 from curl to http:\/\/web\/ sent at 2s was lost: refused/);
  });

  it('reject unknown names and a fuzz section with unknown faults or waiting kubectl lines', () => {
    expect(errorsOf(`${BASE}invariants: [replicaCount, nope]\n`)).toEqual(['unknown invariant "nope"']);
    expect(errorsOf(`${BASE}invariants: [replicaCount]\nfuzz: {faults: {deletePods: {max: 1}}}\n`)).toEqual(["unknown key 'deletePods' in 'fuzz.faults'; did you mean 'deletePod'?"]);
    expect(errorsOf(`${BASE}invariants: [replicaCount]\nfuzz: {faults: {scale: {target: web, replicas: 2}}}\n`)).toEqual(['`target` names what to scale as kind/name, got "web"']);
    expect(errorsOf(`${BASE}invariants: [replicaCount]\nfuzz: {faults: {kubectl: {actions: ["delete rs web"]}}}\n`)).toEqual(['a delete waits for the objects to be gone and would hold the timeline; add --wait=false']);
    expect(errorsOf(`${BASE}invariants: [replicaCount]\nfuzz: {faults: {latencyJitter: {endpointsPropagation: 2s..1s}}}\n`)).toEqual([expect.stringMatching(/minimum \(2s\) is greater than the maximum/)]);
  });
});

describe('the loader under arbitrary input', () => {
  const check = (text: string) => {
    try {
      compileText(text);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
    }
  };
  const yamlish = fc.oneof(
    fc.string(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.record({ name: fc.string(), invariants: fc.oneof(fc.string(), fc.array(fc.string())), fuzz: fc.jsonValue() }).map((v) => JSON.stringify(v)),
  );

  it('never throws anything but an InputError (input without YAML aliases)', () => {
    fc.assert(fc.property(yamlish.filter((t) => !t.includes('*')), check), { seed: 3, numRuns: 300 });
  });

  // Found by this property (seed 3): an alias to an anchor that is not set ("*!") made
  // src/scenario/load.ts throw the yaml library's ReferenceError instead of reporting an
  // InputError. Reported to the loader's owner; this pins it until it is fixed.
  it('never throws anything but an InputError (an unresolved YAML alias is a diagnostic)', () => {
    check('*!');
  });
});
