// A container's file system: an in-memory tree with the usual image directories, plus volumes
// mounted at paths. A volume is a separate tree (SharedVolume) that several containers' file
// systems mount at once, so a write by one container is read by another (emptyDir, reference
// pod-lifecycle §6). Only emptyDir exists today; configMap, secret, downwardAPI, projected and
// hostPath volumes come with the config/storage issue and will fill a SharedVolume through
// `replaceAll` (the atomic `..data` swap of upstream's AtomicWriter).

import type { ContainerFileSystem, FileStat } from './types.js';

export type FsErrorCode = 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EROFS' | 'EEXIST' | 'ENOTEMPTY' | 'EBUSY';

const MESSAGES: Record<FsErrorCode, string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EBUSY: 'Resource busy',
};

/** A failed file operation; `message` is the strerror text busybox prints. */
export class FsError extends Error {
  constructor(readonly code: FsErrorCode, readonly path: string) {
    super(MESSAGES[code]);
    this.name = 'FsError';
  }
}

interface FileNode {
  kind: 'file';
  mode: number;
  content: string;
}
interface DirNode {
  kind: 'dir';
  mode: number;
  children: Map<string, Node>;
}
/** character devices like /dev/null: reads are empty, writes vanish */
interface DevNode {
  kind: 'dev';
  mode: number;
}
type Node = FileNode | DirNode | DevNode;

export const DEFAULT_FILE_MODE = 0o644;
export const DEFAULT_DIR_MODE = 0o755;
/** the kubelet creates emptyDir directories world-writable (pkg/volume/emptydir/empty_dir.go perm 0777) */
export const EMPTYDIR_MODE = 0o777;

const dir = (mode = DEFAULT_DIR_MODE): DirNode => ({ kind: 'dir', mode, children: new Map() });

/** Split a path into segments, resolving `.`, `..` and repeated or trailing slashes. */
export function pathSegments(path: string, cwd = '/'): string[] {
  const full = path.startsWith('/') ? path : `${cwd}/${path}`;
  const out: string[] = [];
  for (const seg of full.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out;
}

export const joinPath = (segs: readonly string[]): string => '/' + segs.join('/');

function walk(start: Node, segs: readonly string[], path: string): Node | undefined {
  let node: Node = start;
  for (const seg of segs) {
    if (node.kind !== 'dir') throw new FsError('ENOTDIR', path);
    const child = node.children.get(seg);
    if (!child) return undefined;
    node = child;
  }
  return node;
}

/** mkdir -p inside a tree; returns the final directory */
function ensureDirs(start: DirNode, segs: readonly string[], path: string, mode = DEFAULT_DIR_MODE): DirNode {
  let node: DirNode = start;
  for (const seg of segs) {
    const child = node.children.get(seg);
    if (!child) {
      const d = dir(mode);
      node.children.set(seg, d);
      node = d;
    } else if (child.kind === 'dir') node = child;
    else throw new FsError('ENOTDIR', path);
  }
  return node;
}

/** Object.keys(o).sort(), without the sort when the keys already come in that order (the usual payload) */
function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return keys.sort();
  return keys;
}

/** one file of a replaceAll payload, its parent directories made 0755 */
function addFile(root: DirNode, key: string, mode: number, content: string): void {
  // a plain name (what configMap keys and most projections are) is a child of the root
  const plain = key !== '' && key !== '.' && key !== '..' && !key.includes('/');
  const segs = plain ? undefined : pathSegments(key);
  if (segs && segs.length === 0) throw new Error(`SharedVolume.replaceAll: empty file path ${JSON.stringify(key)}`);
  const parent = segs ? ensureDirs(root, segs.slice(0, -1), key) : root;
  parent.children.set(segs ? segs[segs.length - 1] : key, { kind: 'file', mode, content });
}

/**
 * A volume's file tree, mounted by one or more containers. Containers that mount it without a
 * subPath look its root up on every access, so `replaceAll` swaps the whole content at once for
 * all of them; a subPath mount holds on to the node it bound, like a bind mount, which is why
 * upstream never updates subPath mounts of configMap/secret volumes.
 */
export class SharedVolume {
  /** @internal the current tree; replaced by `replaceAll` */
  root: DirNode;

  constructor(opts: { mode?: number } = {}) {
    this.root = dir(opts.mode ?? EMPTYDIR_MODE);
  }

  /**
   * Replace the whole content atomically (configMap/secret/downwardAPI payloads): keys are
   * relative paths ("dir/file"), intermediate directories are created 0755.
   */
  replaceAll(files: Record<string, string>, opts: { defaultMode?: number; modes?: Record<string, number> } = {}): void {
    const root = dir(this.root.mode);
    for (const key of Object.keys(files).sort()) {
      addFile(root, key, opts.modes?.[key] ?? opts.defaultMode ?? DEFAULT_FILE_MODE, files[key]);
    }
    this.root = root;
  }

  /**
   * replaceAll of a volume plugin's payload (path → content and mode): the same tree as
   * replaceAll(contents, { modes }), without splitting the payload into those two records.
   */
  replaceProjected(files: Readonly<Record<string, { content: string; mode: number }>>): void {
    const root = dir(this.root.mode);
    for (const key of sortedKeys(files)) {
      const f = files[key];
      addFile(root, key, f.mode ?? DEFAULT_FILE_MODE, f.content);
    }
    this.root = root;
  }

  /** Every file as relative path → content, sorted (for tests and status views). */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    const visit = (node: DirNode, prefix: string) => {
      for (const name of [...node.children.keys()].sort()) {
        const child = node.children.get(name)!;
        if (child.kind === 'dir') visit(child, `${prefix}${name}/`);
        else if (child.kind === 'file') out[prefix + name] = child.content;
      }
    };
    visit(this.root, '');
    return out;
  }
}

interface Mount {
  segs: string[];
  volume: SharedVolume;
  readOnly: boolean;
  /** set for subPath mounts: the node bound at mount time */
  bound?: Node;
}

/**
 * The base layout of a busybox-like image: the usual top-level directories, /tmp world-writable,
 * /dev/null, /proc present but empty (procfs is not modelled).
 */
const BASE_DIRS: Array<[string, number]> = [
  ['bin', 0o755], ['dev', 0o755], ['etc', 0o755], ['home', 0o755], ['proc', 0o555], ['root', 0o700],
  ['sys', 0o555], ['tmp', 0o1777], ['usr', 0o755], ['usr/bin', 0o755], ['usr/local', 0o755],
  ['var', 0o755], ['var/log', 0o755], ['var/run', 0o755], ['var/tmp', 0o1777],
];

/** BASE_DIRS split once: every container start lays them out */
const BASE_DIR_SEGMENTS: ReadonlyArray<readonly [string, readonly string[], number]> = BASE_DIRS.map(([path, mode]) => [path, pathSegments(path), mode]);

export class VirtualFileSystem implements ContainerFileSystem {
  private readonly root: DirNode = dir();
  /** longest path first, so the innermost mount wins */
  private mounts: Mount[] = [];
  /** called after a write lands in a mounted volume (tmpfs accounting: src/kubelet/tmpfs.ts) */
  onWrite?: (volume: SharedVolume) => void;
  /** called after a write lands in the container's own writable layer (ephemeral storage: src/kubelet/local_storage.ts) */
  onRootfsWrite?: (path: string) => void;

  constructor() {
    for (const [path, segs, mode] of BASE_DIR_SEGMENTS) ensureDirs(this.root, segs, path).mode = mode;
    const devDir = walk(this.root, ['dev'], '/dev') as DirNode;
    devDir.children.set('null', { kind: 'dev', mode: 0o666 });
  }

  /**
   * Mount `volume` at `path` (the container runtime creates the mount point and its parents).
   * With `subPath`, only that part of the volume is mounted; like the kubelet, a missing subPath
   * is created as a directory in the volume (pkg/volume/util/subpath `doSafeMakeDir`).
   */
  mount(path: string, volume: SharedVolume, opts: { readOnly?: boolean; subPath?: string } = {}): void {
    const segs = pathSegments(path);
    if (segs.length === 0) throw new Error('VirtualFileSystem.mount: cannot mount over /');
    let bound: Node | undefined;
    if (opts.subPath !== undefined && pathSegments(opts.subPath).length > 0) {
      const sub = pathSegments(opts.subPath);
      bound = walk(volume.root, sub, opts.subPath) ?? ensureDirs(volume.root, sub, opts.subPath, EMPTYDIR_MODE);
    }
    // the runtime creates the mount point (and its parents) in whatever tree holds it, which may
    // be another volume mounted above it
    const loc = this.locate(segs.slice(0, -1));
    if (loc.start.kind !== 'dir') throw new FsError('ENOTDIR', path);
    const parent = ensureDirs(loc.start, loc.rest, path);
    const name = segs[segs.length - 1];
    if (!parent.children.has(name)) {
      parent.children.set(name, bound?.kind === 'file' ? { kind: 'file', mode: DEFAULT_FILE_MODE, content: '' } : dir());
    }
    this.mounts = [...this.mounts.filter((m) => joinPath(m.segs) !== joinPath(segs)), { segs, volume, readOnly: !!opts.readOnly, bound }]
      .sort((a, b) => b.segs.length - a.segs.length);
  }

  /** the mount governing `segs` and the path inside it */
  private locate(segs: readonly string[]): { start: Node; rest: string[]; mount?: Mount } {
    for (const m of this.mounts) {
      if (m.segs.length <= segs.length && m.segs.every((s, i) => segs[i] === s)) {
        return { start: m.bound ?? m.volume.root, rest: segs.slice(m.segs.length), mount: m };
      }
    }
    return { start: this.root, rest: [...segs] };
  }

  private node(path: string): Node | undefined {
    const segs = pathSegments(path);
    const { start, rest } = this.locate(segs);
    try {
      return walk(start, rest, path);
    } catch {
      return undefined; // a file in the middle of the path: no such entry
    }
  }

  /** the directory that holds `path`'s last segment, for writes; throws like open(2) would */
  private parentForWrite(path: string): { parent: DirNode; name: string; mount?: Mount; segs: string[] } {
    const segs = pathSegments(path);
    if (segs.length === 0) throw new FsError('EISDIR', path);
    const { mount } = this.locate(segs);
    if (mount?.readOnly) throw new FsError('EROFS', path);
    if (mount && mount.segs.length === segs.length) throw new FsError('EBUSY', path);
    const parentSegs = segs.slice(0, -1);
    const loc = this.locate(parentSegs);
    const parent = walk(loc.start, loc.rest, path);
    if (!parent) throw new FsError('ENOENT', path);
    if (parent.kind !== 'dir') throw new FsError('ENOTDIR', path);
    return { parent, name: segs[segs.length - 1], mount, segs };
  }

  read(path: string): string | undefined {
    const n = this.node(path);
    if (!n) return undefined;
    if (n.kind === 'dir') throw new FsError('EISDIR', path);
    return n.kind === 'file' ? n.content : '';
  }

  write(path: string, content: string, opts: { append?: boolean } = {}): void {
    const segs = pathSegments(path);
    const { mount, start, rest } = this.locate(segs);
    // writing a file that is itself a mount point (a subPath file mount)
    if (mount && mount.segs.length === segs.length) {
      if (mount.readOnly) throw new FsError('EROFS', path);
      const target = walk(start, rest, path);
      if (!target || target.kind === 'dir') throw new FsError('EISDIR', path);
      if (target.kind === 'file') target.content = opts.append ? target.content + content : content;
      this.onWrite?.(mount.volume);
      return;
    }
    const existing = this.node(path);
    if (existing?.kind === 'dev') return;
    if (existing?.kind === 'dir') throw new FsError('EISDIR', path);
    const { parent, name, mount: into } = this.parentForWrite(path);
    const file = parent.children.get(name);
    if (file?.kind === 'file') file.content = opts.append ? file.content + content : content;
    else parent.children.set(name, { kind: 'file', mode: DEFAULT_FILE_MODE, content });
    if (into) this.onWrite?.(into.volume);
    else this.onRootfsWrite?.(joinPath(segs));
  }

  remove(path: string): boolean {
    const n = this.node(path);
    if (!n) return false;
    const { parent, name } = this.parentForWrite(path);
    // a directory holding a mount point is never empty: the mount point is its child
    if (n.kind === 'dir' && n.children.size > 0) throw new FsError('ENOTEMPTY', path);
    return parent.children.delete(name);
  }

  exists(path: string): boolean {
    return this.node(path) !== undefined;
  }

  isDirectory(path: string): boolean {
    return this.node(path)?.kind === 'dir';
  }

  list(path: string): string[] | undefined {
    const n = this.node(path);
    if (n?.kind !== 'dir') return undefined;
    const names = new Set(n.children.keys());
    // mount points stay visible even when a volume mounted later over their parent lacks them
    const segs = pathSegments(path);
    for (const m of this.mounts) {
      if (m.segs.length === segs.length + 1 && segs.every((s, i) => m.segs[i] === s)) names.add(m.segs[segs.length]);
    }
    return [...names].sort();
  }

  mkdir(path: string): void {
    if (this.node(path)) throw new FsError('EEXIST', path);
    const { parent, name } = this.parentForWrite(path);
    parent.children.set(name, dir());
  }

  stat(path: string): FileStat | undefined {
    const n = this.node(path);
    if (!n) return undefined;
    if (n.kind === 'dir') return { kind: 'dir', mode: n.mode, size: 4096 };
    if (n.kind === 'dev') return { kind: 'device', mode: n.mode, size: 0 };
    return { kind: 'file', mode: n.mode, size: Buffer.byteLength(n.content, 'utf8') };
  }

  chmod(path: string, mode: number): void {
    const n = this.node(path);
    if (!n) throw new FsError('ENOENT', path);
    if (this.locate(pathSegments(path)).mount?.readOnly) throw new FsError('EROFS', path);
    n.mode = mode & 0o7777;
  }

  /** whether a write at `path` would hit a read-only mount (for error messages before writing) */
  isReadOnly(path: string): boolean {
    return !!this.locate(pathSegments(path)).mount?.readOnly;
  }
}
