// Virtual timestamps. The virtual clock starts at the Unix epoch, so a creationTimestamp of
// 1970-01-01T00:00:05Z reads as "5 s into the run". Like metav1.Time (which marshals RFC 3339
// with whole seconds), stored timestamps carry whole seconds; the simulator keeps exact
// milliseconds where it needs them (e.g. the trace).

let lastSecond = -1;
let lastText = '';
/**
 * The texts of recent seconds, by second modulo the size (a direct-mapped cache): runs of one
 * scenario (the fuzzer's, a benchmark's) print the same seconds again and again.
 */
const CACHED = 4096;
const cachedSecond = new Float64Array(CACHED).fill(NaN);
const cachedText: string[] = new Array(CACHED).fill('');

export function timestamp(ms: number): string {
  // many objects change within the same virtual second: format each second once
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    const slot = second & (CACHED - 1);
    let text = cachedText[slot];
    if (cachedSecond[slot] !== second) {
      text = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
      cachedSecond[slot] = second;
      cachedText[slot] = text;
    }
    lastSecond = second;
    lastText = text;
  }
  return lastText;
}

/** milliseconds of a stored timestamp; undefined for a missing or invalid one */
export function parseTimestamp(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const v = Date.parse(ts);
  return Number.isNaN(v) ? undefined : v;
}
