// The `can:` expectation subject: an RBAC decision at one instant, as `kubectl auth can-i`
// asks it (staging kubectl pkg/cmd/auth/cani.go builds a SelfSubjectAccessReview; with --as the
// request is impersonated, so the decision is for that user).

import type { EvalContext, Outcome, Subject } from '../expect/subjects.js';
import { resolveResource } from '../kubectl/resources.js';
import { userInfo, type UserInfo } from './authorizer.js';
import { authorizeRequest } from './chain.js';
import { KUBECTL_USER } from './bootstrap.js';
import type { RequestAttributes } from './rules.js';

type Report = (path: (string | number)[], message: string, hint?: string) => void;

export interface CanQuery {
  user: UserInfo;
  attrs: RequestAttributes;
  /** `kubectl auth can-i list pods --as=jane -n default` */
  text: string;
}

/**
 * Build the attributes kubectl sends: the resource word resolved by discovery (an unknown word is
 * sent as typed, as kubectl does after its warning), TYPE/NAME split into resource and name, a
 * cluster-scoped resource without a namespace, a leading "/" a non-resource URL.
 */
export function canQuery(spec: { as?: string; groups?: string[]; verb: string; resource: string; name?: string; subresource?: string; namespace?: string }): CanQuery {
  const user = spec.as ? userInfo(spec.as, spec.groups ?? []) : KUBECTL_USER;
  const asFlag = spec.as ? ` --as=${spec.as}${(spec.groups ?? []).map((g) => ` --as-group=${g}`).join('')}` : '';
  if (spec.resource.startsWith('/')) {
    return { user, attrs: { verb: spec.verb, resourceRequest: false, path: spec.resource }, text: `kubectl auth can-i ${spec.verb} ${spec.resource}${asFlag}` };
  }
  const [word, nameFromArg] = spec.resource.split('/', 2);
  const info = resolveResource(word);
  // unknown to discovery: kubectl warns and sends schema.ParseGroupResource(word)
  const dot = word.indexOf('.');
  const resource = info?.plural ?? (dot > 0 ? word.slice(0, dot) : word).toLowerCase();
  const group = info?.group ?? (dot > 0 ? word.slice(dot + 1) : '');
  const namespaced = info?.namespaced ?? true;
  const namespace = namespaced ? spec.namespace ?? 'default' : undefined;
  const attrs: RequestAttributes = {
    verb: spec.verb,
    resourceRequest: true,
    apiGroup: group,
    resource,
    subresource: spec.subresource || undefined,
    name: spec.name ?? nameFromArg,
    namespace,
  };
  const text = `kubectl auth can-i ${spec.verb} ${spec.resource}${spec.subresource ? ` --subresource=${spec.subresource}` : ''}${asFlag}${namespace && namespace !== 'default' ? ` -n ${namespace}` : ''}`;
  return { user, attrs, text };
}

export class CanSubject implements Subject {
  readonly describe: string;
  // the Node authorizer's graph follows pods bound to nodes and their claims
  readonly kinds = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Pod', 'PersistentVolumeClaim'];

  constructor(readonly query: CanQuery, readonly allowed: boolean) {
    this.describe = `can ${query.text.replace('kubectl auth can-i ', '')}`;
  }

  evaluate({ api }: EvalContext): Outcome {
    const d = authorizeRequest(api, this.query.user, this.query.attrs);
    if (d.allowed === this.allowed) return { ok: true };
    const got = d.allowed ? 'yes' : 'no';
    return { ok: false, message: `expected \`${this.query.text}\` to answer ${this.allowed ? 'yes' : 'no'}, got ${got}${d.reason ? ` (${d.reason})` : ''}` };
  }
}

export function compileCanExpectation(e: any, report: Report): Subject | undefined {
  const c = e.can ?? {};
  if (typeof c.verb !== 'string' || typeof c.resource !== 'string' || !c.verb || !c.resource) {
    report(['can'], '`can:` needs a verb and a resource', 'write `can: {as: system:serviceaccount:default:reader, verb: list, resource: pods}`');
    return undefined;
  }
  if (e.allowed !== undefined && typeof e.allowed !== 'boolean') {
    report(['allowed'], '`allowed` is true or false');
    return undefined;
  }
  return new CanSubject(canQuery(c), e.allowed ?? true);
}
