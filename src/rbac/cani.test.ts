import { describe, expect, it } from 'vitest';
import { parseKubectl } from '../kubectl/parse.js';
import { KubectlParseError } from '../kubectl/errors.js';
import { executeCanI, CanIDenied, type CanIAction } from './cani.js';
import { newCluster } from '../../test/helpers/cluster.js';

// staging kubectl pkg/cmd/auth/cani_test.go TestRunAccessCheck (flags to the review's attributes)
describe('kubectl auth can-i', () => {
  it('parses the verb, resource, impersonation and namespace', () => {
    const a = parseKubectl('auth can-i get pods/web-0 --subresource=log --as=jane --as-group=devs -n team-a') as CanIAction;
    expect(a).toMatchObject({ verb: 'auth', subcommand: 'can-i', canVerb: 'get', resource: 'pods/web-0', subresource: 'log', as: 'jane', groups: ['devs'], namespace: 'team-a' });
    expect((parseKubectl('auth can-i list nodes -A') as CanIAction).namespace).toBeUndefined();
  });

  it('needs exactly a verb and a resource', () => {
    expect(() => parseKubectl('auth can-i list')).toThrow(KubectlParseError);
    expect(() => parseKubectl('auth can-i list pods extra')).toThrow(/unexpected arguments/);
  });

  it('answers yes for the admin and no (exit 1) for a user without bindings', () => {
    const c = newCluster();
    expect(executeCanI(c, parseKubectl('auth can-i "*" "*"') as CanIAction)).toEqual(['yes']);
    expect(() => executeCanI(c, parseKubectl('auth can-i list pods --as=nobody') as CanIAction)).toThrow(CanIDenied);
    // every authenticated user may create self-subject access reviews (system:basic-user)
    expect(executeCanI(c, parseKubectl('auth can-i create selfsubjectaccessreviews.authorization.k8s.io --as=nobody') as CanIAction)).toEqual(['yes']);
  });
});
