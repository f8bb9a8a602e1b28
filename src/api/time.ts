// Virtual timestamps. The virtual clock starts at the Unix epoch, so a creationTimestamp of
// 1970-01-01T00:00:05Z reads as "5 s into the run". Like metav1.Time (which marshals RFC 3339
// with whole seconds), stored timestamps carry whole seconds; the simulator keeps exact
// milliseconds where it needs them (e.g. the trace).

let lastSecond = -1;
let lastText = '';

export function timestamp(ms: number): string {
  // many objects change within the same virtual second: format each second once
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastText;
}

/** milliseconds of a stored timestamp; undefined for a missing or invalid one */
export function parseTimestamp(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const v = Date.parse(ts);
  return Number.isNaN(v) ? undefined : v;
}
