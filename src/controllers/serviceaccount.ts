// The serviceaccounts controller (pkg/controller/serviceaccount/serviceaccounts_controller.go)
// makes sure every active namespace has the `default` ServiceAccount, re-creating it if deleted;
// the root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go)
// keeps a `kube-root-ca.crt` ConfigMap with the cluster CA in every namespace.

import type { Cluster, Component } from '../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../engine/component.js';
import { ApiError } from '../api/errors.js';
import { DEFAULT_SERVICE_ACCOUNT, ROOT_CA_CONFIGMAP } from '../admission/serviceaccount.js';

/** A stand-in PEM: there is no real CA in the simulation. */
export const SIMULATED_CA_CRT = '-----BEGIN CERTIFICATE-----\nkuberehearse simulated cluster CA\n-----END CERTIFICATE-----\n';

/**
 * Per-namespace "ensure one object" controller: namespace and object events enqueue the namespace.
 * A sync whose write fails is requeued rate-limited (DefaultControllerRateLimiter) with no retry
 * limit, as both upstream processNextWorkItems do; a successful sync forgets the failures.
 */
abstract class PerNamespaceController implements Component {
  abstract readonly name: string;
  protected readonly queue: WorkQueue;

  constructor(protected readonly cluster: Cluster, name: string, kind: string, objectName: string) {
    this.queue = controllerQueue(cluster, name, (ns) => this.processNextWorkItem(ns));
    controllerInformer(cluster, name, ['Namespace', kind], (ev) => {
      const o = ev.object;
      if (o.kind === 'Namespace') {
        if (ev.type !== 'DELETED') this.queue.add(o.metadata.name!);
      } else if (o.metadata.name === objectName && (ev.type === 'DELETED' || ev.type === 'MODIFIED')) {
        this.queue.add(o.metadata.namespace!);
      }
    });
    // the informer's initial list: namespaces that existed before the controller started
    for (const ns of cluster.api.list('Namespace')) this.queue.add(ns.metadata.name!);
  }

  private processNextWorkItem(ns: string): void {
    if (this.sync(ns)) this.queue.addRateLimited(ns);
    else this.queue.forget(ns);
  }

  /** syncNamespace; returns the write error that makes upstream requeue the namespace */
  private sync(ns: string): ApiError | undefined {
    const namespace = this.cluster.api.get('Namespace', undefined, ns);
    // a terminating namespace gets nothing new (syncNamespace checks the phase)
    if (!namespace || namespace.metadata.deletionTimestamp || namespace.status?.phase === 'Terminating') return undefined;
    try {
      this.ensure(ns);
      return undefined;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return this.ignored(e) ? undefined : e;
    }
  }

  protected abstract ensure(ns: string): void;
  /** the write errors the controller does not retry */
  protected abstract ignored(e: ApiError): boolean;
}

export class ServiceAccountsController extends PerNamespaceController {
  readonly name = 'serviceaccount-controller';
  constructor(cluster: Cluster) {
    super(cluster, 'serviceaccount-controller', 'ServiceAccount', DEFAULT_SERVICE_ACCOUNT);
  }
  protected ensure(ns: string): void {
    const api = this.cluster.api;
    if (api.get('ServiceAccount', ns, DEFAULT_SERVICE_ACCOUNT)) return;
    api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: ns } });
  }
  /** serviceaccounts_controller.go syncNamespace: AlreadyExists is success (and a terminating
   * namespace's refusal, which the simulated API server never gives) */
  protected ignored(e: ApiError): boolean {
    return e.reason === 'AlreadyExists';
  }
}

export class RootCACertPublisher extends PerNamespaceController {
  readonly name = 'root-ca-cert-publisher';
  constructor(cluster: Cluster) {
    super(cluster, 'root-ca-cert-publisher', 'ConfigMap', ROOT_CA_CONFIGMAP);
  }
  protected ensure(ns: string): void {
    const api = this.cluster.api;
    const cur = api.get('ConfigMap', ns, ROOT_CA_CONFIGMAP);
    if (!cur) {
      api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace: ns, annotations: { 'kubernetes.io/description': DESCRIPTION } }, data: { 'ca.crt': SIMULATED_CA_CRT } });
      return;
    }
    // an edited copy is put back (publisher.go syncNamespace compares data)
    const data = (cur.data ?? {}) as Record<string, string>;
    if (data['ca.crt'] !== SIMULATED_CA_CRT || Object.keys(data).length !== 1) {
      api.update({ ...cur, data: { 'ca.crt': SIMULATED_CA_CRT } });
    }
  }
  /** publisher.go syncNamespace: a create is not retried when the namespace is gone (or
   * terminating); every other error is */
  protected ignored(e: ApiError): boolean {
    return e.reason === 'NotFound';
  }
}

const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';
