// Probe result bookkeeping, translated from pkg/kubelet/prober/worker_test.go (reference
// pod-lifecycle §1.6), and the probe defaults of SetDefaults_Probe.

import { describe, expect, it } from 'vitest';
import { ResultRun, defaultedProbe, initialResult } from './prober.js';

describe('probe worker results', () => {
  it('initial results: readiness Failure, liveness Success, startup Unknown (newWorker)', () => {
    expect(initialResult('readiness')).toBe('Failure');
    expect(initialResult('liveness')).toBe('Success');
    expect(initialResult('startup')).toBe('Unknown');
  });

  it('TestFailureThreshold: succ=1 fail=3', () => {
    for (const type of ['liveness', 'readiness'] as const) {
      const r = new ResultRun(type, { successThreshold: 1, failureThreshold: 3 });
      for (let i = 0; i < 3; i++) {
        r.observe('Success');
        expect(r.result).toBe('Success');
      }
      r.observe('Failure');
      r.observe('Failure');
      expect(r.result).toBe('Success');
      r.observe('Failure');
      expect(r.result).toBe('Failure');
    }
  });

  it('TestSuccessThreshold: succ=3 fail=1, starting from Failure', () => {
    const r = new ResultRun('readiness', { successThreshold: 3, failureThreshold: 1 });
    r.observe('Success');
    r.observe('Success');
    expect(r.result).toBe('Failure');
    r.observe('Success');
    expect(r.result).toBe('Success');
    r.observe('Failure');
    expect(r.result).toBe('Failure');
  });

  it('TestOnHoldOnLivenessCheckFailure: a failure puts the worker on hold until a new container', () => {
    const r = new ResultRun('liveness', { successThreshold: 1, failureThreshold: 1 });
    r.observe('Failure');
    expect(r.result).toBe('Failure');
    expect(r.onHold).toBe(true);
    r.newContainer();
    expect(r.result).toBe('Success');
    expect(r.onHold).toBe(false);
  });

  it('TestResultRunOnLivenessCheckFailure: the run restarts from 0 after the threshold is hit', () => {
    const r = new ResultRun('liveness', { successThreshold: 1, failureThreshold: 3 });
    r.observe('Failure');
    r.observe('Failure');
    expect(r.resultRun).toBe(2);
    r.observe('Failure');
    expect(r.result).toBe('Failure');
    expect(r.resultRun).toBe(0);
  });

  it('TestResultRunOnStartupCheckFailure: startup Unknown until failureThreshold failures', () => {
    const r = new ResultRun('startup', { successThreshold: 1, failureThreshold: 3 });
    r.observe('Failure');
    r.observe('Failure');
    expect(r.result).toBe('Unknown');
    r.observe('Failure');
    expect(r.result).toBe('Failure');
    expect(r.resultRun).toBe(0);
  });

  it('SetDefaults_Probe: 1 s timeout, 10 s period, thresholds 1 and 3; no initial delay', () => {
    expect(defaultedProbe({ httpGet: { port: 80 } })).toMatchObject({ initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(defaultedProbe({ periodSeconds: 5, failureThreshold: 0 })).toMatchObject({ periodSeconds: 5, failureThreshold: 3 });
  });
});
