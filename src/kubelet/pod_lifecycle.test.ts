// The pod lifecycle the kubelet runs (reference pod-lifecycle.md §1-§4): probes driving Ready and
// restarts, init containers and sidecars, hooks, images, OOM and port conflicts, faults and exec.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { advance, condition, deletedAt, newCluster, traceEvents } from '../../test/helpers/cluster.js';

type Cluster = ReturnType<typeof newCluster>;

const get = (c: Cluster, name: string) => c.api.get('Pod', 'default', name)!;

function podWith(name: string, spec: any): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', ...spec } };
}

const events = (c: Cluster, name: string, reason?: string) => traceEvents(c, 'Pod', name).filter((e) => !reason || e.reason === reason);

describe('containers of a pod share one port space', () => {
  it('the second container binding a taken port exits 1 and crash-loops; the first keeps it', () => {
    const c = newCluster();
    c.api.create(podWith('clash', { containers: [{ name: 'first', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }, { name: 'second', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] }));
    advance(c, 5_000);
    const [first, second] = get(c, 'clash').status.containerStatuses;
    expect(first).toMatchObject({ name: 'first', restartCount: 0, state: { running: {} } });
    expect(second.restartCount).toBeGreaterThanOrEqual(1);
    expect(second.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });
});

describe('probes', () => {
  it('with default liveness settings, failing from t=f, the kill comes at the 3rd failed tick', () => {
    const c = newCluster({ apps: [{ key: 'sick', http: [{ path: '/', status: 500, afterTimeMs: 25_000 }, { path: '/', status: 200 }] }] });
    c.api.create(podWith('p', { containers: [{ name: 'app', image: 'sick', livenessProbe: { httpGet: { path: '/', port: 8080 } } }] }));
    advance(c, 60_000);
    const t0 = events(c, 'p', 'Started')[0].t;
    const unhealthy = events(c, 'p', 'Unhealthy').map((e) => e.t - t0);
    // ticks every 10 s from the pod's first sync: failures at 30, 40, 50 s
    expect(unhealthy.slice(0, 3)).toEqual([30_000, 40_000, 50_000]);
    expect(events(c, 'p', 'Unhealthy')[0].message).toBe('Liveness probe failed: HTTP probe failed with statuscode: 500');
    const kill = events(c, 'p', 'Killing')[0];
    expect(kill.t - t0).toBe(50_000);
    expect(kill.message).toBe('Container app failed liveness probe, will be restarted');
  });

  it('readiness starts Failure and is probed at once on start; a readinessFails fault makes it unready for a while', () => {
    const c = newCluster();
    c.api.create(podWith('p', { containers: [{ name: 'app', image: 'nginx:1.27', readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5, failureThreshold: 1 } }] }));
    advance(c, 100);
    expect(condition(get(c, 'p'), 'Ready')?.status).toBe('True');
    const node = c.components.find((x: any) => x.nodeName === 'node-1') as any;
    node.worker(get(c, 'p').metadata.uid).fault('readinessFails', undefined, { untilMs: c.sim.now + 12_000 });
    advance(c, 5_000);
    expect(condition(get(c, 'p'), 'Ready')?.status).toBe('False');
    expect(get(c, 'p').status.containerStatuses[0].restartCount).toBe(0);
    advance(c, 10_000);
    expect(condition(get(c, 'p'), 'Ready')?.status).toBe('True');
  });
});

describe('init containers and sidecars', () => {
  it('an init container failing under restartPolicy Never fails the pod; the app never starts', () => {
    const c = newCluster({ apps: [{ key: 'bad-init', exitAfter: { min: 1000, max: 1000 }, exitCode: 2 }] });
    c.api.create(podWith('p', { restartPolicy: 'Never', initContainers: [{ name: 'init', image: 'bad-init' }], containers: [{ name: 'app', image: 'nginx:1.27' }] }));
    advance(c, 5_000);
    const p = get(c, 'p');
    expect(p.status.phase).toBe('Failed');
    expect(p.status.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(p.status.containerStatuses[0].state.waiting.reason).toBe('PodInitializing');
    expect(events(c, 'p', 'Started').map((e) => e.message)).toEqual(['Started container init']);
  });

  it('a failing init container is retried with back-off under Always', () => {
    const c = newCluster({ apps: [{ key: 'bad-init', exitAfter: { min: 1000, max: 1000 }, exitCode: 2 }] });
    c.api.create(podWith('p', { initContainers: [{ name: 'init', image: 'bad-init' }], containers: [{ name: 'app', image: 'nginx:1.27' }] }));
    advance(c, 15_000);
    const p = get(c, 'p');
    expect(p.status.phase).toBe('Pending');
    expect(p.status.initContainerStatuses[0]).toMatchObject({ restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } });
  });

  it('a sidecar starts before the app, keeps running, and gets SIGTERM only after the app exited', () => {
    const c = newCluster({ apps: [{ key: 'job', exitAfter: { min: 5000, max: 5000 } }, { key: 'shipper', ignoreSigterm: false, shutdown: { min: 1000, max: 1000 } }] });
    c.api.create(podWith('p', { restartPolicy: 'Never', initContainers: [{ name: 'logs', image: 'shipper', restartPolicy: 'Always' }], containers: [{ name: 'main', image: 'job' }] }));
    advance(c, 3_000);
    let p = get(c, 'p');
    expect(p.status.phase).toBe('Running');
    expect(p.status.initContainerStatuses[0]).toMatchObject({ name: 'logs', started: true, ready: true, state: { running: {} } });
    expect(events(c, 'p', 'Started').map((e) => e.message)).toEqual(['Started container logs', 'Started container main']);
    advance(c, 5_000);
    p = get(c, 'p');
    // main exited 0 at ~5 s: KillPod stops the sidecar, which takes its 1 s shutdown
    expect(events(c, 'p', 'Killing').map((e) => e.message)).toEqual(['Stopping container logs']);
    expect(p.status.phase).toBe('Succeeded');
  });
});

describe('hooks and images', () => {
  it('preStop consumes the grace period; SIGTERM still gets 2 s', () => {
    const c = newCluster({ apps: [{ key: 'stubborn', ignoreSigterm: true }] });
    c.api.create(podWith('p', { terminationGracePeriodSeconds: 5, containers: [{ name: 'app', image: 'stubborn', lifecycle: { preStop: { sleep: { seconds: 3 } } } }] }));
    advance(c, 1_000);
    const t0 = c.sim.now;
    c.api.delete('Pod', 'default', 'p');
    advance(c, 10_000);
    // 3 s of preStop, then SIGTERM with the remaining 2 s, then SIGKILL: gone after 5 s
    const gone = deletedAt(c, 'Pod', 'p')! - t0;
    expect(gone).toBeGreaterThanOrEqual(5_000);
    expect(gone).toBeLessThan(5_100);
    expect(events(c, 'p', 'Killing')[0].t - t0).toBeLessThan(100);
  });

  it('a missing image: ErrImagePull, then ImagePullBackOff with 10 s, 20 s ... between pulls', () => {
    const c = newCluster({ apps: [{ key: 'nope:1', pullError: true }], timing: { imagePull: { min: 1000, max: 1000 } } });
    c.api.create(podWith('p', { containers: [{ name: 'app', image: 'nope:1', imagePullPolicy: 'IfNotPresent' }] }));
    advance(c, 2_000);
    expect(get(c, 'p').status.containerStatuses[0].state.waiting).toMatchObject({ reason: 'ErrImagePull' });
    expect(events(c, 'p', 'Failed')[0].message).toMatch(/^Failed to pull image "nope:1": rpc error: code = NotFound/);
    advance(c, 60_000);
    const pulls = events(c, 'p', 'Pulling').map((e) => e.t);
    expect(pulls.length).toBeGreaterThanOrEqual(3);
    expect(events(c, 'p', 'BackOff')[0].message).toBe('Back-off pulling image "nope:1"');
  });

  it('IfNotPresent pulls once per node; the next pod finds it present', () => {
    const c = newCluster({ timing: { imagePull: { min: 3000, max: 3000 } } });
    c.api.create(podWith('a', { containers: [{ name: 'app', image: 'nginx:1.27' }] }));
    advance(c, 5_000);
    c.api.create(podWith('b', { containers: [{ name: 'app', image: 'nginx:1.27' }] }));
    advance(c, 1_000);
    expect(events(c, 'a', 'Pulled')[0].message).toBe('Successfully pulled image "nginx:1.27" in 3s (3s including waiting)');
    expect(events(c, 'b', 'Pulled')[0].message).toBe('Container image "nginx:1.27" already present on machine');
    expect(get(c, 'b').status.phase).toBe('Running');
  });

  it('OOM kill when memory passes the limit: exit 137, OOMKilled', () => {
    const c = newCluster({ apps: [{ key: 'leaky', memory: { initial: 100 * 2 ** 20, growBy: 100 * 2 ** 20, everyMs: 1000 } }] });
    c.api.create(podWith('p', { containers: [{ name: 'app', image: 'leaky', resources: { limits: { memory: '256Mi' } } }] }));
    advance(c, 2_500);
    expect(get(c, 'p').status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });
});
