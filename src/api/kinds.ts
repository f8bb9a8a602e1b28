// Which kinds are namespaced, and their API versions: one table, shared with kubectl's resource
// resolution. Unknown kinds (custom resources) are treated as namespaced unless their
// CustomResourceDefinition says otherwise.

import { resourceByKind } from '../kubectl/resources.js';

const clusterScopedCustom = new Set<string>();

export function isNamespacedKind(kind: string): boolean {
  const r = resourceByKind(kind);
  if (r) return r.namespaced;
  return !clusterScopedCustom.has(kind);
}

/** Register a CustomResourceDefinition's scope (called when a CRD is stored). */
export function registerCustomKind(kind: string, namespaced: boolean): void {
  if (namespaced) clusterScopedCustom.delete(kind);
  else clusterScopedCustom.add(kind);
}

export function apiVersionOfKind(kind: string): string | undefined {
  return resourceByKind(kind)?.apiVersion;
}
