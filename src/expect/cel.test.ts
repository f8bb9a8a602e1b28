import { describe, expect, it } from 'vitest';
import { CelError, compileCel, evaluateCelBoolean, fromCelValue, toCelValue } from './cel.js';

const pod = (name: string, app: string, phase: string, restarts = 0) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app } },
  spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  status: { phase, containerStatuses: [{ name: 'c', ready: phase === 'Running', restartCount: restarts }] },
});

const bindings = (over: Record<string, unknown> = {}) => ({
  pods: [pod('web-1', 'web', 'Running'), pod('db-1', 'db', 'Running', 2)],
  deployments: [{ metadata: { name: 'web' }, spec: { replicas: 3 }, status: { replicas: 3, readyReplicas: 2 } }],
  services: [],
  requests: [{ client: 'laptop', outcome: 'ok', latencyMs: 1.5, servedBy: 'web-1' }],
  now: 30,
  ...over,
});

const run = (src: string, b: Record<string, unknown> = bindings()) => evaluateCelBoolean(compileCel(src), b);

describe('CEL over the cluster state', () => {
  it('evaluates list sizes and macros over JSON objects', () => {
    expect(run('pods.size() == 2')).toEqual({ value: true });
    expect(run('pods.all(p, p.status.phase == "Running")')).toEqual({ value: true });
    expect(run('pods.filter(p, p.metadata.labels.app == "web").size() >= 1')).toEqual({ value: true });
    expect(run('pods.exists(p, p.status.containerStatuses[0].restartCount > 1)')).toEqual({ value: true });
    expect(run('pods.map(p, p.metadata.name) == ["web-1", "db-1"]')).toEqual({ value: true });
    expect(run('services.size() == 0 && requests.all(r, r.outcome == "ok")')).toEqual({ value: true });
  });

  it('gives JSON integers the CEL int type, so int comparisons and arithmetic work', () => {
    expect(run('deployments[0].status.readyReplicas >= 2')).toEqual({ value: true });
    expect(run('deployments[0].status.readyReplicas + 1 == deployments[0].spec.replicas')).toEqual({ value: true });
    expect(run('deployments[0].spec.replicas == pods.size() + 1')).toEqual({ value: true });
    expect(run('requests[0].latencyMs < 2.0')).toEqual({ value: true });
  });

  it('binds now as a double that compares with int and double literals', () => {
    expect(run('now >= 30')).toEqual({ value: true });
    expect(run('now >= 30.0')).toEqual({ value: true });
    expect(run('now == 30')).toEqual({ value: true });
    expect(run('now < 30.5', bindings({ now: 30.25 }))).toEqual({ value: true });
    expect(run('int(now) - 20 == 10')).toEqual({ value: true });
    // CEL does not mix int and double in arithmetic; the error says how to write it
    const mixed = run('now - 20 == 10');
    expect('error' in mixed && mixed.error).toMatch(/no such overload.*hint: .*30\.0/);
  });

  it('has() works on any operand, including indexed ones', () => {
    expect(run('has(deployments[0].status.availableReplicas)')).toEqual({ value: false });
    expect(run('has(deployments[0].status.readyReplicas)')).toEqual({ value: true });
    expect(run('deployments.all(d, has(d.status.readyReplicas))')).toEqual({ value: true });
    expect(run('has(pods.filter(p, p.metadata.name == "db-1")[0].metadata.labels)')).toEqual({ value: true });
    expect(run('deployments.all(d, has(d.status.x) || has(pods[0].metadata.name))')).toEqual({ value: true });
    expect(run('pods.exists(p, has(p.spec.containers[0].ports))')).toEqual({ value: true });
  });

  it('reports a missing key as an error result with a has() hint', () => {
    const r = run('deployments[0].status.availableReplicas >= 2');
    expect(r).toEqual({ error: expect.stringMatching(/^No such key: availableReplicas \(column 23\); hint: .*has\(/) });
  });

  it('reports an unknown kind with the bound names', () => {
    const r = run('statefulsets.size() == 0');
    expect('error' in r && r.error).toMatch(/Unknown variable: statefulsets.*bound names are deployments, now, pods, requests, services/);
  });

  it('reports a non-boolean result as an error with its CEL type', () => {
    expect(run('pods.size()')).toEqual({ error: expect.stringMatching(/^the expression evaluated to 2 \(int\), not a boolean/) });
    expect(run('pods[0].metadata.name')).toEqual({ error: expect.stringMatching(/"web-1" \(string\)/) });
  });

  it('throws CelError with the position on a syntax error', () => {
    let err: unknown;
    try {
      compileCel('pods.size( == 2');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CelError);
    const c = err as CelError;
    expect(c.kind).toBe('syntax');
    expect(c.column).toBe(12);
    expect(c.line).toBe(1);
    expect(c.message).toBe('CEL syntax error at column 12: Unexpected token: EQ\n  pods.size( == 2\n             ^');
    expect(c.hint).toMatch(/double-quoted strings/);
  });

  it('gives line and column for multi-line expressions', () => {
    expect(() => compileCel('pods.all(p,\n  p.status.phase == )')).toThrow(/at line 2, column 21: Unexpected token: RPAREN/);
  });

  it('rejects statically ill-typed expressions at compile time', () => {
    expect(() => compileCel('1 + "a"')).toThrow(/CEL type error at column 1: no such overload: int \+ string/);
  });

  it('evaluate() returns plain JS values (ints as numbers)', () => {
    const c = compileCel('deployments.map(d, d.spec.replicas)');
    expect(c.evaluate(bindings())).toEqual([3]);
    expect(compileCel('now * 2.0').evaluate(bindings())).toBe(60);
  });

  it('compiles once and evaluates many times against changing state', () => {
    const c = compileCel('pods.filter(p, p.status.phase == "Running").size() >= 2');
    let trues = 0;
    for (let i = 0; i < 10_000; i++) {
      const phase = i % 2 === 0 ? 'Running' : 'Pending';
      const r = evaluateCelBoolean(c, bindings({ pods: [pod('a', 'web', 'Running'), pod('b', 'web', phase)], now: i / 10 }));
      if ('value' in r && r.value) trues++;
    }
    expect(trues).toBe(5_000);
  });
});

describe('JSON <-> CEL values', () => {
  it('converts integral numbers to ints, drops undefined fields, keeps number-free subtrees', () => {
    const labels = { app: 'web' };
    const v = toCelValue({ a: 1, b: 1.5, c: [2, 'x'], d: undefined, labels }) as Record<string, unknown>;
    expect(v).toEqual({ a: 1n, b: 1.5, c: [2n, 'x'], labels });
    expect('d' in v).toBe(false);
    expect(v.labels).toBe(labels);
    expect(fromCelValue(v)).toEqual({ a: 1, b: 1.5, c: [2, 'x'], labels: { app: 'web' } });
    expect(fromCelValue(new Map([['k', 1n]]))).toEqual({ k: 1 });
  });

  it('does not mutate the bindings', () => {
    const b = bindings();
    const before = JSON.stringify(b);
    run('deployments[0].spec.replicas == 3', b);
    expect(JSON.stringify(b)).toBe(before);
  });
});
