// docs/scenario-language.md is generated from the schema (scripts/docs-schema.mjs), and the
// schema is what editors show: every key has a description, and every example is valid.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DOC_FILE, SCHEMA_FILE, md, renderScenarioLanguage } from '../scripts/docs-schema.mjs';
import { EDITOR_KEYWORDS } from '../src/scenario/schema.js';

const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));

type Node = Record<string, any>;

/** [pointer, node] for every property in the schema, definitions included. */
function properties(): [string, Node][] {
  const out: [string, Node][] = [];
  const visit = (n: unknown, ptr: string): void => {
    if (!n || typeof n !== 'object' || Array.isArray(n)) return;
    const node = n as Node;
    for (const [k, v] of Object.entries(node.properties ?? {})) {
      out.push([`${ptr}/properties/${k}`, v as Node]);
      visit(v, `${ptr}/properties/${k}`);
    }
    for (const key of ['items', 'additionalProperties', 'then', 'else']) visit(node[key], `${ptr}/${key}`);
    for (const key of ['oneOf', 'anyOf', 'allOf']) (node[key] ?? []).forEach((v: unknown, i: number) => visit(v, `${ptr}/${key}/${i}`));
    for (const [k, v] of Object.entries(node.definitions ?? {})) visit(v, `${ptr}/definitions/${k}`);
  };
  visit(schema, '#');
  return out;
}

describe('docs/scenario-language.md', () => {
  it('is the one generated from schema/scenario.schema.json (run npm run docs:schema)', () => {
    const committed = readFileSync(DOC_FILE, 'utf8');
    expect(committed, 'docs/scenario-language.md is out of date: run npm run docs:schema').toBe(renderScenarioLanguage(schema));
  });

  it('lists every top-level key with its description', () => {
    const doc = renderScenarioLanguage(schema);
    for (const [key, node] of Object.entries(schema.properties as Record<string, Node>)) {
      expect(doc).toContain(`### \`${key}\``);
      expect(doc).toContain(md(node.description));
    }
  });
});

describe('schema/scenario.schema.json for editors', () => {
  it('describes every key', () => {
    const missing = properties()
      .filter(([, n]) => typeof n.description !== 'string' || n.description.trim() === '')
      .map(([p]) => p);
    expect(missing).toEqual([]);
  });

  it('gives examples that the schema accepts', () => {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    ajv.addVocabulary(EDITOR_KEYWORDS);
    ajv.addSchema(schema);
    const withExamples = properties().filter(([, n]) => Array.isArray(n.examples));
    expect(withExamples.length).toBeGreaterThan(10);
    const invalid: string[] = [];
    for (const [ptr, node] of withExamples) {
      const validate = ajv.getSchema(`${schema.$id}${ptr}`);
      expect(validate, ptr).toBeDefined();
      for (const ex of node.examples) if (!validate!(ex)) invalid.push(`${ptr}: ${JSON.stringify(ex)}: ${ajv.errorsText(validate!.errors)}`);
    }
    expect(invalid).toEqual([]);
  });
});
