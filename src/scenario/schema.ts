// The scenario JSON Schema (schema/scenario.schema.json), compiled once per process with ajv, and
// the translation of ajv's errors into diagnostics a person can act on: one error per problem,
// at the offending node (at the key for an unknown key), with what is allowed and a did-you-mean.

import { readFileSync } from 'node:fs';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { didYouMean } from '../util/didYouMean.js';
import type { Diagnostic } from './diagnostics.js';
import { displayPath, pointerToPath, type JsonPath, type NodeLocator } from './source.js';

// src/scenario/schema.ts (vitest) and dist/src/scenario/schema.js (tsc) both reach schema/ at
// the package root; whichever exists is used.
const SCHEMA_URLS = [
  new URL('../../schema/scenario.schema.json', import.meta.url),
  new URL('../../../schema/scenario.schema.json', import.meta.url),
];

let schemaText: string | undefined;

function readSchemaText(): string {
  if (schemaText !== undefined) return schemaText;
  const tried: string[] = [];
  for (const url of SCHEMA_URLS) {
    try {
      schemaText = readFileSync(url, 'utf8');
      return schemaText;
    } catch {
      tried.push(url.pathname);
    }
  }
  throw new Error(`scenario schema not found; looked at ${tried.join(', ')}`);
}

/** The scenario JSON Schema (a fresh copy), e.g. for `kuberehearse schema`. */
export function schemaJson(): Record<string, unknown> {
  return JSON.parse(readSchemaText()) as Record<string, unknown>;
}

/** Keywords editors (yaml-language-server) understand; ajv must know them to stay strict. */
export const EDITOR_KEYWORDS = [
  'markdownDescription',
  'defaultSnippets',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'deprecationMessage',
  'patternErrorMessage',
  'doNotSuggest',
];

let compiled: ValidateFunction | undefined;

export const AJV_OPTIONS: Options = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true };

/**
 * `npm run build` writes ajv's standalone code for the schema here (scripts/build-validator.mjs),
 * with the hash of the schema text it was generated from: loading it costs a fraction of
 * compiling the schema at every process start (and in every worker). A stale or missing file
 * (the schema edited since the build, or running from src/ under vitest) falls back to ajv.
 */
export const STANDALONE_VALIDATOR = new URL('../../schema-validator.cjs', import.meta.url);
const requireHere = createRequire(import.meta.url);

/** the hash of the schema file's text, which the standalone validator must carry */
export function schemaHash(): string {
  return createHash('sha256').update(readSchemaText()).digest('hex');
}

function validator(): ValidateFunction {
  compiled ??= precompiled() ?? compileSchema();
  return compiled;
}

function precompiled(): ValidateFunction | undefined {
  let m: { schemaHash?: string; validate?: ValidateFunction };
  try {
    m = requireHere(fileURLToPath(STANDALONE_VALIDATOR)) as typeof m;
  } catch {
    return undefined;
  }
  return m.schemaHash === schemaHash() ? m.validate : undefined;
}

/** ajv compiled on the spot (loaded only then: it is a large module) */
export function compileSchema(): ValidateFunction {
  const { Ajv } = requireHere('ajv') as typeof import('ajv');
  const ajv = new Ajv(AJV_OPTIONS);
  ajv.addVocabulary(EDITOR_KEYWORDS);
  return ajv.compile(schemaJson());
}

export interface SchemaResult {
  diagnostics: Diagnostic[];
  /** instancePaths (JSON Pointers) of objects that have an unknown key */
  unknownKeyPaths: Set<string>;
}

/** Validate a parsed scenario against the schema. */
export function validateScenarioSchema(raw: unknown, loc: NodeLocator): SchemaResult {
  const validate = validator();
  const unknownKeyPaths = new Set<string>();
  if (validate(raw)) return { diagnostics: [], unknownKeyPaths };
  const diagnostics: Diagnostic[] = [];
  // `if` errors only say which branch failed; the branch's own errors say why.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const group = byPath.get(e.instancePath);
    if (group) group.push(e);
    else byPath.set(e.instancePath, [e]);
  }
  for (const [pointer, group] of byPath) {
    const path = pointerToPath(pointer);
    // `nmae: x` fails twice: unknown key 'nmae' and missing 'name'; the first says it all.
    const suggested = new Set(
      group
        .filter((e) => e.keyword === 'additionalProperties')
        .map((e) =>
          didYouMean(
            (e.params as { additionalProperty: string }).additionalProperty,
            Object.keys((e.parentSchema as { properties?: object }).properties ?? {}),
          ),
        ),
    );
    const valueErrors = group.filter((e) => VALUE_KEYWORDS.has(e.keyword));
    // A value of the wrong type (or a malformed duration) fails several keywords at once; one
    // sentence about the value says it all.
    const kindError = valueErrors.find((e) => valueKind(e) !== undefined);
    const typeError = valueErrors.find((e) => e.keyword === 'type');
    if (kindError) diagnostics.push(valueKindDiagnostic(kindError, path, loc));
    else if (typeError) diagnostics.push(typeDiagnostic(typeError, path, loc));
    for (const e of group) {
      if ((kindError || typeError) && VALUE_KEYWORDS.has(e.keyword)) continue;
      if (e.keyword === 'required' && suggested.has((e.params as { missingProperty: string }).missingProperty)) continue;
      if (e.keyword === 'additionalProperties') unknownKeyPaths.add(pointer);
      diagnostics.push(errorDiagnostic(e, path, loc));
    }
  }
  return { diagnostics: dedupe(diagnostics), unknownKeyPaths };
}

const VALUE_KEYWORDS = new Set([
  'type',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'enum',
  'const',
]);

/** Named value formats (the `title` of a definition) and how to speak of them. */
const VALUE_KINDS: Record<string, string> = {
  duration: 'a duration',
  'duration or range': 'a duration or a range',
  quantity: 'a quantity',
  'object reference': 'an object reference',
};

function valueKind(e: ErrorObject): string | undefined {
  const title = (e.parentSchema as { title?: unknown } | undefined)?.title;
  if (typeof title !== 'string' || !(title in VALUE_KINDS)) return undefined;
  // `required`/`additionalProperties` of an object reference are about its keys, not its format.
  return e.keyword === 'required' || e.keyword === 'additionalProperties' ? undefined : VALUE_KINDS[title];
}

function valueKindDiagnostic(e: ErrorObject, path: JsonPath, loc: NodeLocator): Diagnostic {
  const hint = (e.parentSchema as { patternErrorMessage?: string }).patternErrorMessage;
  return {
    ...loc.locate(path),
    message: `${subject(path)}: ${showValue(e.data, loc.sourceText(path))} is not ${valueKind(e)}`,
    hint,
    code: 'schema.format',
  };
}

function typeDiagnostic(e: ErrorObject, path: JsonPath, loc: NodeLocator): Diagnostic {
  const expected = String((e.params as { type: string | string[] }).type)
    .split(',')
    .map((t) => TYPE_NOUNS[t] ?? t);
  const source = loc.sourceText(path);
  let hint: string | undefined;
  if (expected.includes(TYPE_NOUNS.string) && (typeof e.data === 'number' || typeof e.data === 'boolean') && source) {
    hint = `quote it: "${source}" (unquoted, YAML reads it as ${JSON.stringify(e.data)})`;
  } else if (path[0] === 'manifests' && path.length === 2) {
    hint = 'a manifest is `- file: path/to/manifest.yaml` or an inline object with apiVersion, kind and metadata';
  }
  return {
    ...loc.locate(path),
    message: `${subject(path)} must be ${orList(expected)}, got ${showValue(e.data, source)}`,
    hint,
    code: 'schema.type',
  };
}

const TYPE_NOUNS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

function errorDiagnostic(e: ErrorObject, path: JsonPath, loc: NodeLocator): Diagnostic {
  const parent = (e.parentSchema ?? {}) as {
    properties?: Record<string, { description?: string }>;
    patternErrorMessage?: string;
  };
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(parent.properties ?? {});
      const suggestion = didYouMean(key, allowed);
      const where = path.length === 0 ? `unknown top-level key '${key}'` : `unknown key '${key}' in ${contextName(path)}`;
      return {
        ...loc.locateKey([...path, key]),
        message: suggestion ? `${where}; did you mean '${suggestion}'?` : where,
        hint: allowed.length ? `allowed keys: ${allowed.join(', ')}` : 'no keys are allowed here',
        code: 'schema.additionalProperties',
      };
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const what = path.length === 0 ? 'the scenario' : contextName(path);
      return {
        ...loc.locate(path),
        message: `${what} is missing required key '${missing}'`,
        hint: parent.properties?.[missing]?.description,
        code: 'schema.required',
      };
    }
    case 'enum':
    case 'const': {
      const allowed =
        e.keyword === 'enum'
          ? ((e.params as { allowedValues: unknown[] }).allowedValues ?? [])
          : [(e.params as { allowedValue: unknown }).allowedValue];
      const suggestion =
        typeof e.data === 'string'
          ? didYouMean(
              e.data,
              allowed.filter((a): a is string => typeof a === 'string'),
            )
          : undefined;
      const base = `${subject(path)}: ${showValue(e.data, loc.sourceText(path))} is not allowed`;
      return {
        ...loc.locate(path),
        message: suggestion ? `${base}; did you mean '${suggestion}'?` : base,
        hint: `allowed ${allowed.length === 1 ? 'value' : 'values'}: ${allowed.map(String).join(', ')}`,
        code: `schema.${e.keyword}`,
      };
    }
    case 'pattern':
      return {
        ...loc.locate(path),
        message: `${subject(path)}: ${showValue(e.data, loc.sourceText(path))} is not in the expected format`,
        hint: parent.patternErrorMessage ?? `expected a value matching ${String((e.params as { pattern: string }).pattern)}`,
        code: 'schema.pattern',
      };
    case 'minLength':
      return { ...loc.locate(path), message: `${subject(path)} must not be empty`, code: 'schema.minLength' };
    default:
      return { ...loc.locate(path), message: `${subject(path)} ${e.message ?? 'is invalid'}`, code: `schema.${e.keyword}` };
  }
}

const ITEM_NOUNS: Record<string, string> = {
  steps: 'step',
  expect: 'expectation',
  nodes: 'node',
  manifests: 'manifest',
  clients: 'client',
  http: 'http answer',
  taints: 'taint',
};

/** How an object at `path` is named in a message: "step", "expectation", "'cluster.timing'". */
export function contextName(path: JsonPath): string {
  if (path.length === 0) return 'the scenario';
  const last = path[path.length - 1];
  if (typeof last === 'number' || /^\d+$/.test(String(last))) {
    const noun = ITEM_NOUNS[String(path[path.length - 2])];
    if (noun) return noun;
  }
  if (path.length === 2 && path[0] === 'apps') return `app '${String(last)}'`;
  return `'${displayPath(path)}'`;
}

function subject(path: JsonPath): string {
  return path.length === 0 ? 'the scenario' : displayPath(path);
}

/** A value as the user wrote it, for messages. */
export function showValue(data: unknown, source?: string): string {
  if (data === null || data === undefined) return 'nothing';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a mapping';
  if (typeof data === 'string') return `'${data}'`;
  return source ?? String(data);
}

function orList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
