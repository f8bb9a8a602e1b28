// The load-balancer pool declaration (cluster.loadBalancerPool): parsing, order, deduplication.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AddressPool, parsePoolEntry, poolErrors } from './address_pool.js';
import { formatIPv4 } from './ip.js';

const addresses = (entries: string[]) => [...new AddressPool(entries).addresses()];

/** the pool as a list, built the direct way: every entry expanded, first occurrence kept */
function expandedReference(entries: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const r = parsePoolEntry(e);
    if (!r) continue;
    for (let n = r[0]; n <= r[1]; n++) {
      const ip = formatIPv4(n);
      if (!seen.has(ip)) (seen.add(ip), out.push(ip));
    }
  }
  return out;
}

describe('loadBalancerPool', () => {
  it('lists CIDRs (without network and broadcast), ranges and single IPs, in order and deduplicated', () => {
    expect(addresses(['192.168.1.240/30'])).toEqual(['192.168.1.241', '192.168.1.242']);
    expect(addresses(['10.0.0.9-10.0.0.11', '10.0.0.10', '10.0.0.1'])).toEqual(['10.0.0.9', '10.0.0.10', '10.0.0.11', '10.0.0.1']);
    expect(addresses(['10.0.0.5/32'])).toEqual(['10.0.0.5']);
    expect(addresses(['10.0.0.4/31'])).toEqual(['10.0.0.4', '10.0.0.5']);
  });

  it('reports entries that are not addresses', () => {
    expect(poolErrors(['192.168.1.300', '10.0.0.5-10.0.0.1', 'x/24', '10.0.0.0/24'])).toEqual([
      '"192.168.1.300" is not an IPv4 address, CIDR or first-last range',
      '"10.0.0.5-10.0.0.1" is not an IPv4 address, CIDR or first-last range',
      '"x/24" is not an IPv4 address, CIDR or first-last range',
    ]);
  });

  it('keeps a large pool as ranges: the first free address of a /8 comes out at once', () => {
    const pool = new AddressPool(['10.0.0.0/8']);
    expect(pool.firstFree(() => false)).toBe('10.0.0.1');
    const taken = new Set(['10.0.0.1', '10.0.0.2']);
    expect(pool.firstFree((ip) => taken.has(ip))).toBe('10.0.0.3');
    expect(pool.contains('10.255.255.254')).toBe(true);
    expect(pool.contains('10.255.255.255')).toBe(false); // broadcast
    expect(pool.contains('11.0.0.1')).toBe(false);
  });

  it('contains only addresses written as the pool writes them', () => {
    const pool = new AddressPool(['10.0.0.0/24']);
    expect(pool.contains('10.0.0.7')).toBe(true);
    expect(pool.contains('10.0.0.07')).toBe(false);
    expect(pool.contains('not-an-ip')).toBe(false);
  });

  it('answers as the expanded list: order, deduplication, membership, first free', () => {
    const base = 10 * 2 ** 24;
    const entry = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 12 })).map(([a, len]) => `${formatIPv4(base + a)}-${formatIPv4(base + a + len)}`),
      fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 28, max: 32 })).map(([a, bits]) => `${formatIPv4(base + a * 4)}/${bits}`),
      fc.integer({ min: 0, max: 70 }).map((a) => formatIPv4(base + a)),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.array(fc.integer({ min: 0, max: 70 }), { maxLength: 20 }), (entries, takenOffsets) => {
        const pool = new AddressPool(entries);
        const expected = expandedReference(entries);
        expect([...pool.addresses()]).toEqual(expected);
        expect(pool.empty).toBe(entries.length === 0);
        const taken = new Set(takenOffsets.map((o) => formatIPv4(base + o)));
        expect(pool.firstFree((ip) => taken.has(ip))).toBe(expected.find((ip) => !taken.has(ip)));
        for (let o = 0; o <= 72; o++) expect(pool.contains(formatIPv4(base + o))).toBe(expected.includes(formatIPv4(base + o)));
      }),
    );
  });
});
