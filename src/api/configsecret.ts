// ConfigMap and Secret objects as the API server admits them: key validation
// (k8s.io/apimachinery/pkg/util/validation/validation.go IsConfigMapKey), ValidateConfigMap,
// ValidateSecret and their *Update rules (pkg/apis/core/validation/validation.go), Secret
// defaulting (pkg/apis/core/v1/defaults.go SetDefaults_Secret) and the v1 -> internal conversion
// that decodes base64 `data` and merges the write-only `stringData` over it
// (pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret).
//
// Representation: a stored Secret keeps `data` base64-encoded, as `kubectl get secret -o yaml`
// shows it; sizes are counted on the decoded bytes, as upstream counts them.

import { ApiError } from './errors.js';
import type { KubeObject } from './types.js';
import { maxLenError, regexError, DNS1123_SUBDOMAIN_MAX_LENGTH } from './validation.js';

/** core.MaxSecretSize: the limit on the sum of the values of a ConfigMap or Secret */
export const MAX_SECRET_SIZE = 1024 * 1024;

const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_RE = /^[-._a-zA-Z0-9]+$/;
const CONFIG_MAP_KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

/** validation.go IsConfigMapKey: messages in upstream's order */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value, 'utf8') > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!CONFIG_MAP_KEY_RE.test(value)) errs.push(regexError(CONFIG_MAP_KEY_ERR, CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

const q = (s: string) => JSON.stringify(s);

/**
 * Go's base64.StdEncoding as encoding/json decodes a []byte: padding required, `\r` and `\n`
 * ignored. Returns the decoded bytes or the offset Go reports in "illegal base64 data at input byte N".
 */
export function decodeBase64Strict(s: string): { bytes: Buffer } | { errorAt: number } {
  const chars: { c: string; at: number }[] = [];
  for (let i = 0; i < s.length; i++) if (s[i] !== '\r' && s[i] !== '\n') chars.push({ c: s[i], at: i });
  for (let i = 0; i < chars.length; i++) {
    const { c, at } = chars[i];
    if (/[A-Za-z0-9+/]/.test(c)) continue;
    if (c === '=') {
      // padding may only close the last quantum: at most two, and nothing after it
      const quantumPos = i % 4;
      const rest = chars.slice(i).map((x) => x.c).join('');
      const ok = (quantumPos === 2 && rest === '==') || (quantumPos === 3 && rest === '=');
      if (ok && i + rest.length === chars.length) return { bytes: Buffer.from(chars.map((x) => x.c).join(''), 'base64') };
      return { errorAt: at };
    }
    return { errorAt: at };
  }
  if (chars.length % 4 !== 0) return { errorAt: chars[chars.length - (chars.length % 4)].at };
  return { bytes: Buffer.from(chars.map((x) => x.c).join(''), 'base64') };
}

/**
 * Decoding and defaulting at admission: `data` must be base64 (a decode error is a BadRequest, as
 * the JSON decoder reports it), `stringData` is merged over `data` and dropped, `type` defaults to Opaque.
 */
export function admitSecret(obj: KubeObject): void {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries((obj.data as Record<string, unknown>) ?? {})) {
    const s = v === null || v === undefined ? '' : String(v);
    const d = decodeBase64Strict(s);
    if ('errorAt' in d) {
      throw new ApiError('BadRequest', `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${d.errorAt}`);
    }
    data[k] = d.bytes.toString('base64');
  }
  for (const [k, v] of Object.entries((obj.stringData as Record<string, unknown>) ?? {})) {
    data[k] = Buffer.from(v === null || v === undefined ? '' : String(v), 'utf8').toString('base64');
  }
  delete obj.stringData;
  if (Object.keys(data).length || obj.data !== undefined) obj.data = data;
  if (!obj.type) obj.type = 'Opaque';
}

function decodedLength(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}

/** ValidateConfigMap (keys, data/binaryData collisions, the 1 MiB total) */
export function validateConfigMap(obj: KubeObject): string[] {
  const errs: string[] = [];
  const data = (obj.data as Record<string, unknown>) ?? {};
  const binary = (obj.binaryData as Record<string, unknown>) ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of isConfigMapKey(k)) errs.push(`data[${k}]: Invalid value: ${q(k)}: ${msg}`);
    if (k in binary) errs.push(`data[${k}]: Invalid value: ${q(k)}: duplicate of key present in binaryData`);
    if (typeof v !== 'string') errs.push(`data[${k}]: Invalid value: ${JSON.stringify(v)}: must be a string`);
    total += Buffer.byteLength(String(v ?? ''), 'utf8');
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const msg of isConfigMapKey(k)) errs.push(`binaryData[${k}]: Invalid value: ${q(k)}: ${msg}`);
    if (k in data) errs.push(`binaryData[${k}]: Invalid value: ${q(k)}: duplicate of key present in data`);
    total += decodedLength(String(v ?? ''));
  }
  // field.TooLong(field.NewPath(""), ...): the error refers to the whole object, printed as `[]`
  if (total > MAX_SECRET_SIZE) errs.push(`[]: Too long: must have at most ${MAX_SECRET_SIZE} bytes`);
  return errs;
}

/** ValidateSecret: keys, the 1 MiB total of decoded values, the keys each built-in type requires */
export function validateSecret(obj: KubeObject): string[] {
  const errs: string[] = [];
  const data = (obj.data as Record<string, string>) ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of isConfigMapKey(k)) errs.push(`data[${k}]: Invalid value: ${q(k)}: ${msg}`);
    total += decodedLength(v);
  }
  if (total > MAX_SECRET_SIZE) errs.push(`data: Too long: must have at most ${MAX_SECRET_SIZE} bytes`);
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  const checkJson = (key: string) => {
    if (!has(key)) {
      errs.push(`data[${key}]: Required value`);
      return;
    }
    try {
      const v = JSON.parse(Buffer.from(data[key], 'base64').toString('utf8'));
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('json: cannot unmarshal into Go value of type map[string]interface {}');
    } catch (e) {
      errs.push(`data[${key}]: Invalid value: "<secret contents redacted>": ${(e as Error).message}`);
    }
  };
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      // the token and ca.crt are filled in later by the token controller
      if (!obj.metadata.annotations?.['kubernetes.io/service-account.name']) errs.push('metadata.annotations[kubernetes.io/service-account.name]: Required value');
      break;
    case 'kubernetes.io/dockercfg':
      checkJson('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      checkJson('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      // upstream builds these paths with a literal "data[%s]" (field.NewPath("data[%s]").Key(...))
      if (!has('username') && !has('password')) errs.push('data[%s][username]: Required value', 'data[%s][password]: Required value');
      break;
    case 'kubernetes.io/ssh-auth':
      if (!has('ssh-privatekey') || decodedLength(data['ssh-privatekey']) === 0) errs.push('data[%s][ssh-privatekey]: Required value');
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push('data[tls.crt]: Required value');
      if (!has('tls.key')) errs.push('data[tls.key]: Required value');
      break;
    default:
    // Opaque, bootstrap tokens and any user-defined type: no required keys
  }
  return errs;
}

function sameMap(a: unknown, b: unknown): boolean {
  const norm = (m: unknown) => {
    const o = (m as Record<string, unknown>) ?? {};
    return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
  };
  return norm(a) === norm(b);
}

const IMMUTABLE_SET = 'field is immutable when `immutable` is set';

/** ValidateConfigMapUpdate / ValidateSecretUpdate */
export function validateConfigSecretUpdate(obj: KubeObject, old: KubeObject): string[] {
  const errs: string[] = [];
  if (obj.kind === 'Secret' && (old.type ?? 'Opaque') !== (obj.type ?? 'Opaque')) {
    errs.push(`type: Invalid value: ${q(String(obj.type))}: field is immutable`);
  }
  if (old.immutable === true) {
    if (obj.immutable !== true) errs.push(`immutable: Forbidden: ${IMMUTABLE_SET}`);
    if (!sameMap(obj.data, old.data)) errs.push(`data: Forbidden: ${IMMUTABLE_SET}`);
    if (obj.kind === 'ConfigMap' && !sameMap(obj.binaryData, old.binaryData)) errs.push(`binaryData: Forbidden: ${IMMUTABLE_SET}`);
  }
  return errs;
}
