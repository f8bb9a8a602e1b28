// The CLI end-to-end tests run the real binary, which runs the compiled dist/: build it once
// before the suite so the binary under test is the code under test. tsc emits even when a file
// has type errors; `npm test` typechecks first, so type errors fail the run there, not here.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const r = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`global setup: tsc reported errors (dist/ was still emitted):\n${r.stdout}${r.stderr}\n`);
  // and bundle it as `npm run build` does (bin/ runs the bundle when it is newer than dist/),
  // without making a code cache, which runs the whole corpus (an unchanged bundle keeps its own)
  const b = spawnSync(process.execPath, [`${root}scripts/build-bundle.mjs`, '--no-cache'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`global setup: bundling the CLI failed:\n${b.stdout}${b.stderr}`);
}
