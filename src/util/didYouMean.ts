// "Did you mean ...?" suggestions for misspelt keys, enum values, verbs and flags.

/**
 * Edit distance (with `transpositions` false: plain Levenshtein, as cobra uses for kubectl)
 * counting an insertion, a deletion, a substitution or a swap of two adjacent
 * characters as one edit (optimal string alignment), so `nmae` is one edit from `name`.
 */
export function editDistance(a: string, b: string, transpositions = true): number {
  if (a === b) return 0;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

/**
 * The candidate closest to `word`, if it is close enough to be a plausible typo: at most 2 edits
 * (1 for words of up to 4 characters, so that short keys do not suggest unrelated ones), or a
 * case-only difference. Ties go to the earliest candidate, so the result is deterministic.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const limit = word.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
