// The API server's side of autoscaling/v2 HorizontalPodAutoscaler: SetDefaults_HorizontalPodAutoscaler
// (pkg/apis/autoscaling/v2/defaults.go) and the core of ValidateHorizontalPodAutoscaler
// (pkg/apis/autoscaling/validation/validation.go).

import type { KubeObject } from '../../api/types.js';

const scaleUpDefault = () => ({ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
const scaleDownDefault = () => ({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });

export function setDefaultsHorizontalPodAutoscaler(obj: KubeObject): void {
  const spec = (obj.spec ??= {});
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  // behavior defaults only when behavior is set (scaleDown's window is the controller's flag)
  if (spec.behavior) {
    spec.behavior.scaleUp = { ...scaleUpDefault(), ...(spec.behavior.scaleUp ?? {}) };
    spec.behavior.scaleDown = { ...scaleDownDefault(), ...(spec.behavior.scaleDown ?? {}) };
  }
}

export function validateHorizontalPodAutoscaler(obj: KubeObject): string[] {
  const s = obj.spec ?? {};
  const errs: string[] = [];
  const ref = s.scaleTargetRef;
  if (!ref?.kind) errs.push('spec.scaleTargetRef.kind: Required value');
  if (!ref?.name) errs.push('spec.scaleTargetRef.name: Required value');
  if (typeof s.minReplicas === 'number' && s.minReplicas < 1) errs.push(`spec.minReplicas: Invalid value: ${s.minReplicas}: must be greater than or equal to 1`);
  if (typeof s.maxReplicas !== 'number' || s.maxReplicas < 1) errs.push(`spec.maxReplicas: Invalid value: ${s.maxReplicas ?? 0}: must be greater than 0`);
  else if (typeof s.minReplicas === 'number' && s.maxReplicas < s.minReplicas) errs.push(`spec.maxReplicas: Invalid value: ${s.maxReplicas}: must be greater than or equal to \`minReplicas\``);
  (s.metrics ?? []).forEach((m: any, i: number) => {
    const t = m?.resource?.target;
    if (m?.type === 'Resource' && t?.type === 'Utilization' && !(t.averageUtilization > 0)) errs.push(`spec.metrics[${i}].resource.target.averageUtilization: Invalid value: ${t.averageUtilization}: must be greater than 0`);
  });
  return errs;
}
