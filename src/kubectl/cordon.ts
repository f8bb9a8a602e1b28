// `kubectl cordon|uncordon NODE... | -l SELECTOR` (staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go
// NewCmdCordon/NewCmdUncordon, DrainCmdOptions.Complete): node names or a selector, not both.

import { KubectlParseError } from './errors.js';
import { flagString, type FlagSpec, type ParsedFlags, type UnsupportedFlag } from './flags.js';
import type { Action } from './types.js';

export const CORDON_FLAGS: FlagSpec[] = [
  { name: 'selector', short: 'l', type: 'string', help: 'Selector (label query) to filter on' },
];

export const CORDON_UNSUPPORTED: UnsupportedFlag[] = [
  { name: 'dry-run', reason: 'a dry run changes nothing; leave the step out instead' },
];

export function buildCordon(verb: 'cordon' | 'uncordon') {
  return (p: ParsedFlags, ctx: { commandLine: string }): Action => {
    const selector = flagString(p, 'selector');
    if (p.args.length === 0 && selector === undefined) {
      throw new KubectlParseError(`USAGE: ${verb} NODE [flags]`, `name the node: kubectl ${verb} node-1 (or select nodes with -l key=value)`, ctx.commandLine);
    }
    if (p.args.length > 0 && selector) {
      throw new KubectlParseError('cannot specify both a node name and a --selector option', 'use node names or -l, not both', ctx.commandLine);
    }
    // `kubectl cordon node/node-1` is accepted as well as a bare name
    const names = p.args.map((a) => a.replace(/^(nodes?|no)\//, ''));
    return {
      verb,
      target: { kind: 'Node', names, ...(selector !== undefined ? { selector } : {}) },
      commandLine: ctx.commandLine,
    };
  };
}
