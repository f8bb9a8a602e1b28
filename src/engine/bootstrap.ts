// Starting a simulated cluster as kubeadm would leave it: the system namespaces, the control
// plane's controllers and scheduler, and a kubelet per node that registers its Node.

import type { Cluster } from './cluster.js';
import { GarbageCollector } from '../controllers/garbagecollector.js';
import { ReplicaSetController } from '../controllers/replicaset.js';
import { DeploymentController } from '../controllers/deployment/deployment_controller.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { PersistentVolumeController } from '../storage/pv_controller.js';
import { StatefulSetController } from '../controllers/statefulset/controller.js';
import { DaemonSetController } from '../controllers/daemonset/controller.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { JobController } from '../controllers/job/job_controller.js';
import { CronJobController } from '../controllers/cronjob/cronjob_controller.js';
import { HorizontalPodAutoscalerController } from '../controllers/podautoscaler/horizontal.js';
import { TTLAfterFinishedController } from '../controllers/ttlafterfinished.js';
import { DisruptionController } from '../controllers/disruption.js';
import { NodeLifecycleController } from '../controllers/nodelifecycle.js';
import { TaintEvictionController } from '../controllers/tainteviction.js';
import { PodGCController } from '../controllers/podgc.js';
import { NodeManager } from './nodes.js';
import { startServiceNetwork } from '../network/controlplane.js';
import { EndpointsController } from '../network/endpoints.js';
import { EndpointSliceController, EndpointSliceMirroringController } from '../network/endpointslice.js';
import { LoadBalancerController } from '../network/loadbalancer.js';
import { startNetwork } from '../network/traffic.js';
import { startAccessControl } from '../admission/start.js';
import { createSystemPriorityClasses } from '../admission/priority.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function startCluster(cluster: Cluster): void {
  for (const ns of SYSTEM_NAMESPACES) cluster.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  createSystemPriorityClasses(cluster.api); // the API server's post-start hook
  startAccessControl(cluster); // RBAC defaults, ServiceAccounts, kube-root-ca.crt, quota usage
  cluster.add(new GarbageCollector(cluster));
  cluster.add(new ReplicaSetController(cluster, 'ReplicaSet'));
  cluster.add(new ReplicaSetController(cluster, 'ReplicationController'));
  cluster.add(new DeploymentController(cluster));
  cluster.add(new StatefulSetController(cluster));
  cluster.add(new DaemonSetController(cluster));
  cluster.add(new JobController(cluster));
  cluster.add(new CronJobController(cluster));
  cluster.add(new HorizontalPodAutoscalerController(cluster));
  cluster.add(new TTLAfterFinishedController(cluster));
  cluster.add(new DisruptionController(cluster));
  cluster.add(new NodeLifecycleController(cluster));
  cluster.add(new TaintEvictionController(cluster));
  cluster.add(new PodGCController(cluster));
  cluster.add(new Scheduler(cluster));
  cluster.add(new PersistentVolumeController(cluster));
  cluster.add(new EndpointsController(cluster));
  cluster.add(new EndpointSliceController(cluster));
  cluster.add(new EndpointSliceMirroringController(cluster));
  cluster.add(new LoadBalancerController(cluster));
  startServiceNetwork(cluster);
  cluster.config.nodes.forEach((n, i) => {
    const k = cluster.add(new Kubelet(cluster, n, i));
    k.register();
  });
  startNetwork(cluster); // kube-proxy per node, ingress-nginx, client traffic (after the Nodes exist)
  cluster.add(new NodeManager(cluster)); // nodes created or deleted while the scenario runs
}
