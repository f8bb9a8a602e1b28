#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`),
// which also bundles it into one file with a V8 code cache (scripts/build-bundle.mjs, bin/load-cli.js).
import { loadCli } from './load-cli.js';

const { main } = await loadCli();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`kuberehearse: internal error (this is a bug): ${err?.stack ?? err}\n`);
    process.exitCode = 3;
  },
);
