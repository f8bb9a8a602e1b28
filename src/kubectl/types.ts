// The Action model: what a `kubectl:` step means once parsed, and the structured equivalent a
// scenario can write in plain YAML (DESIGN §3.1). Flag defaults and kubectl's own conversions
// (e.g. --now => grace 1, --grace-period=0 without --force => 1) are already applied, so the
// engine executes an Action without knowing kubectl's flag rules.

import type { KubeObject } from '../api/types.js';
import type { CanIAction } from '../rbac/cani.js';
import type { ConfigGenerator } from './create_config.js';
import type { Taint } from './taint.js';
import type { ViewAction } from './get.js';

export type Cascade = 'background' | 'foreground' | 'orphan';

export interface ResourceRef {
  /** canonical Kind, e.g. 'Deployment' */
  kind: string;
  apiVersion: string;
  name?: string;
}

/** What a verb operates on: one resource type and its names, or a selector / --all. */
export interface Target {
  /** canonical Kind ('Pod', 'ReplicaSet', 'Deployment', 'Service', 'ConfigMap', ...) */
  kind: string;
  /** may be empty when selector/all is used */
  names: string[];
  /** -n/--namespace; undefined = scenario default ('default') */
  namespace?: string;
  /** -A/--all-namespaces */
  allNamespaces?: boolean;
  /** -l/--selector, raw string (parsed later by the engine) */
  selector?: string;
  /** --all */
  all?: boolean;
}

interface ActionCommon {
  /**
   * When the command names several resource types (`delete pod/a deploy/b`,
   * `delete pods,svc -l app=x`), every target in command order; `target` is then the first of them.
   * Use `actionTargets()` to read both cases uniformly.
   */
  targets?: Target[];
  /** the command line this action was parsed from, for traces and error messages */
  commandLine?: string;
}

export type Action =
  | {
      verb: 'apply' | 'create';
      files: string[];
      namespace?: string;
      recursive?: boolean;
      commandLine?: string;
      /** `kubectl create configmap|secret generic` (src/kubectl/create_config.ts) */
      generate?: ConfigGenerator;
      /** `kubectl create rolebinding|clusterrolebinding`: the object built from the flags (src/kubectl/create_binding.ts) */
      built?: KubeObject;
    }
  | (ActionCommon & {
      verb: 'delete';
      target: Target;
      cascade: Cascade;
      /** undefined = the object's own default (kubectl's --grace-period=-1) */
      gracePeriodSeconds?: number;
      wait: boolean;
      now?: boolean;
      force?: boolean;
      /** effective value: kubectl defaults it to true with --all or -l */
      ignoreNotFound?: boolean;
      /** `delete -f FILE`: the objects named in these manifests (target is then unused: kind '' and no names) */
      files?: string[];
      recursive?: boolean;
      /** structured `delete: {selector, pick}` only (src/fuzz): the pick-th (mod count) live match, by name */
      pick?: number;
    })
  | (ActionCommon & { verb: 'patch'; target: Target; patchType: 'strategic' | 'merge' | 'json'; patch: unknown })
  | (ActionCommon & {
      verb: 'scale';
      target: Target;
      replicas: number;
      /** precondition: the current size must equal this (kubectl's -1 = none => undefined) */
      currentReplicas?: number;
    })
  | (ActionCommon & {
      verb: 'label' | 'annotate';
      target: Target;
      overwrite: boolean;
      set: Record<string, string>;
      remove: string[];
    })
  /** `kubectl cordon|uncordon`: target.kind is 'Node' (names, or a selector) */
  | (ActionCommon & { verb: 'cordon' | 'uncordon'; target: Target })
  /** `kubectl taint nodes` (src/kubectl/taint.ts): taints to add and to remove (key, optional effect) */
  | (ActionCommon & { verb: 'taint'; target: Target; add: Taint[]; remove: Taint[]; overwrite: boolean })
  | (ActionCommon & { verb: 'autoscale'; target: Target; max: number; min?: number; cpuPercent?: number; name?: string })
  /** `kubectl expose` (src/kubectl/expose.ts): flags as given; the rest is read from the object at run time */
  | (ActionCommon & {
      verb: 'expose';
      target: Target;
      /** --port, one or several comma-separated */
      port?: string;
      targetPort?: string;
      protocol?: string;
      type?: string;
      name?: string;
      selector?: Record<string, string>;
      labels?: Record<string, string>;
      sessionAffinity?: string;
      externalIP?: string;
      clusterIP?: string;
    })
  /** `kubectl run` (src/kubectl/run.ts): the Pod (and with --expose the Service) built from the flags */
  | { verb: 'run'; pod: KubeObject; service?: KubeObject; namespace?: string; commandLine?: string }
  /** a kubectl command kubectl itself refuses (e.g. an unknown flag), kept for a step with `expectError`: it fails when run */
  | { verb: 'refused'; message: string; commandLine?: string }
  /** `kubectl drain` (src/kubectl/drain.ts): cordon, then evict the node's pods */
  | (ActionCommon & {
      verb: 'drain';
      target: Target;
      force: boolean;
      ignoreDaemonSets: boolean;
      deleteEmptyDirData: boolean;
      disableEviction: boolean;
      /** undefined = each pod's own grace period (kubectl's -1) */
      gracePeriodSeconds?: number;
      /** 0 = wait forever */
      timeoutMs: number;
      podSelector?: string;
    })
  | RolloutAction
  | SetAction
  /** `kubectl auth can-i` (src/rbac/cani.ts) */
  | CanIAction
  /** `kubectl get|describe` (src/kubectl/get.ts): records what kubectl would print */
  | ViewAction;

/** `kubectl rollout status|history|undo|pause|resume|restart` (Deployment rollouts) */
export type RolloutAction = ActionCommon & {
  verb: 'rollout';
  subcommand: 'status' | 'history' | 'undo' | 'pause' | 'resume' | 'restart';
  target: Target;
  /** undo --to-revision (0 = the previous revision); history/status --revision */
  revision?: number;
  /** status --watch (default true): wait until the rollout completes */
  watch?: boolean;
  /** status --timeout in ms (0 = no timeout) */
  timeoutMs?: number;
};

/** `kubectl set image|env` */
export type SetAction = ActionCommon &
  (
    | { verb: 'set'; subcommand: 'image'; target: Target; images: Record<string, string> }
    | { verb: 'set'; subcommand: 'env'; target: Target; env: Record<string, string>; remove: string[]; containers: string }
  );

export type ActionVerb = Action['verb'];

/** Every target of an action, in command order (empty for apply/create and `delete -f`). */
export function actionTargets(action: Action): Target[] {
  if (!('target' in action)) return [];
  if (action.verb === 'delete' && action.files && action.files.length > 0) return [];
  return action.targets && action.targets.length > 0 ? action.targets : [action.target];
}
