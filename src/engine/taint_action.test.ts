// `kubectl taint` parsed and executed (staging/src/k8s.io/kubectl/pkg/cmd/taint), and NoExecute
// taints acted on by the taint eviction controller.

import { describe, expect, it } from 'vitest';
import { parseKubectl } from '../kubectl/parse.js';
import { executeAction } from './actions.js';
import { reorganizeTaints } from './taint_action.js';
import { advance, newCluster, pod } from '../../test/helpers/cluster.js';

describe('kubectl taint: parsing (taint_test.go TestTaint, utils_test.go TestParseTaints)', () => {
  it('reads adds and removals after the node names', () => {
    expect(parseKubectl('taint nodes node-1 dedicated=gpu:NoSchedule bar:NoExecute- baz-')).toMatchObject({
      verb: 'taint',
      target: { kind: 'Node', names: ['node-1'] },
      add: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      remove: [{ key: 'bar', effect: 'NoExecute' }, { key: 'baz' }],
      overwrite: false,
    });
    expect(parseKubectl('taint node/node-1 a:PreferNoSchedule --overwrite')).toMatchObject({ target: { names: ['node-1'] }, add: [{ key: 'a', effect: 'PreferNoSchedule' }], overwrite: true });
  });
  it('rejects what kubectl rejects, in its words', () => {
    expect(() => parseKubectl('taint nodes node-1 a=b:NoSchedulex')).toThrow('invalid taint effect: NoSchedulex, unsupported taint effect');
    expect(() => parseKubectl('taint nodes node-1 a=b')).toThrow('invalid taint spec: a=b');
    expect(() => parseKubectl('taint nodes node-1 a=b=c:NoSchedule')).toThrow('invalid taint spec: a=b=c:NoSchedule');
    expect(() => parseKubectl('taint nodes node-1')).toThrow('at least one taint update is required');
    expect(() => parseKubectl('taint nodes node-1 a:NoSchedule node-2')).toThrow('all resources must be specified before taint changes: node-2');
    expect(() => parseKubectl('taint pods p a:NoSchedule')).toThrow(/invalid resource type/);
    expect(() => parseKubectl('taint nodes node-1 a=b:NoSchedule a:NoSchedule-')).toThrow('can not both modify and remove the following taint(s) in the same command: a:NoSchedule');
  });
});

describe('reorganizeTaints (utils_test.go TestReorganizeTaints)', () => {
  const old = [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }];
  it('adds a new taint: tainted', () => {
    expect(reorganizeTaints('n', old, [{ key: 'a', effect: 'NoExecute' }], [], false)).toEqual({ taints: [{ key: 'a', effect: 'NoExecute' }, ...old], operation: 'tainted' });
  });
  it('overwrites a taint with the same key and effect: modified', () => {
    expect(reorganizeTaints('n', old, [{ key: 'foo', value: 'baz', effect: 'NoSchedule' }], [], true)).toEqual({ taints: [{ key: 'foo', value: 'baz', effect: 'NoSchedule' }], operation: 'modified' });
  });
  it('refuses the same key and effect without --overwrite', () => {
    expect(() => reorganizeTaints('node-1', old, [{ key: 'foo', value: 'x', effect: 'NoSchedule' }], [], false)).toThrow('error: node node-1 already has foo taint(s) with same effect(s) and --overwrite is false');
  });
  it('removes by key and effect, or by key alone: untainted', () => {
    expect(reorganizeTaints('n', old, [], [{ key: 'foo', effect: 'NoSchedule' }], false)).toEqual({ taints: [], operation: 'untainted' });
    expect(reorganizeTaints('n', [...old, { key: 'foo', effect: 'NoExecute' }], [], [{ key: 'foo' }], false)).toEqual({ taints: [], operation: 'untainted' });
  });
  it('adding and removing in one command: modified', () => {
    expect(reorganizeTaints('n', old, [{ key: 'a', effect: 'NoSchedule' }], [{ key: 'foo' }], false).operation).toBe('modified');
  });
  it('a removal that finds nothing is an error', () => {
    expect(() => reorganizeTaints('n', old, [], [{ key: 'nope', effect: 'NoSchedule' }], false)).toThrow('error: taint "nope:NoSchedule" not found');
  });
});

describe('kubectl taint: execution', () => {
  it('prints kubectl lines, keeps new pods off a NoSchedule node and evicts intolerant pods on NoExecute', () => {
    const c = newCluster({ nodes: 2 });
    const run = (line: string) => executeAction(c, parseKubectl(line), []).output;
    expect(run('taint nodes node-1 dedicated=gpu:NoSchedule')).toEqual(['node/node-1 tainted']);
    expect(c.api.get('Node', undefined, 'node-1')!.spec.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    for (let i = 0; i < 3; i++) c.api.create(pod(`p${i}`));
    advance(c, 2000);
    expect(c.api.list('Pod', 'default').map((p) => p.spec.nodeName)).toEqual(['node-2', 'node-2', 'node-2']);
    expect(() => run('taint nodes node-1 dedicated=cpu:NoSchedule')).toThrow('error: node node-1 already has dedicated taint(s) with same effect(s) and --overwrite is false');
    expect(run('taint nodes node-1 dedicated:NoSchedule-')).toEqual(['node/node-1 untainted']);
    expect(run('taint nodes node-2 evict=now:NoExecute')).toEqual(['node/node-2 tainted']);
    advance(c, 5000);
    expect(c.api.list('Pod', 'default').filter((p) => p.spec.nodeName === 'node-2' && !p.metadata.deletionTimestamp)).toEqual([]);
  });
});
