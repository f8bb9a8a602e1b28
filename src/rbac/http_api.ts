// The API server's HTTPS front, for requests made from inside pods (curl to
// https://kubernetes.default with the mounted service account token), in the filter order of
// kube-apiserver's handler chain: authentication (src/rbac/tokens.ts; 401 Unauthorized),
// impersonation (src/rbac/impersonation.ts), request attributes from the URL and method
// (apiserver pkg/endpoints/request/requestinfo.go), the authorizer chain (Node, RBAC; 403
// Forbidden with upstream's message in a Status object), then the REST handlers
// (src/rbac/http_rest.ts: reads, and writes through the API server's normal path with
// NodeRestriction admission).

import type { ApiServer } from '../api/server.js';
import { resolveResource } from '../kubectl/resources.js';
import { forbiddenMessage } from './authorizer.js';
import { authorizeRequest } from './chain.js';
import type { RequestAttributes } from './rules.js';
import { authenticate } from './tokens.js';
import { impersonate } from './impersonation.js';
import { jsonAnswer as json, serveResource, statusAnswer as status, type HttpAnswer } from './http_rest.js';

export type { HttpAnswer } from './http_rest.js';

export interface HttpRequest {
  method: string;
  /** path with an optional query string */
  path: string;
  headers: Record<string, string>;
  /** the request body (curl -d / --data-binary) */
  body?: string;
}

interface ParsedPath {
  attrs: RequestAttributes;
  kind?: string;
  apiVersion?: string;
}

/** RequestInfoFactory.NewRequestInfo for the paths served here */
export function requestAttributes(method: string, fullPath: string): ParsedPath {
  const [path, query = ''] = fullPath.split('?', 2);
  const verbOf = (collection: boolean): string => {
    const m = method.toUpperCase();
    if (m === 'GET' || m === 'HEAD') return /(^|&)watch=(1|true)(&|$)/.test(query) ? 'watch' : collection ? 'list' : 'get';
    if (m === 'POST') return 'create';
    if (m === 'PUT') return 'update';
    if (m === 'PATCH') return 'patch';
    if (m === 'DELETE') return collection ? 'deletecollection' : 'delete';
    return m.toLowerCase();
  };
  const parts = path.split('/').filter(Boolean);
  let rest: string[];
  let group = '';
  if (parts[0] === 'api' && parts.length >= 2) {
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    rest = parts.slice(3);
  } else {
    // a non-resource URL: /version, /healthz, /api, /apis
    return { attrs: { verb: method.toLowerCase() === 'head' ? 'head' : method.toLowerCase(), resourceRequest: false, path } };
  }
  if (rest.length === 0) return { attrs: { verb: method.toLowerCase(), resourceRequest: false, path } };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  const info = resolveResource(group ? `${resource}.${group}` : resource);
  const known = info && info.plural === resource && info.group === group;
  const attrs: RequestAttributes = {
    verb: verbOf(name === undefined),
    resourceRequest: true,
    apiGroup: group,
    resource,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
  // GET /api/v1/namespaces/x is the namespace "x" itself
  if (!namespace && resource === 'namespaces' && name !== undefined) attrs.namespace = name;
  return { attrs, ...(known ? { kind: info.kind, apiVersion: info.apiVersion } : {}) };
}

/** Serve one HTTPS request to kube-apiserver. */
export function serveApiRequest(api: ApiServer, req: HttpRequest): HttpAnswer {
  const authz = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  const requester = authenticate(api, authz);
  if (!requester) return status(401, 'Unauthorized', 'Unauthorized');
  const imp = impersonate(api, requester, req.headers);
  if ('forbidden' in imp) {
    const f = imp.forbidden;
    return status(403, 'Forbidden', forbiddenMessage(f.requester, f.attrs, f.reason), { name: f.attrs.name!, kind: f.attrs.resource! });
  }
  if ('internal' in imp) return status(500, 'InternalError', `Internal error occurred: ${imp.internal}`, {});
  const user = imp.user;
  const parsed = requestAttributes(req.method, req.path);
  const a = parsed.attrs;
  const d = authorizeRequest(api, user, a);
  if (!d.allowed) {
    const details: Record<string, string> = a.resourceRequest ? { ...(a.name ? { name: a.name } : {}), ...(a.apiGroup ? { group: a.apiGroup } : {}), kind: a.resource! } : {};
    return status(403, 'Forbidden', forbiddenMessage(user, a, d.reason), a.resourceRequest ? details : undefined);
  }
  if (!a.resourceRequest) {
    if (a.path === '/version') return json({ major: '1', minor: api.options.kubernetesVersion.split('.')[1] ?? '', gitVersion: `v${api.options.kubernetesVersion}.0` });
    if (/^\/(healthz|livez|readyz)$/.test(a.path ?? '')) return { status: 200, body: 'ok' };
    return status(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  if (!parsed.kind) return status(404, 'NotFound', 'the server could not find the requested resource', {});
  const info = resolveResource(a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource!)!;
  const query = new URLSearchParams(req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : '');
  return serveResource({ api, user, attrs: a, info, req: { method: req.method, query, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) } });
}
