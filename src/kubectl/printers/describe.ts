// `kubectl describe` for pods, deployments, services and nodes, after
// staging/src/k8s.io/kubectl/pkg/describe/describe.go (describePod, describeDeployment,
// DescribePodTemplate, describeService, describeNode, DescribeEvents, printLabelsMultiline,
// printAnnotationsMultiline, printPodTolerationsMultiline, describeContainers, describeStatus).
// Output is written through a PrefixWriter (two spaces per level) into one tabwriter
// (minwidth 0, padding 2), flushed before the Events table, exactly as describe.go does.

import type { KubeObject } from '../../api/types.js';
import { parseTimestamp } from '../../api/time.js';
import { computePodQOS } from '../../api/qos.js';
import { formatQuantity, parseQuantity, toMilli } from '../../api/quantity.js';
import { LAST_APPLIED_ANNOTATION } from './constants.js';
import { translateTimestampSince } from './duration.js';
import { formatLabelSelector, formatLabels } from './tables.js';
import { DESCRIBE_TABWRITER, tabwrite } from './tabwriter.js';

export interface DescribeContext {
  now: number;
  /** events whose involvedObject is this object, any order */
  eventsFor(o: KubeObject): KubeObject[];
  list(kind: string, namespace?: string): KubeObject[];
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
}

export const DESCRIBABLE = ['Pod', 'Deployment', 'Service', 'Node'];

/** PrefixWriter + tabwriter: text is collected per flush section and laid out at the end. */
class Writer {
  private sections: string[][] = [[]];
  private partial = '';
  write(level: number, text: string): void {
    const chunks = ('  '.repeat(level) + text).split('\n');
    this.partial += chunks[0];
    for (let i = 1; i < chunks.length; i++) {
      this.sections[this.sections.length - 1].push(this.partial);
      this.partial = chunks[i];
    }
  }
  line(text: string): void {
    this.write(0, `${text}\n`);
  }
  flush(): void {
    if (this.partial !== '') this.write(0, '\n');
    this.sections.push([]);
  }
  text(): string {
    this.flush();
    return this.sections.flatMap((s) => tabwrite(s, DESCRIBE_TABWRITER)).join('\n');
  }
}

/** time.RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700" in UTC */
export function rfc1123z(ts: string | undefined): string {
  const t = parseTimestamp(ts) ?? 0;
  const d = new Date(t);
  const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function printLabelsMultiline(w: Writer, title: string, labels: Record<string, string> | undefined, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;
const shorten = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}...` : s);

function printAnnotationsMultiline(w: Writer, title: string, annotations: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED_ANNOTATION).sort();
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![k].replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

function printTolerationsMultiline(w: Writer, title: string, tolerations: any[] | undefined, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const ts = tolerations ?? [];
  if (ts.length === 0) return w.line('<none>');
  ts.forEach((t, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${s}\n`);
  });
}

function describeEvents(w: Writer, events: KubeObject[], now: number): void {
  if (events.length === 0) return w.line('Events:\t<none>');
  w.flush();
  // SortableEvents: by lastTimestamp
  const sorted = [...events].sort((a: any, b: any) => (parseTimestamp(a.lastTimestamp) ?? 0) - (parseTimestamp(b.lastTimestamp) ?? 0));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted as any[]) {
    const first = translateTimestampSince(e.eventTime ?? e.firstTimestamp, now);
    const interval = (e.count ?? 1) > 1 ? `${translateTimestampSince(e.lastTimestamp, now)} (x${e.count} over ${first})` : first;
    w.write(1, `${e.type}\t${e.reason}\t${interval}\t${e.source?.component || e.reportingComponent || ''}\t${String(e.message ?? '').trim()}\n`);
  }
}

function describeResources(w: Writer, resources: any, level: number): void {
  for (const which of ['limits', 'requests'] as const) {
    const r = resources?.[which] ?? {};
    const names = Object.keys(r).sort();
    if (names.length === 0) continue;
    w.write(level, `${which === 'limits' ? 'Limits' : 'Requests'}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${formatQuantity(parseQuantity(r[n]))}\n`);
  }
}

function describeProbe(p: any): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const scheme = String(p.httpGet.scheme ?? 'HTTP').toLowerCase();
    return `http-get ${scheme}://${p.httpGet.host ?? ''}:${p.httpGet.port}${p.httpGet.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeState(w: Writer, name: string, state: any): void {
  if (state?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
    if (state?.waiting?.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  }
}

function describeContainers(w: Writer, label: string, containers: any[], statuses: any[] | undefined, space: string): void {
  w.write(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  const byName = new Map<string, any>((statuses ?? []).map((s) => [s.name, s]));
  for (const c of containers) {
    const st = statuses ? byName.get(c.name) : undefined;
    w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ''}\n`);
    const ports: any[] = c.ports ?? [];
    const portText = ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    const hostText = ports.map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(2, portText.includes(',') ? `Ports:\t${portText}\n` : `Port:\t${portText || '<none>'}\n`);
    w.write(2, hostText.includes(',') ? `Host Ports:\t${hostText}\n` : `Host Port:\t${hostText || '<none>'}\n`);
    if ((c.command ?? []).length > 0) {
      w.write(2, 'Command:\n');
      for (const x of c.command) for (const s of String(x).split('\n')) w.write(3, `${s}\n`);
    }
    if ((c.args ?? []).length > 0) {
      w.write(2, 'Args:\n');
      for (const x of c.args) for (const s of String(x).split('\n')) w.write(3, `${s}\n`);
    }
    if (st) {
      describeState(w, 'State', st.state);
      if (st.lastState?.terminated) describeState(w, 'Last State', st.lastState);
      w.write(2, `Ready:\t${st.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    describeResources(w, c.resources, 2);
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if ((c.envFrom ?? []).length > 0) {
      w.write(2, 'Environment Variables from:\n');
      for (const e of c.envFrom) {
        const [from, ref] = e.configMapRef ? ['ConfigMap', e.configMapRef] : ['Secret', e.secretRef ?? {}];
        w.write(3, `${ref.name}\t${from}${e.prefix ? ` with prefix '${e.prefix}'` : ''}\tOptional: ${!!ref.optional}\n`);
      }
    }
    const env: any[] = c.env ?? [];
    w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
    for (const e of env) {
      if (!e.valueFrom) {
        String(e.value ?? '').split('\n').forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
      } else if (e.valueFrom.fieldRef) w.write(3, `${e.name}:\t (${e.valueFrom.fieldRef.apiVersion ?? 'v1'}:${e.valueFrom.fieldRef.fieldPath})\n`);
      else if (e.valueFrom.resourceFieldRef) w.write(3, `${e.name}:\t (${e.valueFrom.resourceFieldRef.resource})\n`);
      else if (e.valueFrom.secretKeyRef) w.write(3, `${e.name}:\t<set to the key '${e.valueFrom.secretKeyRef.key}' in secret '${e.valueFrom.secretKeyRef.name}'>\tOptional: ${!!e.valueFrom.secretKeyRef.optional}\n`);
      else if (e.valueFrom.configMapKeyRef) w.write(3, `${e.name}:\t<set to the key '${e.valueFrom.configMapKeyRef.key}' of config map '${e.valueFrom.configMapKeyRef.name}'>\tOptional: ${!!e.valueFrom.configMapKeyRef.optional}\n`);
    }
    const mounts: any[] = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
    w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts) w.write(3, `${m.mountPath} from ${m.name} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path="${m.subPath}"`] : [])].join(',')})\n`);
  }
}

function describeVolumes(w: Writer, volumes: any[] | undefined, space: string): void {
  const vs = volumes ?? [];
  if (vs.length === 0) return w.write(0, `${space}Volumes:\t<none>\n`);
  w.write(0, `${space}Volumes:\n`);
  for (const v of vs) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.hostPath) w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || '<none>'}\n`);
    else if (v.emptyDir) w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`);
    else if (v.secret) w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${!!v.secret.optional}\n`);
    else if (v.configMap) w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${!!v.configMap.optional}\n`);
    else if (v.persistentVolumeClaim) w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${!!v.persistentVolumeClaim.readOnly}\n`);
    else if (v.projected) w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    else if (v.downwardAPI) w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n');
    else w.write(1, '<unknown>\n');
  }
}

function controllerOf(o: KubeObject): string {
  const ref = (o.metadata.ownerReferences ?? []).find((r: any) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

export function describePod(pod: any, ctx: DescribeContext): string {
  const w = new Writer();
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  w.line(`Name:\t${pod.metadata.name}`);
  w.line(`Namespace:\t${pod.metadata.namespace ?? 'default'}`);
  if (spec.priority !== undefined) w.line(`Priority:\t${spec.priority}`);
  if (spec.priorityClassName) w.line(`Priority Class Name:\t${spec.priorityClassName}`);
  if (spec.runtimeClassName) w.line(`Runtime Class Name:\t${spec.runtimeClassName}`);
  if (spec.serviceAccountName) w.line(`Service Account:\t${spec.serviceAccountName}`);
  w.line(spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}` : 'Node:\t<none>');
  if (status.startTime) w.line(`Start Time:\t${rfc1123z(status.startTime)}`);
  printLabelsMultiline(w, 'Labels', pod.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.line(`Status:\tTerminating (lasts ${translateTimestampSince(pod.metadata.deletionTimestamp, ctx.now)})`);
    w.line(`Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s`);
  } else w.line(`Status:\t${status.phase ?? ''}`);
  if (status.reason) w.line(`Reason:\t${status.reason}`);
  if (status.message) w.line(`Message:\t${status.message}`);
  w.line(`IP:\t${status.podIP ?? ''}`);
  const ips: any[] = status.podIPs ?? [];
  if (ips.length === 0) w.line('IPs:\t<none>');
  else {
    w.line('IPs:');
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const ctl = controllerOf(pod);
  if (ctl) w.line(`Controlled By:\t${ctl}`);
  if (status.nominatedNodeName) w.line(`NominatedNodeName:\t${status.nominatedNodeName}`);
  if ((spec.initContainers ?? []).length > 0) describeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses ?? [], '');
  describeContainers(w, 'Containers', spec.containers ?? [], status.containerStatuses ?? [], '');
  if ((spec.readinessGates ?? []).length > 0) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) {
      const c = (status.conditions ?? []).find((x: any) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
    }
  }
  if ((status.conditions ?? []).length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, spec.volumes, '');
  w.line(`QoS Class:\t${status.qosClass ?? computePodQOS(spec)}`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
  describeEvents(w, ctx.eventsFor(pod), ctx.now);
  return w.text();
}

function describePodTemplate(w: Writer, template: any): void {
  w.line('Pod Template:');
  if (!template) return w.write(1, '<unset>');
  printLabelsMultiline(w, 'Labels', template.metadata?.labels, '  ');
  const ann = template.metadata?.annotations;
  if (ann && Object.keys(ann).length > 0) printAnnotationsMultiline(w, '  Annotations', ann);
  const spec = template.spec ?? {};
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec.initContainers ?? []).length > 0) describeContainers(w, 'Init Containers', spec.initContainers, undefined, '  ');
  describeContainers(w, 'Containers', spec.containers ?? [], undefined, '  ');
  describeVolumes(w, spec.volumes, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector, '  ');
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations, '  ');
}

const intOrPercent = (v: unknown, dflt: string): string => (v === undefined || v === null ? dflt : String(v));

export function describeDeployment(d: any, ctx: DescribeContext): string {
  const w = new Writer();
  const s = d.status ?? {};
  w.line(`Name:\t${d.metadata.name}`);
  w.line(`Namespace:\t${d.metadata.namespace ?? 'default'}`);
  w.line(`CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}`);
  printLabelsMultiline(w, 'Labels', d.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', d.metadata.annotations);
  w.line(`Selector:\t${formatLabelSelector(d.spec?.selector)}`);
  w.line(`Replicas:\t${d.spec?.replicas ?? 1} desired | ${s.updatedReplicas ?? 0} updated | ${s.replicas ?? 0} total | ${s.availableReplicas ?? 0} available | ${s.unavailableReplicas ?? 0} unavailable`);
  const strategy = d.spec?.strategy ?? {};
  w.line(`StrategyType:\t${strategy.type ?? 'RollingUpdate'}`);
  w.line(`MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}`);
  if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const ru = strategy.rollingUpdate ?? {};
    w.line(`RollingUpdateStrategy:\t${intOrPercent(ru.maxUnavailable, '25%')} max unavailable, ${intOrPercent(ru.maxSurge, '25%')} max surge`);
  }
  describePodTemplate(w, d.spec?.template);
  if ((s.conditions ?? []).length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of s.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  // deploymentutil.GetAllReplicaSets: the owned ReplicaSets; the new one has the template's hash
  const owned = ctx.list('ReplicaSet', d.metadata.namespace).filter((rs) => (rs.metadata.ownerReferences ?? []).some((r: any) => r.controller && r.uid === d.metadata.uid));
  const newest = owned.find((rs) => templateMatches(rs, d));
  const old = owned.filter((rs) => rs !== newest && (((rs as any).spec?.replicas ?? 0) > 0 || ((rs as any).status?.replicas ?? 0) > 0));
  const byLabels = (rss: KubeObject[]): string => (rss.length === 0 ? '<none>' : rss.map((rs: any) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', '));
  w.line(`OldReplicaSets:\t${byLabels(old)}`);
  w.line(`NewReplicaSet:\t${byLabels(newest ? [newest] : [])}`);
  describeEvents(w, ctx.eventsFor(d), ctx.now);
  return w.text();
}

/** deploymentutil.EqualIgnoreHash: the ReplicaSet's template is the Deployment's, ignoring pod-template-hash */
function templateMatches(rs: any, d: any): boolean {
  const strip = (t: any): string => {
    const c = structuredClone(t ?? {});
    if (c.metadata?.labels) delete c.metadata.labels['pod-template-hash'];
    return JSON.stringify(sortDeep(c));
  };
  return strip(rs.spec?.template) === strip(d.spec?.template);
}

function sortDeep(v: any): any {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep(v[k])]));
  return v;
}

/** describe.go formatEndpoints restricted to one port name: ip:port, at most 3 then "+ N more..." */
function endpointsForPort(ep: any, portName: string): string {
  if (!ep) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const s of ep.subsets ?? []) {
    for (const port of s.ports ?? []) {
      if ((port.name ?? '') !== portName) continue;
      for (const a of s.addresses ?? []) {
        count++;
        if (list.length < 3) list.push(`${a.ip}:${port.port}`);
      }
    }
  }
  if (count === 0) return '<none>';
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

export function describeService(svc: any, ctx: DescribeContext): string {
  const w = new Writer();
  const spec = svc.spec ?? {};
  w.line(`Name:\t${svc.metadata.name}`);
  w.line(`Namespace:\t${svc.metadata.namespace ?? 'default'}`);
  printLabelsMultiline(w, 'Labels', svc.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', svc.metadata.annotations);
  w.line(`Selector:\t${formatLabels(spec.selector)}`);
  w.line(`Type:\t${spec.type ?? 'ClusterIP'}`);
  if (spec.ipFamilyPolicy) w.line(`IP Family Policy:\t${spec.ipFamilyPolicy}`);
  w.line(`IP Families:\t${(spec.ipFamilies ?? []).length > 0 ? spec.ipFamilies.join(',') : '<none>'}`);
  w.line(`IP:\t${spec.clusterIP ?? ''}`);
  if ((spec.clusterIPs ?? []).length > 0) w.line(`IPs:\t${spec.clusterIPs.join(',')}`);
  if ((spec.externalIPs ?? []).length > 0) w.line(`External IPs:\t${spec.externalIPs.join(',')}`);
  if (spec.loadBalancerIP) w.line(`IP:\t${spec.loadBalancerIP}`);
  const ingress: any[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) w.line(`LoadBalancer Ingress:\t${ingress.map((i) => i.ip || i.hostname).join(', ')}`);
  const ep = ctx.get('Endpoints', svc.metadata.namespace, svc.metadata.name);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    w.line(`Port:\t${name}\t${p.port}/${proto}`);
    w.line(`TargetPort:\t${p.targetPort ?? p.port}/${proto}`);
    if (p.nodePort) w.line(`NodePort:\t${name}\t${p.nodePort}/${proto}`);
    w.line(`Endpoints:\t${endpointsForPort(ep, p.name ?? '')}`);
  }
  w.line(`Session Affinity:\t${spec.sessionAffinity ?? 'None'}`);
  if (spec.externalTrafficPolicy) w.line(`External Traffic Policy:\t${spec.externalTrafficPolicy}`);
  if (spec.internalTrafficPolicy) w.line(`Internal Traffic Policy:\t${spec.internalTrafficPolicy}`);
  if (spec.healthCheckNodePort) w.line(`HealthCheck NodePort:\t${spec.healthCheckNodePort}`);
  describeEvents(w, ctx.eventsFor(svc), ctx.now);
  return w.text();
}

/** "250m (12%)": a request or limit and its share of the node's allocatable (describe.go describeNodeResource) */
function share(milli: bigint, allocatableMilli: bigint, text: string): string {
  const pct = allocatableMilli > 0n ? Number((milli * 100n) / allocatableMilli) : 0;
  return `${text} (${pct}%)`;
}

const sumMilli = (pods: any[], which: 'requests' | 'limits', res: string): bigint => {
  let total = 0n;
  for (const p of pods) for (const c of p.spec?.containers ?? []) {
    const v = c.resources?.[which]?.[res];
    if (v !== undefined) total += toMilli(parseQuantity(v));
  }
  return total;
};

const milliText = (milli: bigint, res: string): string => {
  if (milli === 0n) return '0';
  if (res === 'cpu') return milli % 1000n === 0n ? String(milli / 1000n) : `${milli}m`;
  return formatQuantity(parseQuantity(milli % 1000n === 0n ? String(milli / 1000n) : `${milli}m`));
};

export function describeNode(node: any, ctx: DescribeContext): string {
  const w = new Writer();
  const status = node.status ?? {};
  w.line(`Name:\t${node.metadata.name}`);
  const roles = Object.keys(node.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).filter((r) => r !== '').sort();
  w.line(`Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}`);
  printLabelsMultiline(w, 'Labels', node.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', node.metadata.annotations);
  w.line(`CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}`);
  const taints: any[] = node.spec?.taints ?? [];
  w.write(0, 'Taints:\t');
  if (taints.length === 0) w.line('<none>');
  taints.forEach((t, i) => w.write(0, `${i === 0 ? '' : '\t'}${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`));
  w.line(`Unschedulable:\t${!!node.spec?.unschedulable}`);
  const conds: any[] = status.conditions ?? [];
  if (conds.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conds) w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  const addrs: any[] = status.addresses ?? [];
  w.line('Addresses:');
  for (const a of addrs) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, res] of [['Capacity', status.capacity], ['Allocatable', status.allocatable]] as const) {
    if (!res || Object.keys(res).length === 0) continue;
    w.line(`${title}:`);
    for (const k of Object.keys(res).sort()) w.write(1, `${k}:\t${formatQuantity(parseQuantity(res[k]))}\n`);
  }
  const info = status.nodeInfo;
  if (info) {
    w.line('System Info:');
    const rows: [string, string | undefined][] = [
      ['Machine ID', info.machineID], ['System UUID', info.systemUUID], ['Boot ID', info.bootID], ['Kernel Version', info.kernelVersion],
      ['OS Image', info.osImage], ['Operating System', info.operatingSystem], ['Architecture', info.architecture],
      ['Container Runtime Version', info.containerRuntimeVersion], ['Kubelet Version', info.kubeletVersion], ['Kube-Proxy Version', info.kubeProxyVersion],
    ];
    for (const [k, v] of rows) w.write(1, `${k}:\t${v ?? ''}\n`);
  }
  if (node.spec?.podCIDR) w.line(`PodCIDR:\t${node.spec.podCIDR}`);
  if ((node.spec?.podCIDRs ?? []).length > 0) w.line(`PodCIDRs:\t${node.spec.podCIDRs.join(',')}`);
  if (node.spec?.providerID) w.line(`ProviderID:\t${node.spec.providerID}`);
  const pods = ctx.list('Pod').filter((p: any) => p.spec?.nodeName === node.metadata.name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const alloc = status.allocatable ?? {};
  const allocMilli = (res: string): bigint => (alloc[res] !== undefined ? toMilli(parseQuantity(alloc[res])) : 0n);
  w.line(`Non-terminated Pods:\t(${pods.length} in total)`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  for (const p of pods as any[]) {
    const cells = (['cpu', 'memory'] as const).flatMap((res) => (['requests', 'limits'] as const).map((which) => {
      const m = sumMilli([p], which, res);
      return share(m, allocMilli(res), milliText(m, res));
    }));
    w.write(1, `${p.metadata.namespace}\t${p.metadata.name}\t\t${cells.join('\t')}\t${translateTimestampSince(p.metadata.creationTimestamp, ctx.now)}\n`);
  }
  w.line('Allocated resources:');
  w.write(1, '(Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  for (const res of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = sumMilli(pods, 'requests', res);
    const lim = sumMilli(pods, 'limits', res);
    w.write(1, `${res}\t${share(req, allocMilli(res), milliText(req, res))}\t${share(lim, allocMilli(res), milliText(lim, res))}\n`);
  }
  describeEvents(w, ctx.eventsFor(node), ctx.now);
  return w.text();
}

export function describeObject(o: KubeObject, ctx: DescribeContext): string {
  switch (o.kind) {
    case 'Pod':
      return describePod(o, ctx);
    case 'Deployment':
      return describeDeployment(o, ctx);
    case 'Service':
      return describeService(o, ctx);
    case 'Node':
      return describeNode(o, ctx);
    default:
      throw new Error(`no describer for ${o.kind}`);
  }
}
