// The handlers probes and lifecycle hooks share: httpGet, tcpSocket, exec, grpc, sleep, run
// against a container's simulated process (its app model). Outputs follow upstream's wording:
// pkg/probe/http/http.go DoHTTPProbe, pkg/probe/tcp/tcp.go DoTCPProbe, pkg/probe/exec/exec.go,
// pkg/probe/grpc/grpc.go, pkg/kubelet/lifecycle/handlers.go.

import { answerHttp } from '../apps/behaviour.js';
import type { AppModel } from '../apps/registry.js';
import { drawLatency } from '../engine/component.js';
import type { Rng } from '../engine/rng.js';
import type { HandlerOutcome } from './prober.js';

/** A running instance of a container's process, as the network and exec see it. */
export interface AppProcess {
  model: AppModel;
  startedAt: number;
  /** startedAt + the drawn startup time: the ports accept connections from here on */
  listenAt: number;
  /** requests answered so far by this instance (afterRequests counts them) */
  served: number;
  env: Record<string, string>;
  /** true while the process binds a port another container of the pod already holds */
  portConflict?: boolean;
  /** it holds its declared ports (the bind succeeded) */
  bound?: boolean;
  /** a shell script as PID 1: SIGTERM does nothing */
  ignoresSigterm?: boolean;
}

export function isListening(p: AppProcess | undefined, now: number): boolean {
  return !!p && !p.portConflict && now >= p.listenAt && p.model.tcp !== false;
}

/** A port from a probe or hook: a number, or the name of one of the container's ports. */
export function resolvePort(port: unknown, container: any): number | string {
  if (typeof port === 'number') return port;
  const n = Number(port);
  if (String(port) !== '' && Number.isInteger(n)) return n;
  const p = (container.ports ?? []).find((x: any) => x.name === port);
  return p ? p.containerPort : String(port);
}

export interface HttpTarget {
  process: AppProcess | undefined;
  podIP: string;
  container: any;
  now: number;
  rng: Rng;
}

export type HttpResult =
  | { kind: 'answer'; status: number; body: string; latency: number }
  | { kind: 'error'; message: string };

/** One HTTP GET to the pod's own IP, answered by the container's app model. */
export function httpGet(action: any, t: HttpTarget): HttpResult {
  const scheme = String(action.scheme ?? 'HTTP').toLowerCase();
  const port = resolvePort(action.port, t.container);
  const host = action.host || t.podIP;
  let path = String(action.path ?? '/');
  if (!path.startsWith('/')) path = `/${path}`;
  const url = `${scheme}://${host}:${port}${path}`;
  if (typeof port === 'string') return { kind: 'error', message: `unable to resolve port "${port}": no container port with that name` };
  if (!isListening(t.process, t.now)) return { kind: 'error', message: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` };
  const p = t.process!;
  const reply = answerHttp(p.model, path, p.served, t.now - p.startedAt, p.env);
  p.served++;
  const latency = reply.answer?.latency ? drawLatency(t.rng, reply.answer.latency) : 0;
  return { kind: 'answer', status: reply.status, body: reply.body, latency };
}

/** DoHTTPProbe: 2xx success, 3xx warning (redirects not followed here), else failure */
export function httpProbe(action: any, t: HttpTarget, timeoutSeconds: number): HandlerOutcome {
  const r = httpGet(action, t);
  if (r.kind === 'error') return { result: 'failure', output: r.message };
  if (r.latency > timeoutSeconds * 1000) {
    const port = resolvePort(action.port, t.container);
    return { result: 'failure', output: `Get "${String(action.scheme ?? 'HTTP').toLowerCase()}://${t.podIP}:${port}${action.path ?? '/'}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
  }
  if (r.status >= 200 && r.status < 300) return { result: 'success', output: r.body.slice(0, 10 * 1024) };
  if (r.status >= 300 && r.status < 400) return { result: 'warning', output: `Probe terminated redirects, Response body: ${r.body.slice(0, 10 * 1024)}` };
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${r.status}` };
}

/** DoTCPProbe: a connection is a success */
export function tcpProbe(action: any, t: HttpTarget): HandlerOutcome {
  const port = resolvePort(action.port, t.container);
  const host = action.host || t.podIP;
  if (typeof port === 'string') return { result: 'failure', output: `unable to resolve port "${port}"` };
  if (!isListening(t.process, t.now)) return { result: 'failure', output: `dial tcp ${host}:${port}: connect: connection refused` };
  return { result: 'success', output: '' };
}

/**
 * gRPC health check: a listening process answers SERVING (an app model has no gRPC service of
 * its own); a process that does not accept connections fails as upstream's connect timeout does.
 */
export function grpcProbe(action: any, t: HttpTarget, timeoutSeconds: number): HandlerOutcome {
  const host = t.podIP;
  if (!isListening(t.process, t.now)) {
    return { result: 'failure', output: `timeout: failed to connect service "${host}:${action.port}" within ${timeoutSeconds}s: context deadline exceeded` };
  }
  return { result: 'success', output: '' };
}

/** The handler kind of a probe or lifecycle handler, for messages. */
export function handlerKind(h: any): 'exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'sleep' | undefined {
  for (const k of ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const) if (h?.[k]) return k;
  return undefined;
}
