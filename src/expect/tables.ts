// kubectl-get-style tables of objects at one instant, for failure stories. The columns and cells
// come from the one printer module that `kubectl get` steps use (src/kubectl/printers), so a
// story shows the same screen as the book; pods also show IP and NODE (two of -o wide's columns),
// which is what a failure usually needs.

import type { KubeObject } from '../api/types.js';
import type { Snapshot } from '../result.js';
import { tableRows } from '../kubectl/printers/tables.js';

export { podStatus } from '../kubectl/printers/pod.js';

/** the -o wide columns a story adds, per kind */
const STORY_WIDE: Record<string, string[]> = { Pod: ['IP', 'NODE'] };

export function snapshotOf(kind: string, objects: KubeObject[], nowMs: number): Snapshot {
  const extra = STORY_WIDE[kind];
  if (!extra) return { at: nowMs, kind, ...tableRows(kind, objects, nowMs, false) };
  const narrow = tableRows(kind, [], nowMs, false).columns;
  const wide = tableRows(kind, objects, nowMs, true);
  const keep = wide.columns.map((c) => narrow.includes(c) || extra.includes(c));
  return { at: nowMs, kind, columns: wide.columns.filter((_, i) => keep[i]), rows: wide.rows.map((r) => r.filter((_, i) => keep[i])) };
}
