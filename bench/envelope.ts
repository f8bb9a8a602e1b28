// The scalability envelope (5,000 nodes, 150,000 pods, Services with 250 endpoints), divided by
// `div`: Deployments of 25 pods spread over namespaces, ten Deployments behind each Service (250
// endpoints), created at t=0 and run until every pod is Running and Ready; then a rolling update
// of every Deployment (a new image), run until every Deployment reports all its replicas updated
// and available and no old pod is left.

import { Cluster, type ClusterConfig } from '../src/engine/cluster.js';
import { AppRegistry } from '../src/apps/registry.js';
import { startCluster } from '../src/engine/bootstrap.js';
import { parseDurationRange } from '../src/util/duration.js';
import type { KubeObject } from '../src/api/types.js';

export interface EnvelopeResult {
  nodes: number;
  pods: number;
  deployments: number;
  services: number;
  /** wall time from an empty cluster to every pod Ready */
  readyMs: number;
  /** wall time of the rolling update of every Deployment */
  rolloutMs: number;
  /** both phases */
  wallMs: number;
  events: number;
  heapMb: number;
  /** the process's peak resident set so far (getrusage maxrss) */
  peakRssMb: number;
}

const PER_DEPLOYMENT = 25;
const DEPLOYMENTS_PER_SERVICE = 10; // 250 endpoints per Service

export function envelope(div: number): EnvelopeResult {
  const nodes = Math.max(1, Math.round(5000 / div));
  const deployments = Math.max(DEPLOYMENTS_PER_SERVICE, Math.round(150_000 / div / PER_DEPLOYMENT));
  const services = Math.ceil(deployments / DEPLOYMENTS_PER_SERVICE);
  const namespaces = services; // one Service and its ten Deployments per namespace
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
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const cluster = new Cluster(config, 1, new AppRegistry([]), 1e10);
  startCluster(cluster);
  const nsOf = (i: number) => `ns-${Math.floor(i / DEPLOYMENTS_PER_SERVICE)}`;
  cluster.sim.schedule(0, 'bench', () => {
    for (let n = 0; n < namespaces; n++) {
      cluster.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } });
      cluster.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: `ns-${n}` }, spec: { selector: { svc: 'svc' }, ports: [{ port: 80 }] } });
    }
    for (let i = 0; i < deployments; i++) {
      cluster.api.create({
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

  // phase 1: every pod Ready
  let ready = 0;
  const stopReadyCount = cluster.api.watch((ev) => {
    if (ev.type !== 'MODIFIED') return;
    const was = ev.old?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
    const is = ev.object.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
    if (is && !was) ready++;
  }, ['Pod']);
  const target = deployments * PER_DEPLOYMENT;
  cluster.sim.runUntil(60 * 60 * 1000, () => ready >= target);
  const readyMs = performance.now() - t0;
  if (ready < target) throw new Error(`envelope 1/${div}: only ${ready} of ${target} pods became Ready`);
  stopReadyCount();

  // phase 2: a rolling update of every Deployment
  const t1 = performance.now();
  const complete = new Set<string>();
  cluster.api.watch((ev) => {
    const d = ev.object;
    const s = d.status ?? {};
    const done = d.metadata.generation === s.observedGeneration && d.spec.template.spec.containers[0].image === 'nginx:1.28'
      && s.updatedReplicas === PER_DEPLOYMENT && s.availableReplicas === PER_DEPLOYMENT && s.replicas === PER_DEPLOYMENT;
    if (done) complete.add(`${d.metadata.namespace}/${d.metadata.name}`);
  }, ['Deployment']);
  cluster.sim.schedule(0, 'bench-rollout', () => {
    for (let i = 0; i < deployments; i++) {
      const live = cluster.api.get('Deployment', nsOf(i), `d-${i}`) as KubeObject;
      const next = structuredClone(live);
      next.spec.template.spec.containers[0].image = 'nginx:1.28';
      cluster.api.update(next);
    }
  });
  cluster.sim.runUntil(cluster.sim.now + 60 * 60 * 1000, () => complete.size >= deployments);
  const rolloutMs = performance.now() - t1;
  if (complete.size < deployments) throw new Error(`envelope 1/${div}: only ${complete.size} of ${deployments} Deployments finished their rolling update`);
  return {
    nodes, pods: target, deployments, services,
    readyMs, rolloutMs, wallMs: readyMs + rolloutMs,
    events: cluster.sim.eventCount,
    heapMb: (process.memoryUsage().heapUsed - heap0) / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
