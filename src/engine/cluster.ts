// A simulated cluster: the API server plus the components that run against it. Components are
// started here and talk only through the API server, as in Kubernetes.

import { ApiServer } from '../api/server.js';
import { Simulation } from './sim.js';
import type { LatencyRange } from './component.js';
import type { Rng } from './rng.js';
import type { AppRegistry } from '../apps/registry.js';
import type { GitRepository } from '../kubelet/git_repo.js';

export interface Timing {
  /** API change -> a component's informer sees it */
  watchLatency: LatencyRange;
  /** a controller's work item -> processed */
  controllerLatency: LatencyRange;
  /** an unscheduled pod seen -> bound */
  schedulerLatency: LatencyRange;
  /** image pull before a container is created */
  imagePull: LatencyRange;
  /** kubelet sync period for configMap/secret volumes */
  kubeletSync: LatencyRange;
  /** Endpoints change -> each kube-proxy's rules change */
  endpointsPropagation: LatencyRange;
  kubeProxySync: LatencyRange;
  nodeMonitorGracePeriod: LatencyRange;
}

export interface NodeConfig {
  name: string;
  labels: Record<string, string>;
  capacity: Record<string, string>;
  taints: any[];
  unschedulable?: boolean;
}

export interface ClusterConfig {
  nodes: NodeConfig[];
  proxyMode: 'iptables' | 'ipvs' | 'userspace';
  kubernetesVersion: string;
  clusterDomain: string;
  /** addresses LoadBalancer Services get (CIDRs, first-last ranges or IPs); none: EXTERNAL-IP stays <pending> */
  loadBalancerPool?: string[];
  timing: Timing;
  /** git repositories the nodes can clone (`repositories:`, gitRepo volumes: src/kubelet/git_repo.ts) */
  repositories?: GitRepository[];
}

export interface Component {
  readonly name: string;
}

export class Cluster {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly components: Component[] = [];

  constructor(
    readonly config: ClusterConfig,
    seed: number,
    readonly apps: AppRegistry,
    eventBudget?: number,
  ) {
    // nodes join and leave at runtime (src/engine/nodes.ts): this run's own list, never the compiled scenario's
    this.config = { ...config, nodes: [...config.nodes] };
    this.sim = new Simulation(seed, eventBudget);
    this.api = new ApiServer(this.sim, { kubernetesVersion: config.kubernetesVersion });
  }

  /** A component's own random stream: depends only on the run seed and the name. */
  rng(name: string): Rng {
    return this.sim.rng.fork(name);
  }

  add<T extends Component>(c: T): T {
    this.components.push(c);
    return c;
  }

  get timing(): Timing {
    return this.config.timing;
  }
}
