// A container's file system as the runtime lays it out at start (the image's files, then the
// volume mounts), and when that layout may wait until something first reads the file system: the
// pod worker builds it lazily (most containers are never looked into by an exec, a hook, an exec
// probe or a `file:` expectation) when doing so later changes nothing anyone else can see.

import type { AppModel } from '../apps/registry.js';
import { pathSegments, VirtualFileSystem, type SharedVolume } from './exec/fs.js';
import type { HostPathVolume } from './pod_volumes.js';

export interface MountSources {
  /** the pod's volume of that name, once set up */
  volume(name: string): SharedVolume | undefined;
  /** the volume is mounted read-only whatever the mount says (configMap, secret, downwardAPI, projected) */
  readOnly(name: string): boolean;
  /** for a file hostPath: the file, mounted as a subPath of its directory */
  hostFile(name: string): string | undefined;
}

/** The image's files (a file under a path the layout cannot hold is skipped), then the mounts in order. */
export function layoutContainerFs(files: Readonly<Record<string, string>> | undefined, mounts: readonly any[], subPaths: ReadonlyMap<number, string>, src: MountSources): VirtualFileSystem {
  const fs = new VirtualFileSystem();
  for (const [path, content] of Object.entries(files ?? {})) {
    try {
      const dir = path.slice(0, path.lastIndexOf('/'));
      if (dir) fs.mkdir(dir);
      fs.write(path, content);
    } catch {
      // a file the image declares under a path the layout cannot hold is skipped
    }
  }
  for (let i = 0; i < mounts.length; i++) {
    const m = mounts[i];
    const v = src.volume(m.name);
    if (v) fs.mount(m.mountPath, v, { readOnly: !!m.readOnly || src.readOnly(m.name), subPath: src.hostFile(m.name) ?? subPaths.get(i) ?? m.subPath });
  }
  return fs;
}

/**
 * Whether layoutContainerFs may run later than the container's start with the same outcome: it
 * then touches only the container's own tree and cannot throw. Not so when a mount binds a node
 * of a volume at mount time (subPath, subPathExpr, a file hostPath: a missing subPath is created
 * in the shared volume), when a mount point lies inside another mount (the runtime creates it in
 * that volume), or when a mount point's parent path runs through a file (of the image, or
 * /dev/null: the mount throws ENOTDIR).
 */
export function lazyFsSafe(spec: any, model: AppModel, subPaths: ReadonlyMap<number, string>, hostPaths: readonly HostPathVolume[]): boolean {
  if (subPaths.size) return false;
  const mounts: any[] | undefined = spec.volumeMounts;
  if (!mounts?.length) return true;
  const paths = mountPathsOf(mounts);
  if (!paths) return false;
  for (const h of hostPaths) if (h.file !== undefined && mounts.some((m) => m.name === h.name)) return false;
  for (const a of paths) for (const f of imageFilesOf(model)) if (isStrictPrefix(f, a)) return false;
  return true;
}

/** a container's mount points as path segments; null when one nests in another or binds a subPath */
function mountPathsOf(mounts: readonly any[]): (readonly string[])[] | null {
  // (not remembered per spec: every pod brings specs of its own, and a WeakMap entry costs more than this)
  const paths: (readonly string[])[] = [];
  for (const m of mounts) {
    const segs = typeof m.mountPath === 'string' ? segmentsOf(m.mountPath) : [];
    if (segs.length === 0 || (m.subPath !== undefined && (typeof m.subPath !== 'string' || pathSegments(m.subPath).length > 0))) return null;
    paths.push(segs);
  }
  if (paths.length > 1) for (const a of paths) for (const b of paths) if (a !== b && isStrictPrefix(b, a)) return null;
  return paths;
}

/**
 * pathSegments of a mount path, remembered by its text (a pure function of it): every pod of a
 * workload mounts the same few paths. Bounded: cleared when it reaches 1,024 paths.
 */
const mountSegments = new Map<string, readonly string[]>();
function segmentsOf(path: string): readonly string[] {
  let segs = mountSegments.get(path);
  if (!segs) {
    if (mountSegments.size >= 1024) mountSegments.clear();
    mountSegments.set(path, (segs = pathSegments(path)));
  }
  return segs;
}

/** the files an image's model lays out, and /dev/null, as path segments (remembered per model) */
const imageFiles = new WeakMap<AppModel, string[][]>();
function imageFilesOf(model: AppModel): string[][] {
  let files = imageFiles.get(model);
  if (!files) {
    files = Object.keys(model.files ?? {}).map((f) => pathSegments(f));
    files.push(['dev', 'null']);
    imageFiles.set(model, files);
  }
  return files;
}

/** `a` names a directory above `b` (segment-wise) */
function isStrictPrefix(a: readonly string[], b: readonly string[]): boolean {
  if (a.length >= b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
