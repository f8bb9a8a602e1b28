// `npm run bench`: the performance figures of docs/performance.md, each as a ratio against a
// baseline measured in the same run where one exists (absolute times vary between machines).
// Writes bench/results.json. Not part of `npm test`.

import { Bench } from 'tinybench';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import { EventQueue } from '../src/engine/queue.js';
import { Simulation } from '../src/engine/sim.js';
import { loadScenarioText } from '../src/scenario/load.js';
import { compileScenario } from '../src/scenario/compile.js';
import { runScenario } from '../src/engine/run.js';
import { envelope } from './envelope.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const full = process.argv.includes('--full');

interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
  note?: string;
}
const figures: Figure[] = [];

// ---- engine core: events/s through Simulation vs a bare binary heap ------------------------
const N = 200_000;
function bareHeap(): void {
  const h: { t: number; s: number; f: () => void }[] = [];
  let seq = 0;
  const less = (a: (typeof h)[0], b: (typeof h)[0]) => a.t < b.t || (a.t === b.t && a.s < b.s);
  const push = (x: (typeof h)[0]) => {
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  };
  const pop = () => {
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  };
  let n = 0;
  const f = () => {
    n++;
  };
  for (let i = 0; i < N; i++) push({ t: (i * 7919) % 10_000, s: seq++, f });
  while (h.length) pop().f();
  if (n !== N) throw new Error('bare heap lost events');
}
function engineLoop(): void {
  const sim = new Simulation(1, N + 10);
  let n = 0;
  const f = () => {
    n++;
  };
  for (let i = 0; i < N; i++) sim.schedule((i * 7919) % 10_000, 'bench', f);
  sim.runUntil(Infinity);
  if (n !== N) throw new Error('engine lost events');
}
void EventQueue;

// ---- small scenario: a 3-replica ReplicaSet, a pod deletion, 2 minutes ------------------------
const SMALL = `
name: bench small
manifests:
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata: {name: web}
    spec:
      replicas: 3
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: web, image: nginx}]}
steps:
  - at: 30s
    kubectl: delete pod -l app=web --wait=false
  - at: 1m
    kubectl: scale rs web --replicas=5
expect:
  - at: 2m
    pods: {selector: app=web}
    ready: 5
  - always: {from: 10s}
    pods: {selector: app=web}
    count: ">=3"
`;
const smallCompiled = compileScenario(loadScenarioText(path.join(root, 'bench/small.scenario.yaml'), SMALL));

async function main(): Promise<void> {
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench.add('bare binary heap (200k push+pop)', bareHeap).add('engine queue + dispatch (200k events)', engineLoop);
  bench.add('small scenario end to end (run only)', () => {
    const r = runScenario(smallCompiled);
    if (r.status !== 'passed') throw new Error(`small scenario ${r.status}`);
  });
  bench.add('small scenario end to end (load + compile + run)', () => {
    runScenario(compileScenario(loadScenarioText(path.join(root, 'bench/small.scenario.yaml'), SMALL)));
  });
  await bench.run();
  const byName = Object.fromEntries(bench.tasks.map((t) => [t.name, t.result as any]));
  const mean = (n: string) => byName[n].latency.mean as number; // ms
  const median = (n: string) => (byName[n].latency.p50 ?? byName[n].latency.mean) as number;
  const ratio = mean('bare binary heap (200k push+pop)') / mean('engine queue + dispatch (200k events)');
  figures.push({ name: 'engine core: events/s vs bare binary heap', value: round(ratio, 2), unit: 'ratio', target: '>= 0.33', met: ratio >= 0.33, note: `${round((N / mean('engine queue + dispatch (200k events)')) * 1000 / 1e6, 2)}M events/s` });
  const small = median('small scenario end to end (run only)');
  figures.push({ name: 'small scenario (3-replica RS, delete, scale), run', value: round(small, 3), unit: 'ms median', target: '<= 2 ms', met: small <= 2 });
  figures.push({ name: 'small scenario, load + compile + run', value: round(median('small scenario end to end (load + compile + run)'), 3), unit: 'ms median' });

  // ---- CLI: the whole bundled corpus, process start included --------------------------------
  const cliTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [path.join(root, 'bin/kuberehearse.js'), 'run', 'scenarios/', '--reporter', 'json'], { cwd: root, encoding: 'utf8' });
    cliTimes.push(performance.now() - t0);
    if (r.status !== 0 && r.status !== 1) throw new Error(`CLI exited ${r.status}: ${r.stderr}`);
  }
  const nodeStart: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    nodeStart.push(performance.now() - t0);
  }
  const cli = med(cliTimes);
  figures.push({ name: 'CLI: kuberehearse run scenarios/ (wall, process start included)', value: round(cli / 1000, 3), unit: 's median', target: '<= 2 s', met: cli <= 2000, note: `bare node start ${round(med(nodeStart), 1)} ms; ratio ${round(cli / med(nodeStart), 1)}x` });

  // ---- envelope: nodes and pods created, scheduled, Running and Ready -----------------------
  const scales = full ? [100, 10, 1] : [100, 10];
  const perPod: Record<number, number> = {};
  for (const div of scales) {
    const r = envelope(div);
    perPod[div] = r.wallMs / r.pods;
    figures.push({
      name: `envelope 1/${div}: ${r.nodes} nodes, ${r.pods} pods Ready`,
      value: round(r.wallMs / 1000, 3),
      unit: 's wall',
      note: `${round(r.pods / (r.wallMs / 1000), 0)} pod lifecycles/s; ${r.events} events; heap +${round(r.heapMb, 0)} MiB; rss ${round(r.rssMb, 0)} MiB`,
      ...(div === 1 ? { target: '<= 15 s, <= 2 GiB', met: r.wallMs <= 15_000 && r.rssMb <= 2048 } : {}),
    });
  }
  const growth = perPod[10] / perPod[100];
  figures.push({ name: 'envelope cost growth: time per pod at 1/10 vs 1/100', value: round(growth, 2), unit: 'ratio', target: '<= 2 (full vs 1/100)', note: full ? `full vs 1/100: ${round(perPod[1] / perPod[100], 2)}` : 'run `npm run bench -- --full` for the full envelope' });

  for (const missing of ['traffic path: requests/s through kube-proxy with affinity', 'fuzz: small fuzz runs/s on one core', 'speed-up over real time, idle-heavy 24 h (CronJobs)']) {
    figures.push({ name: missing, value: NaN, unit: '', note: 'not measurable yet: the feature it measures is not built' });
  }

  console.table(figures.map((f) => ({ figure: f.name, value: Number.isNaN(f.value) ? '-' : f.value, unit: f.unit, target: f.target ?? '', met: f.met === undefined ? '' : f.met ? 'yes' : 'NO', note: f.note ?? '' })));
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version };
  writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify({ machine, figures }, null, 2)}\n`);
}

function med(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
