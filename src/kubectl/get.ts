// `kubectl get` and `kubectl describe` steps (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go,
// pkg/cmd/describe/describe.go): they change nothing; the engine records what kubectl would
// print at that virtual instant as the step's view (src/engine/view_action.ts). Resource
// arguments follow the resource builder's rules (targets.ts); with no names and no selector a
// type is listed whole, as `kubectl get pods` does.

import { KubectlParseError } from './errors.js';
import { flagBool, flagString, type FlagSpec, type ParsedFlags, type UnsupportedFlag } from './flags.js';
import { DESCRIBABLE } from './printers/describe.js';
import type { GetOutput } from './printers/get.js';
import { resolveTargets } from './targets.js';
import type { Target } from './types.js';
import type { BuildContext } from './verbs.js';

/** `kubectl get|describe`: what to read and how to print it. */
export interface ViewAction {
  verb: 'get' | 'describe';
  target: Target;
  targets?: Target[];
  /** get only: -o (table when omitted) */
  output?: GetOutput;
  showLabels?: boolean;
  noHeaders?: boolean;
  /** --show-kind: NAME cells carry the resource type even for one type */
  showKind?: boolean;
  /** describe only: --show-events (default true) */
  showEvents?: boolean;
  commandLine?: string;
}

const SELECTOR: FlagSpec = { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2)" };
const ALL_NAMESPACES: FlagSpec = { name: 'all-namespaces', short: 'A', type: 'bool', help: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' };

export const GET_FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (json, yaml, name, wide).' },
  SELECTOR,
  ALL_NAMESPACES,
  { name: 'show-labels', type: 'bool', help: 'When printing, show all labels as the last column (default hide labels column).' },
  { name: 'no-headers', type: 'bool', help: 'When using the default or custom-column output format, don\'t print headers (default print headers).' },
  { name: 'show-kind', type: 'bool', help: 'If present, list the resource type for the requested object(s).' },
];

const u = (name: string, reason: string, short?: string): UnsupportedFlag => (short ? { name, short, reason } : { name, reason });

export const GET_UNSUPPORTED: UnsupportedFlag[] = [
  u('watch', 'a step records one view at one instant; add another get step later, or use a wait: step', 'w'),
  u('watch-only', 'a step records one view at one instant'),
  u('filename', 'name the resources as TYPE NAME or TYPE/NAME', 'f'),
  u('field-selector', 'field selectors are not supported yet; use -l or names'),
  u('label-columns', 'use --show-labels', 'L'),
  u('sort-by', 'rows are listed in the API server\'s order (namespace, then name)'),
  u('chunk-size', 'lists are never paginated'),
  u('raw', 'raw URIs are not supported'),
  u('template', 'templates are not supported; use -o yaml or -o json'),
  u('subresource', 'subresources are not supported'),
  u('kustomize', 'kustomize is not run', 'k'),
  u('recursive', 'name the resources', 'R'),
  u('server-print', 'tables are printed with kubectl\'s built-in columns'),
  u('output-watch-events', 'a step records one view at one instant'),
  u('ignore-not-found', 'not supported yet'),
];

export const DESCRIBE_FLAGS: FlagSpec[] = [
  SELECTOR,
  ALL_NAMESPACES,
  { name: 'show-events', type: 'bool', help: 'If true, display events related to the described object.' },
];

export const DESCRIBE_UNSUPPORTED: UnsupportedFlag[] = [
  u('filename', 'name the resources as TYPE NAME or TYPE/NAME', 'f'),
  u('chunk-size', 'lists are never paginated'),
  u('kustomize', 'kustomize is not run', 'k'),
  u('recursive', 'name the resources', 'R'),
];

const OUTPUTS: GetOutput[] = ['wide', 'yaml', 'json', 'name'];

function targetsOf(p: ParsedFlags, ctx: BuildContext, verb: string): Target[] {
  const selector = flagString(p, 'selector');
  const allNamespaces = flagBool(p, 'all-namespaces') === true;
  // a type alone (`kubectl get pods`) lists every object of it: the resource builder's
  // SelectAllParam(true) for get and describe
  const listAll = (selector === undefined || selector === '') && p.args.length === 1 && !p.args[0].includes('/');
  if (p.args.length === 0) {
    const get = verb === 'get';
    throw new KubectlParseError(
      get
        ? "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources."
        : 'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.',
      `kubectl ${verb} pods, kubectl ${verb} deployment/web, kubectl ${verb} pods -l app=web`,
      ctx.commandLine,
    );
  }
  const targets = resolveTargets(p.args, {
    namespace: flagString(p, 'namespace'),
    allNamespaces,
    selector,
    all: listAll,
    resolve: ctx.resolve,
    commandLine: ctx.commandLine,
  });
  // resolveTargets only marks -A on list requests; carry it onto every target
  for (const t of targets) if (allNamespaces) t.allNamespaces = true;
  return targets;
}

export function buildGet(p: ParsedFlags, ctx: BuildContext): ViewAction {
  const o = flagString(p, 'output');
  if (o !== undefined && !OUTPUTS.includes(o as GetOutput)) {
    throw new KubectlParseError(
      `unable to match a printer suitable for the output format "${o}", allowed formats are: json,name,wide,yaml`,
      'the simulator prints -o wide, -o yaml, -o json and -o name (not custom-columns, jsonpath or go-template)',
      ctx.commandLine,
    );
  }
  const targets = targetsOf(p, ctx, 'get');
  return {
    verb: 'get',
    target: targets[0],
    ...(targets.length > 1 ? { targets } : {}),
    output: (o as GetOutput | undefined) ?? 'table',
    ...(flagBool(p, 'show-labels') ? { showLabels: true } : {}),
    ...(flagBool(p, 'no-headers') ? { noHeaders: true } : {}),
    ...(flagBool(p, 'show-kind') ? { showKind: true } : {}),
    commandLine: ctx.commandLine,
  };
}

export function buildDescribe(p: ParsedFlags, ctx: BuildContext): ViewAction {
  const targets = targetsOf(p, ctx, 'describe');
  for (const t of targets) {
    if (!DESCRIBABLE.includes(t.kind)) {
      throw new KubectlParseError(
        `kubectl describe ${t.kind} is not supported by the simulator yet`,
        `describe supports: ${DESCRIBABLE.map((k) => k.toLowerCase() + 's').join(', ')}; use kubectl get ${t.kind.toLowerCase()} -o yaml for the rest`,
        ctx.commandLine,
      );
    }
  }
  return {
    verb: 'describe',
    target: targets[0],
    ...(targets.length > 1 ? { targets } : {}),
    showEvents: flagBool(p, 'show-events') ?? true,
    commandLine: ctx.commandLine,
  };
}
