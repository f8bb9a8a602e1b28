// A line diff of two traces for snapshot failures: the common prefix and suffix are trimmed, the
// middle is aligned by a longest common subsequence (so one inserted record shows as one `+`
// line, not as every later line changed). A middle too large to align cheaply is shown as
// removed-then-added, which is still correct, only less tidy.

export type DiffOp = { op: 'same' | 'removed' | 'added'; line: string; /** 1-based, in the snapshot */ a?: number; /** 1-based, in this run */ b?: number };

const MAX_CELLS = 4_000_000;

export function diffLines(expected: readonly string[], actual: readonly string[]): DiffOp[] {
  let start = 0;
  while (start < expected.length && start < actual.length && expected[start] === actual[start]) start++;
  let endA = expected.length;
  let endB = actual.length;
  while (endA > start && endB > start && expected[endA - 1] === actual[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffOp[] = [];
  for (let i = 0; i < start; i++) ops.push({ op: 'same', line: expected[i], a: i + 1, b: i + 1 });
  const n = endA - start;
  const m = endB - start;
  if (n > 0 && m > 0 && (n + 1) * (m + 1) <= MAX_CELLS) {
    // lcs[i][j] = LCS length of expected[start+i..endA) and actual[start+j..endB)
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * w + j] = expected[start + i] === actual[start + j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && expected[start + i] === actual[start + j]) {
        ops.push({ op: 'same', line: expected[start + i], a: start + i + 1, b: start + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
        // removals before additions, as `diff` and git print a changed line
        ops.push({ op: 'removed', line: expected[start + i], a: start + i + 1 });
        i++;
      } else {
        ops.push({ op: 'added', line: actual[start + j], b: start + j + 1 });
        j++;
      }
    }
  } else {
    for (let i = start; i < endA; i++) ops.push({ op: 'removed', line: expected[i], a: i + 1 });
    for (let j = start; j < endB; j++) ops.push({ op: 'added', line: actual[j], b: j + 1 });
  }
  for (let i = endA, j = endB; i < expected.length; i++, j++) ops.push({ op: 'same', line: expected[i], a: i + 1, b: j + 1 });
  return ops;
}

export interface DiffSummary {
  removed: number;
  added: number;
  /** 1-based line in the snapshot where the first difference is */
  firstLine: number;
  /** the first differing lines with up to `context` unchanged lines before them, `- ` / `+ ` / `  ` prefixed */
  excerpt: string[];
}

/** The first `limit` changed lines (and the context before them), with counts of all changes. */
export function summariseDiff(ops: readonly DiffOp[], limit = 12, context = 2): DiffSummary | undefined {
  const first = ops.findIndex((o) => o.op !== 'same');
  if (first < 0) return undefined;
  const removed = ops.filter((o) => o.op === 'removed').length;
  const added = ops.filter((o) => o.op === 'added').length;
  const excerpt: string[] = [];
  let changed = 0;
  let sameRun = 0;
  for (let k = Math.max(0, first - context); k < ops.length && changed < limit; k++) {
    const o = ops[k];
    if (o.op === 'same') {
      // after the first hunk, a long unchanged stretch ends the excerpt's current hunk
      sameRun++;
      if (k > first && sameRun > context) {
        if (sameRun === context + 1) excerpt.push('  ...');
        continue;
      }
      excerpt.push(`  ${o.line}`);
    } else {
      sameRun = 0;
      changed++;
      excerpt.push(`${o.op === 'removed' ? '-' : '+'} ${o.line}`);
    }
  }
  if (removed + added > changed) excerpt.push(`  ... and ${removed + added - changed} more changed line${removed + added - changed === 1 ? '' : 's'}`);
  const firstOp = ops[first];
  const firstLine = firstOp.a ?? (first > 0 ? (ops[first - 1].a ?? 0) + 1 : 1);
  return { removed, added, firstLine, excerpt };
}
