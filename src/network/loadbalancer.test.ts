// The load-balancer pool declaration (cluster.loadBalancerPool) and its expansion.

import { describe, expect, it } from 'vitest';
import { expandPool, poolErrors } from './loadbalancer.js';

describe('loadBalancerPool', () => {
  it('expands CIDRs (without network and broadcast), ranges and single IPs, in order and deduplicated', () => {
    expect(expandPool(['192.168.1.240/30'])).toEqual(['192.168.1.241', '192.168.1.242']);
    expect(expandPool(['10.0.0.9-10.0.0.11', '10.0.0.10', '10.0.0.1'])).toEqual(['10.0.0.9', '10.0.0.10', '10.0.0.11', '10.0.0.1']);
    expect(expandPool(['10.0.0.5/32'])).toEqual(['10.0.0.5']);
  });

  it('reports entries that are not addresses', () => {
    expect(poolErrors(['192.168.1.300', '10.0.0.5-10.0.0.1', 'x/24', '10.0.0.0/24'])).toEqual([
      '"192.168.1.300" is not an IPv4 address, CIDR or first-last range',
      '"10.0.0.5-10.0.0.1" is not an IPv4 address, CIDR or first-last range',
      '"x/24" is not an IPv4 address, CIDR or first-last range',
    ]);
  });
});
