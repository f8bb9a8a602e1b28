import { describe, expect, it } from 'vitest';
import { breToJs } from './commands.js';
import { runToCompletion, SharedVolume, VirtualFileSystem } from './index.js';
import type { ExecContext } from './types.js';

const ctxWith = (env: Record<string, string> = {}): ExecContext => ({
  fs: new VirtualFileSystem(),
  env: { HOSTNAME: 'web-0', ...env },
  startedAt: 0,
});
const sh = (script: string, ctx = ctxWith()) => runToCompletion(['sh', '-c', script], ctx);

describe('true, false, :, exit codes', () => {
  it('returns their status', () => {
    expect(sh('true').exitCode).toBe(0);
    expect(sh('false').exitCode).toBe(1);
    expect(sh(':').exitCode).toBe(0);
  });
});

describe('echo and printf', () => {
  it('echo joins with spaces; -n drops the newline; -e interprets escapes', () => {
    expect(sh('echo a b').stdout).toBe('a b\n');
    expect(sh('echo -n a').stdout).toBe('a');
    expect(sh(`echo 'a\\nb'`).stdout).toBe('a\\nb\n');
    expect(sh(`echo -e 'a\\tb'`).stdout).toBe('a\tb\n');
    expect(sh('echo').stdout).toBe('\n');
  });

  it('printf formats %s %d and reuses the format', () => {
    expect(sh(`printf '%s=%d\\n' a 1 b 2`).stdout).toBe('a=1\nb=2\n');
    expect(sh(`printf '%5s|%-3s|%03d\\n' x y 7`).stdout).toBe('    x|y  |007\n');
  });
});

describe('files', () => {
  it('cat prints files and reports a missing one like busybox', () => {
    const ctx = ctxWith();
    ctx.fs.write('/tmp/a', 'A');
    expect(sh('cat /tmp/a /tmp/a', ctx).stdout).toBe('AA');
    expect(sh('cat /nope', ctx)).toMatchObject({ exitCode: 1, stderr: "cat: can't open '/nope': No such file or directory\n" });
    expect(sh('cat /tmp', ctx)).toMatchObject({ exitCode: 1, stderr: 'cat: read error: Is a directory\n' });
  });

  it('touch creates empty files and fails on a missing directory', () => {
    const ctx = ctxWith();
    expect(sh('touch /tmp/x /tmp/y', ctx).exitCode).toBe(0);
    expect(ctx.fs.read('/tmp/x')).toBe('');
    ctx.fs.write('/tmp/x', 'keep');
    sh('touch /tmp/x', ctx);
    expect(ctx.fs.read('/tmp/x')).toBe('keep');
    expect(sh('touch /a/b', ctx)).toMatchObject({ exitCode: 1, stderr: 'touch: /a/b: No such file or directory\n' });
    expect(sh('touch -c /tmp/z', ctx).exitCode).toBe(0);
    expect(ctx.fs.exists('/tmp/z')).toBe(false);
  });

  it('rm, rm -f, rm -r', () => {
    const ctx = ctxWith();
    ctx.fs.mkdir('/tmp/d');
    ctx.fs.write('/tmp/d/f', '');
    ctx.fs.write('/tmp/g', '');
    expect(sh('rm /nope', ctx)).toMatchObject({ exitCode: 1, stderr: "rm: can't remove '/nope': No such file or directory\n" });
    expect(sh('rm -f /nope', ctx)).toMatchObject({ exitCode: 0, stderr: '' });
    expect(sh('rm /tmp/d', ctx)).toMatchObject({ exitCode: 1, stderr: "rm: can't remove '/tmp/d': Is a directory\n" });
    expect(sh('rm /tmp/g && rm -rf /tmp/d', ctx).exitCode).toBe(0);
    expect(ctx.fs.list('/tmp')).toEqual([]);
  });

  it('mkdir and mkdir -p', () => {
    const ctx = ctxWith();
    expect(sh('mkdir /a/b', ctx)).toMatchObject({ exitCode: 1, stderr: "mkdir: can't create directory '/a/b': No such file or directory\n" });
    expect(sh('mkdir -p /a/b/c && mkdir -p /a/b', ctx).exitCode).toBe(0);
    expect(ctx.fs.isDirectory('/a/b/c')).toBe(true);
    expect(sh('mkdir /a', ctx)).toMatchObject({ exitCode: 1, stderr: "mkdir: can't create directory '/a': File exists\n" });
    sh('mkdir -m 700 /a/p', ctx);
    expect(ctx.fs.stat?.('/a/p')?.mode).toBe(0o700);
  });

  it('ls lists a directory one name a line, a file by its name, and fails for a missing path', () => {
    const ctx = ctxWith();
    ctx.fs.write('/tmp/b', '12345');
    ctx.fs.write('/tmp/a', '');
    ctx.fs.write('/tmp/.h', '');
    expect(sh('ls /tmp', ctx).stdout).toBe('a\nb\n');
    expect(sh('ls -a /tmp', ctx).stdout).toBe('.\n..\n.h\na\nb\n');
    expect(sh('ls /tmp/a', ctx).stdout).toBe('/tmp/a\n');
    expect(sh('ls /x', ctx)).toMatchObject({ exitCode: 1, stdout: '', stderr: 'ls: /x: No such file or directory\n' });
    expect(sh('ls -l /tmp/b', ctx).stdout).toBe('-rw-r--r--    1 root     root             5 Jan  1 00:00 /tmp/b\n');
    expect(sh('ls /tmp/a /x', ctx)).toMatchObject({ exitCode: 1, stdout: '/tmp/a\n' });
  });

  it('cp, mv, chmod, tee', () => {
    const ctx = ctxWith();
    ctx.fs.write('/tmp/a', 'A');
    expect(sh('cp /tmp/a /tmp/b && mv /tmp/b /var/ && chmod 755 /var/b && echo T | tee /tmp/t', ctx)).toMatchObject({ exitCode: 0, stdout: 'T\n' });
    expect(ctx.fs.read('/var/b')).toBe('A');
    expect(ctx.fs.exists('/tmp/b')).toBe(false);
    expect(ctx.fs.stat?.('/var/b')?.mode).toBe(0o755);
    expect(ctx.fs.read('/tmp/t')).toBe('T\n');
    sh('chmod u-w,go-r /var/b', ctx);
    expect(ctx.fs.stat?.('/var/b')?.mode).toBe(0o511);
    expect(sh('cp /nope /tmp', ctx)).toMatchObject({ exitCode: 1, stderr: "cp: can't stat '/nope': No such file or directory\n" });
  });

  it('head, tail, wc', () => {
    const ctx = ctxWith();
    ctx.fs.write('/tmp/n', '1\n2\n3\n4\n');
    expect(sh('head -n 2 /tmp/n', ctx).stdout).toBe('1\n2\n');
    expect(sh('head -1 /tmp/n', ctx).stdout).toBe('1\n');
    expect(sh('tail -n 1 /tmp/n', ctx).stdout).toBe('4\n');
    expect(sh('tail -n +3 /tmp/n', ctx).stdout).toBe('3\n4\n');
    expect(sh('wc -l /tmp/n', ctx).stdout).toBe('      4 /tmp/n\n');
    expect(sh('cat /tmp/n | wc -l', ctx).stdout).toBe('4\n');
  });

  it('grep -q for probes, with basic regular expressions', () => {
    const ctx = ctxWith();
    ctx.fs.write('/tmp/status', 'state: ready\ncount: 3\n');
    expect(sh('grep -q ready /tmp/status', ctx).exitCode).toBe(0);
    expect(sh('grep -q failed /tmp/status', ctx).exitCode).toBe(1);
    expect(sh('grep count /tmp/status', ctx).stdout).toBe('count: 3\n');
    expect(sh("grep -c '^[a-z]*:' /tmp/status", ctx).stdout).toBe('2\n');
    expect(sh("grep -E 'ready|fail' /tmp/status", ctx).stdout).toBe('state: ready\n');
    expect(sh('grep -q x /nope', ctx)).toMatchObject({ exitCode: 2, stderr: 'grep: /nope: No such file or directory\n' });
    expect(breToJs('a\\(b\\)*c+', false)).toBe('a(b)*c\\+');
    expect(breToJs('[[:digit:]]+', true)).toBe('[0-9]+');
  });
});

describe('test and [', () => {
  const ctx = ctxWith({ EMPTY: '' });
  ctx.fs.write('/tmp/empty', '');
  ctx.fs.write('/tmp/full', 'x');
  const status = (expr: string) => sh(expr, ctx).exitCode;

  it('file tests -f -e -d -s', () => {
    expect(status('test -f /tmp/full')).toBe(0);
    expect(status('test -f /tmp')).toBe(1);
    expect(status('test -e /tmp')).toBe(0);
    expect(status('[ -e /nope ]')).toBe(1);
    expect(status('[ -d /tmp ]')).toBe(0);
    expect(status('[ -d /tmp/full ]')).toBe(1);
    expect(status('[ -s /tmp/full ]')).toBe(0);
    expect(status('[ -s /tmp/empty ]')).toBe(1);
  });

  it('strings -z -n = != and integers -eq -ne -gt -lt -ge -le', () => {
    expect(status('[ -z "$EMPTY" ]')).toBe(0);
    expect(status('[ -n "$EMPTY" ]')).toBe(1);
    expect(status('[ a = a ]')).toBe(0);
    expect(status('[ a != a ]')).toBe(1);
    for (const [e, s] of [['1 -eq 1', 0], ['1 -ne 1', 1], ['2 -gt 1', 0], ['2 -lt 1', 1], ['2 -ge 2', 0], ['3 -le 2', 1]] as const) {
      expect(status(`[ ${e} ]`)).toBe(s);
    }
  });

  it('! negation, -a, -o, parentheses and POSIX argument-count rules', () => {
    expect(status('[ ! -f /nope ]')).toBe(0);
    expect(status('[ -f /tmp/full -a -d /tmp ]')).toBe(0);
    expect(status('[ -f /nope -o -d /tmp ]')).toBe(0);
    expect(status('[ \\( -f /nope \\) -o ! -d /nope ]')).toBe(0);
    expect(status('[ ]')).toBe(1);
    expect(status('[ -n ]')).toBe(0); // one argument: a non-empty string
    expect(status('[ "" ]')).toBe(1);
  });

  it('errors exit 2 with busybox messages', () => {
    expect(sh('[ 1 = 1', ctx)).toMatchObject({ exitCode: 2, stderr: 'sh: missing ]\n' });
    expect(sh('[ x -eq 1 ]', ctx)).toMatchObject({ exitCode: 2, stderr: 'sh: x: bad number\n' });
    expect(sh('[ a b ]', ctx)).toMatchObject({ exitCode: 2, stderr: 'sh: a: unknown operand\n' });
  });

  it('-w is false under a read-only mount', () => {
    const c = ctxWith();
    const vol = new SharedVolume();
    (c.fs as VirtualFileSystem).mount('/cfg', vol, { readOnly: true });
    expect(sh('[ -w /cfg ]', c).exitCode).toBe(1);
    expect(sh('[ -w /tmp ]', c).exitCode).toBe(0);
  });
});

describe('environment', () => {
  it('env and printenv print the exported environment in order', () => {
    const ctx = ctxWith({ B: '2', A: '1' });
    expect(sh('env', ctx).stdout).toBe('HOSTNAME=web-0\nB=2\nA=1\n');
    expect(sh('printenv A', ctx).stdout).toBe('1\n');
    expect(sh('printenv NOPE', ctx).exitCode).toBe(1);
    expect(sh('env C=3 printenv C', ctx).stdout).toBe('3\n');
    expect(sh('env -i X=1 env', ctx).stdout).toBe('X=1\n');
  });

  it('hostname comes from HOSTNAME', () => {
    expect(sh('hostname').stdout).toBe('web-0\n');
  });
});

describe('missing commands', () => {
  it('unknown: busybox "not found", 127', () => {
    expect(sh('frobnicate x')).toMatchObject({ exitCode: 127, stderr: 'sh: frobnicate: not found\n' });
    expect(sh('/opt/app/run')).toMatchObject({ exitCode: 127, stderr: 'sh: /opt/app/run: not found\n' });
  });

  it('busybox applets that are not modelled are named as such', () => {
    const r = sh('sed -e s/a/b/ /tmp/x');
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toMatch(/^sh: sed: not modelled by kuberehearse; modelled commands: true, false, echo/);
  });

  it('/bin/ls runs the ls applet', () => {
    expect(sh('/bin/ls /nope').stderr).toBe('ls: /nope: No such file or directory\n');
  });
});
