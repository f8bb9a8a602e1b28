// A load-balancer address pool (cluster.loadBalancerPool) kept as the ranges it was declared as:
// a /8 is one pair of numbers, not 16M strings. Addresses come out in declaration order, each
// once (an address declared twice keeps its first place), as MetalLB hands out a pool's addresses.

import { formatIPv4, parseCidr, parseIPv4 } from './ip.js';

/** First and last address (as 32-bit numbers) of one pool entry. */
type Range = readonly [first: number, last: number];

/**
 * An entry's addresses: a CIDR without its network and broadcast address when larger than /31,
 * a first-last range, or one IP. undefined when the entry is none of these.
 */
export function parsePoolEntry(entry: string): Range | undefined {
  const t = entry.trim();
  if (t.includes('/')) {
    const c = parseCidr(t);
    if (!c) return undefined;
    const skip = c.size > 2 ? 1 : 0;
    return [c.base + skip, c.base + c.size - 1 - skip];
  }
  if (t.includes('-')) {
    const [a, b] = t.split('-').map((x) => parseIPv4(x));
    if (a === undefined || b === undefined || b < a) return undefined;
    return [a, b];
  }
  const ip = parseIPv4(t);
  return ip === undefined ? undefined : [ip, ip];
}

/** Problems with a pool declaration, for the compiler. */
export function poolErrors(entries: readonly string[]): string[] {
  const errs: string[] = [];
  for (const e of entries) if (parsePoolEntry(e) === undefined) errs.push(`"${e}" is not an IPv4 address, CIDR or first-last range`);
  return errs;
}

export class AddressPool {
  private readonly ranges: Range[] = [];

  /** entries the compiler rejected (poolErrors) are left out */
  constructor(entries: readonly string[]) {
    for (const e of entries) {
      const r = parsePoolEntry(e);
      if (r) this.ranges.push(r);
    }
  }

  get empty(): boolean {
    return this.ranges.length === 0;
  }

  /** whether `ip`, written as the pool writes its addresses, is one of them */
  contains(ip: string): boolean {
    const n = parseIPv4(ip);
    return n !== undefined && formatIPv4(n) === ip && this.ranges.some(([a, b]) => a <= n && n <= b);
  }

  /** The pool's addresses in declaration order, each once; lazily, so a large pool costs nothing. */
  *addresses(): Generator<string> {
    for (let i = 0; i < this.ranges.length; i++) {
      const [first, last] = this.ranges[i];
      let n = first;
      while (n <= last) {
        // an address an earlier entry holds came out there: skip that entry's whole overlap
        const earlier = this.coveredBefore(i, n);
        if (earlier !== undefined) {
          n = earlier + 1;
          continue;
        }
        yield formatIPv4(n);
        n++;
      }
    }
  }

  /** the first address (declaration order) `taken` does not hold */
  firstFree(taken: (ip: string) => boolean): string | undefined {
    for (const ip of this.addresses()) if (!taken(ip)) return ip;
    return undefined;
  }

  /** the last address of an entry before `i` that holds `n` */
  private coveredBefore(i: number, n: number): number | undefined {
    for (let j = 0; j < i; j++) {
      const [a, b] = this.ranges[j];
      if (a <= n && n <= b) return b;
    }
    return undefined;
  }
}
