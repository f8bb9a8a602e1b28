// Property: the invariants hold on random valid Deployments (issue 7, "vitest property tests for
// the project itself"). fast-check draws a RollingUpdate Deployment — replicas, maxSurge and
// maxUnavailable as integers or percentages (never both zero, which validation refuses),
// minReadySeconds, an optional readiness probe, an app startup time, watch and controller
// latencies — and a timeline of image changes and scales, runs it with `rolloutAvailability`, `replicaCount` and
// `endpointsReadiness` (a Service selects the pods), and requires every invariant to hold at
// every state. numRuns is kept small: the whole property runs in a couple of seconds on 2 cores.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import path from 'node:path';
import YAML from 'yaml';
import { loadScenarioText } from '../../scenario/load.js';
import { compileScenario } from '../../scenario/compile.js';
import { runScenario } from '../../engine/run.js';

const intOrPercent = (maxInt: number) => fc.oneof(fc.integer({ min: 0, max: maxInt }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`));
const isZero = (v: number | string) => v === 0 || v === '0%';

const deploymentArb = fc
  .record({
    replicas: fc.integer({ min: 1, max: 5 }),
    maxSurge: intOrPercent(3),
    maxUnavailable: intOrPercent(3),
    minReadySeconds: fc.integer({ min: 0, max: 4 }),
    probe: fc.option(fc.record({ initialDelaySeconds: fc.integer({ min: 0, max: 3 }), periodSeconds: fc.integer({ min: 1, max: 3 }) }), { nil: undefined }),
    startupMs: fc.integer({ min: 0, max: 30 }).map((k) => k * 100),
    steps: fc.array(
      fc.record({
        gapMs: fc.integer({ min: 0, max: 150 }).map((k) => k * 100),
        action: fc.oneof(fc.integer({ min: 1, max: 4 }).map((v) => ({ image: `web/app:v${v}` })), fc.integer({ min: 0, max: 6 }).map((n) => ({ scale: n }))),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    // the control plane's latencies, re-drawn per run as `latencyJitter` does: orderings matter
    watchMs: fc.integer({ min: 1, max: 300 }),
    controllerMs: fc.integer({ min: 1, max: 500 }),
  })
  // ValidateRollingUpdateDeployment: "may not be 0 when `maxSurge` is 0"
  .filter((d) => !(isZero(d.maxSurge) && isZero(d.maxUnavailable)));

type Drawn = typeof deploymentArb extends fc.Arbitrary<infer T> ? T : never;

function scenarioOf(d: Drawn): string {
  let at = 10_000;
  const steps = d.steps.map((s) => {
    at += s.gapMs;
    const t = `${at / 1000}s`;
    return 'image' in s.action ? { at: t, kubectl: `set image deployment/web web=${s.action.image}` } : { at: t, kubectl: `scale deployment/web --replicas=${s.action.scale}` };
  });
  const container: Record<string, unknown> = { name: 'web', image: 'web/app:v0', ports: [{ containerPort: 8080 }] };
  if (d.probe) container.readinessProbe = { tcpSocket: { port: 8080 }, ...d.probe };
  return YAML.stringify({
    name: 'random deployment',
    cluster: { timing: { watchLatency: `1ms..${d.watchMs}ms`, controllerLatency: `1ms..${d.controllerMs}ms` } },
    apps: { 'web/app*': { startup: `${d.startupMs}ms` } },
    manifests: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          replicas: d.replicas,
          minReadySeconds: d.minReadySeconds,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: d.maxSurge, maxUnavailable: d.maxUnavailable } },
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } },
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
    ],
    steps,
    invariants: ['rolloutAvailability', 'replicaCount', 'endpointsReadiness'],
    duration: `${Math.round((at + 45_000) / 1000)}s`,
  });
}

const RUNS = Number(process.env.KR_PROPERTY_RUNS ?? 25);

// Found by this property (seed 1, run 146): a scale from 5 to 2 in the middle of a rollout left two
// old ReplicaSets whose status still counted the pods being deleted (available > spec), and the
// model's cleanupUnhealthyReplicas "cleaned up" upwards and then scaled the oldest to 0 (1
// available of 2). Upstream refuses such a step (rolling.go: "got invalid request to scale
// down"); fixed in src/controllers/deployment/rolling.ts, pinned in rolling.test.ts and here.
const FOUND: [Drawn, number][] = [
  [
    {
      replicas: 5,
      maxSurge: 2,
      maxUnavailable: '3%',
      minReadySeconds: 4,
      probe: { initialDelaySeconds: 3, periodSeconds: 2 },
      startupMs: 300,
      steps: [
        { gapMs: 5500, action: { image: 'web/app:v3' } },
        { gapMs: 6400, action: { image: 'web/app:v4' } },
        { gapMs: 14400, action: { image: 'web/app:v2' } },
        { gapMs: 2000, action: { scale: 2 } },
      ],
      watchMs: 210,
      controllerMs: 303,
    },
    984580047,
  ],
];

describe('invariants on random valid Deployments', () => {
  it('rolloutAvailability, replicaCount and endpointsReadiness hold through image changes and scales', () => {
    const file = path.join(process.cwd(), 'scenarios/fuzz/random-deployment.scenario.yaml');
    fc.assert(
      fc.property(deploymentArb, fc.integer({ min: 0, max: 0x7fffffff }), (d, seed) => {
        const s = { ...compileScenario(loadScenarioText(file, scenarioOf(d))), seed };
        const r = runScenario(s);
        const failed = r.expectations.filter((e) => e.status !== 'passed').map((e) => `${e.name}: ${e.message}`);
        expect(r.error).toBeUndefined();
        expect(failed).toEqual([]);
        expect(r.expectations.map((e) => e.name)).toEqual(['invariant rolloutAvailability', 'invariant replicaCount', 'invariant endpointsReadiness']);
      }),
      // KR_PROPERTY_RUNS / KR_PROPERTY_SEED explore further by hand; CI keeps the default
      { seed: Number(process.env.KR_PROPERTY_SEED ?? 7), numRuns: RUNS, examples: FOUND },
    );
  }, Math.max(30_000, RUNS * 1000));
});
