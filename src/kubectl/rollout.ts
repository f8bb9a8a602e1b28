// `kubectl rollout status|history|undo|pause|resume|restart` and `kubectl set image|env`:
// flags and Action builders, after staging/src/k8s.io/kubectl/pkg/cmd/rollout/*.go and
// pkg/cmd/set/set_image.go, set_env.go. The verb table (verbs.ts) dispatches its `rollout` and
// `set` rows here; the engine executes the actions (src/controllers/deployment/kubectl_actions.ts).

import { KubectlParseError } from './errors.js';
import { flagBool, flagInt, flagString, type FlagSpec, type ParsedFlags } from './flags.js';
import { resolveTargets, type ResourceResolver } from './targets.js';
import type { Action, RolloutAction, SetAction, Target } from './types.js';
import { parseDuration } from '../util/duration.js';

interface Ctx {
  commandLine: string;
  resolve?: ResourceResolver;
}

function fail(message: string, hint: string | undefined, ctx: Ctx): never {
  throw new KubectlParseError(message, hint, ctx.commandLine);
}

export const ROLLOUT_FLAGS: Record<RolloutAction['subcommand'], FlagSpec[]> = {
  status: [
    { name: 'watch', short: 'w', type: 'bool', help: 'Watch the status of the rollout until it\'s done.' },
    { name: 'revision', type: 'int', help: 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).' },
    { name: 'timeout', type: 'string', help: 'The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).' },
  ],
  history: [{ name: 'revision', type: 'int', help: 'See the details, including podTemplate of the revision specified' }],
  undo: [{ name: 'to-revision', type: 'int', help: 'The revision to rollback to. Default to 0 (last revision).' }],
  pause: [],
  resume: [],
  restart: [],
};

export const SET_FLAGS: Record<SetAction['subcommand'], FlagSpec[]> = {
  image: [],
  env: [{ name: 'containers', short: 'c', type: 'string', help: 'The names of containers in the selected pod templates to change - may use wildcards' }],
};

/** Every flag a subcommand of the verb may take, for the parent row's flag list. */
export function unionFlags(table: Record<string, FlagSpec[]>): FlagSpec[] {
  const out: FlagSpec[] = [];
  for (const list of Object.values(table)) for (const f of list) if (!out.some((x) => x.name === f.name)) out.push(f);
  return out;
}

/** The parent row parsed the union of flags: refuse those this subcommand does not have, as pflag would. */
function checkFlags(p: ParsedFlags, allowed: FlagSpec[], command: string, ctx: Ctx): void {
  for (const name of p.values.keys()) {
    if (name === 'namespace') continue;
    if (!allowed.some((f) => f.name === name)) {
      fail(`unknown flag: --${name}`, allowed.length ? `flags for kubectl ${command}: ${allowed.map((f) => `--${f.name}`).join(', ')}` : `kubectl ${command} takes no flags besides -n`, ctx);
    }
  }
}

function oneTarget(args: string[], ctx: Ctx, p: ParsedFlags, command: string): Target {
  const targets = resolveTargets(args, { namespace: flagString(p, 'namespace'), resolve: ctx.resolve, commandLine: ctx.commandLine });
  const t = targets[0];
  if (targets.length !== 1 || t.names.length !== 1) fail(`kubectl ${command} takes exactly one resource`, `e.g. kubectl ${command} deployment/web`, ctx);
  if (t.kind !== 'Deployment') {
    fail(`kubectl ${command} is modelled for deployments only, not ${t.kind}`, 'name a Deployment, e.g. deployment/web', ctx);
  }
  return t;
}

export function buildRollout(p: ParsedFlags, ctx: Ctx): Action {
  const [sub, ...rest] = p.args;
  const subcommand = sub as RolloutAction['subcommand'];
  const flags = ROLLOUT_FLAGS[subcommand];
  if (!flags) fail(`unknown command "${sub ?? ''}" for "kubectl rollout"`, 'use one of: status, history, undo, pause, resume, restart', ctx);
  checkFlags(p, flags, `rollout ${sub}`, ctx);
  const target = oneTarget(rest, ctx, p, `rollout ${sub}`);
  const a: RolloutAction = { verb: 'rollout', subcommand, target, commandLine: ctx.commandLine };
  if (subcommand === 'undo') {
    const r = flagInt(p, 'to-revision');
    if (r !== undefined) a.revision = r;
  }
  if (subcommand === 'status' || subcommand === 'history') {
    const r = flagInt(p, 'revision');
    if (r !== undefined) {
      // rollout_status.go Validate / history: a negative revision is refused
      if (r < 0) fail(`revision must be a positive integer: ${r}`, undefined, ctx);
      a.revision = r;
    }
  }
  if (subcommand === 'status') {
    a.watch = flagBool(p, 'watch') ?? true;
    const t = flagString(p, 'timeout');
    if (t !== undefined) {
      try {
        a.timeoutMs = parseDuration(t);
      } catch (e) {
        fail(`invalid argument "${t}" for "--timeout" flag: ${(e as Error).message}`, 'e.g. --timeout=5m', ctx);
      }
    }
  }
  return a;
}

/** Split `TYPE/NAME KEY=VALUE ... KEY-` into resources and pairs (set_env.go / set_image.go). */
function splitPairs(args: string[], allowRemove: boolean): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const a of args) {
    if (a.includes('=') || (allowRemove && a.endsWith('-') && !a.includes('/'))) pairs.push(a);
    else resources.push(a);
  }
  return { resources, pairs };
}

export function buildSet(p: ParsedFlags, ctx: Ctx): Action {
  const [sub, ...rest] = p.args;
  if (sub !== 'image' && sub !== 'env') fail(`unknown command "${sub ?? ''}" for "kubectl set"`, 'use one of: image, env', ctx);
  checkFlags(p, SET_FLAGS[sub], `set ${sub}`, ctx);
  const { resources, pairs } = splitPairs(rest, sub === 'env');
  if (pairs.length === 0) {
    fail(sub === 'image' ? 'at least one image update is required' : 'at least one environment variable must be provided', sub === 'image' ? 'e.g. kubectl set image deployment/web web=nginx:1.28' : 'e.g. kubectl set env deployment/web KEY=VALUE (KEY- removes it)', ctx);
  }
  const target = oneTarget(resources, ctx, p, `set ${sub}`);
  if (sub === 'image') {
    const images: Record<string, string> = {};
    for (const pair of pairs) {
      const i = pair.indexOf('=');
      const name = pair.slice(0, i), image = pair.slice(i + 1);
      if (!name || !image) fail(`invalid image update "${pair}"`, 'write CONTAINER=IMAGE (or *=IMAGE for every container)', ctx);
      images[name] = image;
    }
    const a: SetAction = { verb: 'set', subcommand: 'image', target, images, commandLine: ctx.commandLine };
    return a;
  }
  const env: Record<string, string> = {};
  const remove: string[] = [];
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i < 0) remove.push(pair.slice(0, -1));
    else {
      const key = pair.slice(0, i);
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) fail(`invalid environment variable name "${key}"`, 'a valid environment variable name must consist of alphabetic characters, digits, \'_\', \'-\', or \'.\', and must not start with a digit', ctx);
      env[key] = pair.slice(i + 1);
    }
  }
  const a: SetAction = { verb: 'set', subcommand: 'env', target, env, remove, containers: flagString(p, 'containers') ?? '*', commandLine: ctx.commandLine };
  return a;
}
