// Node-pressure eviction for memory (reference pod-lifecycle.md §7.4): the ranking, the message,
// and the manager's passes on a node that runs out of memory.

import { describe, expect, it } from 'vitest';
import { evictionMessage, formatBytes, podMemoryRequest, rankMemoryPressure } from './eviction.js';
import { advance, condition, newCluster, pod } from '../../test/helpers/cluster.js';
import { kubeletFor } from './registry.js';
import { hasLocalStorageLimits } from './local_storage.js';

const Mi = 1024 * 1024;

describe('rankMemoryPressure (pkg/kubelet/eviction/helpers_test.go)', () => {
  it('TestOrderedByExceedsRequestMemory: a pod above its request goes before one below, whatever its priority', () => {
    const below = { name: 'below-requests', priority: -1, request: 200 * Mi, usage: 199 * Mi };
    const exceeds = { name: 'exceeds-requests', priority: 1, request: 100 * Mi, usage: 101 * Mi };
    expect(rankMemoryPressure([below, exceeds]).map((p) => p.name)).toEqual(['exceeds-requests', 'below-requests']);
  });

  it('TestOrderedByPriority: lower priority first', () => {
    const low = { name: 'low-priority', priority: 1, request: 0, usage: 0 };
    const medium = { name: 'medium-priority', priority: 2, request: 0, usage: 0 };
    const high = { name: 'high-priority', priority: 3, request: 0, usage: 0 };
    expect(rankMemoryPressure([high, medium, low]).map((p) => p.name)).toEqual(['low-priority', 'medium-priority', 'high-priority']);
  });

  it('TestOrderedbyMemory: the largest usage above request first', () => {
    // usage and request chosen so that usage − request is 500, 300, 700, 200, −200, −800 Mi as upstream
    const pods = [
      { name: 'pod1', usage: 500, request: 0 },
      { name: 'pod2', usage: 300, request: 0 },
      { name: 'pod3', usage: 800, request: 100 },
      { name: 'pod4', usage: 300, request: 100 },
      { name: 'pod5', usage: 800, request: 1000 },
      { name: 'pod6', usage: 200, request: 1000 },
    ].map((p) => ({ ...p, usage: p.usage * Mi, request: p.request * Mi, priority: 0 }));
    expect(rankMemoryPressure(pods).map((p) => p.name)).toEqual(['pod3', 'pod1', 'pod2', 'pod4', 'pod5', 'pod6']);
  });
});

describe('eviction message and requests', () => {
  it('names the threshold, what was available, and the containers above their requests', () => {
    const spec = { containers: [{ name: 'c', resources: { requests: { memory: '100Mi' } } }, { name: 'small', resources: { requests: { memory: '1Gi' } } }] };
    expect(evictionMessage(42 * Mi, spec, [{ name: 'c', usage: 300 * Mi }, { name: 'small', usage: 10 * Mi }])).toBe(
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 42Mi. Container c was using 300Mi, request is 100Mi, has larger consumption of memory. ',
    );
    expect(formatBytes(94_209 * 1024)).toBe('94209Ki');
    expect(formatBytes(92 * Mi)).toBe('92Mi');
  });

  it('sums regular containers and takes the largest init container (effective requests §7.5)', () => {
    expect(podMemoryRequest({ containers: [{ resources: { requests: { memory: '100Mi' } } }, {}], initContainers: [{ resources: { requests: { memory: '300Mi' } } }] })).toBe(300 * Mi);
    expect(podMemoryRequest({ containers: [{ resources: { requests: { memory: '100Mi' } } }] })).toBe(100 * Mi);
  });
});

function memPod(name: string, image: string, resources?: any, priority?: number) {
  const p = pod(name, { nodeName: 'node-1', image });
  if (resources) p.spec.containers[0].resources = resources;
  // the Priority admission plugin resolves spec.priority from a class (a class `prio-<value>`)
  if (priority !== undefined) p.spec.priorityClassName = `prio-${priority}`;
  return p;
}

describe('eviction manager (eviction_manager_test.go TestMemoryPressure)', () => {
  const apps = [
    { key: 'fixed/150', memory: { initial: 150 * Mi, growBy: 0, everyMs: 1000 } },
    { key: 'fixed/300', memory: { initial: 300 * Mi, growBy: 0, everyMs: 1000 } },
    { key: 'leaky', memory: { initial: 100 * Mi, growBy: 50 * Mi, everyMs: 1000 } },
    { key: 'capped', memory: { initial: 100 * Mi, growBy: 50 * Mi, everyMs: 1000, max: 700 * Mi } },
  ];

  it('evicts the BestEffort pod first, sets MemoryPressure and the taint, and evicts one pod per pass', () => {
    const c = newCluster({ nodes: [{ name: 'node-1', capacity: { cpu: '4', memory: '1Gi', pods: '110' } }], apps });
    c.api.create(memPod('guaranteed', 'fixed/150', { requests: { memory: '200Mi', cpu: '100m' }, limits: { memory: '200Mi', cpu: '100m' } }));
    c.api.create(memPod('burstable', 'fixed/300', { requests: { memory: '100Mi' } }));
    c.api.create(memPod('best-effort', 'leaky'));
    advance(c, 5000);
    const node = () => c.api.get('Node', undefined, 'node-1')!;
    expect(condition(node(), 'MemoryPressure')).toMatchObject({ status: 'False' });
    expect(c.api.get('Pod', 'default', 'best-effort')!.status.phase).toBe('Running');
    // 550Mi fixed + 100Mi growing 50Mi/s: available drops under 100Mi when usage passes 924Mi (after 8 s of
    // growth); the manager notices at its next 10 s pass
    advance(c, 25_000);
    const be = c.api.get('Pod', 'default', 'best-effort')!;
    expect(be.status).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
    expect(be.status.message).toMatch(/^The node was low on resource: memory\. Threshold quantity: 100Mi, available: \d+[KM]i\. Container app was using \d+Mi, request is 0, has larger consumption of memory\. $/);
    expect(be.status.conditions.find((x: any) => x.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'TerminationByKubelet' });
    expect(condition(node(), 'MemoryPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientMemory' });
    expect(node().spec.taints).toContainEqual({ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' });
    // the others stay: freeing the BestEffort pod's memory ended the pressure
    expect(c.api.get('Pod', 'default', 'burstable')!.status.phase).toBe('Running');
    expect(c.api.get('Pod', 'default', 'guaranteed')!.status.phase).toBe('Running');
    const reasons = c.api.list('Event').map((e: any) => `${e.involvedObject.kind}/${e.involvedObject.name} ${e.type} ${e.reason}`);
    expect(reasons).toContain('Pod/best-effort Warning Evicted');
    expect(reasons).toContain('Node/node-1 Warning EvictionThresholdMet');
    // the evicted pod is not deleted by the kubelet
    advance(c, 60_000);
    expect(c.api.get('Pod', 'default', 'best-effort')!.status.phase).toBe('Failed');
    // pressureTransitionPeriod: the condition clears 5 minutes after the last observation
    advance(c, 300_000);
    expect(condition(node(), 'MemoryPressure')).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientMemory' });
    expect(node().spec.taints ?? []).not.toContainEqual({ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' });
  });

  it('with every pod over its request, the lower priority goes first', () => {
    const c = newCluster({ nodes: [{ name: 'node-1', capacity: { cpu: '4', memory: '1Gi', pods: '110' } }], apps });
    c.api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'prio-1000' }, value: 1000 });
    c.api.create(memPod('important', 'capped', undefined, 1000));
    c.api.create(memPod('ordinary', 'fixed/300'));
    advance(c, 40_000);
    expect(c.api.get('Pod', 'default', 'ordinary')!.status.reason).toBe('Evicted');
    expect(c.api.get('Pod', 'default', 'important')!.status.phase).toBe('Running');
  });

  it('runs no pass while nothing grows, and exactly one pass at the crossing instant', () => {
    const c = newCluster({ nodes: [{ name: 'node-1', capacity: { cpu: '4', memory: '1Gi', pods: '110' } }], apps });
    c.api.create(memPod('steady', 'fixed/300'));
    advance(c, 600_000);
    const passes = () => ((c.sim as any).eventsBySource as Map<string, number>).get('kubelet/node-1/eviction') ?? 0;
    expect(passes()).toBe(0);
    c.api.create(memPod('leaky', 'leaky'));
    // 300Mi + 100Mi + 50Mi/s passes 924Mi after 11 s of growth: one pass at the first 10 s tick after that
    advance(c, 40_000);
    const leaky = c.api.get('Pod', 'default', 'leaky')!;
    expect(leaky.status.reason).toBe('Evicted');
    const evictedAt = Date.parse(leaky.status.conditions.find((x: any) => x.type === 'DisruptionTarget').lastTransitionTime);
    // the pass that evicts is on the manager's 10 s grid, within 10 s of the crossing
    expect(evictedAt % 10_000).toBe(0);
    // passes since: the evicting one; then waitForPodsCleanup polls every 1 s until the pod's
    // containers are gone (at once here: the first poll, 1 s later) and the next pass runs right away
    // in that poll; then one every 10 s from that pass while MemoryPressure is held
    const polls = ((c.sim as any).eventsBySource as Map<string, number>).get('kubelet/node-1/eviction-cleanup') ?? 0;
    expect(polls).toBe(1);
    expect(passes()).toBe(1 + Math.floor((c.sim.now - evictedAt - 1_000) / 10_000));
  });
});

describe('what the re-plan at every process start and exit reads from each pod worker', () => {
  it('hasMemoryModels and localStorageLimits answer as the scans they replace, after every event', () => {
    const apps = [
      { key: 'leaky', memory: { initial: 100 * Mi, growBy: 50 * Mi, everyMs: 1000 } },
      { key: 'fixed', memory: { initial: 150 * Mi, growBy: 0, everyMs: 1000 } },
      { key: 'short', memory: { initial: 10 * Mi, growBy: 0, everyMs: 1000 }, exitAfter: { min: 3000, max: 3000 } },
    ];
    const c = newCluster({ nodes: [{ name: 'node-1', capacity: { cpu: '4', memory: '1Gi', pods: '110' } }], apps });
    const kubelet = kubeletFor(c.api, 'node-1')!;
    let checked = 0;
    c.sim.onAfterEvent(() => {
      for (const w of kubelet.podWorkerValues()) {
        expect(w.hasMemoryModels).toBe(w.memoryModels().length > 0);
        expect(w.localStorageLimits).toBe(hasLocalStorageLimits(w.podObject.spec));
        checked++;
      }
    });
    c.api.create(memPod('steady', 'fixed'));
    c.api.create(memPod('plain', 'nginx'));
    const limited = memPod('limited', 'short');
    limited.spec.restartPolicy = 'OnFailure';
    limited.spec.containers[0].resources = { limits: { 'ephemeral-storage': '1Mi' } };
    c.api.create(limited);
    const sized = memPod('sized', 'fixed');
    sized.spec.volumes = [{ name: 'cache', emptyDir: { sizeLimit: '1Mi' } }];
    c.api.create(sized);
    advance(c, 10_000);
    c.api.create(memPod('leaky', 'leaky'));
    advance(c, 5_000);
    c.api.delete('Pod', 'default', 'steady');
    advance(c, 60_000);
    expect(checked).toBeGreaterThan(100);
    expect(c.api.get('Pod', 'default', 'leaky')!.status.reason).toBe('Evicted');
    // the short-lived process exited by itself: its worker had a memory model, then none
    expect(c.api.get('Pod', 'default', 'limited')!.status.phase).toBe('Succeeded');
  });
});
