// `--shard i/n`: a stable split of the scenario files so a CI matrix of n jobs covers every
// scenario exactly once. Follows vitest's BaseSequencer.shard (packages/vitest/src/node/
// sequencers/BaseSequencer.ts): sha1 of the root-relative POSIX path, files sorted by that hash,
// then contiguous slices of ceil(count / n). The message for a bad index is Playwright's
// (packages/playwright/src/program.ts, parseShard... "current must be a positive number, not
// greater than shard total").

import { createHash } from 'node:crypto';
import path from 'node:path';
import { UsageError } from './args.js';

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new UsageError(`--shard "${value}" must be of the form <index>/<count>, e.g. 1/3`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new UsageError(`--shard "${value}" total must be a positive number`);
  if (index < 1 || index > count) throw new UsageError(`--shard "${value}" current must be a positive number, not greater than shard total`);
  return { index, count };
}

/** Root-relative POSIX path: the same on every CI runner whatever its checkout directory. */
export function shardKey(cwd: string, file: string): string {
  return path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
}

/**
 * The files of shard `index` of `count`, returned in the input order (file order for reports).
 * Membership depends only on the set of paths, never on their order.
 */
export function shardFiles(files: string[], shard: Shard, cwd: string): string[] {
  const hashed = files.map((file) => ({ file, hash: createHash('sha1').update(shardKey(cwd, file)).digest('hex') }));
  hashed.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const size = Math.ceil(hashed.length / shard.count);
  const keep = new Set(hashed.slice((shard.index - 1) * size, shard.index * size).map((h) => h.file));
  return files.filter((f) => keep.has(f));
}
