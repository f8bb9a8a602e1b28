// Writing a shrunk failing timeline as a standalone scenario: the original file with its fault
// steps merged in, its seed and re-drawn latencies fixed, and only the broken properties kept as
// checks — a regression test that fails under `kuberehearse run` until the cause is fixed.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { CompiledScenario } from '../scenario/model.js';
import type { ScenarioResult } from '../result.js';
import { formatDuration } from '../util/duration.js';
import { formatRange } from './faults.js';
import type { BrokenProperty, PreparedRun, Timeline } from './timeline.js';

export interface CounterexampleInput {
  /** the scenario file's raw document, as loaded */
  raw: any;
  base: CompiledScenario;
  timeline: Timeline;
  prepared: PreparedRun;
  result: ScenarioResult;
  broken: BrokenProperty[];
  /** how to replay it with `kuberehearse fuzz` */
  replay: string;
  /** the original file, relative as the user typed it */
  displayFile: string;
  /** directories the file moves between: manifest `file:` paths are rewritten to still resolve */
  move?: { from: string; to: string };
}

/** The counterexample as a YAML text (comments mark the generated steps). */
export function renderCounterexample(x: CounterexampleInput): string {
  const raw = structuredClone(x.raw);
  delete raw.fuzz;
  delete raw.todo;
  const what = x.broken.map((b) => `${b.kind === 'invariant' ? `invariant ${b.name}` : b.name}${b.at !== undefined ? ` at ${formatDuration(b.at)}` : ''}: ${b.message}`).join('\n');
  const doc: any = {
    name: `${raw.name} (fuzz counterexample)`,
    description:
      `Found by \`kuberehearse fuzz ${x.displayFile}\` (replay: --replay ${x.replay}); it breaks:\n${what}\n` +
      `The timeline below is the original one with the generated faults merged in (commented "fuzz:"), the run seed and the re-drawn latencies fixed.` +
      (raw.description ? `\n\nThe original scenario:\n${String(raw.description).trim()}` : ''),
  };
  for (const [k, v] of Object.entries(raw)) if (!(k in doc)) doc[k] = v;
  if (x.move && path.resolve(x.move.from) !== path.resolve(x.move.to) && Array.isArray(doc.manifests)) {
    const { from, to } = x.move;
    doc.manifests = doc.manifests.map((m: any) => (m && typeof m.file === 'string' ? { ...m, file: path.relative(to, path.resolve(from, m.file)).split(path.sep).join('/') } : m));
  }
  doc.seed = x.timeline.seed;
  // the fuzz run's own length, and no shorter than the expectations kept look
  const keptExpect = x.broken.filter((b) => b.kind === 'expectation').map((b) => b.expectation!);
  let duration = x.prepared.scenario.duration ?? x.result.duration;
  for (const i of keptExpect) {
    const t = x.base.expectations[i].temporal;
    if (t.op === 'at') duration = Math.max(duration, t.t);
    if ((t.op === 'always' || t.op === 'never') && t.until !== undefined) duration = Math.max(duration, t.until);
  }
  doc.duration = formatDuration(duration);
  const timing = Object.entries(x.timeline.timing);
  if (timing.length) {
    doc.cluster = { ...(raw.cluster ?? {}) };
    doc.cluster.timing = { ...(raw.cluster?.timing ?? {}) };
    for (const [k, r] of timing) doc.cluster.timing[k] = formatRange(r!);
  }
  const comments: (string | undefined)[] = [];
  // clients the generated steps bring (a burst from a new client) are declared like the others
  const newClients: Record<string, unknown>[] = [];
  doc.steps = x.prepared.order.map((o) => {
    if ('original' in o) {
      comments.push(undefined);
      return raw.steps[o.original];
    }
    const g = o.generated;
    const at = formatDuration(g.occurrence.at);
    const outcome = x.result.steps[g.index]?.outcome;
    if (g.resolved && outcome === 'ok') {
      comments.push(` fuzz: ${g.occurrence.kind}`);
      newClients.push(...(g.resolved.declares?.clients ?? []));
      return { at, ...g.resolved.step };
    }
    // kept as a no-op so the rest of the timeline is scheduled exactly as in the fuzz run
    const why = g.skipped ?? x.result.steps[g.index]?.message ?? 'did not run';
    comments.push(` fuzz: ${g.occurrence.kind} had nothing to do (${why.replace(/\s+/g, ' ')}); a no-op keeps the timeline as it ran`);
    return { at, wait: { until: 'true' } };
  });
  if (!doc.steps.length) delete doc.steps;
  if (newClients.length) doc.clients = [...(Array.isArray(raw.clients) ? raw.clients : []), ...newClients];
  const invariants = x.broken.filter((b) => b.kind === 'invariant').map((b) => b.name);
  if (invariants.length) doc.invariants = invariants;
  else delete doc.invariants;
  if (keptExpect.length) doc.expect = keptExpect.map((i) => raw.expect[i]);
  else if (invariants.length) delete doc.expect;
  // the order a person writes a scenario in
  const order = ['name', 'description', 'tags', 'seed', 'duration', 'cluster', 'apps', 'manifests', 'clients', 'steps', 'invariants', 'expect'];
  const ordered: any = {};
  for (const k of order) if (doc[k] !== undefined) ordered[k] = doc[k];
  for (const k of Object.keys(doc)) if (!(k in ordered)) ordered[k] = doc[k];
  const d = new YAML.Document(ordered);
  comments.forEach((c, i) => {
    if (!c) return;
    const node = d.getIn(['steps', i], true) as YAML.Node | undefined;
    if (node) node.commentBefore = c;
  });
  return d.toString({ lineWidth: 0 });
}

/** `<dir>/<base>.counterexample-<n>.scenario.yaml`, the first n not taken: never overwrites. */
export function counterexamplePath(scenarioFile: string, outDir?: string): string {
  const dir = outDir ?? path.dirname(scenarioFile);
  const base = path.basename(scenarioFile).replace(/\.scenario\.ya?ml$|\.ya?ml$/, '');
  for (let n = 1; ; n++) {
    const p = path.join(dir, `${base}.counterexample-${n}.scenario.yaml`);
    if (!existsSync(p)) return p;
  }
}

export function writeCounterexample(text: string, scenarioFile: string, outDir?: string): string {
  // `--out-dir` names a directory that need not exist yet (as vitest's --outputFile): create it
  if (outDir) mkdirSync(outDir, { recursive: true });
  const p = counterexamplePath(scenarioFile, outDir);
  writeFileSync(p, text, { flag: 'wx' });
  return p;
}
