// The configMapEdit and clientBurst fault kinds: their options and errors, the ordinary steps they
// become, shrinking to the minimal occurrence, and a counterexample (with the new client a burst
// brought declared under `clients:`) that fails under a plain run for the same reason.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadScenarioFile, loadScenarioText } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { InputError } from '../scenario/diagnostics.js';
import { FUZZ_FAULTS } from '../scenario/rules.js';
import { runScenario } from '../engine/run.js';
import { fuzzScenario, runTimeline } from './runner.js';
import { brokenProperties, timelineArbitrary } from './timeline.js';
import { renderCounterexample, writeCounterexample } from './counterexample.js';
import { STEP_FAULTS } from './faults.js';

const FILE = path.join(process.cwd(), 'scenarios/fuzz/t.scenario.yaml');
const compileText = (text: string) => compileScenario(loadScenarioText(FILE, text));

function errorsOf(text: string): string[] {
  try {
    compileText(text);
    return [];
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics.map((d) => d.message);
    throw e;
  }
}

const WEB = `manifests:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: app-config}, data: {mode: fast, greeting: hello}}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: web, image: nginx, ports: [{containerPort: 80}], volumeMounts: [{name: config, mountPath: /etc/config}]}]
          volumes: [{name: config, configMap: {name: app-config}}]
  - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}
  - {apiVersion: v1, kind: Pod, metadata: {name: client}, spec: {containers: [{name: shell, image: busybox}]}}
clients: [{name: curl, from: pod/client}]
`;

function writeAndRun(text: string, base: ReturnType<typeof compileText>, raw: unknown, report: ReturnType<typeof fuzzScenario>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kr-fuzz-kinds-'));
  const ce = report.counterexample!;
  const rendered = renderCounterexample({ raw, base, timeline: ce.timeline, prepared: ce.prepared, result: ce.result, broken: ce.broken, replay: ce.replay, displayFile: 't.scenario.yaml', move: { from: path.dirname(FILE), to: dir } });
  const file = writeCounterexample(rendered, FILE, dir);
  const again = compileScenario(loadScenarioFile(file));
  const result = runScenario(again);
  return { written: readFileSync(file, 'utf8'), again, result, text };
}

describe('the fault vocabulary lists', () => {
  it('agree: rules.ts FUZZ_FAULTS, the fault table and the schema', () => {
    const schema = JSON.parse(readFileSync('schema/scenario.schema.json', 'utf8'));
    const faults = schema.properties.fuzz.properties.faults.properties;
    expect([...FUZZ_FAULTS].sort()).toEqual([...STEP_FAULTS.map((f) => f.name), 'latencyJitter'].sort());
    expect(Object.keys(faults).sort()).toEqual([...FUZZ_FAULTS].sort());
    for (const k of FUZZ_FAULTS) expect(faults[k].description, k).toBeTruthy();
  });
});

describe('configMapEdit', () => {
  const planted = `name: t
${WEB}invariants: [replicaCount]
expect:
  - name: the mode is never debug
    always: true
    object: configmap/app-config
    match: {data: {mode: /^(fast|slow)$/}}
duration: 40s
fuzz:
  window: 5s..20s
  faults:
    configMapEdit: {max: 3, name: app-config, values: {greeting: [hi, hey], mode: [slow, fast, debug]}}
`;

  it('rejects what it cannot edit: an undeclared or immutable ConfigMap, a bad key, no values', () => {
    const f = (opts: string, extra = '') => errorsOf(`name: t\n${WEB}${extra}invariants: [replicaCount]\nfuzz: {faults: {configMapEdit: ${opts}}}\n`);
    expect(f('{name: nope, values: {mode: [a]}}')).toEqual(['no ConfigMap "nope" in namespace default among the scenario\'s manifests']);
    expect(f('{name: app-config}')).toEqual(['`values` maps each key to edit to the values to draw from']);
    expect(f('{name: app-config, values: {"a b": [x]}}')).toEqual(['"a b" is not a valid ConfigMap key']);
    expect(f('{name: app-config, values: {mode: [{x: 1}]}}')).toEqual(['the values of "mode" are a list of strings, got [{"x":1}]']);
    const immutable = `name: t\nmanifests: [{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: b}, immutable: true}]\ninvariants: [replicaCount]\nfuzz: {faults: {configMapEdit: {name: c, values: {a: [x]}}}}\n`;
    expect(errorsOf(immutable)).toEqual(['ConfigMap "c" is immutable: every edit of its data would be refused']);
  });

  it('becomes a merge patch of one key, which reaches the mounted file at the kubelet sync', () => {
    const s = compileText(`name: t\n${WEB}invariants: [replicaCount]\nduration: 30s\ncluster: {timing: {kubeletSync: 2s}}\nexpect:\n  - {at: 30s, file: {selector: app=web, path: /etc/config/mode}, content: debug}\n  - {at: 30s, file: {selector: app=web, path: /etc/config/greeting}, content: hello}\nfuzz: {faults: {configMapEdit: {name: app-config, values: {mode: [slow, debug]}}}}\n`);
    const run = runTimeline(s, s.fuzz!, { seed: 1, timing: {}, faults: [{ kind: 'configMapEdit', at: 10_000, params: { key: 0, value: 1 } }] });
    expect(run.prepared.generated[0].resolved!.step).toEqual({ patch: { kind: 'configmap', name: 'app-config', type: 'merge', patch: { data: { mode: 'debug' } } } });
    expect(run.result.steps[0]).toMatchObject({ outcome: 'ok', action: 'patch configmap/app-config: mode="debug"' });
    expect(run.result.expectations.map((e) => e.status)).toEqual(['passed', 'passed', 'passed']);
  });

  it('is found, shrunk to one edit at the window start, and written as a patch step that fails under run', () => {
    const loaded = loadScenarioText(FILE, planted);
    const base = compileScenario(loaded);
    const report = fuzzScenario(base, { runs: 40, seed: 5 });
    expect(report.status).toBe('failed');
    const ce = report.counterexample!;
    expect(ce.timeline.faults).toEqual([{ kind: 'configMapEdit', at: 5000, params: { key: 1, value: 2 } }]);
    expect(ce.broken.map((b) => b.name)).toEqual(['the mode is never debug']);
    expect(report.faults.configMapEdit).toBeGreaterThan(0);
    const { written, again, result } = writeAndRun(planted, base, loaded.raw, report);
    expect(written).toContain('# fuzz: configMapEdit');
    expect(YAML.parse(written).steps).toEqual([{ at: '5s', patch: { kind: 'configmap', name: 'app-config', type: 'merge', patch: { data: { mode: 'debug' } } } }]);
    expect(result.status).toBe('failed');
    expect(brokenProperties(again, result).map((b) => b.name)).toEqual(['the mode is never debug']);
  });
});

describe('clientBurst', () => {
  it('rejects an undeclared client, a bad URL, a bad count or origin', () => {
    const f = (opts: string) => errorsOf(`name: t\n${WEB}invariants: [noLostRequests]\nfuzz: {faults: {clientBurst: ${opts}}}\n`);
    expect(f('{url: http://web/, clients: [wget]}')).toEqual(['no client named "wget"']);
    expect(f('{url: "not a url"}')).toEqual(['"not a url" is not a URL']);
    expect(f('{url: http://web/, count: 5..2}')).toEqual(['`count` is a whole number or a range "min..max", got "5..2"']);
    expect(f('{url: http://web/, count: 0}')).toEqual(['a burst sends at least one request']);
    expect(f('{url: http://web/, from: node/nine}')).toEqual(['node "nine" is not in the cluster']);
  });

  it('draws a declared client or a new one, numbered in the order the run meets them', () => {
    const s = compileText(`name: t\n${WEB}invariants: [noLostRequests]\nduration: 30s\nfuzz: {faults: {clientBurst: {max: 3, url: http://web/, clients: [curl, new], from: pod/client, count: 3..9, every: 10ms..90ms}}}\n`);
    const occ = (at: number, client: number, count: number) => ({ kind: 'clientBurst', at, params: { client, count, everyMs: 20 } });
    const run = runTimeline(s, s.fuzz!, { seed: 3, timing: {}, faults: [occ(8000, 1, 3), occ(9000, 0, 4), occ(10_000, 1, 5)] });
    expect(run.prepared.generated.map((g) => g.resolved!.step)).toEqual([
      { request: { client: 'burst-1', url: 'http://web/', count: 3, every: '20ms' } },
      { request: { client: 'curl', url: 'http://web/', count: 4, every: '20ms' } },
      { request: { client: 'burst-2', url: 'http://web/', count: 5, every: '20ms' } },
    ]);
    expect(run.prepared.generated.map((g) => g.resolved!.declares)).toEqual([{ clients: [{ name: 'burst-1', from: 'pod/client' }] }, undefined, { clients: [{ name: 'burst-2', from: 'pod/client' }] }]);
    expect(run.broken).toEqual([]);
    expect(run.prepared.generated.map((g) => run.result.steps[g.index].message)).toEqual([
      '3 requests from burst-1 to http://web/ every 20ms',
      '4 requests from curl to http://web/ every 20ms',
      '5 requests from burst-2 to http://web/ every 20ms',
    ]);
  });

  it('stays within its budget and ranges', () => {
    const s = compileText(`name: t\n${WEB}invariants: [noLostRequests]\nfuzz: {window: 1s..9s, faults: {clientBurst: {max: 2, url: http://web/, count: 3..9, every: 10ms..90ms}}}\n`);
    for (const tl of fc.sample(timelineArbitrary(s.fuzz!), { seed: 2, numRuns: 40 })) {
      expect(tl.faults.length).toBeLessThanOrEqual(2);
      for (const f of tl.faults) {
        expect(f.params.count).toBeGreaterThanOrEqual(3);
        expect(f.params.count).toBeLessThanOrEqual(9);
        expect(f.params.everyMs % 10).toBe(0);
        expect(f.params.everyMs).toBeGreaterThanOrEqual(10);
        expect(f.params.everyMs).toBeLessThanOrEqual(90);
      }
    }
  });

  it('is found, shrunk to one short burst, and written with its new client declared; the file fails under run', () => {
    // planted: the Service selects pods that never exist, so any request is refused
    const planted = `name: t
manifests:
  - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: nothing}, ports: [{port: 80}]}}
  - {apiVersion: v1, kind: Pod, metadata: {name: client}, spec: {containers: [{name: shell, image: busybox}]}}
clients: [{name: curl, from: pod/client}]
invariants: [noLostRequests]
duration: 20s
fuzz:
  window: 5s..10s
  faults:
    clientBurst: {max: 2, url: http://web/, clients: [new], from: pod/client, count: 2..20, every: 10ms..100ms}
`;
    const loaded = loadScenarioText(FILE, planted);
    const base = compileScenario(loaded);
    const report = fuzzScenario(base, { runs: 10, seed: 1 });
    expect(report.status).toBe('failed');
    const ce = report.counterexample!;
    expect(ce.timeline.faults).toEqual([{ kind: 'clientBurst', at: 5000, params: { client: 0, count: 2, everyMs: 10 } }]);
    expect(ce.broken[0].message).toMatch(/^request #1 from burst-1 to http:\/\/web\/ sent at 5s was lost: refused/);
    const { written, again, result } = writeAndRun(planted, base, loaded.raw, report);
    const doc = YAML.parse(written);
    expect(doc.clients).toEqual([{ name: 'curl', from: 'pod/client' }, { name: 'burst-1', from: 'pod/client' }]);
    expect(doc.steps).toEqual([{ at: '5s', request: { client: 'burst-1', url: 'http://web/', count: 2, every: '10ms' } }]);
    expect(result.status).toBe('failed');
    expect(brokenProperties(again, result).map((b) => [b.name, b.message.slice(0, 40)])).toEqual([['noLostRequests', ce.broken[0].message.slice(0, 40)]]);
  });
});

describe('kubeletSync must stay positive', () => {
  // a zero kubelet sync period made the periodic volume sync re-arm at the same instant until the
  // engine's event budget stopped the run; the fuzz found it, so both places that set it refuse 0
  it('refuses cluster.timing.kubeletSync 0', () => {
    expect(errorsOf(`name: t\n${WEB}duration: 30s\ncluster: {timing: {kubeletSync: 0s}}\nexpect:\n  - {at: 30s, pods: {selector: app=web}, count: 2}\n`)).toEqual([
      'kubeletSync must be greater than 0 (got 0s)',
    ]);
  });

  it('refuses a latencyJitter range for kubeletSync that reaches 0', () => {
    expect(errorsOf(`name: t\n${WEB}duration: 30s\nexpect:\n  - {at: 30s, pods: {selector: app=web}, count: 2}\nfuzz: {faults: {latencyJitter: {kubeletSync: 0s..20s}}}\n`)).toEqual([
      'kubeletSync must be drawn from positive durations',
    ]);
  });
});
