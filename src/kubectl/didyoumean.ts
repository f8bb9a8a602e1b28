// "Did you mean" suggestions for misspelt verbs, flags and resource types, in the spirit of
// cobra's SuggestionsFor (spf13/cobra command.go): Levenshtein distance <= 2, or a prefix match.

import { editDistance } from '../util/didYouMean.js';

/** Levenshtein distance, as cobra's SuggestionsFor measures it (no transpositions). */
export function levenshtein(a: string, b: string): number {
  return editDistance(a, b, false);
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
