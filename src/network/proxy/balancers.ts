// How each proxy mode picks the endpoint of a NEW connection (later packets of a connection
// follow conntrack and never come back here).
// - iptables: pkg/proxy/iptables/proxier.go writeServiceToEndpointRules + computeProbability:
//   rule i of n matches with probability 1/(n-i) printed "%0.10f", the last rule is
//   unconditional; ClientIP affinity = one `-m recent --rcheck --seconds T --reap` rule per
//   endpoint in endpoint order before them, and `--set` in every endpoint chain (a sliding window
//   from the client's last new connection; lists are per endpoint and outlive the endpoint).
// - ipvs: pkg/proxy/ipvs/proxier.go defaultScheduler "rr"; ClientIP = persistent virtual server
//   (a template per client IP, expired when its real server goes: expire_quiescent_template=1).
// - userspace (removed in 1.26): pkg/proxy/userspace/roundrobin.go LoadBalancerRR: the list is
//   shuffled on every change and the index reset; affinity map clientIP -> endpoint, refreshed on
//   every new connection, stale records removed with their endpoint.

import type { Rng } from '../../engine/rng.js';
import type { ProxyEndpoint } from './types.js';

export type ProxyMode = 'iptables' | 'ipvs' | 'userspace';

export interface Balancer {
  /** the endpoint for a new connection from `clientIP` over `chain` (rule order), or undefined */
  pick(chain: ProxyEndpoint[], clientIP: string, now: number, affinityMs: number | undefined): ProxyEndpoint | undefined;
}

/** computeProbability: fmt.Sprintf("%0.10f", 1.0/float64(n)) */
export function computeProbability(n: number): string {
  return (1 / n).toFixed(10);
}

/** The statistic-match probabilities of the n-1 conditional rules, as iptables-save prints them. */
export function iptablesProbabilities(n: number): string[] {
  return Array.from({ length: Math.max(0, n - 1) }, (_, i) => computeProbability(n - i));
}

export class IptablesBalancer implements Balancer {
  /** xt_recent lists: endpoint "IP:port" -> source IP -> time of the last --set */
  private readonly recent = new Map<string, Map<string, number>>();

  constructor(private readonly rng: Rng) {}

  pick(chain: ProxyEndpoint[], clientIP: string, now: number, affinityMs: number | undefined): ProxyEndpoint | undefined {
    if (chain.length === 0) return undefined;
    let chosen: ProxyEndpoint | undefined;
    if (affinityMs !== undefined) {
      for (const ep of chain) {
        const seen = this.recent.get(ep.key)?.get(clientIP);
        if (seen !== undefined && now - seen <= affinityMs) {
          chosen = ep;
          break;
        }
      }
    }
    if (!chosen) {
      const n = chain.length;
      // xt_statistic draws independently at each rule until one matches
      for (let i = 0; i < n - 1 && !chosen; i++) {
        if (this.rng.float() < Number(computeProbability(n - i))) chosen = chain[i];
      }
      chosen ??= chain[n - 1];
    }
    if (affinityMs !== undefined) {
      let list = this.recent.get(chosen.key);
      if (!list) this.recent.set(chosen.key, (list = new Map()));
      list.set(clientIP, now);
    }
    return chosen;
  }
}

export class IpvsBalancer implements Balancer {
  private order: string[] = [];
  private last: string | undefined;
  private readonly templates = new Map<string, { ep: string; at: number }>();
  /** the chain synced last and its endpoints by key: a chain is never changed (a sync makes a new
   * one), so the next connection over the same chain neither syncs nor indexes it again */
  private synced: readonly ProxyEndpoint[] | undefined;
  private byKey = new Map<string, ProxyEndpoint>();

  pick(chain: ProxyEndpoint[], clientIP: string, now: number, affinityMs: number | undefined): ProxyEndpoint | undefined {
    if (chain !== this.synced) {
      this.syncDests(chain);
      this.synced = chain;
      this.byKey = new Map(chain.map((e) => [e.key, e]));
    }
    if (chain.length === 0) return undefined;
    const byKey = this.byKey;
    if (affinityMs !== undefined) {
      const t = this.templates.get(clientIP);
      if (t && now - t.at <= affinityMs && byKey.has(t.ep)) {
        t.at = now;
        return byKey.get(t.ep);
      }
    }
    // ip_vs_rr_schedule: the destination after the last scheduled one, wrapping round
    const i = this.last === undefined ? -1 : this.order.indexOf(this.last);
    const key = this.order[(i + 1) % this.order.length];
    this.last = key;
    if (affinityMs !== undefined) {
      const t = this.templates.get(clientIP);
      if (t) {
        t.ep = key;
        t.at = now;
      } else this.templates.set(clientIP, { ep: key, at: now });
    }
    return byKey.get(key);
  }

  /** real servers keep their place; new ones are appended; a removed last-used one hands its place to its predecessor */
  private syncDests(chain: ProxyEndpoint[]): void {
    const keys = new Set(chain.map((e) => e.key));
    if (this.last !== undefined && !keys.has(this.last)) {
      const i = this.order.indexOf(this.last);
      let prev: string | undefined;
      for (let j = i - 1; j >= 0; j--) if (keys.has(this.order[j])) { prev = this.order[j]; break; }
      this.last = prev;
    }
    this.order = this.order.filter((k) => keys.has(k));
    for (const e of chain) if (!this.order.includes(e.key)) this.order.push(e.key);
  }
}

export class UserspaceBalancer implements Balancer {
  private list: string[] = [];
  private index = 0;
  private readonly affinity = new Map<string, { ep: string; at: number }>();
  /** the chain seen last and its endpoints by key (chains are never changed: see IpvsBalancer) */
  private seen: readonly ProxyEndpoint[] | undefined;
  private byKey = new Map<string, ProxyEndpoint>();

  constructor(private readonly rng: Rng) {}

  pick(chain: ProxyEndpoint[], clientIP: string, now: number, affinityMs: number | undefined): ProxyEndpoint | undefined {
    if (chain !== this.seen) {
      const keys = chain.map((e) => e.key);
      if (keys.length !== this.list.length || keys.some((k) => !this.list.includes(k))) {
        // OnEndpointsUpdate: shuffle, reset the index, drop affinity records of removed endpoints
        this.list = shuffle(keys, this.rng);
        this.index = 0;
        for (const [ip, a] of [...this.affinity]) if (!keys.includes(a.ep)) this.affinity.delete(ip);
      }
      this.seen = chain;
      this.byKey = new Map(chain.map((e) => [e.key, e]));
    }
    if (this.list.length === 0) return undefined;
    const byKey = this.byKey;
    if (affinityMs !== undefined) {
      const a = this.affinity.get(clientIP);
      if (a && now - a.at < affinityMs) {
        a.at = now;
        return byKey.get(a.ep);
      }
    }
    const key = this.list[this.index];
    this.index = (this.index + 1) % this.list.length;
    if (affinityMs !== undefined) {
      const a = this.affinity.get(clientIP);
      if (a) {
        a.ep = key;
        a.at = now;
      } else this.affinity.set(clientIP, { ep: key, at: now });
    }
    return byKey.get(key);
  }
}

/** util.ShuffleStrings: Fisher-Yates from the end */
function shuffle<T>(items: T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function newBalancer(mode: ProxyMode, rng: Rng): Balancer {
  return mode === 'iptables' ? new IptablesBalancer(rng) : mode === 'ipvs' ? new IpvsBalancer() : new UserspaceBalancer(rng);
}
