// The `endpoints:` and `dns:` expectation subjects: compilation errors and evaluation.

import { describe, expect, it } from 'vitest';
import { compileDnsExpectation, compileEndpointsExpectation, endpointAddresses } from './subjects.js';
import type { KubeObject } from '../api/types.js';

function collect() {
  const errors: string[] = [];
  return { errors, report: (p: (string | number)[], m: string) => errors.push(`${p.join('.')}: ${m}`) };
}

describe('compiling endpoints and dns expectations', () => {
  it('wants name lists for ready/notReady and at least one matcher', () => {
    const a = collect();
    expect(compileEndpointsExpectation({ endpoints: 'web', ready: 3 }, a.report)).toBeUndefined();
    expect(a.errors[0]).toContain('ready: `ready` of an `endpoints:` expectation is the exact list of pod names');
    const b = collect();
    expect(compileEndpointsExpectation({ endpoints: { name: 'web', namespace: 'prod' } }, b.report)).toBeUndefined();
    expect(b.errors[0]).toContain('needs at least one matcher');
    const ok = compileEndpointsExpectation({ endpoints: { name: 'web', namespace: 'prod' }, readyCount: '>=2' }, collect().report);
    expect(ok?.describe).toBe('endpoints web -n prod');
  });

  it('parses `from: pod/<name> [-n <ns>]` and rejects other references', () => {
    expect(compileDnsExpectation({ dns: { from: 'pod/client -n prod', query: 'api' }, rcode: 'NOERROR' }, collect().report)?.describe).toBe('dns A api from pod/client -n prod');
    const c = collect();
    expect(compileDnsExpectation({ dns: { from: 'deployment/web', query: 'api' }, rcode: 'NOERROR' }, c.report)).toBeUndefined();
    expect(c.errors[0]).toContain('"deployment/web" is not a pod reference');
  });
});

describe('endpointAddresses', () => {
  it('names addresses by pod, or by IP outside the cluster, and counts an address once across subsets', () => {
    const ep = {
      subsets: [
        { addresses: [{ ip: '10.244.0.2', targetRef: { kind: 'Pod', name: 'a' } }, { ip: '192.168.1.5' }], ports: [{ port: 80 }] },
        { addresses: [{ ip: '10.244.0.2', targetRef: { kind: 'Pod', name: 'a' } }], notReadyAddresses: [{ ip: '10.244.0.3', targetRef: { kind: 'Pod', name: 'b' } }], ports: [{ port: 81 }] },
      ],
    } as unknown as KubeObject;
    expect(endpointAddresses(ep)).toEqual({ ready: ['192.168.1.5', 'a'], notReady: ['b'] });
    expect(endpointAddresses(undefined)).toEqual({ ready: [], notReady: [] });
  });
});
