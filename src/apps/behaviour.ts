// What a running app model does when asked: the HTTP answer for a request, and when its memory
// use passes a limit. Pure functions over the model and the process's own counters, so the
// kubelet (probes, hooks) and later the traffic model ask the same process the same way.

import type { AppModel, HttpAnswer, MemoryModel } from './registry.js';

export interface HttpReply {
  status: number;
  body: string;
  answer?: HttpAnswer;
}

/**
 * The answer to the request numbered `served` (0 for the first) at `runningMs` after the process
 * started. The first entry whose path prefix matches and whose afterRequests/afterTime hold wins;
 * an app without `http:` answers 200 with its hostname; one whose entries do not cover the path
 * answers 404.
 */
export function answerHttp(model: AppModel, path: string, served: number, runningMs: number, env: Record<string, string>): HttpReply {
  if (model.http.length === 0) return { status: 200, body: `${env.HOSTNAME ?? ''}\n` };
  for (const a of model.http) {
    if (!path.startsWith(a.path)) continue;
    if (a.afterRequests !== undefined && served < a.afterRequests) continue;
    if (a.afterTimeMs !== undefined && runningMs < a.afterTimeMs) continue;
    return { status: a.status, body: substitute(a.body ?? '', env), answer: a };
  }
  return { status: 404, body: '404 page not found\n' };
}

/** `${HOSTNAME}` and `${NAME}` from the container's environment; unknown names stay as written */
export function substitute(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name: string) => (name in env ? env[name] : m));
}

/** Usage (bytes) `t` ms after the process started. */
export function memoryAt(m: MemoryModel, t: number): number {
  const steps = m.growBy > 0 && m.everyMs > 0 ? Math.floor(t / m.everyMs) : 0;
  const v = m.initial + steps * m.growBy;
  return m.max !== undefined ? Math.min(v, m.max) : v;
}

/**
 * When (ms after start) usage first exceeds `limit` bytes, or undefined if it never does: the
 * instant the kernel's OOM killer ends the container (reason OOMKilled, exit 137).
 */
export function memoryExceedsAt(m: MemoryModel, limit: number): number | undefined {
  if (m.initial > limit) return 0;
  if (m.growBy <= 0 || m.everyMs <= 0) return undefined;
  if (m.max !== undefined && m.max <= limit) return undefined;
  const steps = Math.floor((limit - m.initial) / m.growBy) + 1;
  return steps * m.everyMs;
}
