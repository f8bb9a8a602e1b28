import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ServiceSelectorIndex, serviceSelectorIndex } from './service_index.js';
import { selectorFromSet } from '../api/labels.js';
import type { KubeObject } from '../api/types.js';
import { newCluster } from '../../test/helpers/cluster.js';

// The index must answer as the scan it replaces, servicesForPod(api.store.iterate('Service', ns),
// ...labels): the same Services in the same (store) order, after any sequence of Service
// creations, selector changes (which move a Service last in the store) and deletions.

const selector = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  fc.dictionary(fc.constantFrom('app', 'tier', 'track'), fc.constantFrom('a', 'b'), { minKeys: 1, maxKeys: 3 }),
);
const labels = fc.oneof(fc.constant(undefined), fc.dictionary(fc.constantFrom('app', 'tier', 'track', 'other'), fc.constantFrom('a', 'b'), { maxKeys: 4 }));
const op = fc.record({
  kind: fc.constantFrom('create', 'update', 'delete', 'query'),
  name: fc.constantFrom('s0', 's1', 's2', 's3', 's4'),
  ns: fc.constantFrom('default', 'other'),
  selector,
  labels,
  old: labels,
});

describe('ServiceSelectorIndex', () => {
  it('finds the Services the namespace scan finds, in store order', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
        const c = newCluster({ nodes: 1 });
        c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
        const index = serviceSelectorIndex(c.api);
        const scan = (ns: string, ...ls: (Record<string, string> | undefined)[]) => servicesForPod(c.api.store.iterate('Service', ns), ...ls).map((s) => s.metadata.name);
        for (const o of ops) {
          const cur = c.api.get('Service', o.ns, o.name);
          const spec = { ...(o.selector ? { selector: o.selector } : {}), ports: [{ port: 80 }] };
          if (o.kind === 'create' && !cur) c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: o.name, namespace: o.ns }, spec });
          if (o.kind === 'update' && cur)
            c.api.mutate('Service', o.ns, o.name, (d) => {
              if (o.selector) d.spec.selector = o.selector;
              else delete d.spec.selector;
            });
          if (o.kind === 'delete' && cur) c.api.delete('Service', o.ns, o.name);
          expect(index.servicesForPod(o.ns, o.labels, o.old).map((s) => s.metadata.name)).toEqual(scan(o.ns, o.labels, o.old));
          expect(index.servicesForPod(o.ns, o.labels).map((s) => s.metadata.name)).toEqual(scan(o.ns, o.labels));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('knows the Services that existed before it was built', () => {
    const c = newCluster({ nodes: 1 });
    for (const name of ['b', 'a']) c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const ix = new ServiceSelectorIndex(c.api);
    expect(ix.servicesForPod('default', { app: 'web' }).map((s) => s.metadata.name)).toEqual(['b', 'a']);
    expect(ix.servicesForPod('default', { app: 'db' })).toEqual([]);
  });
});

// the scan the index replaced, kept as the reference its answers are checked against
/** Services of the pod's namespace that select it (old or new labels). */
function servicesForPod(services: Iterable<KubeObject>, ...labelSets: (Record<string, string> | undefined)[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const svc of services) {
    if (!svc.spec?.selector) continue;
    const s = selectorFromSet(svc.spec.selector);
    if (labelSets.some((l) => l && s.matches(l))) out.push(svc);
  }
  return out;
}
