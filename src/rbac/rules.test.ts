import { describe, expect, it } from 'vitest';
import { ruleAllows, type PolicyRule, type RequestAttributes } from './rules.js';

const res = (verb: string, resource: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({ verb, resourceRequest: true, apiGroup: '', resource, namespace: 'default', ...extra });
const nonRes = (verb: string, path: string): RequestAttributes => ({ verb, resourceRequest: false, path });

// plugin/pkg/auth/authorizer/rbac/rbac_test.go TestRuleMatches
describe('ruleAllows (RuleAllows, evaluation_helpers.go)', () => {
  const cases: [string, PolicyRule, RequestAttributes, boolean][] = [
    ['star verb, exact match other', { verbs: ['*'], apiGroups: ['group'], resources: ['*'] }, res('get', 'foo', { apiGroup: 'group' }), true],
    ['star verb, exact match other, wrong group', { verbs: ['*'], apiGroups: ['group'], resources: ['*'] }, res('get', 'foo', { apiGroup: 'group2' }), false],
    ['star group', { verbs: ['get'], apiGroups: ['*'], resources: ['pods'] }, res('get', 'pods', { apiGroup: 'anything' }), true],
    ['exact resource, wrong verb', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('delete', 'pods'), false],
    ['resource does not cover its subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', 'pods', { subresource: 'log', name: 'p' }), false],
    ['exact subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', 'pods', { subresource: 'log', name: 'p' }), true],
    ['star covers subresources', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, res('get', 'pods', { subresource: 'log' }), true],
    ['*/subresource matches any resource', { verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, res('get', 'deployments', { subresource: 'status' }), true],
    ['*/subresource does not match the resource', { verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, res('get', 'deployments'), false],
    ['pods/* only matches a subresource literally named *', { verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }, res('get', 'pods', { subresource: 'log' }), false],
    ['resourceNames allow the named object', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cfg'] }, res('get', 'configmaps', { name: 'cfg' }), true],
    ['resourceNames deny other names', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cfg'] }, res('get', 'configmaps', { name: 'other' }), false],
    ['resourceNames never match a collection request', { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cfg'] }, res('list', 'configmaps'), false],
    ['nonResourceURL exact', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, nonRes('get', '/healthz'), true],
    ['nonResourceURL prefix star', { verbs: ['get'], nonResourceURLs: ['/api/*'] }, nonRes('get', '/api/v1'), true],
    ['nonResourceURL no match', { verbs: ['get'], nonResourceURLs: ['/api'] }, nonRes('get', '/apis'), false],
    ['resource rule does not match a non-resource request', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, nonRes('get', '/healthz'), false],
  ];
  it.each(cases)('%s', (_, rule, attrs, want) => expect(ruleAllows(attrs, rule)).toBe(want));
});
