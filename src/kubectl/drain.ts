// `kubectl drain NODE... | -l SELECTOR` (staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go
// NewCmdDrain, DrainCmdOptions.Complete): the flags kubectl offers and their defaults
// (--grace-period=-1: each pod's own; --timeout=0: wait forever).

import { KubectlParseError } from './errors.js';
import { flagBool, flagInt, flagString, type FlagSpec, type ParsedFlags, type UnsupportedFlag } from './flags.js';
import type { Action } from './types.js';
import { parseDuration } from '../util/duration.js';

export const DRAIN_FLAGS: FlagSpec[] = [
  { name: 'force', type: 'bool', help: 'Continue even if there are pods that do not declare a controller.' },
  { name: 'ignore-daemonsets', type: 'bool', help: 'Ignore DaemonSet-managed pods.' },
  { name: 'delete-emptydir-data', type: 'bool', help: 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).' },
  { name: 'delete-local-data', type: 'bool', help: 'Continue even if there are pods using emptyDir (deprecated: use --delete-emptydir-data).' },
  { name: 'grace-period', type: 'int', help: 'Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.' },
  { name: 'timeout', type: 'string', help: 'The length of time to wait before giving up, zero means infinite' },
  { name: 'pod-selector', type: 'string', help: 'Label selector to filter pods on the node' },
  { name: 'selector', short: 'l', type: 'string', help: 'Selector (label query) to filter on' },
  { name: 'disable-eviction', type: 'bool', help: 'Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.' },
];

export const DRAIN_UNSUPPORTED: UnsupportedFlag[] = [
  { name: 'dry-run', reason: 'a dry run changes nothing; leave the step out instead' },
  { name: 'skip-wait-for-delete-timeout', reason: 'pods are always waited for until they are gone' },
  { name: 'chunk-size', reason: 'listing is not paged in the simulator' },
];

export function buildDrain(p: ParsedFlags, ctx: { commandLine: string }): Action {
  const selector = flagString(p, 'selector');
  if (p.args.length === 0 && selector === undefined) {
    throw new KubectlParseError('USAGE: drain NODE [flags]', 'name the node: kubectl drain node-1 --ignore-daemonsets (or select nodes with -l key=value)', ctx.commandLine);
  }
  if (p.args.length > 0 && selector) {
    throw new KubectlParseError('cannot specify both a node name and a --selector option', 'use node names or -l, not both', ctx.commandLine);
  }
  let timeoutMs = 0;
  const t = flagString(p, 'timeout');
  if (t !== undefined) {
    try {
      timeoutMs = parseDuration(t);
    } catch (e) {
      throw new KubectlParseError(`invalid argument "${t}" for "--timeout" flag: ${(e as Error).message}`, 'e.g. --timeout=5m (0 waits forever)', ctx.commandLine);
    }
  }
  const grace = flagInt(p, 'grace-period') ?? -1;
  const names = p.args.map((a) => a.replace(/^(nodes?|no)\//, ''));
  return {
    verb: 'drain',
    target: { kind: 'Node', names, ...(selector !== undefined ? { selector } : {}) },
    force: flagBool(p, 'force') ?? false,
    ignoreDaemonSets: flagBool(p, 'ignore-daemonsets') ?? false,
    // --delete-local-data is the deprecated spelling of the same switch
    deleteEmptyDirData: (flagBool(p, 'delete-emptydir-data') ?? false) || (flagBool(p, 'delete-local-data') ?? false),
    disableEviction: flagBool(p, 'disable-eviction') ?? false,
    ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
    timeoutMs,
    ...(flagString(p, 'pod-selector') !== undefined ? { podSelector: flagString(p, 'pod-selector') } : {}),
    commandLine: ctx.commandLine,
  };
}
