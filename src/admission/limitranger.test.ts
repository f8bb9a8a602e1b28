import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { effectiveItem, limitRequestRatioConstraint, maxConstraint, minConstraint, mutatePod, validatePod, validatePvc, LIMIT_RANGER_ANNOTATION } from './limitranger.js';

const lr = (limits: any[]): KubeObject => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'default' }, spec: { limits } });
const pod = (containers: any[], initContainers?: any[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers, initContainers } });
const ct = (name: string, requests?: any, limits?: any) => ({ name, image: 'x', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });

describe('LimitRange object defaulting (SetDefaults_LimitRangeItem)', () => {
  // pkg/apis/core/v1/defaults_test.go TestSetDefaultLimitRangeItem
  it('max fills default, default fills defaultRequest, then min', () => {
    expect(effectiveItem({ type: 'Container', max: { cpu: '100m' }, min: { memory: '100Mi' }, default: {}, defaultRequest: {} })).toMatchObject({
      default: { cpu: '100m' },
      defaultRequest: { cpu: '100m', memory: '100Mi' },
    });
    expect(effectiveItem({ type: 'Pod', max: { cpu: '1' } }).default).toBeUndefined();
  });
});

describe('LimitRanger mutation (PodMutateLimitFunc)', () => {
  // admission_test.go TestMergePodResourceRequirements: defaults only fill what is missing, with the annotation
  it('adds missing requests and limits per container and annotates the pod', () => {
    const p = pod([ct('a'), ct('b', { cpu: '50m' }, { cpu: '50m' })], [ct('init')]);
    mutatePod([lr([{ type: 'Container', default: { cpu: '500m', memory: '1Gi' }, defaultRequest: { cpu: '100m', memory: '256Mi' } }])], p);
    expect(p.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } });
    expect(p.spec.containers[1].resources).toEqual({ requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '50m', memory: '1Gi' } });
    expect(p.metadata.annotations![LIMIT_RANGER_ANNOTATION]).toBe(
      'LimitRanger plugin set: cpu, memory request for init container init; cpu, memory limit for init container init; ' +
        'cpu, memory request for container a; cpu, memory limit for container a; memory request for container b; memory limit for container b',
    );
  });

  it('sets nothing (and no annotation) when every container is complete', () => {
    const p = pod([ct('a', { cpu: '1' }, { cpu: '1' })]);
    mutatePod([lr([{ type: 'Container', default: { cpu: '500m' } }])], p);
    expect(p.metadata.annotations).toBeUndefined();
  });
});

describe('LimitRanger constraints (minConstraint, maxConstraint, limitRequestRatioConstraint)', () => {
  // admission_test.go TestPodLimitFunc: the messages of each failing case
  const cases: [string, string | undefined][] = [
    [minConstraint('Container', 'cpu', '100m', { cpu: '50m' }, {})!, 'minimum cpu usage per Container is 100m, but request is 50m'],
    [minConstraint('Container', 'cpu', '100m', {}, {})!, 'minimum cpu usage per Container is 100m.  No request is specified'],
    [minConstraint('Container', 'memory', '64Mi', { memory: '128Mi' }, { memory: '32Mi' })!, 'minimum memory usage per Container is 64Mi, but limit is 32Mi'],
    [maxConstraint('Container', 'cpu', '1', {}, {})!, 'maximum cpu usage per Container is 1.  No limit is specified'],
    [maxConstraint('Container', 'cpu', '1', {}, { cpu: '2' })!, 'maximum cpu usage per Container is 1, but limit is 2'],
    [maxConstraint('Pod', 'memory', '1Gi', { memory: '2Gi' }, { memory: '512Mi' })!, 'maximum memory usage per Pod is 1Gi, but request is 2Gi'],
    [limitRequestRatioConstraint('Container', 'cpu', '2', { cpu: '100m' }, { cpu: '500m' })!, 'cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000'],
    [limitRequestRatioConstraint('Container', 'cpu', '2', {}, { cpu: '500m' })!, 'cpu max limit to request ratio per Container is 2, but no request is specified or request is 0'],
    [limitRequestRatioConstraint('Container', 'cpu', '2', { cpu: '100m' }, {})!, 'cpu max limit to request ratio per Container is 2, but no limit is specified or limit is 0'],
  ];
  it.each(cases)('%s', (got, want) => expect(got).toBe(want));

  it('passes values inside the bounds (milli-value comparison)', () => {
    expect(minConstraint('Container', 'cpu', '100m', { cpu: '0.1' }, { cpu: '1' })).toBeUndefined();
    expect(maxConstraint('Container', 'memory', '1Gi', { memory: '1Gi' }, { memory: '1024Mi' })).toBeUndefined();
    expect(limitRequestRatioConstraint('Container', 'cpu', '1500m', { cpu: '100m' }, { cpu: '150m' })).toBeUndefined();
  });
});

describe('LimitRanger validation (PodValidateLimitFunc, PersistentVolumeClaimValidateLimitFunc)', () => {
  // admission_test.go TestPodLimitFunc: Pod type sums containers; init containers raise the total
  it('checks the Pod type against summed requests', () => {
    const ranges = [lr([{ type: 'Pod', max: { cpu: '1' } }])];
    expect(validatePod(ranges, pod([ct('a', { cpu: '600m' }, { cpu: '600m' }), ct('b', { cpu: '600m' }, { cpu: '600m' })]))).toEqual([
      'maximum cpu usage per Pod is 1, but limit is 1200m',
    ]);
    expect(validatePod(ranges, pod([ct('a', { cpu: '400m' }, { cpu: '400m' })], [ct('i', { cpu: '2' }, { cpu: '2' })]))).toEqual([
      'maximum cpu usage per Pod is 1, but limit is 2',
    ]);
  });

  it('checks every container and init container', () => {
    const ranges = [lr([{ type: 'Container', min: { cpu: '100m' } }])];
    expect(validatePod(ranges, pod([ct('a', { cpu: '200m' })], [ct('i', { cpu: '10m' })]))).toEqual(['minimum cpu usage per Container is 100m, but request is 10m']);
  });

  // admission_test.go TestPersistentVolumeClaimLimitFunc
  it('bounds a claim request', () => {
    const ranges = [lr([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }])];
    const pvc = (storage?: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { resources: storage ? { requests: { storage } } : {} } });
    expect(validatePvc(ranges, pvc('5Gi'))).toEqual([]);
    expect(validatePvc(ranges, pvc('500Mi'))).toEqual(['minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi']);
    expect(validatePvc(ranges, pvc('20Gi'))).toEqual(['maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi']);
    expect(validatePvc(ranges, pvc())).toEqual([
      'minimum storage usage per PersistentVolumeClaim is 1Gi.  No request is specified',
      'maximum storage usage per PersistentVolumeClaim is 10Gi.  No request is specified',
    ]);
  });
});
