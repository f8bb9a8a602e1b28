// Running a command in a container through the exec interpreter (src/kubelet/exec/), in virtual
// time: the process's `sleep`s become scheduled events, so a probe or an `exec:` step that waits
// lets the rest of the cluster move meanwhile. Used by exec probes, exec lifecycle hooks, and
// `exec:` steps.

import { startProcess } from './exec/index.js';
import type { ExecContext, ExecProcess } from './exec/types.js';
import type { Simulation } from '../engine/sim.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunningExec {
  cancel(): void;
}

/**
 * Start `command` and call `done` when it exits, or when `timeoutMs` passes first (exec probes:
 * ExecSync with timeoutSeconds). The first steps run synchronously: a command that does not
 * sleep completes before this returns.
 */
export function runInContainer(sim: Simulation, source: string, command: string | string[], ctx: ExecContext, timeoutMs: number | undefined, done: (r: ExecResult) => void): RunningExec {
  let finished = false;
  let pending: { cancel(): void } | undefined;
  let deadline: { cancel(): void } | undefined;
  const finish = (r: ExecResult) => {
    if (finished) return;
    finished = true;
    pending?.cancel();
    deadline?.cancel();
    done(r);
  };
  let proc: ExecProcess;
  try {
    // a command line (an `exec:` step's string) runs in the image's shell, as `kubectl exec -- sh -c`
    proc = startProcess(typeof command === 'string' ? ['sh', '-c', command] : command, ctx);
  } catch (e) {
    finish({ exitCode: 127, stdout: '', stderr: `${(e as Error).message}\n`, timedOut: false });
    return { cancel() {} };
  }
  const partial = () => proc.output?.() ?? { stdout: '', stderr: '' };
  const advance = (input?: unknown) => {
    if (finished) return;
    for (;;) {
      let step;
      try {
        step = proc.next(input);
      } catch (e) {
        return finish({ exitCode: 1, stdout: partial().stdout, stderr: `${(e as Error).message}\n`, timedOut: false });
      }
      input = undefined;
      if (step.kind === 'exit') return finish({ exitCode: step.exitCode, stdout: step.stdout, stderr: step.stderr, timedOut: false });
      if (step.kind === 'sleep') {
        pending = sim.schedule(step.ms, source, () => advance());
        return;
      }
      // a network wait with no network model behind it: the command cannot complete
      return finish({ exitCode: 1, stdout: partial().stdout, stderr: 'network commands are not modelled yet\n', timedOut: false });
    }
  };
  if (timeoutMs !== undefined) deadline = sim.schedule(timeoutMs, source, () => finish({ exitCode: -1, ...partial(), timedOut: true }));
  advance();
  return { cancel: () => { finished = true; pending?.cancel(); deadline?.cancel(); } };
}
