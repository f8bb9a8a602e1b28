import { describe, expect, it } from 'vitest';
import { categorizeEndpoints } from './topology.js';
import type { ProxyEndpoint } from './types.js';

// Rows translated from pkg/proxy/topology_test.go TestCategorizeEndpoints (the reference's subset).
function ep(ip: string, o: { r?: boolean; s?: boolean; t?: boolean; local?: boolean; zones?: string[] } = {}): ProxyEndpoint {
  const ready = o.r ?? true;
  return { ip, port: 80, key: `${ip}:80`, ready, serving: o.s ?? ready, terminating: o.t ?? false, isLocal: !!o.local, zoneHints: o.zones ?? [] };
}
const keys = (l: ProxyEndpoint[] | undefined) => (l === undefined ? undefined : l.map((e) => e.ip).sort());
const svc = (o: { itp?: boolean; etp?: boolean; ext?: boolean } = {}) => ({ internalPolicyLocal: !!o.itp, externalPolicyLocal: !!o.etp && !!o.ext, externallyAccessible: !!o.ext });

describe('categorizeEndpoints (TestCategorizeEndpoints)', () => {
  it('hints for zone a on no ready endpoint are ignored', () => {
    const r = categorizeEndpoints([ep('10.1.2.3', { r: false, zones: ['a'] }), ep('10.1.2.4', { zones: ['b'] }), ep('10.1.2.5', { zones: ['c'] }), ep('10.1.2.6', { r: false, zones: ['a'] })], svc(), 'a');
    expect(keys(r.cluster)).toEqual(['10.1.2.4', '10.1.2.5']);
    expect(r.local).toBeUndefined();
  });
  it('one ready endpoint without a hint: hints ignored', () => {
    const r = categorizeEndpoints([ep('10.1.2.3', { zones: ['a'] }), ep('10.1.2.4', { zones: ['b'] }), ep('10.1.2.5', { zones: ['c'] }), ep('10.1.2.6')], svc(), 'a');
    expect(keys(r.cluster)).toEqual(['10.1.2.3', '10.1.2.4', '10.1.2.5', '10.1.2.6']);
  });
  it('node in zone c keeps the endpoints hinted for c', () => {
    const r = categorizeEndpoints([ep('10.1.2.3', { zones: ['a', 'b', 'c'] }), ep('10.1.2.4', { zones: ['b', 'c'] }), ep('10.1.2.5', { zones: ['b', 'd'] }), ep('10.1.2.6', { zones: ['c'] })], svc(), 'c');
    expect(keys(r.cluster)).toEqual(['10.1.2.3', '10.1.2.4', '10.1.2.6']);
  });
  it('ITP Local with only remote endpoints: no local endpoints but hasAny (traffic dropped)', () => {
    const r = categorizeEndpoints([ep('10.0.0.0'), ep('10.0.0.1')], svc({ itp: true }), undefined);
    expect(r.cluster).toBeUndefined();
    expect(keys(r.local)).toEqual([]);
    expect(r.hasAny).toBe(true);
  });
  it('ITP Local keeps the local endpoint only', () => {
    const r = categorizeEndpoints([ep('10.0.0.0', { local: true }), ep('10.0.0.1')], svc({ itp: true }), undefined);
    expect(keys(r.local)).toEqual(['10.0.0.0']);
  });
  it('Cluster: not-ready endpoints are not used; with no ready one the serving+terminating ones are', () => {
    expect(keys(categorizeEndpoints([ep('10.0.0.0', { r: false }), ep('10.0.0.1', { r: false })], svc(), undefined).cluster)).toEqual([]);
    expect(keys(categorizeEndpoints([ep('10.0.0.0', { r: false }), ep('10.0.0.1')], svc(), undefined).cluster)).toEqual(['10.0.0.1']);
    const term = categorizeEndpoints([ep('10.0.0.0', { r: false, s: true, t: true, local: true }), ep('10.0.0.1', { r: false, s: true, t: true })], svc(), undefined);
    expect(keys(term.cluster)).toEqual(['10.0.0.0', '10.0.0.1']);
    expect(term.hasAny).toBe(true);
  });
  it('ITP Local, ETP Cluster, nodePort: cluster both, local the local one', () => {
    const r = categorizeEndpoints([ep('10.0.0.0', { local: true }), ep('10.0.0.1')], svc({ itp: true, ext: true }), undefined);
    expect(keys(r.cluster)).toEqual(['10.0.0.0', '10.0.0.1']);
    expect(keys(r.local)).toEqual(['10.0.0.0']);
  });
  it('ITP Cluster, ETP Local: terminating local endpoint used when no local ready one', () => {
    const r = categorizeEndpoints(
      [ep('10.0.0.0'), ep('10.0.0.1', { r: false, s: false, local: true }), ep('10.0.0.2', { r: false, s: true, t: true, local: true }), ep('10.0.0.3', { r: false, s: true, t: true })],
      svc({ etp: true, ext: true }),
      undefined,
    );
    expect(keys(r.cluster)).toEqual(['10.0.0.0']);
    expect(keys(r.local)).toEqual(['10.0.0.2']);
  });
  it('ETP Local without external access is ignored', () => {
    const r = categorizeEndpoints([ep('10.0.0.0'), ep('10.0.0.1', { local: true })], svc({ etp: true, ext: false }), undefined);
    expect(keys(r.cluster)).toEqual(['10.0.0.0', '10.0.0.1']);
    expect(r.local).toBeUndefined();
  });
  it('no endpoints: nothing, hasAny false', () => {
    expect(categorizeEndpoints([], svc({ itp: true }), undefined)).toEqual({ hasAny: false });
  });
});
