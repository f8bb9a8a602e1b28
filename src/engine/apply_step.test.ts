// apply:/create: steps with inline objects: checked and flattened as manifests are
// (kubectl's FlattenListVisitor), so a List applies its items and a malformed object is an input
// error at its line rather than an internal error while the run is under way.

import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { InputError, formatDiagnostic } from '../scenario/diagnostics.js';
import { runScenario } from './run.js';

const compile = (text: string) => compileScenario(loadScenarioText('s.scenario.yaml', text));

describe('apply step with inline objects', () => {
  it('applies the items of an inline List', () => {
    const s = compile(`name: x
duration: 10s
steps:
  - at: 1s
    apply:
      object:
        apiVersion: v1
        kind: List
        items:
          - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: "1"}}
          - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}, data: {k: "2"}}
expect:
  - {at: 2s, object: configmap/a, match: {data: {k: "1"}}}
  - {at: 2s, object: configmap/b, match: {data: {k: "2"}}}
`);
    const r = runScenario(s);
    expect(r.steps[0]).toMatchObject({ outcome: 'ok', action: 'apply ConfigMap/a ConfigMap/b' });
    expect(r.status).toBe('passed');
  });

  it('reports a malformed inline object at its line', () => {
    let diagnostics: string[] = [];
    try {
      compile('name: x\nsteps:\n  - at: 1s\n    apply:\n      objects:\n        - {apiVersion: v1, kind: ConfigMap, data: {k: v}}\nexpect:\n  - {at: 2s, pods: {selector: ""}, count: 0}\n');
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      diagnostics = e.diagnostics.map(formatDiagnostic);
    }
    expect(diagnostics).toEqual(['s.scenario.yaml:6:11: ConfigMap has no metadata\n  hint: set metadata.name (or metadata.generateName)']);
  });
});
