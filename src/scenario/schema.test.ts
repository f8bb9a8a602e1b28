import { describe, expect, it } from 'vitest';
import { EXPECTATION_SUBJECTS, STEP_ACTIONS, SUBJECT_MATCHERS, TEMPORAL_OPERATORS } from './rules.js';
import { schemaJson } from './schema.js';

type Schema = {
  $ref?: string;
  description?: string;
  properties?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  then?: Schema;
  else?: Schema;
};

const schema = schemaJson() as Schema & { $id: string; $schema: string };
const defs = schema.definitions ?? {};

describe('scenario schema', () => {
  it('is a draft-07 schema with the v1 $id', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe('https://kuberehearse.dev/schema/scenario-v1.json');
  });

  it('returns a fresh copy each time', () => {
    (schemaJson() as { title: string }).title = 'changed';
    expect((schemaJson() as { title: string }).title).toBe('kuberehearse scenario (v1)');
  });

  it('describes every property, for editors', () => {
    const undocumented: string[] = [];
    const visit = (s: Schema | boolean | undefined, where: string): void => {
      if (!s || typeof s !== 'object') return;
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        const target = prop.$ref ? defs[prop.$ref.replace('#/definitions/', '')] : undefined;
        const trivial = ['name', 'namespace', 'kind', 'container', 'pod', 'key', 'value', 'effect', 'apiVersion', 'metadata', 'node', 'path', 'client', 'count', 'from', 'until', 'selector', 'type', 'body', 'status', 'ip', 'set', 'headers', 'object', 'objects', 'file', 'files', 'patch', 'replicas', 'all', 'names', 'remove', 'overwrite', 'url', 'command', 'method', 'exact', 'include', 'pods'];
        if (!prop.description && !target?.description && !trivial.includes(key)) undocumented.push(`${where}.${key}`);
        visit(prop, `${where}.${key}`);
      }
      visit(s.items, `${where}[]`);
      visit(s.then, where);
      visit(s.else, where);
      if (typeof s.additionalProperties === 'object') visit(s.additionalProperties, `${where}.*`);
    };
    visit(schema, '');
    for (const [name, def] of Object.entries(defs)) visit(def, `#${name}`);
    expect(undocumented).toEqual([]);
  });

  it('lists the same step actions as the structural rules', () => {
    const keys = Object.keys(defs.step.properties ?? {});
    // name, timing and expectError modify a step; every other key is an action
    expect(keys.filter((k) => !['name', 'at', 'after', 'expectError'].includes(k))).toEqual([...STEP_ACTIONS]);
  });

  it('lists the same expectation keys as the structural rules', () => {
    const keys = new Set(Object.keys(defs.expectation.properties ?? {}));
    const known = new Set<string>(['name', 'todo', 'after', ...TEMPORAL_OPERATORS, ...EXPECTATION_SUBJECTS, ...Object.values(SUBJECT_MATCHERS).flat()]);
    expect([...keys].sort()).toEqual([...known].sort());
  });

  it('closes every object except inline manifests, match and free-form maps', () => {
    const open: string[] = [];
    const visit = (s: Schema | boolean | undefined, where: string): void => {
      if (!s || typeof s !== 'object') return;
      if (s.properties && s.additionalProperties !== false) open.push(where);
      for (const [key, prop] of Object.entries(s.properties ?? {})) visit(prop, `${where}.${key}`);
      visit(s.items, `${where}[]`);
    };
    visit(schema, '');
    for (const [name, def] of Object.entries(defs)) visit(def, `#${name}`);
    expect(open).toEqual(['#inlineManifest']);
  });
});
