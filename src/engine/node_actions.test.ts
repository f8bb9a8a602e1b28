// `kubectl cordon|uncordon` parsed and executed (kubectl/pkg/cmd/drain, kubectl/pkg/drain/cordon.go).

import { describe, expect, it } from 'vitest';
import { parseKubectl } from '../kubectl/parse.js';
import { ActionError, executeAction } from './actions.js';
import { advance, newCluster, pod } from '../../test/helpers/cluster.js';

describe('kubectl cordon / uncordon', () => {
  it('parses node names or a selector, not both, and not neither', () => {
    expect(parseKubectl('cordon node-1 node-2')).toMatchObject({ verb: 'cordon', target: { kind: 'Node', names: ['node-1', 'node-2'] } });
    expect(parseKubectl('uncordon -l disk=ssd')).toMatchObject({ verb: 'uncordon', target: { kind: 'Node', names: [], selector: 'disk=ssd' } });
    expect(() => parseKubectl('cordon')).toThrow(/USAGE: cordon NODE \[flags\]/);
    expect(() => parseKubectl('cordon node-1 -l a=b')).toThrow(/cannot specify both a node name and a --selector option/);
  });

  it('sets and clears spec.unschedulable with kubectl output; the scheduler keeps new pods off', () => {
    const c = newCluster({ nodes: 2 });
    const run = (line: string) => executeAction(c, parseKubectl(line), []).output;
    expect(run('cordon node-1')).toEqual(['node/node-1 cordoned']);
    expect(run('cordon node-1')).toEqual(['node/node-1 already cordoned']);
    expect(c.api.get('Node', undefined, 'node-1')!.spec.unschedulable).toBe(true);
    for (let i = 0; i < 4; i++) c.api.create(pod(`p${i}`));
    advance(c, 1000);
    expect(c.api.list('Pod', 'default').map((p) => p.spec.nodeName)).toEqual(['node-2', 'node-2', 'node-2', 'node-2']);
    expect(run('uncordon node-1')).toEqual(['node/node-1 uncordoned']);
    expect(c.api.get('Node', undefined, 'node-1')!.spec.unschedulable).toBeUndefined();
    expect(() => run('cordon nope')).toThrow(ActionError);
    expect(() => run('cordon nope')).toThrow('Error from server (NotFound): nodes "nope" not found');
  });
});
