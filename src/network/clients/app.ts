// The pod side of a connection: which pod owns an IP (its network namespace exists while the
// pod object does), whether a process listens on the port (the container runs and its app's
// `startup` has passed; a process shutting down after SIGTERM still answers until it exits),
// and what the app answers over HTTP (DESIGN §3 apps: first matching `http` entry whose
// afterRequests/afterTime have passed; otherwise 200 with the pod's hostname).

import type { Cluster } from '../../engine/cluster.js';
import type { KubeObject } from '../../api/types.js';
import type { AppModel } from '../../apps/registry.js';
import { parseTimestamp } from '../../api/time.js';

export type Listener =
  | {
      ok: true;
      pod: KubeObject;
      container: string;
      app: AppModel;
      instance: string;
      startedAt: number;
      hostname?: string;
      /** answers given so far, by the index of the matching `http` entry (the default last): the
       * same for every request to this process, built once */
      answers?: ({ status: number; body: string } | undefined)[];
    }
  /** the pod exists but nothing listens: the kernel answers RST -> connection refused */
  | { ok: false; pod: KubeObject; why: string };

/** Pods by IP, kept in step with the API (the network namespaces of the pods that exist). */
export class PodNetwork {
  private readonly byIP = new Map<string, string>();

  constructor(private readonly cluster: Cluster) {
    cluster.api.watch((ev) => {
      const pod = ev.object;
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      const oldIP: string | undefined = ev.old?.status?.podIP;
      const ip: string | undefined = pod.status?.podIP;
      if (oldIP && (ev.type === 'DELETED' || oldIP !== ip) && this.byIP.get(oldIP) === key) this.byIP.delete(oldIP);
      if (ev.type !== 'DELETED' && ip && !pod.spec?.hostNetwork) this.byIP.set(ip, key);
    }, ['Pod']);
  }

  podAt(ip: string): KubeObject | undefined {
    const key = this.byIP.get(ip);
    if (!key) return undefined;
    const [ns, name] = key.split('/');
    const pod = this.cluster.api.get('Pod', ns, name);
    return pod?.status?.podIP === ip ? pod : undefined;
  }

  /** Who accepts a TCP connection on pod:port right now. */
  listener(pod: KubeObject, port: number, now: number): Listener {
    const specs: any[] = pod.spec?.containers ?? [];
    const declares = (c: any) => (c.ports ?? []).some((p: any) => p.containerPort === port && (p.protocol ?? 'TCP') === 'TCP');
    // a port no container declares: with no declared ports at all, the first container is taken
    // to listen on it (declaring containerPorts is informational in Kubernetes)
    const spec = specs.find(declares) ?? (specs.every((c) => !(c.ports ?? []).length) ? specs[0] : undefined);
    if (!spec) return { ok: false, pod, why: `no container of pod ${pod.metadata.name} listens on port ${port}` };
    const st = (pod.status?.containerStatuses ?? []).find((s: any) => s.name === spec.name);
    const running = st?.state?.running;
    if (!running) return { ok: false, pod, why: `container ${spec.name} of pod ${pod.metadata.name} is not running` };
    const app = this.cluster.apps.lookup(spec.image);
    if (app.extra.tcp === false) return { ok: false, pod, why: `the app of ${spec.name} accepts no TCP connections` };
    const startedAt = parseTimestamp(running.startedAt) ?? 0;
    if (now < startedAt + app.startup.max) return { ok: false, pod, why: `container ${spec.name} of pod ${pod.metadata.name} is not listening yet` };
    return { ok: true, pod, container: spec.name, app, instance: `${pod.metadata.uid}/${spec.name}/${st.restartCount ?? 0}`, startedAt };
  }
}

/** The answer of an app to one HTTP request; `served` counts earlier requests of this process. */
export function answerHttp(l: Extract<Listener, { ok: true }>, path: string, served: number, now: number): { readonly status: number; readonly body: string } {
  // the pod's hostname and answers, kept with the listener (the traffic runtime reuses listeners)
  const hostname = (l.hostname ??= podHostname(l.pod));
  const http = l.app.http;
  const answers = (l.answers ??= []);
  for (let i = 0; i < http.length; i++) {
    const a = http[i];
    if (!pathMatches(a.path, path)) continue;
    if (a.afterRequests !== undefined && served < a.afterRequests) continue;
    if (a.afterTimeMs !== undefined && now - l.startedAt < a.afterTimeMs) continue;
    return (answers[i] ??= { status: a.status, body: substitute(a.body ?? `${hostname}\n`, l, hostname) });
  }
  return (answers[http.length] ??= { status: 200, body: `${hostname}\n` });
}

function pathMatches(prefix: string, path: string): boolean {
  return path.startsWith(prefix);
}

/** GeneratePodHostNameAndDomain: spec.hostname or the pod name, at most 63 characters */
export function podHostname(pod: KubeObject): string {
  return String(pod.spec?.hostname || pod.metadata.name).slice(0, 63).replace(/[-.]+$/, '');
}

function substitute(body: string, l: Extract<Listener, { ok: true }>, hostname: string): string {
  const env: Record<string, string> = { HOSTNAME: hostname };
  const spec = (l.pod.spec?.containers ?? []).find((c: any) => c.name === l.container);
  for (const e of spec?.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
  return body.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, k) => env[k] ?? m);
}
