// The StatefulSet controller in a running cluster (stateful_set.go + stateful_set_control.go;
// reference workloads.md §4): ordered creation, claims, events, revisions, replacement, validation.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../api/errors.js';
import { advance, eventsFor, newCluster, podNames, pods } from '../../../test/helpers/cluster.js';

function sts(replicas: number, extra: any = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'db', ports: [{ containerPort: 80 }], readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
  };
}

// Claims with no class and no volume never bind, and the scheduler's VolumeBinding PreFilter keeps
// their pods Pending ("pod has unbound immediate PersistentVolumeClaims"), as upstream. Like kind's
// `standard` class, this default class provisions on the pod's node (WaitForFirstConsumer).
function withDefaultClass(c: ReturnType<typeof newCluster>): ReturnType<typeof newCluster> {
  c.api.create({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    volumeBindingMode: 'WaitForFirstConsumer',
  } as KubeObject);
  return c;
}

describe('StatefulSet controller', () => {
  it('creates pods in order, each after the previous is ready, with claims first and upstream event messages', () => {
    const c = withDefaultClass(newCluster({ apps: [{ key: 'db', startup: { min: 2000, max: 2000 } }] }));
    c.api.create(sts(3));
    advance(c, 1000);
    expect(podNames(c)).toEqual(['web-0']);
    advance(c, 2500);
    expect(podNames(c)).toEqual(['web-0', 'web-1']);
    advance(c, 10_000);
    expect(pods(c, 'app=web').map((p) => p.status.phase)).toEqual(['Running', 'Running', 'Running']);
    expect(c.api.list('PersistentVolumeClaim', 'default').map((p) => p.metadata.name)).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    expect(eventsFor(c, 'StatefulSet', 'web').map((e) => e.message)).toEqual([
      'create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'create Pod web-0 in StatefulSet web successful',
      'create Claim www-web-1 Pod web-1 in StatefulSet web success',
      'create Pod web-1 in StatefulSet web successful',
      'create Claim www-web-2 Pod web-2 in StatefulSet web success',
      'create Pod web-2 in StatefulSet web successful',
    ]);
    const set = c.api.get('StatefulSet', 'default', 'web')!;
    expect(set.status).toMatchObject({ observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, collisionCount: 0 });
    expect(set.status.currentRevision).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    const rev = c.api.get('ControllerRevision', 'default', set.status.currentRevision)!;
    expect(rev.revision).toBe(1);
    expect(pods(c, 'app=web').every((p) => p.metadata.labels!['controller-revision-hash'] === set.status.currentRevision)).toBe(true);
  });

  it('a deleted pod returns with the same name and claim only after the old one is gone', () => {
    const c = withDefaultClass(newCluster({ apps: [{ key: 'db', shutdown: { min: 3000, max: 3000 } }] }));
    c.api.create(sts(2));
    advance(c, 5000);
    const oldUid = c.api.get('Pod', 'default', 'web-1')!.metadata.uid;
    c.api.delete('Pod', 'default', 'web-1');
    advance(c, 1500);
    // still terminating: no second web-1 (names are unique), and the set waits
    expect(c.api.get('Pod', 'default', 'web-1')!.metadata.uid).toBe(oldUid);
    advance(c, 5000);
    const back = c.api.get('Pod', 'default', 'web-1')!;
    expect(back.metadata.uid).not.toBe(oldUid);
    // ServiceAccount admission adds the kube-api-access-* token volume after the claim volume
    expect(back.spec.volumes[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } });
    expect(c.api.list('PersistentVolumeClaim', 'default')).toHaveLength(2);
  });

  it('a template change creates a second revision; a rollback reuses the first with revision 3', () => {
    const c = withDefaultClass(newCluster());
    c.api.create(sts(1));
    advance(c, 3000);
    const img = (i: string) => c.api.mutate('StatefulSet', 'default', 'web', (d) => (d.spec.template.spec.containers[0].image = i));
    img('db:v2');
    advance(c, 5000);
    const revs = () => c.api.list('ControllerRevision', 'default').map((r) => r.revision).sort();
    expect(revs()).toEqual([1, 2]);
    expect(pods(c)[0].spec.containers[0].image).toBe('db:v2');
    img('db');
    advance(c, 5000);
    expect(revs()).toEqual([2, 3]);
    const set = c.api.get('StatefulSet', 'default', 'web')!;
    expect(set.status.currentRevision).toBe(set.status.updateRevision);
  });

  it('defaults and validation', () => {
    const c = withDefaultClass(newCluster());
    const created = c.api.create(sts(1));
    expect(created.spec).toMatchObject({
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      revisionHistoryLimit: 10,
    });
    const bad = sts(1);
    bad.metadata.name = 'web2';
    bad.spec.template.metadata.labels = { app: 'other' };
    expect(() => c.api.create(bad)).toThrow(/spec.template.metadata.labels: Invalid value: \{"app":"other"\}: `selector` does not match template `labels`/);
    const badName = sts(1);
    badName.metadata.name = 'web.v1';
    expect(() => c.api.create(badName)).toThrow(ApiError);
    expect(() => c.api.mutate('StatefulSet', 'default', 'web', (d) => (d.spec.serviceName = 'other'))).toThrow(/updates to statefulset spec for fields other than/);
  });
});
