// emptyDir with `medium: Memory` is a tmpfs (pkg/volume/emptydir/empty_dir.go setupTmpfs): its
// pages are charged to the memory cgroup of the process that writes them, so the app's own memory
// plus what it stored there is what the OOM killer compares with the container's memory limit
// (pod-lifecycle reference §6). Here the whole volume is charged to every container that wrote to
// it (upstream charges each page once, to its first writer).

import type { SharedVolume } from './exec/fs.js';

/** bytes of file content in a volume (UTF-8), the tmpfs usage */
export function volumeBytes(v: SharedVolume): number {
  let total = 0;
  for (const content of Object.values(v.snapshot())) total += Buffer.byteLength(content, 'utf8');
  return total;
}

export function isMemoryMedium(volume: any): boolean {
  return volume?.emptyDir?.medium === 'Memory';
}

/** the memory cgroup's usage: the app's own bytes plus the tmpfs bytes charged to it */
export function exceedsMemoryLimit(appBytes: number, tmpfsBytes: number, limit: number | undefined): boolean {
  return limit !== undefined && appBytes + tmpfsBytes > limit;
}
