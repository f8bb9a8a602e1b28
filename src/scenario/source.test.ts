import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visit } from 'yaml';
import { displayPath, NodeLocator, parseYaml, pointerToPath } from './source.js';

const TEXT = `name: x
steps:
  - at: 10s
    kubectl: get pods
  - {after: 5s, wait: {until: "deployment/web available"}}
base: &b
  image: nginx
alias: *b
empty:
`;

function locator() {
  const parsed = parseYaml('s.yaml', TEXT);
  expect(parsed.errors).toEqual([]);
  return NodeLocator.forDocument(parsed, parsed.docs[0]);
}

describe('NodeLocator', () => {
  it('locates values and keys by JSON path (numbers or ajv string segments)', () => {
    const loc = locator();
    expect(loc.locate(['name'])).toEqual({ file: 's.yaml', line: 1, col: 7 });
    expect(loc.locateKey(['name'])).toEqual({ file: 's.yaml', line: 1, col: 1 });
    expect(loc.locate(['steps', 0, 'kubectl'])).toEqual({ file: 's.yaml', line: 4, col: 14 });
    expect(loc.locateKey(['steps', '0', 'kubectl'])).toEqual({ file: 's.yaml', line: 4, col: 5 });
    expect(loc.locate(['steps', 1, 'wait', 'until'])).toEqual({ file: 's.yaml', line: 5, col: 31 });
    // a sequence item has no key: its own position
    expect(loc.locateKey(['steps', 1])).toEqual({ file: 's.yaml', line: 5, col: 5 });
  });

  it('falls back to the nearest existing parent', () => {
    const loc = locator();
    expect(loc.locate(['steps', 0, 'missing', 'deeper'])).toEqual({ file: 's.yaml', line: 3, col: 5 });
    expect(loc.locate(['steps', 7])).toEqual({ file: 's.yaml', line: 3, col: 3 });
    expect(loc.locateKey(['nope'])).toEqual({ file: 's.yaml', line: 1, col: 1 });
  });

  it('walks through aliases to the anchored node', () => {
    expect(locator().locate(['alias', 'image'])).toEqual({ file: 's.yaml', line: 7, col: 10 });
  });

  it('points at the key of a key without a value', () => {
    expect(locator().locate(['empty'])).toEqual({ file: 's.yaml', line: 9, col: 1 });
  });

  it('sub() roots a locator at a node', () => {
    const step = locator().sub(['steps', 1]);
    expect(step.locate(['wait'])).toEqual({ file: 's.yaml', line: 5, col: 23 });
  });

  it('returns the source text of scalars', () => {
    const parsed = parseYaml('v.yaml', 'v: 1.30\n');
    const loc = NodeLocator.forDocument(parsed, parsed.docs[0]);
    expect(loc.sourceText(['v'])).toBe('1.30');
    expect(parsed.docs[0].toJS()).toEqual({ v: 1.3 });
  });
});

describe('parseYaml', () => {
  it('reads plain scalars as kubectl does (YAML 1.1 octal and booleans, no base-60, timestamps as strings)', () => {
    const parsed = parseYaml('m.yaml', 'mode: 0644\nlinks: no\ntime: 1:30\nat: 2024-01-02T03:04:05Z\n');
    expect(parsed.docs[0].toJS()).toEqual({ mode: 420, links: false, time: '1:30', at: '2024-01-02T03:04:05Z' });
  });

  it('reports syntax errors with file:line:col and a hint', () => {
    const parsed = parseYaml('bad.yaml', 'a: 1\nb: [1, 2\n');
    expect(parsed.errors[0]).toMatchObject({ file: 'bad.yaml', line: 3, col: 1, code: 'yaml' });
    expect(parsed.errors[0].message).toMatch(/^YAML syntax error: /);
  });

  it('reports an alias that refers to no anchor', () => {
    expect(parseYaml('a.yaml', 'x: &a 1\ny: *a\n').errors).toEqual([]);
    expect(parseYaml('a.yaml', 'x: 1\ny: *nope\n').errors).toEqual([
      {
        file: 'a.yaml',
        line: 2,
        col: 4,
        message: 'YAML syntax error: the alias *nope refers to no anchor',
        hint: 'set the anchor (&nope) on a value before the alias uses it',
        code: 'yaml',
      },
    ]);
  });

  it('finds no alias node in a text without `*` (why parseYaml skips the alias walk there)', () => {
    const token = fc.constantFrom('a', 'b:', ': ', ' ', '  ', '\n', '- ', '&x ', '*x', '[', ']', '{', '}', ', ', '"', "'", '#', '!t ', '|\n', '>\n', '? ', '---\n', '<<: ');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        const text = tokens.join('');
        let aliases = 0;
        for (const doc of parseYaml('p.yaml', text).docs) visit(doc, { Alias: () => void aliases++ });
        if (!text.includes('*')) expect(aliases).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('names the duplicated key', () => {
    const parsed = parseYaml('dup.yaml', 'a:\n  b: 1\n  b: 2\n');
    expect(parsed.errors).toEqual([
      {
        file: 'dup.yaml',
        line: 3,
        col: 3,
        message: "YAML syntax error: duplicate key 'b'",
        hint: 'each key may appear once in a mapping; remove or merge the repeated one',
        code: 'yaml',
      },
    ]);
  });
});

describe('paths', () => {
  it('displays JSON paths the way people write them', () => {
    expect(displayPath(['steps', 2, 'at'])).toBe('steps[2].at');
    expect(displayPath(['steps', '2', 'at'])).toBe('steps[2].at');
    expect(displayPath(['apps', 'luksa/kubia*', 'http', 0])).toBe('apps["luksa/kubia*"].http[0]');
    expect(displayPath([])).toBe('');
  });
  it('decodes JSON Pointers', () => {
    expect(pointerToPath('')).toEqual([]);
    expect(pointerToPath('/apps/luksa~1kubia*/x~0y')).toEqual(['apps', 'luksa/kubia*', 'x~y']);
  });
});
