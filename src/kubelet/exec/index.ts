// Running a command in a container: exec probes, `exec:` steps, `kubectl exec`, lifecycle hooks.
// A command is argv as Kubernetes gives it (`exec.command`): run directly, like the container
// runtime's exec, unless argv[0] is a shell (`["sh", "-c", "..."]`), which interprets its script.
// The process is resumable: the caller advances virtual time for each 'sleep' it yields.

import { BudgetExceeded, ExitSignal, LOOP_BUDGET, Shell, type Gen, type IO } from './shell.js';
import type { ExecContext, ExecProcess, ExecStep } from './types.js';

export { VirtualFileSystem, SharedVolume, FsError } from './fs.js';
export { LOOP_BUDGET } from './shell.js';
export type { ContainerFileSystem, ExecContext, ExecProcess, ExecStep, FileStat, NetworkCommands } from './types.js';

const SHELL_NAMES = /^(?:\/(?:usr\/)?bin\/)?(?:sh|ash|bash|dash)$/;

class Process implements ExecProcess {
  private stdout = '';
  private stderr = '';
  private finished: ExecStep | undefined;
  private readonly gen: Gen<number>;

  constructor(command: string[], ctx: ExecContext) {
    this.gen = this.main(command, ctx);
  }

  private *main(command: string[], ctx: ExecContext): Gen<number> {
    const io: IO = {
      stdin: '',
      out: { write: (s) => void (this.stdout += s) },
      err: { write: (s) => void (this.stderr += s) },
    };
    if (command.length === 0 || command[0] === '') {
      io.err.write('kuberehearse: empty command: give the program and its arguments, e.g. ["cat", "/tmp/healthy"]\n');
      return 126;
    }
    const shell = new Shell(ctx, { iterations: 0 }, ctx.env);
    try {
      if (SHELL_NAMES.test(command[0])) return yield* shell.runShell(command, io, shell.env());
      return yield* shell.runArgv(command, io, [], true);
    } catch (e) {
      if (e instanceof BudgetExceeded) {
        io.err.write(`kuberehearse: loop ran ${LOOP_BUDGET} iterations without sleeping\n`);
        return 2;
      }
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
  }

  next(input?: unknown): ExecStep {
    if (this.finished) return this.finished;
    const r = this.gen.next(input);
    if (!r.done) return r.value;
    this.finished = { kind: 'exit', exitCode: r.value, stdout: this.stdout, stderr: this.stderr };
    return this.finished;
  }

  output(): { stdout: string; stderr: string } {
    return { stdout: this.stdout, stderr: this.stderr };
  }
}

/** Start `command` (argv) in a container; drive it with `next()` until it yields 'exit'. */
export function startProcess(command: string[], ctx: ExecContext): ExecProcess {
  return new Process(command, ctx);
}

export interface CompletedProcess {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** virtual time the process slept */
  elapsedMs: number;
  /** set when the process was still running after `maxSleepMs`; it is abandoned with exit code 137 */
  timedOut?: boolean;
}

/**
 * Run a command to its end for tests and simple callers: sleeps add up (nothing else changes the
 * world meanwhile), network waits get no answer. A process still running after `maxSleepMs` of
 * sleep is abandoned, as a kill would end it (exit code 137).
 */
export function runToCompletion(command: string[], ctx: ExecContext, maxSleepMs = Number.POSITIVE_INFINITY): CompletedProcess {
  const proc = startProcess(command, ctx);
  let elapsedMs = 0;
  for (;;) {
    const step = proc.next();
    if (step.kind === 'exit') return { exitCode: step.exitCode, stdout: step.stdout, stderr: step.stderr, elapsedMs };
    if (step.kind === 'sleep') {
      if (elapsedMs + step.ms > maxSleepMs) {
        const out = proc.output?.() ?? { stdout: '', stderr: '' };
        return { exitCode: 137, ...out, elapsedMs: maxSleepMs, timedOut: true };
      }
      elapsedMs += step.ms;
    }
  }
}
