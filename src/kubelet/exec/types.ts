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
}

/** Network commands (wget, curl, nslookup, dig) plug in here; the services work provides them. */
export interface NetworkCommands {
  /** returns undefined when the command is not a network command */
  run(argv: string[], ctx: ExecContext): ExecStep | undefined;
}

export interface ExecContext {
  fs: ContainerFileSystem;
  env: Record<string, string>;
  /** virtual ms when the process started */
  startedAt: number;
  network?: NetworkCommands;
}

/** What the process needs next, or how it ended. */
export type ExecStep =
  | { kind: 'sleep'; ms: number }
  /** waits for a network answer; the caller resumes with `resume(value)` */
  | { kind: 'wait'; on: unknown }
  | { kind: 'exit'; exitCode: number; stdout: string; stderr: string };

export interface ExecProcess {
  /** advance: returns the next thing to wait for, or the exit; `input` answers a 'wait' */
  next(input?: unknown): ExecStep;
}
