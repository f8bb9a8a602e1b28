// Container environment assembly: pkg/kubelet/kubelet_pods.go makeEnvironmentVariables (1.31
// text; the ≤1.29 invalid-envFrom-key skip is selected by kubernetesVersion, PR #123385).
import type { KubeObject } from '../../api/types.js';
import { minorAtLeast } from '../../controllers/job/util.js';
import { serviceEnvVarMap, type EnvVar, type ServiceEnvCache } from './envvars.js';
import { expand, mappingFuncFor } from './expand.js';
import { FieldPathError, podFieldSelectorRuntimeValue, byteOrder } from './fieldpath.js';
import { isEnvVarName } from './names.js';
import { configMapStringData, hasKey, notFoundMessage, secretData, type ObjectGetter } from './objects.js';
import { resourceFieldValue } from './resource.js';

export type { EnvVar } from './envvars.js';

export interface EnvWarning {
  /** Event reason, e.g. InvalidEnvironmentVariableNames (a Warning event on the pod). */
  reason: string;
  message: string;
}

export interface MakeEnvInput {
  pod: KubeObject;
  container: any;
  /** The kubelet's service informer contents when the container starts (all namespaces). */
  services: readonly KubeObject[];
  getConfigMap: ObjectGetter;
  getSecret: ObjectGetter;
  /** The Node object (status.allocatable and status.addresses are read). */
  node?: KubeObject;
  /** cluster.config.kubernetesVersion, e.g. "1.29". */
  kubernetesVersion: string;
  /** The sandbox IPs when the pod status does not carry them yet (primary first). */
  podIPs?: readonly string[];
  /** Whether the service informer has synced; a non-static pod waits for it upstream. */
  servicesSynced?: boolean;
  isStaticPod?: boolean;
  /** the cluster's memo of the service variables (same answer as serviceEnvVarMap) */
  serviceEnvCache?: ServiceEnvCache;
}

export type MakeEnvResult = { env: EnvVar[]; warnings: EnvWarning[] } | { error: string };

/** The node's InternalIP/ExternalIP addresses, as getHostIPsAnyWay/NodeAddresses order them. */
function nodeHostIPs(node: KubeObject | undefined): string[] | undefined {
  const addrs: any[] = node?.status?.addresses ?? [];
  const ips = addrs.filter((a) => a?.type === 'InternalIP').map((a) => a.address);
  if (ips.length) return ips;
  const ext = addrs.filter((a) => a?.type === 'ExternalIP').map((a) => a.address);
  return ext.length ? ext : undefined;
}

class EnvError extends Error {}

/** minorAtLeast(version, 30), remembered for the last version asked (a run asks with one version) */
let lastVersion: string | undefined;
let lastInjects = false;
function injectsInvalidKeys(version: string): boolean {
  if (version !== lastVersion) {
    lastInjects = minorAtLeast(version, 30);
    lastVersion = version;
  }
  return lastInjects;
}

/** makeEnvironmentVariables. Pure: reads only what it is given. */
export function makeEnvironmentVariables(input: MakeEnvInput): MakeEnvResult {
  try {
    return build(input);
  } catch (e) {
    if (e instanceof EnvError || e instanceof FieldPathError) return { error: e.message };
    if (e instanceof Error) return { error: e.message };
    throw e;
  }
}

function build(input: MakeEnvInput): { env: EnvVar[]; warnings: EnvWarning[] } {
  const { pod, container } = input;
  const ns = pod.metadata.namespace ?? 'default';
  const enableServiceLinks = pod.spec?.enableServiceLinks;
  if (enableServiceLinks === undefined || enableServiceLinks === null) {
    throw new EnvError('nil pod.spec.enableServiceLinks encountered, cannot construct envvars');
  }
  if (!input.isStaticPod && input.servicesSynced === false) {
    throw new EnvError('services have not yet been read at least once, cannot construct envvars');
  }
  const serviceEnv = input.serviceEnvCache ? input.serviceEnvCache.get(input.services, ns, Boolean(enableServiceLinks)) : serviceEnvVarMap(input.services, ns, Boolean(enableServiceLinks));
  // ≤1.29 the kubelet dropped envFrom keys that are not C-style names; PR #123385 (1.30) injects
  // them all, since RelaxedEnvironmentVariableValidation lets the API admit such names.
  const skipInvalidKeys = !injectsInvalidKeys(input.kubernetesVersion);
  const warnings: EnvWarning[] = [];

  // Caches make every reference in one container see the same object, as upstream's maps do.
  const configMaps = new Map<string, Record<string, string> | null>();
  const secrets = new Map<string, Record<string, string> | null>();
  const fetch = (kind: 'configmap' | 'secret', name: string, optional: boolean): Record<string, string> | null => {
    const cache = kind === 'configmap' ? configMaps : secrets;
    const cached = cache.get(name);
    if (cached) return cached;
    const obj = kind === 'configmap' ? input.getConfigMap(ns, name) : input.getSecret(ns, name);
    if (!obj) {
      if (optional) return null;
      throw new EnvError(notFoundMessage(kind, name));
    }
    const data = kind === 'configmap' ? configMapStringData(obj) : secretData(obj);
    cache.set(name, data);
    return data;
  };

  const tmpEnv = new Map<string, string>();
  for (const envFrom of container.envFrom ?? []) {
    const ref = envFrom.configMapRef ?? envFrom.secretRef;
    if (!ref) continue;
    const kind = envFrom.configMapRef ? 'configmap' : 'secret';
    const data = fetch(kind, ref.name, ref.optional === true);
    if (!data) continue;
    const invalid: string[] = [];
    // Upstream ranges over a Go map (random order); key order makes the outcome reproducible.
    for (const key of Object.keys(data).sort(byteOrder)) {
      const k = (envFrom.prefix ?? '') + key;
      if (skipInvalidKeys && isEnvVarName(k).length) {
        invalid.push(k);
        continue;
      }
      tmpEnv.set(k, data[key]!);
    }
    if (invalid.length) {
      invalid.sort(byteOrder);
      warnings.push({
        reason: 'InvalidEnvironmentVariableNames',
        message: `Keys [${invalid.join(', ')}] from the EnvFrom ${kind === 'configmap' ? 'configMap' : 'secret'} ${ns}/${ref.name} were skipped since they are considered invalid environment variable names.`,
      });
    }
  }

  // Expansion sees tmpEnv as it grows: earlier env entries and envFrom, never later ones.
  const mapping = mappingFuncFor(tmpEnv, serviceEnv);
  for (const envVar of container.env ?? []) {
    let runtimeVal: string = envVar.value ?? '';
    if (runtimeVal !== '') {
      runtimeVal = expand(runtimeVal, mapping);
    } else if (envVar.valueFrom) {
      const vf = envVar.valueFrom;
      if (vf.fieldRef) {
        const addrs: { podIPs?: readonly string[]; hostIPs?: string[] } = {};
        if (input.podIPs) addrs.podIPs = input.podIPs;
        const hostIPs = nodeHostIPs(input.node);
        if (hostIPs) addrs.hostIPs = hostIPs;
        runtimeVal = podFieldSelectorRuntimeValue(vf.fieldRef.fieldPath, pod, addrs);
      } else if (vf.resourceFieldRef) {
        runtimeVal = resourceFieldValue(vf.resourceFieldRef, pod, container, input.node?.status?.allocatable);
      } else if (vf.configMapKeyRef || vf.secretKeyRef) {
        const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
        const kind = vf.configMapKeyRef ? 'configmap' : 'secret';
        const optional = ref.optional === true;
        const data = fetch(kind, ref.name, optional);
        if (!data) continue;
        if (!hasKey(data, ref.key)) {
          if (optional) continue;
          throw new EnvError(`couldn't find key ${ref.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`);
        }
        runtimeVal = data[ref.key]!;
      }
    }
    tmpEnv.set(envVar.name, runtimeVal);
  }

  // User-defined variables win over service links of the same name.
  const env: EnvVar[] = [];
  for (const [name, value] of tmpEnv) env.push({ name, value });
  // the cache's shared entries for its shared map (the same names and values, no copy per container)
  if (input.serviceEnvCache) {
    for (const v of input.serviceEnvCache.varsOf(serviceEnv)) if (!tmpEnv.has(v.name)) env.push(v);
  } else for (const [name, value] of serviceEnv) if (!tmpEnv.has(name)) env.push({ name, value });
  return { env, warnings };
}

/** The env as a record (the shape the exec/app layer uses). */
export function envRecord(env: readonly EnvVar[]): Record<string, string> {
  const r: Record<string, string> = {};
  for (const e of env) r[e.name] = e.value;
  return r;
}

/**
 * The process's environment as the runtime gives it: HOSTNAME, which the container's env
 * overrides, then the variables in order (envRecord's loop into the same object: the same
 * members in the same order). Built at the first call, the same object at every later one.
 */
export function lazyEnvRecord(hostname: string, vars: readonly EnvVar[]): () => Record<string, string> {
  let rec: Record<string, string> | undefined;
  return () => {
    if (!rec) {
      rec = { HOSTNAME: hostname };
      for (const e of vars) rec[e.name] = e.value;
    }
    return rec;
  };
}
