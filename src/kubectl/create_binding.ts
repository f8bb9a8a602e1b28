// `kubectl create rolebinding NAME --role=R|--clusterrole=R [--user=U]... [--group=G]...
// [--serviceaccount=NS:NAME]...` and `kubectl create clusterrolebinding NAME --clusterrole=R ...`
// (staging kubectl pkg/cmd/create/create_rolebinding.go, create_clusterrolebinding.go): the
// binding object kubectl builds from the flags — subjects in the order users, groups, service
// accounts — created as `kubectl create -f` would.

import type { KubeObject } from '../api/types.js';
import { KubectlParseError } from './errors.js';
import { flagList, flagString, type FlagSpec, type ParsedFlags } from './flags.js';
import type { Action } from './types.js';

export const CREATE_BINDING_FLAGS: FlagSpec[] = [
  { name: 'role', type: 'string', help: 'Role this RoleBinding should reference' },
  { name: 'clusterrole', type: 'string', help: 'ClusterRole this binding should reference' },
  { name: 'user', type: 'stringArray', help: 'Usernames to bind to the role. The flag can be repeated to add multiple users.' },
  { name: 'group', type: 'stringArray', help: 'Groups to bind to the role. The flag can be repeated to add multiple groups.' },
  { name: 'serviceaccount', type: 'stringArray', help: 'Service accounts to bind to the role, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.' },
];

export function isCreateBinding(args: string[]): boolean {
  return args[0] === 'rolebinding' || args[0] === 'clusterrolebinding';
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export function buildCreateBinding(p: ParsedFlags, ctx: { commandLine: string }): Action {
  const fail = (msg: string, hint?: string): never => {
    throw new KubectlParseError(msg, hint, ctx.commandLine);
  };
  const [what, ...names] = p.args;
  const cluster = what === 'clusterrolebinding';
  if (names.length !== 1) fail(`exactly one NAME is required, got ${names.length}`, `write: kubectl create ${what} NAME ${cluster ? '--clusterrole=NAME' : '--role=NAME|--clusterrole=NAME'} [--user=U] [--group=G] [--serviceaccount=NS:NAME]`);
  const role = flagString(p, 'role');
  const clusterRole = flagString(p, 'clusterrole');
  if (cluster) {
    if (role !== undefined) fail('unknown flag: --role', 'a ClusterRoleBinding can only reference a ClusterRole: use --clusterrole');
    if (!clusterRole) fail('clusterrole must be specified', 'write: --clusterrole=view');
  } else if ((role ? 1 : 0) + (clusterRole ? 1 : 0) !== 1) {
    fail('exactly one of clusterrole or role must be specified', 'write: --role=pod-reader or --clusterrole=view');
  }
  const subjects: any[] = [];
  for (const u of flagList(p, 'user') ?? []) subjects.push({ kind: 'User', apiGroup: RBAC_GROUP, name: u });
  for (const g of flagList(p, 'group') ?? []) subjects.push({ kind: 'Group', apiGroup: RBAC_GROUP, name: g });
  for (const sa of flagList(p, 'serviceaccount') ?? []) {
    const parts = sa.split(':');
    if (parts.length !== 2 || !parts[0] || !parts[1]) fail(`serviceaccount must be <namespace>:<name>`, `got "${sa}"; write --serviceaccount=default:reader`);
    subjects.push({ kind: 'ServiceAccount', namespace: parts[0], name: parts[1] });
  }
  const namespace = flagString(p, 'namespace');
  const object = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
    metadata: { name: names[0], ...(!cluster && namespace ? { namespace } : {}) },
    roleRef: { apiGroup: RBAC_GROUP, kind: role ? 'Role' : 'ClusterRole', name: role ?? clusterRole },
    ...(subjects.length ? { subjects } : {}),
  } as KubeObject;
  const a: Action = { verb: 'create', files: [], built: object, commandLine: ctx.commandLine };
  if (namespace !== undefined && !cluster) a.namespace = namespace;
  return a;
}
