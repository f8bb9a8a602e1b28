// Pod field paths for the Downward API: pkg/fieldpath/fieldpath.go (FormatMap,
// SplitMaybeSubscriptedPath, ExtractFieldPathAsString) and kubelet_pods.go
// podFieldSelectorRuntimeValue (the env-only fields such as spec.nodeName and status.podIP).
import type { KubeObject } from '../../api/types.js';
import { isIPv4, isIPv6 } from 'node:net';
import { isQualifiedName } from '../../api/validation.js';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's strconv.Quote (the `%q` verb): printable runes kept, the rest escaped Go-style. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === ' ' || PRINTABLE.test(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'; // lone surrogate: Go sees invalid UTF-8
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** FormatMap: `key="value"` lines (value Go-quoted) in key order, no trailing newline. */
export function formatMap(m: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(m ?? {}).sort(byteOrder);
  return keys.map((k) => `${k}=${goQuote(m![k]!)}`).join('\n');
}

/** Go sorts strings by bytes; for the ASCII keys of labels/annotations this is code-unit order. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SplitMaybeSubscriptedPath: `metadata.labels['k']` → ['metadata.labels', 'k', true]. */
export function splitMaybeSubscriptedPath(fieldPath: string): [string, string, boolean] {
  if (!fieldPath.endsWith("']")) return [fieldPath, '', false];
  const s = fieldPath.slice(0, -2);
  const idx = s.indexOf("['");
  if (idx < 0) return [fieldPath, '', false];
  const path = s.slice(0, idx);
  if (path.length === 0) return [fieldPath, '', false];
  return [path, s.slice(idx + 2), true];
}

export class FieldPathError extends Error {}

/** ExtractFieldPathAsString for a pod: metadata fields only (what a downwardAPI volume may use). */
export function extractFieldPathAsString(obj: KubeObject, fieldPath: string): string {
  const md = obj.metadata;
  const [path, subscript, ok] = splitMaybeSubscriptedPath(fieldPath);
  if (ok) {
    switch (path) {
      case 'metadata.annotations': {
        const errs = isQualifiedName(subscript.toLowerCase());
        if (errs.length) throw new FieldPathError(`invalid key subscript in ${fieldPath}: ${errs.join(';')}`);
        return md.annotations?.[subscript] ?? '';
      }
      case 'metadata.labels': {
        const errs = isQualifiedName(subscript);
        if (errs.length) throw new FieldPathError(`invalid key subscript in ${fieldPath}: ${errs.join(';')}`);
        return md.labels?.[subscript] ?? '';
      }
      default:
        throw new FieldPathError(`fieldPath ${JSON.stringify(fieldPath)} does not support subscript`);
    }
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(md.annotations);
    case 'metadata.labels':
      return formatMap(md.labels);
    case 'metadata.name':
      return md.name ?? '';
    case 'metadata.namespace':
      return md.namespace ?? '';
    case 'metadata.uid':
      return md.uid ?? '';
  }
  throw new FieldPathError(`unsupported fieldPath: ${fieldPath}`);
}

/** What the kubelet knows about the pod's addresses when it builds the env. */
export interface PodAddresses {
  /** status.podIPs (or the sandbox IPs), primary first. */
  podIPs?: readonly string[];
  /** The node's addresses (getHostIPsAnyWay), primary first. */
  hostIPs?: readonly string[];
}

/**
 * kubelet_pods.go sortPodIPs (#97979): the first valid IP of the node's primary family, then the
 * first valid IP of the other family; anything else (a third IP, an unparsable one) is dropped.
 */
export function sortPodIPs(podIPs: readonly string[], nodeIPs: readonly string[] | undefined): string[] {
  const v4First = !nodeIPs?.length || isIPv4(nodeIPs[0]!);
  const [primary, secondary] = v4First ? [isIPv4, isIPv6] : [isIPv6, isIPv4];
  const out: string[] = [];
  const p = podIPs.find((ip) => primary(ip));
  if (p !== undefined) out.push(p);
  const s = podIPs.find((ip) => secondary(ip));
  if (s !== undefined) out.push(s);
  return out;
}

/**
 * podFieldSelectorRuntimeValue: env `fieldRef`. The kubelet answers the status/spec fields itself
 * (the pod object it holds may not have them yet); metadata goes through ExtractFieldPathAsString.
 * The API server's ConvertDownwardAPIFieldLabel already rejected other paths at validation.
 */
export function podFieldSelectorRuntimeValue(fieldPath: string, pod: KubeObject, addrs: PodAddresses): string {
  const hostIPs = [...(addrs.hostIPs ?? pod.status?.hostIPs?.map((p: any) => p.ip) ?? (pod.status?.hostIP ? [pod.status.hostIP] : []))];
  const podIPs = sortPodIPs(addrs.podIPs ?? pod.status?.podIPs?.map((p: any) => p.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []), hostIPs);
  switch (fieldPath) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return hostIPs[0] ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
    case 'spec.terminationGracePeriodSeconds': {
      const t = pod.spec?.terminationGracePeriodSeconds;
      return t === undefined || t === null ? '30' : String(t);
    }
  }
  return extractFieldPathAsString(pod, fieldPath);
}
