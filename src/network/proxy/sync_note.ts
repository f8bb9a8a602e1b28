// The text of kube-proxy's "synced" trace note, shared across nodes. Every node's kube-proxy
// writes one note per Service per sync, and at scale most nodes program a Service alike (the same
// port objects, the same shared chain text), so the part after the node's name is built once per
// distinct programmed state and each node's note is `name + tail`: one rope cell referencing the
// shared tail (V8 keeps a concatenation as a cons string until something flattens it), not a
// chain of fresh pieces per node. A pure cache: the text never depends on hits or misses.

import type { ProxyServicePort } from './types.js';

/** what the note reads of a programmed port */
export interface NotedPort {
  readonly sp: ProxyServicePort;
  /** the chain as the sync note shows it */
  readonly chain: string;
}

/** the reference: the note's text after the node's name, built from scratch */
export function buildSyncedTail(svc: string, ports: readonly NotedPort[]): string {
  const summary = ports.map((p) => `${p.sp.portName || p.sp.port}: ${p.chain}`).join('; ');
  return ` synced ${svc}${summary ? ` (${summary})` : ' (no rules)'}`;
}

interface TailEntry {
  readonly svc: string;
  readonly sps: readonly ProxyServicePort[];
  readonly chains: readonly string[];
  readonly tail: string;
}

/** tails kept per first port object: nodes in different zones (topology hints) or with a
 * Local-policy list of their own may alternate between a few states */
const TAILS_KEPT = 4;

/** first port object (shared per Service object) -> its recent tails, most recent first */
const tailsByPort = new WeakMap<ProxyServicePort, TailEntry[]>();

/** buildSyncedTail, the same string object for every node programming the same state */
export function syncedTail(svc: string, ports: readonly NotedPort[]): string {
  if (ports.length === 0) return buildSyncedTail(svc, ports);
  const first = ports[0].sp;
  let entries = tailsByPort.get(first);
  if (!entries) tailsByPort.set(first, (entries = []));
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.svc !== svc || !sameState(e, ports)) continue;
    if (i > 0) {
      entries.splice(i, 1);
      entries.unshift(e);
    }
    return e.tail;
  }
  const e: TailEntry = { svc, sps: ports.map((p) => p.sp), chains: ports.map((p) => p.chain), tail: buildSyncedTail(svc, ports) };
  entries.unshift(e);
  if (entries.length > TAILS_KEPT) entries.pop();
  return e.tail;
}

function sameState(e: TailEntry, ports: readonly NotedPort[]): boolean {
  if (e.sps.length !== ports.length) return false;
  // chains are mostly the very string other nodes hold (===, no character compare); equal text
  // in another string object still matches, and reads the same
  for (let i = 0; i < ports.length; i++) if (e.sps[i] !== ports[i].sp || e.chains[i] !== ports[i].chain) return false;
  return true;
}
