// The Service networking parts of the control plane a kubeadm cluster starts with: the API
// server's Service allocators configured from the scenario's cluster, and the `default/kubernetes`
// Service (pkg/controlplane/controller/kubernetesservice).

import type { Cluster } from '../engine/cluster.js';
import { configureNetwork, createKubernetesService } from './services.js';

export function startServiceNetwork(cluster: Cluster): void {
  configureNetwork(cluster.api, { clusterDomain: cluster.config.clusterDomain, loadBalancerPool: cluster.config.loadBalancerPool ?? [] });
  createKubernetesService(cluster.api);
}
