// `kuberehearse run --watch`: run once, then re-run the scenarios a changed file affects, until
// Ctrl-C. A scenario is affected by a change to its own file, to a file it read when it was
// loaded (manifest files, directories and globs under `manifests:`, `apply`/`create` files and
// `kubectl apply|create|delete -f` files of its steps, `--from-file`/`--from-env-file` sources),
// or to a new manifest file (.yaml, .yml, .json) beside one of those (a glob or a directory may now
// match it); files the runs write themselves (reports, golden traces) never count.
// Changes are collected for WATCH_DEBOUNCE_MS (vitest waits 100 ms too, WATCHER_DEBOUNCE in
// packages/vitest/src/node/core.ts) so an editor's save-as-rename is one re-run.
// The watchers are node:fs watch, one per folder (the folders under the paths given, without
// node_modules, and the folders of referenced files), so no watcher library is needed.

import { readdirSync, statSync, watch, type Dirent, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { RunArgs } from './args.js';
import type { Io } from './main.js';
import { discoverScenarioFiles, loadScenarioFile } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import type { CompiledScenario } from '../scenario/model.js';
import { parseFileSource } from '../kubectl/create_config.js';

export const WATCH_DEBOUNCE_MS = 100;

/** absolute scenario file -> absolute paths it depends on (itself included) */
export type DependencyGraph = Map<string, Set<string>>;

export interface WatchOptions {
  /** ends the watch (default: SIGINT or SIGTERM) */
  signal?: AbortSignal;
  debounceMs?: number;
  /** files the runs write (reporter output files), relative to the cwd or absolute */
  outputs?: string[];
}

/** Files and folders a compiled scenario read, absolute. */
export function scenarioDependencies(s: CompiledScenario, cwd: string): Set<string> {
  const abs = (f: string) => path.resolve(cwd, f);
  const deps = new Set<string>([abs(s.file)]);
  for (const m of s.manifests) deps.add(abs(m.source.file));
  const dir = path.dirname(abs(s.file));
  for (const step of s.steps) {
    if (step.action.type !== 'action') continue;
    for (const o of step.action.objects) deps.add(abs(o.source.file));
    const a = step.action.action as { verb?: string; generate?: { fromFile?: string[]; fromEnvFile?: string[] } };
    if (a.verb === 'create' && a.generate) {
      for (const src of a.generate.fromFile ?? []) {
        const parsed = parseFileSource(src);
        if ('file' in parsed) deps.add(path.resolve(dir, parsed.file));
      }
      for (const f of a.generate.fromEnvFile ?? []) deps.add(path.resolve(dir, f));
    }
  }
  return deps;
}

/** Discover and compile every scenario under `roots`; a scenario that no longer loads keeps its earlier dependencies. */
export async function buildGraph(roots: string[], cwd: string, previous: DependencyGraph = new Map()): Promise<DependencyGraph> {
  let files: string[];
  try {
    files = await discoverScenarioFiles(roots, cwd);
  } catch {
    files = [];
  }
  const graph: DependencyGraph = new Map();
  for (const f of files) {
    const abs = path.resolve(cwd, f);
    try {
      graph.set(abs, scenarioDependencies(compileScenario(loadScenarioFile(abs)), cwd));
    } catch {
      graph.set(abs, new Set([abs, ...(previous.get(abs) ?? [])]));
    }
  }
  return graph;
}

const isScenarioFile = (p: string) => /\.scenario\.ya?ml$/.test(p);
// editor droppings: vim swap files and its 4913 write test, backups, dotfiles
const isNoise = (p: string) => {
  const b = path.basename(p);
  return b.startsWith('.') || b.endsWith('~') || /\.sw[a-p x]$/.test(b) || b === '4913';
};

/** Golden traces and report files: written by the runs themselves, so never a reason to run. */
const isOwnOutput = (p: string, ignore: ReadonlySet<string>) => ignore.has(p) || p.split(path.sep).includes('__snapshots__');

// what kubectl apply -f takes from a directory (src/scenario/manifests.ts MANIFEST_EXTENSIONS)
const isManifestFile = (p: string) => /\.(ya?ml|json)$/.test(p);

/**
 * The scenarios (absolute paths, sorted) that a set of changed paths affects. `ignore` holds
 * files the run itself writes (reporter output files), which must not trigger a re-run.
 */
export function affectedScenarios(changed: Iterable<string>, graphs: DependencyGraph[], ignore: ReadonlySet<string> = new Set()): string[] {
  const out = new Set<string>();
  for (const p of changed) {
    if (isOwnOutput(p, ignore)) continue;
    for (const graph of graphs) {
      for (const [scenario, deps] of graph) {
        if (out.has(scenario)) continue;
        if (deps.has(p)) out.add(scenario);
        else if (!isScenarioFile(p) && !isNoise(p)) {
          for (const d of deps) {
            if (d === scenario) continue;
            // a manifest beside one the scenario reads (a directory or glob may now match it),
            // or any file inside a folder read as a whole (--from-file=dir/)
            if ((isManifestFile(p) && path.dirname(d) === path.dirname(p)) || p.startsWith(d + path.sep)) {
              out.add(scenario);
              break;
            }
          }
        }
      }
    }
  }
  return [...out].sort();
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A folder and its subfolders, as discovery walks them: without node_modules and dot-folders. */
function foldersUnder(dir: string, out: Set<string>): void {
  out.add(dir);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) foldersUnder(path.join(dir, e.name), out);
}

/**
 * Folders to watch, each on its own (not `recursive`, which would also watch node_modules under
 * a root such as `.`): every folder under the roots, and the folder of every dependency. A
 * folder created later is seen by its parent's watcher, and watched from the next re-sync on.
 */
export function watchTargets(roots: string[], graph: DependencyGraph, cwd: string): Set<string> {
  const targets = new Set<string>();
  for (const r of roots) {
    const abs = path.resolve(cwd, r);
    if (isDirectory(abs)) foldersUnder(abs, targets);
    else targets.add(path.dirname(abs));
  }
  for (const deps of graph.values()) for (const d of deps) targets.add(isDirectory(d) ? d : path.dirname(d));
  return targets;
}

export async function watchScenarios(args: RunArgs, io: Io, runPaths: (paths: string[]) => Promise<number>, opts: WatchOptions = {}): Promise<number> {
  const roots = args.paths.length ? args.paths : ['scenarios'];
  const debounceMs = opts.debounceMs ?? WATCH_DEBOUNCE_MS;
  const ignore = new Set((opts.outputs ?? []).map((f) => path.resolve(io.cwd, f)));
  const rel = (abs: string) => {
    const r = path.relative(io.cwd, abs);
    return (r.startsWith('..') || path.isAbsolute(r) ? abs : r).split(path.sep).join('/');
  };
  const clear = () => {
    // only a terminal is cleared: in a log or a pipe, earlier runs stay readable
    if (io.isTTY) io.stdout('\x1b[2J\x1b[3J\x1b[H');
  };
  const waiting = () => io.stdout(`\nwatching for changes in ${roots.join(', ')} (and the files the scenarios read); press Ctrl-C to exit\n`);

  let lastCode = await runPaths(args.paths);
  let graph = await buildGraph(roots, io.cwd);
  waiting();

  const watchers = new Map<string, FSWatcher>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let done: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (done = resolve));

  const sync = () => {
    const targets = watchTargets(roots, graph, io.cwd);
    for (const [dir, w] of watchers)
      if (!targets.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    for (const dir of targets) {
      if (watchers.has(dir)) continue;
      try {
        const w = watch(dir, (_event, name) => {
          const changedPath = name ? path.join(dir, name.toString()) : dir;
          if (isOwnOutput(changedPath, ignore)) return;
          pending.add(changedPath);
          if (timer) clearTimeout(timer);
          timer = setTimeout(flush, debounceMs);
        });
        w.on('error', () => {
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch {
        // a folder that does not exist (yet) is looked at again after the next change
      }
    }
  };

  const flush = async () => {
    timer = undefined;
    if (running || pending.size === 0) return;
    running = true;
    const changed = [...pending].sort();
    pending.clear();
    try {
      const next = await buildGraph(roots, io.cwd, graph);
      // scenarios discovered since the last run (e.g. written into a new folder) run too
      const added = [...next.keys()].filter((f) => !graph.has(f));
      const affected = [...new Set([...affectedScenarios(changed, [graph, next], ignore), ...added])].filter((f) => next.has(f)).sort();
      graph = next;
      sync();
      if (affected.length > 0) {
        clear();
        const shown = changed.slice(0, 3).map(rel).join(', ') + (changed.length > 3 ? ` and ${changed.length - 3} more` : '');
        io.stdout(`changed: ${shown}; re-running ${affected.length} scenario${affected.length === 1 ? '' : 's'}\n\n`);
        lastCode = await runPaths(affected.map(rel));
        waiting();
      }
    } catch (e) {
      // a run that throws (a bug) is reported, and the watch goes on
      io.stderr(`kuberehearse: internal error (this is a bug): ${(e as Error)?.stack ?? String(e)}\n`);
      lastCode = 3;
      waiting();
    } finally {
      running = false;
      // changes that arrived during the run
      if (pending.size > 0 && !timer) timer = setTimeout(flush, debounceMs);
    }
  };

  sync();
  const stop = () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers.values()) w.close();
    watchers.clear();
    done(lastCode);
  };
  let signal = opts.signal;
  let detach = () => undefined as void;
  if (!signal) {
    const ac = new AbortController();
    const onSignal = () => ac.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    detach = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    signal = ac.signal;
  }
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  const code = await finished;
  detach();
  return code;
}
