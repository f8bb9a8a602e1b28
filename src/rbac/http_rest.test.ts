import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { advance, at, newCluster, pod } from '../../test/helpers/cluster.js';
import { serveApiRequest } from './http_api.js';
import { issueServiceAccountToken } from './tokens.js';
import { causeOf } from './http_rest.js';

// Writes through the API server's HTTPS front: status codes and bodies as
// staging apiserver pkg/endpoints/handlers/{create,update,patch,delete}.go write them.

type C = ReturnType<typeof newCluster>;

function setup(rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[]) {
  const c = newCluster({ nodes: 1 });
  c.api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: 'default' } } as KubeObject);
  const client = c.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'default' }, spec: { serviceAccountName: 'app', containers: [{ name: 'c', image: 'busybox' }] } } as KubeObject);
  const token = issueServiceAccountToken(c.api, client, { serviceAccountName: 'app', expirationSeconds: 3607 });
  c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'default' }, rules } as KubeObject);
  c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'default' }] } as KubeObject);
  return { c, token };
}

function call(c: C, token: string, method: string, path: string, body?: unknown, contentType = 'application/json', headers: Record<string, string> = {}) {
  const a = serveApiRequest(c.api, {
    method,
    path,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': contentType } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: a.status, json: JSON.parse(a.body) };
}

const CM = '/api/v1/namespaces/default/configmaps';
const ALL = ['get', 'list', 'create', 'update', 'patch', 'delete', 'deletecollection'];

describe('create (POST)', () => {
  it('201 with the stored object; 409 AlreadyExists with the Status; generateName', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['configmaps'], verbs: ALL }]);
    const made = call(c, token, 'POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default', resourceVersion: expect.any(String), uid: expect.any(String) }, data: { a: '1' } });
    expect(c.api.get('ConfigMap', 'default', 'x')?.data).toEqual({ a: '1' });
    expect(call(c, token, 'POST', CM, { metadata: { name: 'x' } })).toEqual({
      status: 409,
      json: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "x" already exists', reason: 'AlreadyExists', details: { name: 'x', kind: 'configmaps' }, code: 409 },
    });
    const gen = call(c, token, 'POST', CM, { metadata: { generateName: 'cfg-' } });
    expect(gen.status).toBe(201);
    expect(gen.json.metadata.name).toMatch(/^cfg-[a-z0-9]{5}$/);
  });

  it('a YAML body; kind and apiVersion default from the URL; a body in another namespace is a 400', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['configmaps'], verbs: ALL }]);
    expect(call(c, token, 'POST', CM, 'metadata:\n  name: y\ndata:\n  k: v\n', 'application/yaml').status).toBe(201);
    expect(c.api.get('ConfigMap', 'default', 'y')?.data).toEqual({ k: 'v' });
    const other = call(c, token, 'POST', CM, { metadata: { name: 'z', namespace: 'kube-system' } });
    expect([other.status, other.json.reason, other.json.message]).toEqual([400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request']);
    const v = call(c, token, 'POST', CM, { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'z' } });
    expect([v.status, v.json.message]).toEqual([400, 'the API version in the data (apps/v1) does not match the expected API version (v1)']);
  });

  it('curl -d without a Content-Type is form-encoded: 415 UnsupportedMediaType', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['configmaps'], verbs: ALL }]);
    const r = call(c, token, 'POST', CM, { metadata: { name: 'x' } }, 'application/x-www-form-urlencoded');
    expect([r.status, r.json.reason, r.json.message]).toEqual([415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf']);
  });

  it('422 Invalid with field causes (errors.NewInvalid)', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['pods'], verbs: ALL }]);
    const r = call(c, token, 'POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { containers: [] } });
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ reason: 'Invalid', details: { name: 'p', kind: 'Pod' }, code: 422 });
    expect(r.json.message).toMatch(/^Pod "p" is invalid: /);
    expect(r.json.details.causes[0]).toMatchObject({ reason: 'FieldValueRequired', field: 'spec.containers' });
  });

  it('a namespace that does not exist is a 404', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['configmaps'], verbs: ALL }]);
    c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cm' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }] } as KubeObject);
    c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'cm' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cm' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'default' }] } as KubeObject);
    const r = call(c, token, 'POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'x' } });
    expect([r.status, r.json.message, r.json.details]).toEqual([404, 'namespaces "nope" not found', { name: 'nope', kind: 'namespaces' }]);
  });
});

describe('update (PUT) and patch (PATCH)', () => {
  it('PUT replaces; a stale resourceVersion is a 409 Conflict; a name mismatch a 400; a missing object a 404', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['configmaps'], verbs: ALL }]);
    const made = call(c, token, 'POST', CM, { metadata: { name: 'x' }, data: { a: '1' } }).json;
    const put = call(c, token, 'PUT', `${CM}/x`, { ...made, data: { a: '2' } });
    expect([put.status, put.json.data]).toEqual([200, { a: '2' }]);
    const stale = call(c, token, 'PUT', `${CM}/x`, { ...made, data: { a: '3' } });
    expect([stale.status, stale.json.reason, stale.json.message]).toEqual([409, 'Conflict', 'Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again']);
    const renamed = call(c, token, 'PUT', `${CM}/x`, { metadata: { name: 'y' } });
    expect([renamed.status, renamed.json.message]).toEqual([400, 'the name of the object (y) does not match the name on the URL (x)']);
    expect(call(c, token, 'PUT', `${CM}/nope`, { metadata: { name: 'nope' } }).json).toMatchObject({ code: 404, message: 'configmaps "nope" not found' });
  });

  it('PATCH with the three patch types; another content type is a 415', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['configmaps'], verbs: ALL }]);
    call(c, token, 'POST', CM, { metadata: { name: 'x', labels: { a: '1' } }, data: { a: '1' } });
    expect(call(c, token, 'PATCH', `${CM}/x`, { data: { b: '2' } }, 'application/merge-patch+json').json.data).toEqual({ a: '1', b: '2' });
    expect(call(c, token, 'PATCH', `${CM}/x`, { metadata: { labels: { a: null } } }, 'application/strategic-merge-patch+json').json.metadata.labels).toBeUndefined();
    expect(call(c, token, 'PATCH', `${CM}/x`, [{ op: 'replace', path: '/data/a', value: '9' }], 'application/json-patch+json').json.data).toEqual({ a: '9', b: '2' });
    const bad = call(c, token, 'PATCH', `${CM}/x`, { data: {} }, 'application/json');
    expect([bad.status, bad.json.message]).toEqual([415, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml']);
  });

  it('a patch of the main resource keeps status; the status subresource changes only status', () => {
    const { c, token } = setup([{ apiGroups: ['apps'], resources: ['deployments', 'deployments/status'], verbs: ALL }]);
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    expect(call(c, token, 'POST', '/apis/apps/v1/namespaces/default/deployments', d).status).toBe(201);
    const p = call(c, token, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/d', { spec: { replicas: 3 }, status: { replicas: 99 } }, 'application/merge-patch+json');
    expect([p.json.spec.replicas, p.json.status?.replicas]).toEqual([3, undefined]);
    const s = call(c, token, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/d/status', { spec: { replicas: 7 }, status: { observedGeneration: 42 } }, 'application/merge-patch+json');
    expect([s.status, s.json.spec.replicas, s.json.status.observedGeneration]).toEqual([200, 3, 42]);
  });
});

describe('delete and deletecollection (DELETE)', () => {
  it('a ConfigMap delete answers a Success Status; a pod delete answers the pod, terminating', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ALL }]);
    const made = call(c, token, 'POST', CM, { metadata: { name: 'x' } }).json;
    expect(call(c, token, 'DELETE', `${CM}/x`)).toEqual({ status: 200, json: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'x', kind: 'configmaps', uid: made.metadata.uid } } });
    expect(c.api.get('ConfigMap', 'default', 'x')).toBeUndefined();
    expect(call(c, token, 'DELETE', `${CM}/x`).json).toMatchObject({ code: 404, reason: 'NotFound', message: 'configmaps "x" not found' });
    at(c, () => c.api.create(pod('web', { nodeName: 'node-1' })));
    advance(c, 3000);
    const del = call(c, token, 'DELETE', '/api/v1/namespaces/default/pods/web', { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 5 });
    expect(del.status).toBe(200);
    expect(del.json).toMatchObject({ kind: 'Pod', metadata: { name: 'web', deletionGracePeriodSeconds: 5, deletionTimestamp: expect.any(String) } });
  });

  it('propagationPolicy from the query: Orphan leaves the ReplicaSet\'s pods; labelSelector picks a collection', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['configmaps'], verbs: ALL }, { apiGroups: ['apps'], resources: ['replicasets'], verbs: ALL }]);
    for (const [n, l] of [['a', 'x'], ['b', 'x'], ['c', 'y']]) call(c, token, 'POST', CM, { metadata: { name: n, labels: { t: l } } });
    const gone = call(c, token, 'DELETE', `${CM}?labelSelector=t%3Dx`);
    expect([gone.status, gone.json.kind, gone.json.items.map((i: any) => i.metadata.name)]).toEqual([200, 'ConfigMapList', ['a', 'b']]);
    expect(c.api.list('ConfigMap', 'default').map((o) => o.metadata.name).filter((n) => ['a', 'b', 'c'].includes(n!))).toEqual(['c']);
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { replicas: 2, selector: { matchLabels: { app: 'rs' } }, template: { metadata: { labels: { app: 'rs' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    at(c, () => call(c, token, 'POST', '/apis/apps/v1/namespaces/default/replicasets', rs));
    advance(c, 5000);
    expect(c.api.list('Pod', 'default').filter((p) => p.metadata.labels?.app === 'rs')).toHaveLength(2);
    at(c, () => call(c, token, 'DELETE', '/apis/apps/v1/namespaces/default/replicasets/rs?propagationPolicy=Orphan'));
    advance(c, 5000);
    expect(c.api.get('ReplicaSet', 'default', 'rs')).toBeUndefined();
    const left = c.api.list('Pod', 'default').filter((p) => p.metadata.labels?.app === 'rs');
    expect(left.map((p) => p.metadata.ownerReferences ?? [])).toEqual([[], []]);
  });

  it('RBAC per verb: create allowed, delete of pods forbidden with upstream\'s message', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'delete'] }]);
    expect(call(c, token, 'POST', CM, { metadata: { name: 'x' } }).status).toBe(201);
    expect(call(c, token, 'DELETE', '/api/v1/namespaces/default/pods/client')).toEqual({
      status: 403,
      json: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "client" is forbidden: User "system:serviceaccount:default:app" cannot delete resource "pods" in API group "" in the namespace "default"', reason: 'Forbidden', details: { name: 'client', kind: 'pods' }, code: 403 },
    });
    expect(call(c, token, 'PATCH', `${CM}/x`, { data: {} }, 'application/merge-patch+json').json.message).toBe('configmaps "x" is forbidden: User "system:serviceaccount:default:app" cannot patch resource "configmaps" in API group "" in the namespace "default"');
  });
});

describe('list selectors', () => {
  it('labelSelector and fieldSelector=metadata.name; an unsupported field is a 400', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ALL }]);
    for (const [n, l] of [['a', 'x'], ['b', 'y']]) call(c, token, 'POST', CM, { metadata: { name: n, labels: { t: l } } });
    const names = (q: string) => call(c, token, 'GET', `${CM}?${q}`).json.items.map((i: any) => i.metadata.name);
    expect(names('labelSelector=t%20in%20(x,y)')).toEqual(['a', 'b']);
    expect(names('labelSelector=t!=x')).toEqual(['b']);
    expect(names('fieldSelector=metadata.name%3Da')).toEqual(['a']);
    expect(names('fieldSelector=metadata.name!%3Da&labelSelector=t')).toEqual(['b']);
    const bad = call(c, token, 'GET', `${CM}?fieldSelector=data.x%3D1`);
    expect([bad.status, bad.json.message]).toEqual([400, 'field label not supported: data.x']);
    expect(call(c, token, 'GET', '/api/v1/namespaces/default/pods?fieldSelector=status.phase%3DRunning').json.items).toEqual([]);
  });
});

// apiserver handlers: errors.NewInvalid turns each field.Error into a StatusCause whose message is
// the error body ("Required value", "Invalid value: ...: detail").
describe('causeOf (errors.NewInvalid StatusCause)', () => {
  const cases: [string, { reason: string; message: string; field: string }][] = [
    ['spec.containers: Required value', { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }],
    ['spec.replicas: Invalid value: -1: must be greater than or equal to 0', { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }],
    ['spec.restartPolicy: Unsupported value: "x": supported values: "Always"', { reason: 'FieldValueNotSupported', message: 'Unsupported value: "x": supported values: "Always"', field: 'spec.restartPolicy' }],
    ['spec: Forbidden: pod updates may not change fields', { reason: 'FieldValueForbidden', message: 'Forbidden: pod updates may not change fields', field: 'spec' }],
  ];
  for (const [text, want] of cases) it(text, () => expect(causeOf(text)).toEqual(want));
});

// Impersonation headers (apiserver filters/impersonation.go) give the HTTPS front a kubelet's
// identity; the node authorizer lets it patch nodes and delete pods, and NodeRestriction
// (plugin/pkg/admission/noderestriction) limits that to its own Node and pods.
describe('impersonating a kubelet: NodeRestriction on the write path', () => {
  function kubelet(allowImpersonation: boolean) {
    const { c, token } = setup([]);
    if (allowImpersonation) {
      c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'impersonator' }, rules: [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }] } as KubeObject);
      c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'impersonator' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'impersonator' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'default' }] } as KubeObject);
    }
    return { c, token };
  }
  const AS_NODE = { 'Impersonate-User': 'system:node:node-1', 'Impersonate-Group': 'system:nodes' };

  it('without the impersonate verb the request is forbidden for users', () => {
    const { c, token } = kubelet(false);
    expect(call(c, token, 'GET', '/api/v1/nodes/node-1', undefined, undefined, AS_NODE)).toEqual({
      status: 403,
      json: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'users "system:node:node-1" is forbidden: User "system:serviceaccount:default:app" cannot impersonate resource "users" in API group "" at the cluster scope', reason: 'Forbidden', details: { name: 'system:node:node-1', kind: 'users' }, code: 403 },
    });
  });

  it('a kubelet may relabel its own Node with its own labels only, and not touch another Node', () => {
    const { c, token } = kubelet(true);
    const patch = (node: string, labels: Record<string, string>) => call(c, token, 'PATCH', `/api/v1/nodes/${node}`, { metadata: { labels } }, 'application/strategic-merge-patch+json', AS_NODE);
    expect(patch('node-1', { 'example.com/rack': 'a' }).json.metadata.labels).toMatchObject({ 'example.com/rack': 'a' });
    expect(patch('node-1', { 'node-role.kubernetes.io/worker': '' }).json).toMatchObject({ code: 403, reason: 'Forbidden', message: 'nodes "node-1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/worker', details: { name: 'node-1', kind: 'nodes' } });
    expect(c.api.get('Node', undefined, 'node-1')!.metadata.labels?.['node-role.kubernetes.io/worker']).toBeUndefined();
  });

  it('a kubelet may delete only pods bound to itself, and create only mirror pods', () => {
    const { c, token } = kubelet(true);
    c.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2' } } as KubeObject);
    at(c, () => {
      c.api.create(pod('mine', { nodeName: 'node-1' }));
      c.api.create(pod('theirs', { nodeName: 'node-2' }));
    });
    advance(c, 3000);
    const d = call(c, token, 'DELETE', '/api/v1/namespaces/default/pods/theirs', undefined, undefined, AS_NODE);
    expect([d.status, d.json.message, d.json.details]).toEqual([403, 'pods "Unknown" is forbidden: node "node-1" can only delete pods with spec.nodeName set to itself', { name: 'Unknown', kind: 'pods' }]);
    expect(call(c, token, 'DELETE', '/api/v1/namespaces/default/pods/mine', undefined, undefined, AS_NODE).status).toBe(200);
    const made = call(c, token, 'POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'x' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } }, 'application/json', AS_NODE);
    expect([made.status, made.json.message]).toEqual([403, 'pods "x" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "node-1" can only create mirror pods']);
  });
});

describe('subresources', () => {
  it('POST pods/<n>/eviction deletes the pod through the Eviction API: 201 Success Status', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] }]);
    at(c, () => c.api.create(pod('web', { nodeName: 'node-1' })));
    advance(c, 3000);
    const r = call(c, token, 'POST', '/api/v1/namespaces/default/pods/web/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web', namespace: 'default' } });
    expect(r).toEqual({ status: 201, json: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } });
    expect(c.api.get('Pod', 'default', 'web')?.metadata.deletionTimestamp).toBeDefined();
  });

  it('pods/log and other subresources not served answer 404 after authorization', () => {
    const { c, token } = setup([{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }]);
    expect(call(c, token, 'GET', '/api/v1/namespaces/default/pods/client/log')).toEqual({ status: 404, json: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 } });
    expect(call(c, token, 'GET', '/api/v1/namespaces/default/pods/client/exec').status).toBe(403);
  });

  it('a namespaced collection without a namespace takes no POST: 405', () => {
    const { c, token } = setup([]);
    c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'all' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] } as KubeObject);
    c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'all' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'all' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'default' }] } as KubeObject);
    expect(call(c, token, 'POST', '/api/v1/configmaps', { metadata: { name: 'x' } }).json).toMatchObject({ code: 405, reason: 'MethodNotAllowed' });
    // groups without a user (impersonation.go buildImpersonationRequests)
    expect(call(c, token, 'GET', '/api/v1/namespaces/default/pods', undefined, undefined, { 'Impersonate-Group': 'system:masters' }).status).toBe(500);
    // allowed to impersonate: the request runs as the impersonated user
    const asBob = call(c, token, 'GET', '/api/v1/namespaces/default/pods', undefined, undefined, { 'Impersonate-User': 'bob' });
    expect([asBob.status, asBob.json.message]).toEqual([403, 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"']);
  });
});
