// The DaemonSet RollingUpdate step (pkg/controller/daemon/update.go rollingUpdate): without surge,
// delete just enough old pods to stay within maxUnavailable and let manage recreate them; with
// surge, create new pods beside old ones (up to maxSurge at once) and delete an old pod once the
// new one on its node is available. Upstream walks a Go map (random order); we walk nodes by name.

import type { KubeObject } from '../../api/types.js';
import { isPodAvailable } from '../controller_utils.js';
import { findUpdatedPodsOnNode, nodeShouldRunDaemonPod, surgeAndUnavailable } from './util.js';

export interface RollingUpdatePlan {
  podsToDelete: string[];
  nodesToCreate: string[];
  maxSurge: number;
  maxUnavailable: number;
  desired: number;
}

export function rollingUpdatePlan(
  ds: KubeObject,
  nodes: KubeObject[],
  nodeToDaemonPods: Map<string, KubeObject[]>,
  hash: string,
  templateGeneration: number | undefined,
  now: number,
): RollingUpdatePlan {
  const minReady: number = ds.spec?.minReadySeconds ?? 0;
  const available = (p: KubeObject) => isPodAvailable(p, minReady, now);
  // updatedDesiredNodeCounts: nodes that should run a pod but have none count as entries too
  const byNode = new Map(nodeToDaemonPods);
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds)[0]) continue;
    desired++;
    if (!byNode.has(node.metadata.name!)) byNode.set(node.metadata.name!, []);
  }
  const { maxSurge, maxUnavailable } = surgeAndUnavailable(ds, desired);
  const nodeNames = [...byNode.keys()].sort();
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  const shouldRun = (name: string) => {
    const n = nodeByName.get(name);
    return !!n && nodeShouldRunDaemonPod(n, ds)[0];
  };

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowedReplacementPods: string[] = [];
    const candidatePodsToDelete: string[] = [];
    for (const name of nodeNames) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(byNode.get(name)!, hash, templateGeneration);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) allowedReplacementPods.push(oldPod.metadata.name!);
        else if (numUnavailable >= maxUnavailable) continue;
        else candidatePodsToDelete.push(oldPod.metadata.name!);
      }
    }
    const remaining = Math.min(Math.max(maxUnavailable - numUnavailable, 0), candidatePodsToDelete.length);
    return { podsToDelete: [...allowedReplacementPods, ...candidatePodsToDelete.slice(0, remaining)], nodesToCreate: [], maxSurge, maxUnavailable, desired };
  }

  const oldPodsToDelete: string[] = [];
  const shouldNotRunPodsToDelete: string[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const name of nodeNames) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(byNode.get(name)!, hash, templateGeneration);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod) {
      if (available(oldPod)) numAvailable++;
    } else if (newPod && available(newPod)) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(name)) {
          oldPodsToDelete.push(oldPod.metadata.name!);
          continue;
        }
        allowedNewNodes.push(name);
      } else {
        if (!shouldRun(name)) {
          shouldNotRunPodsToDelete.push(oldPod.metadata.name!);
          continue;
        }
        if (numSurge >= maxSurge) continue;
        candidateNewNodes.push(name);
      }
      continue;
    }
    // both: wait for the new pod, then retire the old one
    if (!available(newPod)) {
      numSurge++;
      continue;
    }
    oldPodsToDelete.push(oldPod.metadata.name!);
  }
  // with surge the owner expects full availability: a pod on a node that no longer qualifies goes
  // only once enough pods elsewhere are available
  const deletable = Math.min(numAvailable - desired, shouldNotRunPodsToDelete.length);
  if (deletable > 0) oldPodsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(maxSurge - numSurge, 0), candidateNewNodes.length);
  return { podsToDelete: oldPodsToDelete, nodesToCreate: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)], maxSurge, maxUnavailable, desired };
}
