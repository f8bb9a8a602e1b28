import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { countResourceName, matchesScopes, objectUsage, podConstraints, podUsage } from './resourcequota.js';
import { advance, newCluster } from '../../test/helpers/cluster.js';
import { ApiError } from '../api/errors.js';

const ct = (name: string, requests?: any, limits?: any) => ({ name, image: 'x', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });
const pod = (containers: any[], extra: any = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers, ...extra.spec }, status: extra.status ?? {} });
const show = (u: Map<string, bigint>) => Object.fromEntries([...u].map(([k, v]) => [k, Number(v) / 1e9]));

describe('pod quota evaluator (pkg/quota/v1/evaluator/core/pods.go)', () => {
  // pods_test.go TestPodConstraintsFunc
  it('Constraints: a quota on a compute resource makes every container declare it', () => {
    expect(podConstraints(['limits.cpu', 'pods'], pod([ct('a', { cpu: '1' })]))).toBe('must specify limits.cpu for: a');
    expect(podConstraints(['requests.memory', 'limits.cpu'], pod([ct('b', { cpu: '1' }), ct('a')]))).toBe('must specify limits.cpu for: a,b; requests.memory for: a,b');
    expect(podConstraints(['cpu'], pod([ct('a', { cpu: '1' })]))).toBeUndefined();
    // count/pods and other non-compute resources impose nothing
    expect(podConstraints(['pods', 'count/pods'], pod([ct('a')]))).toBeUndefined();
  });

  // pods_test.go TestPodEvaluatorUsage
  it('Usage: requests (also as cpu/memory), limits, pods and count/pods; init containers raise the total', () => {
    const p = pod([ct('a', { cpu: '1', memory: '1Gi' }, { cpu: '2', memory: '1Gi' }), ct('b', { cpu: '500m' }, { cpu: '500m' })], { spec: { initContainers: [ct('i', { cpu: '3' }, { cpu: '3' })] } });
    expect(show(podUsage(p, 0))).toEqual({ 'count/pods': 1, pods: 1, cpu: 3, 'requests.cpu': 3, 'limits.cpu': 3, memory: 1073741824, 'requests.memory': 1073741824, 'limits.memory': 1073741824 });
  });

  it('Usage: terminal pods keep only count/pods (QuotaV1Pod)', () => {
    expect(show(podUsage(pod([ct('a', { cpu: '1' })], { status: { phase: 'Succeeded' } }), 0))).toEqual({ 'count/pods': 1 });
    expect(show(podUsage(pod([ct('a', { cpu: '1' })], { status: { phase: 'Failed' } }), 0))).toEqual({ 'count/pods': 1 });
  });

  // pods_test.go TestPodEvaluatorMatchesScopes
  it('scopes: Terminating/NotTerminating by activeDeadlineSeconds, BestEffort/NotBestEffort by QoS', () => {
    const q = (scopes: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { scopes } });
    const be = pod([ct('a')]);
    const burst = pod([ct('a', { cpu: '1' })], { spec: { activeDeadlineSeconds: 60 } });
    expect(matchesScopes(q(['BestEffort']), be)).toBe(true);
    expect(matchesScopes(q(['BestEffort']), burst)).toBe(false);
    expect(matchesScopes(q(['NotBestEffort', 'Terminating']), burst)).toBe(true);
    expect(matchesScopes(q(['NotTerminating']), burst)).toBe(false);
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } };
    expect(matchesScopes(q(['BestEffort']), svc)).toBe(false);
  });
});

describe('object count evaluators', () => {
  // services_test.go TestServiceEvaluatorUsage
  it('services count NodePort ports and load balancers', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] } };
    expect(show(objectUsage(svc, 0))).toEqual({ 'count/services': 1, services: 1, 'services.nodeports': 2, 'services.loadbalancers': 1 });
  });
  it('count/<resource>.<group> for grouped kinds', () => {
    expect(countResourceName({ kind: 'Deployment', apiVersion: 'apps/v1' })).toBe('count/deployments.apps');
    expect(countResourceName({ kind: 'ConfigMap', apiVersion: 'v1' })).toBe('count/configmaps');
  });
});

describe('ResourceQuota admission and controller (apiserver plugin/resourcequota admission_test.go)', () => {
  const quota = (hard: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'default' }, spec: { hard } });
  const mkPod = (name: string, cpu: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [ct('app', { cpu }, { cpu })] } });
  const forbidden = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof ApiError && e.reason === 'Forbidden') return e.message;
      throw e;
    }
    throw new Error('expected a Forbidden error');
  };

  // TestAdmitBelowQuotaLimit / TestAdmitExceedQuotaLimit
  it('charges status.used on admit and rejects what would exceed status.hard', () => {
    const c = newCluster();
    c.api.create(quota({ 'requests.cpu': '2', pods: '5' }));
    advance(c, 1000);
    expect(c.api.get('ResourceQuota', 'default', 'compute')!.status).toEqual({ hard: { 'requests.cpu': '2', pods: '5' }, used: { pods: '0', 'requests.cpu': '0' } });
    c.api.create(mkPod('a', '1500m'));
    expect(c.api.get('ResourceQuota', 'default', 'compute')!.status.used).toEqual({ pods: '1', 'requests.cpu': '1500m' });
    expect(forbidden(() => c.api.create(mkPod('b', '600m')))).toBe(
      'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=1500m, limited: requests.cpu=2',
    );
    expect(c.api.get('Pod', 'default', 'b')).toBeUndefined();
  });

  // checkRequest reads status.hard: a quota whose status the controller has not filled restricts nothing yet
  it('a quota not yet synced by the controller does not restrict', () => {
    const c = newCluster();
    c.api.create(quota({ pods: '0' }));
    expect(() => c.api.create(mkPod('a', '1'))).not.toThrow();
  });

  // TestAdmitEnforceQuotaConstraints
  it('rejects a pod missing a tracked compute resource', () => {
    const c = newCluster();
    c.api.create(quota({ 'limits.memory': '1Gi' }));
    advance(c, 1000);
    expect(forbidden(() => c.api.create(mkPod('a', '1')))).toBe('pods "a" is forbidden: failed quota: compute: must specify limits.memory for: app');
  });

  // resource_quota_controller_test.go TestSyncResourceQuota: terminal pods are released
  it('the controller recomputes used when a pod finishes or is deleted', () => {
    const c = newCluster();
    c.api.create(quota({ 'requests.cpu': '2', pods: '5', 'count/pods': '5' }));
    advance(c, 1000);
    c.api.create(mkPod('a', '1'));
    c.api.create(mkPod('b', '1'));
    c.api.mutate('Pod', 'default', 'a', (d) => { d.status.phase = 'Succeeded'; }, 'status');
    advance(c, 1000);
    expect(c.api.get('ResourceQuota', 'default', 'compute')!.status.used).toEqual({ 'count/pods': '2', pods: '1', 'requests.cpu': '1' });
  });

  // object count quotas count what existed before the quota, including kube-root-ca.crt
  it('counts objects created before the quota (configmaps includes kube-root-ca.crt)', () => {
    const c = newCluster();
    advance(c, 1000);
    c.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'default' }, data: {} });
    c.api.create(quota({ configmaps: '2' }));
    advance(c, 1000);
    expect(c.api.get('ResourceQuota', 'default', 'compute')!.status.used).toEqual({ configmaps: '2' });
    expect(forbidden(() => c.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'more', namespace: 'default' }, data: {} }))).toBe(
      'configmaps "more" is forbidden: exceeded quota: compute, requested: configmaps=1, used: configmaps=2, limited: configmaps=2',
    );
  });
});
