// The admission chain the simulated API server runs on writes, in kube-apiserver's plugin order
// (pkg/kubeapiserver/options/plugins.go AllOrderedPlugins): NamespaceLifecycle (in the server's
// create), LimitRanger, ServiceAccount, ..., ResourceQuota last. Mutating plugins run before
// object validation, validating ones after (staging apiserver pkg/endpoints/handlers/create.go).
// A rejection is a 403: `<resource> "<name>" is forbidden: <message>` (admission.NewForbidden).

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { ApiError, resourceString } from '../api/errors.js';
import { limitRangesIn, mutatePod, validatePod, validatePvc } from './limitranger.js';
import { admitServiceAccount } from './serviceaccount.js';
import { admitQuota } from './resourcequota.js';
import { computePodQOS } from '../api/qos.js';
import { admitNodeTaint } from './nodetaint.js';
import { admitPodPriority, admitPriorityClass, defaultPriorityClass } from './priority.js';

export type AdmissionPhase = 'mutate' | 'validate';

/** utilerrors.NewAggregate(...).Error(): one message as is, several in brackets. */
function aggregate(errs: string[]): string {
  const uniq = [...new Set(errs)];
  return uniq.length === 1 ? uniq[0] : `[${uniq.join(', ')}]`;
}

export function forbidden(obj: KubeObject, name: string, message: string): ApiError {
  return new ApiError('Forbidden', `${resourceString(obj.kind, obj.apiVersion ?? 'v1')} "${name}" is forbidden: ${message}`);
}

/**
 * Run one phase of the chain on a CREATE (`old` undefined) or UPDATE. Mutates `obj` in place;
 * throws ApiError(Forbidden) on rejection. Mutating plugins see no generated name yet, so their
 * messages name the generateName prefix, as upstream's do.
 */
export function admit(api: ApiServer, obj: KubeObject, phase: AdmissionPhase, old?: KubeObject, nameForErrors?: string): void {
  if (old) return; // LimitRanger, ServiceAccount and (for the kinds modelled) ResourceQuota act on CREATE
  const name = nameForErrors ?? obj.metadata.name ?? obj.metadata.generateName ?? '';
  // TaintNodesByCondition (mutating) on a Node
  if (obj.kind === 'Node') {
    if (phase === 'mutate') admitNodeTaint(api, obj);
    return;
  }
  // Priority (validating) on the cluster-scoped PriorityClass: one globalDefault class only
  if (obj.kind === 'PriorityClass') {
    if (phase === 'mutate') defaultPriorityClass(obj);
    const pcErr = phase === 'validate' ? admitPriorityClass(api, obj, old) : undefined;
    if (pcErr) throw forbidden(obj, name, pcErr);
    return;
  }
  const ns = obj.metadata.namespace;
  if (!ns) return;
  if (phase === 'mutate') {
    if (obj.kind !== 'Pod') return;
    mutatePod(limitRangesIn(api, ns), obj);
    // the strategy's PrepareForCreate computes QoS after mutating admission added defaults
    obj.status = { ...(obj.status ?? {}), qosClass: computePodQOS(obj.spec) };
    const saErr = admitServiceAccount(api, obj);
    if (saErr) throw forbidden(obj, name, saErr);
    // Priority (mutating) follows ServiceAccount in AllOrderedPlugins
    const prioErr = admitPodPriority(api, obj);
    if (prioErr) throw forbidden(obj, name, prioErr);
    return;
  }
  if (obj.kind === 'Pod' || obj.kind === 'PersistentVolumeClaim') {
    const lrs = limitRangesIn(api, ns);
    if (lrs.length) {
      const errs = obj.kind === 'Pod' ? validatePod(lrs, obj) : validatePvc(lrs, obj);
      if (errs.length) throw forbidden(obj, name, aggregate(errs));
    }
  }
  // the simulator's own event recorder must not fail: count/events quotas are not enforced
  if (obj.kind === 'Event') return;
  const quotaErr = admitQuota(api, obj);
  if (quotaErr) throw forbidden(obj, name, quotaErr);
}
