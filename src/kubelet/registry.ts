// The kubelets of a run, by API server: expectation subjects only get the API server, and read a
// container's live state (env, files) from the kubelet that runs the pod.
import type { ApiServer } from '../api/server.js';
import type { Cluster } from '../engine/cluster.js';
import type { Kubelet } from './kubelet.js';

const kubelets = new WeakMap<ApiServer, Map<string, Kubelet>>();

export function registerKubelet(cluster: Cluster, k: Kubelet): void {
  let m = kubelets.get(cluster.api);
  if (!m) kubelets.set(cluster.api, (m = new Map()));
  m.set(k.nodeName, k);
}

export function kubeletFor(api: ApiServer, nodeName: string): Kubelet | undefined {
  return kubelets.get(api)?.get(nodeName);
}

/** a stopped kubelet (its node was deleted) is no longer found */
export function unregisterKubelet(cluster: Cluster, k: Kubelet): void {
  const m = kubelets.get(cluster.api);
  if (m?.get(k.nodeName) === k) m.delete(k.nodeName);
}
