// `kubectl expose (rc|rs|deployment|service|pod) NAME [--port] [--target-port] [--type] [--name]
// [--protocol] [--selector] [--labels] [--session-affinity] [--external-ip] [--cluster-ip]`
// (staging/src/k8s.io/kubectl/pkg/cmd/expose/expose.go, generateService): a Service whose
// selector, ports and protocols are read from the exposed object when not given
// (polymorphichelpers MapBasedSelectorForObject, PortsForObject, ProtocolsForObject), named after
// the object unless --name is given, with the object's labels unless --labels is given.

import type { KubeObject } from '../api/types.js';
import { KubectlParseError } from './errors.js';
import { flagString, type FlagSpec, type ParsedFlags, type UnsupportedFlag } from './flags.js';
import { parseLabelPairs } from './pairs.js';
import { resolveTargets } from './targets.js';
import type { Action } from './types.js';
import type { BuildContext } from './verbs.js';

export const EXPOSE_FLAGS: FlagSpec[] = [
  { name: 'protocol', type: 'string', help: 'The network protocol for the service to be created. Default is \'TCP\'.' },
  { name: 'port', type: 'string', help: 'The port that the service should serve on. Copied from the resource being exposed, if unspecified' },
  { name: 'type', type: 'string', help: 'Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is \'ClusterIP\'.' },
  { name: 'selector', type: 'string', help: 'A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)' },
  { name: 'labels', short: 'l', type: 'string', help: 'Labels to apply to the service created by this call.' },
  { name: 'target-port', type: 'string', help: 'Name or number for the port on the container that the service should direct traffic to. Optional.' },
  { name: 'external-ip', type: 'string', help: 'Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP.' },
  { name: 'name', type: 'string', help: 'The name for the newly created object.' },
  { name: 'session-affinity', type: 'string', help: 'If non-empty, set the session affinity for the service to this; legal values: \'None\', \'ClientIP\'' },
  { name: 'cluster-ip', type: 'string', help: 'ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to \'None\' to create a headless service.' },
];

const u = (name: string, reason: string, short?: string): UnsupportedFlag => (short ? { name, short, reason } : { name, reason });
export const EXPOSE_UNSUPPORTED: UnsupportedFlag[] = [
  u('filename', 'name the object as TYPE NAME instead', 'f'),
  u('dry-run', 'a dry run changes nothing; leave the step out instead'),
  u('output', 'steps print nothing; check results with expectations (expect:)', 'o'),
  u('overrides', 'inline JSON overrides are not supported; write the Service manifest and apply it'),
  u('load-balancer-ip', 'deprecated upstream; LoadBalancer addresses come from cluster.loadBalancerPool'),
  u('container-port', 'deprecated upstream: use --target-port'),
];

/** polymorphichelpers.CanBeExposed */
export const EXPOSABLE = ['ReplicationController', 'Service', 'Deployment', 'ReplicaSet', 'Pod'];

export type ExposeAction = Extract<Action, { verb: 'expose' }>;

export function buildExpose(p: ParsedFlags, ctx: BuildContext): Action {
  const fail = (m: string, hint?: string): never => {
    throw new KubectlParseError(m, hint, ctx.commandLine);
  };
  if (p.args.length === 0) fail('You must provide one or more resources by argument or filename.', 'write: kubectl expose deployment web --port=80');
  const targets = resolveTargets(p.args, { namespace: flagString(p, 'namespace'), resolve: ctx.resolve, commandLine: ctx.commandLine });
  if (targets.length !== 1 || targets[0].names.length !== 1) fail('expose takes exactly one resource: TYPE NAME or TYPE/NAME', 'kubectl expose rc kubia --type=LoadBalancer --name kubia-http');
  const target = targets[0];
  // expose.go RunExpose: CanBeExposed
  if (!EXPOSABLE.includes(target.kind)) fail(`cannot expose a ${target.kind}`, `exposable kinds: ${EXPOSABLE.join(', ')}`);
  const sa = flagString(p, 'session-affinity');
  // generateService: "unknown session affinity"
  if (sa !== undefined && sa !== '' && sa !== 'None' && sa !== 'ClientIP') fail(`unknown session affinity: ${sa}`, "legal values: 'None', 'ClientIP'");
  const port = flagString(p, 'port');
  if (port) for (const one of port.split(',')) if (!/^[0-9]+$/.test(one)) fail(`strconv.Atoi: parsing "${one}": invalid syntax`, '--port is a port number (several separated by commas)');
  let labels: Record<string, string> | undefined;
  let selector: Record<string, string> | undefined;
  try {
    const l = flagString(p, 'labels');
    if (l) labels = parseLabelMap(l);
    const s = flagString(p, 'selector');
    if (s) selector = parseLabelMap(s);
  } catch (e) {
    if (e instanceof KubectlParseError) fail(e.message, e.hint);
    throw e;
  }
  const opt = (k: string) => (flagString(p, k) ? { [k === 'target-port' ? 'targetPort' : k === 'external-ip' ? 'externalIP' : k === 'cluster-ip' ? 'clusterIP' : k]: flagString(p, k) } : {});
  return {
    verb: 'expose',
    target,
    ...(port ? { port } : {}),
    ...(labels ? { labels } : {}),
    ...(selector ? { selector } : {}),
    ...(sa ? { sessionAffinity: sa } : {}),
    ...opt('protocol'),
    ...opt('type'),
    ...opt('name'),
    ...opt('target-port'),
    ...opt('external-ip'),
    ...opt('cluster-ip'),
    commandLine: ctx.commandLine,
  } as Action;
}

/** generate.ParseLabels: `k=v,k2=v2`, every item with one `=` */
export function parseLabelMap(text: string): Record<string, string> {
  const items = text.split(',');
  for (const item of items) if (item.split('=').length !== 2) throw new KubectlParseError(`invalid label spec: ${item}`, 'write KEY=VALUE[,KEY=VALUE...]');
  return parseLabelPairs(items).set;
}

/** kubectl's own failures while building the Service (printed as `error: ...`). */
export class ExposeError extends Error {}

function podSpecOf(o: KubeObject): any {
  return o.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
}

/** polymorphichelpers.MapBasedSelectorForObject */
export function selectorFor(o: KubeObject): Record<string, string> {
  switch (o.kind) {
    case 'ReplicationController':
      return { ...(o.spec?.selector ?? {}) };
    case 'Pod':
      if (!o.metadata.labels || Object.keys(o.metadata.labels).length === 0) throw new ExposeError('the pod has no labels and cannot be exposed');
      return { ...o.metadata.labels };
    case 'Service':
      if (!o.spec?.selector || Object.keys(o.spec.selector).length === 0) throw new ExposeError('the service has no pod selector set');
      return { ...o.spec.selector };
    default: {
      // Deployment, ReplicaSet: only matchLabels convert to a map-based selector
      const sel = o.spec?.selector ?? {};
      const exprs: any[] = sel.matchExpressions ?? [];
      if (exprs.length > 0) {
        // Go's %+v of []metav1.LabelSelectorRequirement
        const shown = exprs.map((r) => `{Key:${r.key} Operator:${r.operator} Values:[${(r.values ?? []).join(' ')}]}`).join(' ');
        throw new ExposeError(`couldn't convert expressions - "[${shown}]" to map-based selector format`);
      }
      return { ...(sel.matchLabels ?? {}) };
    }
  }
}

/** polymorphichelpers.PortsForObject / ProtocolsForObject: every container's ports, or a Service's ports. */
export function portsFor(o: KubeObject): { port: string; protocol?: string }[] {
  if (o.kind === 'Service') return (o.spec?.ports ?? []).map((p: any) => ({ port: String(p.port), ...(p.protocol ? { protocol: p.protocol } : {}) }));
  const out: { port: string; protocol?: string }[] = [];
  for (const c of podSpecOf(o)?.containers ?? []) for (const p of c.ports ?? []) out.push({ port: String(p.containerPort), ...(p.protocol ? { protocol: p.protocol } : {}) });
  return out;
}

/** The Service kubectl expose creates for `o` (expose.go generateService). */
export function serviceForExpose(a: Pick<ExposeAction, Exclude<keyof ExposeAction, 'verb' | 'target'>>, o: KubeObject): KubeObject {
  let selector = a.selector;
  if (!selector) {
    try {
      selector = selectorFor(o);
    } catch (e) {
      if (e instanceof ExposeError) throw new ExposeError(`couldn't retrieve selectors via --selector flag or introspection: ${e.message}`);
      throw e;
    }
  }
  const found = a.port ? a.port.split(',').map((port) => ({ port, protocol: undefined as string | undefined })) : portsFor(o);
  // a headless Service (--cluster-ip=None) may have no ports
  if (found.length === 0 && a.clusterIP !== 'None') throw new ExposeError("couldn't find port via --port flag or introspection");
  // protocols read from the object apply to the ports given with --port too (portProtocolMap)
  const protocols = new Map(portsFor(o).map((p) => [p.port, p.protocol]));
  const ports = found.map((p, i) => {
    const protocol = a.protocol ?? p.protocol ?? protocols.get(p.port) ?? 'TCP';
    const tp = a.targetPort ?? p.port;
    return {
      // several ports need distinct names
      ...(found.length > 1 ? { name: `port-${i + 1}` } : {}),
      protocol,
      port: Number(p.port),
      targetPort: /^[0-9]+$/.test(tp) ? Number(tp) : tp,
    };
  });
  const labels = a.labels ?? (o.metadata.labels && Object.keys(o.metadata.labels).length ? { ...o.metadata.labels } : undefined);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    // the default name is the object's, cut to a DNS-1035 label's 63 characters
    metadata: { name: a.name ?? o.metadata.name!.slice(0, 63), ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), ...(labels ? { labels } : {}) },
    spec: {
      ports,
      selector,
      ...(a.type ? { type: a.type } : {}),
      ...(a.sessionAffinity ? { sessionAffinity: a.sessionAffinity } : {}),
      ...(a.externalIP ? { externalIPs: [a.externalIP] } : {}),
      ...(a.clusterIP ? { clusterIP: a.clusterIP } : {}),
    },
  } as KubeObject;
}
