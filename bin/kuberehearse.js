#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
// The build also bundles it into one file (scripts/build-bundle.mjs), which starts ~130 ms faster;
// it is used unless a later tsc run left it older than the modules it was made from.
import { statSync } from 'node:fs';

const modules = new URL('../dist/src/cli/main.js', import.meta.url);
const bundle = new URL('../dist/src/cli/main.bundle.js', import.meta.url);

function newest() {
  try {
    return statSync(bundle).mtimeMs >= statSync(modules).mtimeMs ? bundle : modules;
  } catch {
    return modules;
  }
}

const { main } = await import(newest().href);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`kuberehearse: internal error (this is a bug): ${err?.stack ?? err}\n`);
    process.exitCode = 3;
  },
);
