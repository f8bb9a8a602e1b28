import { describe, expect, it } from 'vitest';
import { computePodQOS } from './qos.js';

const res = (requests: Record<string, string>, limits: Record<string, string>) => ({ resources: { requests, limits } });
const c = (name: string, r: object = {}) => ({ name, image: 'x', ...r });
const guaranteed = res({ cpu: '100m', memory: '100Mi' }, { cpu: '100m', memory: '100Mi' });

// Translated from pkg/apis/core/v1/helper/qos/qos_test.go TestComputePodQOS.
describe('computePodQOS (qos_test.go TestComputePodQOS)', () => {
  const cases: Array<[string, any, string]> = [
    ['guaranteed', { containers: [c('guaranteed', guaranteed)] }, 'Guaranteed'],
    ['two guaranteed', { containers: [c('a', guaranteed), c('b', guaranteed)] }, 'Guaranteed'],
    ['best-effort', { containers: [c('best-effort', res({}, {}))] }, 'BestEffort'],
    ['two best-effort', { containers: [c('a', res({}, {})), c('b', res({}, {}))] }, 'BestEffort'],
    ['best-effort + burstable', { containers: [c('a', res({}, {})), c('b', res({ cpu: '1' }, { cpu: '2' }))] }, 'Burstable'],
    ['best-effort + guaranteed', { containers: [c('a', res({}, {})), c('b', guaranteed)] }, 'Burstable'],
    ['burstable-no-limits', { containers: [c('a', res({ cpu: '100m', memory: '100Mi' }, {}))] }, 'Burstable'],
    ['memory only, request = limit', { containers: [c('a', res({ memory: '100Mi' }, { memory: '100Mi' }))] }, 'Burstable'],
    ['burstable-2 (zero requests, limits set)', { containers: [c('a', res({ cpu: '0', memory: '0' }, { cpu: '100m', memory: '200Mi' }))] }, 'Burstable'],
    ['hugepages only (cpu/memory zero)', { containers: [c('a', res({ cpu: '0', memory: '0', 'hugepages-2Mi': '1Gi' }, { cpu: '0', memory: '0', 'hugepages-2Mi': '1Gi' }))] }, 'BestEffort'],
    ['best-effort main + burstable init', { containers: [c('a', res({}, {}))], initContainers: [c('i', res({ cpu: '1' }, { cpu: '2' }))] }, 'Burstable'],
    ['pod-level guaranteed with an empty container', { resources: { requests: { cpu: '10m', memory: '100Mi' }, limits: { cpu: '10m', memory: '100Mi' } }, containers: [c('a')] }, 'Guaranteed'],
    ['pod-level requests differ from limits', { resources: { requests: { cpu: '10m', memory: '100Mi' }, limits: { cpu: '100m', memory: '100Mi' } }, containers: [c('a')] }, 'Burstable'],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => expect(computePodQOS(spec)).toBe(want));
  }
});
