// The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go), pod
// CREATE: default the account to `default`, reject a pod naming an account that does not exist,
// inherit the account's imagePullSecrets, and mount the projected API-access volume
// (TokenVolumeSource) at /var/run/secrets/kubernetes.io/serviceaccount unless automount is off.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import type { Rng } from '../engine/rng.js';
import { generateName } from '../api/names.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-';
export const API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

const rngs = new WeakMap<ApiServer, Rng>();
function rngFor(api: ApiServer): Rng {
  let r = rngs.get(api);
  if (!r) rngs.set(api, (r = api.sim.rng.fork('admission/serviceaccount')));
  return r;
}

/** TokenVolumeSource: service account token, the cluster CA, and the namespace. */
export function tokenVolume(name: string): any {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** shouldAutomount: the pod's setting wins, then the account's, else true. */
export function shouldAutomount(sa: KubeObject | undefined, pod: KubeObject): boolean {
  if (typeof pod.spec?.automountServiceAccountToken === 'boolean') return pod.spec.automountServiceAccountToken;
  if (typeof sa?.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

/** Admit: returns an error message for Forbidden, or undefined after mutating the pod. */
export function admitServiceAccount(api: ApiServer, pod: KubeObject): string | undefined {
  if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return undefined;
  const spec = (pod.spec ??= {});
  const ns = pod.metadata.namespace ?? 'default';
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
  // v1 conversion keeps the deprecated field equal to the real one
  spec.serviceAccount = spec.serviceAccountName;
  const name: string = spec.serviceAccountName;
  const sa = api.get('ServiceAccount', ns, name);
  // upstream retries the lookup of `default` against the live API while the serviceaccount
  // controller creates it; a pod in a namespace created a moment ago is therefore admitted
  if (!sa && name !== DEFAULT_SERVICE_ACCOUNT) {
    return `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`;
  }
  const saPull = sa?.imagePullSecrets as unknown[] | undefined;
  if (!spec.imagePullSecrets?.length && saPull?.length) spec.imagePullSecrets = structuredClone(saPull);
  if (shouldAutomount(sa, pod)) mountToken(api, spec);
  return undefined;
}

/** mountServiceAccountToken */
function mountToken(api: ApiServer, spec: any): void {
  let volumeName = (spec.volumes ?? []).find((v: any) => typeof v.name === 'string' && v.name.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX))?.name as string | undefined;
  const hasVolume = volumeName !== undefined;
  volumeName ??= generateName(SERVICE_ACCOUNT_VOLUME_PREFIX, (n) => rngFor(api).int(n));
  let needed = false;
  for (const list of [spec.initContainers, spec.containers]) {
    for (const c of list ?? []) {
      if ((c.volumeMounts ?? []).some((m: any) => m.mountPath === API_TOKEN_MOUNT_PATH)) continue;
      c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: API_TOKEN_MOUNT_PATH }];
      needed = true;
    }
  }
  if (!hasVolume && needed) spec.volumes = [...(spec.volumes ?? []), tokenVolume(volumeName)];
}
