import { describe, expect, it } from 'vitest';
import { effectiveCommand, expandContainerCommandAndArgs, expandSubPathExpr } from './command.js';

const env = [{ name: 'VAR_TEST', value: 'zoo' }, { name: 'VAR_TEST2', value: 'boo' }, { name: 'EMPTY', value: '' }];

describe('expandContainerCommandAndArgs (pkg/kubelet/container/helpers_test.go TestExpandCommandAndArgs)', () => {
  const e = (pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));
  const cases: [string, any, { name: string; value: string }[], string[], string[]][] = [
    ['none', {}, [], [], []],
    ['command expanded', { command: ['foo', '$(VAR_TEST)', '$(VAR_TEST2)'] }, e([['VAR_TEST', 'zoo'], ['VAR_TEST2', 'boo']]), ['foo', 'zoo', 'boo'], []],
    ['args expanded', { args: ['zap', '$(VAR_TEST)', '$(VAR_TEST2)'] }, e([['VAR_TEST', 'hap'], ['VAR_TEST2', 'trap']]), [], ['zap', 'hap', 'trap']],
    ['both expanded', { command: ['$(VAR_TEST2)--$(VAR_TEST)', 'foo', '$(VAR_TEST3)'], args: ['foo', '$(VAR_TEST)', '$(VAR_TEST2)'] },
      e([['VAR_TEST', 'zoo'], ['VAR_TEST2', 'boo'], ['VAR_TEST3', 'roo']]), ['boo--zoo', 'foo', 'roo'], ['foo', 'zoo', 'boo']],
  ];
  for (const [name, container, envs, command, args] of cases) {
    it(name, () => expect(expandContainerCommandAndArgs(container, envs)).toEqual({ command, args }));
  }
  it('an undefined reference stays literal', () => {
    expect(expandContainerCommandAndArgs({ command: ['echo', '$(NOPE)'] }, env).command).toEqual(['echo', '$(NOPE)']);
  });
});

describe('effectiveCommand (the four command/args cases of the Kubernetes docs)', () => {
  const ep = ['/ep-1'];
  const cmd = ['foo', 'bar'];
  it('no command, no args: image ENTRYPOINT + CMD', () => expect(effectiveCommand(ep, cmd, {}, env)).toEqual(['/ep-1', 'foo', 'bar']));
  it('command only: image CMD ignored', () => expect(effectiveCommand(ep, cmd, { command: ['/ep-2'] }, env)).toEqual(['/ep-2']));
  it('args only: image ENTRYPOINT + args', () => expect(effectiveCommand(ep, cmd, { args: ['zoo', 'boo'] }, env)).toEqual(['/ep-1', 'zoo', 'boo']));
  it('command and args', () => expect(effectiveCommand(ep, cmd, { command: ['/ep-2'], args: ['$(VAR_TEST)', '$$(VAR_TEST)'] }, env)).toEqual(['/ep-2', 'zoo', '$(VAR_TEST)']));
});

describe('expandSubPathExpr (helpers.go ExpandContainerVolumeMounts, current text)', () => {
  it('expands a defined variable', () => expect(expandSubPathExpr('$(VAR_TEST)/x', env)).toEqual({ path: 'zoo/x' }));
  it('an undefined variable is an error', () => expect(expandSubPathExpr('$(NOPE)', env)).toEqual({ error: 'missing value for NOPE' }));
  it('an empty variable is an error too', () => expect(expandSubPathExpr('$(EMPTY)', env)).toEqual({ error: 'missing value for EMPTY' }));
  it('no references', () => expect(expandSubPathExpr('plain', env)).toEqual({ path: 'plain' }));
});
