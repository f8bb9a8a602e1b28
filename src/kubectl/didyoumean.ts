// "Did you mean" suggestions for misspelt verbs, flags and resource types, in the spirit of
// cobra's SuggestionsFor (spf13/cobra command.go): Levenshtein distance <= 2, or a prefix match.

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * Candidates close to `word`, best first (ties keep the candidates' order, so output is
 * deterministic). cobra's default SuggestionsMinimumDistance is 2.
 */
export function suggest(word: string, candidates: readonly string[], maxDistance?: number): string[] {
  const w = word.toLowerCase();
  if (w.length === 0) return [];
  // Short words are within distance 2 of too many short names (po, no, ns, ...).
  const max = maxDistance ?? (w.length <= 3 ? 1 : 2);
  const scored: { c: string; d: number; i: number }[] = [];
  candidates.forEach((c, i) => {
    const lc = c.toLowerCase();
    const d = levenshtein(w, lc);
    if (d <= max || (w.length >= 3 && lc.startsWith(w))) scored.push({ c, d, i });
  });
  scored.sort((x, y) => x.d - y.d || x.i - y.i);
  const out: string[] = [];
  for (const s of scored) if (!out.includes(s.c)) out.push(s.c);
  return out;
}

/** A hint sentence, or undefined when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const s = suggest(word, candidates);
  if (s.length === 0) return undefined;
  return `did you mean ${s.slice(0, 3).map((x) => `"${x}"`).join(' or ')}?`;
}
