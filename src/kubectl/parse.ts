// `kubectl: <command line>` steps -> Action. The command line is split like a shell would, the verb
// is looked up in the verb table (verbs.ts), its flags are parsed with pflag's rules (flags.ts),
// and the verb's builder applies kubectl's own validation and defaults. Every error is a
// KubectlParseError with kubectl's message where kubectl has one, and a hint.

import { didYouMean } from './didyoumean.js';
import { KubectlParseError } from './errors.js';
import { parseFlags, type FlagSpec } from './flags.js';
import type { ResourceResolver } from './targets.js';
import { tokenize } from './tokenize.js';
import type { Action } from './types.js';
import { GLOBAL_FLAGS, GLOBAL_UNSUPPORTED, VERBS, findVerb, supportedVerbNames, type VerbDef } from './verbs.js';

export { KubectlParseError } from './errors.js';
export { tokenize } from './tokenize.js';

export interface ParseOptions {
  /** Resolve resource words; defaults to the built-in table. Pass one that also knows CRDs. */
  resolveResource?: ResourceResolver;
}

function supportedHint(): string {
  const s = supportedVerbNames();
  return `supported verbs: ${s.join(', ')}`;
}

/** Whether a flag token consumes the next word as its value (pflag rules). */
function takesNextWord(token: string, flags: readonly FlagSpec[]): boolean {
  if (token.startsWith('--')) {
    if (token.includes('=')) return false;
    const spec = flags.find((f) => f.name === token.slice(2));
    return !!spec && spec.type !== 'bool' && spec.noOptDefault === undefined;
  }
  if (token.startsWith('-') && token.length === 2) {
    const spec = flags.find((f) => f.short === token[1]);
    return !!spec && spec.type !== 'bool' && spec.noOptDefault === undefined;
  }
  return false;
}

/** Index of the first positional word, skipping flags and their values. */
function firstPositional(words: readonly string[], from: number, flags: readonly FlagSpec[]): number {
  let i = from;
  while (i < words.length) {
    const w = words[i];
    if (w === '--') return i + 1 < words.length ? i + 1 : -1;
    if (w.startsWith('-') && w.length > 1) {
      i += takesNextWord(w, flags) ? 2 : 1;
      continue;
    }
    return i;
  }
  return -1;
}

function notAvailable(verb: VerbDef, path: string, line: string): never {
  switch (verb.status) {
    case 'planned':
      throw new KubectlParseError(`kubectl ${path} is not supported yet`, `${supportedHint()} (usage of ${path}: ${verb.usage})`, line);
    case 'readonly':
      throw new KubectlParseError(`kubectl ${path} is not a step: ${verb.note}`, supportedHint(), line);
    default:
      throw new KubectlParseError(`kubectl ${path} is not supported: ${verb.note}`, supportedHint(), line);
  }
}

export function parseKubectl(commandLine: string, options: ParseOptions = {}): Action {
  const line = commandLine;
  try {
    return parseWords(tokenize(line), line, options);
  } catch (e) {
    if (e instanceof KubectlParseError && e.commandLine === undefined) throw new KubectlParseError(e.message, e.hint, line);
    throw e;
  }
}

function parseWords(all: string[], line: string, options: ParseOptions): Action {
  const words = all[0] === 'kubectl' ? all.slice(1) : all;
  if (words.length === 0) throw new KubectlParseError('empty kubectl command', `write a verb and its arguments; ${supportedHint()}`, line);

  // Before the verb only global flags can be told apart; anything else is reported against them.
  for (let i = 0; i < words.length && words[i].startsWith('-') && words[i] !== '--'; i++) {
    const w = words[i];
    const name = w.startsWith('--') ? w.slice(2).split('=')[0] : w.slice(1, 2);
    const known = GLOBAL_FLAGS.some((f) => (w.startsWith('--') ? f.name === name : f.short === name));
    if (!known) parseFlags([w], { command: '', flags: GLOBAL_FLAGS, unsupported: GLOBAL_UNSUPPORTED, commandLine: line });
    if (takesNextWord(w, GLOBAL_FLAGS)) i++;
  }
  const verbAt = firstPositional(words, 0, GLOBAL_FLAGS);
  if (verbAt < 0) throw new KubectlParseError('no kubectl verb in the command', supportedHint(), line);
  const verbWord = words[verbAt];
  const verb = findVerb(verbWord);
  if (!verb) {
    const near = didYouMean(verbWord, VERBS.map((v) => v.name));
    throw new KubectlParseError(`unknown command "${verbWord}" for "kubectl"`, `${near ? `${near} ` : ''}${supportedHint()}`, line);
  }
  if (verb.status !== 'supported') {
    const subAt = firstPositional(words, verbAt + 1, GLOBAL_FLAGS);
    const sub = subAt >= 0 ? verb.subcommands?.find((s) => s.name === words[subAt]) : undefined;
    notAvailable(sub ?? verb, sub ? `${verb.name} ${sub.name}` : verb.name, line);
  }

  const flags = [...(verb.flags ?? []), ...GLOBAL_FLAGS];
  const rest = [...words.slice(0, verbAt), ...words.slice(verbAt + 1)];

  if (verb.subcommands && verb.subcommands.length > 0) {
    const subAt = firstPositional(rest, 0, flags);
    if (subAt >= 0) {
      const subWord = rest[subAt];
      const sub = verb.subcommands.find((s) => s.name === subWord);
      if (sub) {
        if (sub.status !== 'supported' || !sub.build) notAvailable(sub, `${verb.name} ${sub.name}`, line);
      } else {
        const near = didYouMean(subWord, verb.subcommands.map((s) => s.name));
        throw new KubectlParseError(
          `unknown command "${subWord}" for "kubectl ${verb.name}"`,
          `${near ? `${near} ` : ''}usage: ${verb.usage}`,
          line,
        );
      }
    }
  }

  const parsed = parseFlags(rest, {
    command: verb.name,
    flags,
    unsupported: [...(verb.unsupportedFlags ?? []), ...GLOBAL_UNSUPPORTED],
    commandLine: line,
  });
  return verb.build!(parsed, { commandLine: line, resolve: options.resolveResource });
}
