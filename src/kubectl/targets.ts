// Resource arguments -> Targets, with the rules and messages of the resource builder
// (staging/src/k8s.io/cli-runtime/pkg/resource/builder.go: ResourceTypeOrNameArgs,
// normalizeMultipleResourcesArgs, hasCombinedTypeArgs, splitResourceTypeName, visitorResult).

import { didYouMean } from './didyoumean.js';
import { KubectlParseError } from './errors.js';
import { resolveResource, resourceWords, unknownResourceMessage, type ResourceInfo } from './resources.js';
import type { Target } from './types.js';

export type ResourceResolver = (word: string) => ResourceInfo | undefined;

export interface TargetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  all?: boolean;
  /** `-f` files given: then no resource arguments are allowed */
  hasFiles?: boolean;
  /** resolves resource words; defaults to the built-in table (pass one that knows CRDs) */
  resolve?: ResourceResolver;
  commandLine?: string;
}

// The `all` category (kubectl api-resources --categories=all): what `kubectl delete all` expands to.
const CATEGORY_ALL = [
  'pods',
  'replicationcontrollers',
  'services',
  'daemonsets',
  'deployments',
  'replicasets',
  'statefulsets',
  'horizontalpodautoscalers',
  'cronjobs',
  'jobs',
];

export const MISSING_RESOURCE_MESSAGE = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

function fail(message: string, hint: string | undefined, opts: TargetOptions): never {
  throw new KubectlParseError(message, hint, opts.commandLine);
}

function resolveType(word: string, opts: TargetOptions): ResourceInfo[] {
  if (word.toLowerCase() === 'all') return CATEGORY_ALL.map((w) => resolveResource(w)!);
  const r = (opts.resolve ?? resolveResource)(word);
  if (!r) fail(unknownResourceMessage(word), didYouMean(word, resourceWords()) ?? 'run with a built-in type (pods, services, deployments, ...) or a CustomResourceDefinition\'s plural', opts);
  return [r!];
}

function splitTypes(arg: string): string[] {
  return arg.split(',').filter((s) => s !== '');
}

/** Add (kind, name) keeping command order; consecutive names of one kind share a Target. */
function pushNamed(out: Target[], r: ResourceInfo, name: string, opts: TargetOptions): void {
  const last = out[out.length - 1];
  if (last && last.kind === r.kind) {
    if (!last.names.includes(name)) last.names.push(name);
    return;
  }
  out.push(withScope({ kind: r.kind, names: [name] }, opts));
}

function withScope(t: Target, opts: TargetOptions): Target {
  if (opts.namespace !== undefined) t.namespace = opts.namespace;
  return t;
}

export function resolveTargets(argsIn: readonly string[], opts: TargetOptions): Target[] {
  let args = [...argsIn];
  const hasSelector = opts.selector !== undefined && opts.selector !== '';
  if (opts.hasFiles) {
    if (args.length > 0) {
      fail(
        'when paths, URLs, or stdin is provided as input, you may not specify a resource by arguments as well',
        'use either -f FILE or TYPE NAME, not both',
        opts,
      );
    }
    return [];
  }
  if (opts.all && hasSelector) fail("setting 'all' parameter but found a non empty selector. ", 'use either --all or -l/--selector', opts);

  // `kubectl delete pods,svc foo` means pods/foo svc/foo (normalizeMultipleResourcesArgs)
  if (args.length >= 2) {
    const types = splitTypes(args[0]);
    if (types.length > 1) {
      const expanded: string[] = [];
      for (const t of types) for (const n of args.slice(1)) expanded.push(`${t}/${n}`);
      args = expanded;
    }
  }

  const slashed = args.filter((a) => a.includes('/')).length;
  if (slashed > 0) {
    if (slashed !== args.length) {
      fail(
        "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
        'write either TYPE NAME... or TYPE/NAME...',
        opts,
      );
    }
    if (hasSelector || opts.all) {
      fail('selectors and the all flag cannot be used when passing resource/name arguments', 'drop -l/--all, or name the resources by type only', opts);
    }
    if (opts.allNamespaces) {
      fail('a resource cannot be retrieved by name across all namespaces', 'drop -A, or use -n NAMESPACE', opts);
    }
    const out: Target[] = [];
    for (const a of args) {
      const seg = a.split('/');
      if (seg.length !== 2) fail('arguments in resource/name form may not have more than one slash', `in "${a}"`, opts);
      if (seg[0] === '' || seg[1] === '') fail('arguments in resource/name form must have a single resource and name', `in "${a}"`, opts);
      for (const r of resolveType(seg[0], opts)) pushNamed(out, r, seg[1], opts);
    }
    return out;
  }

  if (args.length === 0) {
    fail(MISSING_RESOURCE_MESSAGE, 'name what to act on: TYPE NAME, TYPE/NAME, TYPE -l SELECTOR, TYPE --all, or -f FILE', opts);
  }

  const infos = splitTypes(args[0]).flatMap((t) => resolveType(t, opts));
  if (infos.length === 0) fail(MISSING_RESOURCE_MESSAGE, 'name a resource type, e.g. pods', opts);
  const names = args.slice(1);
  if (names.length > 0) {
    if (hasSelector || opts.all) fail('name cannot be provided when a selector is specified', 'drop the names, or drop -l/--all', opts);
    if (opts.allNamespaces) fail('a resource cannot be retrieved by name across all namespaces', 'drop -A, or use -n NAMESPACE', opts);
    if (infos.length > 1) fail('you must specify only one resource', 'use TYPE/NAME for several types', opts);
    return [withScope({ kind: infos[0].kind, names: [...new Set(names)] }, opts)];
  }
  if (!hasSelector && !opts.all) {
    fail(
      'resource(s) were provided, but no name was specified',
      `name the objects (${args[0]} NAME), or select them with -l SELECTOR or --all`,
      opts,
    );
  }
  const seen = new Set<string>();
  const out: Target[] = [];
  for (const r of infos) {
    if (seen.has(r.kind)) continue;
    seen.add(r.kind);
    const t: Target = withScope({ kind: r.kind, names: [] }, opts);
    if (hasSelector) t.selector = opts.selector;
    if (opts.all) t.all = true;
    if (opts.allNamespaces) t.allNamespaces = true;
    out.push(t);
  }
  return out;
}
