// The TaintNodesByCondition admission plugin (plugin/pkg/admission/nodetaint/admission.go): every
// Node created through the API gets the node.kubernetes.io/not-ready:NoSchedule taint, so nothing
// is scheduled there before its kubelet has posted Ready; the node lifecycle controller removes the
// taint once the node is Ready (src/controllers/nodelifecycle.ts).
//
// The nodes of the scenario's `cluster:` are the cluster as kubeadm left it, long since Ready and
// untainted: the plugin is switched on after they registered (src/engine/nodes.ts), so it acts on
// the nodes that join while the scenario runs.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';

const enabled = new WeakSet<ApiServer>();

export function enableNodeTaintAdmission(api: ApiServer): void {
  enabled.add(api);
}

/** addNotReadyTaint, on CREATE of a Node: appended unless a taint with that key and effect is already there */
export function admitNodeTaint(api: ApiServer, node: KubeObject): void {
  if (!enabled.has(api)) return;
  node.spec ??= {};
  const taints: any[] = node.spec.taints ?? [];
  if (taints.some((t) => t.key === TAINT_NODE_NOT_READY && t.effect === 'NoSchedule')) return;
  node.spec.taints = [...taints, { key: TAINT_NODE_NOT_READY, effect: 'NoSchedule' }];
}
