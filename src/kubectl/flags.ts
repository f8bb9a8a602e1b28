// Flag parsing with the rules of spf13/pflag (flag.go parseLongArg/parseShortArg), which kubectl
// uses: `--name=value`, `--name value` (not for bool flags or flags with a NoOptDefVal), `-n value`,
// `-nvalue`, `-n=value`, grouped boolean shorthands (`-Ai`), `--` ends flags, and flags may be
// interspersed with positional arguments. Error texts are pflag's.

import { suggest } from './didyoumean.js';
import { KubectlParseError } from './errors.js';

export type FlagType = 'bool' | 'string' | 'int' | 'stringArray' | 'stringSlice';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  /** value used when the flag is given without `=value` (pflag NoOptDefVal); bool flags: 'true' */
  noOptDefault?: string;
  help: string;
}

/** A kubectl flag that exists upstream but that the simulator does not model, with the reason. */
export interface UnsupportedFlag {
  name: string;
  short?: string;
  reason: string;
}

export type FlagValue = string | number | boolean | string[];

export interface ParsedFlags {
  /** flag name -> typed value, only for flags that were given */
  values: Map<string, FlagValue>;
  /** positional arguments in order */
  args: string[];
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool */
export function parseGoBool(s: string): boolean | undefined {
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}

/** strconv.ParseInt(s, 0, 64) as pflag's IntVar uses it (decimal, 0x, 0o, 0b, optional sign, `_`). */
export function parseGoInt(s: string): number | undefined {
  if (!/^[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]*|[1-9][0-9_]*)$/.test(s)) return undefined;
  if (/__|_$|[xXbBoO]_|^[+-]?_/.test(s)) return undefined;
  const neg = s.startsWith('-');
  const body = s.replace(/^[+-]/, '').replace(/_/g, '');
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) v = parseInt(body.slice(2), 8);
  else if (body.length > 1 && body.startsWith('0')) v = parseInt(body.slice(1), 8);
  else v = parseInt(body, 10);
  if (!Number.isSafeInteger(v)) return undefined;
  return neg ? -v : v;
}

function flagTitle(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
}

/** `--grace-period int`, for "supported flags" lists. */
export function describeFlag(spec: FlagSpec): string {
  const arg = spec.type === 'bool' ? '' : spec.type === 'int' ? ' int' : spec.noOptDefault !== undefined ? '[=value]' : ' string';
  return `${flagTitle(spec)}${arg}`;
}

export interface FlagContext {
  /** e.g. 'delete' or 'create configmap', for messages; '' for kubectl's global flags */
  command: string;
  flags: readonly FlagSpec[];
  unsupported?: readonly UnsupportedFlag[];
  commandLine?: string;
}

function supportedList(ctx: FlagContext): string {
  return `supported ${ctx.command ? `flags for ${ctx.command}` : 'global flags'}: ${ctx.flags.map(describeFlag).join(', ')}`;
}

function unknownFlag(ctx: FlagContext, shown: string, name: string, isShort: boolean): never {
  const unsupported = ctx.unsupported?.find((u) => (isShort ? u.short === name : u.name === name));
  if (unsupported) {
    throw new KubectlParseError(
      `flag ${shown} of kubectl${ctx.command ? ` ${ctx.command}` : ''} is not supported by the simulator: ${unsupported.reason}`,
      supportedList(ctx),
      ctx.commandLine,
    );
  }
  const message = isShort ? `unknown shorthand flag: '${name}' in ${shown}` : `unknown flag: ${shown}`;
  const near = isShort ? [] : suggest(name, ctx.flags.map((f) => f.name)).map((s) => `--${s}`);
  const hint =
    (near.length > 0 ? `did you mean ${near.slice(0, 3).join(' or ')}? ` : '') +
    supportedList(ctx);
  throw new KubectlParseError(message, hint, ctx.commandLine);
}

function convert(ctx: FlagContext, spec: FlagSpec, raw: string, prev: FlagValue | undefined): FlagValue {
  const invalid = (why: string): never => {
    throw new KubectlParseError(
      `invalid argument "${raw}" for "${flagTitle(spec)}" flag: ${why}`,
      `${describeFlag(spec)}: ${spec.help}`,
      ctx.commandLine,
    );
  };
  switch (spec.type) {
    case 'bool': {
      const b = parseGoBool(raw);
      if (b === undefined) return invalid(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
      return b;
    }
    case 'int': {
      const v = parseGoInt(raw);
      if (v === undefined) return invalid(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
      return v;
    }
    case 'string':
      return raw;
    case 'stringArray':
      return [...((prev as string[] | undefined) ?? []), raw];
    case 'stringSlice': {
      // pflag's StringSlice reads its value as one CSV record
      const parts = raw === '' ? [] : raw.split(',');
      return [...((prev as string[] | undefined) ?? []), ...parts];
    }
  }
}

export function parseFlags(words: readonly string[], ctx: FlagContext): ParsedFlags {
  const values = new Map<string, FlagValue>();
  const args: string[] = [];
  const set = (spec: FlagSpec, raw: string) => values.set(spec.name, convert(ctx, spec, raw, values.get(spec.name)));
  const needsArg = (shown: string): never => {
    throw new KubectlParseError(
      `flag needs an argument: ${shown}`,
      `write ${shown}=VALUE or ${shown} VALUE`,
      ctx.commandLine,
    );
  };
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (w === '--') {
      args.push(...words.slice(i + 1));
      break;
    }
    if (w.startsWith('--') && w.length > 2) {
      const body = w.slice(2);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const spec = ctx.flags.find((f) => f.name === name);
      if (!spec) unknownFlag(ctx, `--${name}`, name, false);
      if (eq >= 0) set(spec!, body.slice(eq + 1));
      else if (spec!.type === 'bool') set(spec!, spec!.noOptDefault ?? 'true');
      else if (spec!.noOptDefault !== undefined) set(spec!, spec!.noOptDefault);
      else if (i + 1 < words.length) {
        i++;
        set(spec!, words[i]);
      } else needsArg(`--${name}`);
      i++;
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      // one or more shorthands: -A, -Ai, -nfoo, -n=foo, -n foo
      let j = 1;
      while (j < w.length) {
        const ch = w[j];
        const spec = ctx.flags.find((f) => f.short === ch);
        if (!spec) unknownFlag(ctx, w, ch, true);
        const rest = w.slice(j + 1);
        if (spec!.type === 'bool' || spec!.noOptDefault !== undefined) {
          if (rest.startsWith('=')) {
            set(spec!, rest.slice(1));
            break;
          }
          set(spec!, spec!.noOptDefault ?? 'true');
          j++;
          continue;
        }
        if (rest.length > 0) {
          set(spec!, rest.startsWith('=') ? rest.slice(1) : rest);
        } else if (i + 1 < words.length) {
          i++;
          set(spec!, words[i]);
        } else {
          needsArg(`'${ch}' in -${ch}`);
        }
        break;
      }
      i++;
      continue;
    }
    args.push(w);
    i++;
  }
  return { values, args };
}

/** Typed accessors; `undefined` when the flag was not given. */
export function flagString(p: ParsedFlags, name: string): string | undefined {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
}
export function flagBool(p: ParsedFlags, name: string): boolean | undefined {
  const v = p.values.get(name);
  return typeof v === 'boolean' ? v : undefined;
}
export function flagInt(p: ParsedFlags, name: string): number | undefined {
  const v = p.values.get(name);
  return typeof v === 'number' ? v : undefined;
}
export function flagList(p: ParsedFlags, name: string): string[] | undefined {
  const v = p.values.get(name);
  return Array.isArray(v) ? v : undefined;
}
