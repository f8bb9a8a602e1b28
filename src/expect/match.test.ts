import { describe, expect, it } from 'vitest';
import { checkExpected, describeMismatches, joinKey, matchTree, MatchSpecError } from './match.js';

const deployment = {
  metadata: { name: 'web', labels: { app: 'web', 'app.kubernetes.io/name': 'web' } },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] },
          { name: 'sidecar', image: 'envoy:1.30' },
        ],
      },
    },
  },
  status: {
    replicas: 3,
    readyReplicas: 1,
    conditions: [
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
    ],
  },
};

describe('matchTree: objects and leaves', () => {
  it('matches partially: only expected keys are checked', () => {
    expect(matchTree(deployment, { metadata: { name: 'web' }, spec: { replicas: '>=2' } })).toEqual([]);
  });

  it('reports every mismatch, not the first', () => {
    const m = matchTree(deployment, { spec: { replicas: 5 }, status: { readyReplicas: '>=2', availableReplicas: 3 } });
    expect(m).toEqual([
      { path: 'spec.replicas', expected: '5', actual: 3, kind: 'mismatch' },
      { path: 'status.readyReplicas', expected: '>= 2', actual: 1, kind: 'mismatch' },
      { path: 'status.availableReplicas', expected: '3', actual: undefined, kind: 'missing' },
    ]);
  });

  it('a missing parent reports each expected leaf as missing, never throws', () => {
    expect(matchTree({}, { status: { readyReplicas: 3, phase: 'Running' } })).toEqual([
      { path: 'status.readyReplicas', expected: '3', actual: undefined, kind: 'missing' },
      { path: 'status.phase', expected: '"Running"', actual: undefined, kind: 'missing' },
    ]);
    expect(matchTree(undefined, { a: 1 })).toHaveLength(1);
    expect(matchTree(null, { a: { b: [1] } })[0].kind).toBe('missing');
  });

  it('null expected means absent or null', () => {
    expect(matchTree({ a: null }, { a: null, b: null })).toEqual([]);
    expect(matchTree({ a: 1 }, { a: null })).toEqual([{ path: 'a', expected: 'absent or null', actual: 1, kind: 'mismatch' }]);
  });

  it('$absent: true requires the key not to exist (null counts as present)', () => {
    const spec = { metadata: { deletionTimestamp: { $absent: true } } };
    expect(matchTree({ metadata: {} }, spec)).toEqual([]);
    expect(matchTree({ metadata: { deletionTimestamp: null } }, spec)[0].kind).toBe('extra');
    expect(matchTree({ metadata: { deletionTimestamp: '2024-01-01T00:00:00Z' } }, spec)).toEqual([
      { path: 'metadata.deletionTimestamp', expected: 'absent', actual: '2024-01-01T00:00:00Z', kind: 'extra' },
    ]);
    expect(matchTree({ a: 0 }, { a: { $absent: false } })).toEqual([]);
    expect(matchTree({}, { a: { $absent: false } })[0]).toMatchObject({ kind: 'missing', expected: 'present' });
  });

  it('reports a type clash instead of descending into it', () => {
    expect(matchTree({ spec: 'x' }, { spec: { replicas: 1 } })).toEqual([
      { path: 'spec', expected: 'an object', actual: 'x', kind: 'mismatch' },
    ]);
    expect(matchTree({ a: { b: 1 } }, { a: 3 })[0]).toMatchObject({ path: 'a', kind: 'mismatch' });
  });

  it('quotes keys that are not identifiers in paths', () => {
    expect(matchTree(deployment, { metadata: { labels: { 'app.kubernetes.io/name': 'api' } } })[0].path).toBe(
      'metadata.labels["app.kubernetes.io/name"]',
    );
    expect(joinKey('', 'spec')).toBe('spec');
  });
});

describe('matchTree: lists', () => {
  it('matches an unordered subset', () => {
    expect(matchTree([3, 1, 2], [2, 3])).toEqual([]);
    expect(matchTree(deployment, { spec: { template: { spec: { containers: [{ image: 'envoy:1.30' }] } } } })).toEqual([]);
  });

  it('pairs elements with bipartite matching, not greedily', () => {
    // greedy would give {a:1} to the first actual element and leave {a:1,b:2} unmatched
    expect(matchTree([{ a: 1, b: 2 }, { a: 1 }], [{ a: 1 }, { a: 1, b: 2 }])).toEqual([]);
    expect(matchTree([{ a: 1 }, { a: 1, b: 2 }], [{ a: 1, b: 2 }, { a: 1 }])).toEqual([]);
    // distinct elements: two expected copies need two actual ones
    expect(matchTree([{ a: 1 }], [{ a: 1 }, { a: 1 }])).toHaveLength(1);
    expect(matchTree(['x'], ['x', 'x'])).toEqual([
      { path: '', expected: 'an element matching "x"', actual: ['x'], kind: 'missing' },
    ]);
  });

  it('explains an unmatched object element against the closest free actual element', () => {
    const m = matchTree(deployment, {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }, { name: 'sidecar' }] } } },
    });
    expect(m).toEqual([
      { path: 'spec.template.spec.containers[0].image', expected: '"nginx:1.26"', actual: 'nginx:1.25', kind: 'mismatch' },
    ]);
  });

  it('reports an element as missing when no free actual element is left', () => {
    const m = matchTree({ ports: [{ port: 80 }] }, { ports: [{ port: 80 }, { port: 443 }] });
    expect(m).toEqual([
      { path: 'ports', expected: 'an element matching {port: 443}', actual: [{ port: 80 }], kind: 'missing' },
    ]);
  });

  it('a missing list is missing; a non-list is a mismatch; [] matches anything list-like', () => {
    expect(matchTree({}, { finalizers: ['a'] })).toEqual([
      { path: 'finalizers', expected: '["a"]', actual: undefined, kind: 'missing' },
    ]);
    expect(matchTree({ finalizers: 'a' }, { finalizers: ['a'] })[0]).toMatchObject({ kind: 'mismatch', expected: 'a list' });
    expect(matchTree({}, { finalizers: [] })).toEqual([]);
  });

  it('matches conditions by type and names them in paths', () => {
    expect(matchTree(deployment, { status: { conditions: [{ type: 'Progressing', status: true }] } })).toEqual([]);
    const m = matchTree(deployment, {
      status: {
        conditions: [
          { type: 'Available', status: 'True' },
          { type: 'ReplicaFailure', status: 'False' },
        ],
      },
    });
    expect(m).toEqual([
      { path: 'status.conditions[type=Available].status', expected: '"True"', actual: 'False', kind: 'mismatch' },
      {
        path: 'status.conditions[type=ReplicaFailure]',
        expected: '{type: "ReplicaFailure", status: "False"}',
        actual: undefined,
        kind: 'missing',
      },
    ]);
  });

  it('$exact: [...] requires order and length; elements still match partially', () => {
    const actual = { args: ['--a', '--b'], ports: [{ port: 80, name: 'http' }] };
    expect(matchTree(actual, { args: { $exact: ['--a', '--b'] }, ports: { $exact: [{ port: 80 }] } })).toEqual([]);
    expect(matchTree(actual, { args: { $exact: ['--b', '--a'] } })).toEqual([
      { path: 'args[0]', expected: '"--b"', actual: '--a', kind: 'mismatch' },
      { path: 'args[1]', expected: '"--a"', actual: '--b', kind: 'mismatch' },
    ]);
    expect(matchTree(actual, { args: { $exact: ['--a'] } })).toEqual([
      { path: 'args', expected: 'exactly 1 element', actual: 2, kind: 'length' },
    ]);
    // spelled-out alias of the DESIGN wording `$exact: true`
    expect(matchTree(actual, { args: { $exact: true, items: ['--a', '--b'] } })).toEqual([]);
    // Kubernetes omits empty lists
    expect(matchTree({}, { args: { $exact: [] } })).toEqual([]);
    expect(matchTree({ args: [] }, { args: { $exact: ['x'] } })[0].kind).toBe('length');
  });
});

describe('spec errors', () => {
  it('checkExpected reports every malformed part with its path', () => {
    const problems = checkExpected({ a: '>=x', b: { $exakt: [1] }, c: [{ d: '4..1' }], e: { $absent: 'yes' } });
    expect(problems.map((p) => p.path)).toEqual(['a', 'b', 'c[0].d', 'e']);
    expect(problems[1].message).toMatch(/unknown match operator "\$exakt"/);
    expect(problems.every((p) => p instanceof MatchSpecError && p.hint.length > 0)).toBe(true);
    expect(checkExpected({ a: { $exact: [1] }, b: null, c: [{ type: 'Ready' }] })).toEqual([]);
  });

  it('matchTree throws MatchSpecError on a malformed spec', () => {
    expect(() => matchTree({ a: 1 }, { a: '>=x' })).toThrow(MatchSpecError);
    expect(() => matchTree({ a: [1] }, { a: { $exact: 1 } })).toThrow(/\$exact/);
  });
});

describe('describeMismatches', () => {
  it('produces one human line per mismatch', () => {
    const m = matchTree(
      { status: { availableReplicas: 1, conditions: [{ type: 'Available', status: 'False' }] }, args: ['a'] },
      {
        status: { availableReplicas: '>=2', readyReplicas: 3, conditions: [{ type: 'Available', status: 'True' }] },
        metadata: { deletionTimestamp: { $absent: true } },
        args: { $exact: ['a', 'b'] },
      },
    );
    expect(describeMismatches(m)).toEqual([
      'status.availableReplicas: expected >= 2, got 1',
      'status.readyReplicas: missing (expected 3)',
      'status.conditions[type=Available].status: expected "True", got "False"',
      'args: expected exactly 2 elements, got 1',
    ]);
    expect(describeMismatches(matchTree({ d: 'x' }, { d: { $absent: true } }))).toEqual(['d: expected absent, got "x"']);
    expect(describeMismatches(matchTree(5, 6))).toEqual(['(object): expected 6, got 5']);
  });
});
