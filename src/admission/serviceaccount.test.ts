import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { newCluster } from '../../test/helpers/cluster.js';
import { ApiError } from '../api/errors.js';
import { API_TOKEN_MOUNT_PATH } from './serviceaccount.js';

const pod = (name: string, spec: any = {}, ns = 'default'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'app', image: 'x' }], ...spec } });

// plugin/pkg/admission/serviceaccount/admission_test.go
describe('ServiceAccount admission', () => {
  // TestAssignsDefaultServiceAccountAndBoundTokenWithNoSecretVolumes
  it('assigns default and mounts the projected token volume in every container', () => {
    const c = newCluster();
    const p = c.api.create(pod('a', { initContainers: [{ name: 'init', image: 'x' }] }));
    expect(p.spec.serviceAccountName).toBe('default');
    expect(p.spec.serviceAccount).toBe('default');
    const vol = p.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-'));
    expect(vol.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(vol.projected.sources.map((s: any) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
    expect(vol.projected.sources[0].serviceAccountToken).toEqual({ expirationSeconds: 3607, path: 'token' });
    for (const ct of [...p.spec.containers, ...p.spec.initContainers]) {
      expect(ct.volumeMounts).toEqual([{ name: vol.name, readOnly: true, mountPath: API_TOKEN_MOUNT_PATH }]);
    }
  });

  // TestDeniesInvalidServiceAccount
  it('denies a pod naming a missing account, with the generateName prefix for unnamed pods', () => {
    const c = newCluster();
    const msg = (o: KubeObject) => {
      try {
        c.api.create(o);
      } catch (e) {
        if (e instanceof ApiError) return `${e.reason}: ${e.message}`;
      }
      return 'admitted';
    };
    expect(msg(pod('a', { serviceAccountName: 'robot' }))).toBe('Forbidden: pods "a" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found');
    const unnamed = pod('', { serviceAccountName: 'robot' });
    unnamed.metadata = { generateName: 'web-', namespace: 'default' };
    expect(msg(unnamed)).toBe('Forbidden: pods "web-" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found');
  });

  // TestAutomountServiceAccountToken (pod overrides account; account overrides the default true)
  it('respects automountServiceAccountToken on the pod, then on the account', () => {
    const c = newCluster();
    c.api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: 'default' }, automountServiceAccountToken: false });
    expect(c.api.create(pod('a', { serviceAccountName: 'quiet' })).spec.volumes).toBeUndefined();
    expect(c.api.create(pod('b', { serviceAccountName: 'quiet', automountServiceAccountToken: true })).spec.volumes).toHaveLength(1);
    expect(c.api.create(pod('c', { automountServiceAccountToken: false })).spec.volumes).toBeUndefined();
  });

  // TestRespectsExistingMount
  it('leaves a container that already mounts the path alone', () => {
    const c = newCluster();
    const p = c.api.create(pod('a', {
      volumes: [{ name: 'mine', emptyDir: {} }],
      containers: [{ name: 'app', image: 'x', volumeMounts: [{ name: 'mine', mountPath: API_TOKEN_MOUNT_PATH }] }],
    }));
    expect(p.spec.volumes).toEqual([{ name: 'mine', emptyDir: {} }]);
  });

  // TestAddImagePullSecrets
  it('inherits the account imagePullSecrets', () => {
    const c = newCluster();
    c.api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'puller', namespace: 'default' }, imagePullSecrets: [{ name: 'regcred' }] });
    expect(c.api.create(pod('a', { serviceAccountName: 'puller' })).spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });
});

describe('admission chain order', () => {
  it('LimitRanger defaults feed the QoS class and ResourceQuota sees them', () => {
    const c = newCluster();
    c.api.create({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'default' }, spec: { limits: [{ type: 'Container', default: { cpu: '1' }, defaultRequest: { cpu: '1' } }] } });
    const p = c.api.create(pod('a'));
    expect(p.status.qosClass).toBe('Burstable');
    expect(p.spec.containers[0].resources).toEqual({ requests: { cpu: '1' }, limits: { cpu: '1' } });
  });
});
