// $(VAR) expansion: third_party/forked/golang/expansion/expand.go (Expand, MappingFuncFor,
// tryReadVariableName). Used for env values, command/args and subPathExpr.
//
// Rules (all from upstream, none invented here): `$$` is an escaped `$`; `$(NAME)` is replaced by
// the first context holding NAME, or kept verbatim when no context has it; `$(` without a closing
// `)` is kept; `$` followed by anything else, or at the very end, is kept. There is no recursion:
// a referenced value is inserted as-is even when it contains `$(...)` itself.

export type Mapping = (name: string) => string;
export type Context = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

const OPERATOR = '$';
const OPENER = '(';
const CLOSER = ')';

function lookup(ctx: Context, name: string): string | undefined {
  if (ctx instanceof Map) return ctx.get(name);
  const rec = ctx as Readonly<Record<string, string>>;
  return Object.prototype.hasOwnProperty.call(rec, name) ? rec[name] : undefined;
}

/** MappingFuncFor: the first context containing the name wins; otherwise `$(name)` unchanged. */
export function mappingFuncFor(...contexts: Context[]): Mapping {
  return (name) => {
    for (const ctx of contexts) {
      const v = lookup(ctx, name);
      if (v !== undefined) return v;
    }
    return `${OPERATOR}${OPENER}${name}${CLOSER}`;
  };
}

/** tryReadVariableName: [text to emit or the name, isVar, characters consumed after the `$`]. */
function tryReadVariableName(rest: string): [string, boolean, number] {
  switch (rest[0]) {
    case OPERATOR:
      return [OPERATOR, false, 1];
    case OPENER:
      for (let i = 1; i < rest.length; i++) {
        if (rest[i] === CLOSER) return [rest.slice(1, i), true, i + 1];
      }
      // Incomplete reference: emit `$(` and rescan after the `(`, so later `$(x)` still expand.
      return [OPERATOR + OPENER, false, 1];
    default:
      return [OPERATOR + rest[0], false, 1];
  }
}

/** Expand. */
export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] === OPERATOR && cursor + 1 < input.length) {
      out += input.slice(checkpoint, cursor);
      const [read, isVar, advance] = tryReadVariableName(input.slice(cursor + 1));
      out += isVar ? mapping(read) : read;
      cursor += advance;
      checkpoint = cursor + 1;
    }
  }
  return out + input.slice(checkpoint);
}
