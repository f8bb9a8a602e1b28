// Same scenario + seed -> byte-identical result (DESIGN §1.2); a different seed changes the
// seeded choices (generated names), not the outcome.

import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { runScenario } from './run.js';
import { NAME_ALPHABET } from '../api/names.js';

const SCENARIO = `
name: a ReplicaSet keeps three replicas
seed: 11
cluster:
  nodes:
    - {namePrefix: worker, count: 2}
manifests:
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata: {name: web}
    spec:
      replicas: 3
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: web, image: nginx:1.27}]
steps:
  - at: 10s
    kubectl: delete pod -l app=web --wait=false
  - at: 20s
    name: scale
    kubectl: scale rs web --replicas=5
expect:
  - name: three ready pods
    at: 5s
    pods: {selector: app=web}
    ready: 3
  - name: five after scaling
    within: 10s
    after: scale
    pods: {selector: app=web}
    ready: 5
`;

function compiled() {
  return compileScenario(loadScenarioText('determinism.scenario.yaml', SCENARIO));
}

function podNamesOf(result: ReturnType<typeof runScenario>): string[] {
  const names = new Set<string>();
  for (const r of result.trace ?? []) if (r.type === 'object' && r.kind === 'Pod' && r.op === 'added') names.add(r.name);
  return [...names];
}

describe('determinism', () => {
  it('parses a scenario with a 3-replica ReplicaSet', () => {
    const s = compiled();
    expect(s.seed).toBe(11);
    expect(s.cluster.nodes.map((n) => n.name)).toEqual(['worker-1', 'worker-2']);
    expect(s.manifests).toHaveLength(1);
    expect(s.manifests[0].object).toMatchObject({ kind: 'ReplicaSet', metadata: { name: 'web' }, spec: { replicas: 3 } });
    expect(s.steps.map((st) => st.description)).toEqual(['kubectl delete pod -l app=web --wait=false', 'kubectl scale rs web --replicas=5']);
    expect(s.expectations.map((e) => e.name)).toEqual(['three ready pods', 'five after scaling']);
  });

  it('the same scenario and seed give identical JSON, trace included', () => {
    const a = runScenario(compiled(), { trace: true });
    const b = runScenario(compiled(), { trace: true });
    expect(a.status).toBe('passed');
    expect(a.trace!.length).toBeGreaterThan(50);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('a different seed generates different pod names, with the same outcome', () => {
    const a = runScenario(compiled(), { trace: true });
    const b = runScenario(compiled(), { trace: true, seed: 12 });
    expect(b.seed).toBe(12);
    const na = podNamesOf(a), nb = podNamesOf(b);
    // 3 created, 3 replacements after the delete, 2 more when scaled to 5
    expect(na).toHaveLength(8);
    expect(nb).toHaveLength(8);
    for (const n of [...na, ...nb]) expect(n).toMatch(new RegExp(`^web-[${NAME_ALPHABET}]{5}$`));
    expect(na).not.toEqual(nb);
    expect(b.status).toBe(a.status);
    expect(b.expectations.map((e) => e.status)).toEqual(a.expectations.map((e) => e.status));
  });

  it("an unseeded scenario derives its seed from the file's name and the scenario name, so reruns match", () => {
    const text = SCENARIO.replace('seed: 11\n', '');
    const s1 = compileScenario(loadScenarioText('a/x.scenario.yaml', text));
    const s2 = compileScenario(loadScenarioText('a/x.scenario.yaml', text));
    // not the directory it is run from (compile.ts uses the base name)
    expect(compileScenario(loadScenarioText('b/x.scenario.yaml', text)).seed).toBe(s1.seed);
    expect(compileScenario(loadScenarioText('a/y.scenario.yaml', text)).seed).not.toBe(s1.seed);
    expect(compileScenario(loadScenarioText('a/x.scenario.yaml', text.replace('keeps three', 'keeps 3'))).seed).not.toBe(s1.seed);
    expect(s1.seed).toBe(s2.seed);
    expect(JSON.stringify(runScenario(s1, { trace: true }))).toBe(JSON.stringify(runScenario(s2, { trace: true })));
  });
});
