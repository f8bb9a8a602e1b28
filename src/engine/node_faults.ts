// `fault: nodeDown | nodeUp | partition` steps (DESIGN §3.1): a node's kubelet stops reporting
// (the machine is down) or the node loses the network (partition: its containers keep running
// but nothing reaches the API server or the node). From the control plane's side both look the
// same: the Lease stops being renewed, and the node lifecycle controller takes over
// (src/controllers/nodelifecycle.ts). `for:` ends the fault after that long; `nodeUp` ends it.

import type { Cluster } from './cluster.js';
import { LEASE_RENEW_MS, kubeletReportsAgain, nodeHealth } from '../controllers/nodelifecycle.js';
import { formatDuration } from '../util/duration.js';

export const NODE_FAULT_KINDS = ['nodeDown', 'nodeUp', 'partition'] as const;
export type NodeFaultKindName = (typeof NODE_FAULT_KINDS)[number];

export interface NodeFault {
  kind: NodeFaultKindName;
  node: string;
  forMs?: number;
}

/** What compile.ts's Compiler offers (structural, so this module does not import it). */
export interface NodeFaultCompiler {
  error(p: (string | number)[], message: string, hint?: string, code?: string): void;
  duration(p: (string | number)[], v: unknown, fallback?: number): number | undefined;
}

export function isNodeFault(rawFault: unknown): boolean {
  if (!rawFault || typeof rawFault !== 'object') return false;
  const keys = Object.keys(rawFault);
  return keys.length === 1 && (NODE_FAULT_KINDS as readonly string[]).includes(keys[0]);
}

/** `{nodeDown: node-1}` or `{nodeDown: {node: node-1, for: 2m}}`; `nodes` are the cluster's node names. */
export function compileNodeFault(c: NodeFaultCompiler, rawFault: any, p: (string | number)[], nodes: string[]): { fault: NodeFault; description: string } | undefined {
  const kind = Object.keys(rawFault)[0] as NodeFaultKindName;
  const raw = rawFault[kind];
  const target = typeof raw === 'string' ? { node: raw } : raw ?? {};
  const at = [...p, 'fault', kind];
  if (typeof target.node !== 'string' || target.node === '') {
    c.error(at, 'the fault names no node', `write \`${kind}: node-1\` or \`${kind}: {node: node-1, for: 2m}\``);
    return undefined;
  }
  if (!nodes.includes(target.node)) {
    c.error([...at, 'node'], `no node "${target.node}" in the cluster`, `the cluster's nodes are: ${nodes.join(', ')}`);
    return undefined;
  }
  if (kind === 'nodeUp' && target.for !== undefined) {
    c.error([...at, 'for'], '`nodeUp` has no duration', 'leave `for:` out: the node stays up');
    return undefined;
  }
  const forMs = c.duration([...at, 'for'], target.for);
  return {
    fault: { kind, node: target.node, ...(forMs !== undefined ? { forMs } : {}) },
    description: `fault ${kind} ${target.node}${forMs !== undefined ? ` for ${formatDuration(forMs)}` : ''}`,
  };
}

/** Carry out a node fault now; returns the step's message. */
export function executeNodeFault(cluster: Cluster, fault: NodeFault): string {
  const health = nodeHealth(cluster);
  if (fault.kind === 'nodeUp') return bringUp(cluster, fault.node) ? `node ${fault.node} is reporting again` : `node ${fault.node} was already up`;
  const changed = health.markDown(fault.node, fault.kind === 'nodeDown' ? 'down' : 'partition');
  if (fault.forMs !== undefined) cluster.sim.schedule(fault.forMs, 'node-fault/end', () => bringUp(cluster, fault.node));
  const what = fault.kind === 'nodeDown' ? 'stopped reporting' : 'lost the network';
  return `${changed ? '' : 'still down: '}node ${fault.node} ${what}${fault.forMs !== undefined ? ` for ${formatDuration(fault.forMs)}` : ''}`;
}

/** The kubelet reports again at its next Lease renewal: its node status goes back to healthy. */
function bringUp(cluster: Cluster, node: string): boolean {
  if (!nodeHealth(cluster).markUp(node)) return false;
  // the renewal loop restarts with the kubelet: its first status post comes within one interval
  cluster.sim.schedule(LEASE_RENEW_MS, 'kubelet/node-status', () => {
    if (!nodeHealth(cluster).isDown(node)) kubeletReportsAgain(cluster, node);
  });
  return true;
}
