import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { parse } from 'yaml';
import { AJV_OPTIONS, EDITOR_KEYWORDS, compileSchema, schemaJson } from './schema.js';

// `npm run build` writes ajv's standalone code for the schema (scripts/build-validator.mjs) and
// schema.ts loads it instead of compiling the schema: the two must judge every document alike,
// with the same errors (the diagnostics are built from them).
function standalone(): ValidateFunction {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  ajv.addVocabulary(EDITOR_KEYWORDS);
  // a CommonJS module: its function is the default export's `default` under NodeNext
  const mod0 = standaloneCode as unknown as { default?: (a: Ajv, v: ValidateFunction) => string };
  const code = mod0.default ?? (standaloneCode as unknown as (a: Ajv, v: ValidateFunction) => string);
  const source = code(ajv, ajv.compile(schemaJson()));
  const mod: { exports: unknown } = { exports: {} };
  new Function('module', 'exports', 'require', source)(mod, mod.exports, createRequire(import.meta.url));
  return mod.exports as ValidateFunction;
}

describe('the precompiled scenario validator', () => {
  it('gives the same verdicts and errors as the schema compiled on the spot', () => {
    const a = compileSchema();
    const b = standalone();
    const root = fileURLToPath(new URL('../../scenarios/', import.meta.url));
    const docs: unknown[] = [];
    for (const dir of readdirSync(root)) {
      for (const f of readdirSync(path.join(root, dir)).filter((x) => x.endsWith('.yaml')).slice(0, 3)) {
        const d = parse(readFileSync(path.join(root, dir, f), 'utf8')) as Record<string, unknown>;
        docs.push(d, { ...d, nmae: 1, duration: {} }, { ...d, steps: [{ at: 5, kubectl: 3 }] });
      }
    }
    let invalid = 0;
    for (const d of docs) {
      const ok = a(d);
      if (!ok) invalid++;
      expect(b(d)).toBe(ok);
      expect(JSON.stringify(b.errors)).toBe(JSON.stringify(a.errors));
    }
    expect(invalid).toBeGreaterThan(docs.length / 3);
  });
});
