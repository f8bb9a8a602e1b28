// `kuberehearse list [paths] [--json]`: the scenarios a run would cover, with names and tags,
// without running them (vitest `list`, Playwright `--list`).

import type { CompiledScenario } from '../scenario/model.js';

export interface ListedScenario {
  file: string;
  name: string;
  tags: string[];
  todo?: string;
}

export function listScenarios(scenarios: CompiledScenario[], rel: (f: string) => string): ListedScenario[] {
  return scenarios.map((s) => ({ file: rel(s.file), name: s.name, tags: [...s.tags], ...(s.todo !== undefined ? { todo: s.todo } : {}) }));
}

export function formatList(items: ListedScenario[], json: boolean): string {
  if (json) return `${JSON.stringify(items, null, 2)}\n`;
  const lines = items.map((i) => `${i.file} > ${i.name}${i.tags.length ? ` [${i.tags.join(', ')}]` : ''}${i.todo !== undefined ? ' (todo)' : ''}`);
  return `${lines.join('\n')}${lines.length ? '\n' : ''}${items.length} scenario${items.length === 1 ? '' : 's'}\n`;
}
