// The invariant library on hand-built API states: an API server with no controllers, objects
// written directly, and a monitor checked at chosen instants.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/sim.js';
import { ApiServer } from '../../api/server.js';
import type { KubeObject } from '../../api/types.js';
import { requestsOf, type RequestRecord } from '../../network/request_log.js';
import type { InvariantMonitor, Violation } from './types.js';
import { replicaCount, REPLICA_COUNT_GRACE_MS } from './replicaCount.js';
import { endpointsReadiness } from './endpointsReadiness.js';
import { rolloutAvailability } from './rolloutAvailability.js';
import { rollingBounds } from './fenceposts.js';
import { statefulSetOrdering } from './statefulSetOrdering.js';
import { daemonSetCoverage } from './daemonSetCoverage.js';
import { jobParallelism } from './jobParallelism.js';
import { isLost, noLostRequests, sessionAffinity } from './traffic.js';
import { compileInvariants } from './registry.js';

function world() {
  const sim = new Simulation(1);
  const api = new ApiServer(sim, { kubernetesVersion: '1.34' });
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const requests: RequestRecord[] = [];
  const at = (ms: number) => sim.runUntil(ms);
  const log = requestsOf(requests);
  const check = (m: InvariantMonitor): Violation | undefined => m.check({ api, now: sim.now, requests: log });
  return { sim, api, requests, at, check };
}

type W = ReturnType<typeof world>;

function owner(o: KubeObject) {
  return [{ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name!, uid: o.metadata.uid!, controller: true }];
}

function pod(w: W, name: string, opts: { owner?: KubeObject; ready?: boolean; phase?: string; labels?: Record<string, string>; node?: string; ip?: string } = {}): KubeObject {
  const p = w.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: opts.labels ?? { app: 'web' }, ...(opts.owner ? { ownerReferences: owner(opts.owner) } : {}) },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(opts.node ? { nodeName: opts.node } : {}) },
  });
  return setPod(w, name, { ready: opts.ready ?? true, phase: opts.phase ?? 'Running', ip: opts.ip }) ?? p;
}

function setPod(w: W, name: string, s: { ready?: boolean; phase?: string; ip?: string }): KubeObject {
  return w.api.mutate('Pod', 'default', name, (d) => {
    d.status = { ...(d.status ?? {}), phase: s.phase ?? d.status?.phase ?? 'Running', ...(s.ip ? { podIP: s.ip } : {}), conditions: [{ type: 'Ready', status: s.ready === false ? 'False' : 'True', lastTransitionTime: '1970-01-01T00:00:00Z' }] };
  }, 'status');
}

function rs(w: W, name: string, replicas: number, statusReplicas = replicas, ownerObj?: KubeObject): KubeObject {
  w.api.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ...(ownerObj ? { ownerReferences: owner(ownerObj) } : {}) },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  return w.api.mutate('ReplicaSet', 'default', name, (d) => (d.status = { replicas: statusReplicas }), 'status');
}

describe('replicaCount', () => {
  it('tolerates a shortfall for the grace window, then reports it with the pods', () => {
    const w = world();
    const set = rs(w, 'web', 3, 2);
    pod(w, 'web-a', { owner: set });
    pod(w, 'web-b', { owner: set });
    const m = replicaCount.create();
    expect(w.check(m)).toBeUndefined();
    expect(m.wakeAt!()).toBe(REPLICA_COUNT_GRACE_MS + 1);
    w.at(REPLICA_COUNT_GRACE_MS);
    expect(w.check(m)).toBeUndefined();
    w.at(REPLICA_COUNT_GRACE_MS + 1);
    const v = w.check(m)!;
    expect(v.message).toMatch(/^replicaset\/web has 2 active pods for spec.replicas 3 since 0s/);
    expect(v.involved!.objects.map((p) => p.metadata.name)).toEqual(['web-a', 'web-b']);
  });

  it('does not count terminating or finished pods as active', () => {
    const w = world();
    const set = rs(w, 'web', 1, 1);
    pod(w, 'web-a', { owner: set, phase: 'Succeeded' });
    const m = replicaCount.create();
    expect(w.check(m)).toBeUndefined();
    w.at(REPLICA_COUNT_GRACE_MS + 1);
    expect(w.check(m)?.message).toMatch(/0 active pods for spec.replicas 1/);
  });

  it('forgets a mismatch that resolved within the grace', () => {
    const w = world();
    const set = rs(w, 'web', 1, 0);
    const m = replicaCount.create();
    w.check(m);
    w.at(1000);
    pod(w, 'web-a', { owner: set });
    w.api.mutate('ReplicaSet', 'default', 'web', (d) => (d.status = { replicas: 1 }), 'status');
    expect(w.check(m)).toBeUndefined();
    expect(m.wakeAt!()).toBeUndefined();
    w.at(60_000);
    expect(w.check(m)).toBeUndefined();
  });
});

describe('endpointsReadiness', () => {
  function endpoints(w: W, ready: string[], publish = false) {
    w.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...(publish ? { publishNotReadyAddresses: true } : {}) } });
    w.api.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets: [{ addresses: ready.map((n, i) => ({ ip: `10.0.0.${i + 1}`, targetRef: { kind: 'Pod', name: n, namespace: 'default' } })), ports: [{ port: 80 }] }] } as any);
  }

  it('reports a not-ready pod listed as ready once it outlives the grace', () => {
    const w = world();
    pod(w, 'a');
    pod(w, 'b', { ready: false });
    endpoints(w, ['a', 'b']);
    const m = endpointsReadiness.create();
    expect(w.check(m)).toBeUndefined();
    w.at(5001);
    expect(w.check(m)?.message).toMatch(/^endpoints\/web lists pod b \(10\.0\.0\.2\) as ready, but the pod is not Ready since 0s/);
  });

  it('allows not-ready addresses when the Service publishes them', () => {
    const w = world();
    pod(w, 'b', { ready: false });
    endpoints(w, ['b'], true);
    const m = endpointsReadiness.create();
    w.check(m);
    w.at(10_000);
    expect(w.check(m)).toBeUndefined();
  });

  it('checks EndpointSlice conditions.ready, including terminating pods', () => {
    const w = world();
    pod(w, 'a', { node: 'node-1' }); // bound: its deletion is graceful
    w.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    w.api.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-x', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'a', namespace: 'default' } }], ports: [{ port: 80 }] } as any);
    const m = endpointsReadiness.create();
    expect(w.check(m)).toBeUndefined();
    w.api.delete('Pod', 'default', 'a', { gracePeriodSeconds: 30 });
    w.check(m);
    w.at(5001);
    expect(w.check(m)?.message).toMatch(/endpointslice\/web-x marks pod a ready, but the pod is terminating/);
  });
});

describe('rollingBounds (ResolveFenceposts, MaxUnavailable, MaxSurge)', () => {
  // util/deployment_util_test.go TestResolveFenceposts and TestMaxUnavailable, via the bounds
  it.each([
    [{ maxSurge: '0%', maxUnavailable: '0%' }, 0, { surge: 0, unav: 0 }],
    [{ maxSurge: '39%', maxUnavailable: '39%' }, 10, { surge: 4, unav: 3 }],
    [{ maxUnavailable: '39%' }, 10, { surge: 3, unav: 3 }],
    [{ maxSurge: 0, maxUnavailable: 0 }, 10, { surge: 0, unav: 1 }],
    [{ maxUnavailable: 5 }, 10, { surge: 3, unav: 5 }],
    [{ maxUnavailable: 10 }, 5, { surge: 2, unav: 5 }],
    [{ maxUnavailable: '100%' }, 5, { surge: 2, unav: 5 }],
    [{}, 3, { surge: 1, unav: 0 }],
    [{}, 4, { surge: 1, unav: 1 }],
    [{}, 10, { surge: 3, unav: 2 }],
  ])('%j with %i replicas', (ru, replicas, want) => {
    const b = rollingBounds({ spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: ru } } })!;
    expect({ surge: b.maxSurge, unav: b.maxUnavailable }).toEqual(want);
    expect(b.minAvailable).toBe(replicas - want.unav);
  });

  it('has no bounds for Recreate', () => {
    expect(rollingBounds({ spec: { strategy: { type: 'Recreate' } } })).toBeUndefined();
  });
});

describe('rolloutAvailability', () => {
  function deployment(w: W, replicas: number) {
    return w.api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
  }

  it('reports availability dropping below replicas - maxUnavailable while two ReplicaSets have pods', () => {
    const w = world();
    const d = deployment(w, 4);
    const old = rs(w, 'web-old', 3, 3, d);
    const neu = rs(w, 'web-new', 2, 2, d);
    for (const n of ['o1', 'o2', 'o3']) pod(w, n, { owner: old });
    pod(w, 'n1', { owner: neu });
    pod(w, 'n2', { owner: neu, ready: false });
    const m = rolloutAvailability.create();
    expect(w.check(m)).toBeUndefined(); // 4 available >= 3, 5 pods <= 5
    setPod(w, 'o1', { ready: false });
    expect(w.check(m)).toBeUndefined(); // 3 available
    setPod(w, 'o2', { ready: false });
    const v = w.check(m)!;
    expect(v.message).toBe('deployment/web is rolling with 2 available pods, below replicas - maxUnavailable = 4 - 1 = 3');
    expect(v.mismatches).toEqual(['replicaset/web-old: spec.replicas 3, 3 active', 'replicaset/web-new: spec.replicas 2, 2 active']);
  });

  it('is not armed by a rollout that starts below the bound, and ignores a settled Deployment', () => {
    const w = world();
    const d = deployment(w, 4);
    const old = rs(w, 'web-old', 4, 4, d);
    for (const n of ['o1', 'o2']) pod(w, n, { owner: old, ready: false });
    const m = rolloutAvailability.create();
    expect(w.check(m)).toBeUndefined(); // one ReplicaSet: not rolling
    const neu = rs(w, 'web-new', 1, 1, d);
    pod(w, 'n1', { owner: neu, ready: false });
    expect(w.check(m)).toBeUndefined(); // rolling, but never was at 3 available
  });

  it('reports more pods than replicas + maxSurge after a 2s grace', () => {
    const w = world();
    const d = deployment(w, 2);
    const old = rs(w, 'web-old', 2, 2, d);
    const neu = rs(w, 'web-new', 2, 2, d);
    for (const n of ['o1', 'o2']) pod(w, n, { owner: old });
    for (const n of ['n1', 'n2']) pod(w, n, { owner: neu });
    const m = rolloutAvailability.create();
    expect(w.check(m)).toBeUndefined();
    w.at(2001);
    expect(w.check(m)?.message).toMatch(/^deployment\/web has 4 pods, above replicas \+ maxSurge = 2 \+ 1 = 3 since 0s/);
  });
});

describe('statefulSetOrdering', () => {
  function sts(w: W, replicas: number, policy = 'OrderedReady') {
    return w.api.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas, podManagementPolicy: policy, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  }

  it('accepts pods created in order once their predecessors are Running and Ready', () => {
    const w = world();
    const s = sts(w, 2);
    const m = statefulSetOrdering.create();
    pod(w, 'db-0', { owner: s, labels: { app: 'db' } });
    expect(w.check(m)).toBeUndefined();
    pod(w, 'db-1', { owner: s, labels: { app: 'db' } });
    expect(w.check(m)).toBeUndefined();
  });

  it('reports pod 1 created while pod 0 is not ready; Parallel sets are exempt', () => {
    const w = world();
    const s = sts(w, 2);
    const m = statefulSetOrdering.create();
    pod(w, 'db-0', { owner: s, labels: { app: 'db' }, ready: false });
    expect(w.check(m)).toBeUndefined();
    pod(w, 'db-1', { owner: s, labels: { app: 'db' } });
    expect(w.check(m)?.message).toBe('statefulset/db created db-1 while db-0 was not Running and Ready');

    const w2 = world();
    const p = sts(w2, 2, 'Parallel');
    const m2 = statefulSetOrdering.create();
    pod(w2, 'db-1', { owner: p, labels: { app: 'db' } });
    expect(w2.check(m2)).toBeUndefined();
  });
});

describe('daemonSetCoverage', () => {
  it('reports an eligible node without a daemon pod after 30s, and skips nodes the selector excludes', () => {
    const w = world();
    for (const [n, labels] of [['node-1', { disk: 'ssd' }], ['node-2', { disk: 'ssd' }], ['node-3', {}]] as const) w.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { ...labels } } });
    const ds = w.api.create({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'x' }] } } } });
    pod(w, 'agent-a', { owner: ds, labels: { app: 'agent' }, node: 'node-1' });
    const m = daemonSetCoverage.create();
    expect(w.check(m)).toBeUndefined();
    w.at(30_001);
    expect(w.check(m)?.message).toMatch(/^daemonset\/agent has no pod on node node-2 since 0s/);
  });
});

describe('jobParallelism', () => {
  it('limits active pods to parallelism and to the completions left', () => {
    const w = world();
    const job = w.api.create({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 2, completions: 3, template: { metadata: { labels: { app: 'j' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } });
    const m = jobParallelism.create();
    pod(w, 'j-1', { owner: job, labels: { app: 'j' }, phase: 'Succeeded' });
    pod(w, 'j-2', { owner: job, labels: { app: 'j' } });
    pod(w, 'j-3', { owner: job, labels: { app: 'j' } });
    expect(w.check(m)).toBeUndefined(); // 2 active <= min(2, 3 - 1)
    setPod(w, 'j-2', { phase: 'Succeeded' });
    expect(w.check(m)).toBeUndefined(); // 1 active <= 1
    pod(w, 'j-4', { owner: job, labels: { app: 'j' } });
    w.check(m);
    w.at(2001);
    expect(w.check(m)?.message).toMatch(/^job\/j has 2 active pods, above 1 \(completions 3 - succeeded 2\)/);
  });
});

function req(seq: number, t: number, fields: Partial<RequestRecord>): RequestRecord {
  return { seq, t, client: 'curl', clientIP: '10.244.0.9', url: 'http://web/', method: 'GET', outcome: 'ok', latency: 0, ...fields };
}

describe('noLostRequests', () => {
  it('counts refused, timeouts and proxy-made 5xx as lost, not the application\'s own errors', () => {
    expect(isLost(req(1, 0, { outcome: 'refused' }))).toBe(true);
    expect(isLost(req(1, 0, { outcome: 'unreachable' }))).toBe(true);
    expect(isLost(req(1, 0, { outcome: 'http-502' }))).toBe(true);
    expect(isLost(req(1, 0, { outcome: 'http-503', pod: 'web-a' }))).toBe(false);
    expect(isLost(req(1, 0, { outcome: 'http-500' }))).toBe(false);
    expect(isLost(req(1, 0, { outcome: 'ok', pod: 'web-a' }))).toBe(false);
  });

  it('reports the first lost request with its reason', () => {
    const w = world();
    const m = noLostRequests.create();
    w.requests.push(req(1, 0, { pod: 'web-a' }));
    expect(w.check(m)).toBeUndefined();
    w.requests.push(req(2, 1500, { outcome: 'refused', reason: 'nothing listens', pod: 'web-a' }));
    expect(w.check(m)?.message).toBe('request #2 from curl to http://web/ sent at 1.5s was lost: refused (nothing listens) at pod web-a');
  });
});

describe('sessionAffinity', () => {
  function service(w: W, ready: string[]) {
    w.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } });
    w.api.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets: [{ addresses: ready.map((n, i) => ({ ip: `10.0.0.${i + 1}`, targetRef: { kind: 'Pod', name: n } })) }] } as any);
  }

  it('reports a client moved to another pod while its pod stayed a ready endpoint', () => {
    const w = world();
    service(w, ['web-a', 'web-b']);
    const m = sessionAffinity.create();
    w.requests.push(req(1, 0, { pod: 'web-a' }));
    expect(w.check(m)).toBeUndefined();
    w.at(200);
    w.requests.push(req(2, 200, { pod: 'web-b' }));
    expect(w.check(m)?.message).toMatch(/went to web-b, but its previous request \(0s\) went to web-a, which is still a ready endpoint of service\/web/);
  });

  it('lets the client move once its pod left the endpoints', () => {
    const w = world();
    service(w, ['web-a', 'web-b']);
    const m = sessionAffinity.create();
    w.requests.push(req(1, 0, { pod: 'web-a' }));
    w.check(m);
    w.at(100);
    w.api.mutate('Endpoints', 'default', 'web', (d: any) => (d.subsets = [{ addresses: [{ ip: '10.0.0.2', targetRef: { kind: 'Pod', name: 'web-b' } }] }]));
    w.check(m);
    w.at(200);
    w.api.mutate('Endpoints', 'default', 'web', (d: any) => (d.subsets = [{ addresses: [{ ip: '10.0.0.1', targetRef: { kind: 'Pod', name: 'web-a' } }, { ip: '10.0.0.2', targetRef: { kind: 'Pod', name: 'web-b' } }] }]));
    w.requests.push(req(2, 200, { pod: 'web-b' }));
    expect(w.check(m)).toBeUndefined();
  });
});

describe('compileInvariants', () => {
  const errors: string[] = [];
  const c = { error: (_p: (string | number)[], m: string, h?: string) => errors.push(`${m} | ${h}`), pos: () => ({ file: 'f', line: 1, col: 1 }) };

  it('resolves built-ins, expectation names and all, and explains an unknown name', () => {
    errors.length = 0;
    expect(compileInvariants(c, 'all', []).map((i) => i.name)).toContain('noLostRequests');
    expect(compileInvariants(c, ['replicaCount', 'ready pods'], [{ index: 0, name: 'ready pods' }])).toEqual([
      { name: 'replicaCount', source: { file: 'f', line: 1, col: 1 } },
      { name: 'ready pods', source: { file: 'f', line: 1, col: 1 }, expectation: 0 },
    ]);
    compileInvariants(c, ['replicaCont'], []);
    expect(errors).toEqual([expect.stringMatching(/^unknown invariant "replicaCont" \| did you mean replicaCount\? built-in invariants: replicaCount, /)]);
  });
});
