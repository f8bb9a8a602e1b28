// The verb table: every kubectl command the parser knows, its flags (kubectl's spellings and
// defaults) and how parsed flags become an Action. Adding a verb (set image, rollout undo, drain,
// ...) means adding a row here with a `build` function; planned rows already give a clear
// "not supported yet" error. Flag sets follow staging/src/k8s.io/kubectl/pkg/cmd/<verb>/<verb>.go.

import { KubectlParseError } from './errors.js';
import { flagBool, flagInt, flagList, flagString, parseGoBool, type FlagSpec, type ParsedFlags, type UnsupportedFlag } from './flags.js';
import { parseAnnotationPairs, parseLabelPairs, splitResourcesAndPairs } from './pairs.js';
import { parsePatchText, type PatchType } from './patchtext.js';
import { resolveTargets, type ResourceResolver } from './targets.js';
import type { Action, Cascade, Target } from './types.js';
import { CORDON_FLAGS, CORDON_UNSUPPORTED, buildCordon } from './cordon.js';
import { DRAIN_FLAGS, DRAIN_UNSUPPORTED, buildDrain } from './drain.js';
import { TAINT_FLAGS, TAINT_UNSUPPORTED, buildTaint } from './taint.js';
import { AUTOSCALE_FLAGS, AUTOSCALE_UNSUPPORTED, buildAutoscale } from './autoscale.js';
import { EXPOSE_FLAGS, EXPOSE_UNSUPPORTED, buildExpose } from './expose.js';
import { RUN_FLAGS, RUN_UNSUPPORTED, buildRun } from './run.js';
import { ROLLOUT_FLAGS, SET_FLAGS, buildRollout, buildSet, unionFlags } from './rollout.js';
import { CANI_FLAGS, CANI_UNSUPPORTED, buildAuth } from '../rbac/cani.js';
import { CREATE_CONFIG_FLAGS, buildCreateConfig, isCreateConfig, usesConfigFlags } from './create_config.js';
import { CREATE_BINDING_FLAGS, buildCreateBinding, isCreateBinding } from './create_binding.js';
import { DESCRIBE_FLAGS, DESCRIBE_UNSUPPORTED, GET_FLAGS, GET_UNSUPPORTED, buildDescribe, buildGet } from './get.js';

export interface BuildContext {
  commandLine: string;
  resolve?: ResourceResolver;
}

export type VerbStatus = 'supported' | 'planned' | 'readonly' | 'unsupported';

export interface VerbDef {
  name: string;
  status: VerbStatus;
  usage: string;
  /** why a non-supported verb is not available, or what to use instead */
  note?: string;
  flags?: FlagSpec[];
  unsupportedFlags?: UnsupportedFlag[];
  /** subcommands (`create configmap`, `rollout undo`); a row without build is not supported yet */
  subcommands?: VerbDef[];
  build?: (p: ParsedFlags, ctx: BuildContext) => Action;
}

// --- flags ------------------------------------------------------------------------------------

/** kubectl's persistent (global) flags that a scenario step may use. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string', help: 'If present, the namespace scope for this CLI request' },
];

export const GLOBAL_UNSUPPORTED: UnsupportedFlag[] = [
  ...['context', 'cluster', 'kubeconfig', 'user', 'token', 'as', 'as-group', 'as-uid', 'certificate-authority', 'client-certificate', 'client-key', 'insecure-skip-tls-verify', 'tls-server-name', 'username', 'password', 'cache-dir', 'disable-compression', 'profile', 'profile-output', 'match-server-version', 'warnings-as-errors'].map(
    (name) => ({ name, reason: 'there is only the one simulated cluster and its API server; connection settings have no meaning' }),
  ),
  { name: 'server', short: 's', reason: 'there is only the one simulated API server' },
  { name: 'request-timeout', reason: 'requests to the simulated API server do not time out' },
  { name: 'v', short: 'v', reason: 'kubectl log verbosity has no meaning in a scenario' },
];

const filename = (usage: string): FlagSpec => ({ name: 'filename', short: 'f', type: 'stringSlice', help: `Filename, directory, or URL to files ${usage}` });
const recursive: FlagSpec = {
  name: 'recursive',
  short: 'R',
  type: 'bool',
  help: 'Process the directory used in -f, --filename recursively.',
};
const selector: FlagSpec = {
  name: 'selector',
  short: 'l',
  type: 'string',
  help: 'Selector (label query) to filter on, supports \'=\', \'==\', \'!=\', \'in\', \'notin\'.(e.g. -l key1=value1,key2=value2)',
};
const allFlag = (what: string): FlagSpec => ({ name: 'all', type: 'bool', help: what });
const allNamespaces: FlagSpec = {
  name: 'all-namespaces',
  short: 'A',
  type: 'bool',
  help: 'If present, act across all namespaces. Namespace in current context is ignored even if specified with --namespace.',
};

const u = (name: string, reason: string, short?: string): UnsupportedFlag => (short ? { name, short, reason } : { name, reason });
const DRY_RUN = u('dry-run', 'a dry run changes nothing; leave the step out instead');
const OUTPUT = u('output', 'steps print nothing; check results with expectations (expect:)', 'o');
const FIELD_MANAGER = u('field-manager', 'managed fields are not simulated');
const RECORD = u('record', 'deprecated upstream and not simulated');
const KUSTOMIZE = u('kustomize', 'kustomize is not run; list the rendered manifests with -f', 'k');
const FIELD_SELECTOR = u('field-selector', 'field selectors are not supported yet; use -l or names');
const RESOURCE_VERSION = u('resource-version', 'resourceVersion preconditions are not supported');
const LOCAL = u('local', 'a step always acts on the simulated cluster');
const TEMPLATE = u('template', 'steps print nothing');

// --- helpers --------------------------------------------------------------------------------------

function withLine<T extends Action>(a: T, ctx: BuildContext): T {
  a.commandLine = ctx.commandLine;
  return a;
}

function err(message: string, hint: string | undefined, ctx: BuildContext): never {
  throw new KubectlParseError(message, hint, ctx.commandLine);
}

/** Action.target must exist; multi-kind commands also carry the whole list in `targets`. */
function attachTargets<T extends { target: Target; targets?: Target[] }>(a: Omit<T, 'target' | 'targets'>, targets: Target[]): T {
  const out = { ...a, target: targets[0] } as T;
  if (targets.length > 1) out.targets = targets;
  return out;
}

function filesFlag(p: ParsedFlags): string[] {
  return (flagList(p, 'filename') ?? []).filter((f) => f !== '');
}

// --- builders -------------------------------------------------------------------------------------

function buildApplyOrCreate(verb: 'apply' | 'create') {
  return (p: ParsedFlags, ctx: BuildContext): Action => {
    if (p.args.length > 0) err(`Unexpected args: [${p.args.join(' ')}]`, `kubectl ${verb} takes manifests with -f FILE; resource arguments are not allowed`, ctx);
    const files = filesFlag(p);
    if (files.length === 0) err('must specify one of -f and -k', `write: kubectl ${verb} -f FILE (repeat -f for several files)`, ctx);
    const a: Action = { verb, files };
    const ns = flagString(p, 'namespace');
    if (ns !== undefined) a.namespace = ns;
    if (flagBool(p, 'recursive')) a.recursive = true;
    return withLine(a, ctx);
  };
}

/** delete_flags.go parseCascadingFlag */
export function parseCascade(value: string, ctx: BuildContext): Cascade {
  const b = parseGoBool(value);
  // The boolean forms are deprecated upstream (a warning), still accepted.
  if (b !== undefined) return b ? 'background' : 'orphan';
  if (value === 'orphan' || value === 'foreground' || value === 'background') return value;
  return err(`invalid cascade value (${value}). Must be "background", "foreground", or "orphan"`, 'e.g. --cascade=orphan', ctx);
}

function buildDelete(p: ParsedFlags, ctx: BuildContext): Action {
  const cascade = parseCascade(flagString(p, 'cascade') ?? 'background', ctx);
  const force = flagBool(p, 'force') ?? false;
  const now = flagBool(p, 'now') ?? false;
  let grace = flagInt(p, 'grace-period') ?? -1;
  // delete.go DeleteOptions.Complete
  if (now) {
    if (grace !== -1) err('--now and --grace-period cannot be specified together', '--now means --grace-period=1', ctx);
    grace = 1;
  }
  // --grace-period=0 without --force is turned into 1, to prevent accidental data loss
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;

  const sel = flagString(p, 'selector');
  const all = flagBool(p, 'all') ?? false;
  const files = filesFlag(p);
  const targets = resolveTargets(p.args, {
    namespace: flagString(p, 'namespace'),
    allNamespaces: flagBool(p, 'all-namespaces') ?? false,
    selector: sel,
    all,
    hasFiles: files.length > 0,
    resolve: ctx.resolve,
    commandLine: ctx.commandLine,
  });
  // delete.go DeleteOptions.Validate
  if (all && sel) err('cannot set --all and --selector at the same time', 'use one of them', ctx);
  if (grace > 0 && force) err('--force and --grace-period greater than 0 cannot be specified together', 'force deletion is --force --grace-period=0', ctx);

  const explicitIgnore = flagBool(p, 'ignore-not-found');
  const ignoreNotFound = explicitIgnore ?? (all || (sel !== undefined && sel !== ''));
  const base = {
    verb: 'delete' as const,
    cascade,
    wait: flagBool(p, 'wait') ?? true,
    ignoreNotFound,
    ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
    ...(now ? { now: true } : {}),
    ...(force ? { force: true } : {}),
  };
  if (files.length > 0) {
    const ns = flagString(p, 'namespace');
    const a: Action = {
      ...base,
      target: ns !== undefined ? { kind: '', names: [], namespace: ns } : { kind: '', names: [] },
      files,
      ...(flagBool(p, 'recursive') ? { recursive: true } : {}),
    };
    return withLine(a, ctx);
  }
  return withLine(attachTargets<Extract<Action, { verb: 'delete' }>>(base, targets), ctx);
}

const PATCH_TYPES: PatchType[] = ['json', 'merge', 'strategic'];

function buildPatch(p: ParsedFlags, ctx: BuildContext): Action {
  // patch.go PatchOptions.Validate
  const text = flagString(p, 'patch');
  if (text === undefined || text === '') {
    err('must specify --patch or --patch-file containing the contents of the patch', `e.g. -p '{"spec":{"replicas":3}}'`, ctx);
  }
  const rawType = flagString(p, 'type') ?? 'strategic';
  const type = rawType.toLowerCase() as PatchType;
  if (!PATCH_TYPES.includes(type)) {
    err(`--type must be one of [${PATCH_TYPES.join(' ')}], not "${rawType}"`, 'strategic is the default; merge is RFC 7386, json is RFC 6902', ctx);
  }
  const targets = resolveTargets(p.args, { namespace: flagString(p, 'namespace'), resolve: ctx.resolve, commandLine: ctx.commandLine });
  let patch: unknown;
  try {
    patch = parsePatchText(text!, type);
  } catch (e) {
    if (e instanceof KubectlParseError) throw new KubectlParseError(e.message, e.hint, ctx.commandLine);
    throw e;
  }
  return withLine(attachTargets<Extract<Action, { verb: 'patch' }>>({ verb: 'patch', patchType: type, patch }, targets), ctx);
}

function buildScale(p: ParsedFlags, ctx: BuildContext): Action {
  const replicas = flagInt(p, 'replicas');
  if (replicas === undefined) err('required flag(s) "replicas" not set', 'write: kubectl scale TYPE NAME --replicas=COUNT', ctx);
  // scale.go ScaleOptions.Validate
  if (replicas! < 0) err('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0', undefined, ctx);
  const current = flagInt(p, 'current-replicas') ?? -1;
  if (current < -1) err('The --current-replicas must specify an integer of -1 or greater', '-1 (the default) means no precondition', ctx);
  const targets = resolveTargets(p.args, {
    namespace: flagString(p, 'namespace'),
    selector: flagString(p, 'selector'),
    all: flagBool(p, 'all') ?? false,
    resolve: ctx.resolve,
    commandLine: ctx.commandLine,
  });
  const a = attachTargets<Extract<Action, { verb: 'scale' }>>(
    { verb: 'scale', replicas: replicas!, ...(current >= 0 ? { currentReplicas: current } : {}) },
    targets,
  );
  return withLine(a, ctx);
}

function buildMetaEdit(verb: 'label' | 'annotate') {
  return (p: ParsedFlags, ctx: BuildContext): Action => {
    const pairType = verb === 'label' ? 'label' : 'annotation';
    let split: ReturnType<typeof splitResourcesAndPairs>;
    let pairs: ReturnType<typeof parseLabelPairs>;
    try {
      split = splitResourcesAndPairs(p.args, pairType);
      pairs = verb === 'label' ? parseLabelPairs(split.pairs) : parseAnnotationPairs(split.pairs);
    } catch (e) {
      if (e instanceof KubectlParseError) throw new KubectlParseError(e.message, e.hint, ctx.commandLine);
      throw e;
    }
    const sel = flagString(p, 'selector');
    const all = flagBool(p, 'all') ?? false;
    // label.go / annotate.go Validate
    if (all && sel) err('cannot set --all and --selector at the same time', 'use one of them', ctx);
    if (split.resources.length < 1) err('one or more resources must be specified as <resource> <name> or <resource>/<name>', undefined, ctx);
    if (Object.keys(pairs.set).length === 0 && pairs.remove.length === 0) {
      err(`at least one ${pairType} update is required`, `add KEY=VALUE to set or KEY- to remove a ${pairType}`, ctx);
    }
    const targets = resolveTargets(split.resources, {
      namespace: flagString(p, 'namespace'),
      allNamespaces: flagBool(p, 'all-namespaces') ?? false,
      selector: sel,
      all,
      resolve: ctx.resolve,
      commandLine: ctx.commandLine,
    });
    const a = attachTargets<Extract<Action, { verb: 'label' | 'annotate' }>>(
      { verb, overwrite: flagBool(p, 'overwrite') ?? false, set: pairs.set, remove: pairs.remove },
      targets,
    );
    return withLine(a, ctx);
  };
}

// --- the table ------------------------------------------------------------------------------------

const planned = (name: string, usage: string, subcommands?: VerbDef[]): VerbDef => ({
  name,
  status: 'planned',
  usage,
  ...(subcommands ? { subcommands } : {}),
});

/** A row (or subcommand) made available with its builder. */
const supportedSub = (v: VerbDef, build: VerbDef['build']): VerbDef => ({ ...v, status: 'supported', build });

const readonly = (name: string, note: string): VerbDef => ({ name, status: 'readonly', usage: `kubectl ${name}`, note });
const unsupported = (name: string, note: string): VerbDef => ({ name, status: 'unsupported', usage: `kubectl ${name}`, note });

const FILE_FLAGS_UNSUPPORTED = [KUSTOMIZE, DRY_RUN, OUTPUT, FIELD_MANAGER, RECORD, TEMPLATE, u('validate', 'manifests are always validated at load time'), u('save-config', 'last-applied-configuration is not simulated')];

export const VERBS: VerbDef[] = [
  {
    name: 'apply',
    status: 'supported',
    usage: 'kubectl apply -f FILENAME [-f FILENAME ...] [-R] [-n NAMESPACE]',
    flags: [filename('that contains the configuration to apply'), recursive],
    unsupportedFlags: [
      ...FILE_FLAGS_UNSUPPORTED,
      u('prune', 'pruning is not supported yet'),
      u('server-side', 'server-side apply is not simulated; apply is client-side'),
      u('force-conflicts', 'server-side apply is not simulated'),
      u('force', 'delete-and-recreate on conflict is not supported'),
      u('overwrite', 'apply always overwrites in the simulator'),
      u('wait', 'apply returns at once; add a wait: step'),
      u('selector', 'apply filters by selector only with --prune, which is not supported', 'l'),
    ],
    build: buildApplyOrCreate('apply'),
  },
  {
    name: 'create',
    status: 'supported',
    usage: 'kubectl create -f FILENAME [-f FILENAME ...] [-R] [-n NAMESPACE]',
    flags: [filename('to use to create the resource'), recursive, ...CREATE_CONFIG_FLAGS, ...CREATE_BINDING_FLAGS],
    unsupportedFlags: [...FILE_FLAGS_UNSUPPORTED, u('edit', 'there is no editor in a scenario'), u('raw', 'raw URIs are not supported'), u('selector', 'filtering manifests by selector is not supported', 'l')],
    subcommands: [
      'clusterrole',
      'clusterrolebinding',
      'configmap',
      'cronjob',
      'deployment',
      'ingress',
      'job',
      'namespace',
      'poddisruptionbudget',
      'priorityclass',
      'quota',
      'role',
      'rolebinding',
      'secret',
      'service',
      'serviceaccount',
      'token',
    ].map((s) =>
      s === 'configmap' || s === 'secret'
        ? supportedSub(planned(s, `kubectl create ${s} ...`), buildCreateConfig)
        : isCreateBinding([s])
          ? supportedSub(planned(s, `kubectl create ${s} NAME --clusterrole=NAME${s === 'rolebinding' ? '|--role=NAME' : ''} [--user=U] [--group=G] [--serviceaccount=NS:NAME]`), buildCreateBinding)
          : planned(s, `kubectl create ${s} ...`),
    ),
    build: (p, ctx) => {
      if (isCreateConfig(p.args)) return buildCreateConfig(p, ctx);
      if (isCreateBinding(p.args)) return buildCreateBinding(p, ctx);
      const f = usesConfigFlags(p);
      if (f) err(`unknown flag: --${f}`, '--from-literal, --from-file, --from-env-file and --type belong to kubectl create configmap|secret generic', ctx);
      return buildApplyOrCreate('create')(p, ctx);
    },
  },
  {
    name: 'delete',
    status: 'supported',
    usage: 'kubectl delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)] | TYPE/NAME ...) [--cascade=background|foreground|orphan] [--grace-period=N] [--now] [--force] [--wait=false] [--ignore-not-found]',
    flags: [
      filename('containing the resource to delete.'),
      recursive,
      selector,
      allFlag('Delete all resources, in the namespace of the specified resource types.'),
      allNamespaces,
      { name: 'cascade', type: 'string', noOptDefault: 'background', help: 'Must be "background", "orphan", or "foreground". Defaults to background.' },
      { name: 'grace-period', type: 'int', help: 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).' },
      { name: 'now', type: 'bool', help: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).' },
      { name: 'force', type: 'bool', help: 'If true, immediately remove resources from API and bypass graceful deletion.' },
      { name: 'wait', type: 'bool', help: 'If true, wait for resources to be gone before returning. This waits for finalizers.' },
      { name: 'ignore-not-found', type: 'bool', help: 'Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.' },
    ],
    unsupportedFlags: [KUSTOMIZE, DRY_RUN, OUTPUT, FIELD_SELECTOR, u('timeout', 'not supported yet; use a wait: step with a timeout'), u('raw', 'raw URIs are not supported'), u('interactive', 'there is nobody to confirm in a scenario', 'i')],
    build: buildDelete,
  },
  {
    name: 'patch',
    status: 'supported',
    usage: "kubectl patch TYPE NAME -p PATCH [--type=strategic|merge|json]",
    flags: [
      { name: 'patch', short: 'p', type: 'string', help: 'The patch to be applied to the resource JSON file.' },
      { name: 'type', type: 'string', help: 'The type of patch being provided; one of [json merge strategic]' },
    ],
    unsupportedFlags: [
      u('patch-file', 'patch files are not supported; put the patch inline with -p'),
      u('filename', 'identifying the resource from a file is not supported; name it as TYPE NAME', 'f'),
      u('subresource', 'patching subresources (status, scale) is not supported yet'),
      LOCAL,
      DRY_RUN,
      OUTPUT,
      FIELD_MANAGER,
      RECORD,
      KUSTOMIZE,
    ],
    build: buildPatch,
  },
  {
    name: 'scale',
    status: 'supported',
    usage: 'kubectl scale TYPE (NAME | -l label | --all) --replicas=COUNT [--current-replicas=COUNT]',
    flags: [
      { name: 'replicas', type: 'int', help: 'The new desired number of replicas. Required.' },
      { name: 'current-replicas', type: 'int', help: 'Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.' },
      selector,
      allFlag('Select all resources in the namespace of the specified resource types'),
    ],
    unsupportedFlags: [
      u('filename', 'identifying the resource from a file is not supported; name it as TYPE NAME', 'f'),
      RESOURCE_VERSION,
      u('timeout', 'scale returns at once; add a wait: step'),
      DRY_RUN,
      OUTPUT,
      RECORD,
      KUSTOMIZE,
    ],
    build: buildScale,
  },
  ...(['label', 'annotate'] as const).map(
    (verb): VerbDef => ({
      name: verb,
      status: 'supported',
      usage: `kubectl ${verb} [--overwrite] (TYPE NAME | TYPE/NAME | TYPE -l selector | TYPE --all) KEY_1=VAL_1 ... KEY_N=VAL_N | KEY-`,
      flags: [
        { name: 'overwrite', type: 'bool', help: `If true, allow ${verb === 'label' ? 'labels' : 'annotations'} to be overwritten, otherwise reject updates that overwrite existing ${verb === 'label' ? 'labels' : 'annotations'}.` },
        selector,
        allFlag(`Select all resources, in the namespace of the specified resource types`),
        allNamespaces,
      ],
      unsupportedFlags: [
        u('filename', 'identifying the resource from a file is not supported; name it as TYPE NAME', 'f'),
        u('list', `listing ${verb === 'label' ? 'labels' : 'annotations'} prints only; use an expectation`),
        LOCAL,
        RESOURCE_VERSION,
        FIELD_SELECTOR,
        DRY_RUN,
        OUTPUT,
        FIELD_MANAGER,
        RECORD,
        KUSTOMIZE,
        TEMPLATE,
      ],
      build: buildMetaEdit(verb),
    }),
  ),
  {
    // the row parses the union of its subcommands' flags; buildSet dispatches and checks them
    ...supportedSub(planned('set', 'kubectl set image|env|resources|selector|serviceaccount ...', [
      supportedSub(planned('image', 'kubectl set image TYPE/NAME CONTAINER=IMAGE ...'), buildSet),
      supportedSub(planned('env', 'kubectl set env TYPE/NAME KEY=VALUE ... [KEY-] [-c CONTAINER]'), buildSet),
      planned('resources', 'kubectl set resources ...'),
      planned('selector', 'kubectl set selector ...'),
      planned('serviceaccount', 'kubectl set serviceaccount ...'),
    ]), buildSet),
    flags: unionFlags(SET_FLAGS),
    unsupportedFlags: [u('all', 'name the resource'), u('selector', 'name the resource', 'l'), u('filename', 'name the resource as TYPE/NAME', 'f'), LOCAL, DRY_RUN, OUTPUT, FIELD_MANAGER, RECORD, KUSTOMIZE, u('from', 'env from a ConfigMap/Secret is not supported yet'), u('list', 'listing prints only; use an expectation'), u('env', 'pass KEY=VALUE arguments', 'e')],
  },
  {
    ...supportedSub(planned('rollout', 'kubectl rollout undo|pause|resume|restart|status|history TYPE/NAME', [
      supportedSub(planned('undo', 'kubectl rollout undo TYPE/NAME [--to-revision=N]'), buildRollout),
      supportedSub(planned('pause', 'kubectl rollout pause TYPE/NAME'), buildRollout),
      supportedSub(planned('resume', 'kubectl rollout resume TYPE/NAME'), buildRollout),
      supportedSub(planned('restart', 'kubectl rollout restart TYPE/NAME'), buildRollout),
      supportedSub(planned('status', 'kubectl rollout status TYPE/NAME [--watch=false] [--timeout=D] [--revision=N]'), buildRollout),
      supportedSub(planned('history', 'kubectl rollout history TYPE/NAME [--revision=N]'), buildRollout),
    ]), buildRollout),
    flags: unionFlags(ROLLOUT_FLAGS),
    unsupportedFlags: [u('selector', 'name the resource', 'l'), u('filename', 'name the resource as TYPE/NAME', 'f'), DRY_RUN, OUTPUT, FIELD_MANAGER, KUSTOMIZE, TEMPLATE, u('recursive', 'name the resource', 'R')],
  },
  {
    name: 'expose',
    status: 'supported',
    usage: 'kubectl expose (rc|rs|deployment|service|pod) NAME [--port=PORT] [--target-port=P] [--type=ClusterIP|NodePort|LoadBalancer] [--name=NAME] [--protocol=TCP|UDP|SCTP] [--selector=k=v] [--labels=k=v] [--session-affinity=ClientIP] [--external-ip=IP]',
    flags: EXPOSE_FLAGS,
    unsupportedFlags: EXPOSE_UNSUPPORTED,
    build: buildExpose,
  },
  ...(['cordon', 'uncordon'] as const).map(
    (verb): VerbDef => ({
      name: verb,
      status: 'supported',
      usage: `kubectl ${verb} NODE [NODE...] | -l SELECTOR`,
      flags: CORDON_FLAGS,
      unsupportedFlags: CORDON_UNSUPPORTED,
      build: buildCordon(verb),
    }),
  ),
  {
    name: 'drain',
    status: 'supported',
    usage: 'kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--timeout=D] [--grace-period=N]',
    flags: DRAIN_FLAGS,
    unsupportedFlags: DRAIN_UNSUPPORTED,
    build: buildDrain,
  },
  {
    name: 'taint',
    status: 'supported',
    usage: 'kubectl taint nodes NODE KEY[=VALUE]:EFFECT [KEY[:EFFECT]-] [--overwrite]',
    flags: TAINT_FLAGS,
    unsupportedFlags: TAINT_UNSUPPORTED,
    build: buildTaint,
  },
  {
    name: 'autoscale',
    status: 'supported',
    usage: 'kubectl autoscale TYPE NAME [--min=N] --max=N [--cpu-percent=N] [--name=NAME]',
    flags: AUTOSCALE_FLAGS,
    unsupportedFlags: AUTOSCALE_UNSUPPORTED,
    build: buildAutoscale,
  },
  planned('exec', 'kubectl exec POD -- COMMAND'),
  {
    name: 'run',
    status: 'supported',
    usage: 'kubectl run NAME --image=IMAGE [--port=PORT] [--labels=k=v,...] [--env=K=V]... [--restart=Always|OnFailure|Never] [--command] [--expose] [-- ARGS...]',
    flags: RUN_FLAGS,
    unsupportedFlags: RUN_UNSUPPORTED,
    build: buildRun,
  },
  planned('replace', 'kubectl replace -f FILENAME'),
  planned('edit', 'kubectl edit TYPE NAME'),
  {
    name: 'get',
    status: 'supported',
    usage: 'kubectl get TYPE[,TYPE...] [NAME... | -l SELECTOR] [-n NS | -A] [-o wide|yaml|json|name] [--show-labels] (records what kubectl prints)',
    flags: GET_FLAGS,
    unsupportedFlags: GET_UNSUPPORTED,
    build: buildGet,
  },
  {
    name: 'describe',
    status: 'supported',
    usage: 'kubectl describe pods|deployments|services|nodes [NAME... | -l SELECTOR] [-n NS | -A] (records what kubectl prints)',
    flags: DESCRIBE_FLAGS,
    unsupportedFlags: DESCRIBE_UNSUPPORTED,
    build: buildDescribe,
  },
  readonly('logs', 'it only reads the cluster; check behaviour with an expectation (expect:)'),
  readonly('top', 'it only reads the cluster; check state with an expectation (expect:)'),
  readonly('events', 'it only reads the cluster; check events with an `event:` expectation'),
  readonly('explain', 'it only prints documentation'),
  readonly('api-resources', 'it only prints the resource table'),
  readonly('api-versions', 'it only prints the API versions'),
  readonly('version', 'it only prints versions; select one with cluster.kubernetesVersion'),
  readonly('cluster-info', 'it only prints cluster endpoints'),
  readonly('diff', 'it only prints differences'),
  readonly('wait', 'use a `wait:` step: wait: {until: "deployment/web available", timeout: 5m}'),
  unsupported('port-forward', 'traffic is modelled with `request:` steps from clients'),
  unsupported('proxy', 'traffic is modelled with `request:` steps from clients'),
  unsupported('attach', 'use an `exec:` step'),
  unsupported('cp', 'use an `exec:` step to change container files'),
  unsupported('debug', 'ephemeral debug containers are not simulated'),
  {
    ...supportedSub(planned('auth', 'kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [--as=USER] [-n NS]', [
      supportedSub(planned('can-i', 'kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [--as=USER] [--subresource=S] [-n NS | -A]'), buildAuth),
      planned('whoami', 'kubectl auth whoami'),
      planned('reconcile', 'kubectl auth reconcile -f FILE'),
    ]), buildAuth),
    flags: CANI_FLAGS,
    unsupportedFlags: CANI_UNSUPPORTED,
  },
  unsupported('certificate', 'certificates are not simulated'),
  unsupported('config', 'there is only the one simulated cluster'),
  unsupported('kustomize', 'kustomize is not run; list the rendered manifests with -f'),
  unsupported('plugin', 'kubectl plugins are not run'),
  unsupported('completion', 'shell completion has no meaning in a scenario'),
  unsupported('alpha', 'alpha commands are not supported'),
  unsupported('options', 'it only prints help'),
];

export function findVerb(name: string): VerbDef | undefined {
  return VERBS.find((v) => v.name === name);
}

export function supportedVerbNames(): string[] {
  return VERBS.filter((v) => v.status === 'supported').map((v) => v.name);
}
