// The Node authorizer (plugin/pkg/auth/authorizer/node/node_authorizer.go), first in kubeadm's
// --authorization-mode=Node,RBAC: a kubelet (user system:node:<name> in group system:nodes) may
// read a Secret, ConfigMap, PersistentVolumeClaim or PersistentVolume only when the authorizer's
// graph has a path from that object to its node — a pod bound to the node references it
// (node <- pod <- secret, node <- pod <- pvc <- pv) — and may create a token only for a service
// account such a pod runs as. That is why "a Secret is only distributed to the nodes that run the
// pods that need it". Other resources are allowed by the static node rules
// (bootstrappolicy.NodeRules). Requests from anyone else get no opinion here and go on to RBAC.
//
// Upstream keeps the graph from informers (graph_populator.go: a pod joins once it has a
// nodeName and leaves when it is deleted); here the same relation is computed on read from the
// store's pods-by-node index.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import type { UserInfo } from './authorizer.js';
import { ruleAllows, type PolicyRule, type RequestAttributes } from './rules.js';

export const NODE_USER_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';
/** api.NamespaceNodeLease */
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeDecision {
  allowed: boolean;
  /** the authorizer's reason when it has no opinion ("" when it says nothing) */
  reason: string;
}

const NO_OPINION: NodeDecision = { allowed: false, reason: '' };
const ALLOW: NodeDecision = { allowed: true, reason: '' };
const deny = (reason: string): NodeDecision => ({ allowed: false, reason });

/** nodeidentifier.NodeIdentity: the node name, "" for an unidentifiable node, undefined for a non-node. */
export function nodeIdentity(user: UserInfo): string | undefined {
  if (!user.groups.includes(NODES_GROUP)) return undefined;
  if (!user.name.startsWith(NODE_USER_PREFIX)) return undefined;
  return user.name.slice(NODE_USER_PREFIX.length);
}

const READ = ['get', 'list', 'watch'];
/** bootstrappolicy.NodeRules(): what every node may do outside the graph-checked resources */
export const NODE_RULES: PolicyRule[] = [
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'] },
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews', 'localsubjectaccessreviews'] },
  { verbs: READ, apiGroups: [''], resources: ['services'] },
  { verbs: ['create', 'get', 'list', 'watch'], apiGroups: [''], resources: ['nodes'] },
  { verbs: ['update', 'patch'], apiGroups: [''], resources: ['nodes/status'] },
  { verbs: ['update', 'patch'], apiGroups: [''], resources: ['nodes'] },
  { verbs: ['create', 'update', 'patch'], apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
  { verbs: READ, apiGroups: [''], resources: ['pods'] },
  { verbs: ['create', 'delete'], apiGroups: [''], resources: ['pods'] },
  { verbs: ['update', 'patch'], apiGroups: [''], resources: ['pods/status'] },
  { verbs: ['create'], apiGroups: [''], resources: ['pods/eviction'] },
  { verbs: READ, apiGroups: [''], resources: ['secrets', 'configmaps'] },
  { verbs: ['get'], apiGroups: [''], resources: ['persistentvolumeclaims', 'persistentvolumes'] },
  { verbs: ['get'], apiGroups: [''], resources: ['endpoints'] },
  { verbs: ['create', 'get', 'list', 'watch'], apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'] },
  { verbs: ['get', 'create', 'update', 'patch', 'delete'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
  { verbs: ['get'], apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'] },
  { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] },
  { verbs: READ, apiGroups: ['storage.k8s.io'], resources: ['csidrivers'] },
  { verbs: READ, apiGroups: ['node.k8s.io'], resources: ['runtimeclasses'] },
];

type Vertex = 'secret' | 'configmap' | 'pvc' | 'pv' | 'serviceAccount' | 'pod';

/** The pods the graph links to the node: bound to it and not yet deleted from the store. */
function podsOfNode(api: ApiServer, nodeName: string): KubeObject[] {
  return api.store.podsOnNode(nodeName);
}

/** VisitPodSecretNames (pkg/api/v1/pod/util.go), for the volume kinds modelled here */
export function podSecretNames(pod: KubeObject): Set<string> {
  const out = new Set<string>();
  for (const s of pod.spec?.imagePullSecrets ?? []) if (s?.name) out.add(s.name);
  for (const c of allContainers(pod)) {
    for (const e of c.envFrom ?? []) if (e?.secretRef?.name) out.add(e.secretRef.name);
    for (const e of c.env ?? []) if (e?.valueFrom?.secretKeyRef?.name) out.add(e.valueFrom.secretKeyRef.name);
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v?.secret?.secretName) out.add(v.secret.secretName);
    for (const s of v?.projected?.sources ?? []) if (s?.secret?.name) out.add(s.secret.name);
    for (const src of [v?.azureFile, v?.cephfs, v?.cinder, v?.flexVolume, v?.rbd, v?.scaleIO, v?.iscsi, v?.storageos, v?.csi]) {
      const ref = src?.secretRef ?? src?.nodePublishSecretRef;
      if (ref?.name) out.add(ref.name);
      if (src?.secretName) out.add(src.secretName);
    }
  }
  return out;
}

/** VisitPodConfigmapNames */
export function podConfigMapNames(pod: KubeObject): Set<string> {
  const out = new Set<string>();
  for (const c of allContainers(pod)) {
    for (const e of c.envFrom ?? []) if (e?.configMapRef?.name) out.add(e.configMapRef.name);
    for (const e of c.env ?? []) if (e?.valueFrom?.configMapKeyRef?.name) out.add(e.valueFrom.configMapKeyRef.name);
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v?.configMap?.name) out.add(v.configMap.name);
    for (const s of v?.projected?.sources ?? []) if (s?.configMap?.name) out.add(s.configMap.name);
  }
  return out;
}

function allContainers(pod: KubeObject): any[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
}

/** persistentVolumeClaim and generic ephemeral volumes (<pod>-<volume>) */
function podClaimNames(pod: KubeObject): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v: any) =>
    v?.persistentVolumeClaim?.claimName ? [String(v.persistentVolumeClaim.claimName)] : v?.ephemeral ? [`${pod.metadata.name}-${v.name}`] : [],
  );
}

/** hasPathFrom: is there a path from the object to the node in the graph? */
export function hasPathToNode(api: ApiServer, nodeName: string, type: Vertex, namespace: string, name: string): boolean {
  for (const pod of podsOfNode(api, nodeName)) {
    const ns = pod.metadata.namespace ?? 'default';
    switch (type) {
      case 'pod':
        if (ns === namespace && pod.metadata.name === name) return true;
        break;
      case 'secret':
        if (ns === namespace && podSecretNames(pod).has(name)) return true;
        break;
      case 'configmap':
        if (ns === namespace && podConfigMapNames(pod).has(name)) return true;
        break;
      case 'pvc':
        if (ns === namespace && podClaimNames(pod).includes(name)) return true;
        break;
      case 'serviceAccount':
        if (ns === namespace && (pod.spec?.serviceAccountName ?? 'default') === name) return true;
        break;
      case 'pv':
        for (const claim of podClaimNames(pod)) {
          if (api.get('PersistentVolumeClaim', ns, claim)?.spec?.volumeName === name) return true;
        }
        break;
    }
  }
  return false;
}

function authorizeRelated(api: ApiServer, nodeName: string, type: Vertex, a: RequestAttributes): NodeDecision {
  if (!a.name) return deny('No Object name found');
  if (!hasPathToNode(api, nodeName, type, a.namespace ?? '', a.name)) return deny(`no relationship found between node '${nodeName}' and this object`);
  return ALLOW;
}

function authorizeReadNamespacedObject(api: ApiServer, nodeName: string, type: Vertex, a: RequestAttributes): NodeDecision {
  if (!READ.includes(a.verb)) return deny('can only read resources of this type');
  if (a.subresource) return deny('cannot read subresource');
  if (!a.namespace) return deny('can only read namespaced object of this type');
  return authorizeRelated(api, nodeName, type, a);
}

function authorizeGet(api: ApiServer, nodeName: string, type: Vertex, a: RequestAttributes): NodeDecision {
  if (a.verb !== 'get') return deny('can only get individual resources of this type');
  if (a.subresource) return deny('cannot get subresource');
  return authorizeRelated(api, nodeName, type, a);
}

/** AuthorizeNodeWithSelectors: beta and on by default from 1.32 */
function selectorsEnabled(version: string | undefined): boolean {
  const [major, minor] = (version ?? '1.34').split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 32);
}

/** NodeAuthorizer.Authorize */
export function authorizeNode(api: ApiServer, user: UserInfo, a: RequestAttributes, kubernetesVersion?: string): NodeDecision {
  const nodeName = nodeIdentity(user);
  if (nodeName === undefined) return NO_OPINION;
  if (nodeName === '') return deny(`unknown node for user "${user.name}"`);
  if (a.resourceRequest) {
    const group = a.apiGroup ?? '';
    const resource = `${a.resource}${group ? `.${group}` : ''}`;
    switch (resource) {
      case 'secrets':
        return authorizeReadNamespacedObject(api, nodeName, 'secret', a);
      case 'configmaps':
        return authorizeReadNamespacedObject(api, nodeName, 'configmap', a);
      case 'persistentvolumeclaims':
        if (a.subresource === 'status') {
          if (a.verb !== 'update' && a.verb !== 'patch') return deny('can only get/update/patch this type');
          return authorizeRelated(api, nodeName, 'pvc', a);
        }
        return authorizeGet(api, nodeName, 'pvc', a);
      case 'persistentvolumes':
        return authorizeGet(api, nodeName, 'pv', a);
      case 'serviceaccounts':
        if (a.verb !== 'create' || !a.name) return deny('can only create tokens for individual service accounts');
        if (a.subresource !== 'token') return deny('can only create token subresource of serviceaccount');
        return authorizeRelated(api, nodeName, 'serviceAccount', a);
      case 'leases.coordination.k8s.io':
        if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return deny('can only get, create, update, patch, or delete a node lease');
        if (a.namespace !== NODE_LEASE_NAMESPACE) return deny(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
        if (a.verb !== 'create' && a.name !== nodeName) return deny('can only access node lease with the same name as the requesting node');
        return ALLOW;
      case 'nodes':
        if (selectorsEnabled(kubernetesVersion)) return authorizeNodeObject(nodeName, a);
        break;
      case 'pods':
        if (selectorsEnabled(kubernetesVersion)) return authorizePod(api, nodeName, a);
        break;
    }
  }
  return NODE_RULES.some((r) => ruleAllows(a, r)) ? ALLOW : NO_OPINION;
}

/** authorizeNode: a node reads only its own Node object */
function authorizeNodeObject(nodeName: string, a: RequestAttributes): NodeDecision {
  if (!a.subresource) {
    if (['create', 'update', 'patch'].includes(a.verb)) return ALLOW;
    if (READ.includes(a.verb)) {
      if (a.name === nodeName) return ALLOW;
      if (!a.name) return deny(`node '${nodeName}' cannot read all nodes, only its own Node object`);
      return deny(`node '${nodeName}' cannot read '${a.name}', only its own Node object`);
    }
  } else if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) return ALLOW;
  return NO_OPINION;
}

/** authorizePod: reads of pods bound to the node; list/watch need the spec.nodeName field selector (not expressible here) */
function authorizePod(api: ApiServer, nodeName: string, a: RequestAttributes): NodeDecision {
  if (!a.subresource) {
    if (a.verb === 'get') return authorizeGet(api, nodeName, 'pod', a);
    if (a.verb === 'list' || a.verb === 'watch') {
      if (a.name) return authorizeRelated(api, nodeName, 'pod', a);
      return deny('can only list/watch pods with spec.nodeName field selector');
    }
    if (a.verb === 'create' || a.verb === 'delete') return ALLOW;
  } else if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) return ALLOW;
  else if (a.subresource === 'eviction' && a.verb === 'create') return ALLOW;
  return NO_OPINION;
}
