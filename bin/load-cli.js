// Loads the CLI for bin/kuberehearse.js: the one-file bundle scripts/build-bundle.mjs writes
// (dist/src/cli/main.bundle.cjs) with the V8 code cache it made for it, else dist/src/cli/main.js.
//
// Why: Node 20 has neither a compile cache for ES modules nor module.enableCompileCache (22.1).
// Loading the ~350 module files of dist/ and node_modules cost every CLI start ~205 ms of CPU,
// and compiling the functions the run calls a further ~170 ms of the main thread over the
// corpus. The bundle is run as a vm.Script, the only way Node 20 takes a code cache, whose
// bytecode V8 then uses instead of compiling; V8 refuses a cache of another V8 version or flag
// set (then it compiles as usual). V8 checks a cache against the source's length only, so the
// cache is named after a hash of the bundle that the bundle's first line carries.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const dir = fileURLToPath(new URL('../dist/src/cli/', import.meta.url));
export const BUNDLE = `${dir}main.bundle.cjs`;
export const MODULES = `${dir}main.js`;
export const BUILD_ID_LINE = /^\/\/ kuberehearse-build ([0-9a-f]{16,64})\n/;
/** the parameter the bundle's dynamic imports call (see scripts/build-bundle.mjs) */
export const IMPORT_PARAM = '__kuberehearse_import';

export function cacheFile(id) {
  return `${dir}main.bundle.${id}.v8cache`;
}

/** The CLI's exports: from the bundle when there is one at least as new as dist/ (tsc alone leaves it stale). */
export async function loadCli() {
  return loadBundle()?.exports ?? (await import(pathToFileURL(MODULES).href));
}

/** The bundle run with its code cache; null without a bundle or when dist/ is newer. */
export function loadBundle() {
  let source;
  try {
    if (statSync(BUNDLE).mtimeMs < statSync(MODULES).mtimeMs) return null;
    source = readFileSync(BUNDLE, 'utf8');
  } catch {
    return null;
  }
  const id = BUILD_ID_LINE.exec(source)?.[1];
  let cachedData;
  if (id) {
    try {
      cachedData = readFileSync(cacheFile(id));
    } catch {
      // no cache yet: V8 compiles as usual
    }
  }
  // CommonJS's wrapper, plus the function dynamic imports go through: a vm.Script's own import()
  // needs --experimental-vm-modules on Node 20. Bare specifiers resolve from bin/ as they would
  // from dist/: both are inside the package.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, ${IMPORT_PARAM}) {${source}\n})`, {
    filename: BUNDLE,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dir, (specifier) => import(specifier));
  return { exports: module.exports, script, id, cacheRejected: cachedData === undefined ? undefined : script.cachedDataRejected };
}
