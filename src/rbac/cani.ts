// `kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [--subresource=S] [-n NS | -A]
// [--as=USER] [--as-group=G]` (staging kubectl pkg/cmd/auth/cani.go): prints "yes", or "no" and
// exits 1 — so in a scenario a denied check is a failing step, asserted with `expectError: "no"`.

import { KubectlParseError } from '../kubectl/errors.js';
import { flagBool, flagList, flagString, type FlagSpec, type ParsedFlags, type UnsupportedFlag } from '../kubectl/flags.js';
import type { Action } from '../kubectl/types.js';
import type { Cluster } from '../engine/cluster.js';
import { authorizeRequest } from './chain.js';
import { canQuery } from './subject.js';

export const CANI_FLAGS: FlagSpec[] = [
  { name: 'as', type: 'string', help: 'Username to impersonate for the operation.' },
  { name: 'as-group', type: 'stringSlice', help: 'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.' },
  { name: 'subresource', type: 'string', help: 'SubResource such as pod/log or deployment/scale' },
  { name: 'all-namespaces', short: 'A', type: 'bool', help: 'If true, check the specified action in all namespaces.' },
  { name: 'quiet', short: 'q', type: 'bool', help: 'If true, suppress output and just return the exit code.' },
];

export const CANI_UNSUPPORTED: UnsupportedFlag[] = [
  { name: 'list', reason: 'listing every allowed action is not simulated; ask one question per step or use `can:` expectations' },
  { name: 'no-headers', reason: 'only used with --list' },
];

export type CanIAction = {
  verb: 'auth';
  subcommand: 'can-i';
  commandLine?: string;
  as?: string;
  groups: string[];
  canVerb: string;
  resource: string;
  subresource?: string;
  /** undefined with -A: a cluster-wide question */
  namespace?: string;
  quiet: boolean;
};

export function buildAuth(p: ParsedFlags, ctx: { commandLine: string }): Action {
  const args = p.args[0] === 'can-i' ? p.args.slice(1) : p.args;
  if (args.length < 2) {
    throw new KubectlParseError('you must specify two arguments: verb resource or verb resource/resourceName.', 'write: kubectl auth can-i list pods --as=system:serviceaccount:default:reader', ctx.commandLine);
  }
  if (args.length > 2) {
    throw new KubectlParseError(`unexpected arguments: [${args.slice(2).join(' ')}]`, 'usage: kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL]', ctx.commandLine);
  }
  const all = flagBool(p, 'all-namespaces') ?? false;
  const action: CanIAction = {
    verb: 'auth',
    subcommand: 'can-i',
    commandLine: ctx.commandLine,
    as: flagString(p, 'as'),
    groups: flagList(p, 'as-group') ?? [],
    canVerb: args[0],
    resource: args[1],
    subresource: flagString(p, 'subresource'),
    namespace: all ? undefined : flagString(p, 'namespace') ?? 'default',
    quiet: flagBool(p, 'quiet') ?? false,
  };
  return action;
}

export class CanIDenied extends Error {}

/** Answer the question: output "yes", or throw "no" (kubectl exits 1). */
export function executeCanI(cluster: Cluster, a: CanIAction): string[] {
  const q = canQuery({ as: a.as, groups: a.groups, verb: a.canVerb, resource: a.resource, subresource: a.subresource, namespace: a.namespace ?? '' });
  // -A asks at the cluster scope: only ClusterRoleBindings can answer yes
  if (a.namespace === undefined && q.attrs.resourceRequest) q.attrs.namespace = undefined;
  const d = authorizeRequest(cluster.api, q.user, q.attrs);
  if (!d.allowed) throw new CanIDenied(a.quiet ? 'no' : 'no');
  return a.quiet ? [] : ['yes'];
}
