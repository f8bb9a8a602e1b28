import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { newCluster } from '../../test/helpers/cluster.js';
import { ApiError } from '../api/errors.js';

const pod = (name: string, spec: any = {}, ns = 'default'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'app', image: 'x' }], ...spec } });
const pc = (name: string, value: number, extra: any = {}): KubeObject => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });

function attempt(fn: () => KubeObject): string | KubeObject {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ApiError) return `${e.reason}: ${e.message}`;
    throw e;
  }
}

// plugin/pkg/admission/priority/admission_test.go
describe('Priority admission', () => {
  it('creates the built-in classes at start (AddSystemPriorityClasses)', () => {
    const c = newCluster();
    expect(c.api.get('PriorityClass', undefined, 'system-node-critical')).toMatchObject({ value: 2000001000, preemptionPolicy: 'PreemptLowerPriority', globalDefault: false });
    expect(c.api.get('PriorityClass', undefined, 'system-cluster-critical')).toMatchObject({ value: 2000000000 });
  });

  // TestPodAdmission
  it('resolves priorityClassName to spec.priority and spec.preemptionPolicy', () => {
    const c = newCluster();
    c.api.create(pc('high', 1000));
    c.api.create(pc('never', 500, { preemptionPolicy: 'Never' }));
    expect(c.api.create(pod('a', { priorityClassName: 'high' })).spec).toMatchObject({ priority: 1000, preemptionPolicy: 'PreemptLowerPriority' });
    expect(c.api.create(pod('b', { priorityClassName: 'never' })).spec).toMatchObject({ priority: 500, preemptionPolicy: 'Never' });
    expect(c.api.create(pod('c', { priorityClassName: 'system-node-critical' }, 'kube-system')).spec.priority).toBe(2000001000);
    // "pod without priority class and no existing default class"
    const plain = c.api.create(pod('d'));
    expect(plain.spec.priority).toBe(0);
    expect(plain.spec.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(plain.spec.priorityClassName).toBeUndefined();
  });

  it('gives pods without a class the globalDefault class (the lowest value when several)', () => {
    const c = newCluster();
    c.api.create(pc('default-one', 300, { globalDefault: true }));
    const p = c.api.create(pod('a'));
    expect(p.spec).toMatchObject({ priorityClassName: 'default-one', priority: 300 });
  });

  it('rejects an unknown class and a priority that disagrees with the class', () => {
    const c = newCluster();
    c.api.create(pc('high', 1000));
    expect(attempt(() => c.api.create(pod('a', { priorityClassName: 'nope' })))).toBe('Forbidden: pods "a" is forbidden: no PriorityClass with name nope was found');
    expect(attempt(() => c.api.create(pod('b', { priorityClassName: 'high', priority: 5 })))).toBe(
      'Forbidden: pods "b" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    );
    expect(attempt(() => c.api.create(pod('c', { priorityClassName: 'high', preemptionPolicy: 'Never' })))).toBe(
      'Forbidden: pods "c" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
    );
    // the same value as computed is accepted
    expect((attempt(() => c.api.create(pod('d', { priorityClassName: 'high', priority: 1000 }))) as KubeObject).spec.priority).toBe(1000);
  });

  // TestPriorityClassAdmission "one default class" / "more than one default classes"
  it('allows only one globalDefault class', () => {
    const c = newCluster();
    c.api.create(pc('d1', 10, { globalDefault: true }));
    expect(attempt(() => c.api.create(pc('d2', 20, { globalDefault: true })))).toBe(
      'Forbidden: priorityclasses.scheduling.k8s.io "d2" is forbidden: PriorityClass d1 is already marked as default. Only one default can exist',
    );
  });

  // pkg/apis/scheduling/validation/validation_test.go TestValidatePriorityClass
  it('validates value limits and the reserved system- prefix', () => {
    const c = newCluster();
    expect(attempt(() => c.api.create(pc('huge', 1_000_000_001)))).toMatch(/value: Forbidden: maximum allowed value of a user defined priority is 1000000000/);
    expect((attempt(() => c.api.create(pc('max', 1_000_000_000))) as KubeObject).value).toBe(1_000_000_000);
    expect(attempt(() => c.api.create(pc('system-mine', 5)))).toMatch(
      /metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class/,
    );
    expect(attempt(() => c.api.create(pc('bad-policy', 5, { preemptionPolicy: 'Sometimes' })))).toMatch(/preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"/);
    c.api.create(pc('fixed', 5));
    expect(attempt(() => c.api.mutate('PriorityClass', undefined, 'fixed', (d) => void (d.value = 6)))).toMatch(/value: Forbidden: may not be changed in an update\./);
  });

  it('keeps the resolved priority when a pod update omits it', () => {
    const c = newCluster();
    c.api.create(pc('high', 1000));
    const p = c.api.create(pod('a', { priorityClassName: 'high' }));
    const copy = structuredClone(p);
    delete copy.spec.priority;
    delete copy.spec.preemptionPolicy;
    copy.metadata.labels = { x: 'y' };
    expect(c.api.update(copy).spec.priority).toBe(1000);
  });
});

// pkg/printers/internalversion/printers.go printPriorityClass
describe('kubectl get priorityclass', () => {
  it('prints NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', async () => {
    const { tableRows } = await import('../kubectl/printers/tables.js');
    const c = newCluster();
    const t = tableRows('PriorityClass', [c.api.get('PriorityClass', undefined, 'system-node-critical')!], 60_000, false);
    expect(t.columns.map((x) => x.toUpperCase())).toEqual(['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    expect(t.rows).toEqual([['system-node-critical', '2000001000', 'false', '60s', 'PreemptLowerPriority']]);
  });
});
