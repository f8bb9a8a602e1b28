import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../engine/trace.js';
import type { ScenarioResult } from '../result.js';
import { diffLines, summariseDiff } from './diff.js';
import { checkSnapshot, isCI, snapshotPath } from './store.js';
import { normaliseTrace } from './trace.js';

const cwd = '/home/u/project';

describe('normaliseTrace', () => {
  it('drops resourceVersions, scrubs absolute paths, keeps one line per record', () => {
    const trace: TraceRecord[] = [
      { t: 0, type: 'object', op: 'added', kind: 'Pod', namespace: 'default', name: 'web', rv: 17, summary: 'Pending' },
      { t: 1500, type: 'step', index: 0, name: 'apply', action: 'apply /home/u/project/s/m.yaml', outcome: 'error', message: 'cannot read\n/home/u/project/x' },
      { t: 2000, type: 'note', message: 'hello' },
    ];
    expect(normaliseTrace(trace, { file: 's/a.scenario.yaml', cwd })).toEqual([
      '0s added Pod default/web: Pending',
      '1.5s step 1 "apply" apply <dir>/m.yaml -> error: cannot read\\n<cwd>/x',
      '2s note hello',
    ]);
  });

  it('writes fields it does not know as JSON with sorted keys', () => {
    const r = { t: 3, type: 'request', seq: 2, client: 'c', url: 'http://a', outcome: 'ok', latency: 4, sentAt: 1, pod: 'p' } as TraceRecord;
    expect(normaliseTrace([r], { file: 'a.scenario.yaml', cwd })).toEqual(['3ms request {"client":"c","latency":4,"outcome":"ok","pod":"p","sentAt":1,"seq":2,"url":"http://a"}']);
  });
});

describe('diffLines / summariseDiff', () => {
  it('shows one inserted record as one added line, with context and counts', () => {
    const a = ['a', 'b', 'c', 'd', 'e'];
    const b = ['a', 'b', 'X', 'c', 'd', 'e'];
    const sum = summariseDiff(diffLines(a, b))!;
    expect(sum).toMatchObject({ removed: 0, added: 1, firstLine: 3 });
    expect(sum.excerpt).toEqual(['  a', '  b', '+ X', '  c', '  d', '  ...']);
  });

  it('counts every change but lists only the first ones', () => {
    const a = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const b = a.map((l, i) => (i % 2 === 0 ? `${l}!` : l));
    const sum = summariseDiff(diffLines(a, b), 4)!;
    expect(sum.removed + sum.added).toBe(40);
    expect(sum.excerpt.filter((l) => /^[-+] /.test(l))).toHaveLength(4);
    expect(sum.excerpt.at(-1)).toBe('  ... and 36 more changed lines');
  });

  it('equal traces have no summary', () => {
    expect(summariseDiff(diffLines(['a'], ['a']))).toBeUndefined();
  });
});

function result(dir: string, trace: TraceRecord[], status: ScenarioResult['status'] = 'passed'): ScenarioResult {
  return { file: path.join(dir, 'x.scenario.yaml'), name: 'x', tags: [], seed: 1, status, duration: 0, events: 0, expectations: [], steps: [], trace };
}
const note = (t: number, message: string): TraceRecord => ({ t, type: 'note', message });

describe('checkSnapshot', () => {
  const fresh = () => mkdtempSync(path.join(tmpdir(), 'kr-snap-'));
  const opts = (dir: string, o: { update?: boolean; ci?: boolean } = {}) => ({ update: false, ci: false, cwd: dir, ...o });

  it('writes a missing snapshot from a passing run, then matches it', () => {
    const dir = fresh();
    const r = result(dir, [note(0, 'a')]);
    expect(checkSnapshot(r, opts(dir))?.status).toBe('written');
    expect(r.status).toBe('passed');
    expect(JSON.parse(readFileSync(snapshotPath(r.file), 'utf8')).trace).toEqual(['0s note a']);
    const again = result(dir, [note(0, 'a')]);
    expect(checkSnapshot(again, opts(dir))).toEqual({ file: '__snapshots__/x.scenario.yaml.snap.json', status: 'matched' });
  });

  it('fails a missing snapshot on CI, as vitest does, unless --update', () => {
    const dir = fresh();
    const r = result(dir, [note(0, 'a')]);
    expect(checkSnapshot(r, opts(dir, { ci: true }))?.status).toBe('missing');
    expect(r.status).toBe('failed');
    expect(existsSync(snapshotPath(r.file))).toBe(false);
    expect(checkSnapshot(result(dir, [note(0, 'a')]), opts(dir, { ci: true, update: true }))?.status).toBe('written');
  });

  it('fails a different trace with the first differing lines, until --update rewrites it', () => {
    const dir = fresh();
    checkSnapshot(result(dir, [note(0, 'a'), note(1, 'b')]), opts(dir));
    const r = result(dir, [note(0, 'a'), note(1, 'c')]);
    const check = checkSnapshot(r, { ...opts(dir), source: { file: r.file, line: 3, col: 1 } })!;
    expect(r.status).toBe('failed');
    expect(check).toMatchObject({ status: 'mismatched', removed: 1, added: 1, source: { line: 3 } });
    expect(check.message).toBe('the trace differs from snapshot __snapshots__/x.scenario.yaml.snap.json: 2 trace lines differ (1 removed, 1 added), first at line 2');
    expect(check.diff).toEqual(['  0s note a', '- 1ms note b', '+ 1ms note c']);
    expect(checkSnapshot(result(dir, [note(0, 'a'), note(1, 'c')]), opts(dir, { update: true }))?.status).toBe('updated');
    expect(checkSnapshot(result(dir, [note(0, 'a'), note(1, 'c')]), opts(dir))?.status).toBe('matched');
  });

  it('never records a failing run, and leaves errors and todos alone', () => {
    const dir = fresh();
    const failed = result(dir, [note(0, 'a')], 'failed');
    expect(checkSnapshot(failed, opts(dir))?.status).toBe('missing');
    expect(existsSync(snapshotPath(failed.file))).toBe(false);
    expect(checkSnapshot(result(dir, [note(0, 'a')], 'error'), opts(dir))).toBeUndefined();
    expect(checkSnapshot(result(dir, [note(0, 'a')], 'todo'), opts(dir))).toBeUndefined();
  });

  it('says a snapshot recorded with another seed is why the trace differs; the same trace still matches', () => {
    const dir = fresh();
    checkSnapshot(result(dir, [note(0, 'a')]), opts(dir));
    const r = { ...result(dir, [note(0, 'b')]), seed: 7 };
    expect(checkSnapshot(r, opts(dir))?.diff).toEqual(['recorded with seed 1, this run used seed 7', '- 0s note a', '+ 0s note b']);
    expect(checkSnapshot({ ...result(dir, [note(0, 'a')]), seed: 7, name: 'renamed' }, opts(dir))?.status).toBe('matched');
  });

  it('reports an unreadable snapshot file', () => {
    const dir = fresh();
    mkdirSync(path.join(dir, '__snapshots__'));
    writeFileSync(path.join(dir, '__snapshots__', 'x.scenario.yaml.snap.json'), '{');
    expect(checkSnapshot(result(dir, [note(0, 'a')]), opts(dir))?.message).toMatch(/is unusable: it is not valid JSON/);
  });

  it('reads CI as vitest does', () => {
    expect([isCI({ CI: 'true' }), isCI({ CI: '1' }), isCI({ CI: 'false' }), isCI({ CI: '' }), isCI({})]).toEqual([true, true, false, false, false]);
  });
});
