// A parser for the POSIX shell language as busybox `sh` (ash) reads it, limited to what container
// commands and probes use: words with quoting and $-expansions, $(...) and `...`, $((...)),
// pipelines, ! , && , || , ; , newlines, redirections, if/while/until/for/case, { } and ( ).
// Not parsed (a syntax error that names them): here-documents and background jobs (&).

export type Part =
  | { t: 'lit'; s: string; q: boolean }
  /** $name, ${name}, ${name<op>arg}; `op` '#len' is ${#name} */
  | { t: 'param'; name: string; q: boolean; op?: string; arg?: Part[] }
  | { t: 'cmdsub'; list: List; q: boolean }
  | { t: 'arith'; expr: string; q: boolean };

export interface Word {
  parts: Part[];
}

export interface Redir {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&';
  target: Word;
}

export type Command =
  | { type: 'simple'; assigns: Array<{ name: string; value: Word }>; words: Word[]; redirs: Redir[] }
  | { type: 'if'; clauses: Array<{ cond: List; body: List }>; otherwise?: List; redirs: Redir[] }
  | { type: 'loop'; until: boolean; cond: List; body: List; redirs: Redir[] }
  | { type: 'for'; name: string; items?: Word[]; body: List; redirs: Redir[] }
  | { type: 'case'; word: Word; items: Array<{ patterns: Word[]; body: List }>; redirs: Redir[] }
  | { type: 'group'; subshell: boolean; body: List; redirs: Redir[] };

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
}

export type List = AndOr[];

/** busybox wording: "syntax error: unexpected ..." */
export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(`syntax error: ${message}`);
    this.name = 'ShellSyntaxError';
  }
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'while', 'until', 'do', 'done', 'for', 'in', 'case', 'esac', '{', '}', '!']);
/** words that end a list inside a compound command */
const LIST_END = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}']);
const META = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export function parseScript(src: string): List {
  const p = new Parser(src);
  const list = p.parseList();
  p.skipSpace(true);
  if (!p.eof()) throw new ShellSyntaxError(`unexpected ${p.describeNext()}`);
  return list;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  eof(): boolean {
    return this.pos >= this.src.length;
  }

  private peek(n = 0): string {
    return this.src[this.pos + n] ?? '';
  }

  private startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  describeNext(): string {
    if (this.eof()) return 'end of file';
    const m = /^(&&|\|\||;;|[;&|()<>]|\n)/.exec(this.src.slice(this.pos));
    if (m) return m[1] === '\n' ? 'newline' : `"${m[1]}"`;
    const w = /^[^\s;&|()<>]+/.exec(this.src.slice(this.pos));
    return `"${w ? w[0] : this.peek()}"`;
  }

  /** blanks, comments and line continuations; newlines too when `newlines` */
  skipSpace(newlines = false): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || (newlines && c === '\n')) this.pos++;
      else if (c === '\\' && this.peek(1) === '\n') this.pos += 2;
      else if (c === '#') {
        while (!this.eof() && this.peek() !== '\n') this.pos++;
      } else return;
    }
  }

  /** the reserved word at the cursor, if the next word is one */
  private peekReserved(): string | undefined {
    const m = /^[^\s;&|()<>'"\\$`]+/.exec(this.src.slice(this.pos));
    if (!m || !RESERVED.has(m[0])) return undefined;
    const after = this.src[this.pos + m[0].length];
    return after === undefined || META.has(after) ? m[0] : undefined;
  }

  private expectReserved(word: string, open: string): void {
    this.skipSpace(true);
    if (this.peekReserved() !== word) {
      if (this.eof()) throw new ShellSyntaxError(`unexpected end of file (expecting "${word}")`);
      throw new ShellSyntaxError(`unexpected ${this.describeNext()} (expecting "${word}" to close "${open}")`);
    }
    this.pos += word.length;
  }

  /** `required`: a compound command's part, where ash rejects an empty list */
  parseList(required = false): List {
    const list: List = [];
    for (;;) {
      this.skipSpace(true);
      if (this.eof() || this.peek() === ')' || this.startsWith(';;')) break;
      const r = this.peekReserved();
      if (r && LIST_END.has(r)) break;
      list.push(this.parseAndOr());
      this.skipSpace();
      if (this.startsWith(';;')) break;
      if (this.peek() === ';' || this.peek() === '\n') this.pos++;
      else if (this.peek() === '&' && this.peek(1) !== '&') {
        throw new ShellSyntaxError('background jobs ("&") are not modelled by kuberehearse; run the command in the foreground');
      } else break;
    }
    if (required && list.length === 0) throw new ShellSyntaxError(`unexpected ${this.describeNext()}`);
    return list;
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      this.skipSpace();
      const op = this.startsWith('&&') ? '&&' : this.startsWith('||') ? '||' : undefined;
      if (!op) return { first, rest };
      this.pos += 2;
      this.skipSpace(true);
      rest.push({ op, pipeline: this.parsePipeline() });
    }
  }

  private parsePipeline(): Pipeline {
    this.skipSpace();
    let negate = false;
    if (this.peekReserved() === '!') {
      this.pos++;
      negate = true;
      this.skipSpace();
    }
    const commands = [this.parseCommand()];
    for (;;) {
      this.skipSpace();
      if (this.peek() !== '|' || this.peek(1) === '|') return { negate, commands };
      this.pos++;
      this.skipSpace(true);
      commands.push(this.parseCommand());
    }
  }

  private parseCommand(): Command {
    this.skipSpace();
    const r = this.peekReserved();
    let cmd: Command;
    if (r === 'if') cmd = this.parseIf();
    else if (r === 'while' || r === 'until') cmd = this.parseLoop(r);
    else if (r === 'for') cmd = this.parseFor();
    else if (r === 'case') cmd = this.parseCase();
    else if (r === '{') {
      this.pos++;
      const body = this.parseList(true);
      this.expectReserved('}', '{');
      cmd = { type: 'group', subshell: false, body, redirs: [] };
    } else if (this.peek() === '(') {
      this.pos++;
      const body = this.parseList();
      this.skipSpace(true);
      if (this.peek() !== ')') throw new ShellSyntaxError(`unexpected ${this.describeNext()} (expecting ")")`);
      this.pos++;
      cmd = { type: 'group', subshell: true, body, redirs: [] };
    } else if (r && r !== '!') {
      throw new ShellSyntaxError(`unexpected "${r}"`);
    } else return this.parseSimple();
    // redirections after a compound command apply to all of it
    for (;;) {
      this.skipSpace();
      const redir = this.tryRedir();
      if (!redir) return cmd;
      cmd.redirs.push(redir);
    }
  }

  private parseIf(): Command {
    this.pos += 2;
    const clauses: Array<{ cond: List; body: List }> = [];
    let otherwise: List | undefined;
    let keyword = 'if';
    for (;;) {
      const cond = this.parseList(true);
      this.expectReserved('then', keyword);
      const body = this.parseList(true);
      clauses.push({ cond, body });
      this.skipSpace(true);
      const r = this.peekReserved();
      if (r === 'elif') {
        this.pos += 4;
        keyword = 'elif';
        continue;
      }
      if (r === 'else') {
        this.pos += 4;
        otherwise = this.parseList(true);
      }
      this.expectReserved('fi', 'if');
      return { type: 'if', clauses, otherwise, redirs: [] };
    }
  }

  private parseLoop(kind: 'while' | 'until'): Command {
    this.pos += kind.length;
    const cond = this.parseList(true);
    this.expectReserved('do', kind);
    const body = this.parseList(true);
    this.expectReserved('done', 'do');
    return { type: 'loop', until: kind === 'until', cond, body, redirs: [] };
  }

  private parseFor(): Command {
    this.pos += 3;
    this.skipSpace();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
    if (!m) throw new ShellSyntaxError(`bad for loop variable ${this.describeNext()}`);
    this.pos += m[0].length;
    this.skipSpace(true);
    let items: Word[] | undefined;
    if (this.peekReserved() === 'in') {
      this.pos += 2;
      items = [];
      for (;;) {
        this.skipSpace();
        if (this.eof() || this.peek() === ';' || this.peek() === '\n') break;
        items.push(this.readWord());
      }
    }
    this.skipSpace();
    if (this.peek() === ';') this.pos++;
    this.expectReserved('do', 'for');
    const body = this.parseList(true);
    this.expectReserved('done', 'do');
    return { type: 'for', name: m[0], items, body, redirs: [] };
  }

  private parseCase(): Command {
    this.pos += 4;
    this.skipSpace();
    const word = this.readWord();
    this.expectReserved('in', 'case');
    const items: Array<{ patterns: Word[]; body: List }> = [];
    for (;;) {
      this.skipSpace(true);
      if (this.peekReserved() === 'esac') {
        this.pos += 4;
        return { type: 'case', word, items, redirs: [] };
      }
      if (this.eof()) throw new ShellSyntaxError('unexpected end of file (expecting "esac")');
      if (this.peek() === '(') this.pos++;
      const patterns: Word[] = [];
      for (;;) {
        this.skipSpace();
        patterns.push(this.readWord());
        this.skipSpace();
        if (this.peek() === '|') this.pos++;
        else break;
      }
      if (this.peek() !== ')') throw new ShellSyntaxError(`unexpected ${this.describeNext()} (expecting ")")`);
      this.pos++;
      const body = this.parseList();
      this.skipSpace(true);
      if (this.startsWith(';;')) this.pos += 2;
      items.push({ patterns, body });
    }
  }

  private parseSimple(): Command {
    const cmd: Extract<Command, { type: 'simple' }> = { type: 'simple', assigns: [], words: [], redirs: [] };
    for (;;) {
      this.skipSpace();
      const redir = this.tryRedir();
      if (redir) {
        cmd.redirs.push(redir);
        continue;
      }
      const c = this.peek();
      if (this.eof() || META.has(c)) break;
      const word = this.readWord();
      const first = word.parts[0];
      const assign = cmd.words.length === 0 && first?.t === 'lit' && !first.q ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.s) : null;
      if (assign && first.t === 'lit') {
        const rest = first.s.slice(assign[0].length);
        const parts: Part[] = rest ? [{ t: 'lit', s: rest, q: false }, ...word.parts.slice(1)] : word.parts.slice(1);
        cmd.assigns.push({ name: assign[1], value: { parts } });
      } else cmd.words.push(word);
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirs.length === 0) {
      throw new ShellSyntaxError(`unexpected ${this.describeNext()}`);
    }
    return cmd;
  }

  private tryRedir(): Redir | undefined {
    const m = /^(\d*)(>>|>&|>\||<&|<<|>|<)/.exec(this.src.slice(this.pos));
    if (!m) return undefined;
    if (m[2] === '<<') throw new ShellSyntaxError('here-documents ("<<") are not modelled by kuberehearse; use echo or printf');
    this.pos += m[0].length;
    const op = (m[2] === '>|' ? '>' : m[2]) as Redir['op'];
    const fd = m[1] ? Number(m[1]) : op.startsWith('<') ? 0 : 1;
    this.skipSpace();
    if (this.eof() || META.has(this.peek())) throw new ShellSyntaxError(`unexpected ${this.describeNext()}`);
    return { fd, op, target: this.readWord() };
  }

  /** a word up to the next unquoted metacharacter */
  private readWord(): Word {
    const parts = this.readParts((c) => META.has(c));
    if (parts.length === 0) throw new ShellSyntaxError(`unexpected ${this.describeNext()}`);
    return { parts };
  }

  private readParts(stop: (c: string) => boolean): Part[] {
    const parts: Part[] = [];
    const lit = (s: string, q: boolean) => {
      const last = parts[parts.length - 1];
      if (last?.t === 'lit' && last.q === q) last.s += s;
      else parts.push({ t: 'lit', s, q });
    };
    while (!this.eof()) {
      const c = this.peek();
      if (stop(c)) break;
      if (c === '\\') {
        if (this.peek(1) === '\n') this.pos += 2;
        else {
          lit(this.peek(1), true);
          this.pos += 2;
        }
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
        lit(this.src.slice(this.pos + 1, end), true);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        lit('', true); // "" is an empty field, not nothing
        this.readDouble(parts, lit);
      } else if (c === '$') {
        this.readDollar(parts, lit, false);
      } else if (c === '`') {
        parts.push({ t: 'cmdsub', list: this.readBackquote(), q: false });
      } else {
        lit(c, false);
        this.pos++;
      }
    }
    return parts;
  }

  private readDouble(parts: Part[], lit: (s: string, q: boolean) => void): void {
    for (;;) {
      if (this.eof()) throw new ShellSyntaxError('unterminated quoted string');
      const c = this.peek();
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\') {
        const n = this.peek(1);
        if (n === '\n') this.pos += 2;
        else if ('$`"\\'.includes(n) && n !== '') {
          lit(n, true);
          this.pos += 2;
        } else {
          lit('\\', true);
          this.pos++;
        }
      } else if (c === '$') this.readDollar(parts, lit, true);
      else if (c === '`') parts.push({ t: 'cmdsub', list: this.readBackquote(), q: true });
      else {
        lit(c, true);
        this.pos++;
      }
    }
  }

  private readDollar(parts: Part[], lit: (s: string, q: boolean) => void, q: boolean): void {
    const n = this.peek(1);
    if (n === '{') {
      this.pos += 2;
      parts.push(this.readBraced(q));
    } else if (n === '(' && this.peek(2) === '(') {
      this.pos += 3;
      const start = this.pos;
      let depth = 0;
      while (!this.eof() && !(depth === 0 && this.startsWith('))'))) {
        if (this.peek() === '(') depth++;
        else if (this.peek() === ')') depth--;
        this.pos++;
      }
      if (this.eof()) throw new ShellSyntaxError('unexpected end of file (expecting "))")');
      parts.push({ t: 'arith', expr: this.src.slice(start, this.pos), q });
      this.pos += 2;
    } else if (n === '(') {
      this.pos += 2;
      const list = this.parseList();
      this.skipSpace(true);
      if (this.peek() !== ')') throw new ShellSyntaxError(`unexpected ${this.describeNext()} (expecting ")")`);
      this.pos++;
      parts.push({ t: 'cmdsub', list, q });
    } else if (NAME_START.test(n)) {
      let end = this.pos + 1;
      while (end < this.src.length && NAME_CHAR.test(this.src[end])) end++;
      parts.push({ t: 'param', name: this.src.slice(this.pos + 1, end), q });
      this.pos = end;
    } else if (n !== '' && '0123456789?$#@*!-'.includes(n)) {
      parts.push({ t: 'param', name: n, q });
      this.pos += 2;
    } else {
      lit('$', q);
      this.pos++;
    }
  }

  private readBraced(q: boolean): Part {
    if (this.peek() === '#' && this.peek(1) !== '}') {
      this.pos++;
      const name = this.readParamName();
      this.expectBrace();
      return { t: 'param', name, q, op: '#len' };
    }
    const name = this.readParamName();
    if (this.peek() === '}') {
      this.pos++;
      return { t: 'param', name, q };
    }
    const m = /^(:-|:=|:\+|:\?|-|=|\+|\?|##|#|%%|%)/.exec(this.src.slice(this.pos));
    if (!m) throw new ShellSyntaxError(`bad substitution`);
    this.pos += m[0].length;
    // the word after the operator keeps the outer quoting and ends at the closing brace
    const arg = this.readParts((c) => c === '}');
    if (q) for (const p of arg) p.q = true;
    this.expectBrace();
    return { t: 'param', name, q, op: m[0], arg };
  }

  private readParamName(): string {
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!-])/.exec(this.src.slice(this.pos));
    if (!m) throw new ShellSyntaxError('bad substitution');
    this.pos += m[0].length;
    return m[0];
  }

  private expectBrace(): void {
    if (this.peek() !== '}') throw new ShellSyntaxError('bad substitution');
    this.pos++;
  }

  private readBackquote(): List {
    this.pos++;
    let inner = '';
    for (;;) {
      if (this.eof()) throw new ShellSyntaxError('unterminated quoted string');
      const c = this.peek();
      if (c === '`') break;
      if (c === '\\' && '`\\$'.includes(this.peek(1)) && this.peek(1) !== '') {
        inner += this.peek(1);
        this.pos += 2;
      } else {
        inner += c;
        this.pos++;
      }
    }
    this.pos++;
    return parseScript(inner);
  }
}
