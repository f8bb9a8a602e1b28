// Split a command line into words the way a POSIX shell would (without expansions), because
// scenario authors paste commands from terminals, books and blogs:
//   patch svc kubia -p '{"spec":{"sessionAffinity":"None"}}'
// Rules (POSIX.1 "Shell Command Language" §2.2-2.3): single quotes keep everything literally;
// double quotes keep everything except \" \\ \$ \` and backslash-newline; an unquoted backslash
// escapes the next character and backslash-newline is a line continuation; `#` at the start of a
// word starts a comment. Expansions, pipes and redirections have no meaning in a scenario step, so
// they are errors rather than silently passed through.

import { KubectlParseError } from './errors.js';

const OPERATORS = new Set(['|', ';', '&', '<', '>', '`']);

export function tokenize(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const n = line.length;
  const fail = (what: string, hint: string): never => {
    throw new KubectlParseError(what, hint, line);
  };
  const expansion = (at: number): boolean => {
    const next = line[at + 1];
    return next !== undefined && /[A-Za-z_{(0-9@*#?$!-]/.test(next);
  };
  while (i < n) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) {
        words.push(cur);
        cur = '';
        inWord = false;
      }
      i++;
      continue;
    }
    if (c === '#' && !inWord) {
      // comment to end of line
      while (i < n && line[i] !== '\n') i++;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) fail('unterminated single quote in the command line', "close the quote: '...'");
      cur += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      inWord = true;
      i++;
      let closed = false;
      while (i < n) {
        const d = line[i];
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n) {
          const e = line[i + 1];
          if (e === '\n') {
            i += 2;
            continue;
          }
          if (e === '"' || e === '\\' || e === '$' || e === '`') {
            cur += e;
            i += 2;
            continue;
          }
          cur += d;
          i++;
          continue;
        }
        if ((d === '$' && expansion(i)) || d === '`') {
          fail(
            `shell expansion "${d === '`' ? '`' : line.slice(i, i + 2)}" is not supported in a kubectl step`,
            'write the value literally, or use single quotes to keep $ as a character',
          );
        }
        cur += d;
        i++;
      }
      if (!closed) fail('unterminated double quote in the command line', 'close the quote: "..."');
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= n) {
        // a trailing backslash escapes nothing; keep it, as sh does at end of input
        cur += c;
        inWord = true;
        i++;
        continue;
      }
      const e = line[i + 1];
      if (e === '\n') {
        i += 2;
        continue;
      }
      cur += e;
      inWord = true;
      i += 2;
      continue;
    }
    if (OPERATORS.has(c) || (c === '$' && expansion(i))) {
      const what = c === '$' ? line.slice(i, i + 2) : c;
      fail(
        `shell syntax "${what}" is not supported in a kubectl step: a step is one kubectl command`,
        c === '$'
          ? 'write the value literally (variables and $(...) are not expanded)'
          : 'split the pipeline into separate steps, or quote the character if it is part of a value',
      );
    }
    cur += c;
    inWord = true;
    i++;
  }
  if (inWord) words.push(cur);
  return words;
}
