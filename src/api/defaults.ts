// Admission defaulting for the kinds modelled so far, as upstream's SetDefaults_* functions
// (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go) and the admission plugins that
// run on every cluster (DefaultTolerationSeconds). Later issues add kinds here.

import type { KubeObject } from './types.js';
import { computePodQOS } from './qos.js';

export interface DefaultingContext {
  kubernetesVersion: string;
  update?: boolean;
}

export function applyDefaults(obj: KubeObject, ctx: DefaultingContext): void {
  switch (obj.kind) {
    case 'Pod':
      defaultPodSpec(obj.spec ?? (obj.spec = {}));
      obj.status ??= {};
      if (!ctx.update) {
        obj.status.phase ??= 'Pending';
        // status.qosClass is set at creation and immutable (qos.go GetPodQOS)
        obj.status.qosClass ??= computePodQOS(obj.spec);
        defaultTolerationSeconds(obj.spec);
      }
      break;
    case 'ReplicaSet':
      obj.spec ??= {};
      obj.spec.replicas ??= 1;
      obj.spec.minReadySeconds ??= 0;
      if (obj.spec.template) defaultTemplate(obj.spec.template);
      break;
    case 'ReplicationController': {
      // SetDefaults_ReplicationController: selector and labels default to the template labels
      obj.spec ??= {};
      obj.spec.replicas ??= 1;
      obj.spec.minReadySeconds ??= 0;
      const tl = obj.spec.template?.metadata?.labels;
      if (tl && Object.keys(tl).length) {
        if (!obj.spec.selector || Object.keys(obj.spec.selector).length === 0) obj.spec.selector = { ...tl };
        if (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0) obj.metadata.labels = { ...tl };
      }
      if (obj.spec.template) defaultTemplate(obj.spec.template);
      break;
    }
    case 'Namespace':
      obj.spec ??= {};
      obj.spec.finalizers ??= ['kubernetes'];
      obj.status ??= { phase: 'Active' };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name! };
      break;
  }
}

function defaultTemplate(template: any): void {
  template.spec ??= {};
  defaultPodSpec(template.spec);
}

/** SetDefaults_PodSpec + SetDefaults_Container */
export function defaultPodSpec(spec: any): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const list of [spec.initContainers, spec.containers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) defaultContainer(c);
  }
}

function defaultContainer(c: any): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
    // SetDefaults_Container: Always for `:latest` or an untagged image, else IfNotPresent
    const ref = c.image.split('@')[0];
    const lastSlash = ref.lastIndexOf('/');
    const tagAt = ref.indexOf(':', lastSlash + 1);
    const tag = tagAt >= 0 ? ref.slice(tagAt + 1) : '';
    c.imagePullPolicy = !c.image.includes('@') && (tag === '' || tag === 'latest') ? 'Always' : 'IfNotPresent';
  }
  if (Array.isArray(c.ports)) for (const p of c.ports) p.protocol ??= 'TCP';
  // SetDefaults_Pod: a limit with no request makes the request equal to the limit
  if (c.resources?.limits) {
    c.resources.requests ??= {};
    for (const [k, v] of Object.entries(c.resources.limits)) c.resources.requests[k] ??= v;
  }
}

/** plugin/pkg/admission/defaulttolerationseconds: not-ready and unreachable NoExecute, 300 s */
function defaultTolerationSeconds(spec: any): void {
  const tolerations: any[] = (spec.tolerations ??= []);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const has = tolerations.some((t) => (t.key === key || (t.key === undefined && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
    if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
}
