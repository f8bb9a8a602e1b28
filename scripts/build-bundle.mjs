#!/usr/bin/env node
// Run by `npm run build` after tsc: bundles the CLI (dist/src/cli/main.js and every module it
// imports statically, its dependencies included) into one file, dist/src/cli/main.bundle.js, which
// bin/kuberehearse.js loads instead when it is at least as new as main.js. Node 20 has no compile
// cache for ES modules: resolving, reading and linking the ~350 module files (yaml alone is 72
// CommonJS files) cost every CLI start ~205 ms of CPU; the one file costs ~75.
//
// The bundle sits beside main.js so that the paths modules resolve against their own
// import.meta.url (schema.ts, crd.ts, pool.ts, config.ts) name the same files. tinypool is left
// out: it is loaded only for --max-workers, from node_modules, as before. Without rolldown (a
// development dependency) nothing is written and bin/ loads dist/src/cli/main.js.

import { rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const dir = fileURLToPath(new URL('../dist/src/cli/', import.meta.url));
const file = 'main.bundle.js';

let rolldown;
try {
  rolldown = await import('rolldown');
} catch {
  rmSync(dir + file, { force: true });
  console.log(`rolldown is not installed: no ${file}; bin/kuberehearse.js loads dist/src/cli/main.js`);
  process.exit(0);
}

await rolldown.build({
  input: entry,
  platform: 'node',
  external: ['tinypool'],
  logLevel: 'warn',
  output: { dir, entryFileNames: file, format: 'esm', codeSplitting: false },
});
console.log(`wrote ${dir}${file} (${(statSync(dir + file).size / 1024).toFixed(0)} KiB)`);
