// File sets of the kubelet-written volumes: pkg/volume/configmap (MakePayload, SetUpAt),
// pkg/volume/secret (MakePayload), pkg/volume/downwardapi (CollectData, sortLines) and
// pkg/volume/projected (collectData). Pure: the caller writes the files (atomically, as
// AtomicWriter's ..data swap does) and turns an error into a FailedMount event.
import { posix } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { extractFieldPathAsString, byteOrder } from './fieldpath.js';
import { configMapVolumeData, hasKey, notFoundMessage, secretData, type ObjectGetter } from './objects.js';
import { resourceFieldValue } from './resource.js';

/** k8s.io/api/core/v1 ConfigMapVolumeSourceDefaultMode etc.: 0644 for all four kinds. */
export const DEFAULT_VOLUME_MODE = 0o644;

export interface FileProjection {
  content: string;
  /** Permission bits, e.g. 0o644. */
  mode: number;
}

export type VolumeFiles = { files: Record<string, FileProjection> } | { error: string };

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/** The FailedMount event message the kubelet's volume manager reports for a setup error. */
export function failedMountMessage(volumeName: string, error: string): string {
  return `MountVolume.SetUp failed for volume ${JSON.stringify(volumeName)} : ${error}`;
}

/** MakePayload shared by configMap and secret: all keys, or only the listed items. */
function makePayload(kind: 'configmap' | 'secret', data: Record<string, string>, items: readonly KeyToPath[] | undefined, defaultMode: number, optional: boolean): VolumeFiles {
  const files: Record<string, FileProjection> = {};
  if (!items?.length) {
    for (const k of Object.keys(data).sort(byteOrder)) files[k] = { content: data[k]!, mode: defaultMode };
    return { files };
  }
  for (const ktp of items) {
    if (!hasKey(data, ktp.key)) {
      if (optional) continue;
      return { error: kind === 'configmap' ? `configmap references non-existent config key: ${ktp.key}` : `references non-existent secret key: ${ktp.key}` };
    }
    files[ktp.path] = { content: data[ktp.key]!, mode: ktp.mode ?? defaultMode };
  }
  return { files };
}

interface ObjectVolumeSource {
  name?: string;
  secretName?: string;
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}

/** configMap volume: a missing optional ConfigMap is an empty directory. */
export function configMapVolumeFiles(source: ObjectVolumeSource, namespace: string, getConfigMap: ObjectGetter, defaultMode = source.defaultMode ?? DEFAULT_VOLUME_MODE): VolumeFiles {
  const optional = source.optional === true;
  const cm = getConfigMap(namespace, source.name ?? '');
  if (!cm) return optional ? { files: {} } : { error: notFoundMessage('configmap', source.name ?? '') };
  return makePayload('configmap', configMapVolumeData(cm), source.items, defaultMode, optional);
}

/** secret volume (`secretName` in a volume, `name` in a projection); values are decoded. */
export function secretVolumeFiles(source: ObjectVolumeSource, namespace: string, getSecret: ObjectGetter, defaultMode = source.defaultMode ?? DEFAULT_VOLUME_MODE): VolumeFiles {
  const optional = source.optional === true;
  const name = source.secretName ?? source.name ?? '';
  const secret = getSecret(namespace, name);
  if (!secret) return optional ? { files: {} } : { error: notFoundMessage('secret', name) };
  return makePayload('secret', secretData(secret), source.items, defaultMode, optional);
}

/** posix.normalize; a non-empty name without a slash (the usual item path) is its own normal form */
function normalizePath(p: string): string {
  return typeof p === 'string' && p !== '' && !p.includes('/') ? p : posix.normalize(p);
}

/** downwardapi.go sortLines: every file's lines are sorted (so a multi-line annotation is too). */
function sortLines(values: string): string {
  // one line (a name, a namespace, a quantity) is already sorted
  if (!values.includes('\n')) return values;
  return values.split('\n').sort(byteOrder).join('\n');
}

interface DownwardAPIVolumeFile {
  path: string;
  fieldRef?: { fieldPath: string; apiVersion?: string };
  resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number };
  mode?: number;
}

/** Aggregate of errors (utilerrors.NewAggregate): one error alone, several as "[a, b]". */
function aggregate(errs: string[]): string {
  const uniq = [...new Set(errs)];
  return uniq.length === 1 ? uniq[0]! : `[${uniq.join(', ')}]`;
}

/**
 * CollectData: labels/annotations (whole maps as `key="value"` lines), name, namespace, uid and
 * resourceFieldRef (limits default to node allocatable). Volume files are rewritten on every pod
 * sync, so a label change shows up within the next sync (unlike env, fixed at start).
 */
export function downwardAPIVolumeFiles(pod: KubeObject, items: readonly DownwardAPIVolumeFile[] | undefined, node: KubeObject | undefined, defaultMode = DEFAULT_VOLUME_MODE): VolumeFiles {
  const files: Record<string, FileProjection> = {};
  const errs: string[] = [];
  for (const item of items ?? []) {
    const mode = item.mode ?? defaultMode;
    let content = '';
    try {
      if (item.fieldRef) content = sortLines(extractFieldPathAsString(pod, item.fieldRef.fieldPath));
      else if (item.resourceFieldRef) content = sortLines(resourceFieldValue(item.resourceFieldRef, pod, undefined, node?.status?.allocatable));
    } catch (e) {
      errs.push((e as Error).message);
    }
    files[normalizePath(item.path)] = { content, mode };
  }
  return errs.length ? { error: aggregate(errs) } : { files };
}

/** What the kubelet gets from the TokenRequest API for a serviceAccountToken projection. */
export type TokenSource = (req: { serviceAccountName: string; audience?: string; expirationSeconds: number }) => string;

export interface ProjectedInput {
  /** The projected volume source: { sources, defaultMode }. */
  source: { sources?: any[]; defaultMode?: number };
  pod: KubeObject;
  getConfigMap: ObjectGetter;
  getSecret: ObjectGetter;
  node?: KubeObject;
  token?: TokenSource;
  /** fsUser/fsGroup set: token files are written 0600 before ownership is applied. */
  fsOwnershipSet?: boolean;
}

/** Simulated token text: readable and deterministic, never a real JWT. */
const defaultToken: TokenSource = ({ serviceAccountName, audience, expirationSeconds }) =>
  `sim-token:${serviceAccountName}:${audience ?? 'api'}:${expirationSeconds}s`;

/** projected.go collectData: sources in order, later files overwrite earlier ones at the same path. */
export function projectedVolumeFiles(input: ProjectedInput): VolumeFiles {
  const { pod } = input;
  const ns = pod.metadata.namespace ?? 'default';
  const defaultMode = input.source.defaultMode ?? DEFAULT_VOLUME_MODE;
  const files: Record<string, FileProjection> = {};
  const errs: string[] = [];
  const merge = (r: VolumeFiles): void => {
    if ('error' in r) errs.push(r.error);
    else Object.assign(files, r.files);
  };
  for (const s of input.source.sources ?? []) {
    if (s.secret) merge(secretVolumeFiles(s.secret, ns, input.getSecret, defaultMode));
    else if (s.configMap) merge(configMapVolumeFiles(s.configMap, ns, input.getConfigMap, defaultMode));
    else if (s.downwardAPI) merge(downwardAPIVolumeFiles(pod, s.downwardAPI.items, input.node, defaultMode));
    else if (s.serviceAccountToken) {
      const tp = s.serviceAccountToken;
      const serviceAccountName: string = pod.spec?.serviceAccountName ?? 'default';
      const expirationSeconds: number = tp.expirationSeconds ?? 3600;
      const token = (input.token ?? defaultToken)(tp.audience ? { serviceAccountName, audience: tp.audience, expirationSeconds } : { serviceAccountName, expirationSeconds });
      files[tp.path] = { content: token, mode: input.fsOwnershipSet ? 0o600 : defaultMode };
    }
  }
  return errs.length ? { error: aggregate(errs) } : { files };
}
