// The trace summary of a pod write, now one shared string per distinct text: every record reads
// as the summary built afresh for it did.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../engine/sim.js';
import { ApiServer } from './server.js';
import type { KubeObject } from './types.js';

/** the summary as it was built for every record */
function freshSummary(o: KubeObject): string {
  const ready = o.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
  const parts = [o.status?.phase ?? 'Pending'];
  if (o.spec?.nodeName) parts.push(`node=${o.spec.nodeName}`);
  if (ready) parts.push('ready');
  if (o.metadata.deletionTimestamp) parts.push('terminating');
  return parts.join(' ');
}

describe('pod trace summaries', () => {
  it('read as the summary built for each record', () => {
    const write = fc.record({
      pod: fc.nat(2),
      phase: fc.constantFrom(undefined, 'Pending', 'Running', 'Succeeded'),
      ready: fc.constantFrom(undefined, 'True', 'False'),
      bind: fc.constantFrom(undefined, 'n1', 'n2'),
      remove: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(write, { maxLength: 30 }), (ws) => {
      const api = new ApiServer(new Simulation(1), { kubernetesVersion: '1.34' });
      api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
      const expected: string[] = [];
      api.watch((ev) => expected.push(freshSummary(ev.object)), ['Pod']);
      for (const w of ws) {
        const name = `p${w.pod}`;
        let cur = api.get('Pod', 'default', name);
        if (!cur) cur = api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }], terminationGracePeriodSeconds: 30 } });
        if (w.bind && !cur.spec.nodeName) cur = api.mutate('Pod', 'default', name, (d) => void (d.spec.nodeName = w.bind));
        cur = api.mutate('Pod', 'default', name, (d) => {
          if (w.phase) d.status.phase = w.phase;
          else delete d.status.phase;
          d.status.conditions = w.ready ? [{ type: 'Ready', status: w.ready }] : undefined;
        }, 'status');
        if (w.remove) api.delete('Pod', 'default', name);
      }
      const got = api.sim.trace.records.filter((r) => r.type === 'object' && r.kind === 'Pod').map((r) => (r as { summary?: string }).summary);
      expect(got).toEqual(expected);
      if (ws.length) expect(got.length).toBeGreaterThan(0);
    }), { numRuns: 200 });
  });
});
