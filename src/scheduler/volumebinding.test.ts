// VolumeBinding in the scheduler (volume_binding.go PreFilter/Filter/PreBind; reference
// pod-lifecycle.md §8.2, §8.5 and network-storage.md on volumeBindingMode).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { advance, condition, newCluster, pod } from '../../test/helpers/cluster.js';
import { ANN_SELECTED_NODE } from './volumebinding.js';

function withClaim(name: string, claimName: string, extra: any = {}): KubeObject {
  const p = pod(name);
  p.spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName } }];
  Object.assign(p.spec, extra);
  return p;
}
const claim = (name: string, storageClassName: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});
const volume = (name: string, extra: any = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: '', hostPath: { path: `/data/${name}` }, ...extra },
});

describe('scheduler: VolumeBinding', () => {
  it('a missing claim keeps the pod Pending with only the PreFilter message', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(withClaim('p', 'nope'));
    advance(c, 2000);
    expect(condition(c.api.get('Pod', 'default', 'p'), 'PodScheduled').message).toBe(
      '0/2 nodes are available: persistentvolumeclaim "nope" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..',
    );
  });

  it('an unbound Immediate claim blocks scheduling until the PV controller binds it', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(claim('data', ''));
    c.api.create(withClaim('p', 'data'));
    advance(c, 2000);
    const p = c.api.get('Pod', 'default', 'p')!;
    expect(p.spec.nodeName).toBeUndefined();
    expect(condition(p, 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message: '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..',
    });
    c.api.create(volume('pv-1'));
    advance(c, 20_000);
    expect(c.api.get('PersistentVolumeClaim', 'default', 'data')!.status.phase).toBe('Bound');
    expect(c.api.get('Pod', 'default', 'p')!.spec.nodeName).toBeDefined();
  });

  it('a bound volume whose node affinity excludes a node filters that node out', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(volume('pv-1', { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-9'] }] }] } } }));
    c.api.create(claim('data', ''));
    advance(c, 20_000);
    c.api.create(withClaim('p', 'data'));
    advance(c, 2000);
    expect(condition(c.api.get('Pod', 'default', 'p'), 'PodScheduled').message).toMatch(/^0\/2 nodes are available: 2 node\(s\) had volume node affinity conflict\. /);
  });

  it('a WaitForFirstConsumer claim gets the chosen node, and the pod is bound only after the claim', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' } as KubeObject);
    c.api.create(claim('cache', 'local'));
    advance(c, 1000);
    expect(c.api.get('PersistentVolumeClaim', 'default', 'cache')!.metadata.annotations?.[ANN_SELECTED_NODE]).toBeUndefined();
    c.api.create(withClaim('p', 'cache', { nodeSelector: { 'kubernetes.io/hostname': 'node-2' } }));
    // watch the order: the claim must be bound before the pod gets its node
    let claimBoundFirst: boolean | undefined;
    c.api.watch((ev) => {
      if (ev.object.kind === 'Pod' && ev.object.spec?.nodeName && claimBoundFirst === undefined) {
        claimBoundFirst = c.api.get('PersistentVolumeClaim', 'default', 'cache')!.status?.phase === 'Bound';
      }
    });
    advance(c, 3000);
    const pvc = c.api.get('PersistentVolumeClaim', 'default', 'cache')!;
    expect(pvc.metadata.annotations?.[ANN_SELECTED_NODE]).toBe('node-2');
    expect(pvc.status.phase).toBe('Bound');
    expect(c.api.get('Pod', 'default', 'p')!.spec.nodeName).toBe('node-2');
    expect(claimBoundFirst).toBe(true);
  });
});
