import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KubeObject } from '../api/types.js';
import { newCluster, pod } from '../../test/helpers/cluster.js';
import { userInfo } from '../rbac/authorizer.js';
import { admitNodeRestriction, forbiddenLabels, isKubeletLabel, MIRROR_POD_ANNOTATION, type AdmissionAttributes } from './noderestriction.js';

// Translated from plugin/pkg/admission/noderestriction/admission_test.go Test_nodePlugin_Admit:
// the same objects (mypod/otherpod/unboundpod, their mirror variants, mynode/othernode) and
// operations, with the messages of the current admission.go (older test versions match
// substrings of earlier wordings such as "cannot modify taints").

const mynode = userInfo('system:node:mynode', ['system:nodes']);
const bob = userInfo('bob');

function setup() {
  const c = newCluster({ nodes: [{ name: 'mynode' }, { name: 'othernode' }] });
  const node = c.api.get('Node', undefined, 'mynode')!;
  const mirror = (name: string, nodeName?: string): KubeObject => {
    const p = pod(name, { ...(nodeName ? { nodeName } : {}), annotations: { [MIRROR_POD_ANNOTATION]: 'true' } });
    p.metadata.namespace = 'ns';
    if (nodeName) p.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: c.api.get('Node', undefined, nodeName)!.metadata.uid!, controller: true }];
    return p;
  };
  const normal = (name: string, nodeName?: string): KubeObject => {
    const p = pod(name, nodeName ? { nodeName } : {});
    p.metadata.namespace = 'ns';
    return p;
  };
  c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } } as KubeObject);
  const objs = {
    mypod: normal('mypod', 'mynode'),
    otherpod: normal('otherpod', 'othernode'),
    unboundpod: normal('unboundpod'),
    mymirrorpod: mirror('mymirrorpod', 'mynode'),
    othermirrorpod: mirror('othermirrorpod', 'othernode'),
    unboundmirrorpod: mirror('unboundmirrorpod'),
  };
  for (const o of Object.values(objs)) {
    const stored = structuredClone(o);
    delete stored.spec!.serviceAccountName;
    c.api.store.put({ ...stored, metadata: { ...stored.metadata, uid: `uid-${o.metadata.name}`, resourceVersion: '1' } });
  }
  return { c, node, objs };
}

const podAttrs = (op: AdmissionAttributes['operation'], p: KubeObject, subresource = '', withObject = op !== 'DELETE'): AdmissionAttributes => ({
  operation: op,
  apiGroup: '',
  resource: 'pods',
  ...(subresource ? { subresource } : {}),
  namespace: 'ns',
  name: p.metadata.name!,
  ...(withObject ? { object: p } : {}),
  ...(op === 'UPDATE' ? { oldObject: p } : {}),
});

describe('NodeRestriction on pods (Test_nodePlugin_Admit)', () => {
  const { c, objs } = setup();
  const eviction = (name: string) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'ns' } }) as KubeObject;
  const cases: [string, AdmissionAttributes, string][] = [
    // mirror pods bound to us
    ['allow creating a mirror pod bound to self', podAttrs('CREATE', objs.mymirrorpod), ''],
    ['forbid update of mirror pod bound to self', podAttrs('UPDATE', objs.mymirrorpod), 'pods "mymirrorpod" is forbidden: unexpected operation "UPDATE", node "mynode" can only create and delete mirror pods'],
    ['allow delete of mirror pod bound to self', podAttrs('DELETE', objs.mymirrorpod), ''],
    ['forbid create of mirror pod status bound to self', podAttrs('CREATE', objs.mymirrorpod, 'status'), 'pods "mymirrorpod" is forbidden: unexpected operation "CREATE"'],
    ['allow update of mirror pod status bound to self', podAttrs('UPDATE', objs.mymirrorpod, 'status'), ''],
    ['forbid delete of mirror pod status bound to self', podAttrs('DELETE', objs.mymirrorpod, 'status'), 'pods "Unknown" is forbidden: unexpected operation "DELETE"'],
    ['allow create of eviction for mirror pod bound to self', { ...podAttrs('CREATE', objs.mymirrorpod, 'eviction'), object: eviction('mymirrorpod') }, ''],
    ['forbid update of eviction for mirror pod bound to self', { ...podAttrs('UPDATE', objs.mymirrorpod, 'eviction'), object: eviction('mymirrorpod') }, 'pods "mymirrorpod" is forbidden: unexpected operation UPDATE'],
    // mirror pods bound to another node
    ['forbid creating a mirror pod bound to another', podAttrs('CREATE', objs.othermirrorpod), 'pods "othermirrorpod" is forbidden: node "mynode" can only create pods with spec.nodeName set to itself'],
    ['forbid delete of mirror pod bound to another', podAttrs('DELETE', objs.othermirrorpod), 'pods "Unknown" is forbidden: node "mynode" can only delete pods with spec.nodeName set to itself'],
    ['forbid update of mirror pod status bound to another', podAttrs('UPDATE', objs.othermirrorpod, 'status'), 'pods "othermirrorpod" is forbidden: node "mynode" can only update pod status for pods with spec.nodeName set to itself'],
    ['forbid create of eviction for mirror pod bound to another', { ...podAttrs('CREATE', objs.othermirrorpod, 'eviction'), object: eviction('othermirrorpod') }, 'pods "othermirrorpod" is forbidden: node mynode can only evict pods with spec.nodeName set to itself'],
    // mirror pods not bound to any node
    ['forbid creating a mirror pod unbound', podAttrs('CREATE', objs.unboundmirrorpod), 'pods "unboundmirrorpod" is forbidden: node "mynode" can only create pods with spec.nodeName set to itself'],
    ['forbid delete of mirror pod unbound', podAttrs('DELETE', objs.unboundmirrorpod), 'pods "Unknown" is forbidden: node "mynode" can only delete pods with spec.nodeName set to itself'],
    // normal pods
    ['forbid creating a normal pod bound to self', podAttrs('CREATE', objs.mypod), 'pods "mypod" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "mynode" can only create mirror pods'],
    ['forbid update of normal pod bound to self', podAttrs('UPDATE', objs.mypod), 'pods "mypod" is forbidden: unexpected operation "UPDATE", node "mynode" can only create and delete mirror pods'],
    ['allow delete of normal pod bound to self', podAttrs('DELETE', objs.mypod), ''],
    ['allow update of normal pod status bound to self', podAttrs('UPDATE', objs.mypod, 'status'), ''],
    ['allow create of unnamed eviction for normal pod bound to self', { ...podAttrs('CREATE', objs.mypod, 'eviction'), object: eviction('') }, ''],
    ['forbid creating a normal pod bound to another', podAttrs('CREATE', objs.otherpod), 'pods "otherpod" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "mynode" can only create mirror pods'],
    ['forbid delete of normal pod bound to another', podAttrs('DELETE', objs.otherpod), 'pods "Unknown" is forbidden: node "mynode" can only delete pods with spec.nodeName set to itself'],
    ['forbid create of unnamed eviction for normal pod bound to another', { ...podAttrs('CREATE', objs.otherpod, 'eviction'), object: eviction('') }, 'pods "Unknown" is forbidden: node mynode can only evict pods with spec.nodeName set to itself'],
    ['forbid creating a normal pod unbound', podAttrs('CREATE', objs.unboundpod), 'pods "unboundpod" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "mynode" can only create mirror pods'],
    ['forbid create of unnamed eviction for unnamed pod', { ...podAttrs('CREATE', objs.mypod, 'eviction'), name: '', object: eviction('') }, 'pods "Unknown" is forbidden: could not determine pod from request data'],
    ['forbid a pod subresource other than status and eviction', podAttrs('UPDATE', objs.mypod, 'binding'), 'pods "mypod" is forbidden: unexpected pod subresource "binding", only \'status\' and \'eviction\' are allowed'],
  ];
  for (const [name, a, err] of cases) {
    it(name, () => {
      const r = admitNodeRestriction(c.api, mynode, a);
      if (err === '') expect(r).toBeUndefined();
      else expect(r?.message).toBe(err);
    });
  }

  it('allow unrelated user creating, updating and deleting a normal pod unbound', () => {
    for (const op of ['CREATE', 'UPDATE', 'DELETE'] as const) expect(admitNodeRestriction(c.api, bob, podAttrs(op, objs.unboundpod))).toBeUndefined();
  });

  it('a node user without a name is forbidden outright', () => {
    expect(admitNodeRestriction(c.api, userInfo('system:node:', ['system:nodes']), podAttrs('DELETE', objs.mypod))?.message).toBe('pods "Unknown" is forbidden: could not determine node from user "system:node:"');
  });

  it('deleting a pod that does not exist is a NotFound', () => {
    expect(admitNodeRestriction(c.api, mynode, { ...podAttrs('DELETE', objs.mypod), name: 'gone' })).toMatchObject({ code: 404, message: 'pods "gone" not found' });
  });
});

describe('NodeRestriction on mirror pods referencing other objects (Resource pods)', () => {
  const { c, objs } = setup();
  const variant = (f: (p: KubeObject) => void) => {
    const p = structuredClone(objs.mymirrorpod);
    f(p);
    return podAttrs('CREATE', p);
  };
  const cases: [string, AdmissionAttributes, string][] = [
    ['forbid create of pod referencing service account', variant((p) => (p.spec!.serviceAccountName = 'foo')), 'can not create pods that reference a service account'],
    ['forbid create of pod referencing secret', variant((p) => (p.spec!.volumes = [{ name: 'foo', secret: { secretName: 'foo' } }])), 'can not create pods that reference secrets'],
    ['forbid create of pod referencing configmap', variant((p) => (p.spec!.volumes = [{ name: 'foo', configMap: { name: 'foo' } }])), 'can not create pods that reference configmaps'],
    ['forbid create of pod referencing persistentvolumeclaim', variant((p) => (p.spec!.volumes = [{ name: 'foo', persistentVolumeClaim: { claimName: 'foo' } }])), 'can not create pods that reference persistentvolumeclaims'],
    ['forbid create of mirror pod without an owner reference', variant((p) => delete p.metadata.ownerReferences), 'can only create pods with an owner reference set to itself'],
    ['forbid create of mirror pod with a non-controller owner', variant((p) => (p.metadata.ownerReferences![0].controller = false)), 'can only create pods with a controller owner reference set to itself'],
    ['forbid create of mirror pod with blockOwnerDeletion', variant((p) => (p.metadata.ownerReferences![0].blockOwnerDeletion = true)), 'must not set blockOwnerDeletion on an owner reference'],
    ['forbid create of mirror pod with the wrong node uid', variant((p) => (p.metadata.ownerReferences![0].uid = 'nope')), 'node mynode UID mismatch: expected nope got '],
  ];
  for (const [name, a, err] of cases) {
    it(name, () => expect(admitNodeRestriction(c.api, mynode, a)?.message).toContain(err));
  }
});

describe('NodeRestriction on Node objects (Test_nodePlugin_Admit "My node object")', () => {
  const { c } = setup();
  const node = (name: string, o: { labels?: Record<string, string>; taints?: unknown[]; configSource?: unknown } = {}): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Node', metadata: { name, ...(o.labels ? { labels: o.labels } : {}) }, spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.configSource ? { configSource: o.configSource } : {}) } }) as KubeObject;
  const attrs = (op: AdmissionAttributes['operation'], obj: KubeObject | undefined, old?: KubeObject, name = obj?.metadata.name ?? 'mynode', subresource = ''): AdmissionAttributes => ({
    operation: op,
    apiGroup: '',
    resource: 'nodes',
    ...(subresource ? { subresource } : {}),
    name: op === 'CREATE' ? '' : name,
    ...(obj ? { object: obj } : {}),
    ...(old ? { oldObject: old } : {}),
  });
  const allowed = { 'kubernetes.io/hostname': 'x', 'topology.kubernetes.io/zone': 'z', 'kubelet.kubernetes.io/foo': 'a', 'foo.kubelet.kubernetes.io/foo': 'a', 'node.kubernetes.io/foo': 'a', 'foo.node.kubernetes.io/foo': 'a', 'example.com/foo': 'a', foo: 'a' };
  const forbidden = { 'node-restriction.kubernetes.io/foo': 'a', 'foo.node-restriction.kubernetes.io/foo': 'a', 'other.kubernetes.io/foo': 'a', 'other.k8s.io/foo': 'a' };
  const taintA = [{ key: 'mykey', value: 'A', effect: 'NoSchedule' }];
  const taintB = [{ key: 'mykey', value: 'B', effect: 'NoSchedule' }];
  const configA = { configMap: { name: 'foo', namespace: 'bar', kubeletConfigKey: 'kubelet' } };
  const configB = { configMap: { name: 'qux', namespace: 'bar', kubeletConfigKey: 'kubelet' } };
  const cases: [string, AdmissionAttributes, string][] = [
    ['allow create of my node', attrs('CREATE', node('mynode')), ''],
    ['allow create of my node with taints', attrs('CREATE', node('mynode', { taints: taintA })), ''],
    ['allow create of my node with labels', attrs('CREATE', node('mynode', { labels: allowed })), ''],
    ['forbid create of my node with forbidden labels', attrs('CREATE', node('mynode', { labels: { ...allowed, ...forbidden } })), 'nodes "mynode" is forbidden: node "mynode" is not allowed to set the following labels: foo.node-restriction.kubernetes.io/foo, node-restriction.kubernetes.io/foo, other.k8s.io/foo, other.kubernetes.io/foo'],
    ['allow update of my node', attrs('UPDATE', node('mynode'), node('mynode')), ''],
    ['allow delete of my node', attrs('DELETE', undefined, undefined, 'mynode'), ''],
    ['allow update of my node status', attrs('UPDATE', node('mynode'), node('mynode'), 'mynode', 'status'), ''],
    ['forbid create of my node with non-nil configSource', attrs('CREATE', node('mynode', { configSource: configA })), 'nodes "mynode" is forbidden: node "mynode" is not allowed to create pods with a non-nil configSource'],
    ['forbid update of my node: nil configSource to new non-nil configSource', attrs('UPDATE', node('mynode', { configSource: configA }), node('mynode')), 'nodes "mynode" is forbidden: node "mynode" is not allowed to update configSource to a new non-nil configSource'],
    ['forbid update of my node: non-nil configSource to new non-nil configSource', attrs('UPDATE', node('mynode', { configSource: configB }), node('mynode', { configSource: configA })), 'nodes "mynode" is forbidden: node "mynode" is not allowed to update configSource to a new non-nil configSource'],
    ['allow update of my node: non-nil configSource unchanged', attrs('UPDATE', node('mynode', { configSource: configA }), node('mynode', { configSource: configA })), ''],
    ['allow update of my node: non-nil configSource to nil configSource', attrs('UPDATE', node('mynode'), node('mynode', { configSource: configA })), ''],
    ['allow update of my node: no change to taints', attrs('UPDATE', node('mynode', { taints: taintA }), node('mynode', { taints: taintA })), ''],
    ['allow update of my node: add allowed labels', attrs('UPDATE', node('mynode', { labels: allowed }), node('mynode')), ''],
    ['allow update of my node: remove allowed labels', attrs('UPDATE', node('mynode'), node('mynode', { labels: allowed })), ''],
    ['allow update of my node: add allowed labels while forbidden labels exist unmodified', attrs('UPDATE', node('mynode', { labels: { ...allowed, ...forbidden } }), node('mynode', { labels: forbidden })), ''],
    ['forbid update of my node: add taints', attrs('UPDATE', node('mynode', { taints: taintA }), node('mynode')), 'nodes "mynode" is forbidden: node "mynode" is not allowed to modify taints'],
    ['forbid update of my node: remove taints', attrs('UPDATE', node('mynode'), node('mynode', { taints: taintA })), 'nodes "mynode" is forbidden: node "mynode" is not allowed to modify taints'],
    ['forbid update of my node: change taints', attrs('UPDATE', node('mynode', { taints: taintA }), node('mynode', { taints: taintB })), 'nodes "mynode" is forbidden: node "mynode" is not allowed to modify taints'],
    ['forbid update of my node: add labels', attrs('UPDATE', node('mynode', { labels: forbidden }), node('mynode')), 'nodes "mynode" is forbidden: is not allowed to modify labels: foo.node-restriction.kubernetes.io/foo, node-restriction.kubernetes.io/foo, other.k8s.io/foo, other.kubernetes.io/foo'],
    ['forbid update of my node: remove labels', attrs('UPDATE', node('mynode'), node('mynode', { labels: forbidden })), 'nodes "mynode" is forbidden: is not allowed to modify labels: foo.node-restriction.kubernetes.io/foo, node-restriction.kubernetes.io/foo, other.k8s.io/foo, other.kubernetes.io/foo'],
    ['forbid create of other node', attrs('CREATE', node('othernode')), 'nodes "othernode" is forbidden: node "mynode" is not allowed to modify node "othernode"'],
    ['forbid update of other node', attrs('UPDATE', node('othernode'), node('othernode')), 'nodes "othernode" is forbidden: node "mynode" is not allowed to modify node "othernode"'],
    ['forbid delete of other node', attrs('DELETE', undefined, undefined, 'othernode'), 'nodes "Unknown" is forbidden: node "mynode" is not allowed to modify node "othernode"'],
    ['forbid update of other node status', attrs('UPDATE', node('othernode'), node('othernode'), 'othernode', 'status'), 'nodes "othernode" is forbidden: node "mynode" is not allowed to modify node "othernode"'],
  ];
  for (const [name, a, err] of cases) {
    it(name, () => {
      const r = admitNodeRestriction(c.api, mynode, a);
      if (err === '') expect(r).toBeUndefined();
      else expect(r?.message).toBe(err);
    });
  }

  it('allow create, update and delete of unrelated objects', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mycm', namespace: 'myns' } } as KubeObject;
    for (const op of ['CREATE', 'UPDATE', 'DELETE'] as const) {
      expect(admitNodeRestriction(c.api, mynode, { operation: op, apiGroup: '', resource: 'configmaps', namespace: 'myns', name: 'mycm', ...(op !== 'DELETE' ? { object: cm } : {}) })).toBeUndefined();
    }
  });

  it('leases only in kube-node-lease and named after the node', () => {
    const lease = (name: string, ns: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: ns } }) as KubeObject;
    const a = (name: string, ns: string, op: AdmissionAttributes['operation'] = 'CREATE'): AdmissionAttributes => ({ operation: op, apiGroup: 'coordination.k8s.io', resource: 'leases', namespace: ns, name: op === 'CREATE' ? '' : name, object: lease(name, ns) });
    expect(admitNodeRestriction(c.api, mynode, a('mynode', 'kube-node-lease'))).toBeUndefined();
    expect(admitNodeRestriction(c.api, mynode, a('mynode', 'default'))?.message).toBe('leases.coordination.k8s.io "mynode" is forbidden: can only access leases in the "kube-node-lease" system namespace');
    expect(admitNodeRestriction(c.api, mynode, a('othernode', 'kube-node-lease', 'UPDATE'))?.message).toBe('leases.coordination.k8s.io "othernode" is forbidden: can only access node lease with the same name as the requesting node');
  });
});

// k8s.io/kubelet/pkg/apis well_known_labels_test.go TestIsKubeletLabel, and getForbiddenLabels
describe('kubelet labels', () => {
  it('IsKubeletLabel', () => {
    for (const k of ['kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'node.kubernetes.io/instance-type', 'kubelet.kubernetes.io/foo', 'foo.kubelet.kubernetes.io/foo', 'node.kubernetes.io/foo', 'foo.node.kubernetes.io/foo']) expect(isKubeletLabel(k), k).toBe(true);
    for (const k of ['kubernetes.io/foo', 'foo.kubernetes.io/foo', 'node-role.kubernetes.io/worker', 'example.com/foo', 'foo']) expect(isKubeletLabel(k), k).toBe(false);
  });
  it('forbidden: node-restriction labels and unknown kubernetes.io/k8s.io labels, sorted', () => {
    expect(forbiddenLabels(['foo', 'node-role.kubernetes.io/worker', 'node-restriction.kubernetes.io/x', 'kubernetes.io/hostname', 'a.k8s.io/b'])).toEqual(['a.k8s.io/b', 'node-restriction.kubernetes.io/x', 'node-role.kubernetes.io/worker']);
  });
});

describe('getForbiddenLabels properties', () => {
  const dns = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
  it('a label is forbidden exactly when it is under node-restriction.kubernetes.io, or under kubernetes.io/k8s.io and not the kubelet\'s', () => {
    fc.assert(
      fc.property(fc.array(dns, { maxLength: 2 }), fc.constantFrom('kubernetes.io', 'k8s.io', 'node-restriction.kubernetes.io', 'kubelet.kubernetes.io', 'node.kubernetes.io', 'example.com'), dns, (sub, domain, name) => {
        const key = `${[...sub, domain].join('.')}/${name}`;
        const restricted = domain === 'node-restriction.kubernetes.io';
        const kube = domain !== 'example.com';
        const expected = restricted || (kube && !isKubeletLabel(key));
        expect(forbiddenLabels([key])).toEqual(expected ? [key] : []);
        if (domain === 'kubelet.kubernetes.io' || domain === 'node.kubernetes.io') expect(expected).toBe(false);
      }),
    );
  });
});
