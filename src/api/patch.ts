// Applying PATCH bodies to stored objects, as the API server does for the three patch types kubectl
// sends (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
// - application/merge-patch+json       -> applyMergePatch (RFC 7386, evanphx/json-patch MergePatch)
// - application/json-patch+json        -> applyJsonPatch (RFC 6902, evanphx/json-patch v4 Apply)
// - application/strategic-merge-patch  -> applyStrategicMergePatch
//   (staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go StrategicMergeMapPatch,
//   with the patchStrategy/patchMergeKey tags of the k8s.io/api types)
// All functions are pure: they never mutate their inputs and return new objects.

import { resourceByKind } from '../kubectl/resources.js';

type Obj = Record<string, unknown>;

export class PatchError extends Error {
  readonly hint?: string;
  /** the HTTP status the API server answers with: 422 Invalid, 415 UnsupportedMediaType, 400 BadRequest */
  readonly status: 400 | 415 | 422;
  constructor(message: string, status: 400 | 415 | 422 = 422, hint?: string) {
    super(message);
    this.name = 'PatchError';
    this.status = status;
    this.hint = hint;
  }
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of JSON-like data. */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => cloneJson(x)) as T;
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) out[k] = cloneJson(v[k]);
    return out as T;
  }
  return v;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Go's %v-ish rendering for error messages. */
function show(v: unknown): string {
  return JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------------
// RFC 7386 JSON merge patch

/** RFC 7386 §2 MergePatch(Target, Patch): objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch<T>(target: T, patch: unknown): T {
  return mergePatchValue(target, patch) as T;
}

function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return cloneJson(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === null) delete out[k];
    else out[k] = mergePatchValue(out[k], v);
  }
  // untouched members are shared with the input above; copy them so callers may mutate the result
  for (const k of Object.keys(out)) if (!Object.prototype.hasOwnProperty.call(patch, k)) out[k] = cloneJson(out[k]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// RFC 6902 JSON patch

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

/** RFC 6901 JSON pointer -> reference tokens (`~1` is `/`, `~0` is `~`, in that order). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`JSON pointer must be empty or start with "/": ${show(pointer)}`, 422);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

// The messages follow gopkg.in/evanphx/json-patch.v4 (patch.go), which the API server uses; the
// server answers 422 with the library's error text.
const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

function arrayIndex(token: string, length: number, forAdd: boolean): number {
  if (forAdd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`Unable to access invalid index: ${token}: ${INVALID_INDEX}`);
  const i = Number(token);
  if (forAdd ? i > length : i >= length) throw new PatchError(`Unable to access invalid index: ${i}: ${INVALID_INDEX}`);
  return i;
}

/** The container holding the last token of `tokens`, or undefined when a parent is missing. */
function findContainer(doc: unknown, tokens: string[]): Obj | unknown[] | undefined {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(t) || Number(t) >= cur.length) return undefined;
      cur = cur[Number(t)];
    } else if (isObj(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
      cur = cur[t];
    } else return undefined;
  }
  return Array.isArray(cur) || isObj(cur) ? cur : undefined;
}

function getAt(doc: unknown, tokens: string[]): { found: boolean; value?: unknown } {
  if (tokens.length === 0) return { found: true, value: doc };
  const c = findContainer(doc, tokens);
  const key = tokens[tokens.length - 1];
  if (c === undefined) return { found: false };
  if (Array.isArray(c)) {
    if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) >= c.length) return { found: false };
    return { found: true, value: c[Number(key)] };
  }
  if (!Object.prototype.hasOwnProperty.call(c, key)) return { found: false };
  return { found: true, value: c[key] };
}

export function applyJsonPatch<T>(target: T, ops: readonly JsonPatchOp[]): T {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be a list of operations', 400);
  // Work on a copy, so a failing operation leaves the stored object untouched (the request fails as a whole).
  let doc: unknown = cloneJson(target);

  const add = (tokens: string[], value: unknown, opName: string, path: string): void => {
    if (tokens.length === 0) {
      doc = value;
      return;
    }
    const c = findContainer(doc, tokens);
    if (c === undefined) throw new PatchError(`${opName} operation does not apply: doc is missing path: "${path}": ${MISSING}`);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(c)) c.splice(arrayIndex(key, c.length, true), 0, value);
    else c[key] = value;
  };
  const remove = (tokens: string[], opName: string, path: string): unknown => {
    if (tokens.length === 0) throw new PatchError(`${opName} operation does not apply: cannot remove the whole document`);
    const c = findContainer(doc, tokens);
    if (c === undefined) throw new PatchError(`${opName} operation does not apply: doc is missing path: "${path}": ${MISSING}`);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(c)) return c.splice(arrayIndex(key, c.length, false), 1)[0];
    if (!Object.prototype.hasOwnProperty.call(c, key)) {
      throw new PatchError(`error in ${opName} for path: '${path}': Unable to remove nonexistent key: ${key}: ${MISSING}`);
    }
    const v = c[key];
    delete c[key];
    return v;
  };

  ops.forEach((op) => {
    if (!isObj(op)) throw new PatchError(`invalid JSON patch operation: ${show(op)}`, 400);
    const path = op.path;
    if (typeof path !== 'string') throw new PatchError(`operation missing path: ${show(op)}`, 400);
    const tokens = parsePointer(path);
    switch (op.op) {
      case 'add':
        add(tokens, cloneJson(op.value), 'add', path);
        break;
      case 'remove':
        remove(tokens, 'remove', path);
        break;
      case 'replace': {
        if (tokens.length === 0) {
          doc = cloneJson(op.value);
          break;
        }
        const c = findContainer(doc, tokens);
        if (c === undefined) throw new PatchError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
        const key = tokens[tokens.length - 1];
        if (Array.isArray(c)) c[arrayIndex(key, c.length, false)] = cloneJson(op.value);
        else {
          if (!Object.prototype.hasOwnProperty.call(c, key)) {
            throw new PatchError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
          }
          c[key] = cloneJson(op.value);
        }
        break;
      }
      case 'move': {
        if (typeof op.from !== 'string') throw new PatchError(`move operation missing from: ${show(op)}`, 400);
        const fromTokens = parsePointer(op.from);
        if (path.startsWith(op.from + '/')) throw new PatchError(`move operation does not apply: cannot move ${op.from} into its own child ${path}`);
        if (!getAt(doc, fromTokens).found) throw new PatchError(`move operation does not apply: doc is missing from path: ${op.from}: ${MISSING}`);
        const v = remove(fromTokens, 'move', op.from);
        if (tokens.length > 0 && findContainer(doc, tokens) === undefined) {
          throw new PatchError(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
        }
        add(tokens, v, 'move', path);
        break;
      }
      case 'copy': {
        if (typeof op.from !== 'string') throw new PatchError(`copy operation missing from: ${show(op)}`, 400);
        const got = getAt(doc, parsePointer(op.from));
        if (!got.found) throw new PatchError(`copy operation does not apply: doc is missing from path: ${op.from}: ${MISSING}`);
        if (tokens.length > 0 && findContainer(doc, tokens) === undefined) {
          throw new PatchError(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
        }
        add(tokens, cloneJson(got.value), 'copy', path);
        break;
      }
      case 'test': {
        const got = getAt(doc, tokens);
        if (!got.found) {
          // a missing member tests equal to null only (evanphx v4 test())
          if (op.value === null || op.value === undefined) break;
          throw new PatchError(`testing value ${path} failed: test failed`);
        }
        if (!jsonEqual(got.value, op.value ?? null)) throw new PatchError(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${String(op.op)}`, 400);
    }
  });
  return doc as T;
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch: metadata

/** patchStrategy/patchMergeKey of one struct field (k8s.io/api types.go tags). */
interface FieldMeta {
  /** 'merge' for lists (and primitive lists) merged by key; 'replace' replaces a map whole */
  strategy?: 'merge' | 'replace';
  mergeKey?: string;
  /** patchStrategy "...,retainKeys": only meaningful with a $retainKeys directive in the patch */
  retainKeys?: boolean;
  /** the struct type of the value (map) or of the list elements */
  type?: string;
}
type StructMeta = Record<string, FieldMeta>;

const merge = (mergeKey?: string, type?: string, retainKeys?: boolean): FieldMeta => ({
  strategy: 'merge',
  ...(mergeKey ? { mergeKey } : {}),
  ...(type ? { type } : {}),
  ...(retainKeys ? { retainKeys } : {}),
});
const struct = (type: string): FieldMeta => ({ type });
const conditions: FieldMeta = merge('type');

// Fields without an entry have no strategy: maps merge key by key, lists are replaced. That is
// also what the server does for every field of these types not listed here.
const TYPES: Record<string, StructMeta> = {
  ObjectMeta: {
    finalizers: merge(), // patchStrategy:"merge" on a []string: set union
    ownerReferences: merge('uid'),
  },
  PodTemplateSpec: { metadata: struct('ObjectMeta'), spec: struct('PodSpec') },
  PodSpec: {
    volumes: merge('name', 'Volume', true),
    initContainers: merge('name', 'Container'),
    containers: merge('name', 'Container'),
    ephemeralContainers: merge('name', 'Container'),
    imagePullSecrets: merge('name'),
    hostAliases: merge('ip'),
    topologySpreadConstraints: merge('topologyKey'),
    schedulingGates: merge('name'),
    resourceClaims: merge('name', undefined, true),
  },
  Volume: {},
  Container: {
    ports: merge('containerPort'),
    env: merge('name'),
    volumeMounts: merge('mountPath'),
    volumeDevices: merge('devicePath'),
  },
  PodStatus: {
    conditions,
    podIPs: merge('ip'),
    hostIPs: merge('ip'),
    resourceClaimStatuses: merge('name', undefined, true),
  },
  StatusWithConditions: { conditions },
  ServiceSpec: { ports: merge('port') },
  NodeSpec: { podCIDRs: merge() },
  NodeStatus: { conditions, addresses: merge('type') },
  WorkloadSpec: {
    template: struct('PodTemplateSpec'),
    // DeploymentSpec.Strategy: patchStrategy:"retainKeys"
    strategy: { retainKeys: true },
  },
  JobTemplateSpec: { metadata: struct('ObjectMeta'), spec: struct('WorkloadSpec') },
  CronJobSpec: { jobTemplate: struct('JobTemplateSpec') },
};

const ROOTS: Record<string, StructMeta> = {
  Pod: { spec: struct('PodSpec'), status: struct('PodStatus') },
  PodTemplate: { template: struct('PodTemplateSpec') },
  ReplicationController: { spec: struct('WorkloadSpec'), status: struct('StatusWithConditions') },
  ReplicaSet: { spec: struct('WorkloadSpec'), status: struct('StatusWithConditions') },
  Deployment: { spec: struct('WorkloadSpec'), status: struct('StatusWithConditions') },
  StatefulSet: { spec: struct('WorkloadSpec'), status: struct('StatusWithConditions') },
  DaemonSet: { spec: struct('WorkloadSpec'), status: struct('StatusWithConditions') },
  Job: { spec: struct('WorkloadSpec'), status: struct('StatusWithConditions') },
  CronJob: { spec: struct('CronJobSpec') },
  Service: { spec: struct('ServiceSpec'), status: struct('StatusWithConditions') },
  Node: { spec: struct('NodeSpec'), status: struct('NodeStatus') },
  Namespace: { status: struct('StatusWithConditions') },
  PersistentVolumeClaim: { status: struct('StatusWithConditions') },
  ServiceAccount: { secrets: merge('name') },
  HorizontalPodAutoscaler: { status: struct('StatusWithConditions') },
  PodDisruptionBudget: { status: struct('StatusWithConditions') },
};

function rootMeta(kind: string): StructMeta {
  return { metadata: struct('ObjectMeta'), ...(ROOTS[kind] ?? {}) };
}

function fieldMeta(t: StructMeta | undefined, key: string): FieldMeta {
  return t?.[key] ?? {};
}

function typeOf(f: FieldMeta): StructMeta | undefined {
  return f.type ? TYPES[f.type] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch: algorithm (patch.go mergeMap / mergeSlice, server-side options
// MergeParallelList=true, IgnoreUnmatchedNulls=true)

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/**
 * Apply a strategic merge patch to an object of a built-in kind. Kinds the API server does not
 * serve natively (custom resources) reject it, as the apiextensions-apiserver does (415).
 */
export function applyStrategicMergePatch<T>(target: T, patch: unknown, kind: string): T {
  if (!resourceByKind(kind)) {
    throw new PatchError(
      `strategic merge patch is not supported for ${kind} (a custom resource): the server accepts only application/json-patch+json, application/merge-patch+json and application/apply-patch+yaml`,
      415,
      'use --type=merge (or --type=json) for custom resources',
    );
  }
  if (!isObj(patch)) throw new PatchError(`a strategic merge patch must be a JSON object, got ${show(patch)}`, 400);
  const original = isObj(target) ? target : {};
  return mergeMap(original, patch, rootMeta(kind)) as T;
}

function badPatchType(directive: unknown, m: Obj): PatchError {
  return new PatchError(`Unknown patch type: ${String(directive)} in map: ${show(m)}`, 400);
}

function mergeMap(original: Obj | undefined, patchIn: Obj, t: StructMeta | undefined): Obj {
  if (Object.prototype.hasOwnProperty.call(patchIn, DIRECTIVE)) {
    const d = patchIn[DIRECTIVE];
    if (d === 'replace') {
      const rest: Obj = { ...patchIn };
      delete rest[DIRECTIVE];
      return mergeMap({}, rest, t);
    }
    if (d === 'delete') return {};
    throw badPatchType(d, patchIn);
  }
  const out: Obj = original ? cloneJson(original) : {};
  const patch: Obj = { ...patchIn };

  // $retainKeys: clear the fields of original not listed (applyRetainKeysDirective)
  if (Object.prototype.hasOwnProperty.call(patch, RETAIN_KEYS)) {
    const list = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(list)) throw new PatchError('invalid patch format of retainKeys', 400);
    for (const k of Object.keys(patch)) {
      if (patch[k] === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
      if (!list.includes(k)) throw new PatchError('invalid patch format of retainKeys', 400);
    }
    for (const k of Object.keys(out)) if (!list.includes(k)) delete out[k];
  }

  // $setElementOrder/<list>: merge that list now and order it (mergePatchIntoOriginal)
  for (const k of Object.keys(patch)) {
    if (!k.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[k];
    delete patch[k];
    const listKey = extractKey(k, SET_ELEMENT_ORDER);
    if (!Array.isArray(order)) throw new PatchError('invalid patch format of setElementOrder list', 400);
    const f = fieldMeta(t, listKey);
    const origList = out[listKey];
    const patchList = patch[listKey];
    if (origList !== undefined && !Array.isArray(origList)) throw new PatchError(`invalid type for ${listKey}: expected a list, got ${show(origList)}`, 400);
    if (patchList !== undefined && !Array.isArray(patchList)) throw new PatchError(`invalid type for ${listKey}: expected a list, got ${show(patchList)}`, 400);
    delete patch[listKey];
    if (origList === undefined && patchList === undefined) continue;
    validateSetOrder(patchList ?? [], order, f.mergeKey);
    let merged: unknown[];
    if (origList !== undefined && patchList !== undefined) merged = mergeList(origList, patchList, f, false);
    else if (patchList !== undefined) merged = freshList(patchList, f);
    else merged = origList!;
    const key = f.mergeKey;
    const inOrder = (v: unknown) => order.some((o) => sameItem(o, v, key));
    out[listKey] = normalizeElementOrder(
      merged.filter(inOrder),
      merged.filter((v) => !inOrder(v)),
      order,
      origList ?? [],
      key,
    );
  }

  // $deleteFromPrimitiveList/<list> last, so additions and deletions of the same list both apply
  const deletions: [string, unknown][] = [];
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deletions.push([extractKey(k, DELETE_FROM_PRIMITIVE_LIST), v]);
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const f = fieldMeta(t, k);
    if (!Object.prototype.hasOwnProperty.call(out, k) || kindOf(out[k]) !== kindOf(v)) {
      out[k] = freshValue(v, f);
      continue;
    }
    const cur = out[k];
    if (isObj(cur) && isObj(v)) out[k] = f.strategy === 'replace' ? freshValue(v, f) : mergeMap(cur, v, typeOf(f));
    else if (Array.isArray(cur) && Array.isArray(v)) out[k] = f.strategy === 'merge' ? mergeList(cur, v, f, false) : freshList(v, f);
    else out[k] = v;
  }
  for (const [k, v] of deletions) {
    if (!Array.isArray(v)) throw new PatchError('invalid patch format of primitive list', 400);
    const cur = out[k];
    if (Array.isArray(cur)) out[k] = mergeList(cur, v, fieldMeta(t, k), true);
  }
  return out;
}

function extractKey(k: string, prefix: string): string {
  const slash = k.indexOf('/');
  if (slash < 0 || k.slice(0, slash) !== prefix || slash === k.length - 1) {
    throw new PatchError(
      prefix === DELETE_FROM_PRIMITIVE_LIST ? 'invalid patch format of primitive list' : 'invalid patch format of setElementOrder list',
      400,
    );
  }
  return k.slice(slash + 1);
}

type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
function kindOf(v: unknown): JsonKind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v as JsonKind;
}

/** A patch value landing where the original has nothing: applied to "nothing", so directives and nulls vanish. */
function freshValue(v: unknown, f: FieldMeta): unknown {
  if (isObj(v)) return mergeMap({}, v, typeOf(f));
  if (Array.isArray(v)) return freshList(v, f);
  return v;
}

function freshList(v: unknown[], f: FieldMeta): unknown[] {
  if (f.strategy === 'merge') return mergeList([], v, f, false);
  const et = typeOf(f);
  return v.map((e) => (isObj(e) ? mergeMap({}, stripDirectiveMarker(e), et) : cloneJson(e)));
}

function stripDirectiveMarker(e: Obj): Obj {
  if (!Object.prototype.hasOwnProperty.call(e, DIRECTIVE)) return e;
  const c = { ...e };
  delete c[DIRECTIVE];
  return c;
}

/** The one element type of the lists (sliceElementType). */
function elementKind(...lists: unknown[][]): JsonKind | undefined {
  let k: JsonKind | undefined;
  for (const l of lists) {
    for (const v of l) {
      const vk = kindOf(v);
      if (k === undefined) {
        if (vk === 'array') throw new PatchError('lists of lists are not supported', 422);
        k = vk;
      } else if (vk !== k) {
        throw new PatchError(`list element types are not identical: ${show(lists)}`, 422);
      }
    }
  }
  return k;
}

function noMergeKey(m: unknown, key: string): PatchError {
  return new PatchError(`map: ${show(m)} does not contain declared merge key: ${key}`, 422);
}

function mergeKeyOf(v: unknown, key: string): unknown {
  if (!isObj(v)) throw new PatchError(`expected a map in a merging list, got ${show(v)}`, 422);
  if (!Object.prototype.hasOwnProperty.call(v, key)) throw noMergeKey(v, key);
  return v[key];
}

/** Go's interface == on decoded JSON: same type and value (maps/slices never compare equal). */
function goEqual(a: unknown, b: unknown): boolean {
  return a === b && typeof a !== 'object';
}

function sameItem(a: unknown, b: unknown, key: string | undefined): boolean {
  if (!key) return goEqual(a, b) || (a === null && b === null);
  if (!isObj(a) || !isObj(b)) return false;
  return goEqual(a[key], b[key]);
}

function mergeList(originalIn: unknown[], patchIn: unknown[], f: FieldMeta, isDeleteList: boolean): unknown[] {
  if (originalIn.length === 0 && patchIn.length === 0) return [];
  const kind = elementKind(originalIn, patchIn);
  const et = typeOf(f);
  const key = f.mergeKey;
  let original = originalIn.map((x) => cloneJson(x));
  let patch = patchIn;
  let merged: unknown[];

  if (kind !== 'object') {
    if (isDeleteList) return original.filter((v) => !patch.some((d) => goEqual(d, v)));
    merged = [];
    for (const v of [...original, ...patch]) if (!merged.some((m) => goEqual(m, v))) merged.push(cloneJson(v));
  } else {
    if (!key) throw new PatchError('cannot merge lists without merge key for type map', 422);
    // mergeSliceWithSpecialElements
    const plain: Obj[] = [];
    let replace = false;
    for (const v of patch) {
      const m = v as Obj;
      if (!Object.prototype.hasOwnProperty.call(m, DIRECTIVE)) {
        plain.push(m);
        continue;
      }
      const d = m[DIRECTIVE];
      if (d === 'delete') {
        if (!Object.prototype.hasOwnProperty.call(m, key)) throw noMergeKey(m, key);
        original = original.filter((o) => !goEqual(mergeKeyOf(o, key), m[key]));
      } else if (d === 'replace') {
        replace = true;
      } else if (d === 'merge') {
        throw new PatchError('merging lists cannot yet be specified in the patch', 422);
      } else {
        throw badPatchType(d, m);
      }
    }
    if (replace) {
      original = plain.map((p) => mergeMap({}, p, et));
      patch = [];
    } else {
      patch = plain;
    }
    // mergeSliceWithoutSpecialElements
    merged = [...original];
    for (const p of patch as Obj[]) {
      const pk = mergeKeyOf(p, key);
      const idx = merged.findIndex((o) => isObj(o) && Object.prototype.hasOwnProperty.call(o, key) && goEqual(o[key], pk));
      if (idx >= 0) merged[idx] = mergeMap(merged[idx] as Obj, p, et);
      else merged.push(mergeMap({}, p, et));
    }
  }
  const inPatch = (v: unknown) => patch.some((p) => sameItem(p, v, kind === 'object' ? key : undefined));
  return normalizeElementOrder(
    merged.filter(inPatch),
    merged.filter((v) => !inPatch(v)),
    patch,
    original,
    kind === 'object' ? key : undefined,
  );
}

function indexIn(order: readonly unknown[], v: unknown, key: string | undefined): number {
  for (let i = 0; i < order.length; i++) if (sameItem(order[i], v, key)) return i;
  return -1;
}

/**
 * normalizeElementOrder: patch items in the order of the patch (or $setElementOrder), server-only
 * items in their original order, interleaved by mergeSortedSlice (a server-only item goes first only
 * when both are in the original and it came first there).
 */
function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  key: string | undefined,
): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, key);
  const left = sortByOrder(serverOnly, serverOrder, key);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = indexIn(serverOrder, left[i], key);
    const ri = indexIn(serverOrder, right[j], key);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return [...out, ...left.slice(i), ...right.slice(j)];
}

function sortByOrder(items: unknown[], order: readonly unknown[], key: string | undefined): unknown[] {
  // stable; items not in `order` keep their place relative to each other and go last
  const decorated = items.map((v, n) => ({ v, n, i: indexIn(order, v, key) }));
  decorated.sort((a, b) => {
    if (a.i >= 0 && b.i >= 0) return a.i - b.i || a.n - b.n;
    if (a.i >= 0) return -1;
    if (b.i >= 0) return 1;
    return a.n - b.n;
  });
  return decorated.map((d) => d.v);
}

/** validatePatchWithSetOrderList: the patch list's relative order must agree with $setElementOrder. */
function validateSetOrder(patchList: unknown[], order: unknown[], key: string | undefined): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = key ? patchList.filter((p) => !(isObj(p) && p[DIRECTIVE] === 'delete')) : patchList;
  let pi = 0;
  let si = 0;
  while (pi < nonDelete.length && si < order.length) {
    const p = nonDelete[pi];
    if (isObj(p) && Object.prototype.hasOwnProperty.call(p, DIRECTIVE)) {
      pi++;
      continue;
    }
    if (key) mergeKeyOf(p, key);
    if (sameItem(p, order[si], key)) pi++;
    si++;
  }
  if (pi < nonDelete.length && si >= order.length) {
    throw new PatchError(`The order in patch list:\n${show(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${show(order)}\n`, 422);
  }
}

// ---------------------------------------------------------------------------------------------

export type PatchType = 'strategic' | 'merge' | 'json';

/** Dispatch on the patch type, as the API server's patch handler does. */
export function applyPatch<T>(target: T, patchType: PatchType, patch: unknown, kind: string): T {
  switch (patchType) {
    case 'merge':
      if (!isObj(patch)) throw new PatchError(`a merge patch must be a JSON object, got ${show(patch)}`, 400);
      return dropEmptyMetadataMaps(applyMergePatch(target, patch));
    case 'json':
      return dropEmptyMetadataMaps(applyJsonPatch(target, patch as JsonPatchOp[]));
    case 'strategic':
      return dropEmptyMetadataMaps(applyStrategicMergePatch(target, patch, kind));
  }
}

/**
 * The patch handler decodes the patched JSON into the Go type and encodes it again; ObjectMeta's
 * `labels` and `annotations` are `omitempty` maps, so a patch that removes the last key leaves no
 * field at all rather than `{}` (apimachinery/pkg/apis/meta/v1/types.go).
 */
export function dropEmptyMetadataMaps<T>(obj: T): T {
  const meta = isObj(obj) ? (obj as Record<string, unknown>).metadata : undefined;
  if (isObj(meta)) {
    const m = meta as Record<string, unknown>;
    for (const k of ['labels', 'annotations']) if (isObj(m[k]) && Object.keys(m[k] as object).length === 0) delete m[k];
  }
  return obj;
}
