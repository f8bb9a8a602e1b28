// `kubectl autoscale (TYPE NAME | TYPE/NAME) [--min=N] --max=N [--cpu-percent=N] [--name=NAME]`
// (staging/src/k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go): creates an autoscaling/v2
// HorizontalPodAutoscaler for a scalable workload, named after it unless --name is given.

import { KubectlParseError } from './errors.js';
import { flagInt, flagString, type FlagSpec, type ParsedFlags, type UnsupportedFlag } from './flags.js';
import { resolveTargets } from './targets.js';
import type { Action } from './types.js';
import type { BuildContext } from './verbs.js';

export const AUTOSCALE_FLAGS: FlagSpec[] = [
  { name: 'min', type: 'int', help: 'The lower limit for the number of pods that can be set by the autoscaler. If not specified or negative, the server will apply a default value.' },
  { name: 'max', type: 'int', help: 'The upper limit for the number of pods that can be set by the autoscaler. Required.' },
  { name: 'cpu-percent', type: 'int', help: 'The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If not specified or negative, a default autoscaling policy will be used.' },
  { name: 'name', type: 'string', help: 'The name for the newly created object. If not specified, the name of the input resource will be used.' },
];

export const AUTOSCALE_UNSUPPORTED: UnsupportedFlag[] = [
  { name: 'filename', short: 'f', reason: 'name the workload as TYPE NAME instead' },
  { name: 'dry-run', reason: 'a dry run changes nothing; leave the step out instead' },
];

/** the kinds autoscale accepts (polymorphichelpers.CanBeAutoscaled) */
export const AUTOSCALABLE = ['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet'];

export function buildAutoscale(p: ParsedFlags, ctx: BuildContext): Action {
  const max = flagInt(p, 'max') ?? -1;
  const min = flagInt(p, 'min') ?? -1;
  const cpu = flagInt(p, 'cpu-percent') ?? -1;
  // AutoscaleOptions.Validate
  if (max < 1) throw new KubectlParseError(`--max=MAXPODS is required and must be at least 1, max: ${max}`, 'kubectl autoscale deployment web --min=2 --max=10 --cpu-percent=80', ctx.commandLine);
  if (max < min) throw new KubectlParseError(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`, undefined, ctx.commandLine);
  const targets = resolveTargets(p.args, { namespace: flagString(p, 'namespace'), resolve: ctx.resolve, commandLine: ctx.commandLine });
  if (targets.length !== 1 || targets[0].names.length !== 1) {
    throw new KubectlParseError('autoscale takes exactly one resource: TYPE NAME or TYPE/NAME', 'kubectl autoscale deployment web --max=5', ctx.commandLine);
  }
  const target = targets[0];
  if (!AUTOSCALABLE.includes(target.kind)) {
    throw new KubectlParseError(`cannot autoscale a ${target.kind}: cannot autoscale a ${target.kind}`, `autoscalable kinds: ${AUTOSCALABLE.join(', ')}`, ctx.commandLine);
  }
  return {
    verb: 'autoscale',
    target,
    max,
    ...(min >= 0 ? { min } : {}),
    ...(cpu >= 0 ? { cpuPercent: cpu } : {}),
    ...(flagString(p, 'name') ? { name: flagString(p, 'name') } : {}),
  };
}

/** The HorizontalPodAutoscaler kubectl creates (autoscale.go createHorizontalPodAutoscalerV2). */
export function autoscalerFor(action: Extract<Action, { verb: 'autoscale' }>, workload: { apiVersion: string; kind: string; name: string; namespace?: string }): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: action.name ?? workload.name, ...(workload.namespace ? { namespace: workload.namespace } : {}) },
    spec: {
      scaleTargetRef: { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.name },
      ...(action.min !== undefined ? { minReplicas: action.min } : {}),
      maxReplicas: action.max,
      ...(action.cpuPercent !== undefined
        ? { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: action.cpuPercent } } }] }
        : {}),
    },
  };
}
