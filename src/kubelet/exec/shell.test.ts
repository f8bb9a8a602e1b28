import { describe, expect, it } from 'vitest';
import { runToCompletion, VirtualFileSystem } from './index.js';
import type { ExecContext } from './types.js';

const ctxWith = (env: Record<string, string> = {}): ExecContext => ({
  fs: new VirtualFileSystem(),
  env: { HOSTNAME: 'web-0', ...env },
  startedAt: 0,
});
const sh = (script: string, ctx = ctxWith()) => runToCompletion(['sh', '-c', script], ctx);
const out = (script: string, ctx = ctxWith()) => sh(script, ctx).stdout;

describe('words and quoting', () => {
  it('splits on blanks, keeps quoted blanks, joins adjacent parts', () => {
    expect(out(`echo  a   b`)).toBe('a b\n');
    expect(out(`echo "a   b" 'c  d'`)).toBe('a   b c  d\n');
    expect(out(`echo x"y"'z'`)).toBe('xyz\n');
    expect(out(`echo a\\ b \\$HOME`)).toBe('a b $HOME\n');
  });

  it('expands $VAR and ${VAR} in double quotes, not in single quotes', () => {
    expect(out(`echo $HOSTNAME "\${HOSTNAME}x" '$HOSTNAME'`)).toBe('web-0 web-0x $HOSTNAME\n');
    expect(out(`echo "[$NOPE]"`)).toBe('[]\n');
    expect(out(`echo "a\\"b\\\\c"`)).toBe('a"b\\c\n');
  });

  it('field-splits unquoted expansions only', () => {
    const ctx = ctxWith({ WORDS: 'one  two' });
    expect(out(`for w in $WORDS; do echo "<$w>"; done`, ctx)).toBe('<one>\n<two>\n');
    expect(out(`for w in "$WORDS"; do echo "<$w>"; done`, ctx)).toBe('<one  two>\n');
    expect(out(`set -- "" b; echo $#`)).toBe('2\n');
  });

  it('supports ${VAR:-x}, ${VAR-x}, ${VAR:=x}, ${VAR:+x}, ${#VAR} and pattern removal', () => {
    const ctx = ctxWith({ EMPTY: '' });
    expect(out(`echo \${NOPE:-d1} \${EMPTY:-d2} [\${EMPTY-d3}] \${HOSTNAME:+set}`, ctx)).toBe('d1 d2 [] set\n');
    expect(out(`echo \${X:=assigned}; echo $X`)).toBe('assigned\nassigned\n');
    expect(out(`echo \${#HOSTNAME} \${HOSTNAME##*-} \${HOSTNAME%-*}`)).toBe('5 0 web\n');
    expect(out(`F=a.tar.gz; echo \${F%.*} \${F%%.*} \${F#*.} \${F##*.}`)).toBe('a.tar a tar.gz gz\n');
  });

  it('${VAR:?msg} ends the shell with status 2', () => {
    const r = sh(`echo \${NOPE:?is required}; echo after`);
    expect(r).toMatchObject({ exitCode: 2, stdout: '', stderr: 'sh: NOPE: is required\n' });
  });

  it('command substitution and arithmetic', () => {
    const ctx = ctxWith();
    ctx.fs.write('/tmp/v', 'ready\n');
    expect(out(`test "$(cat /tmp/v)" = ready && echo ok`, ctx)).toBe('ok\n');
    expect(out('echo `echo back`')).toBe('back\n');
    expect(out(`i=4; echo $((i * 2 + 1)) $(( (i - 1) % 2 )) $((i > 3 && 1))`)).toBe('9 1 1\n');
    expect(sh(`echo $((1 / 0))`)).toMatchObject({ exitCode: 2, stderr: 'sh: divide by zero\n' });
  });

  it('assignments: shell variables are not exported unless asked', () => {
    expect(out(`A=1; printenv A; echo "A=$A"`)).toBe('A=1\n');
    expect(out(`export A=1; printenv A`)).toBe('1\n');
    expect(out(`A=2 printenv A; echo "[$A]"`)).toBe('2\n[]\n');
  });

  it('globs unquoted patterns against the file system, sorted', () => {
    const ctx = ctxWith();
    ctx.fs.write('/tmp/b.txt', '');
    ctx.fs.write('/tmp/a.txt', '');
    ctx.fs.write('/tmp/.hidden.txt', '');
    expect(out(`echo /tmp/*.txt`, ctx)).toBe('/tmp/a.txt /tmp/b.txt\n');
    expect(out(`echo "/tmp/*.txt" /none/*`, ctx)).toBe('/tmp/*.txt /none/*\n');
  });
});

describe('operators', () => {
  it('; && || and !', () => {
    expect(out(`true && echo a; false && echo b; false || echo c; true || echo d`)).toBe('a\nc\n');
    expect(sh(`! true`).exitCode).toBe(1);
    expect(sh(`! false`).exitCode).toBe(0);
    expect(out(`false; echo $?; true; echo $?`)).toBe('1\n0\n');
    expect(sh(`false && true`).exitCode).toBe(1);
  });

  it('pipelines pass stdout on; the status is the last stage', () => {
    expect(out(`echo hello | cat`)).toBe('hello\n');
    expect(out(`printf 'a\\nb\\nc\\n' | grep -v b | wc -l`)).toBe('2\n');
    expect(sh(`echo x | false`).exitCode).toBe(1);
  });

  it('if / elif / else', () => {
    const script = (v: string) => `if [ ${v} = a ]; then echo A; elif [ ${v} = b ]; then echo B; else echo other; fi`;
    expect(out(script('a'))).toBe('A\n');
    expect(out(script('b'))).toBe('B\n');
    expect(out(script('c'))).toBe('other\n');
    expect(sh(`if false; then true; fi`).exitCode).toBe(0);
  });

  it('while, until, for, break and continue', () => {
    expect(out(`i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done`)).toBe('0\n1\n2\n');
    expect(out(`i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i`)).toBe('2\n');
    expect(out(`for x in a b c; do [ $x = b ] && continue; echo $x; done`)).toBe('a\nc\n');
    expect(out(`for x in 1 2; do for y in a b; do [ $y = b ] && break 2; echo $x$y; done; done`)).toBe('1a\n');
    expect(out(`while true; do echo once; break; done`)).toBe('once\n');
  });

  it('case, groups and subshells', () => {
    expect(out(`case $HOSTNAME in db-*) echo db;; web-*|api-*) echo web;; *) echo other;; esac`)).toBe('web\n');
    expect(out(`{ echo a; echo b; } > /tmp/f; cat /tmp/f`)).toBe('a\nb\n');
    expect(out(`X=1; (X=2; exit 3); echo $? $X`)).toBe('3 1\n');
  });

  it('exit ends the script with its code; $? of the last command otherwise', () => {
    expect(sh(`exit 3; echo no`)).toMatchObject({ exitCode: 3, stdout: '' });
    expect(sh(`false`).exitCode).toBe(1);
    expect(sh(`false; exit`).exitCode).toBe(1);
    expect(sh(`exit 256`).exitCode).toBe(0);
  });

  it('set -e ends at the first failing command outside conditions', () => {
    expect(sh(`set -e; false || true; if false; then :; fi; echo kept; false; echo no`)).toMatchObject({ exitCode: 1, stdout: 'kept\n' });
    expect(sh(`set -e; false && true; echo kept`).stdout).toBe('kept\n');
    expect(runToCompletion(['sh', '-ec', 'false; echo no'], ctxWith())).toMatchObject({ exitCode: 1, stdout: '' });
  });

  it('comments and newlines', () => {
    expect(out(`# a comment\necho a # trailing\n\necho b`)).toBe('a\nb\n');
    expect(out(`if true\nthen\n  echo yes\nfi`)).toBe('yes\n');
  });
});

describe('redirections', () => {
  it('> truncates, >> appends', () => {
    const ctx = ctxWith();
    expect(sh(`echo one > /tmp/f; echo two >> /tmp/f; echo three >>/tmp/f`, ctx).exitCode).toBe(0);
    expect(ctx.fs.read('/tmp/f')).toBe('one\ntwo\nthree\n');
    sh(`echo new > /tmp/f`, ctx);
    expect(ctx.fs.read('/tmp/f')).toBe('new\n');
  });

  it('2>/dev/null, > /dev/null, 2>&1 and >&2', () => {
    expect(sh(`ls /nope 2>/dev/null`)).toMatchObject({ exitCode: 1, stderr: '' });
    expect(sh(`echo hi > /dev/null`)).toMatchObject({ exitCode: 0, stdout: '' });
    expect(sh(`ls /nope 2>&1`)).toMatchObject({ stdout: 'ls: /nope: No such file or directory\n', stderr: '' });
    expect(sh(`echo oops >&2`)).toMatchObject({ stdout: '', stderr: 'oops\n' });
    const ctx = ctxWith();
    sh(`ls /nope > /tmp/log 2>&1`, ctx);
    expect(ctx.fs.read('/tmp/log')).toBe('ls: /nope: No such file or directory\n');
  });

  it('< reads stdin from a file', () => {
    const ctx = ctxWith();
    ctx.fs.write('/tmp/in', 'x\ny\n');
    expect(out(`wc -l < /tmp/in`, ctx)).toBe('2\n');
    expect(sh(`cat < /nope`)).toMatchObject({ exitCode: 2, stderr: "sh: can't open /nope: no such file\n" });
  });

  it('a redirection into a missing directory fails like busybox sh, and the shell goes on', () => {
    const r = sh(`echo x > /a/b; echo status $?`);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'status 2\n', stderr: "sh: can't create /a/b: nonexistent directory\n" });
    expect(sh(`echo x > /tmp`).stderr).toBe("sh: can't create /tmp: Is a directory\n");
  });
});

describe('syntax errors', () => {
  it('uses busybox wording and exits 2', () => {
    expect(sh(`if true; then echo x`)).toMatchObject({ exitCode: 2, stderr: 'sh: syntax error: unexpected end of file (expecting "fi")\n' });
    expect(sh(`if then fi`)).toMatchObject({ exitCode: 2, stderr: 'sh: syntax error: unexpected "then"\n' });
    expect(sh(`echo 'open`)).toMatchObject({ exitCode: 2, stderr: 'sh: syntax error: unterminated quoted string\n' });
    expect(sh(`done`).stderr).toBe('sh: syntax error: unexpected "done"\n');
  });

  it('names what is not modelled', () => {
    expect(sh(`sleep 10 &`).stderr).toContain('background jobs ("&") are not modelled');
    expect(sh(`cat <<EOF\nx\nEOF`).stderr).toContain('here-documents');
  });
});

describe('shells and scripts', () => {
  it('$0 and positional parameters of sh -c', () => {
    expect(runToCompletion(['sh', '-c', 'echo $0 $1 $# "$@"', 'name', 'a', 'b c'], ctxWith()).stdout).toBe('name a 2 a b c\n');
  });

  it('runs a script file from the container, and nested sh -c', () => {
    const ctx = ctxWith();
    ctx.fs.write('/tmp/run.sh', '#!/bin/sh\necho "script $1"\nexit 4\n');
    expect(runToCompletion(['sh', '/tmp/run.sh', 'arg'], ctx)).toMatchObject({ exitCode: 4, stdout: 'script arg\n' });
    expect(sh(`/tmp/run.sh x; echo $?`, ctx).stdout).toBe('script x\n4\n');
    expect(sh(`sh -c 'exit 5'; echo $?`).stdout).toBe('5\n');
    expect(runToCompletion(['sh', '/nope.sh'], ctx)).toMatchObject({ exitCode: 2, stderr: "sh: can't open '/nope.sh': No such file or directory\n" });
  });

  it('/bin/sh and bash are shells too', () => {
    expect(runToCompletion(['/bin/sh', '-c', 'echo a'], ctxWith()).stdout).toBe('a\n');
    expect(runToCompletion(['bash', '-c', 'echo b'], ctxWith()).stdout).toBe('b\n');
  });

  it('cd changes the directory for relative paths; workingDir is the start', () => {
    const ctx = ctxWith();
    expect(out(`cd /tmp && touch rel && ls /tmp; pwd`, ctx)).toBe('rel\n/tmp\n');
    expect(runToCompletion(['sh', '-c', 'pwd; ls rel'], { ...ctx, workingDir: '/tmp' })).toMatchObject({ stdout: '/tmp\nrel\n', exitCode: 0 });
    expect(sh(`cd /nope`)).toMatchObject({ exitCode: 2, stderr: "sh: cd: can't cd to /nope: No such file or directory\n" });
  });
});
