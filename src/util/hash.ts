// Deterministic hashing shared by the controllers that name objects after their content
// (pod-template-hash, controller-revision-hash): FNV-32a over canonical JSON.

/** FNV-32a (Go's hash/fnv New32a) over bytes, continuing from `seed` */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
