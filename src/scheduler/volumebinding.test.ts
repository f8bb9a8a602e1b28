// VolumeBinding in the scheduler (volume_binding.go PreFilter/Filter/PreBind; reference
// pod-lifecycle.md §8.2, §8.5 and network-storage.md on volumeBindingMode).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { advance, condition, newCluster, pod } from '../../test/helpers/cluster.js';
import { ANN_SELECTED_NODE, ERR_BIND_CONFLICT, findPodVolumes, volumeBindingFilter, volumeBindingPreFilter } from './volumebinding.js';

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

// binder_test.go TestFindPodVolumesWithoutProvisioning / TestFindPodVolumesWithProvisioning: the
// same cases, on the outcome FindPodVolumes gives for one node (static bindings, claims to
// provision, or ErrReasonBindConflict). Volumes carry node affinity to node1 (or node2).
describe('FindPodVolumes (binder_test.go)', () => {
  const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { nodeKey: name } } });
  const affinity = (n: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'nodeKey', operator: 'In', values: [n] }] }] } });
  const pv = (name: string, size: string, onNode: string, extra: any = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'wait', nodeAffinity: affinity(onNode), local: { path: '/mnt' }, ...extra },
    status: { phase: 'Available' },
  });
  const pvc = (name: string, size: string, cls = 'wait', extra: any = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...extra.metadata },
    spec: { storageClassName: cls, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...extra.spec },
  });
  const classes: KubeObject[] = [
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'wait' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' } as KubeObject,
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'provision' }, provisioner: 'test-provisioner', volumeBindingMode: 'WaitForFirstConsumer' } as KubeObject,
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'topo' }, provisioner: 'test-provisioner', volumeBindingMode: 'WaitForFirstConsumer', allowedTopologies: [{ matchLabelExpressions: [{ key: 'nodeKey', values: ['node2'] }] }] } as KubeObject,
  ];
  const cases: { name: string; pvs: KubeObject[]; pvcs: KubeObject[]; node?: string; want: { bindings?: Record<string, string>; provisions?: string[] } | 'conflict' }[] = [
    { name: 'unbound-pvc,pv-same-node', pvs: [pv('pv-node1a', '5Gi', 'node1'), pv('pv-node2a', '5Gi', 'node2')], pvcs: [pvc('unbound', '1Gi')], want: { bindings: { unbound: 'pv-node1a' }, provisions: [] } },
    { name: 'unbound-pvc,pv-different-node', pvs: [pv('pv-node2a', '5Gi', 'node2')], pvcs: [pvc('unbound', '1Gi')], want: 'conflict' },
    { name: 'two-unbound-pvcs', pvs: [pv('pv-node1a', '5Gi', 'node1'), pv('pv-node1b', '10Gi', 'node1')], pvcs: [pvc('unbound', '1Gi'), pvc('unbound2', '8Gi')], want: { bindings: { unbound: 'pv-node1a', unbound2: 'pv-node1b' }, provisions: [] } },
    { name: 'two-unbound-pvcs,order-by-size', pvs: [pv('pv-node1a', '5Gi', 'node1'), pv('pv-node1b', '10Gi', 'node1')], pvcs: [pvc('unbound2', '8Gi'), pvc('unbound', '1Gi')], want: { bindings: { unbound2: 'pv-node1b', unbound: 'pv-node1a' }, provisions: [] } },
    { name: 'two-unbound-pvcs,partial-match', pvs: [pv('pv-node1a', '5Gi', 'node1')], pvcs: [pvc('unbound', '1Gi'), pvc('unbound2', '8Gi')], want: 'conflict' },
    { name: 'one-prebound,one-unbound', pvs: [pv('pv-node1a', '5Gi', 'node1'), pv('pv-node1b', '10Gi', 'node1', { claimRef: { namespace: 'default', name: 'prebound' } })], pvcs: [pvc('unbound', '1Gi'), pvc('prebound', '1Gi')], want: { bindings: { unbound: 'pv-node1a', prebound: 'pv-node1b' }, provisions: [] } },
    { name: 'prebound-pv,wrong-node', pvs: [pv('pv-node2a', '5Gi', 'node2', { claimRef: { namespace: 'default', name: 'prebound' } }), pv('pv-node1a', '5Gi', 'node1')], pvcs: [pvc('prebound', '1Gi')], want: 'conflict' },
    { name: 'pv-bound-to-other-claim', pvs: [pv('pv-node1a', '5Gi', 'node1', { claimRef: { namespace: 'default', name: 'other' } })], pvcs: [pvc('unbound', '1Gi')], want: 'conflict' },
    { name: 'access-mode-not-offered', pvs: [pv('pv-node1a', '5Gi', 'node1')], pvcs: [pvc('rwx', '1Gi', 'wait', { spec: { accessModes: ['ReadWriteMany'] } })], want: 'conflict' },
    { name: 'provisioned-pvc', pvs: [], pvcs: [pvc('provision', '1Gi', 'provision')], want: { bindings: {}, provisions: ['provision'] } },
    { name: 'provisioned-pvc,pv-preferred', pvs: [pv('pv-prov', '5Gi', 'node1', { storageClassName: 'provision' })], pvcs: [pvc('provision', '1Gi', 'provision')], want: { bindings: { provision: 'pv-prov' }, provisions: [] } },
    { name: 'unbound-pvc,static-and-provisioned', pvs: [pv('pv-node1a', '5Gi', 'node1')], pvcs: [pvc('unbound', '1Gi'), pvc('provision', '1Gi', 'provision')], want: { bindings: { unbound: 'pv-node1a' }, provisions: ['provision'] } },
    { name: 'provisioned-pvc,topology-mismatch', pvs: [], pvcs: [pvc('topo', '1Gi', 'topo')], want: 'conflict' },
    { name: 'provisioned-pvc,topology-match', pvs: [], pvcs: [pvc('topo', '1Gi', 'topo')], node: 'node2', want: { bindings: {}, provisions: ['topo'] } },
    { name: 'selected-node,other-node', pvs: [], pvcs: [pvc('sel', '1Gi', 'provision', { metadata: { annotations: { [ANN_SELECTED_NODE]: 'node2' } } })], want: 'conflict' },
    { name: 'selected-node,this-node', pvs: [], pvcs: [pvc('sel', '1Gi', 'provision', { metadata: { annotations: { [ANN_SELECTED_NODE]: 'node1' } } })], want: { bindings: {}, provisions: ['sel'] } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const c = newCluster({ nodes: 1 });
      for (const o of [...classes, ...tc.pvs]) c.api.create(structuredClone(o));
      // the PV index reads stored objects; status is written through its subresource
      for (const p of tc.pvs) c.api.mutate('PersistentVolume', undefined, p.metadata.name!, (d) => void (d.status = { phase: 'Available' }), 'status');
      for (const p of tc.pvcs) c.api.create(structuredClone(p));
      const user = pod('x');
      user.spec.volumes = tc.pvcs.map((p) => ({ name: p.metadata.name, persistentVolumeClaim: { claimName: p.metadata.name } }));
      const claims = volumeBindingPreFilter(c.api, user);
      if ('message' in claims) throw new Error(claims.message);
      expect(claims.delayed.map((p) => p.metadata.name)).toEqual(tc.pvcs.map((p) => p.metadata.name));
      const n = node(tc.node ?? 'node1');
      const got = findPodVolumes(c.api, claims, n);
      if (tc.want === 'conflict') {
        expect(got).toEqual({ reason: ERR_BIND_CONFLICT });
        expect(volumeBindingFilter(c.api, claims, n)).toBe(ERR_BIND_CONFLICT);
        return;
      }
      if ('reason' in got) throw new Error(got.reason);
      expect(Object.fromEntries(got.staticBindings.map((b) => [b.pvc.metadata.name, b.pv.metadata.name]))).toEqual(tc.want.bindings);
      expect(got.dynamicProvisions.map((p) => p.metadata.name)).toEqual(tc.want.provisions);
      expect(volumeBindingFilter(c.api, claims, n)).toBeUndefined();
    });
  }

  it('PreBind writes claimRef and bound-by-controller on the chosen PV; the PV controller completes the claim', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(structuredClone(classes[0]));
    c.api.create({ ...pv('local-2', '5Gi', 'node-2'), spec: { ...pv('local-2', '5Gi', 'node-2').spec, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-2'] }] }] } } } });
    c.api.create(claim('data', 'wait'));
    advance(c, 1000);
    c.api.create(withClaim('p', 'data'));
    advance(c, 3000);
    const v = c.api.get('PersistentVolume', undefined, 'local-2')!;
    expect(v.spec.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data' });
    expect(v.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    const bound = c.api.get('PersistentVolumeClaim', 'default', 'data')!;
    expect(bound.spec.volumeName).toBe('local-2');
    expect(bound.metadata.annotations?.['pv.kubernetes.io/bind-completed']).toBe('yes');
    expect(bound.metadata.annotations?.[ANN_SELECTED_NODE]).toBeUndefined();
    expect(c.api.get('Pod', 'default', 'p')!.spec.nodeName).toBe('node-2');
  });
});
