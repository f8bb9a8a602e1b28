// Starting a simulated cluster as kubeadm would leave it: the system namespaces, the control
// plane's controllers and scheduler, and a kubelet per node that registers its Node.

import type { Cluster } from './cluster.js';
import { GarbageCollector } from '../controllers/garbagecollector.js';
import { ReplicaSetController } from '../controllers/replicaset.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { Kubelet } from '../kubelet/kubelet.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function startCluster(cluster: Cluster): void {
  for (const ns of SYSTEM_NAMESPACES) cluster.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  cluster.add(new GarbageCollector(cluster));
  cluster.add(new ReplicaSetController(cluster, 'ReplicaSet'));
  cluster.add(new ReplicaSetController(cluster, 'ReplicationController'));
  cluster.add(new Scheduler(cluster));
  cluster.config.nodes.forEach((n, i) => {
    const k = cluster.add(new Kubelet(cluster, n, i));
    k.register();
  });
}
