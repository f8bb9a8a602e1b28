// The interpreter of busybox `sh` (ash) over a container's virtual file system. It runs as a
// generator so that `sleep` and network commands hand control back to the simulator: virtual time
// passes outside, and the next step reads the file system again (another container may have
// written to a shared emptyDir meanwhile). Errors use ash's wording (shell/ash.c).

import { ArithError, evalArith } from './arith.js';
import { COMMANDS, NETWORK_COMMANDS, UNMODELLED_COMMANDS, type CmdIO } from './commands.js';
import { joinPath, pathSegments } from './fs.js';
import { parseScript, ShellSyntaxError, type AndOr, type Command, type List, type Part, type Pipeline, type Redir, type Word } from './parse.js';
import type { ExecContext, ExecStep } from './types.js';

export type Pause = { kind: 'sleep'; ms: number } | { kind: 'wait'; on: unknown };
export type Gen<T> = Generator<Pause, T, unknown>;

export interface Sink {
  write(s: string): void;
}
export interface IO {
  stdin: string;
  out: Sink;
  err: Sink;
}

/**
 * Loop iterations allowed between two pauses (a sleep or a network wait). A real shell would spin
 * for ever in `while true; do :; done`; in virtual time that would hang the simulation, so the
 * process ends with exit code 2 instead (a kuberehearse simplification).
 */
export const LOOP_BUDGET = 100_000;
const MAX_SHELL_DEPTH = 50;

export class ExitSignal {
  constructor(readonly code: number) {}
}
export class BudgetExceeded {}
class LoopControl {
  constructor(readonly kind: 'break' | 'continue', public levels: number) {}
}
/** an error that ends a non-interactive shell with status 2 (ash `ash_msg_and_raise_error`) */
class FatalError {
  constructor(readonly message: string, readonly code = 2) {}
}

/** shared by every shell of one process */
export interface ProcessState {
  iterations: number;
}

const SHELLS = new Set(['sh', 'ash', 'bash', 'dash']);
const BIN_DIRS = new Set(['/bin', '/usr/bin', '/sbin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);
/** builtins that exist only inside a shell: an exec probe cannot run them directly */
const SHELL_ONLY = new Set(['exit', 'break', 'continue', 'cd', 'export', 'unset', 'readonly', 'set', 'shift', 'eval', '.', 'source', 'exec', 'wait', 'command', ':']);

const nullSink: Sink = { write() {} };
const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');
const hasGlob = (s: string) => /(^|[^\\])[*?[]/.test(s);

/** a shell glob as a regular expression source (no anchors) */
export function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\' && i + 1 < glob.length) out += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (ch === '*') out += '[\\s\\S]*';
    else if (ch === '?') out += '[\\s\\S]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        out += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

const isExecStep = (v: unknown): v is ExecStep =>
  typeof v === 'object' && v !== null && ['sleep', 'wait', 'exit'].includes((v as { kind?: unknown }).kind as string);

interface Field {
  text: string;
  pattern: string;
  glob: boolean;
}

export class Shell {
  private vars = new Map<string, string>();
  private exported = new Set<string>();
  private positional: string[] = [];
  private arg0 = 'sh';
  private status = 0;
  private substStatus: number | undefined;
  private errexit = false;
  private loopDepth = 0;
  private condDepth = 0;
  private cwd: string;

  constructor(
    private readonly ctx: ExecContext,
    private readonly proc: ProcessState,
    env: Record<string, string>,
    private readonly depth = 0,
  ) {
    this.cwd = joinPath(pathSegments(ctx.workingDir ?? '/'));
    for (const [k, v] of Object.entries(env)) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
  }

  private clone(): Shell {
    const s = new Shell(this.ctx, this.proc, {}, this.depth);
    s.vars = new Map(this.vars);
    s.exported = new Set(this.exported);
    s.positional = [...this.positional];
    s.arg0 = this.arg0;
    s.status = this.status;
    s.errexit = this.errexit;
    s.loopDepth = this.loopDepth;
    s.cwd = this.cwd;
    return s;
  }

  /** exported variables in definition order: the environment of the commands it starts */
  env(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.vars) if (this.exported.has(k)) out[k] = v;
    return out;
  }

  private abs(p: string): string {
    return joinPath(pathSegments(p, this.cwd));
  }

  private *pause(step: Pause): Gen<unknown> {
    if (step.kind === 'wait' || step.ms > 0) this.proc.iterations = 0;
    return yield step;
  }

  private tick(): void {
    if (++this.proc.iterations > LOOP_BUDGET) throw new BudgetExceeded();
  }

  /** run a script in this shell; exit, syntax and fatal errors end it with their status */
  *runScript(src: string, io: IO): Gen<number> {
    let list: List;
    try {
      list = parseScript(src);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      io.err.write(`sh: ${e.message}\n`);
      return 2;
    }
    return yield* this.guarded(() => this.runList(list, io), io);
  }

  /** run `body`, turning exit/fatal/stray break into a status (a shell or subshell boundary) */
  private *guarded(body: () => Gen<number>, io: IO): Gen<number> {
    try {
      return yield* body();
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      if (e instanceof FatalError) {
        io.err.write(`sh: ${e.message}\n`);
        return e.code;
      }
      if (e instanceof LoopControl) return this.status;
      throw e;
    }
  }

  private *runList(list: List, io: IO): Gen<number> {
    let status = 0;
    for (const ao of list) status = yield* this.runAndOr(ao, io);
    this.status = status;
    return status;
  }

  private *runAndOr(ao: AndOr, io: IO): Gen<number> {
    const pipelines = [ao.first, ...ao.rest.map((r) => r.pipeline)];
    // every pipeline but the last is a condition: `set -e` ignores its failure
    this.condDepth += pipelines.length > 1 ? 1 : 0;
    let status: number;
    try {
      status = yield* this.runPipeline(ao.first, io);
    } finally {
      this.condDepth -= pipelines.length > 1 ? 1 : 0;
    }
    let last: Pipeline = ao.first;
    let lastRan = ao.rest.length === 0;
    for (let i = 0; i < ao.rest.length; i++) {
      const { op, pipeline } = ao.rest[i];
      if ((op === '&&') !== (status === 0)) continue;
      const isLast = i === ao.rest.length - 1;
      if (!isLast) this.condDepth++;
      try {
        status = yield* this.runPipeline(pipeline, io);
      } finally {
        if (!isLast) this.condDepth--;
      }
      last = pipeline;
      lastRan = isLast;
    }
    if (this.errexit && this.condDepth === 0 && status !== 0 && lastRan && !last.negate) throw new ExitSignal(status);
    return status;
  }

  private *runPipeline(p: Pipeline, io: IO): Gen<number> {
    let status: number;
    if (p.negate) this.condDepth++;
    try {
      if (p.commands.length === 1) status = yield* this.runCommand(p.commands[0], io);
      else {
        // each stage runs to completion before the next reads its output: commands here are finite
        let stdin = io.stdin;
        status = 0;
        for (let i = 0; i < p.commands.length; i++) {
          const last = i === p.commands.length - 1;
          let buf = '';
          const stageIO: IO = { stdin, out: last ? io.out : { write: (s) => void (buf += s) }, err: io.err };
          const sub = this.clone();
          const cmd = p.commands[i];
          status = yield* sub.guarded(() => sub.runCommand(cmd, stageIO), stageIO);
          stdin = buf;
        }
      }
    } finally {
      if (p.negate) this.condDepth--;
    }
    if (p.negate) status = status === 0 ? 1 : 0;
    this.status = status;
    return status;
  }

  private *runCommand(cmd: Command, io: IO): Gen<number> {
    if (cmd.type === 'simple') return yield* this.runSimple(cmd, io);
    const rio = yield* this.redirect(cmd.redirs, io);
    if (!rio) return (this.status = 2);
    switch (cmd.type) {
      case 'if': {
        for (const clause of cmd.clauses) {
          if ((yield* this.condition(clause.cond, rio)) === 0) return yield* this.runList(clause.body, rio);
        }
        return cmd.otherwise ? yield* this.runList(cmd.otherwise, rio) : (this.status = 0);
      }
      case 'loop': {
        let status = 0;
        this.loopDepth++;
        try {
          for (;;) {
            this.tick();
            const c = yield* this.condition(cmd.cond, rio);
            if ((c === 0) === cmd.until) break;
            const r = yield* this.loopBody(cmd.body, rio);
            status = r.status;
            if (r.brk) break;
          }
        } finally {
          this.loopDepth--;
        }
        return (this.status = status);
      }
      case 'for': {
        const items = cmd.items ? yield* this.expandWords(cmd.items, rio) : [...this.positional];
        let status = 0;
        this.loopDepth++;
        try {
          for (const item of items) {
            this.tick();
            this.vars.set(cmd.name, item);
            const r = yield* this.loopBody(cmd.body, rio);
            status = r.status;
            if (r.brk) break;
          }
        } finally {
          this.loopDepth--;
        }
        return (this.status = status);
      }
      case 'case': {
        const word = yield* this.expandString(cmd.word, rio);
        for (const item of cmd.items) {
          for (const pat of item.patterns) {
            const glob = yield* this.expandPattern(pat.parts, rio);
            if (new RegExp(`^(?:${globToRegex(glob)})$`).test(word)) return yield* this.runList(item.body, rio);
          }
        }
        return (this.status = 0);
      }
      case 'group': {
        if (!cmd.subshell) return yield* this.runList(cmd.body, rio);
        const sub = this.clone();
        return (this.status = yield* sub.guarded(() => sub.runList(cmd.body, rio), rio));
      }
    }
  }

  private *condition(list: List, io: IO): Gen<number> {
    this.condDepth++;
    try {
      return yield* this.runList(list, io);
    } finally {
      this.condDepth--;
    }
  }

  private *loopBody(body: List, io: IO): Gen<{ status: number; brk: boolean }> {
    try {
      return { status: yield* this.runList(body, io), brk: false };
    } catch (e) {
      if (!(e instanceof LoopControl)) throw e;
      if (e.levels > 1) {
        e.levels--;
        throw e;
      }
      return { status: 0, brk: e.kind === 'break' };
    }
  }

  private *runSimple(cmd: Extract<Command, { type: 'simple' }>, io: IO): Gen<number> {
    this.substStatus = undefined;
    const argv = yield* this.expandWords(cmd.words, io);
    const assigns: Array<[string, string]> = [];
    for (const a of cmd.assigns) assigns.push([a.name, yield* this.expandString(a.value, io)]);
    const rio = yield* this.redirect(cmd.redirs, io);
    if (!rio) return (this.status = 2);
    if (argv.length === 0) {
      for (const [k, v] of assigns) this.vars.set(k, v);
      return (this.status = this.substStatus ?? 0);
    }
    return (this.status = yield* this.runArgv(argv, rio, assigns));
  }

  /** apply redirections in order; undefined (after printing ash's message) when one fails */
  private *redirect(redirs: Redir[], io: IO): Gen<IO | undefined> {
    if (!redirs.length) return io;
    const cur: IO = { ...io };
    const setFd = (fd: number, sink: Sink) => {
      if (fd === 1) cur.out = sink;
      else if (fd === 2) cur.err = sink;
    };
    for (const r of redirs) {
      const target = yield* this.expandString(r.target, io);
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') setFd(r.fd, nullSink);
        else if (target === '1') setFd(r.fd, cur.out);
        else if (target === '2') setFd(r.fd, cur.err);
        else if (target !== '0') {
          cur.err.write(`sh: ${target}: bad file descriptor\n`);
          return undefined;
        }
        continue;
      }
      const path = this.abs(target);
      if (r.op === '<') {
        let content: string | undefined;
        try {
          content = this.ctx.fs.read(path);
        } catch {
          content = undefined;
        }
        if (content === undefined) {
          cur.err.write(`sh: can't open ${target}: no such file\n`);
          return undefined;
        }
        if (r.fd === 0) cur.stdin = content;
        continue;
      }
      if (path === '/dev/stdout' || path === '/dev/stderr') {
        setFd(r.fd, path === '/dev/stdout' ? io.out : io.err);
        continue;
      }
      try {
        this.ctx.fs.write(path, '', { append: r.op === '>>' });
      } catch (e) {
        const code = (e as { code?: string }).code;
        // ash errmsg(errno, "nonexistent directory") for ENOENT/ENOTDIR, strerror otherwise
        const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'nonexistent directory' : (e as Error).message;
        cur.err.write(`sh: can't create ${target}: ${why}\n`);
        return undefined;
      }
      const fs = this.ctx.fs;
      setFd(r.fd, {
        write(s) {
          try {
            fs.write(path, s, { append: true });
          } catch {
            // the file went away or became read-only: the write is lost, as with a closed fd
          }
        },
      });
    }
    return cur;
  }

  /** run one command by name; `direct` is an exec without a shell (exec probes, kubectl exec) */
  *runArgv(argv: string[], io: IO, assigns: Array<[string, string]> = [], direct = false): Gen<number> {
    const name = argv[0];
    const env = (): Record<string, string> => ({ ...this.env(), ...Object.fromEntries(assigns) });
    if (direct && SHELL_ONLY.has(name)) return this.notFound(name, io, true);
    switch (name) {
      case 'exit': {
        const code = argv[1] === undefined ? this.status : this.integer('exit', argv[1]);
        throw new ExitSignal(code & 255);
      }
      case 'break':
      case 'continue': {
        const n = argv[1] === undefined ? 1 : this.integer(name, argv[1]);
        if (this.loopDepth === 0) return 0;
        throw new LoopControl(name, Math.min(Math.max(n, 1), this.loopDepth));
      }
      case 'cd': {
        const dir = argv[1] ?? this.vars.get('HOME') ?? '/';
        const path = this.abs(dir);
        if (!this.ctx.fs.isDirectory(path)) {
          io.err.write(`sh: cd: can't cd to ${dir}: No such file or directory\n`);
          return 2;
        }
        this.cwd = path;
        return 0;
      }
      case 'pwd':
        io.out.write(this.cwd + '\n');
        return 0;
      case 'export':
      case 'readonly': {
        if (argv.length === 1 || argv[1] === '-p') {
          for (const [k, v] of Object.entries(this.env())) io.out.write(`export ${k}='${v.replace(/'/g, `'\\''`)}'\n`);
          return 0;
        }
        for (const a of argv.slice(1)) {
          const eq = a.indexOf('=');
          const k = eq < 0 ? a : a.slice(0, eq);
          if (eq >= 0) this.vars.set(k, a.slice(eq + 1));
          if (name === 'export') this.exported.add(k);
        }
        return 0;
      }
      case 'unset':
        for (const a of argv.slice(1)) {
          if (a.startsWith('-')) continue;
          this.vars.delete(a);
          this.exported.delete(a);
        }
        return 0;
      case 'set': {
        const args = argv.slice(1);
        while (args.length && /^[-+][a-z]+$/.test(args[0])) {
          const a = args.shift()!;
          if (a.includes('e')) this.errexit = a.startsWith('-');
          // -x, -u, -o ... are accepted and not modelled
        }
        if (args[0] === '--') args.shift();
        if (args.length || argv.includes('--')) this.positional = args;
        return 0;
      }
      case 'shift': {
        const n = argv[1] === undefined ? 1 : this.integer('shift', argv[1]);
        if (n > this.positional.length) {
          io.err.write(`sh: shift: can't shift that many\n`);
          return 2;
        }
        this.positional = this.positional.slice(n);
        return 0;
      }
      case 'eval':
        return yield* this.evalText(argv.slice(1).join(' '), io);
      case '.':
      case 'source': {
        if (!argv[1]) return 0;
        const content = this.readFile(argv[1]);
        if (content === undefined) {
          io.err.write(`sh: .: can't open '${argv[1]}'\n`);
          return 2;
        }
        return yield* this.evalText(content, io);
      }
      case 'exec': {
        if (argv.length === 1) return 0;
        throw new ExitSignal(yield* this.runArgv(argv.slice(1), io, assigns));
      }
      case 'wait':
        return 0; // no background jobs exist
      case 'command': {
        if (argv[1] === '-v') {
          const found = argv.slice(2).filter((n) => this.known(n));
          for (const n of found) io.out.write(n + '\n');
          return found.length === argv.length - 2 ? 0 : 1;
        }
        return argv.length > 1 ? yield* this.runArgv(argv.slice(1), io, assigns, direct) : 0;
      }
      case 'sleep':
        return yield* this.sleep(argv, io);
      case 'env':
        return yield* this.envCommand(argv, io, env());
    }
    const base = this.commandName(name);
    if (base !== undefined && SHELLS.has(base)) return yield* this.runShell(argv, io, env());
    if (base !== undefined && COMMANDS[base]) {
      const cio: CmdIO = { stdin: io.stdin, out: (s) => io.out.write(s), err: (s) => io.err.write(s) };
      try {
        return COMMANDS[base](argv, cio, { fs: this.ctx.fs, cwd: this.cwd, env: env() });
      } catch (e) {
        io.err.write(`${base}: ${(e as Error).message}\n`);
        return 1;
      }
    }
    const netStatus = yield* this.network(base !== undefined && NETWORK_COMMANDS.has(base) ? [base, ...argv.slice(1)] : argv, io, env());
    if (netStatus !== undefined) return netStatus;
    if (base !== undefined && NETWORK_COMMANDS.has(base)) {
      io.err.write(`${base}: network commands need the services model (not modelled yet)\n`);
      return 1;
    }
    // a script file in the container (for example one an app model wrote)
    if (name.includes('/')) {
      const content = this.readFile(name);
      if (content !== undefined) return yield* this.runShell(['sh', name, ...argv.slice(1)], io, env());
    }
    if (base !== undefined && UNMODELLED_COMMANDS.has(base)) {
      io.err.write(
        `sh: ${base}: not modelled by kuberehearse; modelled commands: ${[...Object.keys(COMMANDS), 'sleep', 'sh', 'cd', 'export', 'exit', 'env'].filter((c) => /^[a-z]/.test(c)).join(', ')}\n`,
      );
      return 127;
    }
    return this.notFound(name, io, direct);
  }

  private notFound(name: string, io: IO, direct: boolean): number {
    if (direct) {
      // what the container runtime (runc) reports when the executable does not exist
      const why = name.includes('/') ? `stat ${name}: no such file or directory` : 'executable file not found in $PATH';
      io.err.write(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": ${why}: unknown\n`);
      return 126;
    }
    io.err.write(`sh: ${name}: not found\n`);
    return 127;
  }

  /** the applet a command name runs: "ls" and "/bin/ls" alike; undefined for other paths */
  private commandName(name: string): string | undefined {
    if (!name.includes('/')) return name;
    const segs = pathSegments(name);
    const dir = joinPath(segs.slice(0, -1));
    if (!BIN_DIRS.has(dir) || this.readFile(name) !== undefined) return undefined;
    return segs[segs.length - 1];
  }

  private known(name: string): boolean {
    const base = this.commandName(name);
    return base !== undefined && (!!COMMANDS[base] || SHELLS.has(base) || ['sleep', 'env', 'cd', 'exit', 'export'].includes(base));
  }

  private readFile(p: string): string | undefined {
    try {
      return this.ctx.fs.read(this.abs(p));
    } catch {
      return undefined;
    }
  }

  private integer(cmd: string, s: string): number {
    if (!/^\d+$/.test(s)) throw new FatalError(`${cmd}: Illegal number: ${s}`);
    return Number(s);
  }

  private *evalText(src: string, io: IO): Gen<number> {
    let list: List;
    try {
      list = parseScript(src);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      io.err.write(`sh: ${e.message}\n`);
      return 2;
    }
    return yield* this.runList(list, io);
  }

  /** busybox sleep: seconds with decimals, suffixes s/m/h/d, several operands add up */
  private *sleep(argv: string[], io: IO): Gen<number> {
    if (argv.length < 2) {
      io.err.write('sleep: missing operand\n');
      return 1;
    }
    let seconds = 0;
    for (const a of argv.slice(1)) {
      if (/^inf(inity)?$/i.test(a)) {
        seconds = Infinity;
        continue;
      }
      const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
      if (!m) {
        io.err.write(`sleep: invalid number '${a}'\n`);
        return 1;
      }
      seconds += Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
    }
    const ms = seconds === Infinity ? Infinity : Math.round(seconds * 1000);
    if (ms > 0) yield* this.pause({ kind: 'sleep', ms });
    return 0;
  }

  /** env [-i] [NAME=VALUE]... [COMMAND [ARG]...] */
  private *envCommand(argv: string[], io: IO, env: Record<string, string>): Gen<number> {
    let i = 1;
    let vars = { ...env };
    if (argv[i] === '-i' || argv[i] === '-') {
      vars = {};
      i++;
    }
    for (; i < argv.length && /^[^=]+=/.test(argv[i]); i++) {
      const eq = argv[i].indexOf('=');
      vars[argv[i].slice(0, eq)] = argv[i].slice(eq + 1);
    }
    if (i >= argv.length) {
      io.out.write(Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(''));
      return 0;
    }
    const child = new Shell(this.ctx, this.proc, vars, this.depth);
    child.cwd = this.cwd;
    const status = yield* child.runArgv(argv.slice(i), io, [], true);
    return status === 126 ? 127 : status; // env reports a missing program as 127
  }

  /** sh [-e] [-c SCRIPT [ARG0 [ARG]...] | FILE [ARG]...]; with neither, the script is stdin */
  *runShell(argv: string[], io: IO, env: Record<string, string>): Gen<number> {
    if (this.depth >= MAX_SHELL_DEPTH) {
      io.err.write('sh: too many nested shells\n');
      return 2;
    }
    let i = 1;
    let command = false;
    let errexit = false;
    for (; i < argv.length && /^[-+][a-zA-Z]+$/.test(argv[i]); i++) {
      if (argv[i].includes('c')) command = true;
      if (argv[i].startsWith('-') && argv[i].includes('e')) errexit = true;
    }
    if (argv[i] === '--') i++;
    const child = new Shell(this.ctx, this.proc, env, this.depth + 1);
    child.cwd = this.cwd;
    child.errexit = errexit;
    let script: string;
    if (command) {
      if (i >= argv.length) {
        io.err.write('sh: -c requires an argument\n');
        return 2;
      }
      script = argv[i];
      child.arg0 = argv[i + 1] ?? argv[0];
      child.positional = argv.slice(i + 2);
    } else if (i < argv.length) {
      const content = this.readFile(argv[i]);
      if (content === undefined) {
        io.err.write(`sh: can't open '${argv[i]}': No such file or directory\n`);
        return 2;
      }
      script = content;
      child.arg0 = argv[i];
      child.positional = argv.slice(i + 1);
    } else script = io.stdin;
    return yield* child.runScript(script, { ...io, stdin: command ? io.stdin : '' });
  }

  /** a network command through ExecContext.network; undefined when none handles it */
  private *network(argv: string[], io: IO, env: Record<string, string>): Gen<number | undefined> {
    const net = this.ctx.network;
    if (!net) return undefined;
    const ctx: ExecContext = { ...this.ctx, env, workingDir: this.cwd };
    const finish = (step: Extract<ExecStep, { kind: 'exit' }>) => {
      io.out.write(step.stdout);
      io.err.write(step.stderr);
      return step.exitCode;
    };
    const proc = net.start?.(argv, ctx);
    if (proc) {
      let input: unknown;
      for (;;) {
        const step = proc.next(input);
        if (step.kind === 'exit') return finish(step);
        input = yield* this.pause(step);
      }
    }
    let step = net.run(argv, ctx);
    if (!step) return undefined;
    while (step.kind !== 'exit') {
      const input: unknown = yield* this.pause(step);
      if (!isExecStep(input)) {
        io.err.write(`${argv[0]}: no answer from the network model\n`);
        return 1;
      }
      step = input;
    }
    return finish(step);
  }

  // ---- expansion -------------------------------------------------------------------------

  private *expandWords(words: Word[], io: IO): Gen<string[]> {
    const out: string[] = [];
    for (const w of words) out.push(...(yield* this.expandWord(w, io)));
    return out;
  }

  /** parameter, command and arithmetic expansion, field splitting on blanks, then pathname globbing */
  private *expandWord(word: Word, io: IO): Gen<string[]> {
    const fields: Field[] = [];
    let cur: Field | undefined;
    const add = (s: string, quoted: boolean) => {
      cur ??= { text: '', pattern: '', glob: false };
      cur.text += s;
      cur.pattern += quoted ? escapeGlob(s) : s;
      if (!quoted && /[*?[]/.test(s)) cur.glob = true;
    };
    const quotedAt = word.parts.some((p) => p.t === 'param' && p.name === '@' && p.q && !p.op);
    for (const part of word.parts) {
      if (part.t === 'lit') {
        if (!(quotedAt && part.q && part.s === '')) add(part.s, part.q);
      } else if (part.t === 'param' && part.name === '@' && part.q && !part.op) {
        // "$@": one field per positional parameter
        this.positional.forEach((p, i) => {
          if (i > 0) {
            fields.push(cur ?? { text: '', pattern: '', glob: false });
            cur = undefined;
          }
          add(p, true);
        });
      } else {
        const v = yield* this.partValue(part, io);
        if (part.q) add(v, true);
        else {
          v.split(/[ \t\n]+/).forEach((piece, i) => {
            if (i > 0 && cur) {
              fields.push(cur);
              cur = undefined;
            }
            if (piece) add(piece, false);
          });
        }
      }
    }
    if (cur) fields.push(cur);
    const out: string[] = [];
    for (const f of fields) {
      const matches = f.glob && hasGlob(f.pattern) ? this.glob(f.pattern) : [];
      if (matches.length) out.push(...matches);
      else out.push(f.text);
    }
    return out;
  }

  /** a word as one string (assignments, redirection targets, case subjects) */
  private *expandString(word: Word, io: IO): Gen<string> {
    let s = '';
    for (const part of word.parts) s += yield* this.partValue(part, io);
    return s;
  }

  /** a word as a glob pattern: quoted characters match literally */
  private *expandPattern(parts: Part[], io: IO): Gen<string> {
    let s = '';
    for (const part of parts) {
      const v = yield* this.partValue(part, io);
      s += part.q ? escapeGlob(v) : v;
    }
    return s;
  }

  private *partValue(part: Part, io: IO): Gen<string> {
    switch (part.t) {
      case 'lit':
        return part.s;
      case 'cmdsub':
        return yield* this.commandSubst(part.list, io);
      case 'arith': {
        const text = part.expr.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*|[0-9?#$])\}?/g, (_m, n: string) => this.param(n) ?? '');
        try {
          return String(evalArith(text, (n) => this.vars.get(n)));
        } catch (e) {
          if (e instanceof ArithError) throw new FatalError(e.message);
          throw e;
        }
      }
      case 'param':
        return yield* this.paramValue(part, io);
    }
  }

  private *commandSubst(list: List, io: IO): Gen<string> {
    let buf = '';
    const sub = this.clone();
    this.substStatus = yield* sub.guarded(() => sub.runList(list, { stdin: '', out: { write: (s) => void (buf += s) }, err: io.err }), io);
    return buf.replace(/\n+$/, '');
  }

  private param(name: string): string | undefined {
    switch (name) {
      case '?': return String(this.status);
      case '$': return '1'; // the shell is the container's first process in the model
      case '#': return String(this.positional.length);
      case '0': return this.arg0;
      case '@':
      case '*': return this.positional.length ? this.positional.join(' ') : undefined;
      case '!': return '';
      case '-': return this.errexit ? 'e' : '';
    }
    if (/^\d+$/.test(name)) return this.positional[Number(name) - 1];
    return this.vars.get(name);
  }

  private *paramValue(part: Extract<Part, { t: 'param' }>, io: IO): Gen<string> {
    const raw = this.param(part.name);
    const op = part.op;
    if (!op) return raw ?? '';
    if (op === '#len') return String((raw ?? '').length);
    const arg = (): Gen<string> => this.expandString({ parts: part.arg ?? [] }, io);
    const unset = op.startsWith(':') ? (raw ?? '') === '' : raw === undefined;
    switch (op) {
      case ':-':
      case '-':
        return unset ? yield* arg() : (raw as string);
      case ':=':
      case '=': {
        if (!unset) return raw as string;
        const v = yield* arg();
        this.vars.set(part.name, v);
        return v;
      }
      case ':+':
      case '+':
        return unset ? '' : yield* arg();
      case ':?':
      case '?': {
        if (!unset) return raw as string;
        const msg = yield* arg();
        throw new FatalError(`${part.name}: ${msg || 'parameter not set'}`);
      }
    }
    // ${x#pat} ${x##pat} ${x%pat} ${x%%pat}: remove the shortest/longest matching prefix/suffix
    const value = raw ?? '';
    const re = new RegExp(`^(?:${globToRegex(yield* this.expandPattern(part.arg ?? [], io))})$`);
    const n = value.length;
    if (op === '#') for (let i = 0; i <= n; i++) if (re.test(value.slice(0, i))) return value.slice(i);
    if (op === '##') for (let i = n; i >= 0; i--) if (re.test(value.slice(0, i))) return value.slice(i);
    if (op === '%') for (let i = n; i >= 0; i--) if (re.test(value.slice(i))) return value.slice(0, i);
    if (op === '%%') for (let i = 0; i <= n; i++) if (re.test(value.slice(i))) return value.slice(0, i);
    return value;
  }

  /** pathname expansion; hidden names match only a pattern that starts with "." */
  private glob(pattern: string): string[] {
    const absolute = pattern.startsWith('/');
    const segs = pattern.split('/').filter(Boolean);
    let paths: Array<{ fsPath: string; names: string[] }> = [{ fsPath: absolute ? '/' : this.cwd, names: [] }];
    const join = (dir: string, n: string) => (dir === '/' ? '/' + n : `${dir}/${n}`);
    for (const seg of segs) {
      const next: typeof paths = [];
      if (!hasGlob(seg)) {
        const lit = seg.replace(/\\(.)/g, '$1');
        for (const p of paths) if (this.ctx.fs.exists(join(p.fsPath, lit))) next.push({ fsPath: join(p.fsPath, lit), names: [...p.names, lit] });
      } else {
        const re = new RegExp(`^(?:${globToRegex(seg)})$`);
        for (const p of paths) {
          for (const n of this.ctx.fs.list(p.fsPath) ?? []) {
            if (n.startsWith('.') && !seg.startsWith('.')) continue;
            if (re.test(n)) next.push({ fsPath: join(p.fsPath, n), names: [...p.names, n] });
          }
        }
      }
      paths = next;
    }
    return paths.map((p) => (absolute ? '/' : '') + p.names.join('/')).sort();
  }
}
