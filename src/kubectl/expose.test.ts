// `kubectl expose` parsing and the Service it builds (staging/src/k8s.io/kubectl/pkg/cmd/expose/
// expose.go generateService; expose_test.go TestRunExposeService cases translated where they fit:
// "expose-service-from-service-no-selector-defined", "expose-from-rs-with-multiple-ports",
// "expose-deployment-with-match-expressions").
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { parseKubectl, KubectlParseError } from './parse.js';
import { serviceForExpose } from './expose.js';

const rc: KubeObject = {
  apiVersion: 'v1',
  kind: 'ReplicationController',
  metadata: { name: 'kubia', namespace: 'default', labels: { app: 'kubia' } },
  spec: { replicas: 3, selector: { app: 'kubia' }, template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080 }] }] } } },
};

describe('kubectl expose: parsing', () => {
  it('reads the seed command and the flags', () => {
    expect(parseKubectl('kubectl expose rc kubia --type=LoadBalancer --name kubia-http')).toMatchObject({
      verb: 'expose',
      target: { kind: 'ReplicationController', names: ['kubia'] },
      type: 'LoadBalancer',
      name: 'kubia-http',
    });
    expect(parseKubectl('expose deploy/web --port=80 --target-port=http --protocol=UDP --selector=a=b --labels=x=y,z=w --session-affinity=ClientIP --external-ip=1.2.3.4 -n team')).toMatchObject({
      target: { kind: 'Deployment', names: ['web'], namespace: 'team' },
      port: '80',
      targetPort: 'http',
      protocol: 'UDP',
      selector: { a: 'b' },
      labels: { x: 'y', z: 'w' },
      sessionAffinity: 'ClientIP',
      externalIP: '1.2.3.4',
    });
  });
  it('rejects what kubectl rejects', () => {
    expect(() => parseKubectl('expose configmap c --port=80')).toThrow('cannot expose a ConfigMap');
    expect(() => parseKubectl('expose rc kubia --session-affinity=Sticky')).toThrow('unknown session affinity: Sticky');
    expect(() => parseKubectl('expose rc kubia --port=http')).toThrow('strconv.Atoi: parsing "http": invalid syntax');
    expect(() => parseKubectl('expose rc kubia --labels=novalue')).toThrow('invalid label spec: novalue');
    expect(() => parseKubectl('expose rc a b')).toThrow(KubectlParseError);
    expect(() => parseKubectl('expose')).toThrow('You must provide one or more resources');
  });
});

describe('kubectl expose: the Service', () => {
  it("takes an RC's selector, labels, container port, and its name", () => {
    expect(serviceForExpose({ type: 'LoadBalancer', name: 'kubia-http' }, rc)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubia-http', namespace: 'default', labels: { app: 'kubia' } },
      spec: { ports: [{ protocol: 'TCP', port: 8080, targetPort: 8080 }], selector: { app: 'kubia' }, type: 'LoadBalancer' },
    });
  });
  it('names every port when there are several, keeps their protocols, and applies --target-port to all', () => {
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'foo', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'go' } }, template: { spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }] } } },
    };
    expect(serviceForExpose({}, rs).spec.ports).toEqual([
      { name: 'port-1', protocol: 'TCP', port: 80, targetPort: 80 },
      { name: 'port-2', protocol: 'UDP', port: 53, targetPort: 53 },
    ]);
    expect(serviceForExpose({ targetPort: 'http' }, rs).spec.ports.map((p: any) => p.targetPort)).toEqual(['http', 'http']);
    expect(serviceForExpose({}, rs).metadata.labels).toBeUndefined();
  });
  it('cuts the default name to 63 characters', () => {
    const long = { ...rc, metadata: { ...rc.metadata, name: 'a'.repeat(70) } };
    expect(serviceForExpose({}, long).metadata.name).toBe('a'.repeat(63));
  });
  it('uses a pod\'s labels and a service\'s selector and ports', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { run: 'p' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 9000 }] }] } };
    expect(serviceForExpose({ port: '80' }, pod).spec).toEqual({ ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }], selector: { run: 'p' } });
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { selector: { app: 's' }, ports: [{ port: 443, protocol: 'TCP' }] } };
    expect(serviceForExpose({ name: 's2', targetPort: '8443' }, svc).spec).toEqual({ ports: [{ protocol: 'TCP', port: 443, targetPort: 8443 }], selector: { app: 's' } });
  });
  it('fails as kubectl does when the selector or the port cannot be found', () => {
    const exprs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' },
      spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } },
    };
    expect(() => serviceForExpose({ port: '80' }, exprs)).toThrow(`couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "[{Key:app Operator:In Values:[a b]}]" to map-based selector format`);
    expect(() => serviceForExpose({ selector: { app: 'a' } }, exprs)).toThrow("couldn't find port via --port flag or introspection");
    const bare: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } };
    expect(() => serviceForExpose({ port: '80' }, bare)).toThrow("couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed");
    expect(serviceForExpose({ selector: { app: 'a' }, clusterIP: 'None' }, exprs).spec).toEqual({ ports: [], selector: { app: 'a' }, clusterIP: 'None' });
    const noSel: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 1 }] } };
    expect(() => serviceForExpose({}, noSel)).toThrow('the service has no pod selector set');
  });
});
