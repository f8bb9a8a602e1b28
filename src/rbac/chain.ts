// The API server's authorizer chain, as kubeadm configures it (--authorization-mode=Node,RBAC),
// combined by the union authorizer (apiserver pkg/authorization/union/union.go): the first Allow
// wins; when every authorizer has no opinion the request is denied and their reasons, joined by
// newlines, end the forbidden message.

import type { ApiServer } from '../api/server.js';
import { authorize, type Decision, type UserInfo } from './authorizer.js';
import { authorizeNode } from './node_authorizer.js';
import type { RequestAttributes } from './rules.js';

export function authorizeRequest(api: ApiServer, user: UserInfo, a: RequestAttributes): Decision {
  const node = authorizeNode(api, user, a, api.options.kubernetesVersion);
  if (node.allowed) return { allowed: true, reason: 'Node: allowed by the node authorizer' };
  const rbac = authorize(api, user, a);
  if (rbac.allowed) return rbac;
  return { allowed: false, reason: [node.reason, rbac.reason].filter(Boolean).join('\n') };
}
