// The scalability envelope (5,000 nodes, 150,000 pods, Services with 250 endpoints), divided by
// `div`: Deployments of 25 pods spread over namespaces, ten Deployments behind each Service (250
// endpoints), created at t=0 and run until every pod is Running and Ready; then a rolling update
// of every Deployment (a new image), run until every Deployment reports all its replicas updated
// and available and no old pod is left.
//
// A run may be given a wall-clock budget and a resident-memory cap (the bench measures the full
// envelope within its 5-minute total): when either runs out the run stops where it is and reports
// what it reached. Wall-clock time is read here, in the bench, never by the engine; stopping
// between two events changes nothing the engine computes.

import { Cluster, type ClusterConfig } from '../src/engine/cluster.js';
import { AppRegistry } from '../src/apps/registry.js';
import { startCluster } from '../src/engine/bootstrap.js';
import { parseDurationRange } from '../src/util/duration.js';
import type { KubeObject } from '../src/api/types.js';

export interface EnvelopeProgress {
  div: number;
  nodes: number;
  /** pods of the envelope (Deployments x 25) */
  pods: number;
  deployments: number;
  services: number;
  phase: 'setup' | 'ready' | 'rollout' | 'done';
  /** wall ms since the start of the run */
  elapsedMs: number;
  /** wall ms of building the cluster (nodes, kubelets, kube-proxies, bootstrap), part of readyMs */
  setupMs: number;
  /** pods created in phase 1 */
  created: number;
  /** pods bound to a node in phase 1 */
  bound: number;
  /** pods that became Ready in phase 1 */
  ready: number;
  /** wall ms from an empty cluster to every pod Ready (so far, while phase 1 runs) */
  readyMs: number;
  /** pods of the new template (the rolling update's) that became Ready in phase 2 */
  updatedReady: number;
  /** Deployments whose rolling update finished */
  rolled: number;
  /** wall ms of the rolling update of every Deployment (so far, while phase 2 runs) */
  rolloutMs: number;
  events: number;
  /** virtual ms */
  virtualMs: number;
  heapMb: number;
  rssMb: number;
  /** the process's peak resident set so far (getrusage maxrss) */
  peakRssMb: number;
  /** wall ms at which each tenth of the phase's pods became Ready: [phase 1 tenths, phase 2 tenths] */
  tenths: [number[], number[]];
}

export interface EnvelopeResult extends EnvelopeProgress {
  /** both phases ran to the end */
  finished: boolean;
  /** why an unfinished run stopped (crash: the process died, set by the bench from its last progress) */
  stoppedBy?: 'budget' | 'memory' | 'crash';
  /** wall ms of both phases (or until the run stopped) */
  wallMs: number;
}

export interface EnvelopeOptions {
  /** stop when this much wall time has passed since the start (ms) */
  budgetMs?: number;
  /** stop when the resident set grows past this (MiB) */
  rssCapMb?: number;
  /** called about every `progressEveryMs` of wall time */
  onProgress?: (p: EnvelopeProgress) => void;
  progressEveryMs?: number;
  /** called with the cluster when the run ends (memory studies: what the heap holds at the end) */
  inspect?: (cluster: Cluster) => void;
}

const PER_DEPLOYMENT = 25;
const DEPLOYMENTS_PER_SERVICE = 10; // 250 endpoints per Service
/** events between two looks at the wall clock and the resident set */
const CHECK_EVERY = 1024;

const isReady = (o: KubeObject | undefined) => o?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';

export function envelope(div: number, opts: EnvelopeOptions = {}): EnvelopeResult {
  const t0 = performance.now();
  const heap0 = process.memoryUsage().heapUsed;
  const nodes = Math.max(1, Math.round(5000 / div));
  const deployments = Math.max(DEPLOYMENTS_PER_SERVICE, Math.round(150_000 / div / PER_DEPLOYMENT));
  const services = Math.ceil(deployments / DEPLOYMENTS_PER_SERVICE);
  const namespaces = services; // one Service and its ten Deployments per namespace
  const target = deployments * PER_DEPLOYMENT;
  const p: EnvelopeProgress = {
    div, nodes, pods: target, deployments, services, phase: 'setup', elapsedMs: 0, setupMs: 0,
    created: 0, bound: 0, ready: 0, readyMs: 0, updatedReady: 0, rolled: 0, rolloutMs: 0, events: 0, virtualMs: 0,
    heapMb: 0, rssMb: 0, peakRssMb: 0, tenths: [[], []],
  };
  let stoppedBy: EnvelopeResult['stoppedBy'];
  let t1 = 0; // start of phase 2
  let cluster: Cluster | undefined;
  const measure = () => {
    const now = performance.now();
    p.elapsedMs = now - t0;
    if (p.phase === 'setup' || p.phase === 'ready') p.readyMs = p.elapsedMs;
    if (p.phase === 'rollout') p.rolloutMs = now - t1;
    p.events = cluster?.sim.eventCount ?? 0;
    p.virtualMs = cluster?.sim.now ?? 0;
    p.heapMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
    p.rssMb = process.memoryUsage.rss() / 2 ** 20;
    p.peakRssMb = process.resourceUsage().maxRSS / 1024;
    return now;
  };
  let nextProgress = t0 + (opts.progressEveryMs ?? 5000);
  let sinceCheck = 0;
  /** true when the budget or the memory cap ran out; reports progress on the way */
  const outOfBudget = (): boolean => {
    if (++sinceCheck < CHECK_EVERY) return false;
    sinceCheck = 0;
    const now = performance.now();
    if (opts.budgetMs !== undefined && now - t0 >= opts.budgetMs) stoppedBy = 'budget';
    else if (opts.rssCapMb !== undefined && process.memoryUsage.rss() / 2 ** 20 >= opts.rssCapMb) stoppedBy = 'memory';
    if (opts.onProgress && (stoppedBy || now >= nextProgress)) {
      measure();
      opts.onProgress({ ...p, tenths: [[...p.tenths[0]], [...p.tenths[1]]] });
      nextProgress = now + (opts.progressEveryMs ?? 5000);
    }
    return stoppedBy !== undefined;
  };
  const tenth = (phase: 0 | 1, count: number) => {
    if (count * 10 >= target * (p.tenths[phase].length + 1)) p.tenths[phase].push(performance.now() - (phase ? t1 : t0));
  };
  const finish = (): EnvelopeResult => {
    measure();
    if (cluster) opts.inspect?.(cluster);
    const finished = p.phase === 'done';
    return { ...p, finished, ...(stoppedBy && !finished ? { stoppedBy } : {}), wallMs: p.readyMs + p.rolloutMs };
  };

  const r = (s: string) => parseDurationRange(s);
  const config: ClusterConfig = {
    nodes: Array.from({ length: nodes }, (_, i) => ({ name: `node-${i + 1}`, labels: {}, capacity: { cpu: '64', memory: '256Gi', pods: '110' }, taints: [] })),
    proxyMode: 'iptables',
    kubernetesVersion: '1.34',
    clusterDomain: 'cluster.local',
    timing: {
      watchLatency: r('5ms'), controllerLatency: r('5ms'), schedulerLatency: r('10ms'), imagePull: r('0s'), kubeletSync: r('1m'),
      endpointsPropagation: r('0s'), kubeProxySync: r('0s'), nodeMonitorGracePeriod: r('50s'),
    },
  };
  cluster = new Cluster(config, 1, new AppRegistry([]), 1e10);
  startCluster(cluster);
  const c = cluster;
  p.setupMs = performance.now() - t0;
  p.phase = 'ready';
  const nsOf = (i: number) => `ns-${Math.floor(i / DEPLOYMENTS_PER_SERVICE)}`;
  c.sim.schedule(0, 'bench', () => {
    for (let n = 0; n < namespaces; n++) {
      c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } });
      c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: `ns-${n}` }, spec: { selector: { svc: 'svc' }, ports: [{ port: 80 }] } });
    }
    for (let i = 0; i < deployments; i++) {
      c.api.create({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `d-${i}`, namespace: nsOf(i) },
        spec: {
          replicas: PER_DEPLOYMENT,
          selector: { matchLabels: { app: `d-${i}` } },
          template: {
            metadata: { labels: { app: `d-${i}`, svc: 'svc' } },
            spec: { containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
          },
        },
      });
    }
  });

  // phase 1: every pod Ready; phase 2: every pod of the new template Ready (counted the same way)
  const stopReadyCount = c.api.watch((ev) => {
    if (p.phase === 'ready' && ev.type === 'ADDED') p.created++;
    if (p.phase === 'ready' && ev.type === 'MODIFIED' && ev.object.spec.nodeName && !ev.old?.spec.nodeName) p.bound++;
    if (ev.type !== 'MODIFIED' || !isReady(ev.object) || isReady(ev.old)) return;
    if (p.phase === 'ready') tenth(0, ++p.ready);
    else if (p.phase === 'rollout' && ev.object.spec.containers[0].image === 'nginx:1.28') tenth(1, ++p.updatedReady);
  }, ['Pod']);
  c.sim.runUntil(60 * 60 * 1000, () => p.ready >= target || outOfBudget());
  if (stoppedBy) return finish();
  measure();
  if (p.ready < target) throw new Error(`envelope 1/${div}: only ${p.ready} of ${target} pods became Ready`);

  // phase 2: a rolling update of every Deployment
  p.phase = 'rollout';
  t1 = performance.now();
  const complete = new Set<string>();
  c.api.watch((ev) => {
    const d = ev.object;
    const s = d.status ?? {};
    const done = d.metadata.generation === s.observedGeneration && d.spec.template.spec.containers[0].image === 'nginx:1.28'
      && s.updatedReplicas === PER_DEPLOYMENT && s.availableReplicas === PER_DEPLOYMENT && s.replicas === PER_DEPLOYMENT;
    if (done) complete.add(`${d.metadata.namespace}/${d.metadata.name}`);
    p.rolled = complete.size;
  }, ['Deployment']);
  c.sim.schedule(0, 'bench-rollout', () => {
    for (let i = 0; i < deployments; i++) {
      const live = c.api.get('Deployment', nsOf(i), `d-${i}`) as KubeObject;
      const next = structuredClone(live);
      next.spec.template.spec.containers[0].image = 'nginx:1.28';
      c.api.update(next);
    }
  });
  c.sim.runUntil(c.sim.now + 60 * 60 * 1000, () => complete.size >= deployments || outOfBudget());
  stopReadyCount();
  if (stoppedBy) return finish();
  if (complete.size < deployments) throw new Error(`envelope 1/${div}: only ${complete.size} of ${deployments} Deployments finished their rolling update`);
  measure();
  p.phase = 'done';
  return finish();
}
