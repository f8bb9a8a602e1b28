#!/usr/bin/env node
// Generates docs/scenario-language.md from schema/scenario.schema.json, so the reference and the
// schema editors read cannot drift: every key with its description, type, allowed values,
// default and examples. `npm run docs:schema` rewrites the file; `--check` only compares (exit 1
// when they differ); test/docs-schema.test.ts fails the suite when the committed file is stale.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA_FILE = `${ROOT}schema/scenario.schema.json`;
export const DOC_FILE = `${ROOT}docs/scenario-language.md`;

const refName = (ref) => ref.replace(/^#\/definitions\//, '');
const anchor = (path) => `key-${path.replace(/\[\]/g, '-items').replace(/[^A-Za-z0-9-]+/g, '-').replace(/-+$/, '')}`;
const defAnchor = (name) => `def-${name}`;
const code = (v) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

/** Schema text as Markdown: outside `code spans`, <, _ and * are literal (node/<name>, luksa/kubia*). */
export function md(text) {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[<_*]/g, (c) => (c === '<' ? '&lt;' : `\\${c}`))))
    .join('');
}

/** Properties of a node, including those of its oneOf/anyOf/allOf variants (first wins). */
function propertiesOf(node) {
  const out = new Map();
  const add = (n) => {
    if (!n || typeof n !== 'object') return;
    for (const [k, v] of Object.entries(n.properties ?? {})) if (!out.has(k)) out.set(k, v);
    for (const key of ['allOf', 'oneOf', 'anyOf']) for (const v of n[key] ?? []) add(v);
  };
  add(node);
  return out;
}

/** "string", "list of [step](#def-step)", "integer or string", "map of string" */
export function typeText(node) {
  if (!node || typeof node !== 'object') return 'any';
  if (node.$ref) return `[${refName(node.$ref)}](#${defAnchor(refName(node.$ref))})`;
  const variants = node.oneOf ?? node.anyOf;
  if (variants && !node.type) return variants.map(typeText).join(' or ');
  // if/then/else picks one of two shapes (e.g. `{file}` or an inline manifest)
  if (node.then && node.else && !node.type) return `${typeText(node.then)} or ${typeText(node.else)}`;
  if (node.const !== undefined) return code(node.const);
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  if (types.length === 0) return node.properties ? 'object' : 'any';
  return types
    .map((t) => {
      if (t === 'array') return node.items ? `list of ${typeText(node.items)}` : 'list';
      if (t === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object' && !node.properties) return `map of ${typeText(node.additionalProperties)}`;
      return t;
    })
    .join(' or ');
}

/** Allowed values and constraints, one phrase each. */
export function allowedText(node) {
  const out = [];
  if (node.enum) out.push(`one of ${node.enum.map(code).join(', ')}`);
  if (node.const !== undefined) out.push(`only ${code(node.const)}`);
  if (node.minimum !== undefined) out.push(`≥ ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) out.push(`> ${node.exclusiveMinimum}`);
  if (node.maximum !== undefined) out.push(`≤ ${node.maximum}`);
  if (node.minLength !== undefined && node.minLength > 0) out.push(node.minLength === 1 ? 'not empty' : `at least ${node.minLength} characters`);
  if (node.minItems !== undefined) out.push(`at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
  if (node.pattern) out.push(node.patternErrorMessage ? `${md(node.patternErrorMessage)} (pattern ${code(node.pattern)})` : `pattern ${code(node.pattern)}`);
  if (node.items?.enum) out.push(`items one of ${node.items.enum.map(code).join(', ')}`);
  return out.join('; ');
}

/** The `default` keyword, else the "Default: ..." sentence of the description. */
export function defaultText(node) {
  if (node.default !== undefined) return code(node.default);
  const m = /\bDefault:\s*(.+?)(?:\.(?=\s|$)|$)/.exec(node.description ?? '');
  return m ? m[1] : undefined;
}

function examplesBlock(key, node) {
  if (!Array.isArray(node.examples) || node.examples.length === 0) return [];
  const lines = ['', node.examples.length === 1 ? 'Example:' : 'Examples:', '', '```yaml'];
  node.examples.forEach((ex, i) => {
    if (i > 0) lines.push('---');
    lines.push(stringify({ [key]: ex }, { lineWidth: 0 }).trimEnd());
  });
  lines.push('```');
  return lines;
}

function keySection(path, key, node, required, level) {
  const facts = [`**Type:** ${typeText(node)}`];
  if (required) facts.push('**required**');
  const allowed = allowedText(node);
  if (allowed) facts.push(`**Allowed:** ${allowed}`);
  const def = defaultText(node);
  if (def !== undefined) facts.push(`**Default:** ${md(def)}`);
  const lines = ['', `<a id="${anchor(path)}"></a>`, `${'#'.repeat(level)} \`${path}\``, '', facts.join(' · ')];
  lines.push('', node.description !== undefined ? md(node.description) : '_(no description)_');
  lines.push(...examplesBlock(key, node));
  return lines;
}

/** A key, then its inline nested keys (not those behind a $ref: they have their own section). */
function walk(path, key, node, required, level, out) {
  out.push(...keySection(path, key, node, required, level));
  const nested = (n, prefix) => {
    const props = propertiesOf(n);
    const req = new Set(n.required ?? []);
    for (const [k, v] of props) walk(`${prefix}.${k}`, k, v, req.has(k), Math.min(level + 1, 6), out);
  };
  if (node.$ref) return;
  if (propertiesOf(node).size > 0) nested(node, path);
  if (node.items && !node.items.$ref && propertiesOf(node.items).size > 0) nested(node.items, `${path}[]`);
  const ap = node.additionalProperties;
  if (ap && typeof ap === 'object' && !ap.$ref && propertiesOf(ap).size > 0) nested(ap, `${path}.<key>`);
}

function summaryTable(props, required, prefix) {
  const rows = ['| key | type | default |', '|---|---|---|'];
  for (const [k, v] of props) {
    const path = prefix ? `${prefix}.${k}` : k;
    const cell = (s) => String(s ?? '').replace(/\|/g, '\\|');
    rows.push(`| [\`${k}\`](#${anchor(path)})${required.has(k) ? ' (required)' : ''} | ${cell(typeText(v))} | ${cell(md(defaultText(v) ?? ''))} |`);
  }
  return rows;
}

export function renderScenarioLanguage(schema) {
  const out = [
    '# The scenario language',
    '',
    '<!-- Generated from schema/scenario.schema.json by `npm run docs:schema` (scripts/docs-schema.mjs).',
    '     Do not edit by hand: test/docs-schema.test.ts fails when this file and the schema differ. -->',
    '',
    schema.description ?? '',
    '',
    'A scenario is one YAML file named `*.scenario.yaml`. Editors running yaml-language-server',
    '(VS Code\'s YAML extension, Neovim, JetBrains) complete and check it with the modeline',
    '`kuberehearse init` writes on the first line:',
    '',
    '```yaml',
    '# yaml-language-server: $schema=../schema/scenario.schema.json',
    '```',
    '',
    '`kuberehearse schema` prints the same JSON Schema (draft-07). Durations are Go durations',
    '(`500ms`, `30s`, `1m30s`); a range `min..max` is drawn from the run\'s seeded generator.',
    '',
    '## Top-level keys',
    '',
  ];
  const rootProps = propertiesOf(schema);
  const rootRequired = new Set(schema.required ?? []);
  out.push(...summaryTable(rootProps, rootRequired, ''));
  for (const [k, v] of rootProps) walk(k, k, v, rootRequired.has(k), 3, out);
  out.push('', '## Definitions', '', 'Shapes used by several keys (linked from their **Type**).');
  for (const [name, def] of Object.entries(schema.definitions ?? {})) {
    out.push('', `<a id="${defAnchor(name)}"></a>`, `### ${name}`, '');
    const facts = [`**Type:** ${typeText(def)}`];
    const allowed = allowedText(def);
    if (allowed) facts.push(`**Allowed:** ${allowed}`);
    const d = defaultText(def);
    if (d !== undefined) facts.push(`**Default:** ${md(d)}`);
    out.push(facts.join(' · '), '', def.description !== undefined ? md(def.description) : '_(no description)_');
    out.push(...examplesBlock(name, def));
    const props = propertiesOf(def);
    const req = new Set(def.required ?? []);
    for (const [k, v] of props) walk(`${name}.${k}`, k, v, req.has(k), 4, out);
    if (def.items && !def.items.$ref) for (const [k, v] of propertiesOf(def.items)) walk(`${name}[].${k}`, k, v, new Set(def.items.required ?? []).has(k), 4, out);
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function main(argv) {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  const text = renderScenarioLanguage(schema);
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(DOC_FILE, 'utf8');
    } catch {
      // missing counts as different
    }
    if (current !== text) {
      process.stderr.write('docs/scenario-language.md is out of date with schema/scenario.schema.json: run npm run docs:schema\n');
      return 1;
    }
    return 0;
  }
  writeFileSync(DOC_FILE, text);
  process.stdout.write(`wrote docs/scenario-language.md (${text.split('\n').length} lines)\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
