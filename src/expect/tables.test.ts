// The STATUS column of `kubectl get pods`, after printPod in
// pkg/printers/internalversion/printers.go (and its TestPrintPod cases for init containers).
import { describe, expect, it } from 'vitest';
import { podStatus } from './tables.js';

const pod = (status: any, spec: any = {}, meta: any = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...meta }, spec, status });
const init2 = { initContainers: [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'app' }] };

describe('podStatus (printPod)', () => {
  it('counts finished init containers: Init:N/M', () => {
    expect(podStatus(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'a', state: { running: {} } }, { name: 'b', state: { waiting: { reason: 'PodInitializing' } } }] }, init2))).toBe('Init:0/2');
    expect(podStatus(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'b', state: { running: {} } }] }, init2))).toBe('Init:1/2');
  });

  it('shows an init container waiting or failing as Init:<reason>', () => {
    expect(podStatus(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, init2))).toBe('Init:CrashLoopBackOff');
    expect(podStatus(pod({ phase: 'Failed', initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 3, reason: 'Error' } } }] }, init2))).toBe('Init:Error');
    expect(podStatus(pod({ phase: 'Failed', initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 3 } } }] }, init2))).toBe('Init:ExitCode:3');
  });

  it('skips a started sidecar and falls through to the app containers once initialized', () => {
    const spec = { initContainers: [{ name: 'side', restartPolicy: 'Always' }], containers: [{ name: 'app' }] };
    const status = {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [{ name: 'side', started: true, ready: true, state: { running: {} } }],
      containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }],
    };
    expect(podStatus(pod(status, spec))).toBe('Running');
  });

  it('says Terminating for a pod being deleted, and the waiting reason of an app container', () => {
    expect(podStatus(pod({ phase: 'Running' }, {}, { deletionTimestamp: '1970-01-01T00:00:05Z' }))).toBe('Terminating');
    expect(podStatus(pod({ phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] }))).toBe('ContainerCreating');
  });
});
