// `test` and `[`, after busybox coreutils/test.c: the POSIX rules by argument count first
// (so `[ -n ]` and `[ ! = x ]` mean what POSIX says), then a recursive parser for -a, -o, ! and
// parentheses. Errors print "sh: ..." (test is an ash builtin) and exit 2.

import { joinPath, pathSegments } from './fs.js';
import type { CmdEnv, CmdIO } from './commands.js';

class TestError extends Error {}

const UNARY = new Set(['-e', '-f', '-d', '-s', '-z', '-n', '-r', '-w', '-x', '-L', '-h', '-b', '-c', '-p', '-S', '-t', '-g', '-u', '-k', '-O', '-G']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-gt', '-lt', '-ge', '-le', '-nt', '-ot', '-ef']);

function num(s: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(s)) throw new TestError(`${s}: bad number`);
  return Number(s);
}

function unary(op: string, arg: string, c: CmdEnv): boolean {
  const path = joinPath(pathSegments(arg, c.cwd));
  const exists = arg !== '' && c.fs.exists(path);
  switch (op) {
    case '-z': return arg === '';
    case '-n': return arg !== '';
    case '-e': return exists;
    case '-f': return exists && !c.fs.isDirectory(path) && (c.fs.stat?.(path)?.kind ?? 'file') === 'file';
    case '-d': return exists && c.fs.isDirectory(path);
    case '-s': {
      if (!exists) return false;
      const st = c.fs.stat?.(path);
      return st ? st.size > 0 : c.fs.isDirectory(path) || (c.fs.read(path) ?? '') !== '';
    }
    case '-r': return exists;
    // the container runs as root: writable unless the mount is read-only (access(2) says EROFS)
    case '-w': return exists && !c.fs.isReadOnly?.(path);
    case '-x': return exists && (c.fs.isDirectory(path) || ((c.fs.stat?.(path)?.mode ?? 0) & 0o111) !== 0);
    case '-c': return exists && c.fs.stat?.(path)?.kind === 'device';
    case '-k': return exists && ((c.fs.stat?.(path)?.mode ?? 0) & 0o1000) !== 0;
    case '-O':
    case '-G': return exists;
    // no symlinks, pipes, sockets, block devices, setuid bits or terminals in the model
    default: return false;
  }
}

function binary(a: string, op: string, b: string): boolean {
  switch (op) {
    case '=':
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '>': return a > b;
    case '-eq': return num(a) === num(b);
    case '-ne': return num(a) !== num(b);
    case '-gt': return num(a) > num(b);
    case '-lt': return num(a) < num(b);
    case '-ge': return num(a) >= num(b);
    case '-le': return num(a) <= num(b);
    // modification times and inodes are not modelled
    default: return false;
  }
}

function evaluate(args: string[], c: CmdEnv): boolean {
  let i = 0;
  const peek = () => args[i];
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek() === '-o') {
      i++;
      v = andExpr() || v;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = notExpr();
    while (peek() === '-a') {
      i++;
      v = notExpr() && v;
    }
    return v;
  };
  const notExpr = (): boolean => {
    if (peek() === '!' && i + 1 < args.length) {
      i++;
      return !notExpr();
    }
    return primary();
  };
  const primary = (): boolean => {
    const t = args[i];
    if (t === undefined) throw new TestError('argument expected');
    if (t === '(' && i + 1 < args.length && !BINARY.has(args[i + 1])) {
      i++;
      const v = orExpr();
      if (args[i] !== ')') throw new TestError(args[i] === undefined ? 'missing )' : `${args[i]}: unknown operand`);
      i++;
      return v;
    }
    if (BINARY.has(args[i + 1] ?? '') && i + 2 < args.length) {
      i += 3;
      return binary(t, args[i - 2], args[i - 1]);
    }
    if (UNARY.has(t) && i + 1 < args.length) {
      i += 2;
      return unary(t, args[i - 1], c);
    }
    i++;
    return t !== '';
  };

  // POSIX: the meaning depends on the number of arguments
  switch (args.length) {
    case 0: return false;
    case 1: return args[0] !== '';
    case 2:
      if (args[0] === '!') return args[1] === '';
      if (UNARY.has(args[0])) return unary(args[0], args[1], c);
      throw new TestError(`${args[0]}: unknown operand`);
    case 3:
      if (BINARY.has(args[1]) || args[1] === '-a' || args[1] === '-o') {
        if (args[1] === '-a') return args[0] !== '' && args[2] !== '';
        if (args[1] === '-o') return args[0] !== '' || args[2] !== '';
        return binary(args[0], args[1], args[2]);
      }
      if (args[0] === '!') return !evaluate(args.slice(1), c);
      if (args[0] === '(' && args[2] === ')') return args[1] !== '';
      break;
    case 4:
      if (args[0] === '!') return !evaluate(args.slice(1), c);
      if (args[0] === '(' && args[3] === ')') return evaluate(args.slice(1, 3), c);
      break;
  }
  const v = orExpr();
  if (i < args.length) throw new TestError(`${args[i]}: unknown operand`);
  return v;
}

export function testCommand(argv: string[], io: CmdIO, c: CmdEnv): number {
  let args = argv.slice(1);
  if (argv[0] === '[') {
    if (args[args.length - 1] !== ']') {
      io.err('sh: missing ]\n');
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return evaluate(args, c) ? 0 : 1;
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    io.err(`sh: ${e.message}\n`);
    return 2;
  }
}
