// Go's text/tabwriter, which both `kubectl get` and `kubectl describe` write through: cells are
// tab-terminated, the text after a line's last tab is not part of any column, and a column block
// is a run of consecutive lines that all have a cell in that column (a line with fewer cells ends
// the block, which is why describe's sections realign after "IPs:" or "Containers:"). Widths
// count runes. This follows Writer.format / writeLines in src/text/tabwriter/tabwriter.go.

export interface TabwriterOptions {
  /** minimal cell width including padding */
  minwidth: number;
  /** added to a cell's width */
  padding: number;
}

/** cli-runtime pkg/printers/tabwriter.go GetNewTabWriter: minwidth 6, tabwidth 4, padding 3, ' ' */
export const GET_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3 };
/** kubectl describe: tabwriter.NewWriter(out, 0, 8, 2, ' ', 0) */
export const DESCRIBE_TABWRITER: TabwriterOptions = { minwidth: 0, padding: 2 };

const runes = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Lay out tab-separated lines (no trailing newline handling: pass the lines themselves). */
export function tabwrite(lines: readonly string[], opts: TabwriterOptions): string[] {
  const cells = lines.map((l) => l.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const line = cells[i];
      let text = '';
      for (let j = 0; j < line.length; j++) {
        const c = line[j];
        if (j < widths.length) text += c + ' '.repeat(Math.max(0, widths[j] - runes(c)));
        else text += c;
      }
      out.push(text);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= cells[t].length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = opts.minwidth;
      for (; t < line1; t++) {
        const line = cells[t];
        if (column >= line.length - 1) break;
        const w = runes(line[column]) + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };

  format(0, cells.length);
  return out;
}
