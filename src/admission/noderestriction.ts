// The NodeRestriction admission plugin (plugin/pkg/admission/noderestriction/admission.go): a
// kubelet (user system:node:<name> in group system:nodes) may only modify its own Node object
// and the pods bound to it. It may create only mirror pods (annotation kubernetes.io/config.mirror)
// bound to itself, owned by its Node and referencing no service account, Secret, ConfigMap or
// PersistentVolumeClaim; delete only pods bound to itself; update the status of only those pods;
// never change its taints; and set or change only the kubelet's own labels
// (k8s.io/kubelet/pkg/apis/well_known_labels.go) outside node-restriction.kubernetes.io. Leases
// only in kube-node-lease and named after itself. Every rejection is admission.NewForbidden:
// `<resource> "<name>" is forbidden: <why>`, where the name comes from the request's object (the
// generateName when there is no name yet) and is "Unknown" on a DELETE, which carries no object.
//
// The node authorizer (src/rbac/node_authorizer.ts) already decided the verb is one a node may
// use; this plugin looks at the objects. Only requests that carry a user run it: the HTTPS front
// (src/rbac/http_api.ts), where a user is authenticated or impersonated.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import type { UserInfo } from '../rbac/authorizer.js';
import { nodeIdentity, podConfigMapNames, podSecretNames } from '../rbac/node_authorizer.js';
import { jsonEqual } from '../api/clone.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** admission.Attributes, the parts this plugin reads */
export interface AdmissionAttributes {
  operation: AdmissionOperation;
  apiGroup: string;
  /** plural resource, e.g. "pods" */
  resource: string;
  subresource?: string;
  namespace?: string;
  /** the name in the URL ("" on a create) */
  name?: string;
  object?: KubeObject;
  oldObject?: KubeObject;
}

/** apierrors.NewForbidden / NewNotFound as a Status would carry them */
export interface AdmissionRejection {
  code: 403 | 404;
  reason: 'Forbidden' | 'NotFound';
  message: string;
  details: { name: string; group?: string; kind: string };
}

export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** v1.LabelNamespaceNodeRestriction */
const NODE_RESTRICTION_LABEL_NAMESPACE = 'node-restriction.kubernetes.io';

/** kubeletapis kubeletLabels */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
]);
/** kubeletapis kubeletLabelNamespaces */
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

function labelNamespace(key: string): string {
  const i = key.indexOf('/');
  return i >= 0 ? key.slice(0, i) : '';
}

/** kubeletapis.IsKubeletLabel */
export function isKubeletLabel(key: string): boolean {
  if (KUBELET_LABELS.has(key)) return true;
  const ns = labelNamespace(key);
  return KUBELET_LABEL_NAMESPACES.some((k) => ns === k || ns.endsWith(`.${k}`));
}

function isKubernetesLabel(key: string): boolean {
  const ns = labelNamespace(key);
  return ns === 'kubernetes.io' || ns.endsWith('.kubernetes.io') || ns === 'k8s.io' || ns.endsWith('.k8s.io');
}

/** getModifiedLabels: keys added, removed or changed between the two maps */
function modifiedLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): Set<string> {
  const out = new Set<string>();
  const x = a ?? {}, y = b ?? {};
  for (const [k, v] of Object.entries(x)) if (!(k in y) || y[k] !== v) out.add(k);
  for (const [k, v] of Object.entries(y)) if (!(k in x) || x[k] !== v) out.add(k);
  return out;
}

/** getForbiddenLabels, sorted as sets.String.List() is */
export function forbiddenLabels(modified: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const label of modified) {
    const ns = labelNamespace(label);
    if (ns === NODE_RESTRICTION_LABEL_NAMESPACE || ns.endsWith(`.${NODE_RESTRICTION_LABEL_NAMESPACE}`)) out.add(label);
    if (isKubernetesLabel(label) && !isKubeletLabel(label)) out.add(label);
  }
  return [...out].sort();
}

/** Admit for one request; undefined when the plugin lets it through. */
export function admitNodeRestriction(api: ApiServer, user: UserInfo, a: AdmissionAttributes): AdmissionRejection | undefined {
  const nodeName = nodeIdentity(user);
  if (nodeName === undefined) return undefined; // our job is just to restrict nodes
  const forbid = (why: string): AdmissionRejection => forbiddenFor(a, why);
  if (nodeName === '') return forbid(`could not determine node from user "${user.name}"`);
  const gr = `${a.resource}${a.apiGroup ? `.${a.apiGroup}` : ''}`;
  switch (gr) {
    case 'pods':
      switch (a.subresource ?? '') {
        case '':
          return admitPod(api, nodeName, a, forbid);
        case 'status':
          return admitPodStatus(nodeName, a, forbid);
        case 'eviction':
          return admitPodEviction(api, nodeName, a, forbid);
        default:
          return forbid(`unexpected pod subresource "${a.subresource}", only 'status' and 'eviction' are allowed`);
      }
    case 'nodes':
      return admitNode(nodeName, a, forbid);
    case 'persistentvolumeclaims':
      if (a.subresource !== 'status') return forbid('may only update PVC status');
      return admitPvcStatus(nodeName, a, forbid);
    case 'leases.coordination.k8s.io':
      if (a.namespace !== NODE_LEASE_NAMESPACE) return forbid(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
      if ((a.operation === 'CREATE' ? a.object?.metadata.name : a.name) !== nodeName) return forbid('can only access node lease with the same name as the requesting node');
      return undefined;
    default:
      return undefined;
  }
}

/** admission.NewForbidden: the name from the request's object, else "Unknown" */
function forbiddenFor(a: AdmissionAttributes, why: string): AdmissionRejection {
  const name = a.object?.metadata?.name || a.object?.metadata?.generateName || 'Unknown';
  const gr = `${a.resource}${a.apiGroup ? `.${a.apiGroup}` : ''}`;
  return { code: 403, reason: 'Forbidden', message: `${gr} "${name}" is forbidden: ${why}`, details: { name, ...(a.apiGroup ? { group: a.apiGroup } : {}), kind: a.resource } };
}

function podNotFound(name: string): AdmissionRejection {
  return { code: 404, reason: 'NotFound', message: `pods "${name}" not found`, details: { name, kind: 'pods' } };
}

type Forbid = (why: string) => AdmissionRejection;

function admitPod(api: ApiServer, nodeName: string, a: AdmissionAttributes, forbid: Forbid): AdmissionRejection | undefined {
  if (a.operation === 'CREATE') return admitPodCreate(api, nodeName, a.object!, forbid);
  if (a.operation === 'DELETE') {
    const existing = api.get('Pod', a.namespace, a.name ?? '');
    if (!existing) return podNotFound(a.name ?? '');
    if (existing.spec?.nodeName !== nodeName) return forbid(`node "${nodeName}" can only delete pods with spec.nodeName set to itself`);
    return undefined;
  }
  return forbid(`unexpected operation "${a.operation}", node "${nodeName}" can only create and delete mirror pods`);
}

function admitPodCreate(api: ApiServer, nodeName: string, pod: KubeObject, forbid: Forbid): AdmissionRejection | undefined {
  if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] === undefined) {
    return forbid(`pod does not have "${MIRROR_POD_ANNOTATION}" annotation, node "${nodeName}" can only create mirror pods`);
  }
  if (pod.spec?.nodeName !== nodeName) return forbid(`node "${nodeName}" can only create pods with spec.nodeName set to itself`);
  const owners = pod.metadata.ownerReferences ?? [];
  if (owners.length > 1) return forbid(`node "${nodeName}" can only create pods with a single owner reference set to itself`);
  if (owners.length === 0) return forbid(`node "${nodeName}" can only create pods with an owner reference set to itself`);
  const owner = owners[0];
  if (owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== nodeName) {
    return forbid(`node "${nodeName}" can only create pods with an owner reference set to itself`);
  }
  if (!owner.controller) return forbid(`node "${nodeName}" can only create pods with a controller owner reference set to itself`);
  if (owner.blockOwnerDeletion) return forbid(`node "${nodeName}" must not set blockOwnerDeletion on an owner reference`);
  const node = api.get('Node', undefined, nodeName);
  if (!node) return { code: 404, reason: 'NotFound', message: `nodes "${nodeName}" not found`, details: { name: nodeName, kind: 'nodes' } };
  if (owner.uid !== node.metadata.uid) return forbid(`node ${nodeName} UID mismatch: expected ${owner.uid} got ${node.metadata.uid}`);
  // a node may not create a pod that references any other API object
  if (pod.spec?.serviceAccountName) return forbid(`node "${nodeName}" can not create pods that reference a service account`);
  if (podSecretNames(pod).size) return forbid(`node "${nodeName}" can not create pods that reference secrets`);
  if (podConfigMapNames(pod).size) return forbid(`node "${nodeName}" can not create pods that reference configmaps`);
  for (const v of pod.spec?.volumes ?? []) {
    for (const s of v?.projected?.sources ?? []) {
      if (s?.clusterTrustBundle) return forbid(`node "${nodeName}" can not create pods that reference clustertrustbundles`);
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v?.persistentVolumeClaim) return forbid(`node "${nodeName}" can not create pods that reference persistentvolumeclaims`);
  }
  return undefined;
}

function admitPodStatus(nodeName: string, a: AdmissionAttributes, forbid: Forbid): AdmissionRejection | undefined {
  if (a.operation !== 'UPDATE') return forbid(`unexpected operation "${a.operation}"`);
  if (a.oldObject?.spec?.nodeName !== nodeName) return forbid(`node "${nodeName}" can only update pod status for pods with spec.nodeName set to itself`);
  if (modifiedLabels(a.oldObject?.metadata.labels, a.object?.metadata.labels).size) return forbid(`node "${nodeName}" cannot update labels through pod status`);
  return undefined;
}

function admitPodEviction(api: ApiServer, nodeName: string, a: AdmissionAttributes, forbid: Forbid): AdmissionRejection | undefined {
  if (a.operation !== 'CREATE') return forbid(`unexpected operation ${a.operation}`);
  const podName = a.name || a.object?.metadata?.name;
  if (!podName) return forbid('could not determine pod from request data');
  const existing = api.get('Pod', a.namespace, podName);
  if (!existing) return podNotFound(podName);
  if (existing.spec?.nodeName !== nodeName) return forbid(`node ${nodeName} can only evict pods with spec.nodeName set to itself`);
  return undefined;
}

function admitPvcStatus(nodeName: string, a: AdmissionAttributes, forbid: Forbid): AdmissionRejection | undefined {
  if (a.operation !== 'UPDATE') return forbid(`unexpected operation "${a.operation}"`);
  // everything but resourceVersion, status.capacity and status.conditions must stay as it was
  const strip = (o: KubeObject | undefined) => {
    const c = JSON.parse(JSON.stringify(o ?? {}));
    if (c.metadata) delete c.metadata.resourceVersion, delete c.metadata.managedFields;
    if (c.status) delete c.status.capacity, delete c.status.conditions;
    return c;
  };
  if (!jsonEqual(strip(a.oldObject), strip(a.object))) {
    return forbid(`node "${nodeName}" is not allowed to update fields other than status.quantity and status.conditions`);
  }
  return undefined;
}

function admitNode(nodeName: string, a: AdmissionAttributes, forbid: Forbid): AdmissionRejection | undefined {
  const requested = a.operation === 'CREATE' ? a.object?.metadata.name ?? '' : a.name ?? '';
  if (requested !== nodeName) return forbid(`node "${nodeName}" is not allowed to modify node "${requested}"`);
  const node = a.object;
  if (a.operation === 'CREATE' && node) {
    // sic: upstream's message says "pods"
    if (node.spec?.configSource != null) return forbid(`node "${nodeName}" is not allowed to create pods with a non-nil configSource`);
    const bad = forbiddenLabels(modifiedLabels(node.metadata.labels, undefined));
    if (bad.length) return forbid(`node "${nodeName}" is not allowed to set the following labels: ${bad.join(', ')}`);
  }
  if (a.operation === 'UPDATE' && node) {
    const old = a.oldObject;
    if (node.spec?.configSource != null && !jsonEqual(node.spec.configSource, old?.spec?.configSource)) {
      return forbid(`node "${nodeName}" is not allowed to update configSource to a new non-nil configSource`);
    }
    const taints = (o: KubeObject | undefined) => (o?.spec?.taints?.length ? o.spec.taints : undefined);
    if (!jsonEqual(taints(node), taints(old))) return forbid(`node "${nodeName}" is not allowed to modify taints`);
    const bad = forbiddenLabels(modifiedLabels(node.metadata.labels, old?.metadata.labels));
    if (bad.length) return forbid(`is not allowed to modify labels: ${bad.join(', ')}`);
  }
  return undefined;
}
