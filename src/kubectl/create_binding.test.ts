import { describe, expect, it } from 'vitest';
import { KubectlParseError, parseKubectl } from './parse.js';

// staging kubectl pkg/cmd/create/create_rolebinding_test.go TestCreateRoleBinding /
// create_clusterrolebinding_test.go: the object built from the flags, and the validation errors.
describe('kubectl create rolebinding|clusterrolebinding', () => {
  it('builds a RoleBinding with users, groups and service accounts in that order', () => {
    const a = parseKubectl('kubectl create rolebinding fake-binding --role=fake-role --serviceaccount=fake-namespace:fake-account --user=fake-user --group=fake-group -n fake-namespace') as any;
    expect(a.verb).toBe('create');
    expect(a.namespace).toBe('fake-namespace');
    expect(a.built).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'fake-binding', namespace: 'fake-namespace' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'fake-role' },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'fake-user' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'fake-group' },
        { kind: 'ServiceAccount', namespace: 'fake-namespace', name: 'fake-account' },
      ],
    });
  });

  it('a RoleBinding may reference a ClusterRole; a ClusterRoleBinding has no namespace', () => {
    expect((parseKubectl('kubectl create rolebinding b --clusterrole=view --user=jane') as any).built.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    const crb = (parseKubectl('kubectl create clusterrolebinding b --clusterrole=view --group=devs -n x') as any).built;
    expect(crb.kind).toBe('ClusterRoleBinding');
    expect(crb.metadata).toEqual({ name: 'b' });
  });

  const errors: [string, RegExp][] = [
    ['kubectl create rolebinding b --user=u', /exactly one of clusterrole or role must be specified/],
    ['kubectl create rolebinding b --role=r --clusterrole=c', /exactly one of clusterrole or role must be specified/],
    ['kubectl create clusterrolebinding b --user=u', /clusterrole must be specified/],
    ['kubectl create rolebinding b --role=r --serviceaccount=nonamespace', /serviceaccount must be <namespace>:<name>/],
    ['kubectl create rolebinding --role=r', /exactly one NAME is required, got 0/],
  ];
  for (const [line, msg] of errors) {
    it(`refuses: ${line}`, () => {
      expect(() => parseKubectl(line)).toThrow(KubectlParseError);
      expect(() => parseKubectl(line)).toThrow(msg);
    });
  }
});
