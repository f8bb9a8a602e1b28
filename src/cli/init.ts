// `kuberehearse init [dir]`: scaffold scenarios/example.scenario.yaml from the manifests in a
// folder, with a starter expectation per workload so the first run checks something real:
// Deployment/ReplicaSet/StatefulSet/ReplicationController -> as many ready pods as replicas at 1m;
// DaemonSet -> one pod per node; Job -> the Job succeeded. Never overwrites a file.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from './args.js';
import { loadManifestFiles, type LoadedManifest } from '../scenario/load.js';

export const SCHEMA_MODELINE_TARGET = 'node_modules/kuberehearse/schema/scenario.schema.json';

type Obj = Record<string, any>;

function selectorOf(o: Obj): Record<string, string> | undefined {
  const sel = o.spec?.selector;
  const labels = sel?.matchLabels ?? (o.kind === 'ReplicationController' ? sel : undefined) ?? o.spec?.template?.metadata?.labels;
  return labels && typeof labels === 'object' ? (labels as Record<string, string>) : undefined;
}

const selectorText = (l: Record<string, string>) =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(',');

/** A starter expectation for a workload object, or undefined for other kinds. */
export function starterExpectation(o: Obj): Obj | undefined {
  const name = o.metadata?.name;
  if (typeof name !== 'string') return undefined;
  const ns = o.metadata?.namespace;
  const where = ns ? { namespace: ns } : {};
  switch (o.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'ReplicationController': {
      const sel = selectorOf(o);
      if (!sel) return undefined;
      // apps/v1 defaults spec.replicas to 1 (pkg/apis/apps/v1/defaults.go SetDefaults_Deployment)
      const replicas = typeof o.spec?.replicas === 'number' ? o.spec.replicas : 1;
      return { name: `${o.kind} ${name} has ${replicas} ready pod${replicas === 1 ? '' : 's'}`, at: '1m', pods: { selector: selectorText(sel), ...where }, count: replicas, ready: replicas };
    }
    case 'DaemonSet': {
      const sel = selectorOf(o);
      if (!sel) return undefined;
      const match = Object.keys(sel)
        .sort()
        .map((k) => `${JSON.stringify(k)} in p.metadata.labels && p.metadata.labels[${JSON.stringify(k)}] == ${JSON.stringify(sel[k])}`)
        .join(' && ');
      return { name: `DaemonSet ${name} runs one pod per node`, at: '1m', expr: `size(pods.filter(p, has(p.metadata.labels) && ${match})) == size(nodes)` };
    }
    case 'Job':
      return { name: `Job ${name} succeeds`, within: '5m', object: `job/${name}`, ...where, match: { status: { conditions: [{ type: 'Complete', status: 'True' }] } } };
    default:
      return undefined;
  }
}

export interface InitResult {
  file: string;
  workloads: number;
}

/** Write `<cwd>/scenarios/example.scenario.yaml` for the manifests in `dir` (relative to cwd). */
export function initScenario(dir: string, cwd: string): InitResult {
  const manifestsDir = path.resolve(cwd, dir);
  if (!existsSync(manifestsDir)) throw new UsageError(`init: no such directory: ${dir}`, 'give a folder holding Kubernetes manifests (*.yaml, *.yml, *.json)');
  const target = path.join(cwd, 'scenarios', 'example.scenario.yaml');
  const shown = path.relative(cwd, target).split(path.sep).join('/');
  if (existsSync(target)) throw new UsageError(`init: ${shown} already exists; it was left as it is`, 'remove or rename it to scaffold a new one');
  const manifests: LoadedManifest[] = loadManifestFiles(manifestsDir, cwd, { file: dir, line: 1, col: 1 });
  if (!manifests.length) throw new UsageError(`init: no Kubernetes manifest found in ${dir}`, 'init reads *.yaml, *.yml and *.json files directly in that folder');
  const expect = manifests.map((m) => starterExpectation(m.object as Obj)).filter((e): e is Obj => e !== undefined);
  const rel = path.relative(path.dirname(target), manifestsDir).split(path.sep).join('/') || '.';
  const doc = {
    name: `The manifests in ${dir} come up`,
    description: 'Scaffolded by kuberehearse init: a starter expectation per workload. Add steps (kubectl, faults) and sharper expectations.',
    tags: ['example'],
    manifests: [{ file: rel }],
    expect: expect.length ? expect : [{ name: 'every pod is running at 1m', at: '1m', expr: 'pods.all(p, p.status.phase == "Running")' }],
  };
  const modeline = `# yaml-language-server: $schema=${path.relative(path.dirname(target), path.join(cwd, SCHEMA_MODELINE_TARGET)).split(path.sep).join('/')}\n`;
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, modeline + stringify(doc, { lineWidth: 100 }), { flag: 'wx' });
  return { file: shown, workloads: expect.length };
}
