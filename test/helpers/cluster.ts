// Shared helpers for tests that run a simulated cluster: a started cluster with N nodes and the
// default timing of compileCluster (src/scenario/compile.ts), object builders for the kinds the
// spine models, and small readers over the API server and the trace.

import { Cluster, type ClusterConfig, type NodeConfig, type Timing } from '../../src/engine/cluster.js';
import { startCluster } from '../../src/engine/bootstrap.js';
import { AppRegistry, DEFAULT_APP, type AppModel } from '../../src/apps/registry.js';
import type { KubeObject } from '../../src/api/types.js';
import { parseSelector } from '../../src/api/labels.js';
import { ApiError, type StatusReason } from '../../src/api/errors.js';

/** compileCluster's defaults for an empty `cluster:` block (src/scenario/compile.ts). */
export const DEFAULT_TIMING: Timing = {
  watchLatency: { min: 5, max: 5 },
  controllerLatency: { min: 5, max: 5 },
  schedulerLatency: { min: 10, max: 10 },
  imagePull: { min: 0, max: 0 },
  kubeletSync: { min: 60_000, max: 60_000 },
  endpointsPropagation: { min: 0, max: 0 },
  kubeProxySync: { min: 0, max: 0 },
  nodeMonitorGracePeriod: { min: 50_000, max: 50_000 },
};

export const DEFAULT_CAPACITY = { cpu: '4', memory: '8Gi', pods: '110' };

export interface TestClusterOptions {
  /** a node count (named node-1..node-N) or explicit nodes; default 1 */
  nodes?: number | Partial<NodeConfig>[];
  seed?: number;
  timing?: Partial<Timing>;
  apps?: Partial<AppModel>[];
  eventBudget?: number;
  kubernetesVersion?: string;
}

export function nodeConfigs(nodes: number | Partial<NodeConfig>[] = 1): NodeConfig[] {
  const list: Partial<NodeConfig>[] = typeof nodes === 'number' ? Array.from({ length: nodes }, () => ({})) : nodes;
  return list.map((n, i) => ({
    name: n.name ?? `node-${i + 1}`,
    labels: { ...(n.labels ?? {}) },
    capacity: { ...DEFAULT_CAPACITY, ...(n.capacity ?? {}) },
    taints: n.taints ?? [],
    ...(n.unschedulable ? { unschedulable: true } : {}),
  }));
}

export function clusterConfig(opts: TestClusterOptions = {}): ClusterConfig {
  return {
    nodes: nodeConfigs(opts.nodes),
    proxyMode: 'iptables',
    kubernetesVersion: opts.kubernetesVersion ?? '1.34',
    clusterDomain: 'cluster.local',
    timing: { ...DEFAULT_TIMING, ...(opts.timing ?? {}) },
  };
}

/** An app model as compileApps builds it, from the fields given. */
export function appModel(m: Partial<AppModel> & { key: string }): AppModel {
  return { ...DEFAULT_APP, ...m };
}

/** A cluster as runScenario builds it, already started (namespaces, controllers, nodes). */
export function newCluster(opts: TestClusterOptions = {}): Cluster {
  const apps = new AppRegistry((opts.apps ?? []).map((a) => appModel({ key: a.key ?? 'unnamed', ...a })));
  const cluster = new Cluster(clusterConfig(opts), opts.seed ?? 1, apps, opts.eventBudget);
  startCluster(cluster);
  return cluster;
}

/** Advance the virtual clock by `ms`. */
export function advance(cluster: Cluster, ms: number): void {
  cluster.sim.runUntil(cluster.sim.now + ms);
}

/** Run `fn` as an event at the current virtual time (as a scenario step would). */
export function at(cluster: Cluster, fn: () => void): void {
  cluster.sim.schedule(0, 'test', fn);
}

// ---- object builders ---------------------------------------------------------------------------

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  image?: string;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  schedulerName?: string;
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  requests?: Record<string, string>;
  ownerReferences?: KubeObject['metadata']['ownerReferences'];
  finalizers?: string[];
}

export function podSpec(o: PodOptions = {}): any {
  return {
    containers: [
      {
        name: 'app',
        image: o.image ?? 'nginx:1.27',
        ...(o.requests ? { resources: { requests: { ...o.requests } } } : {}),
      },
    ],
    ...(o.nodeName ? { nodeName: o.nodeName } : {}),
    ...(o.nodeSelector ? { nodeSelector: { ...o.nodeSelector } } : {}),
    ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}),
    ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
    ...(o.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: o.terminationGracePeriodSeconds } : {}),
  };
}

export function pod(name: string, o: PodOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      ...(o.labels ? { labels: { ...o.labels } } : {}),
      ...(o.annotations ? { annotations: { ...o.annotations } } : {}),
      ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}),
      ...(o.finalizers ? { finalizers: [...o.finalizers] } : {}),
    },
    spec: podSpec(o),
  };
}

export interface ReplicaSetOptions extends PodOptions {
  replicas?: number;
  minReadySeconds?: number;
  /** the RS selector's matchLabels / the RC's selector; default: the template labels */
  selector?: Record<string, string>;
}

export function replicaSet(name: string, o: ReplicaSetOptions = {}): KubeObject {
  const labels = o.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: o.namespace ?? 'default' },
    spec: {
      replicas: o.replicas ?? 1,
      ...(o.minReadySeconds !== undefined ? { minReadySeconds: o.minReadySeconds } : {}),
      selector: { matchLabels: { ...(o.selector ?? labels) } },
      template: { metadata: { labels: { ...labels } }, spec: podSpec(o) },
    },
  };
}

export function replicationController(name: string, o: ReplicaSetOptions = {}): KubeObject {
  const labels = o.labels ?? { app: name };
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name, namespace: o.namespace ?? 'default' },
    spec: {
      replicas: o.replicas ?? 1,
      ...(o.selector ? { selector: { ...o.selector } } : {}),
      template: { metadata: { labels: { ...labels } }, spec: podSpec(o) },
    },
  };
}

// ---- readers -----------------------------------------------------------------------------------

export function pods(cluster: Cluster, selector?: string, namespace = 'default'): KubeObject[] {
  return cluster.api.list('Pod', namespace, selector !== undefined ? parseSelector(selector) : undefined);
}

export function podNames(cluster: Cluster, selector?: string, namespace = 'default'): string[] {
  return pods(cluster, selector, namespace).map((p) => p.metadata.name!);
}

export function condition(obj: KubeObject | undefined, type: string): any | undefined {
  return (obj?.status?.conditions ?? []).find((c: any) => c.type === type);
}

/** Kubernetes Events about an object, oldest first, as (reason, message, type, count). */
export function eventsFor(cluster: Cluster, kind: string, name: string, namespace = 'default'): { reason: string; message: string; type: string; count: number }[] {
  return cluster.api
    .list('Event', namespace)
    .filter((e: any) => e.involvedObject?.kind === kind && e.involvedObject?.name === name)
    .sort((a: any, b: any) => (a.firstTimestamp < b.firstTimestamp ? -1 : a.firstTimestamp > b.firstTimestamp ? 1 : 0))
    .map((e: any) => ({ reason: e.reason, message: e.message, type: e.type, count: e.count }));
}

/** Trace event records (Kubernetes Events in emission order) about an object. */
export function traceEvents(cluster: Cluster, kind: string, name: string): { t: number; reason: string; message: string; eventType: string }[] {
  return cluster.sim.trace.records
    .filter((r): r is Extract<typeof r, { type: 'event' }> => r.type === 'event' && r.kind === kind && r.name === name)
    .map((r) => ({ t: r.t, reason: r.reason, message: r.message, eventType: r.eventType }));
}

/** Time (ms) of the first trace record of the object being deleted from the API, or undefined. */
export function deletedAt(cluster: Cluster, kind: string, name: string): number | undefined {
  const r = cluster.sim.trace.records.find((x) => x.type === 'object' && x.op === 'deleted' && x.kind === kind && x.name === name);
  return r?.t;
}

/**
 * Make the API server refuse calls of `op` whose arguments `match` while `refusing()` says so,
 * as a quota, an admission plugin or a lost race would: the call throws an ApiError of `reason`
 * whose message ends "refused by the test (<op>)" after `prefix`. Returns the instants of every
 * matching call, refused or let through (the retry tests read the back-off from them).
 */
export function refuseApiCalls(
  cluster: Cluster,
  op: 'create' | 'update' | 'delete' | 'mutate',
  match: (args: any[]) => boolean,
  refusing: () => boolean,
  reason: StatusReason = 'Forbidden',
  prefix = '',
): number[] {
  const times: number[] = [];
  const api = cluster.api as any;
  const orig = api[op].bind(api);
  api[op] = (...args: any[]) => {
    if (match(args)) {
      times.push(cluster.sim.now);
      if (refusing()) throw new ApiError(reason, `${prefix}refused by the test (${op})`);
    }
    return orig(...args);
  };
  return times;
}

/** the kind an API call is about: create/update take the object, delete/mutate the kind first */
export function callKind(op: 'create' | 'update' | 'delete' | 'mutate', args: any[]): string {
  return op === 'create' || op === 'update' ? args[0]?.kind : args[0];
}

/** Make the API server refuse pod creates (or deletes) while `refusing()` says so, with a 403. */
export function refusePods(cluster: Cluster, op: 'create' | 'delete', refusing: () => boolean): number[] {
  return refuseApiCalls(cluster, op, (args) => callKind(op, args) === 'Pod', refusing, 'Forbidden', 'pods is forbidden: ');
}
