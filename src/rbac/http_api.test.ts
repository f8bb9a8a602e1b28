import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { newCluster } from '../../test/helpers/cluster.js';
import { requestAttributes, serveApiRequest } from './http_api.js';
import { ANONYMOUS, authenticate, issueServiceAccountToken } from './tokens.js';

// apiserver pkg/endpoints/request/requestinfo_test.go TestGetAPIRequestInfo: verb, namespace,
// resource, name and subresource from the method and the URL.
describe('request attributes (requestinfo_test.go TestGetAPIRequestInfo)', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['GET', '/api/v1/namespaces/other/pods', { verb: 'list', namespace: 'other', resource: 'pods', apiGroup: '' }],
    ['GET', '/api/v1/namespaces/other/pods/foo', { verb: 'get', namespace: 'other', resource: 'pods', name: 'foo' }],
    ['GET', '/api/v1/namespaces/other/pods/foo/log', { verb: 'get', resource: 'pods', name: 'foo', subresource: 'log' }],
    ['GET', '/api/v1/pods', { verb: 'list', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/other/pods?watch=true', { verb: 'watch', resource: 'pods' }],
    ['POST', '/api/v1/namespaces/other/pods', { verb: 'create', resource: 'pods' }],
    ['PUT', '/api/v1/namespaces/other/pods/foo', { verb: 'update', name: 'foo' }],
    ['PATCH', '/api/v1/namespaces/other/pods/foo', { verb: 'patch', name: 'foo' }],
    ['DELETE', '/api/v1/namespaces/other/pods/foo', { verb: 'delete', name: 'foo' }],
    ['DELETE', '/api/v1/namespaces/other/pods', { verb: 'deletecollection' }],
    ['GET', '/apis/apps/v1/namespaces/other/deployments', { verb: 'list', apiGroup: 'apps', resource: 'deployments', namespace: 'other' }],
    ['GET', '/api/v1/namespaces/other', { verb: 'get', resource: 'namespaces', name: 'other', namespace: 'other' }],
    ['GET', '/api/v1/nodes/n1', { verb: 'get', resource: 'nodes', name: 'n1' }],
  ];
  for (const [method, path, want] of cases) {
    it(`${method} ${path}`, () => {
      expect(requestAttributes(method, path).attrs).toMatchObject({ resourceRequest: true, ...want });
    });
  }
  it('non-resource URLs', () => {
    expect(requestAttributes('GET', '/version').attrs).toEqual({ verb: 'get', resourceRequest: false, path: '/version' });
    expect(requestAttributes('GET', '/api').attrs).toEqual({ verb: 'get', resourceRequest: false, path: '/api' });
  });
});

describe('API requests from pods', () => {
  function setup() {
    const c = newCluster();
    c.api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'lister', namespace: 'default' } } as KubeObject);
    const pod = c.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'default' }, spec: { serviceAccountName: 'lister', containers: [{ name: 'c', image: 'busybox' }] } } as KubeObject);
    const token = issueServiceAccountToken(c.api, pod, { serviceAccountName: 'lister', expirationSeconds: 3607 });
    return { c, pod, token };
  }
  const get = (c: ReturnType<typeof setup>['c'], path: string, token?: string) =>
    serveApiRequest(c.api, { method: 'GET', path, headers: token !== undefined ? { Authorization: `Bearer ${token}` } : {} });

  it('a pod token is the service account user; RBAC denies with the forbidden Status', () => {
    const { c, token } = setup();
    expect(authenticate(c.api, `Bearer ${token}`)).toEqual({ name: 'system:serviceaccount:default:lister', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] });
    const a = get(c, '/api/v1/namespaces/default/pods', token);
    expect(a.status).toBe(403);
    expect(JSON.parse(a.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods is forbidden: User "system:serviceaccount:default:lister" cannot list resource "pods" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
  });

  it('allowed after a RoleBinding: the list, one object, and NotFound', () => {
    const { c, token } = setup();
    c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] } as KubeObject);
    c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'lister', namespace: 'default' }] } as KubeObject);
    const list = JSON.parse(get(c, '/api/v1/namespaces/default/pods', token).body);
    expect(list.kind).toBe('PodList');
    expect(list.items.map((p: any) => p.metadata.name)).toEqual(['client']);
    expect(JSON.parse(get(c, '/api/v1/namespaces/default/pods/client', token).body).metadata.name).toBe('client');
    const nf = get(c, '/api/v1/namespaces/default/pods/nope', token);
    expect([nf.status, JSON.parse(nf.body).message]).toEqual([404, 'pods "nope" not found']);
    const w = serveApiRequest(c.api, { method: 'DELETE', path: '/api/v1/namespaces/default/pods/client', headers: { Authorization: `Bearer ${token}` } });
    expect(w.status).toBe(403);
  });

  it('no token or an empty one is anonymous; an unknown token, or one of a deleted pod, is 401', () => {
    const { c, pod, token } = setup();
    expect(authenticate(c.api, undefined)).toBe(ANONYMOUS);
    expect(authenticate(c.api, 'Bearer ')).toBe(ANONYMOUS);
    expect(JSON.parse(get(c, '/api/v1/namespaces/default/pods').body).message).toBe('pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"');
    const bad = get(c, '/api/v1/namespaces/default/pods', 'made-up');
    expect([bad.status, JSON.parse(bad.body).reason]).toEqual([401, 'Unauthorized']);
    c.api.store.remove(c.api.get('Pod', 'default', pod.metadata.name!)!);
    expect(get(c, '/api/v1/namespaces/default/pods', token).status).toBe(401);
  });

  it('a token projected for another audience does not authenticate to the API server', () => {
    const { c, pod } = setup();
    const vault = issueServiceAccountToken(c.api, pod, { serviceAccountName: 'lister', audience: 'vault', expirationSeconds: 600 });
    expect(authenticate(c.api, `Bearer ${vault}`)).toBeUndefined();
  });
});
