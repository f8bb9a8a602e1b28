// The disruption controller's arithmetic, translated from pkg/controller/disruption/disruption_test.go
// (each case names its upstream test), run against a bare API server so the status is computed
// exactly as the controller's sync would.

import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/sim.js';
import { ApiServer, controllerRef } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { timestamp } from '../api/time.js';
import { computePdbStatus, scaledValue } from './disruption.js';
import { pod, replicaSet, replicationController } from '../../test/helpers/cluster.js';

function server(): ApiServer {
  const api = new ApiServer(new Simulation(1), { kubernetesVersion: '1.34' });
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return api;
}

function pdb(api: ApiServer, spec: any): KubeObject {
  return api.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb' }, spec: { selector: { matchLabels: { foo: 'bar' } }, ...spec } });
}

/** a pod matching the PDB, Ready or not, optionally owned by `owner` */
function addPod(api: ApiServer, name: string, ready: boolean, owner?: KubeObject): KubeObject {
  const p = api.create(pod(name, { labels: { foo: 'bar' }, ...(owner ? { ownerReferences: [controllerRef(owner)] } : {}) }));
  return api.update({ ...p, status: { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, 'status');
}

function status(api: ApiServer, now = 0): any {
  const b = api.get('PodDisruptionBudget', 'default', 'pdb')!;
  return computePdbStatus(api, b, api.list('Pod', 'default'), now).status;
}

/** VerifyPdbStatus(t, pdbName, disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods, ...) */
function verify(api: ApiServer, allowed: number, current: number, desired: number, expected: number): void {
  expect(status(api)).toMatchObject({ disruptionsAllowed: allowed, currentHealthy: current, desiredHealthy: desired, expectedPods: expected });
}

describe('disruption controller status', () => {
  it('GetScaledValueFromIntOrPercent rounds up', () => {
    expect(scaledValue('34%', 3, true)).toBe(2);
    expect(scaledValue('28%', 0, true)).toBe(0);
    expect(scaledValue('1%', 2, true)).toBe(1);
    expect(scaledValue(3, 10, true)).toBe(3);
  });

  it('TestUnavailable: an int minAvailable counts matching pods; an unready pod is not healthy', () => {
    const api = server();
    pdb(api, { minAvailable: 3 });
    for (let i = 0; i < 3; i++) addPod(api, `p${i}`, true);
    verify(api, 0, 3, 3, 3);
    addPod(api, 'p3', true);
    verify(api, 1, 4, 3, 4);
    addPod(api, 'p4', false);
    verify(api, 1, 4, 3, 5);
  });

  it('TestNakedPod: a percentage with only unmanaged pods expects none, so allows nothing', () => {
    const api = server();
    pdb(api, { minAvailable: '28%' });
    addPod(api, 'naked', true);
    verify(api, 0, 1, 0, 0);
  });

  it('TestReplicaSet: minAvailable 20% of a ReplicaSet of 10', () => {
    const api = server();
    pdb(api, { minAvailable: '20%' });
    const rs = api.create(replicaSet('foo', { replicas: 10, labels: { foo: 'bar' } }));
    addPod(api, 'p0', true, rs);
    verify(api, 0, 1, 2, 10);
  });

  it('TestReplicationController: minAvailable 34% of 3 needs 2', () => {
    const api = server();
    pdb(api, { minAvailable: '34%' });
    const rc = api.create(replicationController('foo', { replicas: 3, labels: { foo: 'bar' } }));
    addPod(api, 'p0', true, rc);
    addPod(api, 'p1', true, rc);
    verify(api, 0, 2, 2, 3);
    addPod(api, 'p2', true, rc);
    verify(api, 1, 3, 2, 3);
  });

  it('TestMultipleControllers: expectedPods sums the distinct controllers', () => {
    const api = server();
    pdb(api, { minAvailable: '1%' });
    const rc1 = api.create(replicationController('a', { replicas: 1, labels: { foo: 'bar' } }));
    const rc2 = api.create(replicationController('b', { replicas: 1, labels: { foo: 'bar' } }));
    addPod(api, 'p0', true, rc1);
    addPod(api, 'p1', true, rc2);
    verify(api, 1, 2, 1, 2);
  });

  it('TestTwoControllers / getPodDeployment: a Deployment-owned ReplicaSet counts the Deployment scale; maxUnavailable rounds up', () => {
    const api = server();
    pdb(api, { maxUnavailable: '25%' });
    const d = api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 5, selector: { matchLabels: { foo: 'bar' } }, template: { metadata: { labels: { foo: 'bar' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    const rs = api.create({ ...replicaSet('d-1', { replicas: 2, labels: { foo: 'bar' } }), metadata: { name: 'd-1', namespace: 'default', ownerReferences: [controllerRef(d)] } });
    for (let i = 0; i < 5; i++) addPod(api, `p${i}`, true, rs);
    // ceil(25% of 5) = 2 unavailable -> 3 desired
    verify(api, 2, 5, 3, 5);
  });

  it('TestStatefulSetController: the StatefulSet scale', () => {
    const api = server();
    pdb(api, { maxUnavailable: 1 });
    const sts = api.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { replicas: 3, serviceName: 's', selector: { matchLabels: { foo: 'bar' } }, template: { metadata: { labels: { foo: 'bar' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    addPod(api, 's-0', true, sts);
    addPod(api, 's-1', true, sts);
    verify(api, 0, 2, 2, 3);
  });

  it('TestUpdateDisruptedPods: a recently evicted pod is not healthy; after DeletionTimeout it counts again', () => {
    const api = server();
    const b = pdb(api, { minAvailable: 1 });
    addPod(api, 'p0', true);
    addPod(api, 'p1', true);
    api.update({ ...b, status: { ...b.status, disruptedPods: { p0: timestamp(0) } } }, 'status');
    expect(status(api, 1000)).toMatchObject({ currentHealthy: 1, disruptionsAllowed: 0, disruptedPods: { p0: timestamp(0) } });
    const later = status(api, 2 * 60 * 1000 + 1000);
    expect(later).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1 });
    expect(later.disruptedPods).toBeUndefined();
  });

  it('the DisruptionAllowed condition: SufficientPods / InsufficientPods with observedGeneration', () => {
    const api = server();
    pdb(api, { minAvailable: 1 });
    addPod(api, 'p0', true);
    expect(status(api).conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', observedGeneration: 1 })]);
    addPod(api, 'p1', true);
    expect(status(api)).toMatchObject({ observedGeneration: 1, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' }] });
  });

  it('failSafe: a pod whose controller has no scale stops disruptions (SyncFailed)', () => {
    const api = server();
    pdb(api, { maxUnavailable: 1 });
    const ds = api.create({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { selector: { matchLabels: { foo: 'bar' } }, template: { metadata: { labels: { foo: 'bar' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    addPod(api, 'ds-a', true, ds);
    expect(status(api)).toMatchObject({ disruptionsAllowed: 0, conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "ds-a"' }] });
  });
});

describe('PodDisruptionBudget admission (ValidatePodDisruptionBudgetSpec)', () => {
  it('rejects both fields, bad percentages and unknown policies; starts with an empty status', () => {
    const api = server();
    const create = (spec: any) => api.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: `x${Object.keys(spec).join('')}` }, spec });
    expect(() => create({ minAvailable: 1, maxUnavailable: 1 })).toThrow(/minAvailable and maxUnavailable cannot be both set/);
    expect(() => create({ minAvailable: '120%' })).toThrow(/spec.minAvailable: Invalid value: "120%": must not be greater than 100%/);
    expect(() => create({ maxUnavailable: -1 })).toThrow(/spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0/);
    expect(() => create({ maxUnavailable: 'half' })).toThrow(/a valid percent string/);
    expect(() => create({ unhealthyPodEvictionPolicy: 'Never' })).toThrow(/supported values: "AlwaysAllow", "IfHealthyBudget"/);
    const ok = api.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'ok' }, spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 9 } });
    expect(ok.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });
});
