// Nodes joining and leaving at runtime (src/engine/nodes.ts), the TaintNodesByCondition admission
// plugin (src/admission/nodetaint.ts) and the kubelet's takeover of an existing Node.

import { describe, expect, it } from 'vitest';
import { advance, condition, newCluster, pod } from '../../test/helpers/cluster.js';
import { kubeletFor } from '../kubelet/registry.js';
import { kubeProxyOf } from '../network/proxy/kubeproxy.js';
import { nodeConfigOf } from './nodes.js';

const NOT_READY = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

describe('a Node created while the cluster runs', () => {
  it('gets the not-ready taint at admission, a kubelet that posts Ready, a kube-proxy, and pods once the taint is gone', () => {
    const c = newCluster({ nodes: 2 });
    const original = c.config.nodes.length;
    // the bootstrap nodes are the steady state kubeadm leaves: no not-ready taint
    expect(c.api.get('Node', undefined, 'node-1')!.spec.taints).toBeUndefined();
    advance(c, 1_000);
    const created = c.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-3', labels: { pool: 'new' } }, status: { capacity: { cpu: '2', memory: '2Gi' } } });
    expect(created.spec.taints).toEqual([NOT_READY]);
    c.api.create({ ...pod('pinned'), spec: { ...pod('pinned').spec, nodeSelector: { pool: 'new' } } });
    advance(c, 100);
    const node = c.api.get('Node', undefined, 'node-3')!;
    expect(kubeletFor(c.api, 'node-3')).toBeDefined();
    expect(kubeProxyOf(c, 'node-3')).toBeDefined();
    expect(condition(node, 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(node.metadata.labels).toMatchObject({ pool: 'new', 'kubernetes.io/hostname': 'node-3', 'kubernetes.io/os': 'linux' });
    // capacity from the manifest, the rest from the defaults; the next index's address and pod CIDR
    expect(node.status.capacity).toEqual({ cpu: '2', memory: '2Gi', pods: '110' });
    expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '172.18.0.4' });
    expect(node.spec.podCIDR).toBe('10.244.2.0/24');
    // not scheduled while the taint is there
    expect(c.api.get('Pod', 'default', 'pinned')!.spec.nodeName).toBeUndefined();
    // the node lifecycle controller's next 5 s monitor pass removes the taint; the pod lands and runs
    advance(c, 5_000);
    expect(c.api.get('Node', undefined, 'node-3')!.spec.taints ?? []).not.toContainEqual(NOT_READY);
    advance(c, 1_000);
    const p = c.api.get('Pod', 'default', 'pinned')!;
    expect(p.spec.nodeName).toBe('node-3');
    expect(p.status.phase).toBe('Running');
    expect(p.status.podIP).toMatch(/^10\.244\.2\./);
    expect(c.config.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(original).toBe(2);
  });

  it('a deleted Node stops its kubelet and kube-proxy; its pods wait for PodGC', () => {
    const c = newCluster({ nodes: 2 });
    c.api.create(pod('on-1', { nodeName: 'node-1' }));
    advance(c, 1_000);
    expect(c.api.get('Pod', 'default', 'on-1')!.status.phase).toBe('Running');
    c.api.delete('Node', undefined, 'node-1');
    advance(c, 100);
    expect(kubeletFor(c.api, 'node-1')).toBeUndefined();
    expect(kubeProxyOf(c, 'node-1')).toBeUndefined();
    expect(c.config.nodes.map((n) => n.name)).toEqual(['node-2']);
    // nobody reports for the pod: it stays as it was until PodGC force-deletes it
    advance(c, 30_000);
    expect(c.api.get('Pod', 'default', 'on-1')!.status.phase).toBe('Running');
    advance(c, 40_000);
    expect(c.api.get('Pod', 'default', 'on-1')).toBeUndefined();
  });

  it('a Node deleted and created again under the same name gets a new kubelet', () => {
    const c = newCluster({ nodes: 1 });
    c.api.delete('Node', undefined, 'node-1');
    advance(c, 100);
    c.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
    advance(c, 100);
    const k = kubeletFor(c.api, 'node-1');
    expect(k?.index).toBe(1);
    expect(condition(c.api.get('Node', undefined, 'node-1'), 'Ready')).toMatchObject({ status: 'True' });
  });

  it('nodeConfigOf reads labels, capacity and unschedulable from the manifest', () => {
    expect(nodeConfigOf({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { a: 'b' } }, spec: { unschedulable: true }, status: { capacity: { memory: '1Gi', cpu: 8 } } })).toEqual({
      name: 'n',
      labels: { a: 'b' },
      capacity: { cpu: '8', memory: '1Gi', pods: '110' },
      taints: [],
      unschedulable: true,
    });
  });
});
