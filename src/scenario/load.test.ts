import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, InputError, type Diagnostic } from './diagnostics.js';
import { loadScenarioFile, loadScenarioText } from './load.js';

const FIXTURES = 'test/fixtures/loader';

function diagnosticsOf(run: () => unknown): Diagnostic[] {
  try {
    run();
  } catch (err) {
    if (err instanceof InputError) return err.diagnostics;
    throw err;
  }
  throw new Error('expected an InputError');
}

/** file:line:col: message (+ hint), as the CLI prints them */
function errorsOf(text: string): string[] {
  return diagnosticsOf(() => loadScenarioText('s.scenario.yaml', text)).map(formatDiagnostic);
}

describe('loadScenarioText: YAML syntax', () => {
  it('reports a syntax error at its line and column', () => {
    expect(errorsOf('name: x\nsteps:\n  - at: [1s\n')).toEqual([
      's.scenario.yaml:4:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]\n' +
        '  hint: check the indentation of this line against the lines above it',
    ]);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const d = diagnosticsOf(() => loadScenarioText('s.scenario.yaml', 'name: x\nseed: 1\nseed: 2\n'));
    expect(d).toEqual([
      {
        file: 's.scenario.yaml',
        line: 3,
        col: 1,
        message: "YAML syntax error: duplicate key 'seed'",
        hint: 'each key may appear once in a mapping; remove or merge the repeated one',
        code: 'yaml',
      },
    ]);
  });

  it('rejects tabs used as indentation', () => {
    expect(errorsOf('name: x\nsteps:\n\t- at: 1s\n')).toEqual([
      's.scenario.yaml:3:1: YAML syntax error: Tabs are not allowed as indentation\n  hint: indent with spaces, not tabs',
    ]);
  });

  it('rejects an empty file and a second document', () => {
    expect(errorsOf('# nothing here\n')).toEqual([
      's.scenario.yaml:1:1: the scenario file is empty\n  hint: a scenario needs at least `name:`',
    ]);
    expect(errorsOf('name: a\n---\nname: b\n')).toEqual([
      's.scenario.yaml:2:1: a scenario file holds one scenario, but this is a second YAML document\n' +
        '  hint: put each scenario in a file of its own; manifests go under `manifests:` or in files it names',
    ]);
    expect(errorsOf('- name: a\n')).toEqual([
      's.scenario.yaml:1:1: a scenario must be a mapping of keys (name, manifests, steps, expect, ...)',
    ]);
  });
});

describe('loadScenarioText: schema errors', () => {
  it('requires name', () => {
    expect(errorsOf('seed: 1\n')).toEqual([
      "s.scenario.yaml:1:1: the scenario is missing required key 'name'\n  hint: Required. A one-line title of what the scenario shows.",
    ]);
  });

  it('reports an unknown top-level key at the key, with did-you-mean and the allowed keys', () => {
    expect(errorsOf('name: x\nstesp: []\n')).toEqual([
      "s.scenario.yaml:2:1: unknown top-level key 'stesp'; did you mean 'steps'?\n" +
        '  hint: allowed keys: name, description, tags, seed, duration, todo, snapshot, cluster, apps, repositories, manifests, clients, steps, expect, invariants, fuzz',
    ]);
  });

  it('rejects snapshot: true on a todo scenario, at the snapshot key', () => {
    expect(errorsOf('name: x\ntodo: not yet\nsnapshot: true\nexpect: []\n')).toEqual([
      "s.scenario.yaml:3:1: 'snapshot: true' cannot be combined with 'todo'\n" +
        '  hint: a todo scenario has no settled trace to keep; add `snapshot: true` when the todo is removed',
    ]);
  });

  it('says only "unknown key" when the misspelt key is the missing required one', () => {
    const d = diagnosticsOf(() => loadScenarioText('s.scenario.yaml', 'nmae: x\n'));
    expect(d.map((x) => x.message)).toEqual(["unknown top-level key 'nmae'; did you mean 'name'?"]);
  });

  it('reports a bad enum value with the allowed values and did-you-mean', () => {
    expect(errorsOf('name: x\ncluster:\n  proxyMode: iptable\n')).toEqual([
      "s.scenario.yaml:3:14: cluster.proxyMode: 'iptable' is not allowed; did you mean 'iptables'?\n" +
        '  hint: allowed values: iptables, ipvs, userspace',
    ]);
  });

  it('reports a wrong type once, with a quoting hint for numbers meant as strings', () => {
    expect(errorsOf('name: x\nseed: seven\ncluster:\n  kubernetesVersion: 1.30\n')).toEqual([
      "s.scenario.yaml:2:7: seed must be an integer, got 'seven'",
      's.scenario.yaml:4:22: cluster.kubernetesVersion must be a string, got 1.30\n' +
        '  hint: quote it: "1.30" (unquoted, YAML reads it as 1.3)',
    ]);
  });

  it('reports a bad duration and a bad range', () => {
    expect(errorsOf('name: x\nduration: 5 minutes\ncluster:\n  timing: {imagePull: 1s..2x, kubeletSync: 1m}\nsteps:\n  - at: 10\n    kubectl: get pods\n')).toEqual([
      "s.scenario.yaml:2:11: duration: '5 minutes' is not a duration\n  hint: a duration is written like 500ms, 30s, 1m30s or 2h",
      "s.scenario.yaml:4:23: cluster.timing.imagePull: '1s..2x' is not a duration or a range\n" +
        '  hint: a duration is written like 500ms, 30s or 1m30s; a range like 0s..2s',
      's.scenario.yaml:6:9: steps[0].at: 10 is not a duration\n  hint: a duration is written like 500ms, 30s, 1m30s or 2h',
    ]);
  });

  it('accepts Go durations, 0 and ranges', () => {
    const s = loadScenarioText(
      's.scenario.yaml',
      'name: x\nduration: 1h2m3.5s\ncluster:\n  timing: {endpointsPropagation: 0s..1s, imagePull: 0, watchLatency: 250ms}\nsteps:\n  - at: 0\n    kubectl: get pods\n',
    );
    expect(s.raw.cluster.timing).toEqual({ endpointsPropagation: '0s..1s', imagePull: 0, watchLatency: '250ms' });
  });

  it('rejects unknown timing keys', () => {
    expect(errorsOf('name: x\ncluster:\n  timing:\n    kubeproxySync: 1s\n')).toEqual([
      "s.scenario.yaml:4:5: unknown key 'kubeproxySync' in 'cluster.timing'; did you mean 'kubeProxySync'?\n" +
        '  hint: allowed keys: endpointsPropagation, kubeProxySync, imagePull, kubeletSync, nodeMonitorGracePeriod, controllerLatency, schedulerLatency, watchLatency',
    ]);
  });

  it('checks app models', () => {
    expect(errorsOf('name: x\napps:\n  luksa/kubia*:\n    http:\n      - {path: /, status: 500, afterRequest: 5}\n')).toEqual([
      "s.scenario.yaml:5:32: unknown key 'afterRequest' in http answer; did you mean 'afterRequests'?\n" +
        '  hint: allowed keys: path, status, body, headers, afterRequests, afterTime, latency',
    ]);
    expect(errorsOf('name: x\napps:\n  busybox: {exitAfter: 10s, exitCode: 300}\n')).toEqual([
      's.scenario.yaml:3:39: apps.busybox.exitCode must be <= 255',
    ]);
  });
});

describe('loadScenarioText: steps', () => {
  const STEP_KEYS =
    'name, at, after, expectError, kubectl, apply, create, delete, patch, scale, label, annotate, request, exec, fault, wait';
  const ACTIONS = 'kubectl, apply, create, delete, patch, scale, label, annotate, request, exec, fault, wait';

  it('says "unknown key in step" for a misspelt action, and nothing about a missing action', () => {
    expect(errorsOf('name: x\nsteps:\n  - at: 10s\n    kubctl: scale deployment web --replicas=3\n')).toEqual([
      `s.scenario.yaml:4:5: unknown key 'kubctl' in step; did you mean 'kubectl'?\n  hint: allowed keys: ${STEP_KEYS}`,
    ]);
  });

  it('rejects a step with two actions at the second one', () => {
    expect(errorsOf('name: x\nsteps:\n  - at: 1s\n    kubectl: get pods\n    delete: {kind: pod, name: web-0}\n')).toEqual([
      "s.scenario.yaml:5:5: step has more than one action: 'kubectl' and 'delete'\n" +
        `  hint: use exactly one of: ${ACTIONS}; put further actions in steps of their own`,
    ]);
  });

  it('rejects a step without an action', () => {
    expect(errorsOf('name: x\nsteps:\n  - at: 1s\n    name: idle\n')).toEqual([
      `s.scenario.yaml:3:5: step has no action\n  hint: add one of: ${ACTIONS}`,
    ]);
  });

  it("rejects 'at' together with 'after', and duplicate step names", () => {
    expect(
      errorsOf('name: x\nsteps:\n  - {name: a, at: 1s, after: 2s, kubectl: get pods}\n  - {name: a, kubectl: get pods}\n'),
    ).toEqual([
      "s.scenario.yaml:3:23: step has both 'at' and 'after'\n" +
        "  hint: 'at' is absolute virtual time, 'after' is relative to the previous step; use one",
      "s.scenario.yaml:4:12: step name 'a' is used twice\n" +
        '  hint: step names must be unique: expectations refer to steps by name',
    ]);
  });

  it('checks structured actions', () => {
    expect(
      errorsOf(
        [
          'name: x',
          'steps:',
          '  - delete: {kind: pod, cascade: orphn}',
          '  - scale: {kind: deployment, name: web, replica: 3}',
          '  - apply: {file: a.yaml, object: {kind: Pod}}',
          '  - label: {kind: pod, name: web-0}',
          '  - fault: {readinessFails: {pod: web-0, for: 20s}, crash: {pod: web-1}}',
          '  - fault: {oom: {selector: app=web, exitCode: 1}}',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      "s.scenario.yaml:3:13: 'steps[0].delete' has no target\n  hint: add one of: name, names, selector, all",
      "s.scenario.yaml:3:34: steps[0].delete.cascade: 'orphn' is not allowed; did you mean 'orphan'?\n" +
        '  hint: allowed values: background, foreground, orphan',
      "s.scenario.yaml:4:42: unknown key 'replica' in 'steps[1].scale'; did you mean 'replicas'?\n" +
        '  hint: allowed keys: kind, name, namespace, replicas',
      "s.scenario.yaml:5:27: 'steps[2].apply' has more than one source of objects: 'file' and 'object'\n" +
        '  hint: use exactly one of: file, files, object, objects',
      "s.scenario.yaml:6:12: 'label' changes nothing\n  hint: add 'set' (key: value) or 'remove' (a list of keys)",
      "s.scenario.yaml:7:53: 'steps[4].fault' has more than one fault: 'readinessFails' and 'crash'\n" +
        '  hint: use exactly one of: readinessFails, livenessFails, startupFails, crash, oom, slowStart, nodeDown, nodeUp, partition',
      "s.scenario.yaml:8:38: 'exitCode' only applies to a crash fault",
    ]);
  });
});

describe('loadScenarioText: expectations', () => {
  it('rejects an expectation without a subject', () => {
    expect(errorsOf('name: x\nexpect:\n  - at: 1m\n    ready: 3\n')).toEqual([
      "s.scenario.yaml:3:5: expectation has no subject\n  hint: add one of: object, pods, endpoints, traffic, dns, env, file, event, expr, can",
    ]);
  });

  it('rejects two temporal operators and two subjects', () => {
    expect(
      errorsOf('name: x\nexpect:\n  - at: 1m\n    always: {from: 10s}\n    pods: {selector: app=web}\n    expr: "true"\n    ready: 3\n'),
    ).toEqual([
      "s.scenario.yaml:4:5: expectation has more than one temporal operator: 'at' and 'always'\n" +
        '  hint: use exactly one of: at, within, always, never',
      "s.scenario.yaml:6:5: expectation has more than one subject: 'pods' and 'expr'\n" +
        '  hint: use exactly one of: object, pods, endpoints, traffic, dns, env, file, event, expr, can',
    ]);
  });

  it('rejects matchers of another subject, and after without within', () => {
    expect(
      errorsOf('name: x\nexpect:\n  - pods: {selector: app=web}\n    servedBy: {distinct: 1}\n    after: burst\n'),
    ).toEqual([
      "s.scenario.yaml:4:5: 'servedBy' does not apply to a 'pods' expectation\n" +
        '  hint: pods matchers: count, ready, phase, restarts, node, names, qosClass',
      "s.scenario.yaml:5:5: 'after' needs 'within'\n" +
        '  hint: within: 30s, after: <step name> means "no later than 30s after that step"',
    ]);
  });

  it('checks references to step names', () => {
    expect(
      errorsOf(
        'name: x\nsteps:\n  - {name: burst, request: {url: http://web/}}\nexpect:\n  - within: 30s\n    after: brust\n    endpoints: web\n    readyCount: 3\n  - traffic: {step: bursts}\n    successRate: 1\n',
      ),
    ).toEqual([
      "s.scenario.yaml:6:12: no step is named 'brust'\n  hint: step names: burst",
      "s.scenario.yaml:9:21: no step is named 'bursts'\n  hint: step names: burst",
    ]);
  });

  it('checks subject shapes and comparator-valued matchers', () => {
    expect(
      errorsOf('name: x\nexpect:\n  - object: deployment-web\n    match: {status: {availableReplicas: ">=2"}}\n  - pods: {selector: app=web}\n    qosClass: burstable\n'),
    ).toEqual([
      "s.scenario.yaml:3:13: expect[0].object: 'deployment-web' is not an object reference\n" +
        '  hint: an object is written kind/name, e.g. deployment/web',
      "s.scenario.yaml:6:15: expect[1].qosClass: 'burstable' is not allowed; did you mean 'Burstable'?\n" +
        '  hint: allowed values: Guaranteed, Burstable, BestEffort',
    ]);
  });

  it('lists every error of a file, in source order', () => {
    const d = diagnosticsOf(() =>
      loadScenarioText('s.scenario.yaml', 'name: x\nexpect:\n  - pods: {}\n    bogus: 1\nsteps:\n  - kubctl: x\ninvariants: al\n'),
    );
    expect(d.map((x) => `${x.line}:${x.col} ${x.code}`)).toEqual([
      '4:5 schema.additionalProperties',
      '6:5 schema.additionalProperties',
      '7:13 schema.const',
    ]);
  });
});

describe('loadScenarioFile', () => {
  it('loads the example scenario of DESIGN §3 with its manifest file', () => {
    const file = path.join(FIXTURES, 'design-example/example.scenario.yaml');
    const s = loadScenarioFile(file);
    expect(s.file).toBe(file);
    expect(s.raw.name).toBe('ClientIP session affinity pins each client to one pod');
    expect(s.raw.steps).toHaveLength(7);
    expect(s.manifests.map((m) => `${m.object.kind}/${m.object.metadata.name} ${m.file}:${m.source.line}`)).toEqual([
      `Deployment/kubia ${FIXTURES}/design-example/manifests/kubia.yaml:1`,
      `Service/kubia ${file}:44`,
    ]);
    expect(s.locate(['steps', 2, 'request', 'url'])).toEqual({ file, line: 65, col: 36 });
    expect(s.locateKey(['expect', 0, 'ready'])).toEqual({ file, line: 78, col: 5 });
    // inline manifests locate their own fields
    expect(s.manifests[1].locate(['spec', 'sessionAffinity'])).toEqual({ file, line: 48, col: 24 });
  });

  it('resolves files, globs and directories; flattens Lists; skips empty documents', () => {
    const file = path.join(FIXTURES, 'manifests.scenario.yaml');
    const s = loadScenarioFile(file);
    const m = (rel: string) => path.join(FIXTURES, rel);
    expect(s.manifests.map((x) => [`${x.object.kind}/${x.object.metadata.name ?? x.object.metadata.generateName}`, x.file, x.source.line, x.source.col])).toEqual([
      ['ConfigMap/settings', m('manifests/multi.yaml'), 6, 5],
      ['Secret/token-', m('manifests/multi.yaml'), 10, 5],
      ['Deployment/web', m('manifests/multi.yaml'), 15, 1],
      ['Pod/solo', m('manifests/pods.yml'), 4, 3],
      ['ConfigMap/one', m('manifests/dir/one.yaml'), 1, 1],
      ['ConfigMap/two', m('manifests/dir/two.json'), 1, 1],
      ['Service/web', file, 6, 5],
      ['ConfigMap/inline-item', file, 13, 9],
    ]);
    expect(s.manifests[3].locate(['metadata', 'name'])).toEqual({ file: m('manifests/pods.yml'), line: 6, col: 20 });
    // inline objects are copies: applying them cannot change raw
    s.manifests[6].object.metadata.name = 'changed';
    expect(s.raw.manifests[3].metadata.name).toBe('web');
  });

  it('reports every manifest problem at its position, in the file where it is', () => {
    const file = path.join(FIXTURES, 'bad-manifests.yaml');
    const m = (rel: string) => path.join(FIXTURES, rel);
    expect(diagnosticsOf(() => loadScenarioFile(file)).map(formatDiagnostic)).toEqual([
      `${file}:3:11: manifest file not found: manifests/missing.yaml\n  hint: paths are relative to the scenario file's directory (${FIXTURES})`,
      `${file}:4:11: no manifest files match 'manifests/*.json'\n  hint: globs are relative to the scenario file's directory (${FIXTURES})`,
      `${m('manifests/duplicate-key.yaml')}:5:3: YAML syntax error: duplicate key 'name'\n` +
        '  hint: each key may appear once in a mapping; remove or merge the repeated one',
      `${m('manifests/bad-objects.yaml')}:1:1: manifest has no kind\n` +
        '  hint: every Kubernetes object needs apiVersion, kind and metadata.name',
      `${m('manifests/bad-objects.yaml')}:7:3: Pod has no metadata.name\n` +
        '  hint: set metadata.name (or metadata.generateName to let the API server generate one)',
      `${m('manifests/bad-objects.yaml')}:9:1: a manifest must be a Kubernetes object (a mapping with apiVersion, kind and metadata)`,
      `${file}:7:43: Pod has no metadata.name\n` +
        '  hint: set metadata.name (or metadata.generateName to let the API server generate one)',
    ]);
  });

  it('reports a missing scenario file', () => {
    expect(diagnosticsOf(() => loadScenarioFile('nope.scenario.yaml')).map(formatDiagnostic)).toEqual([
      'nope.scenario.yaml:1:1: cannot read scenario file: no such file',
    ]);
  });
});
