import { describe, expect, it } from 'vitest';
import { LOOP_BUDGET, runToCompletion, SharedVolume, startProcess, VirtualFileSystem } from './index.js';
import type { ExecContext, ExecStep, NetworkCommands } from './types.js';

const ctxFor = (fs = new VirtualFileSystem(), extra: Partial<ExecContext> = {}): ExecContext => ({
  fs,
  env: { HOSTNAME: 'kubia-0' },
  startedAt: 0,
  ...extra,
});

describe('exec probes (argv without a shell)', () => {
  it('S14: `ls /var/ready_now` fails until `touch /var/ready_now`, then passes', () => {
    const ctx = ctxFor();
    const probe = () => runToCompletion(['ls', '/var/ready_now'], ctx);
    expect(probe()).toMatchObject({ exitCode: 1, stderr: 'ls: /var/ready_now: No such file or directory\n' });
    expect(runToCompletion(['touch', '/var/ready_now'], ctx).exitCode).toBe(0);
    expect(probe()).toMatchObject({ exitCode: 0, stdout: '/var/ready_now\n' });
  });

  it('argv is not interpreted by a shell', () => {
    expect(runToCompletion(['echo', '$HOSTNAME', 'a;b', '>', '/tmp/x'], ctxFor()).stdout).toBe('$HOSTNAME a;b > /tmp/x\n');
  });

  it('a program that does not exist fails to start, as the container runtime reports it', () => {
    const r = runToCompletion(['/app/healthcheck'], ctxFor());
    expect(r.exitCode).toBe(126);
    expect(r.stderr).toContain('exec: "/app/healthcheck": stat /app/healthcheck: no such file or directory');
    expect(runToCompletion(['cd', '/tmp'], ctxFor()).stderr).toContain('exec: "cd": executable file not found in $PATH');
    expect(runToCompletion([], ctxFor()).exitCode).toBe(126);
  });

  it('cat of a health file as exec probe', () => {
    const fs = new VirtualFileSystem();
    expect(runToCompletion(['cat', '/tmp/healthy'], ctxFor(fs)).exitCode).toBe(1);
    fs.write('/tmp/healthy', 'ok');
    expect(runToCompletion(['cat', '/tmp/healthy'], ctxFor(fs))).toMatchObject({ exitCode: 0, stdout: 'ok' });
  });
});

describe('sleep and resumable processes', () => {
  it('yields each sleep; decimals and suffixes are allowed', () => {
    const p = startProcess(['sh', '-c', 'echo a; sleep 1.5; echo b; sleep 2m; sleep 0; exit 4'], ctxFor());
    expect(p.next()).toEqual({ kind: 'sleep', ms: 1500 });
    expect(p.output?.()).toEqual({ stdout: 'a\n', stderr: '' });
    expect(p.next()).toEqual({ kind: 'sleep', ms: 120_000 });
    const end = p.next();
    expect(end).toEqual({ kind: 'exit', exitCode: 4, stdout: 'a\nb\n', stderr: '' });
    expect(p.next()).toBe(end);
    expect(runToCompletion(['sleep', 'x'], ctxFor())).toMatchObject({ exitCode: 1, stderr: "sleep: invalid number 'x'\n" });
    expect(startProcess(['sleep', 'infinity'], ctxFor()).next()).toEqual({ kind: 'sleep', ms: Infinity });
  });

  it('an until loop ends after another container creates the file in a shared emptyDir', () => {
    const vol = new SharedVolume();
    const waiter = new VirtualFileSystem();
    const writer = new VirtualFileSystem();
    waiter.mount('/shared', vol);
    writer.mount('/data', vol);
    const p = startProcess(['sh', '-c', 'until test -f /shared/ready; do echo waiting; sleep 1; done; cat /shared/ready'], ctxFor(waiter));
    expect(p.next()).toEqual({ kind: 'sleep', ms: 1000 });
    expect(p.next()).toEqual({ kind: 'sleep', ms: 1000 });
    // between two steps, virtual time passes and the other container writes the file
    expect(runToCompletion(['sh', '-c', 'echo go > /data/ready'], ctxFor(writer)).exitCode).toBe(0);
    expect(p.next()).toEqual({ kind: 'exit', exitCode: 0, stdout: 'waiting\nwaiting\ngo\n', stderr: '' });
  });

  it('output written to a file before a sleep is visible during the sleep', () => {
    const fs = new VirtualFileSystem();
    const p = startProcess(['sh', '-c', '{ echo first; sleep 5; echo second; } > /tmp/log'], ctxFor(fs));
    expect(p.next()).toEqual({ kind: 'sleep', ms: 5000 });
    expect(fs.read('/tmp/log')).toBe('first\n');
    expect(p.next().kind).toBe('exit');
    expect(fs.read('/tmp/log')).toBe('first\nsecond\n');
  });

  it('runToCompletion sums sleeps and abandons a process past maxSleepMs', () => {
    expect(runToCompletion(['sh', '-c', 'sleep 1; sleep 2; echo done'], ctxFor())).toMatchObject({ exitCode: 0, elapsedMs: 3000, stdout: 'done\n' });
    expect(runToCompletion(['sh', '-c', 'echo started; sleep 60'], ctxFor(), 10_000)).toEqual({
      exitCode: 137,
      stdout: 'started\n',
      stderr: '',
      elapsedMs: 10_000,
      timedOut: true,
    });
  });
});

describe('loop budget', () => {
  it('a loop without sleep ends with exit 2 and a clear message', () => {
    const r = runToCompletion(['sh', '-c', 'while true; do :; done'], ctxFor());
    expect(r).toMatchObject({ exitCode: 2, stderr: `kuberehearse: loop ran ${LOOP_BUDGET} iterations without sleeping\n` });
    expect(LOOP_BUDGET).toBe(100_000);
  });

  it('a sleeping loop is not limited; a long finite loop within the budget runs', () => {
    const p = startProcess(['sh', '-c', 'while true; do sleep 1; done'], ctxFor());
    let sleeps = 0;
    for (let i = 0; i < LOOP_BUDGET + 5; i++) if (p.next().kind === 'sleep') sleeps++;
    expect(sleeps).toBe(LOOP_BUDGET + 5);
    expect(runToCompletion(['sh', '-c', 'i=0; while [ $i -lt 1000 ]; do i=$((i+1)); done; echo $i'], ctxFor()).stdout).toBe('1000\n');
  });

  it('the budget holds inside nested shells and subshells too', () => {
    expect(runToCompletion(['sh', '-c', '(sh -c "until false; do true; done"); echo unreachable'], ctxFor())).toMatchObject({ exitCode: 2, stdout: '' });
  });
});

describe('network commands', () => {
  it('without a network model, they say so and exit 1', () => {
    for (const cmd of ['wget', 'curl', 'nslookup', 'dig', 'nc']) {
      expect(runToCompletion(['sh', '-c', `${cmd} web`], ctxFor())).toMatchObject({
        exitCode: 1,
        stderr: `${cmd}: network commands need the services model (not modelled yet)\n`,
      });
    }
  });

  it('delegate to ctx.network.run; a wait step is answered by the caller', () => {
    const calls: string[][] = [];
    const network: NetworkCommands = {
      run(argv) {
        calls.push(argv);
        if (argv[0] === 'wget') return { kind: 'wait', on: { url: argv[argv.length - 1] } };
        if (argv[0] === 'nslookup') return { kind: 'exit', exitCode: 0, stdout: 'Name: web\n', stderr: '' };
        return undefined;
      },
    };
    const p = startProcess(['sh', '-c', 'nslookup web && wget -q -O- http://web/ && echo fetched'], ctxFor(undefined, { network }));
    expect(p.next()).toEqual({ kind: 'wait', on: { url: 'http://web/' } });
    const answer: ExecStep = { kind: 'exit', exitCode: 0, stdout: 'hello\n', stderr: '' };
    expect(p.next(answer)).toEqual({ kind: 'exit', exitCode: 0, stdout: 'Name: web\nhello\nfetched\n', stderr: '' });
    expect(calls).toEqual([['nslookup', 'web'], ['wget', '-q', '-O-', 'http://web/']]);
  });

  it('ctx.network.start runs a command as its own process', () => {
    const network: NetworkCommands = {
      run: () => undefined,
      start(argv) {
        if (argv[0] !== 'curl') return undefined;
        let n = 0;
        return { next: () => (n++ === 0 ? { kind: 'sleep', ms: 30 } : { kind: 'exit', exitCode: 7, stdout: '', stderr: 'curl: (7) refused\n' }) };
      },
    };
    expect(runToCompletion(['sh', '-c', 'curl http://x || echo failed $?'], ctxFor(undefined, { network }))).toEqual({
      exitCode: 0,
      stdout: 'failed 7\n',
      stderr: 'curl: (7) refused\n',
      elapsedMs: 30,
    });
    // a command the network model does not know stays "not found"
    expect(runToCompletion(['sh', '-c', 'redis-cli ping'], ctxFor(undefined, { network })).exitCode).toBe(127);
  });
});
