// The scalability envelope (5,000 nodes, 150,000 pods, Services with 250 endpoints), divided by
// `div`: ReplicaSets of 30 pods spread over namespaces, created at t=0 and run until every pod
// is Running and Ready. Rolling updates join once Deployments are modelled.

import { Cluster, type ClusterConfig } from '../src/engine/cluster.js';
import { AppRegistry } from '../src/apps/registry.js';
import { startCluster } from '../src/engine/bootstrap.js';
import { parseDurationRange } from '../src/util/duration.js';

export interface EnvelopeResult {
  nodes: number;
  pods: number;
  wallMs: number;
  events: number;
  heapMb: number;
  rssMb: number;
}

export function envelope(div: number): EnvelopeResult {
  const nodes = Math.max(1, Math.round(5000 / div));
  const pods = Math.max(30, Math.round(150_000 / div));
  const perRs = 30;
  const rsCount = Math.ceil(pods / perRs);
  const namespaces = Math.max(1, Math.round(rsCount / 10));
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
  const cluster = new Cluster(config, 1, new AppRegistry([]), 1e9);
  startCluster(cluster);
  cluster.sim.schedule(0, 'bench', () => {
    for (let n = 0; n < namespaces; n++) cluster.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } });
    for (let i = 0; i < rsCount; i++) {
      cluster.api.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `rs-${i}`, namespace: `ns-${i % namespaces}` },
        spec: {
          replicas: perRs,
          selector: { matchLabels: { app: `rs-${i}` } },
          template: { metadata: { labels: { app: `rs-${i}` } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
        },
      });
    }
  });
  let ready = 0;
  cluster.api.watch((ev) => {
    if (ev.type !== 'MODIFIED') return;
    const was = ev.old?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
    const is = ev.object.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
    if (is && !was) ready++;
  }, ['Pod']);
  const target = rsCount * perRs;
  cluster.sim.runUntil(60 * 60 * 1000, () => ready >= target);
  const wallMs = performance.now() - t0;
  if (ready < target) throw new Error(`envelope 1/${div}: only ${ready} of ${target} pods became Ready`);
  return { nodes, pods: target, wallMs, events: cluster.sim.eventCount, heapMb: (process.memoryUsage().heapUsed - heap0) / 2 ** 20, rssMb: process.memoryUsage().rss / 2 ** 20 };
}
