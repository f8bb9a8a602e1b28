// A load-balancer implementation for bare clusters, MetalLB-like: when the scenario declares
// `cluster.loadBalancerPool`, LoadBalancer Services get the first free address of the pool in
// status.loadBalancer.ingress (ipMode VIP, SetDefaults_Service with LoadBalancerIPMode). Without
// a pool nothing assigns one and EXTERNAL-IP stays <pending>, as on kind or kubeadm clusters with
// no cloud provider. `spec.loadBalancerIP` (deprecated) is honoured when it is in the pool.

import type { Cluster, Component } from '../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import { objectKey } from '../api/store.js';
import { AddressPool } from './address_pool.js';

export class LoadBalancerController implements Component {
  readonly name = 'loadbalancer-controller';
  private readonly pool: AddressPool;
  private readonly queue: WorkQueue;
  /** ip -> service key */
  private readonly assigned = new Map<string, string>();

  constructor(private readonly cluster: Cluster) {
    this.pool = new AddressPool(cluster.config.loadBalancerPool ?? []);
    this.queue = controllerQueue(cluster, this.name, (key) => this.sync(key));
    controllerInformer(cluster, this.name, ['Service'], (ev) => {
      const o = ev.object;
      const key = objectKey('Service', o.metadata.namespace, o.metadata.name!);
      if (ev.type === 'DELETED') this.releaseFor(key);
      else this.queue.add(key);
    });
  }

  private releaseFor(key: string): void {
    let freed = false;
    for (const [ip, k] of [...this.assigned]) {
      if (k !== key) continue;
      this.assigned.delete(ip);
      freed = true;
    }
    if (!freed) return;
    // a freed address goes to a Service still waiting for one
    for (const svc of this.cluster.api.list('Service')) {
      if (svc.spec?.type === 'LoadBalancer' && !(svc.status?.loadBalancer?.ingress ?? []).length) this.queue.add(objectKey('Service', svc.metadata.namespace, svc.metadata.name!));
    }
  }

  private sync(key: string): void {
    const svc = this.cluster.api.store.getByKey(key);
    if (!svc) return this.releaseFor(key);
    const current: string[] = (svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip).filter(Boolean);
    if (svc.spec?.type !== 'LoadBalancer') {
      if (current.length && current.every((ip) => this.assigned.get(ip) === key)) {
        this.releaseFor(key);
        this.setIngress(svc, undefined);
      }
      return;
    }
    if (this.pool.empty || (current.length && current.every((ip) => this.assigned.get(ip) === key))) return;
    const wanted: string | undefined = svc.spec?.loadBalancerIP;
    let ip: string | undefined;
    if (wanted) ip = this.pool.contains(wanted) && !this.assigned.has(wanted) ? wanted : undefined;
    else ip = this.pool.firstFree((a) => this.assigned.has(a));
    if (!ip) {
      this.cluster.api.recordEvent(svc, 'Warning', 'AllocationFailed', wanted ? `Failed to allocate IP for "${key.split('/').slice(1).join('/')}": ${wanted} is not available in the pool` : `Failed to allocate IP for "${key.split('/').slice(1).join('/')}": no available IPs`, this.name);
      return;
    }
    for (const [a, k] of [...this.assigned]) if (k === key) this.assigned.delete(a);
    this.assigned.set(ip, key);
    this.setIngress(svc, ip);
    this.cluster.api.recordEvent(svc, 'Normal', 'IPAllocated', `Assigned IP ["${ip}"]`, this.name);
  }

  private setIngress(svc: KubeObject, ip: string | undefined): void {
    this.cluster.api.mutate('Service', svc.metadata.namespace, svc.metadata.name!, (d) => {
      d.status ??= {};
      d.status.loadBalancer = ip ? { ingress: [{ ip, ipMode: 'VIP' }] } : {};
    }, 'status');
  }
}
