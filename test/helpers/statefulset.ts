// A StatefulSet fixture as upstream's stateful_set_utils_test.go newStatefulSet builds it:
// set "foo", selector foo=bar, a hostPath volume "home" and a claim template "datadir".

import type { KubeObject } from '../../src/api/types.js';

export function newStatefulSet(replicas: number, extra: any = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'foo', namespace: 'default', uid: 'set-uid', generation: 1 },
    spec: {
      replicas,
      serviceName: 'governingsvc',
      selector: { matchLabels: { foo: 'bar' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template: { metadata: { labels: { foo: 'bar' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }], volumes: [{ name: 'home', hostPath: { path: '/tmp/home' } }] } },
      volumeClaimTemplates: [{ metadata: { name: 'datadir' }, spec: { resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
  };
}

