// An `apps:` entry of a scenario -> an AppModel: durations parsed, memory quantities in bytes,
// versions (a tag re-pointed over time) compiled as whole models over their base.

import type { LatencyRange } from '../engine/component.js';
import { parseQuantity, toMilli, toValue } from '../api/quantity.js';
import type { AppModel, AppVersion, CpuModel, HttpAnswer, MemoryModel } from './registry.js';

type Path = (string | number)[];

/** What compile.ts's Compiler offers (structural, so this module does not import it). */
export interface AppCompiler {
  error(p: Path, message: string, hint?: string): void;
  duration(p: Path, v: unknown, fallback?: number): number | undefined;
  range(p: Path, v: unknown, fallback: LatencyRange): LatencyRange;
}

const KNOWN = new Set(['startup', 'exitAfter', 'exitCode', 'ignoreSigterm', 'shutdown', 'http', 'tcp', 'memory', 'cpu', 'files', 'pullError', 'imageSize', 'versions']);
const ZERO: LatencyRange = { min: 0, max: 0 };

export function compileAppModel(c: AppCompiler, key: string, a: any, p: Path, base?: AppModel): AppModel {
  a ??= {};
  const http: HttpAnswer[] | undefined = a.http?.map((h: any, i: number) => ({
    path: h.path ?? '/',
    status: h.status ?? 200,
    body: h.body,
    afterRequests: h.afterRequests,
    afterTimeMs: c.duration([...p, 'http', i, 'afterTime'], h.afterTime),
    ...(h.latency !== undefined ? { latency: c.range([...p, 'http', i, 'latency'], h.latency, ZERO) } : {}),
  }));
  const extra = Object.fromEntries(Object.entries(a).filter(([k]) => !KNOWN.has(k)));
  const model: AppModel = {
    key,
    startup: a.startup !== undefined ? c.range([...p, 'startup'], a.startup, ZERO) : base?.startup ?? ZERO,
    exitAfter: a.exitAfter !== undefined ? c.range([...p, 'exitAfter'], a.exitAfter, ZERO) : base?.exitAfter,
    exitCode: a.exitCode ?? base?.exitCode ?? 0,
    ignoreSigterm: a.ignoreSigterm !== undefined ? !!a.ignoreSigterm : base?.ignoreSigterm ?? false,
    shutdown: a.shutdown !== undefined ? c.range([...p, 'shutdown'], a.shutdown, ZERO) : base?.shutdown ?? ZERO,
    http: http ?? base?.http ?? [],
    ...(a.tcp !== undefined ? { tcp: !!a.tcp } : base?.tcp !== undefined ? { tcp: base.tcp } : {}),
    ...optional('memory', a.memory !== undefined ? memoryModel(c, [...p, 'memory'], a.memory) : base?.memory),
    ...optional('cpu', a.cpu !== undefined ? cpuModel(c, [...p, 'cpu'], a.cpu) : base?.cpu),
    ...optional('files', a.files ?? base?.files),
    ...optional('pullError', a.pullError ?? base?.pullError),
    ...optional('imageSize', a.imageSize !== undefined ? imageSize(c, [...p, 'imageSize'], a.imageSize) : base?.imageSize),
    extra: { ...(base?.extra ?? {}), ...extra },
  };
  if (!base && Array.isArray(a.versions)) {
    let prevAt = -1;
    const versions: AppVersion[] = [];
    let current = model;
    a.versions.forEach((v: any, i: number) => {
      const vp = [...p, 'versions', i];
      const atMs = c.duration([...vp, 'at'], v?.at, 0)!;
      if (atMs <= prevAt) c.error([...vp, 'at'], `version ${i + 1} starts at ${v?.at}, not after the version before it`, 'list versions in time order');
      prevAt = atMs;
      const { at: _at, ...overrides } = v ?? {};
      current = compileAppModel(c, key, overrides, vp, current);
      versions.push({ atMs, model: current });
    });
    model.versions = versions;
  }
  return model;
}

function optional<K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };
}

function bytes(c: AppCompiler, p: Path, v: unknown): number {
  try {
    return Number(toValue(parseQuantity(v as string | number)));
  } catch (e) {
    c.error(p, (e as Error).message);
    return 0;
  }
}

function memoryModel(c: AppCompiler, p: Path, m: any): MemoryModel {
  if (typeof m === 'string' || typeof m === 'number') return { initial: bytes(c, p, m), growBy: 0, everyMs: 1000 };
  return {
    initial: m.initial !== undefined ? bytes(c, [...p, 'initial'], m.initial) : 0,
    growBy: m.growBy !== undefined ? bytes(c, [...p, 'growBy'], m.growBy) : 0,
    everyMs: c.duration([...p, 'every'], m.every, 1000)!,
    ...(m.max !== undefined ? { max: bytes(c, [...p, 'max'], m.max) } : {}),
  };
}

function millis(c: AppCompiler, p: Path, v: unknown): number {
  try {
    return Number(toMilli(parseQuantity(v as string | number)));
  } catch (e) {
    c.error(p, (e as Error).message, 'write CPU like 250m or 1');
    return 0;
  }
}

/** `cpu: 200m` (constant) or `cpu: [{at: 0s, usage: 100m}, {at: 2m, usage: 900m}]` (steps over virtual time) */
function cpuModel(c: AppCompiler, p: Path, v: any): CpuModel {
  if (!Array.isArray(v)) return { points: [{ atMs: 0, milli: millis(c, p, v) }] };
  let prevAt = -1;
  return {
    points: v.map((pt: any, i: number) => {
      const atMs = c.duration([...p, i, 'at'], pt?.at, 0)!;
      if (atMs <= prevAt) c.error([...p, i, 'at'], `cpu point ${i + 1} is at ${pt?.at}, not after the point before it`, 'list cpu points in time order');
      prevAt = atMs;
      return { atMs, milli: millis(c, [...p, i, 'usage'], pt?.usage) };
    }),
  };
}

/** `imageSize`: a byte count or a quantity (150Mi) */
function imageSize(c: AppCompiler, p: Path, v: unknown): number | undefined {
  try {
    const n = typeof v === 'number' ? v : Number(toValue(parseQuantity(String(v))));
    if (Number.isInteger(n) && n >= 0) return n;
  } catch {
    // reported below
  }
  c.error(p, `imageSize ${JSON.stringify(v)} is not a size`, 'give bytes (157286400) or a quantity (150Mi)');
  return undefined;
}
