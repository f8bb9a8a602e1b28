// Helpers of the pod worker's status generation.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { orderConditions } from './pod_worker.js';

const ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** the text orderConditions replaced: a find per known type, then a filter of the others */
function byScans(list: any[]): any[] {
  const known = ORDER.map((t) => list.find((c) => c.type === t)).filter(Boolean);
  return [...known, ...list.filter((c) => !ORDER.includes(c.type))];
}

describe('orderConditions', () => {
  it('puts the kubelet conditions first in their order (the first of each type), then the others in list order', () => {
    const list = [{ type: 'DisruptionTarget' }, { type: 'Ready', n: 1 }, { type: 'PodScheduled' }, { type: 'Ready', n: 2 }, { type: 'Custom' }, { type: 'Initialized' }];
    expect(orderConditions(list)).toEqual([{ type: 'Initialized' }, { type: 'Ready', n: 1 }, { type: 'PodScheduled' }, { type: 'DisruptionTarget' }, { type: 'Custom' }]);
  });

  it('answers as the scans it replaces, duplicates and unknown types included', () => {
    const type = fc.constantFrom(...ORDER, 'DisruptionTarget', 'Custom', 'ready');
    fc.assert(
      fc.property(fc.array(fc.record({ type, n: fc.nat(3) }), { maxLength: 12 }), (list) => {
        const got = orderConditions(list);
        const want = byScans(list);
        expect(got.length).toBe(want.length);
        // the same objects, not copies
        got.forEach((c, i) => expect(c).toBe(want[i]));
      }),
    );
  });
});
