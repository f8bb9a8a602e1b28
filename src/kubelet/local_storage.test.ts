// Local ephemeral storage evictions (eviction_manager.go localStorageEviction: emptyDirLimitEviction,
// podEphemeralStorageLimitEviction, containerEphemeralStorageLimitEviction) and their timing.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  containerEphemeralStorageLimitMessage,
  emptyDirLimitMessage,
  hasLocalStorageLimits,
  localStorageEvictionMessage,
  podEphemeralStorageLimit,
  podEphemeralStorageLimitMessage,
} from './local_storage.js';
import { formatQuantity } from '../api/quantity.js';
import { advance, eventsFor, newCluster, pod } from '../../test/helpers/cluster.js';
import type { KubeObject } from '../api/types.js';

describe('the three checks and their messages (helpers.go *MessageFmt)', () => {
  const spec = {
    containers: [
      { name: 'app', resources: { limits: { 'ephemeral-storage': '1Ki' } } },
      { name: 'side', resources: { limits: { 'ephemeral-storage': '10Ki' } } },
    ],
    volumes: [
      { name: 'cache', emptyDir: { sizeLimit: '1Ki' } },
      { name: 'ram', emptyDir: { medium: 'Memory', sizeLimit: '1Ki' } },
      { name: 'plain', emptyDir: {} },
    ],
  };

  it('emptyDir: usage strictly above a positive sizeLimit; a Memory emptyDir is never evicted for its size', () => {
    expect(emptyDirLimitMessage(spec, new Map([['cache', 1024]]))).toBeUndefined();
    expect(emptyDirLimitMessage(spec, new Map([['cache', 1025]]))).toBe('Usage of EmptyDir volume "cache" exceeds the limit "1Ki". ');
    expect(emptyDirLimitMessage(spec, new Map([['ram', 5000], ['plain', 1 << 30]]))).toBeUndefined();
    expect(emptyDirLimitMessage({ volumes: [{ name: 'z', emptyDir: { sizeLimit: '0' } }] }, new Map([['z', 9]]))).toBeUndefined();
    // before the stats cache has a figure for the pod, nothing is known
    expect(emptyDirLimitMessage(spec, undefined)).toBeUndefined();
  });

  it('pod: the containers\' limits summed (init containers as PodLimits takes them), usage = writable layers + disk emptyDirs', () => {
    expect(formatQuantity(podEphemeralStorageLimit(spec)!)).toBe('11Ki');
    expect(podEphemeralStorageLimit({ containers: [{ name: 'a' }] })).toBeUndefined();
    const withInit = { containers: [{ name: 'a', resources: { limits: { 'ephemeral-storage': '1Mi' } } }], initContainers: [{ name: 'i', resources: { limits: { 'ephemeral-storage': '2Mi' } } }] };
    expect(formatQuantity(podEphemeralStorageLimit(withInit)!)).toBe('2Mi');
    const sidecar = { ...withInit, initContainers: [{ name: 's', restartPolicy: 'Always', resources: { limits: { 'ephemeral-storage': '1Mi' } } }] };
    expect(formatQuantity(podEphemeralStorageLimit(sidecar)!)).toBe('2Mi');
    const over = { volumes: new Map([['cache', 1000], ['ram', 1 << 20]]), containers: [{ name: 'app', used: 500 }, { name: 'side', used: 10_000 }] };
    expect(podEphemeralStorageLimitMessage(spec, over)).toBe('Pod ephemeral local storage usage exceeds the total limit of containers 11Ki. ');
    // the tmpfs bytes do not count
    expect(podEphemeralStorageLimitMessage(spec, { ...over, containers: [{ name: 'app', used: 500 }] })).toBeUndefined();
  });

  it('container: its writable layer above its own limit', () => {
    expect(containerEphemeralStorageLimitMessage(spec, { containers: [{ name: 'app', used: 2048 }, { name: 'side', used: 0 }] })).toBe('Container app exceeded its local ephemeral storage limit "1Ki". ');
    expect(containerEphemeralStorageLimitMessage(spec, { containers: [{ name: 'app', used: 1024 }] })).toBeUndefined();
  });

  it('the order inside localStorageEviction: emptyDir, then the pod, then a container', () => {
    const p = { spec } as unknown as KubeObject;
    expect(localStorageEvictionMessage(p, { volumes: new Map([['cache', 20_000]]), containers: [{ name: 'app', used: 2048 }] })).toMatch(/^Usage of EmptyDir volume "cache"/);
    expect(localStorageEvictionMessage(p, { volumes: new Map([['cache', 0]]), containers: [{ name: 'app', used: 20_000 }] })).toMatch(/^Pod ephemeral local storage usage/);
    expect(localStorageEvictionMessage(p, { containers: [{ name: 'app', used: 2048 }] })).toMatch(/^Container app exceeded/);
    expect(hasLocalStorageLimits({ volumes: [{ name: 'x', emptyDir: {} }] })).toBe(false);
    expect(hasLocalStorageLimits({ volumes: [{ name: 'x', emptyDir: { medium: 'Memory', sizeLimit: '1Ki' } }] })).toBe(false);
  });
});

describe('properties', () => {
  it('an emptyDir is evicted exactly when its usage is above its limit, whatever the unit the limit is written in', () => {
    const units = [['', 1], ['Ki', 1024], ['Mi', 1024 ** 2], ['k', 1000], ['M', 1000 ** 2]] as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }), fc.constantFrom(...units), fc.integer({ min: 0, max: 2 ** 33 }), (n, [suffix, mult], used) => {
        const spec = { volumes: [{ name: 'v', emptyDir: { sizeLimit: `${n}${suffix}` } }] };
        const msg = emptyDirLimitMessage(spec, new Map([['v', used]]));
        expect(msg !== undefined).toBe(used > n * mult);
      }),
    );
  });

  it('adding a container with a limit never lowers the pod limit', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 10_000 }), (limits, extra) => {
        const ctr = (k: number, i: number) => ({ name: `c${i}`, resources: { limits: { 'ephemeral-storage': `${k}Ki` } } });
        const before = podEphemeralStorageLimit({ containers: limits.map(ctr) })!;
        const after = podEphemeralStorageLimit({ containers: [...limits, extra].map(ctr) })!;
        expect(after.nano >= before.nano).toBe(true);
        expect(after.nano).toBe(BigInt(limits.reduce((a, b) => a + b, 0) + extra) * 1024n * 1_000_000_000n);
      }),
    );
  });
});

/** `seq 1 500` writes 1892 bytes */
function writer(name: string, opts: { path: string; volume?: any; limits?: Record<string, string>; second?: any }): KubeObject {
  const p = pod(name, { nodeName: 'node-1', image: 'busybox' });
  const c = p.spec.containers[0];
  c.command = ['sh', '-c', `seq 1 500 > ${opts.path}; sleep 99999`];
  if (opts.volume) {
    c.volumeMounts = [{ name: 'cache', mountPath: '/cache' }];
    p.spec.volumes = [{ name: 'cache', ...opts.volume }];
  }
  if (opts.limits) c.resources = { limits: opts.limits };
  if (opts.second) p.spec.containers.push(opts.second);
  return p;
}

describe('the eviction manager evicts for local storage', () => {
  it('an emptyDir over its sizeLimit: seen at the volume stats calculator\'s first run (the analyzer\'s 1 m tick), evicted at the next 10 s pass', () => {
    const c = newCluster();
    c.api.create(writer('over', { path: '/cache/data', volume: { emptyDir: { sizeLimit: '1Ki' } } }));
    c.api.create(writer('under', { path: '/cache/data', volume: { emptyDir: { sizeLimit: '2Ki' } } }));
    advance(c, 59_000);
    expect(c.api.get('Pod', 'default', 'over')!.status.phase).toBe('Running');
    advance(c, 11_000);
    const over = c.api.get('Pod', 'default', 'over')!;
    expect(over.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Usage of EmptyDir volume "cache" exceeds the limit "1Ki". ' });
    // no DisruptionTarget for a local-storage eviction
    expect((over.status.conditions ?? []).some((x: any) => x.type === 'DisruptionTarget')).toBe(false);
    expect(eventsFor(c, 'Pod', 'over')).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'Evicted', message: 'Usage of EmptyDir volume "cache" exceeds the limit "1Ki". ' }));
    // calculator at 60 s (the analyzer's first tick after the pod arrived), eviction pass at 70 s
    const evicted = c.api.list('Event').find((e: any) => e.reason === 'Evicted' && e.involvedObject.name === 'over') as any;
    expect(Date.parse(evicted.firstTimestamp)).toBe(70_000);
    expect(c.api.get('Pod', 'default', 'under')!.status.phase).toBe('Running');
    // the evicted pod stays, Failed
    advance(c, 60_000);
    expect(c.api.get('Pod', 'default', 'over')!.status.reason).toBe('Evicted');
    expect(c.api.get('Pod', 'default', 'under')!.status.phase).toBe('Running');
  });

  it('a container over its ephemeral-storage limit is seen at the next pass (the runtime reports writable layers live)', () => {
    const c = newCluster();
    // alone, the container's limit is the pod's: the pod-level check fires first
    c.api.create(writer('alone', { path: '/tmp/data', limits: { 'ephemeral-storage': '1Ki' } }));
    // with a second container the pod total (11Ki) is not exceeded: the container check fires
    c.api.create(writer('pair', { path: '/tmp/data', limits: { 'ephemeral-storage': '1Ki' }, second: { name: 'side', image: 'busybox', command: ['sleep', '99999'], resources: { limits: { 'ephemeral-storage': '10Ki' } } } }));
    // writes into an emptyDir do not count against the container's own limit
    c.api.create(writer('in-volume', { path: '/cache/data', volume: { emptyDir: {} }, limits: { 'ephemeral-storage': '1Ki' } }));
    advance(c, 9_000);
    expect(c.api.get('Pod', 'default', 'alone')!.status.phase).toBe('Running');
    advance(c, 1_000);
    expect(c.api.get('Pod', 'default', 'alone')!.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Pod ephemeral local storage usage exceeds the total limit of containers 1Ki. ' });
    expect(c.api.get('Pod', 'default', 'pair')!.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Container app exceeded its local ephemeral storage limit "1Ki". ' });
    expect(c.api.get('Pod', 'default', 'in-volume')!.status.phase).toBe('Running');
    // the disk-backed emptyDir counts toward the pod's total once the stats cache has measured it
    advance(c, 60_000);
    expect(c.api.get('Pod', 'default', 'in-volume')!.status).toMatchObject({ phase: 'Failed', message: 'Pod ephemeral local storage usage exceeds the total limit of containers 1Ki. ' });
  });

  it('a Memory emptyDir past its sizeLimit is not evicted (tmpfs is sized to it)', () => {
    const c = newCluster();
    c.api.create(writer('ram', { path: '/cache/data', volume: { emptyDir: { medium: 'Memory', sizeLimit: '1Ki' } } }));
    advance(c, 300_000);
    expect(c.api.get('Pod', 'default', 'ram')!.status.phase).toBe('Running');
    const passes = ((c.sim as any).eventsBySource as Map<string, number>).get('kubelet/node-1/eviction') ?? 0;
    expect(passes).toBe(0);
  });

  it('no pass and no volume stats work for pods without limits', () => {
    const c = newCluster();
    c.api.create(writer('free', { path: '/cache/data', volume: { emptyDir: {} } }));
    advance(c, 300_000);
    const by = (c.sim as any).eventsBySource as Map<string, number>;
    expect(by.get('kubelet/node-1/eviction') ?? 0).toBe(0);
    expect(by.get('kubelet/node-1/volume-stats') ?? 0).toBe(0);
  });
});
