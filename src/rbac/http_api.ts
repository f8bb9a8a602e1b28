// The API server's HTTPS front, for requests made from inside pods (curl to
// https://kubernetes.default with the mounted service account token): authentication
// (src/rbac/tokens.ts), request attributes from the URL and method (apiserver
// pkg/endpoints/request/requestinfo.go), the authorizer chain (Node, RBAC), and the answer:
// 401 Unauthorized, 403 Forbidden with upstream's message in a Status object, 404, or the object
// or list as JSON. Only reads are served; a write that authorization allows gets 405 saying so,
// so a scenario never mistakes it for a success.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { resolveResource } from '../kubectl/resources.js';
import { forbiddenMessage } from './authorizer.js';
import { authorizeRequest } from './chain.js';
import type { RequestAttributes } from './rules.js';
import { authenticate } from './tokens.js';

export interface HttpRequest {
  method: string;
  /** path with an optional query string */
  path: string;
  headers: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** metav1.Status as the API server writes it; curl's user agent gets it indented */
function status(code: number, reason: string, message: string, details?: Record<string, string>): HttpAnswer {
  const s = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
  return { status: code, body: `${JSON.stringify(s, null, 2)}\n` };
}

function json(o: unknown): HttpAnswer {
  return { status: 200, body: `${JSON.stringify(o, null, 2)}\n` };
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
  const user = authenticate(api, authz);
  if (!user) return status(401, 'Unauthorized', 'Unauthorized');
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
    return status(404, 'NotFound', 'the server could not find the requested resource');
  }
  if (!parsed.kind) return status(404, 'NotFound', 'the server could not find the requested resource');
  if (a.verb !== 'get' && a.verb !== 'list') {
    return status(405, 'MethodNotAllowed', `kuberehearse serves only get and list to pods; ${a.verb} on ${a.resource} was authorized but is not carried out`);
  }
  if (a.subresource) return status(404, 'NotFound', 'the server could not find the requested resource');
  const info = resolveResource(a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource!)!;
  const ns = info.namespaced ? a.namespace : undefined;
  if (a.verb === 'get') {
    const o = api.get(parsed.kind, ns, a.name!);
    if (!o) return status(404, 'NotFound', `${a.resource}${a.apiGroup ? `.${a.apiGroup}` : ''} "${a.name}" not found`, { name: a.name!, ...(a.apiGroup ? { group: a.apiGroup } : {}), kind: a.resource! });
    return json(o);
  }
  const items: KubeObject[] = api.list(parsed.kind, ns);
  return json({ kind: `${parsed.kind}List`, apiVersion: parsed.apiVersion, metadata: { resourceVersion: String(api.store.resourceVersion) }, items: items.map(({ kind: _k, apiVersion: _v, ...rest }) => rest) });
}
