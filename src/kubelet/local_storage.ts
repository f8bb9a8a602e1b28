// Local ephemeral storage limits, after pkg/kubelet/eviction/eviction_manager.go
// localStorageEviction, which runs at the start of every eviction-manager pass (before the
// node-pressure signals) while LocalStorageCapacityIsolation is on (the default), pressure or not:
//   emptyDirLimitEviction          — an emptyDir whose usage exceeds its sizeLimit;
//   podEphemeralStorageLimitEviction — the pod's ephemeral usage (containers' writable layers and
//                                    logs, its disk-backed emptyDirs, etc-hosts) above the sum of
//                                    its containers' limits.ephemeral-storage (resourcehelper.PodLimits);
//   containerEphemeralStorageLimitEviction — a container's writable layer and logs above its own
//                                    limits.ephemeral-storage.
// The first that applies evicts the pod (grace period 1 s, status Failed/Evicted with the message
// below, no DisruptionTarget condition); every pod is checked in the same pass.
//
// What is measured here: an emptyDir's usage is the bytes of its files (src/kubelet/tmpfs.ts
// volumeBytes); a container's writable layer is the bytes of the files it wrote outside its mounts
// (tracked per container file system). Container logs and the etc-hosts file are not modelled
// (counted as 0). A `medium: Memory` emptyDir is a tmpfs sized to its sizeLimit: the kernel refuses
// writes past it (ENOSPC, not modelled), so it is never evicted for its size, and its bytes count
// against memory (tmpfs.ts) rather than ephemeral storage (util.IsLocalEphemeralVolume).
//
// Volume usage reaches the eviction manager through the stats cache
// (pkg/kubelet/server/stats/fs_resource_analyzer.go, volume_stat_calculator.go): the analyzer runs
// every VolumeStatsAggPeriod (1 m) and starts a calculator for each pod it has not seen; a
// calculator measures at once, then again after a jittered period (1–2 m, wait.JitterUntil with
// factor 1.0, sliding). The writable-layer figures are the container runtime's, read at each pass.

import type { KubeObject } from '../api/types.js';
import type { VirtualFileSystem } from './exec/fs.js';
import { formatQuantity, parseQuantity, type Quantity } from '../api/quantity.js';
import { isMemoryMedium } from './tmpfs.js';

/** VolumeStatsAggPeriod (kubelet config default 1m) */
export const VOLUME_STATS_AGG_PERIOD_MS = 60_000;

const EPHEMERAL = 'ephemeral-storage';

function quantity(v: unknown): Quantity | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return parseQuantity(v as string);
  } catch {
    return undefined;
  }
}

/** a quantity's value in bytes, rounded up as Quantity.Value() does */
function bytesOf(q: Quantity): number {
  return Number((q.nano + 999_999_999n) / 1_000_000_000n);
}

/** Quantity.Add: the sum keeps the first operand's format */
function add(a: Quantity | undefined, b: Quantity): Quantity {
  return a ? { ...a, nano: a.nano + b.nano } : { ...b };
}

/**
 * resourcehelper.PodLimits for ephemeral-storage: the containers' limits summed (sidecars too), at
 * least the largest init container's (plus the sidecars started before it); undefined when no
 * container sets one (the pod-level check is skipped then).
 */
export function podEphemeralStorageLimit(spec: any): Quantity | undefined {
  let sum: Quantity | undefined;
  for (const c of spec?.containers ?? []) {
    const q = quantity(c.resources?.limits?.[EPHEMERAL]);
    if (q) sum = add(sum, q);
  }
  let sidecars: Quantity | undefined;
  let initMax: Quantity | undefined;
  for (const c of spec?.initContainers ?? []) {
    const q = quantity(c.resources?.limits?.[EPHEMERAL]);
    if (c.restartPolicy === 'Always') {
      if (q) {
        sum = add(sum, q);
        sidecars = add(sidecars, q);
      }
      if (sidecars && (!initMax || sidecars.nano > initMax.nano)) initMax = { ...sidecars };
    } else if (q) {
      const use = sidecars ? add(q, sidecars) : q;
      if (!initMax || use.nano > initMax.nano) initMax = use;
    }
  }
  if (initMax && (!sum || initMax.nano > sum.nano)) return initMax;
  return sum;
}

export interface PodStorageStats {
  /** the stats cache's latest volume usage (bytes by volume name); undefined before the first calculation */
  volumes?: ReadonlyMap<string, number>;
  /** the running containers' writable layers (bytes; logs are not modelled) */
  containers: { name: string; used: number }[];
}

/** emptyDirLimitEviction: the first emptyDir (spec order) whose usage is above a positive sizeLimit */
export function emptyDirLimitMessage(spec: any, volumes: ReadonlyMap<string, number> | undefined): string | undefined {
  if (!volumes) return undefined;
  for (const v of spec?.volumes ?? []) {
    if (!v.emptyDir || isMemoryMedium(v)) continue;
    const size = quantity(v.emptyDir.sizeLimit);
    const used = volumes.get(v.name);
    if (used === undefined || !size || size.nano <= 0n) continue;
    if (BigInt(used) * 1_000_000_000n > size.nano) return `Usage of EmptyDir volume ${JSON.stringify(v.name)} exceeds the limit ${JSON.stringify(formatQuantity(size))}. `;
  }
  return undefined;
}

/** the pod's ephemeral usage as the stats summary totals it: containers plus disk-backed emptyDirs */
export function podEphemeralUsage(spec: any, stats: PodStorageStats): number {
  let total = stats.containers.reduce((s, c) => s + c.used, 0);
  for (const v of spec?.volumes ?? []) {
    if (v.emptyDir && !isMemoryMedium(v)) total += stats.volumes?.get(v.name) ?? 0;
  }
  return total;
}

/** podEphemeralStorageLimitEviction */
export function podEphemeralStorageLimitMessage(spec: any, stats: PodStorageStats): string | undefined {
  const limit = podEphemeralStorageLimit(spec);
  if (!limit) return undefined;
  if (BigInt(podEphemeralUsage(spec, stats)) * 1_000_000_000n > limit.nano) return `Pod ephemeral local storage usage exceeds the total limit of containers ${formatQuantity(limit)}. `;
  return undefined;
}

/** containerEphemeralStorageLimitEviction: regular containers with a non-zero limit, in the order the stats list them */
export function containerEphemeralStorageLimitMessage(spec: any, stats: PodStorageStats): string | undefined {
  const limits = new Map<string, Quantity>();
  for (const c of spec?.containers ?? []) {
    const q = quantity(c.resources?.limits?.[EPHEMERAL]);
    if (q && bytesOf(q) !== 0) limits.set(c.name, q);
  }
  for (const c of stats.containers) {
    const limit = limits.get(c.name);
    if (limit && BigInt(c.used) * 1_000_000_000n > limit.nano) return `Container ${c.name} exceeded its local ephemeral storage limit ${JSON.stringify(formatQuantity(limit))}. `;
  }
  return undefined;
}

/** localStorageEviction for one pod: the eviction message, or undefined when no limit is exceeded */
export function localStorageEvictionMessage(pod: KubeObject, stats: PodStorageStats): string | undefined {
  const spec = pod.spec ?? {};
  return emptyDirLimitMessage(spec, stats.volumes) ?? podEphemeralStorageLimitMessage(spec, stats) ?? containerEphemeralStorageLimitMessage(spec, stats);
}

/** whether a pod can be evicted for local storage at all (so its volumes need the stats cache) */
export function hasLocalStorageLimits(spec: any): boolean {
  // asked once per pod worker (PodWorker.localStorageLimits), which the eviction manager reads
  if (podEphemeralStorageLimit(spec)) return true;
  return (spec?.volumes ?? []).some((v: any) => v.emptyDir && !isMemoryMedium(v) && (quantity(v.emptyDir.sizeLimit)?.nano ?? 0n) > 0n);
}

// ---- the container's writable layer -------------------------------------------------------------

const writableLayers = new WeakMap<VirtualFileSystem, Set<string>>();

/**
 * Track what a container writes into its own file system (the overlay's upper directory): every
 * path written outside the mounts; `onWrite` hears of each write.
 */
export function trackWritableLayer(fs: VirtualFileSystem, onWrite: () => void): void {
  const paths = new Set<string>();
  writableLayers.set(fs, paths);
  fs.onRootfsWrite = (path) => {
    paths.add(path);
    onWrite();
  };
}

/** bytes in the writable layer: the files written that still exist (a whole file is copied up) */
export function writableLayerBytes(fs: VirtualFileSystem | undefined): number {
  const paths = fs && writableLayers.get(fs);
  if (!paths) return 0;
  let total = 0;
  for (const p of paths) {
    const st = fs.stat(p);
    if (st?.kind === 'file') total += st.size;
  }
  return total;
}
