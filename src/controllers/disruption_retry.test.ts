// disruption.go processNextWorkItem: a sync whose PDB status write fails is requeued rate-limited
// (DefaultControllerRateLimiter: 5 ms doubling per key), and a successful sync forgets the failures.

import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { advance, newCluster } from '../../test/helpers/cluster.js';

describe('disruption controller: a refused status write', () => {
  it('is retried 5 ms doubling, and the status lands once writes are allowed', () => {
    const c = newCluster();
    let refusing = true;
    const writes: number[] = [];
    const api = c.api as any;
    const orig = api.update.bind(api);
    api.update = (o: KubeObject, sub?: 'status') => {
      if (o.kind === 'PodDisruptionBudget' && sub === 'status') {
        writes.push(c.sim.now);
        if (refusing) throw new ApiError('Conflict', 'the object has been modified');
      }
      return orig(o, sub);
    };
    c.api.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } } as KubeObject);
    advance(c, 20_000);
    expect(writes.length).toBeGreaterThan(8);
    expect(writes.length).toBeLessThan(16);
    const gaps = writes.slice(1).map((t, i) => t - writes[i] - 5);
    expect(gaps.slice(0, 4)).toEqual([5, 10, 20, 40]);
    refusing = false;
    advance(c, 30_000);
    expect(c.api.get('PodDisruptionBudget', 'default', 'pdb')!.status).toMatchObject({ disruptionsAllowed: 0, expectedPods: 0 });
  });
});
