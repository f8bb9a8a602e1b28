// The contract between the container exec interpreter (src/kubelet/exec/) and its callers: exec
// probes, `exec:` steps, `kubectl exec`, lifecycle hooks and container commands. A command runs as
// a process that advances in virtual time: the caller drives it step by step, because `sleep`,
// `while` loops and network commands take time during which other components change the world
// (another container touches a file; a Service gains endpoints).

/** A container's view of files: its own file system with the pod's volumes mounted. */
export interface ContainerFileSystem {
  /** file content, or undefined when there is no such file */
  read(path: string): string | undefined;
  write(path: string, content: string, opts?: { append?: boolean }): void;
  remove(path: string): boolean;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** names in a directory (sorted), or undefined when it is not a directory */
  list(path: string): string[] | undefined;
  mkdir(path: string): void;
  /** kind, permission bits and size; undefined when missing (used by `ls -l`, `test -s`) */
  stat?(path: string): FileStat | undefined;
  /** change permission bits (`chmod`) */
  chmod?(path: string, mode: number): void;
  /** whether `path` lies under a read-only mount (`test -w`, `touch` of an existing file) */
  isReadOnly?(path: string): boolean;
}

export interface FileStat {
  kind: 'file' | 'dir' | 'device';
  mode: number;
  size: number;
}

/** Network commands (wget, curl, nslookup, dig) plug in here; the services work provides them. */
export interface NetworkCommands {
  /** returns undefined when the command is not a network command */
  run(argv: string[], ctx: ExecContext): ExecStep | undefined;
  /**
   * Optional richer form, preferred over `run` when present: the command as a process of its
   * own; the interpreter passes its steps through (and `next(input)` answers back) until it exits.
   * With `run` only, a returned 'sleep' or 'wait' step is passed to the caller, whose answer
   * (`next(answer)`) must be the command's next ExecStep.
   */
  start?(argv: string[], ctx: ExecContext): ExecProcess | undefined;
}

export interface ExecContext {
  fs: ContainerFileSystem;
  env: Record<string, string>;
  /** virtual ms when the process started */
  startedAt: number;
  network?: NetworkCommands;
  /** the container's workingDir for relative paths; "/" when unset */
  workingDir?: string;
}

/** What the process needs next, or how it ended. */
export type ExecStep =
  /** `ms` may be Infinity (`sleep infinity`) */
  | { kind: 'sleep'; ms: number }
  /** waits for a network answer; the caller resumes with `resume(value)` */
  | { kind: 'wait'; on: unknown }
  | { kind: 'exit'; exitCode: number; stdout: string; stderr: string };

export interface ExecProcess {
  /** advance: returns the next thing to wait for, or the exit; `input` answers a 'wait' */
  next(input?: unknown): ExecStep;
  /** output so far (for a caller that gives up on the process, e.g. an exec probe timeout) */
  output?(): { stdout: string; stderr: string };
}
