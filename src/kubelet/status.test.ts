// getPhase and the kubelet-owned conditions, translated from pkg/kubelet/kubelet_pods_test.go
// (TestPodPhaseWith*) and pkg/kubelet/status/generate_test.go (reference pod-lifecycle §2.5, §2.6).

import { describe, expect, it } from 'vitest';
import { containersReadyCondition, getPhase, initializedCondition, type ApiContainerStatus } from './status.js';

const running = (name: string, started = true): ApiContainerStatus => ({ name, state: { running: {} }, started, ready: started });
const succeeded = (name: string): ApiContainerStatus => ({ name, state: { terminated: { exitCode: 0 } }, ready: false });
const failed = (name: string): ApiContainerStatus => ({ name, state: { terminated: { exitCode: 1 } } });
const waiting = (name: string): ApiContainerStatus => ({ name, state: { waiting: {} } });
const waitingAfter = (name: string, exitCode: number): ApiContainerStatus => ({ name, state: { waiting: {} }, lastState: { terminated: { exitCode } } });

const spec = (restartPolicy: string, inits: any[] = []) => ({ restartPolicy, initContainers: inits, containers: [{ name: 'containerA' }, { name: 'containerB' }] });
const sidecar = { name: 'containerX', restartPolicy: 'Always' };
const init = { name: 'containerX' };

describe('getPhase', () => {
  it('TestPodPhaseWithRestartNever', () => {
    const s = spec('Never');
    expect(getPhase(s, [], false)).toBe('Pending');
    expect(getPhase(s, [running('containerA'), running('containerB')], false)).toBe('Running');
    expect(getPhase(s, [succeeded('containerA'), succeeded('containerB')], false)).toBe('Succeeded');
    expect(getPhase(s, [failed('containerA'), failed('containerB')], false)).toBe('Failed');
    expect(getPhase(s, [running('containerA'), succeeded('containerB')], false)).toBe('Running');
    expect(getPhase(s, [running('containerA')], false)).toBe('Pending');
    expect(getPhase(s, [running('containerA'), waiting('containerB')], false)).toBe('Pending');
  });

  it('TestPodPhaseWithRestartOnFailure and TestPodPhaseWithRestartAlways', () => {
    expect(getPhase(spec('OnFailure'), [failed('containerA'), failed('containerB')], false)).toBe('Running');
    expect(getPhase(spec('OnFailure'), [succeeded('containerA'), succeeded('containerB')], false)).toBe('Succeeded');
    expect(getPhase(spec('Always'), [succeeded('containerA'), failed('containerB')], false)).toBe('Running');
    // a deleted pod ends by its exit codes (podIsTerminal, 1.27+)
    expect(getPhase(spec('Always'), [succeeded('containerA'), succeeded('containerB')], true)).toBe('Succeeded');
    expect(getPhase(spec('Always'), [succeeded('containerA'), failed('containerB')], true)).toBe('Failed');
  });

  it('TestPodPhaseWithRestartNeverInitContainers', () => {
    const s = spec('Never', [init]);
    expect(getPhase(s, [running('containerX')], false)).toBe('Pending');
    expect(getPhase(s, [failed('containerX')], false)).toBe('Failed');
    expect(getPhase(s, [waitingAfter('containerX', 0)], false)).toBe('Pending');
    expect(getPhase(s, [waitingAfter('containerX', 1)], false)).toBe('Failed');
    expect(getPhase(s, [succeeded('containerX'), running('containerA'), running('containerB')], false)).toBe('Running');
  });

  it('TestPodPhaseWithRestartNeverRestartableInitContainers', () => {
    const s = spec('Never', [sidecar]);
    expect(getPhase(s, [running('containerX', false)], false)).toBe('Pending');
    expect(getPhase(s, [running('containerX'), running('containerA')], false)).toBe('Pending');
    expect(getPhase(s, [running('containerX'), succeeded('containerA'), succeeded('containerB')], false)).toBe('Running');
    expect(getPhase(s, [succeeded('containerX'), succeeded('containerA'), succeeded('containerB')], false)).toBe('Succeeded');
    expect(getPhase(s, [failed('containerX'), succeeded('containerA'), succeeded('containerB')], false)).toBe('Succeeded');
    expect(getPhase(s, [waitingAfter('containerX', 1), succeeded('containerA'), succeeded('containerB')], false)).toBe('Succeeded');
  });

  it('TestPodPhaseWithRestartAlwaysRestartableInitContainers (terminal case)', () => {
    expect(getPhase(spec('Always', [sidecar]), [failed('containerX'), succeeded('containerA'), succeeded('containerB')], true)).toBe('Succeeded');
  });

  it('TestPodPhaseWithRestartAlwaysAndPodHasRun', () => {
    const s = { restartPolicy: 'Always', initContainers: [{ name: 'containerX' }, { name: 'containerY', restartPolicy: 'Always' }], containers: [{ name: 'containerA' }] };
    expect(getPhase(s, [running('containerX'), running('containerY'), running('containerA')], false)).toBe('Pending');
    expect(getPhase(s, [succeeded('containerX'), running('containerY'), waitingAfter('containerA', 1)], false)).toBe('Running');
  });
});

describe('conditions (generate.go)', () => {
  const one = { containers: [{ name: '1234' }, { name: '5678' }] };
  it('TestGeneratePodReadyCondition / TestGenerateContainersReadyCondition', () => {
    expect(containersReadyCondition(one, undefined, 'Running')).toEqual({ status: 'False', reason: 'UnknownContainerStatuses' });
    expect(containersReadyCondition({ containers: [] }, [], 'Running')).toEqual({ status: 'True' });
    expect(containersReadyCondition(one, [{ ...running('1234') }], 'Running')).toEqual({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unknown status: [5678]' });
    expect(containersReadyCondition(one, [running('1234'), running('5678')], 'Running')).toEqual({ status: 'True' });
    expect(containersReadyCondition(one, [running('1234'), { ...running('5678'), ready: false }], 'Running')).toEqual({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [5678]' });
    expect(containersReadyCondition(one, [succeeded('1234'), succeeded('5678')], 'Succeeded')).toEqual({ status: 'False', reason: 'PodCompleted' });
  });

  it('TestGeneratePodInitializedCondition: init ready when exited 0, sidecars when started', () => {
    const s = { initContainers: [{ name: 'init' }, { name: 'side', restartPolicy: 'Always' }], containers: [{ name: 'main' }] };
    expect(initializedCondition({ containers: [{ name: 'main' }] }, [], 'Pending')).toEqual({ status: 'True' });
    expect(initializedCondition(s, [{ ...running('init'), ready: false }, waiting('side'), waiting('main')], 'Pending')).toEqual({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [init side]',
    });
    expect(initializedCondition(s, [{ ...succeeded('init'), ready: true }, running('side'), waiting('main')], 'Pending')).toEqual({ status: 'True' });
    // once a regular container has started, a restarting sidecar does not un-initialize the pod
    expect(initializedCondition(s, [{ ...succeeded('init'), ready: true }, waitingAfter('side', 1), running('main')], 'Running')).toEqual({ status: 'True' });
  });
});
