// Load one scenario file: YAML with positions -> JSON Schema -> structural rules -> manifests.
// Every problem found in a phase is reported together, as one InputError.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, type Diagnostic, type SourcePosition } from './diagnostics.js';
import { collectManifests, loadManifestFiles, type LoadedManifest } from './manifests.js';
import { checkScenarioRules } from './rules.js';
import { validateScenarioSchema } from './schema.js';
import { NodeLocator, parseYaml } from './source.js';

export { discoverScenarioFiles } from './discover.js';
export { loadManifestFiles, type LoadedManifest } from './manifests.js';
export { schemaJson } from './schema.js';

export interface LoadedScenario {
  /** path as given (relative to cwd if it was) */
  file: string;
  /** the validated plain JS object */
  raw: any;
  /** position of a node by JSON path; falls back to the nearest existing parent */
  locate(path: (string | number)[]): SourcePosition;
  /** position of the KEY of that node (for "unknown key" errors); the node itself for list items */
  locateKey(path: (string | number)[]): SourcePosition;
  /** from `manifests:` (files resolved, inline objects), in order */
  manifests: LoadedManifest[];
}

export function loadScenarioFile(file: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message);
    throw new InputError([{ file, line: 1, col: 1, message: `cannot read scenario file: ${reason}`, code: 'input.notFound' }]);
  }
  return loadScenarioText(file, text);
}

/** Like loadScenarioFile, for text already in memory; `file` names it and anchors manifest paths. */
export function loadScenarioText(file: string, text: string): LoadedScenario {
  const parsed = parseYaml(file, text);
  if (parsed.errors.length) throw new InputError(parsed.errors);
  // each document's value is built once (toJS walks the whole document)
  const docs = parsed.docs.map((doc) => ({ doc, value: doc.toJS() as unknown })).filter((d) => d.value !== null);
  if (docs.length === 0)
    throw new InputError([
      { file, line: 1, col: 1, message: 'the scenario file is empty', hint: 'a scenario needs at least `name:`', code: 'scenario.empty' },
    ]);
  if (docs.length > 1) {
    const pos = parsed.lineCounter.linePos(docs[1].doc.range[0]);
    throw new InputError([
      {
        file,
        line: pos.line,
        col: pos.col,
        message: 'a scenario file holds one scenario, but this is a second YAML document',
        hint: 'put each scenario in a file of its own; manifests go under `manifests:` or in files it names',
        code: 'scenario.multipleDocuments',
      },
    ]);
  }
  const { doc, value: raw } = docs[0];
  const loc = NodeLocator.forDocument(parsed, doc);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError([
      { ...loc.locate([]), message: 'a scenario must be a mapping of keys (name, manifests, steps, expect, ...)', code: 'schema.type' },
    ]);
  }
  const schema = validateScenarioSchema(raw, loc);
  const diagnostics = [...schema.diagnostics, ...checkScenarioRules(raw, loc, schema.unknownKeyPaths)];
  if (diagnostics.length) throw new InputError(sortDiagnostics(diagnostics));

  const manifests = loadScenarioManifests(file, (raw as { manifests?: unknown[] }).manifests ?? [], loc);
  return {
    file,
    raw,
    locate: (p) => loc.locate(p),
    locateKey: (p) => loc.locateKey(p),
    manifests,
  };
}

function loadScenarioManifests(file: string, entries: unknown[], loc: NodeLocator): LoadedManifest[] {
  const baseDir = path.dirname(file);
  const out: LoadedManifest[] = [];
  const diagnostics: Diagnostic[] = [];
  entries.forEach((entry, i) => {
    const ref = entry as { file?: unknown };
    if (typeof ref.file === 'string') {
      try {
        out.push(...loadManifestFiles(ref.file, baseDir, loc.locate(['manifests', i, 'file'])));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        diagnostics.push(...err.diagnostics);
      }
    } else {
      // Inline objects are copied so that whoever applies them cannot change `raw`.
      collectManifests(structuredClone(entry), loc, ['manifests', i], out, diagnostics);
    }
  });
  if (diagnostics.length) throw new InputError(diagnostics);
  return out;
}

/** By file, then line, then column; stable for equal positions. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) =>
      a.d.file !== b.d.file ? (a.d.file < b.d.file ? -1 : 1) : a.d.line - b.d.line || a.d.col - b.d.col || a.i - b.i,
    )
    .map((x) => x.d);
}
