// YAML parsing with source positions: one parser configuration for scenario files and manifest
// files, and a locator that maps a JSON path (as ajv and our own checks report it) to file:line:col.

import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node as YamlNode,
  type ParseOptions,
  type DocumentOptions,
  type SchemaOptions,
  type YAMLError,
} from 'yaml';
import type { Diagnostic, SourcePosition } from './diagnostics.js';

export type JsonPath = readonly (string | number)[];

/**
 * kubectl reads manifests with sigs.k8s.io/yaml, a fork of go-yaml v2 that resolves plain scalars
 * by YAML 1.1 rules (sigs.k8s.io/yaml/goyaml.v2/resolve.go): `yes`/`on` are booleans and `0644`
 * is octal 420 (the usual way to write a volume's defaultMode). It has no base-60 numbers, and
 * its timestamps end up as strings once converted to JSON, so those two 1.1 tags are dropped.
 */
export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  prettyErrors: true,
  uniqueKeys: true,
  customTags: (tags) =>
    tags.filter((t) => {
      const tag = typeof t === 'string' ? t : t.tag;
      const format = typeof t === 'string' ? undefined : (t as { format?: string }).format;
      return tag !== 'tag:yaml.org,2002:timestamp' && format !== 'TIME';
    }),
};

export interface ParsedYaml {
  file: string;
  text: string;
  lineCounter: LineCounter;
  docs: Document.Parsed[];
  /** YAML syntax errors of every document, as diagnostics */
  errors: Diagnostic[];
}

export function parseYaml(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  const docs: Document.Parsed[] = [...parsed];
  const errors: Diagnostic[] = [];
  // an alias is written `*name`: without a `*` in the text there is none to check (walking every
  // node of every document to find none was ~5% of parsing)
  const mayHaveAliases = text.includes('*');
  for (const doc of docs) {
    for (const e of doc.errors) errors.push(yamlErrorDiagnostic(file, text, lineCounter, e));
    // an alias whose anchor is not set before it would make toJS() throw later: report it here
    if (doc.errors.length === 0 && mayHaveAliases) {
      visit(doc, {
        Alias(_key, node) {
          if (node.resolve(doc) !== undefined) return;
          const pos = lineCounter.linePos(node.range?.[0] ?? 0);
          errors.push({
            file,
            line: pos.line,
            col: pos.col,
            message: `YAML syntax error: the alias *${node.source} refers to no anchor`,
            hint: `set the anchor (&${node.source}) on a value before the alias uses it`,
            code: 'yaml',
          });
        },
      });
    }
  }
  // An EmptyStream (no documents at all) may still carry errors, e.g. a stray directive.
  if ('empty' in parsed) {
    for (const e of parsed.errors) errors.push(yamlErrorDiagnostic(file, text, lineCounter, e));
  }
  return { file, text, lineCounter, docs, errors };
}

const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'each key may appear once in a mapping; remove or merge the repeated one',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check the indentation of this line against the lines above it',
  MISSING_CHAR: 'a flow collection ({...} or [...]) or a quoted string is not closed',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; is a ":" or an indentation missing above?',
  BLOCK_AS_IMPLICIT_KEY: 'is a ":" missing, or is this line indented too far?',
  UNEXPECTED_TOKEN: 'check the syntax around this position',
};

function yamlErrorDiagnostic(file: string, text: string, lc: LineCounter, e: YAMLError): Diagnostic {
  const pos = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
  // prettyErrors appends " at line L, column C:" and a code frame; the position is ours to print.
  let message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/.exec(text.slice(e.pos[0]))?.[1];
    if (key) message = `duplicate key ${key.startsWith('"') || key.startsWith("'") ? key : `'${key}'`}`;
  }
  return {
    file,
    line: pos.line,
    col: pos.col,
    message: `YAML syntax error: ${message}`,
    hint: YAML_HINTS[e.code],
    code: 'yaml',
  };
}

/** Lookup of the node at a JSON path below a root node, and of its position. */
export class NodeLocator {
  constructor(
    readonly file: string,
    private readonly parsed: ParsedYaml,
    private readonly doc: Document.Parsed,
    private readonly root: YamlNode | null,
  ) {}

  static forDocument(parsed: ParsedYaml, doc: Document.Parsed): NodeLocator {
    return new NodeLocator(parsed.file, parsed, doc, (doc.contents as YamlNode | null) ?? null);
  }

  /** A locator rooted at the node at `path` (or the nearest existing parent). */
  sub(path: JsonPath): NodeLocator {
    return new NodeLocator(this.file, this.parsed, this.doc, this.walk(path).node);
  }

  /** Position of the node at `path`, falling back to the nearest existing parent. */
  locate(path: JsonPath): SourcePosition {
    const w = this.walk(path);
    // `key:` with nothing after it: the key stands for its (empty) value.
    const empty = w.node === null || (isScalar(w.node) && w.node.range && w.node.range[0] === w.node.range[1]);
    if (w.complete && empty && w.key) return this.at(w.key.range?.[0]);
    return this.at(w.node?.range?.[0] ?? w.key?.range?.[0]);
  }

  /** Position of the key of the node at `path` (its value for a sequence item). */
  locateKey(path: JsonPath): SourcePosition {
    const w = this.walk(path);
    if (w.complete && w.key) return this.at(w.key.range?.[0]);
    return this.at(w.node?.range?.[0] ?? w.key?.range?.[0]);
  }

  /** The source text of the scalar at `path`, if there is one (e.g. `1.30` for a YAML float). */
  sourceText(path: JsonPath): string | undefined {
    const w = this.walk(path);
    if (!w.complete || !w.node || !isScalar(w.node) || !w.node.range) return undefined;
    return this.parsed.text.slice(w.node.range[0], w.node.range[1]);
  }

  private at(offset: number | undefined): SourcePosition {
    const { line, col } = this.parsed.lineCounter.linePos(offset ?? 0);
    return { file: this.file, line, col };
  }

  private walk(path: JsonPath): { node: YamlNode | null; key: YamlNode | null; complete: boolean } {
    let node: YamlNode | null = this.resolve(this.root);
    let key: YamlNode | null = null;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (node && isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyString(p.key) === String(seg));
        if (!pair) return { node, key, complete: false };
        key = (pair.key as YamlNode | null) ?? null;
        node = this.resolve((pair.value as YamlNode | null) ?? null);
        // `key:` with nothing after it has no value node; the key stands for it.
        if (node === null) return { node: null, key, complete: i === path.length - 1 };
      } else if (node && isSeq(node)) {
        const item = node.items[Number(seg)] as YamlNode | undefined;
        if (item === undefined || !/^\d+$/.test(String(seg))) return { node, key, complete: false };
        key = null;
        node = this.resolve(item ?? null);
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  }

  private resolve(node: YamlNode | null): YamlNode | null {
    if (node && isAlias(node)) return (node.resolve(this.doc) as YamlNode | undefined) ?? node;
    return node;
  }
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/** steps[2].at, apps["luksa/kubia*"].http[0] */
export function displayPath(path: JsonPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number' || /^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** ajv's instancePath (a JSON Pointer) as path segments. */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
