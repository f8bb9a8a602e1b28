// The DaemonSet controller in a running cluster (daemon_controller.go, update.go; reference
// workloads.md §5): one pod per eligible node, nodes labelled later, status, failed pods.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { advance, eventsFor, newCluster, pods } from '../../../test/helpers/cluster.js';

function daemonSet(extra: any = {}, podSpec: any = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'agent' }], ...podSpec } },
      ...extra,
    },
  };
}

const nodesOf = (c: ReturnType<typeof newCluster>) => pods(c, 'app=agent').filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.nodeName).sort();

describe('DaemonSet controller', () => {
  it('one pod per node, bound by the scheduler, with status and SuccessfulCreate events', () => {
    const c = newCluster({ nodes: 3 });
    const ds = c.api.create(daemonSet());
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    advance(c, 2000);
    expect(nodesOf(c)).toEqual(['node-1', 'node-2', 'node-3']);
    const status = c.api.get('DaemonSet', 'default', 'agent')!.status;
    expect(status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3, updatedNumberScheduled: 3, numberMisscheduled: 0, observedGeneration: 1 });
    expect(eventsFor(c, 'DaemonSet', 'agent').map((e) => e.reason)).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
    expect(eventsFor(c, 'Pod', pods(c, 'app=agent')[0].metadata.name!).map((e) => e.reason)).toContain('Scheduled');
  });

  it('a node labelled later gets a pod; a node that stops matching loses it', () => {
    const c = newCluster({ nodes: [{ labels: { disk: 'ssd' } }, {}] });
    c.api.create(daemonSet({}, { nodeSelector: { disk: 'ssd' } }));
    advance(c, 1000);
    expect(nodesOf(c)).toEqual(['node-1']);
    c.api.mutate('Node', undefined, 'node-2', (d) => (d.metadata.labels = { ...d.metadata.labels, disk: 'ssd' }));
    advance(c, 1000);
    expect(nodesOf(c)).toEqual(['node-1', 'node-2']);
    c.api.mutate('Node', undefined, 'node-1', (d) => delete d.metadata.labels!.disk);
    advance(c, 3000);
    expect(nodesOf(c)).toEqual(['node-2']);
  });

  it('a cordoned node still runs the daemon pod; an untolerated NoSchedule taint keeps new pods off', () => {
    const c = newCluster({ nodes: [{ unschedulable: true }, { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }] });
    c.api.create(daemonSet());
    advance(c, 1000);
    expect(nodesOf(c)).toEqual(['node-1']);
    expect(c.api.get('DaemonSet', 'default', 'agent')!.status.desiredNumberScheduled).toBe(1);
  });

  it('a template change rolls pods one node at a time (maxUnavailable 1)', () => {
    const c = newCluster({ nodes: 3 });
    c.api.create(daemonSet());
    advance(c, 2000);
    c.api.mutate('DaemonSet', 'default', 'agent', (d) => (d.spec.template.spec.containers[0].image = 'agent:v2'));
    let sawUpdating = false;
    for (let i = 0; i < 500; i++) {
      advance(c, 10);
      const live = pods(c, 'app=agent').filter((p) => !p.metadata.deletionTimestamp);
      // never more than one node without a live pod
      expect(live.length).toBeGreaterThanOrEqual(2);
      const ready = live.filter((p) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'));
      expect(ready.length).toBeGreaterThanOrEqual(2);
      if (live.some((p) => p.spec.containers[0].image === 'agent') && live.some((p) => p.spec.containers[0].image === 'agent:v2')) sawUpdating = true;
    }
    expect(pods(c, 'app=agent').map((p) => p.spec.containers[0].image)).toEqual(['agent:v2', 'agent:v2', 'agent:v2']);
    expect(c.api.list('ControllerRevision', 'default').map((r) => r.revision).sort()).toEqual([1, 2]);
    expect(c.api.get('DaemonSet', 'default', 'agent')!.status.updatedNumberScheduled).toBe(3);
    expect(sawUpdating).toBe(true);
  });

  it('validation: selector must match; maxUnavailable and maxSurge may not both be 0', () => {
    const c = newCluster();
    const bad = daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } });
    expect(() => c.api.create(bad)).toThrow(/maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0/);
    const mismatch = daemonSet();
    mismatch.spec.template.metadata.labels = { app: 'x' };
    expect(() => c.api.create(mismatch)).toThrow(/`selector` does not match template `labels`/);
  });
  it('a failed daemon pod is deleted at once; one failing again within the back-off waits it out (TestDaemonKillFailedPodsBackoff)', () => {
    const c = newCluster({ nodes: 1 });
    c.api.create(daemonSet({}, { terminationGracePeriodSeconds: 0 }));
    advance(c, 2000);
    const live = () => pods(c, 'app=agent').filter((p) => !p.metadata.deletionTimestamp);
    const fail = (): string => {
      const name = live()[0].metadata.name!;
      c.api.mutate('Pod', 'default', name, (d) => { d.status.phase = 'Failed'; }, 'status');
      return name;
    };
    const first = fail();
    advance(c, 300);
    expect(live().map((p) => p.metadata.name)).not.toContain(first);
    const second = fail();
    // back-off keyed by (set uid, status.observedGeneration, node): 1 s after the first kill
    advance(c, 300);
    expect(live().map((p) => `${p.metadata.name} ${p.status.phase}`)).toEqual([`${second} Failed`]);
    advance(c, 1500);
    expect(live().map((p) => p.metadata.name)).not.toContain(second);
    expect(live().map((p) => p.status.phase)).toEqual(['Running']);
    expect(eventsFor(c, 'DaemonSet', 'agent').filter((e) => e.reason === 'FailedDaemonPod').map((e) => e.count)).toEqual([1, 1]);
  });
});
