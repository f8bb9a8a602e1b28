// Nodes that join or leave while a scenario runs. The nodes of `cluster:` are started by
// bootstrap.ts; after that, a Node created through the API (`kubectl apply`/`create` of a Node
// manifest, or a Node among the scenario's manifests) stands for a machine joining the cluster:
// its kubelet starts and takes the Node over (tryRegisterWithAPIServer finds it and reconciles
// labels and status), and its kube-proxy starts. The node arrives with the
// node.kubernetes.io/not-ready:NoSchedule taint of the TaintNodesByCondition admission plugin
// (src/admission/nodetaint.ts), which the node lifecycle controller removes once the kubelet has
// posted Ready. A deleted Node stands for the machine leaving: its kubelet and kube-proxy stop;
// the pods still bound to it are left to PodGC (src/controllers/podgc.ts).
//
// Upstream a Node object and a machine are separate things (deleting a Node whose kubelet still
// runs does not stop it); here they are one, so that "a node is added/removed" can be written
// with kubectl's own verbs.

import type { Cluster, Component, NodeConfig } from './cluster.js';
import { Informer } from './component.js';
import type { WatchEvent } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { kubeletFor } from '../kubelet/registry.js';
import { KubeProxy, kubeProxyOf } from '../network/proxy/kubeproxy.js';
import { enableNodeTaintAdmission } from '../admission/nodetaint.js';

/** the capacity of a node whose manifest gives none: the scenario compiler's default for `cluster.nodes` */
export const JOINED_NODE_DEFAULT_CAPACITY: Record<string, string> = { cpu: '4', memory: '8Gi', pods: '110' };

/** The NodeConfig a joining Node manifest describes (labels, capacity from status.capacity, taints, unschedulable). */
export function nodeConfigOf(node: KubeObject): NodeConfig {
  const capacity: Record<string, string> = { ...JOINED_NODE_DEFAULT_CAPACITY };
  for (const [k, v] of Object.entries(node.status?.capacity ?? {})) capacity[k] = String(v);
  return {
    name: node.metadata.name!,
    labels: { ...(node.metadata.labels ?? {}) },
    capacity,
    // the Node object keeps its own taints; the kubelet's registration adds none
    taints: [],
    ...(node.spec?.unschedulable ? { unschedulable: true } : {}),
  };
}

export class NodeManager implements Component {
  readonly name = 'node-manager';
  /** the next node index (pod CIDR 10.244.<i>.0/24, InternalIP 172.18.0.<i+2>), never reused */
  private nextIndex: number;

  constructor(private readonly cluster: Cluster) {
    this.nextIndex = cluster.config.nodes.length;
    // the admission plugin acts on every Node created from now on (not on the bootstrap nodes)
    enableNodeTaintAdmission(cluster.api);
    new Informer(cluster.sim, cluster.api, this.name, ['Node'], cluster.timing.watchLatency, cluster.rng(`${this.name}/informer`), (ev) => this.onEvent(ev));
  }

  private onEvent(ev: WatchEvent): void {
    const name = ev.object.metadata.name!;
    if (ev.type === 'DELETED') return this.leave(name, ev.object.metadata.uid);
    if (ev.type !== 'ADDED') return;
    const node = this.cluster.api.get('Node', undefined, name);
    if (!node || node.metadata.uid !== ev.object.metadata.uid || kubeletFor(this.cluster.api, name)) return;
    this.join(node);
  }

  /** a machine joins: its kubelet registers (taking the Node over), then its kube-proxy starts */
  private join(node: KubeObject): void {
    const cluster = this.cluster;
    const cfg = nodeConfigOf(node);
    cluster.config.nodes.push(cfg);
    const kubelet = cluster.add(new Kubelet(cluster, cfg, this.nextIndex++));
    kubelet.register();
    const registered = cluster.api.get('Node', undefined, cfg.name);
    cluster.add(new KubeProxy(cluster, cfg.name, kubelet.nodeIP, registered?.metadata.labels?.['topology.kubernetes.io/zone']));
    cluster.sim.trace.add({ t: cluster.sim.now, type: 'note', message: `node ${cfg.name} joined: kubelet and kube-proxy started (InternalIP ${kubelet.nodeIP}, podCIDR ${kubelet.podCIDR})` });
  }

  /** the machine of a deleted Node leaves: kubelet and kube-proxy stop */
  private leave(name: string, uid: string | undefined): void {
    const cluster = this.cluster;
    // a Node of the same name created again meanwhile keeps its machine
    const now = cluster.api.get('Node', undefined, name);
    if (now && now.metadata.uid !== uid) return;
    const kubelet = kubeletFor(cluster.api, name);
    if (!kubelet) return;
    kubelet.stop();
    kubeProxyOf(cluster, name)?.stop();
    const i = cluster.config.nodes.findIndex((n) => n.name === name);
    if (i >= 0) cluster.config.nodes.splice(i, 1);
    cluster.sim.trace.add({ t: cluster.sim.now, type: 'note', message: `node ${name} left: kubelet and kube-proxy stopped` });
  }
}
