#!/usr/bin/env node
// Run by `npm run build` after tsc: writes dist/schema-validator.cjs, ajv's standalone code for
// schema/scenario.schema.json compiled with the options src/scenario/schema.ts uses, and the hash
// of the schema text. schema.ts loads it instead of compiling the schema at every process start,
// as long as the hash still matches the schema on disk (otherwise it compiles with ajv as before).

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, EDITOR_KEYWORDS, STANDALONE_VALIDATOR, schemaHash, schemaJson } from '../dist/src/scenario/schema.js';

const schema = schemaJson();
const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
ajv.addVocabulary(EDITOR_KEYWORDS);
const validate = ajv.compile(schema);
const code = (standaloneCode.default ?? standaloneCode)(ajv, validate);
writeFileSync(STANDALONE_VALIDATOR, `${code}\nmodule.exports = { validate: module.exports, schemaHash: ${JSON.stringify(schemaHash())} };\n`);
console.log(`wrote ${fileURLToPath(STANDALONE_VALIDATOR)}`);

