import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../api/quantity.js';
import { convertQuantityToString, extractContainerResourceValue, resourceFieldValue } from './resource.js';

const c = (resources: any) => ({ name: 'c', resources });

describe('extractContainerResourceValue (pkg/api/v1/resource/helpers_test.go TestExtractResourceValue)', () => {
  const cases: [string, string | undefined, any, string][] = [
    ['limits.cpu', undefined, c({ limits: { cpu: '9' } }), '9'],
    ['requests.cpu', undefined, c({}), '0'],
    ['requests.cpu', undefined, c({ requests: { cpu: '8' } }), '8'],
    ['requests.cpu', undefined, c({ requests: { cpu: '100m' } }), '1'],
    ['requests.cpu', '100m', c({ requests: { cpu: '1200m' } }), '12'],
    ['requests.memory', undefined, c({ requests: { memory: '100Mi' } }), '104857600'],
    ['requests.memory', '1Mi', c({ requests: { memory: '100Mi' } }), '100'],
    ['limits.memory', undefined, c({ limits: { memory: '100Mi' } }), '104857600'],
    ['requests.cpu', '1u', c({ requests: { cpu: '1m' } }), '1000'],
    ['requests.memory', '0', c({ requests: { memory: '100Mi' } }), '104857600'],
    // Not in the upstream table: the hugepages and ephemeral-storage branches of the same function.
    ['requests.hugepages-2Mi', '1Mi', c({ requests: { 'hugepages-2Mi': '4Mi' } }), '4'],
    ['limits.ephemeral-storage', '1Gi', c({ limits: { 'ephemeral-storage': '1536Mi' } }), '2'],
  ];
  for (const [resource, divisor, container, want] of cases) {
    it(`${resource} / ${divisor ?? '1'} → ${want}`, () => expect(extractContainerResourceValue({ resource, ...(divisor !== undefined ? { divisor } : {}) }, container)).toBe(want));
  }
  it('unsupported resource', () => expect(() => extractContainerResourceValue({ resource: 'limits.gpu' }, c({}))).toThrow('unsupported container resource : limits.gpu'));
});

describe('convertQuantityToString (helpers_test.go TestConvertQuantityToStringBounds)', () => {
  it('rounds up', () => expect(convertQuantityToString(parseQuantity('1500m'), parseQuantity('1'))).toBe('2'));
  it('saturates at MaxInt64', () => expect(convertQuantityToString(parseQuantity('100E'), parseQuantity('1'))).toBe('9223372036854775807'));
});

describe('resourceFieldValue (kubelet_resources.go defaultPodLimitsForDownwardAPI)', () => {
  const pod: any = { metadata: { name: 'p' }, spec: { containers: [c({ requests: { cpu: '250m' } }), { name: 'side', resources: { limits: { memory: '64Mi' } } }] } };
  const alloc = { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' };
  it('a missing limit falls back to node allocatable', () => {
    expect(resourceFieldValue({ resource: 'limits.cpu' }, pod, pod.spec.containers[0], alloc)).toBe('4');
    expect(resourceFieldValue({ resource: 'limits.memory', divisor: '1Mi' }, pod, pod.spec.containers[0], alloc)).toBe('8192');
  });
  it('unset requests read 0', () => expect(resourceFieldValue({ resource: 'requests.memory' }, pod, pod.spec.containers[0], alloc)).toBe('0'));
  it('containerName selects another container', () => {
    expect(resourceFieldValue({ containerName: 'side', resource: 'limits.memory', divisor: '1Mi' }, pod, undefined, alloc)).toBe('64');
    expect(() => resourceFieldValue({ containerName: 'nope', resource: 'limits.cpu' }, pod, undefined, alloc)).toThrow('container nope not found');
  });
});
