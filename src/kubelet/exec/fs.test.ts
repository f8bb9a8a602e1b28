import { describe, expect, it } from 'vitest';
import { FsError, SharedVolume, VirtualFileSystem, pathSegments } from './fs.js';

describe('path handling', () => {
  it('resolves ., .., repeated and trailing slashes, relative to a cwd', () => {
    expect(pathSegments('/a/./b/../c/')).toEqual(['a', 'c']);
    expect(pathSegments('//a//b')).toEqual(['a', 'b']);
    expect(pathSegments('/../..')).toEqual([]);
    expect(pathSegments('x/y', '/tmp')).toEqual(['tmp', 'x', 'y']);
  });
});

describe('VirtualFileSystem', () => {
  it('has the base layout of an image', () => {
    const fs = new VirtualFileSystem();
    for (const d of ['/', '/tmp', '/var', '/etc', '/usr', '/bin', '/home', '/root', '/proc', '/dev']) expect(fs.isDirectory(d)).toBe(true);
    expect(fs.list('/')).toEqual(['bin', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'tmp', 'usr', 'var']);
    expect(fs.stat('/tmp')?.mode).toBe(0o1777);
  });

  it('writes, appends, reads and removes files with default mode 0644; mkdir 0755', () => {
    const fs = new VirtualFileSystem();
    fs.write('/tmp/a', 'x');
    fs.write('/tmp/./a', 'y', { append: true });
    expect(fs.read('/tmp/a')).toBe('xy');
    expect(fs.stat('/tmp/a')).toEqual({ kind: 'file', mode: 0o644, size: 2 });
    fs.mkdir('/tmp/d/');
    expect(fs.stat('/tmp/d')?.mode).toBe(0o755);
    expect(fs.list('/tmp')).toEqual(['a', 'd']);
    expect(fs.remove('/tmp/a')).toBe(true);
    expect(fs.remove('/tmp/a')).toBe(false);
    expect(fs.read('/tmp/a')).toBeUndefined();
  });

  it('does not create missing parent directories on write', () => {
    const fs = new VirtualFileSystem();
    expect(() => fs.write('/a/b', 'x')).toThrowError(expect.objectContaining({ code: 'ENOENT' }));
    fs.write('/tmp/f', '');
    expect(() => fs.write('/tmp/f/g', 'x')).toThrowError(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(() => fs.write('/tmp', 'x')).toThrowError(expect.objectContaining({ code: 'EISDIR' }));
  });

  it('refuses to remove a non-empty directory and to mkdir an existing path', () => {
    const fs = new VirtualFileSystem();
    fs.mkdir('/tmp/d');
    fs.write('/tmp/d/f', '');
    expect(() => fs.remove('/tmp/d')).toThrowError(expect.objectContaining({ code: 'ENOTEMPTY' }));
    expect(() => fs.mkdir('/tmp/d')).toThrowError(expect.objectContaining({ code: 'EEXIST' }));
  });

  it('/dev/null reads empty and swallows writes', () => {
    const fs = new VirtualFileSystem();
    fs.write('/dev/null', 'gone');
    expect(fs.read('/dev/null')).toBe('');
  });
});

describe('volumes', () => {
  it('an emptyDir shared by two containers: a write by one is read by the other', () => {
    const vol = new SharedVolume();
    const a = new VirtualFileSystem();
    const b = new VirtualFileSystem();
    a.mount('/data', vol);
    b.mount('/srv/shared', vol);
    a.write('/data/msg', 'hello');
    expect(b.read('/srv/shared/msg')).toBe('hello');
    b.mkdir('/srv/shared/sub');
    expect(a.list('/data')).toEqual(['msg', 'sub']);
    // the mount point appears in its parent directory; the image's own /srv was created for it
    expect(b.list('/srv')).toEqual(['shared']);
    expect(vol.snapshot()).toEqual({ msg: 'hello' });
    expect(a.stat('/data')?.mode).toBe(0o777);
  });

  it('a read-only mount rejects writes with "Read-only file system"', () => {
    const vol = new SharedVolume();
    const writer = new VirtualFileSystem();
    const reader = new VirtualFileSystem();
    writer.mount('/data', vol);
    reader.mount('/data', vol, { readOnly: true });
    writer.write('/data/f', 'v1');
    expect(reader.read('/data/f')).toBe('v1');
    const err = (() => {
      try {
        reader.write('/data/f', 'v2');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FsError);
    expect((err as FsError).message).toBe('Read-only file system');
    expect(() => reader.remove('/data/f')).toThrowError('Read-only file system');
    expect(() => reader.mkdir('/data/d')).toThrowError('Read-only file system');
    expect(reader.isReadOnly('/data/f')).toBe(true);
    expect(reader.isReadOnly('/tmp/f')).toBe(false);
  });

  it('subPath mounts a part of the volume, created as a directory when missing', () => {
    const vol = new SharedVolume();
    const a = new VirtualFileSystem();
    const b = new VirtualFileSystem();
    a.mount('/vol', vol);
    b.mount('/logs', vol, { subPath: 'app/logs' });
    b.write('/logs/out.log', 'line');
    expect(a.read('/vol/app/logs/out.log')).toBe('line');
  });

  it('replaceAll swaps the content at once for whole-volume mounts; subPath mounts keep the old content', () => {
    const vol = new SharedVolume({ mode: 0o755 });
    vol.replaceAll({ 'app.conf': 'v1', 'nested/x': 'x1' });
    const whole = new VirtualFileSystem();
    const sub = new VirtualFileSystem();
    whole.mount('/etc/config', vol, { readOnly: true });
    sub.mount('/etc/nested', vol, { subPath: 'nested', readOnly: true });
    expect(whole.read('/etc/config/app.conf')).toBe('v1');
    vol.replaceAll({ 'app.conf': 'v2', 'nested/x': 'x2' }, { defaultMode: 0o400 });
    expect(whole.read('/etc/config/app.conf')).toBe('v2');
    expect(whole.stat('/etc/config/app.conf')?.mode).toBe(0o400);
    // upstream: subPath mounts are never updated (reference pod-lifecycle §6)
    expect(sub.read('/etc/nested/x')).toBe('x1');
  });

  it('a subPath naming a file mounts that file', () => {
    const vol = new SharedVolume();
    vol.replaceAll({ 'app.conf': 'conf' });
    const fs = new VirtualFileSystem();
    fs.mount('/etc/app.conf', vol, { subPath: 'app.conf' });
    expect(fs.read('/etc/app.conf')).toBe('conf');
    expect(fs.isDirectory('/etc/app.conf')).toBe(false);
    fs.write('/etc/app.conf', 'changed');
    expect(vol.snapshot()['app.conf']).toBe('changed');
  });

  it('the innermost mount wins; removing a mount point is refused', () => {
    const outer = new SharedVolume();
    const inner = new SharedVolume();
    const fs = new VirtualFileSystem();
    fs.mount('/data', outer);
    fs.mount('/data/cache', inner);
    fs.write('/data/cache/k', 'v');
    expect(inner.snapshot()).toEqual({ k: 'v' });
    expect(outer.snapshot()).toEqual({});
    expect(fs.list('/data')).toEqual(['cache']);
    expect(() => fs.remove('/data/cache/k')).not.toThrow();
    expect(() => fs.remove('/data/cache')).toThrowError('Resource busy');
  });
});

describe('SharedVolume.replaceProjected', () => {
  it('lays out the tree replaceAll(contents, { modes }) lays out, and fails where it fails', async () => {
    const { default: fc } = await import('fast-check');
    const key = fc.constantFrom('token', 'ca.crt', 'namespace', 'a/b', 'a', './c', 'd/../e', '..data', '.', '', '/', 'x/y/z', 'x');
    const tree = (v: SharedVolume): string => {
      const walk = (n: any, p: string): string =>
        [...n.children.keys()].sort().map((k: string) => {
          const c = n.children.get(k);
          return c.kind === 'dir' ? `${p}${k}/ ${c.mode}\n${walk(c, `${p}${k}/`)}` : `${p}${k} ${c.mode} ${c.content}\n`;
        }).join('');
      return walk(v.root, '');
    };
    const outcome = (f: () => void, v: SharedVolume): string => {
      try {
        f();
        return tree(v);
      } catch (e) {
        return `threw ${(e as Error).message}`;
      }
    };
    fc.assert(
      fc.property(fc.dictionary(key, fc.record({ content: fc.string({ maxLength: 3 }), mode: fc.constantFrom(0o644, 0o400, 0o600) }), { maxKeys: 5 }), (payload) => {
        const a = new SharedVolume();
        const b = new SharedVolume();
        const contents: Record<string, string> = {};
        const modes: Record<string, number> = {};
        for (const [k, f] of Object.entries(payload)) {
          contents[k] = f.content;
          modes[k] = f.mode;
        }
        expect(outcome(() => b.replaceProjected(payload), b)).toBe(outcome(() => a.replaceAll(contents, { modes }), a));
      }),
      { numRuns: 300 },
    );
  });
});
