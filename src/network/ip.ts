// IPv4 arithmetic for Service CIDRs, load-balancer pools and DNS names. The simulator is
// IPv4-only (single-stack clusters), so addresses are plain 32-bit numbers.

export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  // netutils.ParseIPSloppy accepts leading zeros; the strict parser (1.30+ validation) does not
  if (m.slice(1).some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Cidr {
  text: string;
  /** the network address */
  base: number;
  bits: number;
  /** number of addresses in the block */
  size: number;
}

export function parseCidr(s: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = parseIPv4(m[1]);
  const bits = Number(m[2]);
  if (ip === undefined || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const base = bits === 0 ? 0 : ip - (ip % size);
  return { text: `${formatIPv4(base)}/${bits}`, base, bits, size };
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + c.size;
}

/** `1-2-3-4` as CoreDNS and kube-dns spell an IPv4 address in one DNS label. */
export function dashedIP(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}
