// Label selectors, translated from staging/src/k8s.io/apimachinery/pkg/labels/selector.go
// (Requirement, internalSelector, Lexer, Parser) and LabelSelectorAsSelector from
// staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go.

import type { LabelSelector } from './types.js';
import { isQualifiedName, isValidLabelValue } from './validation.js';

/** selection.Operator values, spelled as upstream's string constants. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** As given (parsed selectors: sorted and de-duplicated, like upstream's sets.String.List()). */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>>;

export interface Selector {
  matches(labels: Labels | undefined | null): boolean;
  /** True for Everything (no requirements): does not restrict the selection. */
  empty(): boolean;
  /** True only for the Nothing selector (labels.MatchesNothing). */
  isNothing(): boolean;
  /** Canonical form, as upstream's String(): requirements sorted by key, multi-values sorted. */
  toString(): string;
  requirements(): readonly Requirement[];
  /** `k=v`, `k==v` and single-value `k in (v)` requirements: keys a label index can look up. */
  equalityPairs(): [string, string][];
  /** Selector.RequiresExactMatch: the one value the first requirement on `label` demands. */
  requiresExactMatch(label: string): string | undefined;
}

const SELECTOR_SYNTAX_HINT =
  'expected comma-separated requirements such as "app=web", "tier!=db", "env in (prod,staging)", ' +
  '"env notin (dev)", "release" (exists), "!canary" (does not exist), "replicas>1", "replicas<5"';

export class SelectorError extends Error {
  /** Upstream's own message, without the selector text and hint. */
  readonly detail: string;
  constructor(detail: string, selector?: string) {
    super(
      selector === undefined
        ? `invalid label selector: ${detail}`
        : `invalid label selector ${JSON.stringify(selector)}: ${detail}; ${SELECTOR_SYNTAX_HINT}`,
    );
    this.name = 'SelectorError';
    this.detail = detail;
  }
}

function hasLabel(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range. */
function parseInt64(s: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v;
}

const VALID_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt', 'exists', '!'];

/**
 * NewRequirement: validates key (qualified name), value count per operator, integer values for
 * gt/lt, and each value as a label value. All problems are reported together, as upstream aggregates them.
 */
export function newRequirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(`key: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  const shown = `[${values.map((v) => JSON.stringify(v)).join(',')}]`;
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(`values: Invalid value: ${shown}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(`values: Invalid value: ${shown}: exact-match compatibility requires one single value`);
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(`values: Invalid value: ${shown}: values set must be empty for exists and does not exist`);
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(`values: Invalid value: ${shown}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (parseInt64(v) === null) errs.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
    default:
      errs.push(`operator: Unsupported value: ${JSON.stringify(operator)}: supported values: ${VALID_OPERATORS.map((o) => `"${o}"`).join(', ')}`);
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0) errs.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${valueErrs.join('; ')}`);
  });
  if (errs.length > 0) throw new SelectorError(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  return { key, operator, values: [...values] };
}

/** Requirement.Matches */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return hasLabel(labels, r.key) && r.values.includes(labels[r.key]);
    case 'notin':
    case '!=':
      // Absent key satisfies a negative requirement (upstream semantics).
      return !hasLabel(labels, r.key) || !r.values.includes(labels[r.key]);
    case 'exists':
      return hasLabel(labels, r.key);
    case '!':
      return !hasLabel(labels, r.key);
    case 'gt':
    case 'lt': {
      if (!hasLabel(labels, r.key)) return false;
      const actual = parseInt64(labels[r.key]);
      if (actual === null || r.values.length !== 1) return false;
      const bound = parseInt64(r.values[0]);
      if (bound === null) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

function sortedStrings(values: readonly string[]): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Requirement.String */
export function requirementToString(r: Requirement): string {
  let out = r.operator === '!' ? '!' : '';
  out += r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return out;
    case 'in':
      out += ' in ';
      break;
    case 'notin':
      out += ' notin ';
      break;
    case 'gt':
      out += '>';
      break;
    case 'lt':
      out += '<';
      break;
    default:
      out += r.operator;
  }
  const setBased = r.operator === 'in' || r.operator === 'notin';
  const vals = r.values.length === 1 ? r.values[0] : sortedStrings(r.values).join(',');
  return setBased ? `${out}(${vals})` : out + vals;
}

function byKey(a: Requirement, b: Requirement): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

class RequirementsSelector implements Selector {
  private readonly reqs: readonly Requirement[];
  constructor(reqs: readonly Requirement[]) {
    // Sorted by key, as upstream's parse/Add do, so toString is deterministic.
    this.reqs = [...reqs].sort(byKey);
  }
  matches(labels: Labels | undefined | null): boolean {
    const ls = labels ?? {};
    return this.reqs.every((r) => requirementMatches(r, ls));
  }
  empty(): boolean {
    return this.reqs.length === 0;
  }
  isNothing(): boolean {
    return false;
  }
  toString(): string {
    return this.reqs.map(requirementToString).join(',');
  }
  requirements(): readonly Requirement[] {
    return this.reqs;
  }
  equalityPairs(): [string, string][] {
    const out: [string, string][] = [];
    for (const r of this.reqs) {
      if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) {
        out.push([r.key, r.values[0]]);
      }
    }
    return out;
  }
  requiresExactMatch(label: string): string | undefined {
    const r = this.reqs.find((x) => x.key === label);
    if (!r) return undefined;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
}

class NothingSelector implements Selector {
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  isNothing(): boolean {
    return true;
  }
  toString(): string {
    return '';
  }
  requirements(): readonly Requirement[] {
    return [];
  }
  equalityPairs(): [string, string][] {
    return [];
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
}

const EVERYTHING: Selector = new RequirementsSelector([]);
const NOTHING: Selector = new NothingSelector();

/** labels.Everything(): matches all label sets. */
export function everything(): Selector {
  return EVERYTHING;
}

/** labels.Nothing(): matches no label set (a nil metav1.LabelSelector). */
export function nothing(): Selector {
  return NOTHING;
}

/** A selector from already-validated requirements (ANDed). */
export function selectorFromRequirements(reqs: readonly Requirement[]): Selector {
  return reqs.length === 0 ? EVERYTHING : new RequirementsSelector(reqs);
}

// ---------------------------------------------------------------------------------------------
// Lexer and parser (selector.go Lexer / Parser), kept token-for-token so errors match upstream.

enum Tok {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const STRING_TO_TOKEN: ReadonlyMap<string, Tok> = new Map([
  [')', Tok.ClosedPar],
  [',', Tok.Comma],
  ['!', Tok.DoesNotExist],
  ['==', Tok.DoubleEquals],
  ['=', Tok.Equals],
  ['>', Tok.GreaterThan],
  ['in', Tok.In],
  ['<', Tok.LessThan],
  ['!=', Tok.NotEquals],
  ['notin', Tok.NotIn],
  ['(', Tok.OpenPar],
]);

interface Item {
  tok: Tok;
  lit: string;
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

class Lexer {
  private pos = 0;
  constructor(private readonly s: string) {}

  /** '' stands for Go's 0 byte: end of input. */
  private read(): string {
    if (this.pos < this.s.length) return this.s[this.pos++];
    // Go's read() does not advance at the end, yet unread() still steps back; mirror both.
    this.pos++;
    return '';
  }
  private unread(): void {
    this.pos--;
  }

  private scanIDOrKeyword(): Item {
    let buf = '';
    for (;;) {
      const ch = this.read();
      if (ch === '') {
        this.unread();
        break;
      }
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buf += ch;
    }
    const tok = STRING_TO_TOKEN.get(buf);
    return tok !== undefined ? { tok, lit: buf } : { tok: Tok.Identifier, lit: buf };
  }

  private scanSpecialSymbol(): Item {
    let last: Item | null = null;
    let buf = '';
    for (;;) {
      const ch = this.read();
      if (ch === '') {
        this.unread();
        break;
      }
      if (isSpecialSymbol(ch)) {
        buf += ch;
        const tok = STRING_TO_TOKEN.get(buf);
        if (tok !== undefined) {
          last = { tok, lit: buf };
        } else if (last !== null) {
          this.unread();
          break;
        }
      } else {
        this.unread();
        break;
      }
    }
    if (last === null) return { tok: Tok.Error, lit: `error expected: keyword found '${buf}'` };
    return last;
  }

  lex(): Item {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === '') return { tok: Tok.EndOfString, lit: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIDOrKeyword();
  }
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private readonly items: Item[] = [];
  private position = 0;

  constructor(input: string) {
    const lexer = new Lexer(input);
    for (;;) {
      const item = lexer.lex();
      this.items.push(item);
      if (item.tok === Tok.EndOfString) break;
    }
  }

  /** In the Values context, `in` and `notin` are ordinary identifiers (e.g. `x in (in)`). */
  private lookahead(values: boolean): Item {
    const it = this.items[this.position];
    if (values && (it.tok === Tok.In || it.tok === Tok.NotIn)) return { tok: Tok.Identifier, lit: it.lit };
    return it;
  }
  private consume(values: boolean): Item {
    const it = this.lookahead(values);
    this.position++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      switch (tok) {
        case Tok.Identifier:
        case Tok.DoesNotExist: {
          let r: Requirement;
          try {
            r = this.parseRequirement();
          } catch (e) {
            const detail = e instanceof SelectorError ? e.detail : String(e);
            throw new SelectorError(`unable to parse requirement: ${detail}`);
          }
          reqs.push(r);
          const next = this.consume(true);
          switch (next.tok) {
            case Tok.EndOfString:
              return reqs;
            case Tok.Comma: {
              const after = this.lookahead(true);
              if (after.tok !== Tok.Identifier && after.tok !== Tok.DoesNotExist) {
                throw new SelectorError(`found '${after.lit}', expected: identifier after ','`);
              }
              break;
            }
            default:
              throw new SelectorError(`found '${next.lit}', expected: ',' or 'end of string'`);
          }
          break;
        }
        case Tok.EndOfString:
          return reqs;
        default:
          throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator: inferred } = this.parseKeyAndInferOperator();
    if (inferred === 'exists' || inferred === '!') return newRequirement(key, inferred, []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, operator, sortedStrings([...values]));
  }

  private parseKeyAndInferOperator(): { key: string; operator: Operator | null } {
    let operator: Operator | null = null;
    let item = this.consume(true);
    if (item.tok === Tok.DoesNotExist) {
      operator = '!';
      item = this.consume(true);
    }
    if (item.tok !== Tok.Identifier) throw new SelectorError(`found '${item.lit}', expected: identifier`);
    const keyErrs = isQualifiedName(item.lit);
    if (keyErrs.length > 0) throw new SelectorError(`Invalid value: ${JSON.stringify(item.lit)}: ${keyErrs.join('; ')}`);
    const next = this.lookahead(true).tok;
    if ((next === Tok.EndOfString || next === Tok.Comma) && operator !== '!') operator = 'exists';
    return { key: item.lit, operator };
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new SelectorError(`found '${lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private parseValues(): Set<string> {
    let item = this.consume(true);
    if (item.tok !== Tok.OpenPar) throw new SelectorError(`found '${item.lit}' expected: '('`);
    item = this.lookahead(true);
    switch (item.tok) {
      case Tok.Identifier:
      case Tok.Comma: {
        const s = this.parseIdentifiersList();
        if (this.consume(true).tok !== Tok.ClosedPar) throw new SelectorError(`found '${item.lit}', expected: ')'`);
        return s;
      }
      case Tok.ClosedPar:
        // `k in ()` means the set {""}.
        this.consume(true);
        return new Set(['']);
      default:
        throw new SelectorError(`found '${item.lit}', expected: ',', ')' or identifier`);
    }
  }

  /** A possibly empty list of possibly empty identifiers: `(a,,b)`, `(,a)`, `(a,)`. */
  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const item = this.consume(true);
      switch (item.tok) {
        case Tok.Identifier: {
          s.add(item.lit);
          const next = this.lookahead(true);
          if (next.tok === Tok.Comma) continue;
          if (next.tok === Tok.ClosedPar) return s;
          throw new SelectorError(`found '${next.lit}', expected: ',' or ')'`);
        }
        case Tok.Comma: {
          if (s.size === 0) s.add('');
          const next = this.lookahead(true).tok;
          if (next === Tok.ClosedPar) {
            s.add('');
            return s;
          }
          if (next === Tok.Comma) s.add('');
          break;
        }
        default:
          throw new SelectorError(`found '${item.lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const ahead = this.lookahead(true).tok;
    if (ahead === Tok.EndOfString || ahead === Tok.Comma) return new Set(['']);
    const item = this.consume(true);
    if (item.tok === Tok.Identifier) return new Set([item.lit]);
    throw new SelectorError(`found '${item.lit}', expected: identifier`);
  }
}

/**
 * labels.Parse: the string selector syntax (kubectl -l, field `selector` strings).
 * An empty string yields Everything.
 */
export function parseSelector(text: string): Selector {
  try {
    return selectorFromRequirements(new Parser(text).parse());
  } catch (e) {
    if (e instanceof SelectorError) throw new SelectorError(e.detail, text);
    throw e;
  }
}

/**
 * metav1.LabelSelectorAsSelector: nil → Nothing, {} → Everything, otherwise matchLabels
 * (as `k=v`) AND matchExpressions. Throws SelectorError for an unknown operator or a
 * requirement upstream's NewRequirement rejects.
 */
export function selectorFromLabelSelector(ls: LabelSelector | undefined | null): Selector {
  if (ls === undefined || ls === null) return NOTHING;
  const matchLabels = ls.matchLabels ?? {};
  const labelKeys = Object.keys(matchLabels).sort();
  const exprs = ls.matchExpressions ?? [];
  if (labelKeys.length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  for (const k of labelKeys) reqs.push(newRequirement(k, '=', [matchLabels[k]]));
  for (const expr of exprs) {
    let op: Operator;
    switch (expr.operator) {
      case 'In':
        op = 'in';
        break;
      case 'NotIn':
        op = 'notin';
        break;
      case 'Exists':
        op = 'exists';
        break;
      case 'DoesNotExist':
        op = '!';
        break;
      default:
        throw new SelectorError(
          `${JSON.stringify(expr.operator)} is not a valid label selector operator; use one of In, NotIn, Exists, DoesNotExist`,
        );
    }
    reqs.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
  }
  return new RequirementsSelector(reqs);
}

/**
 * labels.SelectorFromSet (SelectorFromValidatedSet): equality on every key, no validation.
 * Used for RC `spec.selector` and Service `spec.selector` maps.
 * An empty or missing map yields Everything here, as upstream; callers decide what an empty
 * map means for them (a Service with no selector selects NO pods — its endpoints are manual).
 */
export function selectorFromSet(set: Labels | undefined | null): Selector {
  if (!set) return EVERYTHING;
  const keys = Object.keys(set);
  if (keys.length === 0) return EVERYTHING;
  return new RequirementsSelector(keys.map((k) => ({ key: k, operator: '=' as const, values: [set[k]] })));
}

/** labels.ValidatedSelectorFromSet: like selectorFromSet but validates keys and values. */
export function validatedSelectorFromSet(set: Labels | undefined | null): Selector {
  if (!set) return EVERYTHING;
  const keys = Object.keys(set).sort();
  if (keys.length === 0) return EVERYTHING;
  return new RequirementsSelector(keys.map((k) => newRequirement(k, '=', [set[k]])));
}
