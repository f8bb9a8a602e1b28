// `kubectl run NAME --image=IMAGE [--port=PORT] [--labels=k=v,...] [--env=K=V]... [--restart=Always|
// OnFailure|Never] [--command] [--expose] [-- ARGS...]` as kubectl >= 1.18 runs it
// (staging/src/k8s.io/kubectl/pkg/cmd/run/run.go, generate/versioned/run.go BasicPod): one Pod,
// labelled run=NAME unless --labels is given; with --expose also a Service for it
// (run.go generateService: selector = the pod's labels, port = --port). `--generator` no longer
// exists, so pflag rejects it as an unknown flag.

import type { KubeObject } from '../api/types.js';
import { KubectlParseError } from './errors.js';
import { flagBool, flagList, flagString, type FlagSpec, type ParsedFlags, type UnsupportedFlag } from './flags.js';
import { parseLabelMap, serviceForExpose } from './expose.js';
import type { Action } from './types.js';
import type { BuildContext } from './verbs.js';

export const RUN_FLAGS: FlagSpec[] = [
  { name: 'image', type: 'string', help: 'The image for the container to run.' },
  { name: 'port', type: 'string', help: 'The port that this container exposes.' },
  { name: 'labels', short: 'l', type: 'string', help: 'Comma separated labels to apply to the pod. Will override previous values.' },
  { name: 'env', type: 'stringArray', help: 'Environment variables to set in the container.' },
  { name: 'restart', type: 'string', help: "The restart policy for this Pod.  Legal values [Always, OnFailure, Never]." },
  { name: 'command', type: 'bool', help: 'If true and extra arguments are present, use them as the \'command\' field in the container, rather than the \'args\' field which is the default.' },
  { name: 'expose', type: 'bool', help: 'If true, create a ClusterIP service associated with the pod.  Requires `--port`.' },
  { name: 'image-pull-policy', type: 'string', help: 'The image pull policy for the container.' },
];

const u = (name: string, reason: string, short?: string): UnsupportedFlag => (short ? { name, short, reason } : { name, reason });
export const RUN_UNSUPPORTED: UnsupportedFlag[] = [
  u('dry-run', 'a dry run changes nothing; leave the step out instead'),
  u('output', 'steps print nothing; check results with expectations (expect:)', 'o'),
  u('overrides', 'inline JSON overrides are not supported; write the Pod manifest and apply it'),
  u('attach', 'a step cannot attach to a container; use an `exec:` step'),
  u('stdin', 'a step has no terminal', 'i'),
  u('tty', 'a step has no terminal', 't'),
  u('rm', 'needs --attach, which a step cannot do'),
  u('annotations', 'not supported yet; annotate the pod in a later step'),
  u('privileged', 'security contexts are not simulated'),
];

/** docker reference grammar, simplified (reference.ReferenceRegexp): lower-case path, optional :tag, @digest */
const IMAGE = /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

const RESTART = ['Always', 'OnFailure', 'Never'];

export function buildRun(p: ParsedFlags, ctx: BuildContext): Action {
  const fail = (m: string, hint?: string): never => {
    throw new KubectlParseError(m, hint, ctx.commandLine);
  };
  const usage = 'kubectl run NAME --image=IMAGE [--port=PORT] [--labels=k=v] [--env=K=V] [--restart=Never] [-- ARGS...]';
  // cobra checks required flags (MarkFlagRequired("image")) before RunOptions.Validate runs
  if (flagString(p, 'image') === undefined) fail('required flag(s) "image" not set', usage);
  // run.go RunOptions.Validate, in its order
  if (p.args.length === 0) fail('NAME is required for run', usage);
  const [name, ...args] = p.args;
  const image = flagString(p, 'image') ?? '';
  if (image === '') fail('--image is required', usage);
  if (!IMAGE.test(image)) fail(`Invalid image name "${image}": invalid reference format`, 'e.g. --image=nginx:1.25 or --image=luksa/kubia');
  const restart = flagString(p, 'restart') ?? 'Always';
  // run.go getRestartPolicy
  if (!RESTART.includes(restart)) fail(`invalid restart policy: ${restart}`, `legal values: ${RESTART.join(', ')}`);
  const portText = flagString(p, 'port') ?? '';
  if (portText !== '' && !/^-?[0-9]+$/.test(portText)) fail(`strconv.Atoi: parsing "${portText}": invalid syntax`, '--port is a port number');
  const expose = flagBool(p, 'expose') ?? false;
  if (expose && portText === '') fail('--port must be set when exposing a service', 'e.g. kubectl run web --image=nginx --port=80 --expose');
  let labels: Record<string, string> = { run: name };
  const labelText = flagString(p, 'labels');
  try {
    if (labelText) labels = parseLabelMap(labelText);
  } catch (e) {
    if (e instanceof KubectlParseError) fail(e.message, e.hint);
    throw e;
  }
  // generate/versioned/run.go parseEnvs
  const env = (flagList(p, 'env') ?? []).map((e) => {
    const eq = e.indexOf('=');
    if (eq <= 0) fail(`invalid env: ${e}`, 'write --env=NAME=VALUE');
    return { name: e.slice(0, eq), value: e.slice(eq + 1) };
  });
  const pullPolicy = flagString(p, 'image-pull-policy');
  if (pullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) {
    fail(`invalid image pull policy: ${pullPolicy}`, 'legal values: Always, IfNotPresent, Never');
  }
  const port = portText === '' ? -1 : Number(portText);
  const namespace = flagString(p, 'namespace');
  const meta = { name, ...(namespace ? { namespace } : {}) };
  const container: any = {
    name,
    image,
    ...(args.length ? { [flagBool(p, 'command') ? 'command' : 'args']: args } : {}),
    ...(env.length ? { env } : {}),
    ...(port > -1 ? { ports: [{ containerPort: port }] } : {}),
    ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
    resources: {},
  };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...meta, labels },
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
  } as KubeObject;
  // run.go generateService: the Service takes --labels only when given, its selector is the pod's labels
  const service = expose
    ? serviceForExpose({ port: portText, selector: labels, ...(labelText ? { labels } : {}) }, { ...pod, metadata: { ...meta } } as KubeObject)
    : undefined;
  return { verb: 'run', pod, ...(service ? { service } : {}), ...(namespace ? { namespace } : {}), commandLine: ctx.commandLine };
}
