// The kubelet-written volumes of one pod (configMap, secret, downwardAPI, projected): their files
// are computed from the API (src/kubelet/env/volumes.ts) and written atomically into a
// SharedVolume, as AtomicWriter's ..data swap does (pkg/volume/util/atomic_writer.go). A subPath
// mount binds the node it found at mount time, so a rewrite never reaches it (upstream: subPath
// bind mounts do not see the ..data symlink swap).

import type { KubeObject } from '../api/types.js';
import type { ApiServer } from '../api/server.js';
import { SharedVolume } from './exec/fs.js';
import type { NodeHostFs } from './host_path.js';
import { issueServiceAccountToken } from '../rbac/tokens.js';
import { gitRepoSetUp, type GitRepoSource, type GitRepository } from './git_repo.js';
import {
  configMapVolumeFiles,
  downwardAPIVolumeFiles,
  failedMountMessage,
  projectedVolumeFiles,
  secretVolumeFiles,
  type VolumeFiles,
} from './env/index.js';

export interface ApiVolume {
  name: string;
  source: any;
  volume: SharedVolume;
  /** secret volumes live on tmpfs upstream (never written to the node's disk) */
  tmpfs: boolean;
  /** set once the first SetUp succeeded */
  mounted: boolean;
}

/** The pod's volumes of the four kubelet-written kinds, in spec order. */
export function apiVolumesOf(pod: KubeObject): ApiVolume[] {
  const out: ApiVolume[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap || v.secret || v.downwardAPI || v.projected) {
      out.push({ name: v.name, source: v, volume: new SharedVolume(), tmpfs: !!v.secret, mounted: false });
    }
  }
  return out;
}

export function volumeFiles(api: ApiServer, pod: KubeObject, node: KubeObject | undefined, v: any): VolumeFiles {
  const ns = pod.metadata.namespace ?? 'default';
  const getConfigMap = (n: string, name: string) => api.get('ConfigMap', n, name);
  const getSecret = (n: string, name: string) => api.get('Secret', n, name);
  if (v.configMap) return configMapVolumeFiles(v.configMap, ns, getConfigMap);
  if (v.secret) return secretVolumeFiles(v.secret, ns, getSecret);
  if (v.downwardAPI) return downwardAPIVolumeFiles(pod, v.downwardAPI.items, node, v.downwardAPI.defaultMode);
  // the kubelet's TokenRequest: a token bound to this pod, which the API server authenticates
  const token = (req: { serviceAccountName: string; audience?: string; expirationSeconds: number }) => issueServiceAccountToken(api, pod, req);
  return projectedVolumeFiles({ source: v.projected, pod, getConfigMap, getSecret, node, token });
}

/**
 * SetUp (or the periodic remount) of every volume: returns the FailedMount messages of the
 * volumes that could not be set up; the others are written.
 */
export function setUpVolumes(api: ApiServer, pod: KubeObject, node: KubeObject | undefined, vols: readonly ApiVolume[], only?: (v: ApiVolume) => boolean): string[] {
  const failures: string[] = [];
  for (const v of vols) {
    if (only && !only(v)) continue;
    const r = volumeFiles(api, pod, node, v.source);
    if ('error' in r) {
      failures.push(failedMountMessage(v.name, r.error));
      continue;
    }
    v.volume.replaceProjected(r.files);
    v.mounted = true;
  }
  return failures;
}

/** whether a downwardAPI item (or projection) reads the pod's labels or annotations */
export function readsPodMetadata(v: ApiVolume): boolean {
  const items: any[] = [
    ...(v.source.downwardAPI?.items ?? []),
    ...((v.source.projected?.sources ?? []) as any[]).flatMap((s) => s.downwardAPI?.items ?? []),
  ];
  return items.some((i) => /^metadata\.(labels|annotations)/.test(i.fieldRef?.fieldPath ?? ''));
}

/** A hostPath volume of the pod: set up on the node's own tree (src/kubelet/host_path.ts). */
export interface HostPathVolume {
  name: string;
  source: { path?: string; type?: string };
  /** the node's directory (or the parent of a mounted file), once set up */
  volume?: SharedVolume;
  /** for a file hostPath: the file's name inside `volume`, mounted as a subPath */
  file?: string;
}

export function hostPathVolumesOf(pod: KubeObject): HostPathVolume[] {
  return (pod.spec?.volumes ?? []).filter((v: any) => v.hostPath).map((v: any) => ({ name: v.name, source: v.hostPath }));
}

/** SetUp of the hostPath volumes not set up yet; returns the FailedMount messages. */
export function setUpHostPaths(hostFs: NodeHostFs, vols: readonly HostPathVolume[]): string[] {
  const failures: string[] = [];
  for (const v of vols) {
    if (v.volume) continue;
    const r = hostFs.setUp(v.source);
    if ('error' in r) failures.push(failedMountMessage(v.name, r.error));
    else {
      v.volume = r.volume;
      v.file = r.file;
    }
  }
  return failures;
}

/** A gitRepo volume of the pod (src/kubelet/git_repo.ts): an emptyDir filled by one clone. */
export interface GitRepoVolume {
  name: string;
  source: GitRepoSource;
  volume: SharedVolume;
  mounted: boolean;
}

export function gitRepoVolumesOf(pod: KubeObject): GitRepoVolume[] {
  return (pod.spec?.volumes ?? []).filter((v: any) => v.gitRepo).map((v: any) => ({ name: v.name, source: v.gitRepo, volume: new SharedVolume(), mounted: false }));
}

/** SetUp of the gitRepo volumes not cloned yet (a failed clone is retried, as SetUpAt is). */
export function setUpGitRepos(config: { kubernetesVersion: string; repositories?: GitRepository[] }, nowMs: number, vols: readonly GitRepoVolume[]): string[] {
  const failures: string[] = [];
  for (const v of vols) {
    if (v.mounted) continue;
    const r = gitRepoSetUp(v.source, config.repositories ?? [], nowMs, config.kubernetesVersion);
    if ('error' in r) failures.push(failedMountMessage(v.name, r.error));
    else {
      // git writes the work tree with the umask's 0644 files under the emptyDir's 0777 root
      v.volume.replaceAll(r.files);
      v.mounted = true;
    }
  }
  return failures;
}
