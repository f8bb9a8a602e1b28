// The default RBAC policy the API server reconciles at start (plugin/pkg/auth/authorizer/rbac/
// bootstrappolicy/policy.go ClusterRoles/ClusterRoleBindings): cluster-admin bound to
// system:masters, the user-facing admin/edit/view roles built by aggregation from
// system:aggregate-to-{admin,edit,view}, and system:basic-user for every authenticated user.
// The aggregate rule lists are abridged to the resources the simulator serves.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import type { PolicyRule } from './rules.js';
import { userInfo, type UserInfo } from './authorizer.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const AGG = (to: string) => `rbac.authorization.k8s.io/aggregate-to-${to}`;

/** The scenario's kubectl user: kubeadm's admin.conf identity. */
export const KUBECTL_USER: UserInfo = userInfo('kubernetes-admin', ['system:masters']);

const VIEW_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], verbs: READ },
  { apiGroups: [''], resources: ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], verbs: READ },
  { apiGroups: [''], resources: ['namespaces'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['apps'], resources: ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingresses/status', 'networkpolicies'], verbs: READ },
];

const EDIT_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], verbs: READ },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: [''], resources: ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], verbs: WRITE },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], verbs: WRITE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
];

const ADMIN_RULES: PolicyRule[] = [
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...WRITE, ...READ].sort() },
];

function clusterRole(name: string, rules: PolicyRule[], labels: Record<string, string> = {}, aggregateFrom?: string): KubeObject {
  const o: KubeObject = {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    rules,
  } as KubeObject;
  if (aggregateFrom) (o as any).aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [AGG(aggregateFrom)]: 'true' } }] };
  return o;
}

function clusterRoleBinding(name: string, role: string, subject: { kind: string; name: string }): KubeObject {
  return {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', ...subject }],
  } as KubeObject;
}

export function bootstrapPolicy(): KubeObject[] {
  return [
    clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]),
    clusterRole('admin', [], {}, 'admin'),
    clusterRole('edit', [], { [AGG('admin')]: 'true' }, 'edit'),
    clusterRole('view', [], { [AGG('admin')]: 'true', [AGG('edit')]: 'true' }, 'view'),
    clusterRole('system:aggregate-to-admin', ADMIN_RULES, { [AGG('admin')]: 'true' }),
    clusterRole('system:aggregate-to-edit', EDIT_RULES, { [AGG('admin')]: 'true', [AGG('edit')]: 'true' }),
    clusterRole('system:aggregate-to-view', VIEW_RULES, { [AGG('admin')]: 'true', [AGG('edit')]: 'true', [AGG('view')]: 'true' }),
    clusterRole('system:basic-user', [{ apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] }, { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] }]),
    clusterRoleBinding('cluster-admin', 'cluster-admin', { kind: 'Group', name: 'system:masters' }),
    clusterRoleBinding('system:basic-user', 'system:basic-user', { kind: 'Group', name: 'system:authenticated' }),
  ];
}

export function createBootstrapPolicy(api: ApiServer): void {
  for (const o of bootstrapPolicy()) api.create(o);
}
