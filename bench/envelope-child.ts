// One envelope run in its own process, so that each scale's peak resident set is its own and the
// full envelope can have a larger heap than the bench (`node --max-old-space-size=...`):
//   node dist/bench/envelope-child.js <div> [budgetMs] [rssCapMb]
// Prints `progress {...}` lines while it runs (the last one survives a crash) and one
// `result {...}` line at the end (EnvelopeResult as JSON).

import { envelope } from './envelope.js';

const [divArg, budgetArg, capArg] = process.argv.slice(2);
const div = Number(divArg);
if (!Number.isFinite(div) || div < 1) throw new Error(`usage: envelope-child.js <div> [budgetMs] [rssCapMb], got div ${divArg}`);
const result = envelope(div, {
  ...(budgetArg ? { budgetMs: Number(budgetArg) } : {}),
  ...(capArg ? { rssCapMb: Number(capArg) } : {}),
  onProgress: (p) => console.log(`progress ${JSON.stringify(p)}`),
  progressEveryMs: 5000,
});
console.log(`result ${JSON.stringify(result)}`);
