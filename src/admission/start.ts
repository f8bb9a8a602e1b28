// Starting what the access and policy model needs at cluster start: the bootstrap RBAC policy
// (the API server's post-start hook), the serviceaccount and root-ca-cert-publisher controllers
// and the resource quota controller (kube-controller-manager).

import type { Cluster } from '../engine/cluster.js';
import { createBootstrapPolicy } from '../rbac/bootstrap.js';
import { RootCACertPublisher, ServiceAccountsController } from '../controllers/serviceaccount.js';
import { ResourceQuotaController } from '../controllers/resourcequota.js';

export function startAccessControl(cluster: Cluster): void {
  createBootstrapPolicy(cluster.api);
  cluster.add(new ServiceAccountsController(cluster));
  cluster.add(new RootCACertPublisher(cluster));
  cluster.add(new ResourceQuotaController(cluster));
}
