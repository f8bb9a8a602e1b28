#!/usr/bin/env node
// Run by `npm run build` after tsc: bundles the CLI (dist/src/cli/main.js and every module it
// imports statically, its dependencies included) into one CommonJS file,
// dist/src/cli/main.bundle.cjs, then runs the bundled corpus once through it in a fresh process
// and saves V8's code cache of every function that run compiled. bin/load-cli.js says why and
// how bin/kuberehearse.js uses both.
//
// The bundle sits beside main.js so that the paths modules resolve against their own
// import.meta.url (schema.ts, crd.ts, pool.ts, config.ts) name the same files. Its dynamic
// imports (tinypool for --max-workers, config files, reporter modules) call a function the
// loader passes in (IMPORT_PARAM) and so load from node_modules or disk as before. Without
// rolldown (a development dependency) nothing is written and bin/ loads dist/src/cli/main.js.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUNDLE, BUILD_ID_LINE, IMPORT_PARAM, cacheFile, loadBundle } from '../bin/load-cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = fileURLToPath(new URL('../dist/src/cli/', import.meta.url));

if (process.argv[2] === '--cache') {
  await writeCodeCache();
  process.exit(0);
}

/** Removes earlier bundles and caches, except the cache of a bundle with the same text (`keepId`). */
function removeOutputs(keepId) {
  for (const f of readdirSync(dir)) {
    if (/^main\.bundle\./.test(f) && f !== `main.bundle.${keepId}.v8cache`) rmSync(dir + f, { force: true });
  }
}

let rolldown;
try {
  ({ rolldown } = await import('rolldown'));
} catch {
  removeOutputs();
  console.log('rolldown is not installed: no bundle; bin/kuberehearse.js loads dist/src/cli/main.js');
  process.exit(0);
}

const ours = `${root}dist/`;
const build = await rolldown({
  input: `${dir}main.js`,
  platform: 'node',
  logLevel: 'warn',
  plugins: [
    {
      name: 'kuberehearse-dynamic-import',
      transform(code, id) {
        if (!id.startsWith(ours)) return null;
        return code.replace(/\bawait import\(/g, `await ${IMPORT_PARAM}(`);
      },
    },
  ],
});
const { output } = await build.generate({ format: 'cjs', codeSplitting: false });
await build.close();
if (output.length !== 1) throw new Error(`build-bundle: expected one chunk, got ${output.map((o) => o.fileName).join(', ')}`);
const code = output[0].code;
// a dynamic import left in the bundle would need --experimental-vm-modules under vm.Script
if (/\bimport\(/.test(code)) throw new Error('build-bundle: a dynamic import( is left in the bundle; route it through the loader');

const id = createHash('sha256').update(code).digest('hex').slice(0, 32);
const text = `// kuberehearse-build ${id}\n${code}`;
if (BUILD_ID_LINE.exec(text)?.[1] !== id) throw new Error('build-bundle: the build id line does not parse');
removeOutputs(id);
writeFileSync(BUNDLE, text);
console.log(`wrote ${BUNDLE} (${(statSync(BUNDLE).size / 1024).toFixed(0)} KiB)`);

// The cache is made in a process of its own, with node's default flags: V8 refuses a cache made
// under other flags. --no-cache (the test suite's setup) keeps the cache of an unchanged bundle
// and makes none for a changed one: bin/ then compiles as usual.
if (process.argv.includes('--no-cache')) process.exit(0);
const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cache'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
// without a cache bin/ still runs the bundle (compiling as usual): a failure here is no build error
if (r.status !== 0) console.warn(`build-bundle: making the code cache failed (exit ${r.status}); the bundle runs without one`);

async function writeCodeCache() {
  const loaded = loadBundle();
  if (!loaded?.id) throw new Error('build-bundle --cache: no bundle to load');
  // The work whose functions are cached: a run of the bundled corpus, output dropped; CI set so
  // that a snapshot scenario never writes a golden file.
  if (existsSync(`${root}scenarios`)) {
    const quiet = { stdout: () => {}, stderr: () => {}, cwd: root, isTTY: false, env: { CI: 'true' } };
    try {
      await loaded.exports.main(['run', 'scenarios/'], quiet);
    } catch (e) {
      console.warn(`build-bundle: the corpus run failed (${e?.message ?? e}); the cache holds what it compiled`);
    }
  }
  const data = loaded.script.createCachedData();
  writeFileSync(cacheFile(loaded.id), data);
  console.log(`wrote ${cacheFile(loaded.id)} (${(data.length / 1024).toFixed(0)} KiB)`);
}
