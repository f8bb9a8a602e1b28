// Manifests as `kubectl apply -f` reads them: files, directories and globs; multi-document YAML;
// List kinds flattened into their items; every object keeps the position it came from.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import type { KubeObject } from '../api/types.js';
import { InputError, type Diagnostic, type SourcePosition } from './diagnostics.js';
import { parseYaml, NodeLocator, type JsonPath } from './source.js';

export interface LoadedManifest {
  object: KubeObject;
  /** where the object starts */
  source: SourcePosition;
  /** the file the object came from (the scenario file for inline objects) */
  file: string;
  /** position of a node of this object by JSON path, falling back to the nearest existing parent */
  locate(path: (string | number)[]): SourcePosition;
}

// kubectl takes these extensions when given a directory (k8s.io/cli-runtime/pkg/resource/
// builder.go, FileExtensions); without -R, visitor.go ExpandPathsToFileVisitors does not descend
// into subdirectories.
const MANIFEST_EXTENSIONS = ['.json', '.yaml', '.yml'];

/**
 * The manifests named by `pattern` (a file, a directory or a glob) relative to `baseDir`, in
 * file order then document order. `at` is where the pattern was written, for "not found" errors.
 * Throws InputError listing every problem found.
 */
export function loadManifestFiles(pattern: string, baseDir: string, at: SourcePosition): LoadedManifest[] {
  const files = resolveManifestPattern(pattern, baseDir, at);
  const manifests: LoadedManifest[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const parsed = parseYaml(file, text);
    if (parsed.errors.length) {
      diagnostics.push(...parsed.errors);
      continue;
    }
    for (const doc of parsed.docs) {
      // `---` followed by nothing (or only comments) is an empty document; kubectl skips it.
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) continue;
      collectManifests(value, NodeLocator.forDocument(parsed, doc), [], manifests, diagnostics);
    }
  }
  if (diagnostics.length) throw new InputError(diagnostics);
  return manifests;
}

/** Files a manifest pattern names, sorted; throws InputError at `at` if there are none. */
export function resolveManifestPattern(pattern: string, baseDir: string, at: SourcePosition): string[] {
  const where = baseDir === '' ? '.' : baseDir;
  if (isDynamicPattern(pattern)) {
    const matches = globSync(pattern, { cwd: baseDir, onlyFiles: true, expandDirectories: false })
      .map((m) => joinPath(baseDir, m))
      .sort(compareStrings);
    if (matches.length === 0)
      throw new InputError([
        { ...at, message: `no manifest files match '${pattern}'`, hint: `globs are relative to the scenario file's directory (${where})`, code: 'manifest.notFound' },
      ]);
    return dedupeSorted(matches);
  }
  const full = joinPath(baseDir, pattern);
  let isDir: boolean;
  try {
    isDir = statSync(full).isDirectory();
  } catch {
    throw new InputError([
      { ...at, message: `manifest file not found: ${pattern}`, hint: `paths are relative to the scenario file's directory (${where})`, code: 'manifest.notFound' },
    ]);
  }
  if (!isDir) return [full];
  const inDir = readdirSync(full, { withFileTypes: true })
    .filter((d) => d.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(d.name)))
    .map((d) => joinPath(full, d.name))
    .sort(compareStrings);
  if (inDir.length === 0)
    throw new InputError([
      { ...at, message: `directory ${pattern} has no manifest files`, hint: `files ending in ${MANIFEST_EXTENSIONS.join(', ')} are read (not subdirectories)`, code: 'manifest.notFound' },
    ]);
  return inDir;
}

/**
 * Validate one parsed object (already plain JS) and flatten it if it is a List, appending to
 * `out`/`diagnostics`. `loc` locates nodes of the document the object lives in; `path` is the
 * object's path in that document.
 */
/** What collectManifests needs of a locator: a NodeLocator, or the scenario's own positions. */
export interface ManifestLocator {
  readonly file: string;
  locate(path: JsonPath): SourcePosition;
  sub(path: JsonPath): { locate(path: JsonPath): SourcePosition };
}

export function collectManifests(
  value: unknown,
  loc: ManifestLocator,
  path: JsonPath,
  out: LoadedManifest[],
  diagnostics: Diagnostic[],
): void {
  const problem = (p: JsonPath, message: string, hint?: string): void => {
    diagnostics.push({ ...loc.locate(p), message, hint, code: 'manifest.invalid' });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem(path, 'a manifest must be a Kubernetes object (a mapping with apiVersion, kind and metadata)', undefined);
    return;
  }
  const obj = value as Record<string, unknown>;
  const missing = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string' || obj[k] === '');
  if (missing.length) {
    const bad = missing.find((k) => k in obj && obj[k] !== null);
    if (bad) problem([...path, bad], `manifest ${bad} must be a non-empty string`);
    else problem(path, `manifest has no ${missing.join(' and ')}`, 'every Kubernetes object needs apiVersion, kind and metadata.name');
    return;
  }
  const kind = obj.kind as string;
  // kubectl flattens any list object (meta.IsListType: a kind with an `items` list), not just
  // v1 List (k8s.io/cli-runtime/pkg/resource/visitor.go, FlattenListVisitor).
  if (kind === 'List' || (kind.endsWith('List') && 'items' in obj)) {
    if (obj.items === undefined || obj.items === null) return;
    if (!Array.isArray(obj.items)) {
      problem([...path, 'items'], `${kind} items must be a list of objects`);
      return;
    }
    obj.items.forEach((item, i) => collectManifests(item, loc, [...path, 'items', i], out, diagnostics));
    return;
  }
  const meta = obj.metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    problem(meta === undefined ? path : [...path, 'metadata'], `${kind} has no metadata`, 'set metadata.name (or metadata.generateName)');
    return;
  }
  const m = meta as Record<string, unknown>;
  for (const field of ['name', 'generateName', 'namespace']) {
    if (field in m && typeof m[field] !== 'string') {
      problem([...path, 'metadata', field], `metadata.${field} must be a string`);
      return;
    }
  }
  if (!m.name && !m.generateName) {
    problem([...path, 'metadata'], `${kind} has no metadata.name`, 'set metadata.name (or metadata.generateName to let the API server generate one)');
    return;
  }
  const objectLoc = loc.sub(path);
  out.push({
    object: obj as unknown as KubeObject,
    source: loc.locate(path),
    file: loc.file,
    locate: (p) => objectLoc.locate(p),
  });
}

function joinPath(base: string, rel: string): string {
  return path.isAbsolute(rel) ? path.normalize(rel) : path.join(base, rel);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function dedupeSorted(xs: string[]): string[] {
  return xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
}
