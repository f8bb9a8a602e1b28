import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { newCluster } from '../../test/helpers/cluster.js';
import { authorize, forbiddenMessage, subjectMatches, userInfo } from './authorizer.js';
import { canQuery } from './subject.js';
import type { RequestAttributes } from './rules.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const role = (name: string, ns: string | undefined, rules: any[], labels?: Record<string, string>): KubeObject =>
  ({ apiVersion: RBAC, kind: ns ? 'Role' : 'ClusterRole', metadata: { name, ...(ns ? { namespace: ns } : {}), ...(labels ? { labels } : {}) }, rules }) as KubeObject;
const binding = (name: string, ns: string | undefined, roleKind: string, roleName: string, subjects: any[]): KubeObject =>
  ({ apiVersion: RBAC, kind: ns ? 'RoleBinding' : 'ClusterRoleBinding', metadata: { name, ...(ns ? { namespace: ns } : {}) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName }, subjects }) as KubeObject;
const req = (verb: string, resource: string, namespace?: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({ verb, resourceRequest: true, apiGroup: '', resource, namespace, ...extra });

// pkg/registry/rbac/validation/rule_test.go TestAppliesTo
describe('subjectMatches (appliesToUser)', () => {
  const sa = userInfo('system:serviceaccount:ns1:robot');
  it.each([
    ['user by name', { kind: 'User', name: 'jane' }, userInfo('jane'), undefined, true],
    ['user by other name', { kind: 'User', name: 'jane' }, userInfo('bob'), undefined, false],
    ['group', { kind: 'Group', name: 'devs' }, userInfo('bob', ['devs']), undefined, true],
    ['service account with namespace', { kind: 'ServiceAccount', name: 'robot', namespace: 'ns1' }, sa, undefined, true],
    ['service account defaults to the binding namespace', { kind: 'ServiceAccount', name: 'robot' }, sa, 'ns1', true],
    ['service account in another namespace', { kind: 'ServiceAccount', name: 'robot' }, sa, 'ns2', false],
    ['service account groups', { kind: 'Group', name: 'system:serviceaccounts:ns1' }, sa, undefined, true],
    ['every authenticated user', { kind: 'Group', name: 'system:authenticated' }, userInfo('jane'), undefined, true],
  ] as const)('%s', (_, subject, user, ns, want) => expect(subjectMatches(subject, user, ns)).toBe(want));
});

// plugin/pkg/auth/authorizer/rbac/rbac_test.go TestAuthorizer; the reference's pod-reader table
describe('authorize', () => {
  const setup = () => {
    const c = newCluster();
    c.api.create(role('pod-reader', 'default', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }]));
    c.api.create(binding('jane-reads', 'default', 'Role', 'pod-reader', [{ kind: 'User', name: 'jane' }]));
    return c;
  };
  const jane = userInfo('jane');
  it.each([
    ['list pods in default', req('list', 'pods', 'default'), true],
    ['get a pod', req('get', 'pods', 'default', { name: 'web-0' }), true],
    ['pods/log is not granted', req('get', 'pods', 'default', { name: 'web-0', subresource: 'log' }), false],
    ['delete is not granted', req('delete', 'pods', 'default', { name: 'web-0' }), false],
    ['the RoleBinding is namespaced', req('list', 'pods', 'kube-system'), false],
    ['other API groups', req('list', 'deployments', 'default', { apiGroup: 'apps' }), false],
  ] as const)('jane: %s', (_, attrs, want) => expect(authorize(setup().api, jane, attrs).allowed).toBe(want));

  it('system:masters may do anything through the bootstrap cluster-admin binding', () => {
    const c = newCluster();
    expect(authorize(c.api, userInfo('admin', ['system:masters']), req('delete', 'nodes')).allowed).toBe(true);
    expect(authorize(c.api, userInfo('admin', ['system:masters']), { verb: 'get', resourceRequest: false, path: '/metrics' }).allowed).toBe(true);
  });

  it('a RoleBinding to a ClusterRole grants it only in the binding namespace', () => {
    const c = newCluster();
    c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    c.api.create(binding('view', 'team-a', 'ClusterRole', 'view', [{ kind: 'User', name: 'jane' }]));
    expect(authorize(c.api, jane, req('list', 'pods', 'team-a')).allowed).toBe(true);
    expect(authorize(c.api, jane, req('list', 'pods', 'default')).allowed).toBe(false);
    expect(authorize(c.api, jane, req('list', 'pods')).allowed).toBe(false);
  });

  it('aggregated view/edit/admin: view reads but never secrets; edit writes secrets', () => {
    const c = newCluster();
    c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    c.api.create(binding('v', 'team-a', 'ClusterRole', 'view', [{ kind: 'User', name: 'jane' }]));
    c.api.create(binding('e', 'team-a', 'ClusterRole', 'edit', [{ kind: 'User', name: 'bob' }]));
    expect(authorize(c.api, jane, req('list', 'deployments', 'team-a', { apiGroup: 'apps' })).allowed).toBe(true);
    expect(authorize(c.api, jane, req('get', 'secrets', 'team-a', { name: 's' })).allowed).toBe(false);
    expect(authorize(c.api, userInfo('bob'), req('create', 'secrets', 'team-a')).allowed).toBe(true);
    expect(authorize(c.api, userInfo('bob'), req('create', 'rolebindings', 'team-a', { apiGroup: 'rbac.authorization.k8s.io' })).allowed).toBe(false);
    // a user-made ClusterRole labelled aggregate-to-view extends view
    c.api.create(role('crontab-view', undefined, [{ apiGroups: ['stable.example.com'], resources: ['crontabs'], verbs: ['get'] }], { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }));
    expect(authorize(c.api, jane, req('get', 'crontabs', 'team-a', { apiGroup: 'stable.example.com', name: 'x' })).allowed).toBe(true);
  });

  it('a binding to a missing role records the error and denies', () => {
    const c = newCluster();
    c.api.create(binding('b', 'default', 'Role', 'nope', [{ kind: 'User', name: 'jane' }]));
    expect(authorize(c.api, jane, req('get', 'pods', 'default'))).toEqual({ allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "nope" not found' });
  });
});

// staging apiserver pkg/endpoints/handlers/responsewriters/errors_test.go TestForbidden
describe('forbiddenMessage', () => {
  it.each([
    [req('get', 'pods', 'default', { name: 'web-0' }), 'pods "web-0" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"'],
    [req('list', 'deployments', undefined, { apiGroup: 'apps' }), 'deployments.apps is forbidden: User "jane" cannot list resource "deployments" in API group "apps" at the cluster scope'],
    [req('get', 'pods', 'default', { name: 'p', subresource: 'log' }), 'pods "p" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"'],
    [{ verb: 'get', resourceRequest: false, path: '/metrics' }, 'forbidden: User "jane" cannot get path "/metrics"'],
  ] as const)('%#', (attrs, want) => expect(forbiddenMessage(userInfo('jane'), attrs)).toBe(want));
});

describe('canQuery (kubectl auth can-i)', () => {
  it('resolves resource words, TYPE/NAME and cluster scope', () => {
    expect(canQuery({ verb: 'get', resource: 'deploy/web', namespace: 'team-a' }).attrs).toEqual({ verb: 'get', resourceRequest: true, apiGroup: 'apps', resource: 'deployments', subresource: undefined, name: 'web', namespace: 'team-a' });
    expect(canQuery({ verb: 'list', resource: 'nodes' }).attrs.namespace).toBeUndefined();
    expect(canQuery({ verb: 'get', resource: '/healthz', as: 'jane' }).attrs).toEqual({ verb: 'get', resourceRequest: false, path: '/healthz' });
  });
});
