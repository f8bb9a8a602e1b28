// hostPath volumes (pkg/volume/hostpath/host_path.go): a directory of the NODE, so what one pod
// writes there is still there for the next pod on the same node after the first is gone. Each
// node has one file tree (kept per cluster and node name, independent of pods); SetUp runs the
// type check of checkTypeInternal, creating DirectoryOrCreate (0755) and FileOrCreate (0644) paths.
// An unset type is not checked; a missing path is then created as a directory, as the container
// runtime does for a bind mount whose source does not exist.

import { DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, SharedVolume, pathSegments } from './exec/fs.js';

type Dir = SharedVolume['root'];
type Entry = Dir extends { children: Map<string, infer N> } ? N : never;

export type HostPathSetUp =
  /** a directory: mount `volume` as is; a file: mount `volume` (its parent) with subPath `file` */
  | { volume: SharedVolume; file?: string }
  | { error: string };

/** One node's file system as hostPath volumes see it. */
export class NodeHostFs {
  private readonly root = new SharedVolume({ mode: DEFAULT_DIR_MODE });

  /** SetUp of a hostPath volume source `{path, type}` */
  setUp(source: { path?: string; type?: string }): HostPathSetUp {
    const path = source.path ?? '';
    const segs = pathSegments(path);
    const type = source.type ?? '';
    const existing = this.lookup(segs);
    const notDir = { error: `hostPath type check failed: ${path} is not a directory` };
    const notFile = { error: `hostPath type check failed: ${path} is not a file` };
    switch (type) {
      case '':
      case 'DirectoryOrCreate':
      case 'Directory': {
        if (!existing) {
          if (type === 'Directory') return notDir;
          const d = this.mkdirs(segs);
          if (!d) return notDir;
          return { volume: volumeAt(d) };
        }
        if (existing.kind === 'dir') return { volume: volumeAt(existing) };
        if (type !== '') return notDir;
        // an unchecked path naming a file is bind-mounted as that file
        return this.fileMount(segs);
      }
      case 'FileOrCreate':
      case 'File': {
        if (!existing) {
          if (type === 'File') return notFile;
          // MakeFile: the parent directory must already exist
          const parent = this.lookup(segs.slice(0, -1));
          if (!parent || parent.kind !== 'dir' || segs.length === 0) return { error: `hostPath type check failed: ${path} is not a file` };
          parent.children.set(segs[segs.length - 1], { kind: 'file', mode: DEFAULT_FILE_MODE, content: '' });
          return this.fileMount(segs);
        }
        if (existing.kind !== 'file') return notFile;
        return this.fileMount(segs);
      }
      case 'Socket':
      case 'CharDevice':
      case 'BlockDevice':
        return { error: `hostPath type check failed: ${path} is not a ${type === 'Socket' ? 'socket' : type === 'CharDevice' ? 'character device' : 'block device'}` };
      default:
        return { error: `hostPath type check failed: unsupported type ${JSON.stringify(type)}` };
    }
  }

  /** the node's files under `path`, relative path → content (tests, status views) */
  snapshot(path = '/'): Record<string, string> {
    const d = this.lookup(pathSegments(path));
    return d?.kind === 'dir' ? volumeAt(d).snapshot() : {};
  }

  private fileMount(segs: string[]): HostPathSetUp {
    const parent = this.lookup(segs.slice(0, -1)) as Dir;
    return { volume: volumeAt(parent), file: segs[segs.length - 1] };
  }

  private lookup(segs: readonly string[]): Entry | undefined {
    let node: Entry = this.root.root;
    for (const s of segs) {
      if (node.kind !== 'dir') return undefined;
      const child: Entry | undefined = node.children.get(s);
      if (!child) return undefined;
      node = child;
    }
    return node;
  }

  /** mkdir -p with 0755; undefined when a file is in the way */
  private mkdirs(segs: readonly string[]): Dir | undefined {
    let node: Dir = this.root.root;
    for (const s of segs) {
      let child = node.children.get(s);
      if (!child) node.children.set(s, (child = { kind: 'dir', mode: DEFAULT_DIR_MODE, children: new Map() }));
      if (child.kind !== 'dir') return undefined;
      node = child;
    }
    return node;
  }
}

/** a volume whose root IS the node's directory (shared by reference, so writes land on the node) */
function volumeAt(d: Dir): SharedVolume {
  const v = new SharedVolume();
  v.root = d;
  return v;
}

const byCluster = new WeakMap<object, Map<string, NodeHostFs>>();

/** The file tree of node `nodeName` in `cluster`; it lives as long as the cluster does. */
export function nodeHostFs(cluster: object, nodeName: string): NodeHostFs {
  let nodes = byCluster.get(cluster);
  if (!nodes) byCluster.set(cluster, (nodes = new Map()));
  let fs = nodes.get(nodeName);
  if (!fs) nodes.set(nodeName, (fs = new NodeHostFs()));
  return fs;
}
