// Lifecycle hook handlers (pkg/kubelet/lifecycle/handlers.go HandlerRunner.Run): exec runs the
// command in the container (failure = an error or a non-zero exit), httpGet fails only on a
// transport error (the status code is NOT checked), sleep waits, tcpSocket is a deprecated no-op.

import type { Simulation } from '../engine/sim.js';
import { httpGet, type HttpTarget } from './handlers.js';

export interface HookResult {
  ok: boolean;
  /** what went wrong, for the kubelet's log (events carry no details, to avoid leaking secrets) */
  message?: string;
}

export interface HookEnv {
  sim: Simulation;
  source: string;
  http: () => HttpTarget;
  /** run a command in the container; done with its exit code */
  exec: (command: string[], done: (exitCode: number, output: string) => void) => { cancel(): void };
}

/** Run a handler; `done` is called once, possibly later in virtual time. Returns a canceller. */
export function runHook(handler: any, env: HookEnv, done: (r: HookResult) => void): { cancel(): void } {
  if (handler?.exec) {
    return env.exec(handler.exec.command ?? [], (code, output) => done(code === 0 ? { ok: true } : { ok: false, message: `command '${(handler.exec.command ?? []).join(' ')}' exited with ${code}: ${output}` }));
  }
  if (handler?.httpGet) {
    const r = httpGet(handler.httpGet, env.http());
    if (r.kind === 'error') {
      done({ ok: false, message: r.message });
      return { cancel() {} };
    }
    const t = env.sim.schedule(r.latency, env.source, () => done({ ok: true }));
    return t;
  }
  if (handler?.sleep) {
    const t = env.sim.schedule(Math.max(0, Number(handler.sleep.seconds ?? 0)) * 1000, env.source, () => done({ ok: true }));
    return t;
  }
  // tcpSocket (deprecated, never run) or nothing
  done({ ok: true });
  return { cancel() {} };
}
