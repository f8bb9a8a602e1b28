// The RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go Authorize with
// pkg/registry/rbac/validation/rule.go VisitRulesFor): allow when any rule of any applicable
// binding matches — every ClusterRoleBinding, plus the RoleBindings of the request's namespace.
// There are no deny rules; a request nothing allows is denied with upstream's forbidden text.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { ruleAllows, type PolicyRule, type RequestAttributes } from './rules.js';

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface Decision {
  allowed: boolean;
  /** why: the binding and role that allowed it, or the errors met */
  reason: string;
}

export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/**
 * A user as the authenticator hands it over. `system:serviceaccount:<ns>:<name>` gets the
 * service account groups (serviceaccount.UserInfo); every authenticated user gets
 * system:authenticated (the authenticator's group union).
 */
export function userInfo(name: string, groups: string[] = []): UserInfo {
  const g = [...groups];
  const sa = parseServiceAccountUser(name);
  if (sa) g.push('system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`);
  if (name !== 'system:anonymous' && !g.includes('system:authenticated')) g.push('system:authenticated');
  return { name, groups: [...new Set(g)] };
}

export function parseServiceAccountUser(name: string): { namespace: string; name: string } | undefined {
  if (!name.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = name.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  return parts.length === 2 && parts[0] && parts[1] ? { namespace: parts[0], name: parts[1] } : undefined;
}

/** appliesToUser (rule.go) */
export function subjectMatches(subject: any, user: UserInfo, bindingNamespace: string | undefined): boolean {
  switch (subject?.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace || '';
      return ns !== '' && user.name === `${SERVICE_ACCOUNT_PREFIX}${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

/** The rules of a role, with ClusterRole aggregation (aggregationRule label selectors) resolved. */
function roleRules(api: ApiServer, roleRef: any, namespace: string | undefined, errors: string[]): PolicyRule[] {
  if (roleRef?.kind === 'Role') {
    const role = namespace ? api.get('Role', namespace, roleRef.name) : undefined;
    if (!role) {
      errors.push(`role.rbac.authorization.k8s.io "${roleRef.name}" not found`);
      return [];
    }
    return (role.rules as PolicyRule[] | undefined) ?? [];
  }
  const cr = api.get('ClusterRole', undefined, roleRef?.name);
  if (!cr) {
    errors.push(`clusterrole.rbac.authorization.k8s.io "${roleRef?.name}" not found`);
    return [];
  }
  return clusterRoleRules(api, cr);
}

/** The clusterrole-aggregation-controller's result, computed on read. */
export function clusterRoleRules(api: ApiServer, cr: KubeObject): PolicyRule[] {
  const own = (o: KubeObject) => (o.rules as PolicyRule[] | undefined) ?? [];
  const selectors: any[] = (cr.aggregationRule as any)?.clusterRoleSelectors ?? [];
  if (!selectors.length) return own(cr);
  const out: PolicyRule[] = [...own(cr)];
  for (const other of api.list('ClusterRole')) {
    if (other.metadata.name === cr.metadata.name) continue;
    const labels = other.metadata.labels ?? {};
    if (selectors.some((s) => Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v))) out.push(...own(other));
  }
  return out;
}

export function authorize(api: ApiServer, user: UserInfo, a: RequestAttributes): Decision {
  const errors: string[] = [];
  const check = (binding: KubeObject, ns: string | undefined): Decision | undefined => {
    const subjects = (binding.subjects as any[] | undefined) ?? [];
    const roleRef = binding.roleRef as { kind: string; name: string };
    if (!subjects.some((s: any) => subjectMatches(s, user, ns))) return undefined;
    for (const rule of roleRules(api, roleRef, ns, errors)) {
      if (ruleAllows(a, rule)) {
        const kind = binding.kind === 'ClusterRoleBinding' ? 'ClusterRoleBinding' : `RoleBinding`;
        const where = binding.kind === 'ClusterRoleBinding' ? '' : ` of ${roleRef.kind} "${roleRef.name}" to ${ns}`;
        return { allowed: true, reason: `RBAC: allowed by ${kind} "${binding.metadata.name}"${binding.kind === 'ClusterRoleBinding' ? ` of ClusterRole "${roleRef.name}"` : where}` };
      }
    }
    return undefined;
  };
  for (const b of api.list('ClusterRoleBinding')) {
    const d = check(b, undefined);
    if (d) return d;
  }
  if (a.namespace) {
    for (const b of api.list('RoleBinding', a.namespace)) {
      const d = check(b, a.namespace);
      if (d) return d;
    }
  }
  return { allowed: false, reason: errors.length ? `RBAC: ${errors.join(', ')}` : '' };
}

/** forbiddenMessage (apiserver responsewriters/errors.go) */
export function forbiddenMessage(user: UserInfo, a: RequestAttributes, reason = ''): string {
  const suffix = reason ? `: ${reason}` : '';
  if (!a.resourceRequest) return `forbidden: User "${user.name}" cannot ${a.verb} path "${a.path}"${suffix}`;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const target = `${a.resource}${a.apiGroup ? `.${a.apiGroup}` : ''}${a.name ? ` "${a.name}"` : ''}`;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `${target} is forbidden: User "${user.name}" cannot ${a.verb} resource "${res}" in API group "${a.apiGroup ?? ''}" ${scope}${suffix}`;
}
