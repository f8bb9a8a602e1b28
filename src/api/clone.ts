// Copies and comparisons of API objects on the API server's write path. Objects are JSON-shaped
// trees (what a manifest or a controller builds), so a plain recursive copy gives what
// structuredClone gives, several times faster, and a walk over two trees answers "would
// JSON.stringify print them the same?" without printing either. Anything not plain (a Date, a
// Map, a class instance) falls back to the exact old behaviour.

/** structuredClone for JSON-shaped data: same keys, same order, undefined values kept. */
export function cloneObject<T>(v: T): T {
  return copy(v) as T;
}

function copy(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const n = v.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = copy(v[i]);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  const src = v as Record<string, unknown>;
  for (const k of Object.keys(src)) {
    // an own "__proto__" key (JSON.parse or YAML can make one) stays a plain property
    if (k === '__proto__') Object.defineProperty(out, k, { value: copy(src[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = copy(src[k]);
  }
  return out;
}

/**
 * cloneObject(v) with structural sharing: every subtree of `v` that is identical in content to
 * the subtree of `base` at the same path (same keys in the same order, the same primitives) is
 * `base`'s own subtree instead of a copy; the rest is fresh. `base` must be a stored object (never
 * changed in place), so sharing its parts is safe; the result shares nothing else with `v`, and is
 * `base` itself when the two are identical in content. An update that changes one field of a
 * status then copies one path instead of the whole tree, and later comparisons of the old and new
 * versions stop at the shared subtrees (jsonEqual starts with ===). (A part of `base` with a null
 * prototype would be shared as it is, where copy gives a plain object: stored objects have none.)
 */
export function copySharing<T>(v: T, base: unknown): T {
  return share(v, base) as T;
}

/**
 * A fresh copy of the plain object `v` whose members are copySharing(member, base's member of the
 * same key): the top level is the caller's own to change, the members below share with `base`.
 */
export function copyMembersSharing<T extends object>(v: T, base: unknown): T {
  const src = v as Record<string, unknown>;
  if (!isPlainObject(v) || Object.hasOwn(v, '__proto__')) return copy(v) as T;
  const ob = isPlainObject(base) ? base : undefined;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) out[k] = share(src[k], ob !== undefined && Object.hasOwn(ob, k) ? ob[k] : undefined);
  return out as T;
}

function share(v: unknown, b: unknown): unknown {
  // a subtree the caller took from the stored object is kept whole
  if (v === b || typeof v !== 'object' || v === null) return v;
  if (typeof b !== 'object' || b === null) return copy(v);
  if (Array.isArray(v)) {
    if (!Array.isArray(b)) return copy(v);
    const n = v.length;
    let out: unknown[] | undefined = n === b.length ? undefined : new Array(n);
    for (let i = 0; i < n; i++) {
      const bi = i < b.length ? b[i] : undefined;
      const r = share(v[i], bi);
      if (out === undefined) {
        if (Object.is(r, bi)) continue;
        // the first difference: the elements before it are base's own
        out = new Array(n);
        for (let j = 0; j < i; j++) out[j] = b[j];
      }
      out[i] = r;
    }
    return out === undefined ? b : out;
  }
  if (!plainProto(v) || Array.isArray(b) || !plainProto(b)) return copy(v);
  const src = v as Record<string, unknown>, ob = b as Record<string, unknown>;
  const kv = Object.keys(src), kb = Object.keys(ob);
  let out: Record<string, unknown> | undefined = kv.length === kb.length ? undefined : {};
  for (let i = 0; i < kv.length; i++) {
    const k = kv[i];
    if (k === '__proto__') return copy(v); // an own "__proto__" member (see copy): not shared
    const at = kb[i] === k;
    const bk = at || Object.hasOwn(ob, k) ? ob[k] : undefined;
    const r = share(src[k], bk);
    if (out === undefined) {
      if (at && Object.is(r, bk)) continue;
      out = {};
      for (let j = 0; j < i; j++) out[kv[j]] = ob[kv[j]];
    }
    out[k] = r;
  }
  return out === undefined ? b : out;
}

function plainProto(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `{ ...o }` for a copy the caller then adds members to. On Node 20 (V8 11.3) an object made by
 * a spread gets a hidden class of its own when a member is added to it (~0.5 us each, and each
 * such object then has a map nobody else shares); Object.assign builds the copy along the shared
 * transitions (~0.07 us). Same keys in the same order; an own "__proto__" key (which
 * Object.assign would take as the prototype) keeps the spread.
 */
export function shallowCopy<T extends object>(o: T): T {
  return Object.hasOwn(o, '__proto__') ? { ...o } : Object.assign({}, o);
}

/** JSON.stringify(a) === JSON.stringify(b), without building either string. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return same(a, b, undefined);
}

/**
 * Two objects print the same once `skip` is left out of both (at the top level only):
 * `const { [skip]: _, ...x } = a` and the same for b, then JSON.stringify(x) === JSON.stringify(y).
 */
export function jsonEqualExcept(a: object, b: object, skip: string): boolean {
  if (a === b) return true;
  if (plain(a) && plain(b) && !Array.isArray(a) && !Array.isArray(b)) return same(a, b, skip);
  return strip(a, skip) === strip(b, skip);
}

/** JSON.stringify leaves these values out of an object (and prints null for them in an array) */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** `skip` (a key left out) is only ever passed for plain, non-array objects */
function same(a: unknown, b: unknown, skip: string | undefined): boolean {
  if (a === b && skip === undefined) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || !plain(a) || !plain(b)) return JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x = a[i], y = b[i];
      if (!same(omitted(x) ? null : x, omitted(y) ? null : y, undefined)) return false;
    }
    return true;
  }
  const oa = a as Record<string, unknown>, ob = b as Record<string, unknown>;
  const ka = Object.keys(oa), kb = Object.keys(ob);
  let i = 0, j = 0;
  for (;;) {
    while (i < ka.length && (ka[i] === skip || omitted(oa[ka[i]]))) i++;
    while (j < kb.length && (kb[j] === skip || omitted(ob[kb[j]]))) j++;
    if (i === ka.length || j === kb.length) return i === ka.length && j === kb.length;
    if (ka[i] !== kb[j] || !same(oa[ka[i]], ob[kb[j]], undefined)) return false;
    i++;
    j++;
  }
}

/** plain objects and arrays, which JSON.stringify prints key by key (no toJSON of their own) */
function plain(v: object): boolean {
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

function strip(v: object, skip: string): string {
  const { [skip]: _drop, ...rest } = v as Record<string, unknown>;
  return JSON.stringify(rest);
}

/**
 * Two objects print the same once `skip` is left out of their `key` member:
 * JSON.stringify({ ...a, [key]: aWithoutSkip }) === JSON.stringify({ ...b, [key]: bWithoutSkip })
 * (the API server's no-op test: everything but metadata.resourceVersion). `knownEqual` names a
 * member the caller already found equal with jsonEqual (it is then not walked again).
 */
export function jsonEqualExceptIn(a: object, b: object, key: string, skip: string, knownEqual?: string): boolean {
  const oa = a as Record<string, unknown>, ob = b as Record<string, unknown>;
  const x = oa[key], y = ob[key];
  const fast = plain(a) && plain(b) && !Array.isArray(a) && !Array.isArray(b) && Object.hasOwn(a, key) && Object.hasOwn(b, key) && typeof x === 'object' && typeof y === 'object' && x !== null && y !== null;
  if (!fast) {
    const { [skip]: _x, ...mx } = (x ?? {}) as Record<string, unknown>;
    const { [skip]: _y, ...my } = (y ?? {}) as Record<string, unknown>;
    return JSON.stringify({ ...oa, [key]: mx }) === JSON.stringify({ ...ob, [key]: my });
  }
  const ka = Object.keys(oa), kb = Object.keys(ob);
  let i = 0, j = 0;
  for (;;) {
    while (i < ka.length && ka[i] !== key && omitted(oa[ka[i]])) i++;
    while (j < kb.length && kb[j] !== key && omitted(ob[kb[j]])) j++;
    if (i === ka.length || j === kb.length) return i === ka.length && j === kb.length;
    const k = ka[i];
    if (k !== kb[j]) return false;
    if (k === key ? !jsonEqualExcept(x as object, y as object, skip) : k !== knownEqual && !same(oa[k], ob[k], undefined)) return false;
    i++;
    j++;
  }
}

/**
 * JSON.stringify(a) === JSON.stringify(b) for two plain objects once the top-level keys in `skip`
 * are left out of both, with each remaining member compared by `member` (which must answer as
 * JSON.stringify of the two members would, or as it would after its own leaving-out).
 */
export function jsonEqualMembers(a: object, b: object, skip: ReadonlySet<string>, member: (key: string, x: unknown, y: unknown) => boolean): boolean {
  const oa = a as Record<string, unknown>, ob = b as Record<string, unknown>;
  const ka = Object.keys(oa), kb = Object.keys(ob);
  let i = 0, j = 0;
  for (;;) {
    while (i < ka.length && (skip.has(ka[i]) || omitted(oa[ka[i]]))) i++;
    while (j < kb.length && (skip.has(kb[j]) || omitted(ob[kb[j]]))) j++;
    if (i === ka.length || j === kb.length) return i === ka.length && j === kb.length;
    const k = ka[i];
    if (k !== kb[j] || !member(k, oa[k], ob[k])) return false;
    i++;
    j++;
  }
}

/** whether `v` is a plain object (not an array) that jsonEqualMembers may walk */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && plain(v);
}
