// ControllerRevision helpers shared by the StatefulSet and DaemonSet controllers
// (pkg/controller/history/controller_history.go, staging/src/k8s.io/apimachinery/pkg/util/rand
// SafeEncodeString). A revision snapshots the pod template as a patch; its name is
// `<parent>-<hash>` and its `controller-revision-hash` label is the hash.
//
// The hash cannot be upstream's byte for byte (upstream hashes the Go-serialised patch);
// we hash a canonical JSON of the same data with the same FNV-32a + SafeEncodeString steps,
// so names have upstream's shape and change exactly when the template changes.

import type { KubeObject } from '../api/types.js';
import { controllerRef } from '../api/server.js';
import { fnv32a } from '../util/hash.js';

export { fnv32a };

export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** rand.SafeEncodeString's alphabet: no vowels, no confusable characters */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}


/** JSON with object keys sorted, so equal data always hashes equally */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as object).filter((k) => (v as any)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * HashControllerRevision: FNV-32a of the revision data, then the collision count as 8 bytes
 * (little-endian uint32 + 4 zero bytes) when set, formatted as decimal and safe-encoded.
 */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(data)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}

/** ControllerRevisionName: the prefix is cut to 223 characters so the name stays valid */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** NewControllerRevision: labelled with the template labels and the hash, owned by the parent */
export function newControllerRevision(parent: KubeObject, templateLabels: Record<string, string> | undefined, data: unknown, revision: number, collisionCount?: number): KubeObject {
  const hash = hashControllerRevision(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(parent.metadata.name!, hash),
      namespace: parent.metadata.namespace,
      labels: { ...(templateLabels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [controllerRef(parent)],
    },
    data: structuredClone(data),
    revision,
  };
}

/** EqualRevision: same data (the hash label is only a fast path upstream) */
export function equalRevision(a: KubeObject, b: KubeObject): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/** byRevision: ascending revision number, ties by name */
export function sortRevisions(revs: KubeObject[]): KubeObject[] {
  return [...revs].sort((a, b) => {
    const ra = (a.revision as number) ?? 0, rb = (b.revision as number) ?? 0;
    if (ra !== rb) return ra - rb;
    const na = a.metadata.name!, nb = b.metadata.name!;
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

export function nextRevision(sorted: KubeObject[]): number {
  return sorted.length === 0 ? 1 : ((sorted[sorted.length - 1].revision as number) ?? 0) + 1;
}
