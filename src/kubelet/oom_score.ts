// oom_score_adj the kubelet gives a container, as pkg/kubelet/qos/policy.go
// GetContainerOOMScoreAdjust: the kernel kills the highest score first, so BestEffort pods die
// before Burstable ones, and Burstable ones in proportion to how little memory they requested.
// Pod-level resources are not modelled here (the pod's requests come from its containers).

import { computePodQOS } from '../api/qos.js';
import { parseQuantity, toValue } from '../api/quantity.js';

export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BEST_EFFORT_OOM_SCORE_ADJ = 1000;
/** KubeletOOMScoreAdj / KubeProxyOOMScoreAdj */
export const KUBELET_OOM_SCORE_ADJ = -999;

/** memoryCapacity in bytes (the node's machine memory). */
export function containerOOMScoreAdjust(pod: any, container: any, memoryCapacity: number): number {
  // node-critical pods (IsNodeCriticalPod) are protected like Guaranteed ones
  if (pod?.spec?.priorityClassName === 'system-node-critical') return GUARANTEED_OOM_SCORE_ADJ;
  const qos = pod?.status?.qosClass ?? computePodQOS(pod?.spec);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BEST_EFFORT_OOM_SCORE_ADJ;
  const cap = BigInt(memoryCapacity);
  const adjFor = (c: any) => 1000 - Number((1000n * memRequest(c)) / cap);
  let adj = adjFor(container);
  // a restartable init container (sidecar) is scored no higher than the regular container
  // with the smallest memory request, so it is not killed before the app it serves
  const isSidecar = (pod?.spec?.initContainers ?? []).some((c: any) => c.name === container.name && c.restartPolicy === 'Always');
  if (isSidecar) {
    const regular = pod?.spec?.containers ?? [];
    if (regular.length > 0) {
      const minReq = regular.map(memRequest).reduce((a: bigint, b: bigint) => (b < a ? b : a));
      adj = Math.min(adj, 1000 - Number((1000n * minReq) / cap));
    }
  }
  // a Burstable container never reaches Guaranteed's or BestEffort's score
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BEST_EFFORT_OOM_SCORE_ADJ) return BEST_EFFORT_OOM_SCORE_ADJ - 1;
  return adj;
}

function memRequest(c: any): bigint {
  const r = c?.resources?.requests?.memory;
  return r === undefined ? 0n : toValue(parseQuantity(r));
}
