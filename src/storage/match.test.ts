import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { findBestMatchForClaim } from './match.js';

const RWO = 'ReadWriteOnce', ROX = 'ReadOnlyMany', RWX = 'ReadWriteMany';
function pv(name: string, size: string, modes: string[], extra: { bound?: boolean; cls?: string; labels?: Record<string, string>; claimRef?: any } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: { name, uid: `uid-${name}`, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { capacity: { storage: size }, accessModes: modes, storageClassName: extra.cls ?? '', ...(extra.bound ? { claimRef: { name: 'someone', namespace: 'x', uid: 'u' } } : {}), ...(extra.claimRef ? { claimRef: extra.claimRef } : {}) },
    status: { phase: 'Available' },
  };
}
function claim(size: string, modes: string[] = [ROX, RWO], extra: { cls?: string; selector?: any } = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'claim01', namespace: 'myns', uid: 'claim-uid' }, spec: { accessModes: modes, resources: { requests: { storage: size } }, storageClassName: extra.cls ?? '', ...(extra.selector ? { selector: extra.selector } : {}) } };
}

// pkg/controller/volume/persistentvolume/index_test.go createTestVolumes (the fixtures TestMatchVolume uses)
const volumes = [
  pv('gce-pd-1', '1G', [RWO, ROX], { bound: true }),
  pv('gce-pd-5', '5G', [RWO, ROX]),
  pv('gce-pd-10', '10G', [RWO, ROX]),
  pv('gce-pd-20', '20G', [RWO, ROX], { bound: true }),
  pv('nfs-1', '1G', [RWO, ROX, RWX]),
  pv('nfs-5', '5G', [RWO, ROX, RWX]),
  pv('nfs-10', '10G', [RWO, ROX, RWX]),
  pv('gce-pd-2', '20000G', [RWO], { labels: { 'should-exist': 'true' } }),
  pv('gce-pd-silver1', '10000G', [RWO], { cls: 'silver', labels: { 'should-exist': 'true' } }),
  pv('gce-pd-silver2', '100G', [RWO], { cls: 'silver' }),
  pv('gce-pd-gold', '50G', [RWO], { cls: 'gold' }),
  pv('local-pd-very-large', '200E', [RWO, ROX, RWX], { cls: 'large' }),
  pv('local-pd-extremely-large', '800E', [RWO, ROX, RWX], { cls: 'large' }),
];

describe('findBestMatchForClaim (index_test.go TestMatchVolume)', () => {
  const exists = { matchExpressions: [{ key: 'should-exist', operator: 'In', values: ['true'] }] };
  const cases: [string, KubeObject, string | undefined][] = [
    ['successful-match-gce-10', claim('8G'), 'gce-pd-10'],
    ['successful-match-nfs-5', claim('5G', [ROX, RWO, RWX]), 'nfs-5'],
    ['successful-skip-1g-bound-volume', claim('1G'), 'gce-pd-5'],
    ['successful-no-match', claim('999G'), undefined],
    ['successful-no-match-due-to-label', claim('999G', [ROX, RWO], { selector: { matchLabels: { 'should-not-exist': 'true' } } }), undefined],
    ['successful-no-match-due-to-size-constraint-with-label-selector', claim('20000G', [ROX, RWO], { selector: exists }), undefined],
    ['successful-match-due-with-constraint-and-label-selector', claim('20000G', [RWO], { selector: exists }), 'gce-pd-2'],
    ['successful-match-with-class', claim('1G', [RWO], { cls: 'silver', selector: exists }), 'gce-pd-silver1'],
    ['successful-match-with-class-and-labels', claim('1G', [RWO], { cls: 'silver' }), 'gce-pd-silver2'],
    ['successful-match-very-large', claim('1E', [RWO, ROX, RWX], { cls: 'large' }), 'local-pd-very-large'],
    ['successful-match-exact-extremely-large', claim('800E', [RWO, ROX, RWX], { cls: 'large' }), 'local-pd-extremely-large'],
    ['successful-no-match-way-too-large', claim('950E', [RWO, ROX, RWX], { cls: 'large' }), undefined],
  ];
  for (const [name, c, want] of cases) it(name, () => expect(findBestMatchForClaim(c, volumes, false)?.metadata.name).toBe(want));

  it('TestBestMatchDelayed: delayBinding never picks an unbound volume', () => {
    expect(findBestMatchForClaim(claim('8G'), volumes, true)).toBeUndefined();
  });
});

describe('TestFindingVolumeWithDifferentAccessModes (index_test.go)', () => {
  const gce = pv('gce', '10G', [RWO, ROX]), ebs = pv('ebs', '10G', [RWO]), nfs = pv('nfs', '10G', [RWO, ROX, RWX]);
  const bound = (v: KubeObject) => ({ ...v, spec: { ...v.spec, claimRef: { name: 'other', namespace: 'x', uid: 'o' } } });
  it.each([
    ['RWO -> ebs', [RWO], [gce, ebs, nfs], 'ebs'],
    ['RWO+ROX -> gce', [RWO, ROX], [gce, ebs, nfs], 'gce'],
    ['RWX+RWO+ROX -> nfs', [RWX, RWO, ROX], [gce, ebs, nfs], 'nfs'],
    ['RWX -> nfs', [RWX], [gce, ebs, nfs], 'nfs'],
    ['RWO with ebs bound -> gce', [RWO], [gce, bound(ebs), nfs], 'gce'],
    ['RWO with ebs and gce bound -> nfs', [RWO], [bound(gce), bound(ebs), nfs], 'nfs'],
    ['ROX -> gce', [ROX], [gce, ebs, nfs], 'gce'],
  ] as [string, string[], KubeObject[], string][])('%s', (_n, modes, vols, want) => {
    expect(findBestMatchForClaim(claim('1G', modes), vols, false)?.metadata.name).toBe(want);
  });
});

describe('TestFindingPreboundVolumes (index_test.go)', () => {
  const c = claim('1Gi', [RWO]);
  const ref = { name: 'claim01', namespace: 'myns', uid: 'claim-uid' };
  const pv1 = pv('pv1', '1Gi', [RWO]), pv5 = pv('pv5', '5Gi', [RWO]), pv8 = pv('pv8', '8Gi', [RWO]);
  const badSize = pv('pvBadSize', '1Mi', [RWO]), badMode = pv('pvBadMode', '1Gi', [ROX]);
  const pre = (v: KubeObject, r: any) => ({ ...v, spec: { ...v.spec, claimRef: r } });
  it('the smallest fit', () => expect(findBestMatchForClaim(c, [pv1, pv5, pv8, badSize, badMode], false)?.metadata.name).toBe('pv1'));
  it('pv1 pre-bound elsewhere -> pv5', () => expect(findBestMatchForClaim(c, [pre(pv1, { name: 'x', namespace: 'myns' }), pv5, pv8], false)?.metadata.name).toBe('pv5'));
  it('pv8 pre-bound to the claim wins', () => expect(findBestMatchForClaim(c, [pv1, pv5, pre(pv8, ref)], false)?.metadata.name).toBe('pv8'));
  it('a too-small pre-bound volume is ignored', () => expect(findBestMatchForClaim(c, [pv1, pre(badSize, ref)], false)?.metadata.name).toBe('pv1'));
  it('a pre-bound volume with the wrong modes is ignored', () => expect(findBestMatchForClaim(c, [pv1, pre(badMode, ref)], false)?.metadata.name).toBe('pv1'));
});
