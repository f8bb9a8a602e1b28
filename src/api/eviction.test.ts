// The Eviction API, translated from pkg/registry/core/pod/storage/eviction_test.go (each case
// names its upstream test): budgets that allow or forbid, pods that skip the budget check,
// several budgets, the decrement recorded in status, unhealthyPodEvictionPolicy.

import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/sim.js';
import { ApiServer } from './server.js';
import { ApiError } from './errors.js';
import type { KubeObject } from './types.js';
import { MULTIPLE_PDBS, PDB_VIOLATION, evict } from './eviction.js';
import { pod } from '../../test/helpers/cluster.js';

function server(): ApiServer {
  const api = new ApiServer(new Simulation(1), { kubernetesVersion: '1.34' });
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return api;
}

function addPdb(api: ApiServer, name: string, selector: Record<string, string>, st: any, spec: any = {}): KubeObject {
  const b = api.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { selector: { matchLabels: selector }, minAvailable: 1, ...spec } });
  return api.update({ ...b, status: { observedGeneration: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, ...st } }, 'status');
}

function addPod(api: ApiServer, name: string, phase: string, ready = true, labels: Record<string, string> = { a: 'true' }): KubeObject {
  const p = api.create(pod(name, { labels, nodeName: 'node-1' }));
  return api.update({ ...p, status: { ...p.status, phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, 'status');
}

function evictError(fn: () => void): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

const terminating = (api: ApiServer, name: string) => !!api.get('Pod', 'default', name)?.metadata.deletionTimestamp;

describe('Eviction API (TestEviction)', () => {
  it('matching pdbs with no disruptions allowed: 429 with the budget in the cause', () => {
    const api = server();
    addPdb(api, 'foo', { a: 'true' }, { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1 });
    addPod(api, 't1', 'Running');
    const e = evictError(() => evict(api, 'default', 't1'));
    expect(e.reason).toBe('TooManyRequests');
    expect(e.message).toBe(PDB_VIOLATION);
    expect(e.causes).toEqual(['The disruption budget foo needs 1 healthy pods and has 1 currently']);
    expect(terminating(api, 't1')).toBe(false);
  });

  it('matching pdbs with disruptions allowed: deleted, budget decremented, pod recorded (TestEvictionPDBStatus)', () => {
    const api = server();
    addPdb(api, 'foo', { a: 'true' }, { disruptionsAllowed: 1, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' }] });
    addPod(api, 't2', 'Running');
    evict(api, 'default', 't2');
    expect(terminating(api, 't2')).toBe(true);
    const st = api.get('PodDisruptionBudget', 'default', 'foo')!.status;
    expect(st.disruptionsAllowed).toBe(0);
    expect(Object.keys(st.disruptedPods)).toEqual(['t2']);
    expect(st.conditions[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    expect(api.get('Pod', 'default', 't2')!.status.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI' }));
  });

  it('non-matching pdbs: deleted directly', () => {
    const api = server();
    addPdb(api, 'foo', { b: 'true' }, { disruptionsAllowed: 0 });
    addPod(api, 't3', 'Running');
    evict(api, 'default', 't3');
    expect(terminating(api, 't3')).toBe(true);
  });

  it('not found', () => {
    expect(evictError(() => evict(server(), 'default', 'nope')).reason).toBe('NotFound');
  });
});

describe('TestEvictionIgnorePDB', () => {
  for (const [phase, name] of [['Pending', 'pending pod'], ['Succeeded', 'succeeded pod'], ['Failed', 'failed pod']] as const) {
    it(`${name}: deleted without consulting the budget`, () => {
      const api = server();
      addPdb(api, 'foo', { a: 'true' }, { disruptionsAllowed: 0 });
      addPod(api, 'p', phase);
      evict(api, 'default', 'p');
      expect(api.get('PodDisruptionBudget', 'default', 'foo')!.status.disruptionsAllowed).toBe(0);
    });
  }

  it('a terminating pod: evicting again is not refused', () => {
    const api = server();
    addPdb(api, 'foo', { a: 'true' }, { disruptionsAllowed: 0 });
    addPod(api, 'p', 'Running');
    api.delete('Pod', 'default', 'p');
    expect(() => evict(api, 'default', 'p')).not.toThrow();
  });

  it('an unready pod with the budget met (IfHealthyBudget) spends nothing', () => {
    const api = server();
    addPdb(api, 'foo', { a: 'true' }, { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1 });
    addPod(api, 'p', 'Running', false);
    evict(api, 'default', 'p');
    expect(terminating(api, 'p')).toBe(true);
    expect(api.get('PodDisruptionBudget', 'default', 'foo')!.status.disruptedPods).toBeUndefined();
  });

  it('an unready pod below the budget: refused unless unhealthyPodEvictionPolicy is AlwaysAllow', () => {
    const api = server();
    addPdb(api, 'foo', { a: 'true' }, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1 });
    addPod(api, 'p', 'Running', false);
    expect(evictError(() => evict(api, 'default', 'p')).reason).toBe('TooManyRequests');
    const api2 = server();
    addPdb(api2, 'foo', { a: 'true' }, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    addPod(api2, 'p', 'Running', false);
    evict(api2, 'default', 'p');
    expect(terminating(api2, 'p')).toBe(true);
  });
});

describe('eviction edge cases', () => {
  it('more than one PodDisruptionBudget: a 500 with upstream text', () => {
    const api = server();
    addPdb(api, 'one', { a: 'true' }, { disruptionsAllowed: 5 });
    addPdb(api, 'two', { a: 'true' }, { disruptionsAllowed: 5 });
    addPod(api, 'p', 'Running');
    const e = evictError(() => evict(api, 'default', 'p'));
    expect(e.reason).toBe('InternalError');
    expect(e.message).toBe(MULTIPLE_PDBS);
  });

  it('checkAndDecrement: a budget the controller has not observed yet is a 429', () => {
    const api = server();
    addPdb(api, 'foo', { a: 'true' }, { disruptionsAllowed: 3, observedGeneration: 0 });
    addPod(api, 'p', 'Running');
    const e = evictError(() => evict(api, 'default', 'p'));
    expect(e.reason).toBe('TooManyRequests');
    expect(e.causes).toEqual(['The disruption budget foo is still being processed by the server.']);
  });
});
