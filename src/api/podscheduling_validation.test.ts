// Cases after upstream pkg/apis/core/validation/validation_test.go TestValidateTopologySpreadConstraints
// and the pod-affinity rows of TestValidatePod / TestValidateAffinity.

import { describe, expect, it } from 'vitest';
import { validatePodAffinities, validateTopologySpreadConstraints } from './podscheduling_validation.js';

const F = 'spec.topologySpreadConstraints';
const ok = { maxSkew: 1, topologyKey: 'k8s.io/zone', whenUnsatisfiable: 'DoNotSchedule' };

describe('validateTopologySpreadConstraints', () => {
  it('"all required fields ok" and a valid minDomains / policies pass', () => {
    expect(validateTopologySpreadConstraints([ok, { ...ok, topologyKey: 'k8s.io/node', minDomains: 3, nodeAffinityPolicy: 'Ignore', nodeTaintsPolicy: 'Honor' }], F)).toEqual([]);
  });
  it('"missing MaxSkew" / "negative MaxSkew"', () => {
    expect(validateTopologySpreadConstraints([{ ...ok, maxSkew: 0 }], F)).toEqual([`${F}[0].maxSkew: Invalid value: 0: must be greater than zero`]);
    expect(validateTopologySpreadConstraints([{ ...ok, maxSkew: -1 }], F)).toEqual([`${F}[0].maxSkew: Invalid value: -1: must be greater than zero`]);
  });
  it('"missing TopologyKey"', () => {
    expect(validateTopologySpreadConstraints([{ ...ok, topologyKey: '' }], F)).toEqual([`${F}[0].topologyKey: Required value: can not be empty`]);
  });
  it('"unsupported WhenUnsatisfiable"', () => {
    expect(validateTopologySpreadConstraints([{ ...ok, whenUnsatisfiable: 'N/A' }], F)).toEqual([`${F}[0].whenUnsatisfiable: Unsupported value: "N/A": supported values: "DoNotSchedule", "ScheduleAnyway"`]);
  });
  it('"duplicate constraints"', () => {
    expect(validateTopologySpreadConstraints([ok, ok], F)).toEqual([`${F}[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{k8s.io/zone, DoNotSchedule}"`]);
  });
  it('"invalid MinDomains" and "MinDomains with ScheduleAnyway"', () => {
    expect(validateTopologySpreadConstraints([{ ...ok, minDomains: -1 }], F)).toEqual([`${F}[0].minDomains: Invalid value: -1: must be greater than zero`]);
    expect(validateTopologySpreadConstraints([{ ...ok, whenUnsatisfiable: 'ScheduleAnyway', minDomains: 10 }], F)).toEqual([
      `${F}[0].minDomains: Invalid value: 10: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway`,
    ]);
  });
  it('"invalid NodeAffinityPolicy" / "invalid NodeTaintsPolicy"', () => {
    expect(validateTopologySpreadConstraints([{ ...ok, nodeAffinityPolicy: 'invalid', nodeTaintsPolicy: 'x' }], F)).toEqual([
      `${F}[0].nodeAffinityPolicy: Unsupported value: "invalid": supported values: "Honor", "Ignore"`,
      `${F}[0].nodeTaintsPolicy: Unsupported value: "x": supported values: "Honor", "Ignore"`,
    ]);
  });
  it('"key in MatchLabelKeys is also in LabelSelector.MatchLabels"', () => {
    const c = { ...ok, labelSelector: { matchLabels: { foo: 'bar' } }, matchLabelKeys: ['foo'] };
    expect(validateTopologySpreadConstraints([c], F)).toEqual([`${F}[0].matchLabelKeys[0]: Invalid value: "foo": exists in both matchLabelKeys and labelSelector`]);
  });
});

describe('validatePodAffinities', () => {
  const A = 'spec.affinity';
  it('a term without topologyKey is refused with upstream\'s two errors', () => {
    const errs = validatePodAffinities({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: {} }] } }, A);
    expect(errs[0]).toBe(`${A}.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty`);
    expect(errs[1]).toMatch(/^spec\.affinity\.podAntiAffinity\.requiredDuringSchedulingIgnoredDuringExecution\[0\]\.topologyKey: Invalid value: "": name part must be non-empty/);
  });
  it('preferred weights must be 1-100', () => {
    const t = { labelSelector: {}, topologyKey: 'kubernetes.io/hostname' };
    expect(validatePodAffinities({ podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: t }, { weight: 100, podAffinityTerm: t }] } }, A)).toEqual([
      `${A}.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100`,
    ]);
  });
  it('valid terms pass', () => {
    const t = { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['default'] };
    expect(validatePodAffinities({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] }, podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: t }] } }, A)).toEqual([]);
  });
});
