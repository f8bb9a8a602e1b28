import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { newCluster } from '../../test/helpers/cluster.js';
import { forbiddenMessage, userInfo } from './authorizer.js';
import { authorizeRequest } from './chain.js';
import { authorizeNode, nodeIdentity, podSecretNames } from './node_authorizer.js';
import type { RequestAttributes } from './rules.js';

// plugin/pkg/auth/authorizer/node/node_authorizer_test.go TestNodeAuthorizer, on a smaller graph
// built the same way (generate(): per node and namespace, pods with a unique configmap, a unique
// and a shared secret, a unique claim bound to a PV, a service account).
function populate() {
  const c = newCluster({ nodes: 1 });
  const api = c.api;
  for (const ns of ['ns0']) {
    if (!api.get('Namespace', undefined, ns)) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const node of ['node0', 'node1']) {
      const pod = `pod0-${node}`;
      const pvName = `pv0-${pod}-${ns}`;
      api.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: pvName }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/x' } } } as KubeObject);
      api.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `pvc0-${pod}`, namespace: ns }, spec: { volumeName: pvName, storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as KubeObject);
      api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `svcacct0-${node}`, namespace: ns } } as KubeObject);
      api.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod, namespace: ns },
        spec: {
          nodeName: node,
          serviceAccountName: `svcacct0-${node}`,
          automountServiceAccountToken: false,
          containers: [{ name: 'c', image: 'busybox', env: [{ name: 'S', valueFrom: { secretKeyRef: { name: `secret0-${pod}`, key: 'k' } } }] }],
          volumes: [
            { name: 'cm', configMap: { name: `configmap0-${pod}` } },
            { name: 'shared', secret: { secretName: 'secret0-shared' } },
            { name: 'data', persistentVolumeClaim: { claimName: `pvc0-${pod}` } },
          ],
        },
      } as KubeObject);
    }
  }
  return c;
}

const node0 = userInfo('system:node:node0', ['system:nodes']);
const nodeunregistered = userInfo('system:node:nodeunregistered', ['system:nodes']);
const r = (verb: string, resource: string, name: string, namespace: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({
  verb,
  resourceRequest: true,
  apiGroup: '',
  resource,
  name,
  namespace: namespace || undefined,
  ...extra,
});

describe('Node authorizer (node_authorizer_test.go TestNodeAuthorizer)', () => {
  const c = populate();
  const cases: { name: string; user?: ReturnType<typeof userInfo>; attrs: RequestAttributes; allow: boolean }[] = [
    { name: 'allowed configmap', attrs: r('get', 'configmaps', 'configmap0-pod0-node0', 'ns0'), allow: true },
    { name: 'allowed secret via pod', attrs: r('get', 'secrets', 'secret0-pod0-node0', 'ns0'), allow: true },
    { name: 'list allowed secret via pod', attrs: r('list', 'secrets', 'secret0-pod0-node0', 'ns0'), allow: true },
    { name: 'watch allowed secret via pod', attrs: r('watch', 'secrets', 'secret0-pod0-node0', 'ns0'), allow: true },
    { name: 'disallowed list many secrets', attrs: r('list', 'secrets', '', 'ns0'), allow: false },
    { name: 'disallowed watch many secrets', attrs: r('watch', 'secrets', '', 'ns0'), allow: false },
    { name: 'disallowed list secrets from all namespaces with name', attrs: r('list', 'secrets', 'secret0-pod0-node0', ''), allow: false },
    { name: 'allowed shared secret via pod', attrs: r('get', 'secrets', 'secret0-shared', 'ns0'), allow: true },
    { name: 'allowed pvc', attrs: r('get', 'persistentvolumeclaims', 'pvc0-pod0-node0', 'ns0'), allow: true },
    { name: 'allowed pv', attrs: r('get', 'persistentvolumes', 'pv0-pod0-node0-ns0', ''), allow: true },
    { name: 'disallowed configmap', attrs: r('get', 'configmaps', 'configmap0-pod0-node1', 'ns0'), allow: false },
    { name: 'disallowed secret via pod', attrs: r('get', 'secrets', 'secret0-pod0-node1', 'ns0'), allow: false },
    { name: 'disallowed pvc', attrs: r('get', 'persistentvolumeclaims', 'pvc0-pod0-node1', 'ns0'), allow: false },
    { name: 'disallowed pv', attrs: r('get', 'persistentvolumes', 'pv0-pod0-node1-ns0', ''), allow: false },
    { name: 'allowed svcacct token create', attrs: r('create', 'serviceaccounts', 'svcacct0-node0', 'ns0', { subresource: 'token' }), allow: true },
    { name: 'disallowed svcacct token create - serviceaccount not attached to node', attrs: r('create', 'serviceaccounts', 'svcacct0-node1', 'ns0', { subresource: 'token' }), allow: false },
    { name: 'disallowed svcacct token create - no subresource', attrs: r('create', 'serviceaccounts', 'svcacct0-node0', 'ns0'), allow: false },
    { name: 'disallowed svcacct token create - non create', attrs: r('update', 'serviceaccounts', 'svcacct0-node0', 'ns0', { subresource: 'token' }), allow: false },
    { name: 'disallowed get lease in namespace other than kube-node-lease', attrs: r('get', 'leases', 'node0', 'foo', { apiGroup: 'coordination.k8s.io' }), allow: false },
    { name: "disallowed get another node's lease", attrs: r('get', 'leases', 'node1', 'kube-node-lease', { apiGroup: 'coordination.k8s.io' }), allow: false },
    { name: 'disallowed list node leases', attrs: r('list', 'leases', '', 'kube-node-lease', { apiGroup: 'coordination.k8s.io' }), allow: false },
    { name: 'allowed get node lease', attrs: r('get', 'leases', 'node0', 'kube-node-lease', { apiGroup: 'coordination.k8s.io' }), allow: true },
    { name: 'allowed create node lease', attrs: r('create', 'leases', 'node0', 'kube-node-lease', { apiGroup: 'coordination.k8s.io' }), allow: true },
    { name: 'allowed get own node', attrs: r('get', 'nodes', 'node0', ''), allow: true },
    { name: 'disallowed get other node (selectors on)', attrs: r('get', 'nodes', 'node1', ''), allow: false },
    { name: 'allowed get pod on node', attrs: r('get', 'pods', 'pod0-node0', 'ns0'), allow: true },
    { name: 'disallowed get pod on other node', attrs: r('get', 'pods', 'pod0-node1', 'ns0'), allow: false },
    { name: 'disallowed list pods without field selector', attrs: r('list', 'pods', '', 'ns0'), allow: false },
    { name: 'allowed create event (node rules)', attrs: r('create', 'events', '', 'ns0'), allow: true },
    { name: 'disallowed delete services (not in node rules)', attrs: r('delete', 'services', 'x', 'ns0'), allow: false },
    { name: 'disallowed unregistered node', user: nodeunregistered, attrs: r('get', 'secrets', 'secret0-pod0-node0', 'ns0'), allow: false },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(authorizeNode(c.api, tc.user ?? node0, tc.attrs, '1.34').allowed).toBe(tc.allow);
    });
  }

  it('reasons and the forbidden message of a denied kubelet', () => {
    const a = r('get', 'secrets', 'secret0-pod0-node1', 'ns0');
    const d = authorizeRequest(c.api, node0, a);
    expect(d.allowed).toBe(false);
    expect(forbiddenMessage(node0, a, d.reason)).toBe(
      `secrets "secret0-pod0-node1" is forbidden: User "system:node:node0" cannot get resource "secrets" in API group "" in the namespace "ns0": no relationship found between node 'node0' and this object`,
    );
    expect(authorizeNode(c.api, node0, r('list', 'secrets', '', 'ns0')).reason).toBe('No Object name found');
    expect(authorizeNode(c.api, userInfo('system:node:', ['system:nodes']), a).reason).toBe('unknown node for user "system:node:"');
  });

  it('before 1.32 (no AuthorizeNodeWithSelectors) pods and nodes fall to the static rules', () => {
    expect(authorizeNode(c.api, node0, r('list', 'pods', '', 'ns0'), '1.31').allowed).toBe(true);
    expect(authorizeNode(c.api, node0, r('get', 'nodes', 'node1', ''), '1.31').allowed).toBe(true);
  });

  it('identifies nodes only by the name prefix and the system:nodes group', () => {
    expect(nodeIdentity(node0)).toBe('node0');
    expect(nodeIdentity(userInfo('system:node:node0'))).toBeUndefined();
    expect(nodeIdentity(userInfo('jane', ['system:nodes']))).toBeUndefined();
  });

  it('a pod leaves the graph when it is deleted', () => {
    const c2 = populate();
    const a = r('get', 'secrets', 'secret0-pod0-node0', 'ns0');
    expect(authorizeNode(c2.api, node0, a).allowed).toBe(true);
    c2.api.store.remove(c2.api.get('Pod', 'ns0', 'pod0-node0')!);
    expect(authorizeNode(c2.api, node0, a).allowed).toBe(false);
  });

  it('VisitPodSecretNames covers imagePullSecrets, env, envFrom, secret and projected volumes', () => {
    const pod = {
      metadata: { name: 'p' },
      spec: {
        imagePullSecrets: [{ name: 'pull' }],
        initContainers: [{ envFrom: [{ secretRef: { name: 'init-from' } }] }],
        containers: [{ env: [{ valueFrom: { secretKeyRef: { name: 'env' } } }] }],
        volumes: [{ secret: { secretName: 'vol' } }, { projected: { sources: [{ secret: { name: 'proj' } }] } }, { csi: { nodePublishSecretRef: { name: 'csi' } } }],
      },
    } as unknown as KubeObject;
    expect([...podSecretNames(pod)].sort()).toEqual(['csi', 'env', 'init-from', 'proj', 'pull', 'vol']);
  });
});
