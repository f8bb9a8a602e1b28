// User impersonation (apiserver pkg/endpoints/filters/impersonation.go WithImpersonation): the
// `Impersonate-User` and `Impersonate-Group` headers make the request act as another user, after
// the authorizer allows the requester the `impersonate` verb on `users` (or `serviceaccounts` in
// the account's namespace, for a system:serviceaccount:<ns>:<name> user) and on `groups`, each by
// name. A refusal is the usual forbidden Status for that check:
// `users "system:node:n1" is forbidden: User "..." cannot impersonate resource "users" in API
// group "" at the cluster scope`. The impersonated user gets system:authenticated (unless it is
// system:anonymous), and a service account user its service account groups when no group is
// given. `kubectl --as=U --as-group=G` sends exactly these headers.

import type { ApiServer } from '../api/server.js';
import { parseServiceAccountUser, userInfo, type UserInfo } from './authorizer.js';
import { authorizeRequest } from './chain.js';
import type { RequestAttributes } from './rules.js';

export type ImpersonationResult =
  | { user: UserInfo }
  | { forbidden: { attrs: RequestAttributes; requester: UserInfo; reason: string } }
  | { internal: string };

function headerValues(headers: Record<string, string>, name: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name) continue;
    // curl sends a repeated -H once per value; kubectl joins nothing: one value per header line
    for (const part of v.split(',')) if (part.trim()) out.push(part.trim());
  }
  return out;
}

/** The user the request acts as: the requester, or the one it may impersonate. */
export function impersonate(api: ApiServer, requester: UserInfo, headers: Record<string, string>): ImpersonationResult {
  const users = headerValues(headers, 'impersonate-user');
  const groups = headerValues(headers, 'impersonate-group');
  if (users.length === 0 && groups.length === 0) return { user: requester };
  if (users.length === 0) {
    // buildImpersonationRequests: groups without a user
    return { internal: `requested [${groups.map((g) => `{Group  ${g}  }`).join(' ')}] without impersonating a user` };
  }
  const username = users[0];
  const checks: RequestAttributes[] = [];
  const sa = parseServiceAccountUser(username);
  checks.push(
    sa
      ? { verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'serviceaccounts', name: sa.name, namespace: sa.namespace }
      : { verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'users', name: username },
  );
  for (const g of groups) checks.push({ verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'groups', name: g });
  for (const attrs of checks) {
    const d = authorizeRequest(api, requester, attrs);
    if (!d.allowed) return { forbidden: { attrs, requester, reason: d.reason } };
  }
  // a service account user impersonated without groups gets its service account groups (userInfo)
  if (sa && groups.length === 0) return { user: userInfo(username) };
  const all = username === 'system:anonymous' ? groups : [...groups, 'system:authenticated'];
  const user = { name: username, groups: [...new Set(all)] };
  return { user };
}
