// The IPVS and userspace balancers keep the last chain they synced (a chain is never changed: a
// kube-proxy sync makes new ones) and update affinity records in place; these properties check
// that they pick as the balancers that synced and indexed the chain at every connection did.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IpvsBalancer, UserspaceBalancer, type Balancer } from './balancers.js';
import { Rng } from '../../engine/rng.js';
import type { ProxyEndpoint } from './types.js';

const ep = (i: number): ProxyEndpoint => ({ ip: `10.0.0.${i}`, port: 80, key: `10.0.0.${i}:80`, ready: true, serving: true, terminating: false, isLocal: false, zoneHints: [] });

/** the IPVS balancer as it was: sync and index the chain at every pick */
class IpvsScan implements Balancer {
  private order: string[] = [];
  private last: string | undefined;
  private readonly templates = new Map<string, { ep: string; at: number }>();
  pick(chain: ProxyEndpoint[], clientIP: string, now: number, affinityMs: number | undefined): ProxyEndpoint | undefined {
    const keys = new Set(chain.map((e) => e.key));
    if (this.last !== undefined && !keys.has(this.last)) {
      const i = this.order.indexOf(this.last);
      let prev: string | undefined;
      for (let j = i - 1; j >= 0; j--) if (keys.has(this.order[j])) { prev = this.order[j]; break; }
      this.last = prev;
    }
    this.order = this.order.filter((k) => keys.has(k));
    for (const e of chain) if (!this.order.includes(e.key)) this.order.push(e.key);
    if (chain.length === 0) return undefined;
    const byKey = new Map(chain.map((e) => [e.key, e]));
    if (affinityMs !== undefined) {
      const t = this.templates.get(clientIP);
      if (t && now - t.at <= affinityMs && byKey.has(t.ep)) {
        t.at = now;
        return byKey.get(t.ep);
      }
    }
    const i = this.last === undefined ? -1 : this.order.indexOf(this.last);
    const key = this.order[(i + 1) % this.order.length];
    this.last = key;
    if (affinityMs !== undefined) this.templates.set(clientIP, { ep: key, at: now });
    return byKey.get(key);
  }
}

/** the userspace balancer as it was */
class UserspaceScan implements Balancer {
  private list: string[] = [];
  private index = 0;
  private readonly affinity = new Map<string, { ep: string; at: number }>();
  constructor(private readonly rng: Rng) {}
  pick(chain: ProxyEndpoint[], clientIP: string, now: number, affinityMs: number | undefined): ProxyEndpoint | undefined {
    const keys = chain.map((e) => e.key);
    if (keys.length !== this.list.length || keys.some((k) => !this.list.includes(k))) {
      const out = [...keys];
      for (let i = out.length - 1; i > 0; i--) {
        const j = this.rng.int(i + 1);
        [out[i], out[j]] = [out[j], out[i]];
      }
      this.list = out;
      this.index = 0;
      for (const [ip, a] of [...this.affinity]) if (!keys.includes(a.ep)) this.affinity.delete(ip);
    }
    if (this.list.length === 0) return undefined;
    const byKey = new Map(chain.map((e) => [e.key, e]));
    if (affinityMs !== undefined) {
      const a = this.affinity.get(clientIP);
      if (a && now - a.at < affinityMs) {
        a.at = now;
        return byKey.get(a.ep);
      }
    }
    const key = this.list[this.index];
    this.index = (this.index + 1) % this.list.length;
    if (affinityMs !== undefined) this.affinity.set(clientIP, { ep: key, at: now });
    return byKey.get(key);
  }
}

// a connection over the current chain, or a sync: a new chain (the same endpoints again, or others)
const op = fc.oneof(
  { arbitrary: fc.record({ client: fc.integer({ min: 0, max: 3 }), wait: fc.integer({ min: 0, max: 40 }) }), weight: 4 },
  { arbitrary: fc.record({ sync: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 5 }) }), weight: 1 },
  { arbitrary: fc.constant({ same: true as const }), weight: 1 },
);

function play(make: (rng: Rng) => Balancer, ops: (typeof op extends fc.Arbitrary<infer T> ? T : never)[], affinityMs: number | undefined): (string | undefined)[] {
  const b = make(new Rng(3, 'b'));
  let chain = [ep(1), ep(2), ep(3)];
  let now = 0;
  const out: (string | undefined)[] = [];
  for (const o of ops) {
    if ('sync' in o) chain = o.sync.map(ep);
    else if ('same' in o) chain = [...chain];
    else {
      now += o.wait;
      out.push(b.pick(chain, `203.0.113.${o.client}`, now, affinityMs)?.key);
    }
  }
  return out;
}

describe('balancers that keep the last chain', () => {
  for (const affinityMs of [undefined, 50]) {
    it(`IPVS picks as syncing at every connection does (affinity ${affinityMs ?? 'none'})`, () => {
      fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        expect(play(() => new IpvsBalancer(), ops, affinityMs)).toEqual(play(() => new IpvsScan(), ops, affinityMs));
      }), { numRuns: 300, seed: 3 });
    });
    it(`userspace picks as checking the chain at every connection does (affinity ${affinityMs ?? 'none'})`, () => {
      fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        expect(play((rng) => new UserspaceBalancer(rng), ops, affinityMs)).toEqual(play((rng) => new UserspaceScan(rng), ops, affinityMs));
      }), { numRuns: 300, seed: 3 });
    });
  }
});
