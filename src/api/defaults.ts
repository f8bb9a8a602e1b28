// Admission defaulting for the kinds modelled so far, as upstream's SetDefaults_* functions
// (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go) and the admission plugins that
// run on every cluster (DefaultTolerationSeconds). Later issues add kinds here.

import type { KubeObject } from './types.js';
import { computePodQOS } from './qos.js';
import { defaultService } from '../network/services.js';
import { setDefaultsDaemonSet, setDefaultsStatefulSet } from './stateful_daemon.js';
import { setDefaultsJob } from '../controllers/job/registry.js';
import { setDefaultsCronJob } from '../controllers/cronjob/registry.js';
import { setDefaultsHorizontalPodAutoscaler } from '../controllers/podautoscaler/registry.js';
import { preparePodDisruptionBudgetForCreate } from './pdb_validation.js';
import { admitSecret } from './configsecret.js';
import { defaultPersistentVolume, defaultPersistentVolumeClaim, defaultStorageClass } from '../storage/admission.js';

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
    case 'Deployment':
      defaultDeployment(obj);
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
    case 'Service':
      defaultService(obj);
      break;
    case 'StatefulSet':
      setDefaultsStatefulSet(obj);
      break;
    case 'DaemonSet':
      setDefaultsDaemonSet(obj);
      break;
    case 'Job':
      setDefaultsJob(obj);
      break;
    case 'CronJob':
      setDefaultsCronJob(obj);
      break;
    case 'HorizontalPodAutoscaler':
      setDefaultsHorizontalPodAutoscaler(obj);
      break;
    case 'PodDisruptionBudget':
      if (!ctx.update) preparePodDisruptionBudgetForCreate(obj);
      break;
    case 'Secret':
      admitSecret(obj);
      break;
    case 'PersistentVolume':
      defaultPersistentVolume(obj, !!ctx.update);
      break;
    case 'PersistentVolumeClaim':
      defaultPersistentVolumeClaim(obj, !!ctx.update);
      break;
    case 'StorageClass':
      defaultStorageClass(obj);
      break;
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
  for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (c[k]) defaultProbe(c[k]);
  for (const h of [c.lifecycle?.postStart, c.lifecycle?.preStop]) if (h?.httpGet) defaultHTTPGetAction(h.httpGet);
}

/** SetDefaults_Probe: a default only where the field is 0 (initialDelaySeconds has none) */
function defaultProbe(p: any): void {
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  if (p.httpGet) defaultHTTPGetAction(p.httpGet);
}

/** SetDefaults_HTTPGetAction */
function defaultHTTPGetAction(h: any): void {
  h.path ??= '/';
  h.scheme ??= 'HTTP';
}

/** plugin/pkg/admission/defaulttolerationseconds: not-ready and unreachable NoExecute, 300 s */
function defaultTolerationSeconds(spec: any): void {
  const tolerations: any[] = (spec.tolerations ??= []);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const has = tolerations.some((t) => (t.key === key || (t.key === undefined && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
    if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
}

/** SetDefaults_Deployment (pkg/apis/apps/v1/defaults.go) */
function defaultDeployment(obj: KubeObject): void {
  const spec = (obj.spec ??= {});
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    strategy.rollingUpdate ??= {};
    strategy.rollingUpdate.maxUnavailable ??= '25%';
    strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  if (spec.template) defaultTemplate(spec.template);
}
