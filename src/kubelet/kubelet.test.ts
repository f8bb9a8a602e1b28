// The kubelet's pod path: registration, IPs, start, restarts with CrashLoopBackOff, graceful
// termination (reference pod-lifecycle.md §2 and §4).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { advance, condition, deletedAt, newCluster, pod, traceEvents } from '../../test/helpers/cluster.js';

type Cluster = ReturnType<typeof newCluster>;

const get = (c: Cluster, name: string) => c.api.get('Pod', 'default', name);

/** The last state of a pod before it left the API (from the DELETED watch event). */
function captureFinal(c: Cluster): Map<string, KubeObject> {
  const final = new Map<string, KubeObject>();
  c.api.watch((ev) => {
    if (ev.type === 'DELETED') final.set(ev.object.metadata.name!, ev.object);
  }, ['Pod']);
  return final;
}

describe('kubelet: node registration and pod start', () => {
  it('registers a Node per configured node, with its pod CIDR and a Ready condition', () => {
    const c = newCluster({ nodes: [{ name: 'a', labels: { disk: 'ssd' } }, { name: 'b' }] });
    const a = c.api.get('Node', undefined, 'a')!;
    expect(a.spec.podCIDR).toBe('10.244.0.0/24');
    expect(c.api.get('Node', undefined, 'b')!.spec.podCIDR).toBe('10.244.1.0/24');
    expect(a.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'a', 'kubernetes.io/os': 'linux', disk: 'ssd' });
    expect(a.status.allocatable).toEqual({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(condition(a, 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(a.status.nodeInfo.kubeletVersion).toMatch(/^v1\.34\.\d+$/);
  });

  it('gives a pod an IP from its node\'s 10.244.<i>.0/24 and makes it Running and Ready', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('a', { nodeName: 'node-1' }));
    c.api.create(pod('b', { nodeName: 'node-2' }));
    c.api.create(pod('c', { nodeName: 'node-2' }));
    advance(c, 1000);
    const [a, b, cc] = ['a', 'b', 'c'].map((n) => get(c, n)!);
    expect(a.status.podIP).toBe('10.244.0.2');
    expect(a.status.podIPs).toEqual([{ ip: '10.244.0.2' }]);
    expect(a.status.hostIP).toBe('172.18.0.2');
    expect(b.status.podIP).toBe('10.244.1.2');
    expect(cc.status.podIP).toBe('10.244.1.3');
    expect(b.status.hostIP).toBe('172.18.0.3');
    for (const p of [a, b, cc]) {
      expect(p.status.phase).toBe('Running');
      expect(p.status.conditions.map((x: any) => `${x.type}=${x.status}`)).toEqual([
        'PodReadyToStartContainers=True',
        'Initialized=True',
        'Ready=True',
        'ContainersReady=True',
        'PodScheduled=True',
      ]);
      expect(p.status.containerStatuses).toHaveLength(1);
      expect(p.status.containerStatuses[0]).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0, state: { running: {} } });
      expect(p.status.startTime).toBe('1970-01-01T00:00:00Z');
    }
    const started = traceEvents(c, 'Pod', 'a').map((e) => `${e.reason}: ${e.message}`);
    // a node starts without images: the first container of an image pulls it
    expect(started).toEqual([
      'Pulling: Pulling image "nginx:1.27"',
      'Pulled: Successfully pulled image "nginx:1.27" in 0s (0s including waiting)',
      'Created: Created container: app',
      'Started: Started container app',
    ]);
  });

  it('waits for the image pull before starting containers', () => {
    const c = newCluster({ timing: { imagePull: { min: 3000, max: 3000 } } });
    c.api.create(pod('p', { nodeName: 'node-1' }));
    advance(c, 2000);
    const p = get(c, 'p')!;
    expect(p.status.phase).toBe('Pending');
    expect(p.status.podIP).toBe('10.244.0.2');
    expect(p.status.containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    advance(c, 2000);
    expect(get(c, 'p')!.status.phase).toBe('Running');
  });
});

describe('kubelet: termination', () => {
  it('sends SIGTERM; an app that exits on it is gone promptly and ends Succeeded', () => {
    const c = newCluster();
    const final = captureFinal(c);
    c.api.create(pod('p', { nodeName: 'node-1' }));
    advance(c, 1000);
    const t0 = c.sim.now;
    c.api.delete('Pod', 'default', 'p');
    advance(c, 1000);
    expect(get(c, 'p')).toBeUndefined();
    expect(deletedAt(c, 'Pod', 'p')! - t0).toBeLessThan(100);
    expect(traceEvents(c, 'Pod', 'p').map((e) => e.reason)).toContain('Killing');
    expect(traceEvents(c, 'Pod', 'p').find((e) => e.reason === 'Killing')!.message).toBe('Stopping container app');
    const last = final.get('p')!;
    expect(last.status.phase).toBe('Succeeded');
    expect(last.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('kills an app that ignores SIGTERM after the grace period (exit 137); the object goes then', () => {
    const c = newCluster({ apps: [{ key: 'stubborn', ignoreSigterm: true }] });
    const final = captureFinal(c);
    c.api.create(pod('p', { nodeName: 'node-1', image: 'stubborn', terminationGracePeriodSeconds: 10 }));
    advance(c, 1000);
    const t0 = c.sim.now;
    c.api.delete('Pod', 'default', 'p');
    advance(c, 9_000);
    const terminating = get(c, 'p')!;
    expect(terminating.metadata.deletionTimestamp).toBe('1970-01-01T00:00:11Z');
    expect(terminating.status.phase).toBe('Running');
    advance(c, 2_000);
    expect(get(c, 'p')).toBeUndefined();
    const gone = deletedAt(c, 'Pod', 'p')! - t0;
    // SIGKILL at grace + the kubelet's watch latency
    expect(gone).toBeGreaterThanOrEqual(10_000);
    expect(gone).toBeLessThan(10_100);
    const last = final.get('p')!;
    expect(last.status.phase).toBe('Failed');
    expect(last.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  it('gives SIGTERM at least 2 s before SIGKILL (minimumGracePeriodInSeconds)', () => {
    const c = newCluster({ apps: [{ key: 'stubborn', ignoreSigterm: true }] });
    c.api.create(pod('p', { nodeName: 'node-1', image: 'stubborn' }));
    advance(c, 1000);
    const t0 = c.sim.now;
    c.api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 1 });
    advance(c, 1_500);
    expect(get(c, 'p')).toBeDefined();
    advance(c, 1_000);
    expect(get(c, 'p')).toBeUndefined();
    const gone = deletedAt(c, 'Pod', 'p')! - t0;
    expect(gone).toBeGreaterThanOrEqual(2_000);
    expect(gone).toBeLessThan(2_100);
  });

  it('an app with a shutdown time exits after it, within the grace period', () => {
    const c = newCluster({ apps: [{ key: 'slow', shutdown: { min: 4000, max: 4000 } }] });
    c.api.create(pod('p', { nodeName: 'node-1', image: 'slow' }));
    advance(c, 1000);
    const t0 = c.sim.now;
    c.api.delete('Pod', 'default', 'p');
    advance(c, 10_000);
    const gone = deletedAt(c, 'Pod', 'p')! - t0;
    expect(gone).toBeGreaterThanOrEqual(4_000);
    expect(gone).toBeLessThan(4_100);
  });
});

describe('kubelet: restarts and CrashLoopBackOff', () => {
  it('restarts an exiting container with delays 0, 10s, 20s, 40s and counts restarts', () => {
    const c = newCluster({ apps: [{ key: 'crash', exitAfter: { min: 1000, max: 1000 }, exitCode: 1 }] });
    c.api.create(pod('p', { nodeName: 'node-1', image: 'crash' }));
    advance(c, 80_000);
    const starts = traceEvents(c, 'Pod', 'p').filter((e) => e.reason === 'Started').map((e) => e.t);
    expect(starts.length).toBeGreaterThanOrEqual(5);
    // each run lasts 1 s; the delay is between an exit and the next start
    const delays = starts.slice(1, 5).map((t, i) => t - (starts[i] + 1000));
    expect(delays).toEqual([0, 10_000, 20_000, 40_000]);
    const p = get(c, 'p')!;
    expect(p.status.phase).toBe('Running');
    expect(p.status.containerStatuses[0].restartCount).toBe(4);
  });

  it('resets the back-off when the container ran for more than 10 minutes', () => {
    const c = newCluster({ apps: [{ key: 'long', exitAfter: { min: 660_000, max: 660_000 }, exitCode: 1 }] });
    c.api.create(pod('p', { nodeName: 'node-1', image: 'long' }));
    advance(c, 2_100_000);
    const starts = traceEvents(c, 'Pod', 'p').filter((e) => e.reason === 'Started').map((e) => e.t);
    expect(starts).toHaveLength(4);
    // every exit is more than 600 s after the last restart decision: restart at once each time
    expect(starts.slice(1).map((t, i) => t - (starts[i] + 660_000))).toEqual([0, 0, 0]);
    expect(traceEvents(c, 'Pod', 'p').filter((e) => e.reason === 'BackOff')).toEqual([]);
  });

  it('shows CrashLoopBackOff while waiting, with lastState and a BackOff event', () => {
    const c = newCluster({ apps: [{ key: 'crash', exitAfter: { min: 1000, max: 1000 }, exitCode: 1 }] });
    const p0 = c.api.create(pod('p', { nodeName: 'node-1', image: 'crash' }));
    advance(c, 5_000);
    const p = get(c, 'p')!;
    const cs = p.status.containerStatuses[0];
    expect(p.status.phase).toBe('Running');
    expect(cs.restartCount).toBe(1);
    expect(cs.ready).toBe(false);
    expect(cs.state.waiting).toEqual({
      reason: 'CrashLoopBackOff',
      message: `back-off 10s restarting failed container=app pod=p_default(${p0.metadata.uid})`,
    });
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    const backoff = traceEvents(c, 'Pod', 'p').filter((e) => e.reason === 'BackOff');
    expect(backoff).toHaveLength(1);
    expect(backoff[0]).toMatchObject({ eventType: 'Warning', message: `Back-off restarting failed container app in pod p_default(${p0.metadata.uid})` });
  });

  it('restartPolicy Never: phase Succeeded on exit 0, Failed on a non-zero exit, no restart', () => {
    const c = newCluster({
      apps: [
        { key: 'ok', exitAfter: { min: 1000, max: 1000 }, exitCode: 0 },
        { key: 'bad', exitAfter: { min: 1000, max: 1000 }, exitCode: 3 },
      ],
    });
    c.api.create(pod('good', { nodeName: 'node-1', image: 'ok', restartPolicy: 'Never' }));
    c.api.create(pod('failing', { nodeName: 'node-1', image: 'bad', restartPolicy: 'Never' }));
    advance(c, 30_000);
    const good = get(c, 'good')!, failing = get(c, 'failing')!;
    expect(good.status.phase).toBe('Succeeded');
    expect(good.status.containerStatuses[0]).toMatchObject({ restartCount: 0, ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(condition(good, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(failing.status.phase).toBe('Failed');
    expect(failing.status.containerStatuses[0]).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error' } } });
    expect(condition(failing, 'Ready')).toMatchObject({ status: 'False', reason: 'PodFailed' });
    expect(traceEvents(c, 'Pod', 'failing').filter((e) => e.reason === 'Started')).toHaveLength(1);
  });

  it('restartPolicy OnFailure: a clean exit completes the pod, a failure restarts it', () => {
    const c = newCluster({
      apps: [
        { key: 'ok', exitAfter: { min: 1000, max: 1000 }, exitCode: 0 },
        { key: 'bad', exitAfter: { min: 1000, max: 1000 }, exitCode: 2 },
      ],
    });
    c.api.create(pod('good', { nodeName: 'node-1', image: 'ok', restartPolicy: 'OnFailure' }));
    c.api.create(pod('failing', { nodeName: 'node-1', image: 'bad', restartPolicy: 'OnFailure' }));
    advance(c, 15_000);
    expect(get(c, 'good')!.status.phase).toBe('Succeeded');
    const failing = get(c, 'failing')!;
    expect(failing.status.phase).toBe('Running');
    expect(failing.status.containerStatuses[0].restartCount).toBe(2);
  });

  it('restartPolicy Always with a clean exit still restarts (phase stays Running)', () => {
    const c = newCluster({ apps: [{ key: 'ok', exitAfter: { min: 1000, max: 1000 }, exitCode: 0 }] });
    c.api.create(pod('p', { nodeName: 'node-1', image: 'ok' }));
    advance(c, 1_500);
    const p = get(c, 'p')!;
    expect(p.status.phase).toBe('Running');
    expect(p.status.containerStatuses[0].restartCount).toBe(1);
    expect(p.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });
});
