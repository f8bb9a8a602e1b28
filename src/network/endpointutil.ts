// What both endpoint controllers share (staging k8s.io/endpointslice util/controller_utils.go and
// utils.go, pkg/api/v1/pod/util.go FindPort): which pods are endpoints, how a named targetPort
// resolves per pod, and the hostname rule that gives StatefulSet pods their DNS names.

import type { KubeObject } from '../api/types.js';
import { isPodReady } from '../controllers/controller_utils.js';

export { isPodReady };

/** ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless tolerated. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/**
 * FindPort: an int targetPort is used as-is; a name is looked up in the containers' ports (same
 * protocol), then in restartable init containers (sidecars). undefined: the pod has no such port.
 */
export function findPort(pod: KubeObject, svcPort: { targetPort?: unknown; port?: number; protocol?: string }): number | undefined {
  const tp = svcPort.targetPort ?? svcPort.port;
  if (typeof tp === 'number') return tp;
  const name = String(tp);
  const protocol = svcPort.protocol ?? 'TCP';
  const search = (containers: any[] | undefined, sidecarsOnly: boolean): number | undefined => {
    for (const c of containers ?? []) {
      if (sidecarsOnly && c?.restartPolicy !== 'Always') continue;
      for (const p of c?.ports ?? []) if (p?.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
    return undefined;
  };
  return search(pod.spec?.containers, false) ?? search(pod.spec?.initContainers, true);
}

/** ShouldSetHostname: spec.hostname set, spec.subdomain names this Service, same namespace. */
export function shouldSetHostname(pod: KubeObject, svc: KubeObject): boolean {
  return !!pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

/** The pod's first IPv4 address (the Service's primary family in a single-stack cluster). */
export function podIPv4(pod: KubeObject): string | undefined {
  const ips: string[] = (pod.status?.podIPs ?? []).map((p: any) => p.ip);
  if (!ips.length && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips.find((ip) => ip && !ip.includes(':'));
}

/** Whether the controllers manage this Service's endpoints (syncService). */
export function managesEndpoints(svc: KubeObject): boolean {
  return svc.spec?.type !== 'ExternalName' && svc.spec?.selector != null;
}

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
export const MANAGED_BY_CONTROLLER = 'endpointslice-controller.k8s.io';
export const MANAGED_BY_MIRRORING = 'endpointslicemirroring-controller.k8s.io';
