// Reading ConfigMap and Secret payloads the way the kubelet sees them.
import type { KubeObject } from '../../api/types.js';

export type ObjectGetter = (namespace: string, name: string) => KubeObject | undefined;

/** The text of a base64 payload (Secret.data, ConfigMap.binaryData) as the container reads it. */
export function decodeBase64(s: unknown): string {
  return Buffer.from(String(s ?? ''), 'base64').toString('utf8');
}

/** ConfigMap.data only: env (envFrom and configMapKeyRef) never sees binaryData. */
export function configMapStringData(cm: KubeObject): Record<string, string> {
  return { ...((cm as any).data ?? {}) };
}

/** ConfigMap data plus decoded binaryData, as a volume projects them (MakePayload). */
export function configMapVolumeData(cm: KubeObject): Record<string, string> {
  const out: Record<string, string> = { ...((cm as any).data ?? {}) };
  for (const [k, v] of Object.entries((cm as any).binaryData ?? {})) out[k] = decodeBase64(v);
  return out;
}

/**
 * Secret data decoded from base64, with any write-only `stringData` merged over it (the API
 * server folds stringData into data on write; a stored object that still has it is read the same).
 */
export function secretData(secret: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((secret as any).data ?? {})) out[k] = decodeBase64(v);
  for (const [k, v] of Object.entries((secret as any).stringData ?? {})) out[k] = String(v);
  return out;
}

/** The NotFound text the kubelet's configmap/secret managers return (resource is singular). */
export function notFoundMessage(resource: 'configmap' | 'secret', name: string): string {
  return `${resource} ${JSON.stringify(name)} not found`;
}

export function hasKey(o: Record<string, string>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}
