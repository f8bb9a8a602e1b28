// The commands of a busybox image, over the container's virtual file system. Messages and exit
// codes follow busybox (coreutils/*.c, shell/ash.c builtins), which is what most probe and
// init-container images ship. Commands that wait (sleep), start shells or use the network are
// run by the interpreter (shell.ts), not here.

import { FsError, pathSegments, joinPath } from './fs.js';
import type { ContainerFileSystem } from './types.js';
import { testCommand } from './test_cmd.js';

export interface CmdIO {
  stdin: string;
  out(s: string): void;
  err(s: string): void;
}

export interface CmdEnv {
  fs: ContainerFileSystem;
  cwd: string;
  /** the command's environment (exported variables) */
  env: Record<string, string>;
}

export type CommandFn = (argv: string[], io: CmdIO, c: CmdEnv) => number;

const abs = (c: CmdEnv, p: string) => joinPath(pathSegments(p, c.cwd));
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** leading single-letter flags ("-rf", "-n") until "--" or the first operand */
function flags(argv: string[], allowed: string): { set: Set<string>; rest: string[]; bad?: string } {
  const set = new Set<string>();
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (const ch of a.slice(1)) {
      if (!allowed.includes(ch)) return { set, rest: [], bad: ch };
      set.add(ch);
    }
  }
  return { set, rest: argv.slice(i) };
}

function badOption(io: CmdIO, cmd: string, ch: string): number {
  io.err(`${cmd}: invalid option -- '${ch}'\n`);
  return 1;
}

/** content of a file operand ("-" is stdin); reports busybox's "can't open" on failure */
function readOperand(c: CmdEnv, io: CmdIO, cmd: string, p: string): string | undefined {
  if (p === '-') return io.stdin;
  try {
    const content = c.fs.read(abs(c, p));
    if (content === undefined) io.err(`${cmd}: can't open '${p}': No such file or directory\n`);
    return content;
  } catch (e) {
    if (e instanceof FsError && e.code === 'EISDIR') io.err(`${cmd}: read error: Is a directory\n`);
    else io.err(`${cmd}: can't open '${p}': ${errText(e)}\n`);
    return undefined;
  }
}

/** text split into lines, each keeping its newline */
const lines = (s: string): string[] => s.match(/[^\n]*\n|[^\n]+$/g) ?? [];

const echo: CommandFn = (argv, io) => {
  let i = 1;
  let newline = true;
  let escapes = false;
  for (; i < argv.length && /^-[neE]+$/.test(argv[i]); i++) {
    for (const ch of argv[i].slice(1)) {
      if (ch === 'n') newline = false;
      else if (ch === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = argv.slice(i).join(' ');
  if (escapes) {
    const cut = text.indexOf('\\c');
    if (cut >= 0) {
      text = text.slice(0, cut);
      newline = false;
    }
    text = unescape(text);
  }
  io.out(text + (newline ? '\n' : ''));
  return 0;
};

function unescape(s: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', '"': '"' };
  return s.replace(/\\(0[0-7]{0,3}|[ntr\\abfve"])/g, (_, e: string) => (e[0] === '0' ? String.fromCharCode(parseInt(e, 8) || 0) : map[e]));
}

const printf: CommandFn = (argv, io) => {
  if (argv.length < 2) {
    io.err('printf: usage: printf FORMAT [ARG]...\n');
    return 1;
  }
  const format = argv[1];
  const args = argv.slice(2);
  let status = 0;
  let out = '';
  let used = 0;
  do {
    const before = used;
    out += unescape(format).replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdibcxXo%])/g, (_m, fl: string, width: string, prec: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const arg = args[used++] ?? '';
      let s: string;
      if (conv === 's') s = prec !== undefined ? arg.slice(0, Number(prec)) : arg;
      else if (conv === 'b') s = unescape(arg);
      else if (conv === 'c') s = arg.slice(0, 1);
      else {
        const n = arg === '' ? 0 : Number(arg);
        if (!Number.isInteger(n)) {
          io.err(`printf: invalid number '${arg}'\n`);
          status = 1;
        }
        const v = Number.isInteger(n) ? n : 0;
        s = conv === 'x' ? v.toString(16) : conv === 'X' ? v.toString(16).toUpperCase() : conv === 'o' ? v.toString(8) : String(v);
      }
      const w = Number(width || 0);
      if (s.length >= w) return s;
      if (fl.includes('-')) return s.padEnd(w);
      return fl.includes('0') && conv !== 's' ? s.padStart(w, '0') : s.padStart(w);
    });
    if (used === before) break;
  } while (used < args.length);
  io.out(out);
  return status;
};

const cat: CommandFn = (argv, io, c) => {
  const { rest, bad } = flags(argv, 'nuv');
  if (bad) return badOption(io, 'cat', bad);
  let status = 0;
  for (const p of rest.length ? rest : ['-']) {
    const content = readOperand(c, io, 'cat', p);
    if (content === undefined) status = 1;
    else io.out(content);
  }
  return status;
};

const touch: CommandFn = (argv, io, c) => {
  const { set, rest, bad } = flags(argv, 'c');
  if (bad) return badOption(io, 'touch', bad);
  if (!rest.length) return usage(io, 'touch', 'touch [-c] FILE...');
  let status = 0;
  for (const p of rest) {
    const path = abs(c, p);
    if (c.fs.exists(path)) {
      // mtime is not modelled; touching a read-only mount still fails like utimes(2)
      if (c.fs.isReadOnly?.(path)) {
        io.err(`touch: ${p}: Read-only file system\n`);
        status = 1;
      }
      continue;
    }
    if (set.has('c')) continue;
    try {
      c.fs.write(path, '');
    } catch (e) {
      io.err(`touch: ${p}: ${errText(e)}\n`);
      status = 1;
    }
  }
  return status;
};

function usage(io: CmdIO, cmd: string, text: string): number {
  io.err(`${cmd}: missing operand\nUsage: ${text}\n`);
  return 1;
}

/** rm -r: children first; errors as busybox remove_file reports them */
function removeTree(c: CmdEnv, io: CmdIO, path: string, shown: string, recursive: boolean): boolean {
  if (c.fs.isDirectory(path)) {
    if (!recursive) {
      io.err(`rm: can't remove '${shown}': Is a directory\n`);
      return false;
    }
    let ok = true;
    for (const name of c.fs.list(path) ?? []) ok = removeTree(c, io, `${path === '/' ? '' : path}/${name}`, `${shown.replace(/\/$/, '')}/${name}`, true) && ok;
    if (!ok) return false;
  }
  try {
    c.fs.remove(path);
    return true;
  } catch (e) {
    io.err(`rm: can't remove '${shown}': ${errText(e)}\n`);
    return false;
  }
}

const rm: CommandFn = (argv, io, c) => {
  const { set, rest, bad } = flags(argv, 'frRiv');
  if (bad) return badOption(io, 'rm', bad);
  if (!rest.length) return set.has('f') ? 0 : usage(io, 'rm', 'rm [-irf] FILE...');
  let status = 0;
  for (const p of rest) {
    const path = abs(c, p);
    if (!c.fs.exists(path)) {
      if (!set.has('f')) {
        io.err(`rm: can't remove '${p}': No such file or directory\n`);
        status = 1;
      }
      continue;
    }
    if (!removeTree(c, io, path, p, set.has('r') || set.has('R'))) status = 1;
  }
  return status;
};

const rmdir: CommandFn = (argv, io, c) => {
  const { rest, bad } = flags(argv, 'p');
  if (bad) return badOption(io, 'rmdir', bad);
  let status = 0;
  for (const p of rest) {
    const path = abs(c, p);
    try {
      if (!c.fs.exists(path)) throw new FsError('ENOENT', path);
      if (!c.fs.isDirectory(path)) throw new FsError('ENOTDIR', path);
      c.fs.remove(path);
    } catch (e) {
      io.err(`rmdir: '${p}': ${errText(e)}\n`);
      status = 1;
    }
  }
  return status;
};

function parseMode(spec: string, current: number, isDir: boolean): number | undefined {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let mode = current;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1] === '' || m[1].includes('a') ? 'ugo' : m[1];
    let bits = 0;
    for (const w of who) {
      const shift = w === 'u' ? 6 : w === 'g' ? 3 : 0;
      for (const p of m[3]) {
        if (p === 'r') bits |= 4 << shift;
        if (p === 'w') bits |= 2 << shift;
        if (p === 'x' || (p === 'X' && (isDir || (current & 0o111) !== 0))) bits |= 1 << shift;
      }
    }
    if (m[3].includes('t')) bits |= 0o1000;
    if (m[2] === '+') mode |= bits;
    else if (m[2] === '-') mode &= ~bits;
    else {
      let mask = 0;
      for (const w of who) mask |= 7 << (w === 'u' ? 6 : w === 'g' ? 3 : 0);
      mode = (mode & ~mask) | bits;
    }
  }
  return mode;
}

const mkdir: CommandFn = (argv, io, c) => {
  let parents = false;
  let mode: string | undefined;
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-p') parents = true;
    else if (a === '-m') mode = argv[++i];
    else if (a.startsWith('-m')) mode = a.slice(2);
    else if (a === '-pm' || a === '-mp') {
      parents = true;
      mode = argv[++i];
    } else if (a.startsWith('-') && a !== '-') return badOption(io, 'mkdir', a[1]);
    else rest.push(a);
  }
  if (!rest.length) return usage(io, 'mkdir', 'mkdir [-m MODE] [-p] DIRECTORY...');
  let status = 0;
  for (const p of rest) {
    const segs = pathSegments(p, c.cwd);
    const targets = parents ? segs.map((_, i) => joinPath(segs.slice(0, i + 1))) : [joinPath(segs)];
    try {
      for (const t of targets) {
        if (parents && c.fs.isDirectory(t)) continue;
        c.fs.mkdir(t);
        if (mode !== undefined) {
          const m = parseMode(mode, 0o755, true);
          if (m === undefined) {
            io.err(`mkdir: invalid mode '${mode}'\n`);
            return 1;
          }
          c.fs.chmod?.(t, m);
        }
      }
    } catch (e) {
      io.err(`mkdir: can't create directory '${p}': ${errText(e)}\n`);
      status = 1;
    }
  }
  return status;
};

function modeString(kind: string, mode: number): string {
  const t = kind === 'dir' ? 'd' : kind === 'device' ? 'c' : '-';
  let s = '';
  for (const shift of [6, 3, 0]) {
    const b = (mode >> shift) & 7;
    s += (b & 4 ? 'r' : '-') + (b & 2 ? 'w' : '-') + (b & 1 ? 'x' : '-');
  }
  if (mode & 0o1000) s = s.slice(0, 8) + (mode & 1 ? 't' : 'T');
  return t + s;
}

const ls: CommandFn = (argv, io, c) => {
  const { set, rest, bad } = flags(argv, '1aAldF');
  if (bad) return badOption(io, 'ls', bad);
  const operands = rest.length ? rest : ['.'];
  let status = 0;
  const entry = (path: string, name: string): string => {
    if (!set.has('l')) return name;
    const st = c.fs.stat?.(path);
    const size = st?.size ?? (c.fs.read(path) ?? '').length;
    // modification times are not modelled: every entry shows the epoch
    return `${modeString(st?.kind ?? (c.fs.isDirectory(path) ? 'dir' : 'file'), st?.mode ?? 0o644)}    1 root     root     ${String(size).padStart(9)} Jan  1 00:00 ${name}`;
  };
  const files: string[] = [];
  const dirs: string[] = [];
  for (const p of operands) {
    const path = abs(c, p);
    if (!c.fs.exists(path)) {
      io.err(`ls: ${p}: No such file or directory\n`);
      status = 1;
    } else if (c.fs.isDirectory(path) && !set.has('d')) dirs.push(p);
    else files.push(entry(path, p));
  }
  let out = files.map((f) => f + '\n').join('');
  dirs.forEach((p, i) => {
    const path = abs(c, p);
    let names = c.fs.list(path) ?? [];
    if (!set.has('a') && !set.has('A')) names = names.filter((n) => !n.startsWith('.'));
    if (set.has('a')) names = ['.', '..', ...names];
    if (operands.length > 1) out += `${i > 0 || files.length ? '\n' : ''}${p}:\n`;
    if (set.has('l')) out += `total 0\n`;
    for (const n of names) out += entry(n === '.' ? path : n === '..' ? joinPath(pathSegments('..', path)) : `${path.replace(/\/$/, '')}/${n}`, n) + '\n';
  });
  io.out(out);
  return status;
};

const envCmd: CommandFn = (_argv, io, c) => {
  io.out(Object.entries(c.env).map(([k, v]) => `${k}=${v}\n`).join(''));
  return 0;
};

const printenv: CommandFn = (argv, io, c) => {
  if (argv.length === 1) return envCmd(argv, io, c);
  let status = 0;
  for (const name of argv.slice(1)) {
    if (Object.hasOwn(c.env, name)) io.out(c.env[name] + '\n');
    else status = 1;
  }
  return status;
};

const hostname: CommandFn = (_argv, io, c) => {
  io.out(`${c.env.HOSTNAME ?? 'localhost'}\n`);
  return 0;
};

/** -n N, -N and (tail) +N */
function countOption(argv: string[], io: CmdIO, cmd: string): { n: number; fromStart: boolean; files: string[] } | undefined {
  let n = 10;
  let fromStart = false;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    let spec: string | undefined;
    if (a === '-n') spec = argv[++i];
    else if (a.startsWith('-n')) spec = a.slice(2);
    else if (/^-\d+$/.test(a)) spec = a.slice(1);
    else if (a.startsWith('-') && a !== '-') {
      badOption(io, cmd, a[1]);
      return undefined;
    } else files.push(a);
    if (spec !== undefined) {
      fromStart = spec.startsWith('+');
      if (!/^[+-]?\d+$/.test(spec)) {
        io.err(`${cmd}: invalid number '${spec}'\n`);
        return undefined;
      }
      n = Math.abs(Number(spec));
    }
  }
  return { n, fromStart, files };
}

function headTail(tail: boolean): CommandFn {
  const cmd = tail ? 'tail' : 'head';
  return (argv, io, c) => {
    const opt = countOption(argv, io, cmd);
    if (!opt) return 1;
    let status = 0;
    const operands = opt.files.length ? opt.files : ['-'];
    operands.forEach((p, i) => {
      const content = readOperand(c, io, cmd, p);
      if (content === undefined) return void (status = 1);
      if (operands.length > 1) io.out(`${i > 0 ? '\n' : ''}==> ${p} <==\n`);
      const ls = lines(content);
      const picked = !tail ? ls.slice(0, opt.n) : opt.fromStart ? ls.slice(Math.max(opt.n - 1, 0)) : opt.n === 0 ? [] : ls.slice(-opt.n);
      io.out(picked.join(''));
    });
    return status;
  };
}

const wc: CommandFn = (argv, io, c) => {
  const { set, rest, bad } = flags(argv, 'lwcm');
  if (bad) return badOption(io, 'wc', bad);
  const which = set.size ? ['l', 'w', 'c'].filter((f) => set.has(f) || (f === 'c' && set.has('m'))) : ['l', 'w', 'c'];
  let status = 0;
  const operands = rest.length ? rest : ['-'];
  const totals = [0, 0, 0];
  for (const p of operands) {
    const content = readOperand(c, io, 'wc', p);
    if (content === undefined) {
      status = 1;
      continue;
    }
    const counts = [(content.match(/\n/g) ?? []).length, content.split(/\s+/).filter(Boolean).length, Buffer.byteLength(content)];
    counts.forEach((n, i) => (totals[i] += n));
    const nums = which.map((f) => counts['lwc'.indexOf(f)]);
    // busybox pads columns to 7 unless a single count of stdin is asked for
    const text = nums.length === 1 && p === '-' ? String(nums[0]) : nums.map((n) => String(n).padStart(7)).join(' ');
    io.out(`${text}${p === '-' ? '' : ' ' + p}\n`);
  }
  if (operands.length > 1) io.out(`${which.map((f) => String(totals['lwc'.indexOf(f)]).padStart(7)).join(' ')} total\n`);
  return status;
};

/** POSIX basic regular expressions as JavaScript source */
export function breToJs(re: string, extended: boolean): string {
  const classes: Record<string, string> = {
    alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v', blank: ' \\t',
    punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
  };
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const ch = re[i];
    if (ch === '[') {
      const end = re.indexOf(']', i + (re[i + 1] === '^' ? 3 : 2));
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = re.slice(i + 1, end);
      // a class like [[:digit:]] closes after the inner ']'
      let close = end;
      while (/\[:[a-z]*:?$/.test(body) && re.indexOf(']', close + 1) >= 0) {
        close = re.indexOf(']', close + 1);
        body = re.slice(i + 1, close);
      }
      out += '[' + body.replace(/\[:([a-z]+):\]/g, (_m, n: string) => classes[n] ?? '').replace(/\\/g, '\\\\') + ']';
      i = close;
    } else if (ch === '\\' && i + 1 < re.length) {
      const n = re[++i];
      if (!extended && '(){}|+?'.includes(n)) out += n;
      else out += '\\' + n;
    } else if (!extended && '(){}|+?'.includes(ch)) out += '\\' + ch;
    else if (ch === '*' && (out === '' || out === '^')) out += '\\*';
    else out += ch;
  }
  return out;
}

const grep: CommandFn = (argv, io, c) => {
  const { set, rest, bad } = flags(argv, 'qvicEFxnlsHhw');
  if (bad) return badOption(io, 'grep', bad);
  if (!rest.length) {
    io.err('Usage: grep [-qvicEFxnlsw] PATTERN [FILE]...\n');
    return 2;
  }
  const [pattern, ...files] = rest;
  let source = set.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : breToJs(pattern, set.has('E'));
  if (set.has('w')) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
  if (set.has('x')) source = `^(?:${source})$`;
  let re: RegExp;
  try {
    re = new RegExp(source, set.has('i') ? 'i' : '');
  } catch {
    io.err(`grep: bad regex '${pattern}'\n`);
    return 2;
  }
  const operands = files.length ? files : ['-'];
  const prefix = (operands.length > 1 || set.has('H')) && !set.has('h');
  let matched = false;
  let error = false;
  for (const p of operands) {
    let content: string | undefined;
    if (p === '-') content = io.stdin;
    else {
      try {
        content = c.fs.read(abs(c, p));
      } catch (e) {
        if (!set.has('s')) io.err(`grep: ${p}: ${errText(e)}\n`);
        error = true;
        continue;
      }
      if (content === undefined) {
        if (!set.has('s')) io.err(`grep: ${p}: No such file or directory\n`);
        error = true;
        continue;
      }
    }
    let count = 0;
    lines(content).forEach((line, idx) => {
      const text = line.replace(/\n$/, '');
      if (re.test(text) === set.has('v')) return;
      count++;
      if (set.has('q') || set.has('l') || set.has('c')) return;
      io.out(`${prefix ? p + ':' : ''}${set.has('n') ? idx + 1 + ':' : ''}${text}\n`);
    });
    if (count) matched = true;
    if (set.has('q') && matched) return 0;
    if (set.has('c')) io.out(`${prefix ? p + ':' : ''}${count}\n`);
    if (set.has('l') && count) io.out(`${p === '-' ? '(standard input)' : p}\n`);
  }
  return error && !(set.has('q') && matched) ? 2 : matched ? 0 : 1;
};

function copyTree(c: CmdEnv, from: string, to: string): void {
  if (c.fs.isDirectory(from)) {
    if (!c.fs.exists(to)) c.fs.mkdir(to);
    for (const n of c.fs.list(from) ?? []) copyTree(c, `${from}/${n}`, `${to}/${n}`);
  } else c.fs.write(to, c.fs.read(from) ?? '');
}

function copyOrMove(move: boolean): CommandFn {
  const cmd = move ? 'mv' : 'cp';
  return (argv, io, c) => {
    const { set, rest, bad } = flags(argv, move ? 'fin' : 'rRafpn');
    if (bad) return badOption(io, cmd, bad);
    if (rest.length < 2) return usage(io, cmd, `${cmd} SOURCE... DEST`);
    const dest = rest[rest.length - 1];
    const destPath = abs(c, dest);
    const destIsDir = c.fs.isDirectory(destPath);
    if (rest.length > 2 && !destIsDir) {
      io.err(`${cmd}: '${dest}' is not a directory\n`);
      return 1;
    }
    let status = 0;
    for (const src of rest.slice(0, -1)) {
      const srcPath = abs(c, src);
      const segs = pathSegments(srcPath);
      const target = destIsDir ? `${destPath.replace(/\/$/, '')}/${segs[segs.length - 1]}` : destPath;
      try {
        if (!c.fs.exists(srcPath)) {
          io.err(`${cmd}: can't stat '${src}': No such file or directory\n`);
          status = 1;
          continue;
        }
        if (!move && c.fs.isDirectory(srcPath) && !set.has('r') && !set.has('R') && !set.has('a')) {
          io.err(`cp: omitting directory '${src}'\n`);
          status = 1;
          continue;
        }
        copyTree(c, srcPath, target);
        if (move) removeTree(c, io, srcPath, src, true);
      } catch (e) {
        io.err(`${cmd}: can't create '${target}': ${errText(e)}\n`);
        status = 1;
      }
    }
    return status;
  };
}

const chmod: CommandFn = (argv, io, c) => {
  const rest = argv.slice(1).filter((a) => a !== '-R');
  if (rest.length < 2) return usage(io, 'chmod', 'chmod [-R] MODE FILE...');
  const [spec, ...files] = rest;
  let status = 0;
  for (const p of files) {
    const path = abs(c, p);
    const st = c.fs.stat?.(path);
    if (!c.fs.exists(path)) {
      io.err(`chmod: ${p}: No such file or directory\n`);
      status = 1;
      continue;
    }
    const mode = parseMode(spec, st?.mode ?? 0o644, c.fs.isDirectory(path));
    if (mode === undefined) {
      io.err(`chmod: invalid mode '${spec}'\n`);
      return 1;
    }
    try {
      c.fs.chmod?.(path, mode);
    } catch (e) {
      io.err(`chmod: ${p}: ${errText(e)}\n`);
      status = 1;
    }
  }
  return status;
};

const tee: CommandFn = (argv, io, c) => {
  const { set, rest } = flags(argv, 'a');
  let status = 0;
  for (const p of rest) {
    try {
      c.fs.write(abs(c, p), io.stdin, { append: set.has('a') });
    } catch (e) {
      io.err(`tee: ${p}: ${errText(e)}\n`);
      status = 1;
    }
  }
  io.out(io.stdin);
  return status;
};

const basename: CommandFn = (argv, io) => {
  if (argv.length < 2) return usage(io, 'basename', 'basename FILE [SUFFIX]');
  const segs = argv[1].split('/').filter(Boolean);
  let base = segs.length ? segs[segs.length - 1] : argv[1].startsWith('/') ? '/' : '';
  if (argv[2] && base !== argv[2] && base.endsWith(argv[2])) base = base.slice(0, -argv[2].length);
  io.out(base + '\n');
  return 0;
};

const dirname: CommandFn = (argv, io) => {
  if (argv.length < 2) return usage(io, 'dirname', 'dirname FILENAME');
  const p = argv[1].replace(/\/+$/, '');
  const i = p.lastIndexOf('/');
  io.out((i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i).replace(/\/+$/, '') || '/') + '\n');
  return 0;
};

const seq: CommandFn = (argv, io) => {
  const nums = argv.slice(1).map(Number);
  if (!nums.length || nums.length > 3 || nums.some((n) => !Number.isFinite(n))) {
    io.err(`seq: invalid number '${argv.slice(1).find((a) => !Number.isFinite(Number(a))) ?? ''}'\n`);
    return 1;
  }
  const [first, inc, last] = nums.length === 1 ? [1, 1, nums[0]] : nums.length === 2 ? [nums[0], 1, nums[1]] : nums;
  let out = '';
  for (let n = first, k = 0; inc > 0 ? n <= last : n >= last; n = first + ++k * inc) {
    if (inc === 0 || k > 100_000) break;
    out += `${n}\n`;
  }
  io.out(out);
  return 0;
};

const constant = (text: string): CommandFn => (_a, io) => {
  io.out(text);
  return 0;
};

/** commands of a busybox image that run without waiting */
export const COMMANDS: Record<string, CommandFn> = {
  true: () => 0,
  false: () => 1,
  ':': () => 0,
  echo,
  printf,
  cat,
  touch,
  rm,
  rmdir,
  mkdir,
  ls,
  test: testCommand,
  '[': testCommand,
  env: envCmd,
  printenv,
  hostname,
  head: headTail(false),
  tail: headTail(true),
  wc,
  grep,
  cp: copyOrMove(false),
  mv: copyOrMove(true),
  chmod,
  tee,
  basename,
  dirname,
  seq,
  whoami: constant('root\n'),
  id: constant('uid=0(root) gid=0(root) groups=0(root)\n'),
  uname: constant('Linux\n'),
};

/** commands the services model provides through ExecContext.network */
export const NETWORK_COMMANDS = new Set(['wget', 'curl', 'nslookup', 'dig', 'nc', 'ping', 'telnet', 'host']);

/** busybox applets that exist in a real image but are not modelled: named, not reported "not found" */
export const UNMODELLED_COMMANDS = new Set([
  'awk', 'sed', 'cut', 'tr', 'sort', 'uniq', 'find', 'xargs', 'date', 'ps', 'kill', 'killall', 'chown', 'ln', 'stat', 'df', 'du',
  'expr', 'yes', 'timeout', 'md5sum', 'sha256sum', 'base64', 'tar', 'gzip', 'vi', 'less', 'more', 'top', 'free', 'mount', 'umount',
  'readlink', 'realpath', 'nohup', 'nproc', 'od', 'hexdump', 'diff', 'cmp', 'which', 'su', 'read', 'trap', 'ulimit', 'umask',
]);
