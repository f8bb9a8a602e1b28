// daemonSetCoverage: a DaemonSet runs one pod on every node that should run it
// (pkg/controller/daemon/daemon_controller.go podsShouldBeOnNode / NodeShouldRunDaemonPod).
// A node should run it when the pod template's nodeSelector matches the node and every
// NoSchedule/NoExecute taint is tolerated, counting the tolerations the controller adds to daemon
// pods (util.AddOrUpdateDaemonPodTolerations: not-ready, unreachable, disk/memory/pid-pressure,
// unschedulable, network-unavailable). A node's daemon pod is an active pod owned by the set and
// bound to (or, pending, targeted at) that node. Missing coverage, or a second pod on a node when
// maxSurge is 0, is a violation when it outlives 30s (rolling updates replace pods one by one).

import type { KubeObject } from '../../api/types.js';
import type { InvariantDef, Violation } from './types.js';
import { GraceTracker, ownedPods, type Mismatch } from './util.js';
import { isPodActive } from '../../controllers/controller_utils.js';

export const DAEMON_COVERAGE_GRACE_MS = 30_000;

const DAEMON_TOLERATED = new Set([
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/unschedulable',
  'node.kubernetes.io/network-unavailable',
]);

function tolerates(tolerations: any[], taint: any): boolean {
  if (DAEMON_TOLERATED.has(taint.key)) return true;
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

export function nodeShouldRunDaemon(ds: KubeObject, node: KubeObject): boolean {
  const spec = ds.spec?.template?.spec ?? {};
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerates(spec.tolerations ?? [], taint)) return false;
  }
  return true;
}

/** The node a daemon pod is for: bound, or the matchFields node affinity the controller sets. */
export function daemonPodNode(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

export const daemonSetCoverage: InvariantDef = {
  name: 'daemonSetCoverage',
  summary: 'every DaemonSet has one active pod on each node that should run it (two only while surging), within 30s',
  kinds: ['DaemonSet', 'Pod', 'Node'],
  create() {
    const grace = new GraceTracker(DAEMON_COVERAGE_GRACE_MS);
    return {
      check({ api, now }): Violation | undefined {
        const mismatches: Mismatch[] = [];
        const nodes = api.list('Node');
        for (const ds of api.list('DaemonSet')) {
          if (ds.metadata.deletionTimestamp) continue;
          const pods = ownedPods(api, ds).filter(isPodActive);
          const perNode = new Map<string, KubeObject[]>();
          for (const p of pods) {
            const n = daemonPodNode(p);
            if (n) perNode.set(n, [...(perNode.get(n) ?? []), p]);
          }
          const surge = ds.spec?.updateStrategy?.rollingUpdate?.maxSurge;
          const mayDouble = surge !== undefined && surge !== 0 && surge !== '0%';
          for (const node of nodes) {
            const name = node.metadata.name!;
            const here = perNode.get(name) ?? [];
            if (nodeShouldRunDaemon(ds, node) && here.length === 0) {
              mismatches.push({ key: `${ds.metadata.uid}/${name}/missing`, message: `daemonset/${ds.metadata.name} has no pod on node ${name}`, involved: pods, kind: 'Pod' });
            } else if (here.length > (mayDouble ? 2 : 1)) {
              mismatches.push({ key: `${ds.metadata.uid}/${name}/extra`, message: `daemonset/${ds.metadata.name} has ${here.length} pods on node ${name}`, involved: here, kind: 'Pod' });
            }
          }
        }
        const v = grace.update(mismatches, now);
        return v ? { message: grace.describe(v, now), involved: { kind: v.m.kind, objects: v.m.involved } } : undefined;
      },
      wakeAt: () => grace.wakeAt(),
    };
  },
};
