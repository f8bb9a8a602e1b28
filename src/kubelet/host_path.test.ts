// hostPath SetUp type checks (pkg/volume/hostpath/host_path.go checkTypeInternal and its error
// texts) on a node's own tree.

import { describe, expect, it } from 'vitest';
import { NodeHostFs, nodeHostFs } from './host_path.js';
import { VirtualFileSystem } from './exec/fs.js';

const ok = (r: ReturnType<NodeHostFs['setUp']>) => {
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('NodeHostFs.setUp (checkTypeInternal)', () => {
  it('DirectoryOrCreate creates the directory; Directory then finds it', () => {
    const fs = new NodeHostFs();
    expect(fs.setUp({ path: '/data', type: 'Directory' })).toEqual({ error: 'hostPath type check failed: /data is not a directory' });
    ok(fs.setUp({ path: '/data', type: 'DirectoryOrCreate' }));
    expect('error' in fs.setUp({ path: '/data', type: 'Directory' })).toBe(false);
  });
  it('an unset type is not checked: a missing path becomes a directory', () => {
    const fs = new NodeHostFs();
    ok(fs.setUp({ path: '/var/log/app' }));
    expect('error' in fs.setUp({ path: '/var/log/app', type: 'Directory' })).toBe(false);
  });
  it('File needs a file; FileOrCreate creates an empty one in an existing directory', () => {
    const fs = new NodeHostFs();
    expect(fs.setUp({ path: '/etc/x.conf', type: 'File' })).toEqual({ error: 'hostPath type check failed: /etc/x.conf is not a file' });
    expect('error' in fs.setUp({ path: '/etc/x.conf', type: 'FileOrCreate' })).toBe(true); // /etc does not exist on the node tree
    ok(fs.setUp({ path: '/etc', type: 'DirectoryOrCreate' }));
    expect(ok(fs.setUp({ path: '/etc/x.conf', type: 'FileOrCreate' })).file).toBe('x.conf');
    expect(ok(fs.setUp({ path: '/etc/x.conf', type: 'File' })).file).toBe('x.conf');
    expect(fs.setUp({ path: '/etc/x.conf', type: 'Directory' })).toEqual({ error: 'hostPath type check failed: /etc/x.conf is not a directory' });
    expect(fs.setUp({ path: '/etc', type: 'File' })).toEqual({ error: 'hostPath type check failed: /etc is not a file' });
  });
  it('Socket and devices are never present on the simulated node', () => {
    expect(new NodeHostFs().setUp({ path: '/var/run/docker.sock', type: 'Socket' })).toEqual({ error: 'hostPath type check failed: /var/run/docker.sock is not a socket' });
  });
});

describe('hostPath data outlives the pod on its node', () => {
  it('a file written through one container mount is read through the next one', () => {
    const cluster = {};
    const first = ok(nodeHostFs(cluster, 'node-1').setUp({ path: '/srv/data', type: 'DirectoryOrCreate' }));
    const a = new VirtualFileSystem();
    a.mount('/host', first.volume);
    a.write('/host/data', 'kept\n');
    const second = ok(nodeHostFs(cluster, 'node-1').setUp({ path: '/srv/data' }));
    const b = new VirtualFileSystem();
    b.mount('/host', second.volume);
    expect(b.read('/host/data')).toBe('kept\n');
    // another node has its own tree
    const other = ok(nodeHostFs(cluster, 'node-2').setUp({ path: '/srv/data' }));
    const c = new VirtualFileSystem();
    c.mount('/host', other.volume);
    expect(c.read('/host/data')).toBeUndefined();
    // a parent path sees the same files (one tree per node)
    expect(nodeHostFs(cluster, 'node-1').snapshot('/srv')).toEqual({ 'data/data': 'kept\n' });
  });
  it('a file hostPath mounts just that file', () => {
    const fs = new NodeHostFs();
    ok(fs.setUp({ path: '/etc', type: 'DirectoryOrCreate' }));
    const r = ok(fs.setUp({ path: '/etc/app.conf', type: 'FileOrCreate' }));
    const v = new VirtualFileSystem();
    v.mount('/config/app.conf', r.volume, { subPath: r.file });
    v.write('/config/app.conf', 'x=1');
    expect(fs.snapshot('/etc')).toEqual({ 'app.conf': 'x=1' });
  });
});
