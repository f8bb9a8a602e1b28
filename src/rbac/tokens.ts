// Service account tokens and bearer-token authentication. The kubelet asks the TokenRequest API
// for the token of a projected serviceAccountToken source (the kube-api-access-* volume) and the
// API server's service account authenticator later accepts it (pkg/serviceaccount/jwt.go and
// claims.go): a bound token names the namespace, the service account and the pod, and stops
// authenticating once that pod is gone. A token for another audience is rejected. Tokens here are
// readable text, never JWTs; a request without one is anonymous (system:anonymous, group
// system:unauthenticated: kube-apiserver's --anonymous-auth defaults to true).

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { userInfo, type UserInfo } from './authorizer.js';

interface IssuedToken {
  namespace: string;
  serviceAccount: string;
  podName: string;
  podUid?: string;
  audience?: string;
}

const issued = new WeakMap<ApiServer, Map<string, IssuedToken>>();

/** TokenRequest for a pod's projected serviceAccountToken source: the token text, registered. */
export function issueServiceAccountToken(api: ApiServer, pod: KubeObject, req: { serviceAccountName: string; audience?: string; expirationSeconds: number }): string {
  const namespace = pod.metadata.namespace ?? 'default';
  const text = `sim-token:${namespace}:${req.serviceAccountName}:${req.audience ?? 'api'}:${req.expirationSeconds}s:${pod.metadata.name}`;
  let m = issued.get(api);
  if (!m) issued.set(api, (m = new Map()));
  m.set(text, { namespace, serviceAccount: req.serviceAccountName, podName: pod.metadata.name!, podUid: pod.metadata.uid, ...(req.audience ? { audience: req.audience } : {}) });
  return text;
}

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/**
 * The authenticator chain for an `Authorization` header: the user, or undefined for 401
 * Unauthorized. No header, or an empty bearer token, is the anonymous user.
 */
export function authenticate(api: ApiServer, authorization: string | undefined): UserInfo | undefined {
  const m = /^Bearer\s*(.*)$/i.exec((authorization ?? '').trim());
  if (!authorization?.trim() || (m && m[1].trim() === '')) return ANONYMOUS;
  if (!m) return undefined;
  const t = issued.get(api)?.get(m[1].trim());
  if (!t) return undefined;
  // audiences: the API server's own (the token projected without an audience)
  if (t.audience !== undefined && t.audience !== 'api') return undefined;
  // a bound token is valid only while its pod exists (the same pod, by uid)
  const pod = api.get('Pod', t.namespace, t.podName);
  if (!pod || (t.podUid && pod.metadata.uid !== t.podUid)) return undefined;
  if (!api.get('ServiceAccount', t.namespace, t.serviceAccount)) return undefined;
  return userInfo(`system:serviceaccount:${t.namespace}:${t.serviceAccount}`);
}
