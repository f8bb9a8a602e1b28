import { describe, expect, it } from 'vitest';
import { containerOOMScoreAdjust } from './oom_score.js';

const pod = (resources: any, extra: any = {}) => ({ spec: { containers: [{ name: 'c', resources }], ...extra } });
const score = (p: any, cap: number) => containerOOMScoreAdjust(p, p.spec.containers[0], cap);

// Translated from pkg/kubelet/qos/policy_test.go TestGetContainerOOMScoreAdjust.
describe('containerOOMScoreAdjust (policy_test.go TestGetContainerOOMScoreAdjust)', () => {
  it('cpu limit only → burstable, 999', () => expect(score(pod({ limits: { cpu: '10' } }), 4e9)).toBe(999));
  it('memory limit, cpu request 0 → 999', () => expect(score(pod({ requests: { cpu: '0' }, limits: { memory: '10G' } }), 4e9)).toBe(999));
  it('memory limit "0" → BestEffort 1000', () => expect(score(pod({ limits: { memory: '0' } }), 4e9)).toBe(1000));
  it('no resources → 1000', () => expect(score(pod({}), 4e9)).toBe(1000));
  it('requests = limits → Guaranteed -997', () => expect(score(pod({ requests: { cpu: '5m', memory: '10G' }, limits: { cpu: '5m', memory: '10G' } }), 4e9)).toBe(-997));
  it('half of capacity requested → 500', () => {
    const s = score(pod({ requests: { memory: '4000000000' }, limits: { memory: '10G' } }), 8e9);
    expect(s).toBeGreaterThanOrEqual(495);
    expect(s).toBeLessThanOrEqual(505);
  });
  it('almost all capacity requested → clamped to 3', () => expect(score(pod({ requests: { memory: String(8e9 - 1) }, limits: { memory: '10G' } }), 8e9)).toBe(3));
  it('system-node-critical → -997', () => expect(score(pod({}, { priorityClassName: 'system-node-critical' }), 4e9)).toBe(-997));
  it('a sidecar scores no higher than the smallest regular container', () => {
    const p = { spec: {
      containers: [{ name: 'app', resources: { requests: { memory: '4000000000' }, limits: { memory: '10G' } } }],
      initContainers: [{ name: 'side', restartPolicy: 'Always', resources: { requests: { memory: '1' } } }],
    } };
    expect(containerOOMScoreAdjust(p, p.spec.initContainers[0], 8e9)).toBe(500);
  });
});
