// Carrying out kubectl actions against the simulated API server, with kubectl's client-side
// behaviour: apply as a create-or-patch with the last-applied-configuration annotation,
// delete with kubectl's propagation default (Background) and its wait for the objects to go,
// scale with --current-replicas, label/annotate with --overwrite and `key-`. Output lines and
// errors read as kubectl prints them ("pod \"x\" deleted", "Error from server (NotFound): ...").

import type { Cluster } from './cluster.js';
import type { Action, Target } from '../kubectl/types.js';
import { actionTargets } from '../kubectl/types.js';
import type { KubeObject } from '../api/types.js';
import { ApiError } from '../api/errors.js';
import { NoKindMatchError } from '../api/crd.js';
import { applyMergePatch, applyPatch } from '../api/patch.js';
import { cloneObject } from '../api/clone.js';
import { parseSelector } from '../api/labels.js';
import { isNamespacedKind } from '../api/kinds.js';
import { resourceByKind } from '../kubectl/resources.js';
import type { SourcedObject } from '../scenario/model.js';
import type { PropagationPolicy } from '../api/server.js';
import { cordonAction } from './node_actions.js';
import { taintAction } from './taint_action.js';
import { autoscalerFor } from '../kubectl/autoscale.js';
import { ExposeError, serviceForExpose } from '../kubectl/expose.js';
import { CanIDenied, executeCanI } from '../rbac/cani.js';
import { drainAction } from './drain_action.js';
import { ViewError, renderView } from './view_action.js';
import { configObjectFor } from '../kubectl/create_config.js';
import { RolloutCommandError, executeRollout, executeSet, type PendingRollout } from '../controllers/deployment/kubectl_actions.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export class ActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionError';
  }
}

export interface ActionOutcome {
  /** what kubectl printed */
  output: string[];
  /** objects (by uid) a `--wait` delete waits for */
  waitForGone: string[];
  /** a step that completes later (`rollout status` watches until the rollout is done) */
  pending?: PendingRollout;
  /** `kubectl get|describe`: what kubectl printed, recorded as the step's view (view_action.ts) */
  view?: string;
}

export function executeAction(cluster: Cluster, action: Action, objects: SourcedObject[]): ActionOutcome {
  switch (action.verb) {
    case 'apply':
      return { output: objects.map((o) => applyObject(cluster, o.object, action.namespace)), waitForGone: [] };
    case 'create':
      if (action.generate) return { output: [createObject(cluster, configObjectFor(action.generate, action.namespace, (m) => { throw new ActionError(m); }), action.namespace)], waitForGone: [] };
      if (action.built) return { output: [createObject(cluster, action.built, action.namespace)], waitForGone: [] };
      return { output: objects.map((o) => createObject(cluster, o.object, action.namespace)), waitForGone: [] };
    case 'delete':
      return deleteAction(cluster, action, objects);
    case 'patch':
      return { output: resolveAll(cluster, actionTargets(action), false).map((o) => patchObject(cluster, o, action.patchType, action.patch)), waitForGone: [] };
    case 'scale':
      return { output: resolveAll(cluster, actionTargets(action), false).map((o) => scaleObject(cluster, o, action.replicas, action.currentReplicas)), waitForGone: [] };
    case 'cordon':
    case 'uncordon':
      return { output: cordonAction(cluster, action), waitForGone: [] };
    case 'taint':
      return { output: taintAction(cluster, action), waitForGone: [] };
    case 'autoscale':
      return { output: resolveAll(cluster, actionTargets(action), false).map((o) => autoscaleObject(cluster, action, o)), waitForGone: [] };
    case 'expose':
      return { output: resolveAll(cluster, actionTargets(action), false).map((o) => exposeObject(cluster, action, o)), waitForGone: [] };
    case 'run': {
      // run.go Run: the Pod is created first, then the Service (generateService), which is printed
      // at once; the Pod's line is printed last
      const pod = createObject(cluster, action.pod, action.namespace);
      return { output: [...(action.service ? [createObject(cluster, action.service, action.namespace)] : []), pod], waitForGone: [] };
    }
    case 'refused':
      throw new ActionError(action.message);
    case 'drain':
      return { waitForGone: [], ...drainAction(cluster, action) };
    case 'rollout':
    case 'set':
      try {
        return { waitForGone: [], ...(action.verb === 'rollout' ? executeRollout(cluster, action) : executeSet(cluster, action)) };
      } catch (e) {
        if (e instanceof RolloutCommandError) throw new ActionError(e.message);
        throw e;
      }
    case 'auth':
      try {
        return { output: executeCanI(cluster, action), waitForGone: [] };
      } catch (e) {
        if (e instanceof CanIDenied) throw new ActionError(e.message);
        throw e;
      }
    case 'get':
    case 'describe':
      try {
        return { output: [], waitForGone: [], view: renderView(cluster, action) };
      } catch (e) {
        if (e instanceof ViewError) throw new ActionError(e.message);
        throw e;
      }
    case 'label':
    case 'annotate':
      return {
        output: resolveAll(cluster, actionTargets(action), false).map((o) => labelObject(cluster, o, action.verb === 'label' ? 'labels' : 'annotations', action.set, action.remove, action.overwrite)),
        waitForGone: [],
      };
  }
}

function kindLower(o: KubeObject): string {
  const r = resourceByKind(o.kind);
  return r ? (r.group ? `${r.singular}.${r.group}` : r.singular) : o.kind.toLowerCase();
}

function serverError(e: unknown): never {
  // kubectl's REST mapping fails before anything is sent (cli-runtime resource mapping)
  if (e instanceof NoKindMatchError) throw new ActionError(`error: resource mapping not found: ${e.message}\nensure CRDs are installed first`);
  if (e instanceof ApiError) throw new ActionError(`Error from server (${e.reason}): ${e.message}`);
  throw e;
}

export function applyObject(cluster: Cluster, manifest: KubeObject, namespace?: string): string {
  const api = cluster.api;
  const obj = cloneObject(manifest);
  if (namespace && isNamespacedKind(obj.kind) && !obj.metadata.namespace) obj.metadata.namespace = namespace;
  const lastApplied = JSON.stringify(manifest);
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied };
  const live = obj.metadata.name ? api.get(obj.kind, obj.metadata.namespace, obj.metadata.name) : undefined;
  try {
    if (!live) {
      api.create(obj);
      return `${kindLower(obj)}/${obj.metadata.name} created`;
    }
    // three-way: fields in the last applied configuration that the new one drops are removed
    const previous = safeParse(live.metadata.annotations?.[LAST_APPLIED]);
    const patch = applyPatchFor(previous, obj);
    const next = applyMergePatch(live, patch) as KubeObject;
    const result = api.update(next);
    return `${kindLower(obj)}/${obj.metadata.name} ${result === live ? 'unchanged' : 'configured'}`;
  } catch (e) {
    serverError(e);
  }
}

/** A JSON merge patch that sets every field of `next` and deletes what only `previous` had. */
function applyPatchFor(previous: unknown, next: unknown): unknown {
  if (!isPlainObject(next)) return next;
  const out: Record<string, unknown> = {};
  const prev = isPlainObject(previous) ? previous : {};
  for (const [k, v] of Object.entries(next)) out[k] = isPlainObject(v) ? applyPatchFor(prev[k], v) : v;
  for (const k of Object.keys(prev)) if (!(k in next)) out[k] = null;
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function safeParse(s: string | undefined): unknown {
  if (!s) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function createObject(cluster: Cluster, manifest: KubeObject, namespace?: string): string {
  const obj = cloneObject(manifest);
  if (namespace && isNamespacedKind(obj.kind) && !obj.metadata.namespace) obj.metadata.namespace = namespace;
  try {
    const created = cluster.api.create(obj);
    return `${kindLower(created)}/${created.metadata.name} created`;
  } catch (e) {
    serverError(e);
  }
}

/** Objects named by targets (names, -l selector or --all), in kubectl's order. */
function resolveAll(cluster: Cluster, targets: Target[], ignoreNotFound: boolean): KubeObject[] {
  const api = cluster.api;
  const out: KubeObject[] = [];
  for (const t of targets) {
    const ns = isNamespacedKind(t.kind) ? (t.allNamespaces ? undefined : t.namespace ?? 'default') : undefined;
    if (t.names.length) {
      for (const name of t.names) {
        const o = api.get(t.kind, ns, name);
        if (o) out.push(o);
        else if (!ignoreNotFound) throw new ActionError(`Error from server (NotFound): ${notFoundText(t.kind, name)}`);
      }
      continue;
    }
    if (t.selector !== undefined || t.all) {
      let sel;
      try {
        sel = t.selector !== undefined ? parseSelector(t.selector) : undefined;
      } catch (e) {
        throw new ActionError(`error: ${(e as Error).message}`);
      }
      const found = api.list(t.kind, ns, sel);
      if (found.length === 0 && !ignoreNotFound) throw new ActionError(`No resources found in ${ns ?? 'any'} namespace.`);
      out.push(...found);
    }
  }
  return out;
}

function notFoundText(kind: string, name: string): string {
  const r = resourceByKind(kind);
  const res = r ? (r.group ? `${r.plural}.${r.group}` : r.plural) : kind.toLowerCase();
  return `${res} "${name}" not found`;
}

function deleteAction(cluster: Cluster, action: Extract<Action, { verb: 'delete' }>, objects: SourcedObject[]): ActionOutcome {
  const api = cluster.api;
  const policy: PropagationPolicy = action.cascade === 'orphan' ? 'Orphan' : action.cascade === 'foreground' ? 'Foreground' : 'Background';
  let victims: KubeObject[] = objects.length
    ? objects.map((o) => {
        const ns = isNamespacedKind(o.object.kind) ? o.object.metadata.namespace ?? action.target.namespace ?? 'default' : undefined;
        const live = api.get(o.object.kind, ns, o.object.metadata.name!);
        if (!live && !action.ignoreNotFound) throw new ActionError(`Error from server (NotFound): ${notFoundText(o.object.kind, o.object.metadata.name!)}`);
        return live!;
      }).filter(Boolean)
    : resolveAll(cluster, actionTargets(action), action.ignoreNotFound ?? false);
  if (action.pick !== undefined) victims = pickLive(victims, action.pick);
  const output: string[] = [];
  const waitForGone: string[] = [];
  for (const v of victims) {
    try {
      api.delete(v.kind, v.metadata.namespace, v.metadata.name!, { propagationPolicy: policy, gracePeriodSeconds: action.gracePeriodSeconds });
    } catch (e) {
      if (e instanceof ApiError && e.reason === 'NotFound' && action.ignoreNotFound) continue;
      serverError(e);
    }
    output.push(`${kindLower(v)} "${v.metadata.name}" deleted${policy === 'Orphan' ? '' : ''}`);
    if (action.wait) waitForGone.push(v.metadata.uid!);
  }
  if (victims.length === 0 && (action.target.selector !== undefined || action.target.all)) output.push(`No resources found`);
  return { output, waitForGone };
}

/** `delete: {selector, pick}` (written by kuberehearse fuzz): one live match, by name, modulo their number */
function pickLive(found: KubeObject[], pick: number): KubeObject[] {
  const live = found.filter((o) => !o.metadata.deletionTimestamp);
  return live.length ? [live[pick % live.length]] : [];
}

function patchObject(cluster: Cluster, o: KubeObject, type: 'strategic' | 'merge' | 'json', patch: unknown): string {
  let next: KubeObject;
  try {
    next = applyPatch(o, type, patch, o.kind) as KubeObject;
  } catch (e) {
    throw new ActionError(`error: ${(e as Error).message}`);
  }
  try {
    const result = cluster.api.update(next);
    return `${kindLower(o)}/${o.metadata.name} ${result === o ? 'patched (no change)' : 'patched'}`;
  } catch (e) {
    serverError(e);
  }
}

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);

function scaleObject(cluster: Cluster, o: KubeObject, replicas: number, current?: number): string {
  if (!SCALABLE.has(o.kind)) throw new ActionError(`error: no objects passed to scale ${kindLower(o)} "${o.metadata.name}" is not scalable`);
  const have = o.spec?.replicas ?? 1;
  if (current !== undefined && current !== have) {
    throw new ActionError(`error: Expected replicas to be ${current}, was ${have}`);
  }
  try {
    cluster.api.mutate(o.kind, o.metadata.namespace, o.metadata.name!, (d) => {
      d.spec.replicas = replicas;
    });
  } catch (e) {
    serverError(e);
  }
  return `${kindLower(o)}/${o.metadata.name} scaled`;
}

function labelObject(cluster: Cluster, o: KubeObject, field: 'labels' | 'annotations', set: Record<string, string>, remove: string[], overwrite: boolean): string {
  const current = o.metadata[field] ?? {};
  // label.go validateNoOverwrites: an existing key needs --overwrite, even for the same value
  for (const k of Object.keys(set)) {
    if (k in current && !overwrite) {
      throw new ActionError(`error: '${k}' already has a value (${current[k]}), and --overwrite is false`);
    }
  }
  let changed = false;
  try {
    const result = cluster.api.mutate(o.kind, o.metadata.namespace, o.metadata.name!, (d) => {
      const m: Record<string, string> = { ...(d.metadata[field] ?? {}) };
      for (const [k, v] of Object.entries(set)) m[k] = v;
      for (const k of remove) delete m[k];
      if (Object.keys(m).length) d.metadata[field] = m;
      else delete d.metadata[field];
    });
    changed = result !== o;
  } catch (e) {
    serverError(e);
  }
  const verb = field === 'labels' ? 'labeled' : 'annotated';
  return `${kindLower(o)}/${o.metadata.name} ${changed ? verb : `not ${verb}`}`;
}

/** kubectl autoscale: create the HorizontalPodAutoscaler for one workload */
function autoscaleObject(cluster: Cluster, action: Extract<Action, { verb: 'autoscale' }>, o: KubeObject): string {
  const hpa = autoscalerFor(action, { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name!, namespace: o.metadata.namespace });
  try {
    cluster.api.create(hpa);
  } catch (e) {
    serverError(e);
  }
  return `horizontalpodautoscaler.autoscaling/${hpa.metadata.name} autoscaled`;
}

/** kubectl expose: create the Service for one object (expose.go RunExpose; prints "service/NAME exposed") */
function exposeObject(cluster: Cluster, action: Extract<Action, { verb: 'expose' }>, o: KubeObject): string {
  let svc: KubeObject;
  try {
    svc = serviceForExpose(action, o);
  } catch (e) {
    if (e instanceof ExposeError) throw new ActionError(`error: ${e.message}`);
    throw e;
  }
  try {
    cluster.api.create(svc);
  } catch (e) {
    serverError(e);
  }
  return `service/${svc.metadata.name} exposed`;
}
