// $(( ... )) arithmetic over integers, with ash's precedence (a subset: no assignment operators,
// no ternary, no bit operations except what the table lists). Variables are read by name.

export class ArithError extends Error {}

/** binary operators by precedence, loosest first */
const LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '||': return Number(a !== 0 || b !== 0);
    case '&&': return Number(a !== 0 && b !== 0);
    case '==': return Number(a === b);
    case '!=': return Number(a !== b);
    case '<=': return Number(a <= b);
    case '>=': return Number(a >= b);
    case '<': return Number(a < b);
    case '>': return Number(a > b);
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
    case '%':
      if (b === 0) throw new ArithError('divide by zero');
      return op === '/' ? Math.trunc(a / b) : a % b;
    default: throw new ArithError(`arithmetic syntax error`);
  }
}

export function evalArith(expr: string, lookup: (name: string) => string | undefined): number {
  const tokens = expr.match(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*|\|\||&&|==|!=|<=|>=|[-+*/%()<>!])/gy);
  const joined = (tokens ?? []).join('');
  if (joined.length !== expr.length && expr.slice(joined.length).trim() !== '') throw new ArithError('arithmetic syntax error');
  const toks = (tokens ?? []).map((t) => t.trim());
  let i = 0;

  const value = (name: string): number => {
    const v = (lookup(name) ?? '').trim();
    if (v === '') return 0;
    if (!/^[+-]?\d+$/.test(v)) throw new ArithError('arithmetic syntax error');
    return Number(v);
  };

  const level = (l: number): number => {
    if (l >= LEVELS.length) return unary();
    let left = level(l + 1);
    while (i < toks.length && LEVELS[l].includes(toks[i])) {
      const op = toks[i++];
      left = apply(op, left, level(l + 1));
    }
    return left;
  };
  const unary = (): number => {
    const t = toks[i];
    if (t === '-') return (i++, -unary());
    if (t === '+') return (i++, unary());
    if (t === '!') return (i++, Number(unary() === 0));
    if (t === '(') {
      i++;
      const v = level(0);
      if (toks[i++] !== ')') throw new ArithError('arithmetic syntax error');
      return v;
    }
    if (t === undefined) throw new ArithError('arithmetic syntax error');
    i++;
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) return value(t);
    throw new ArithError('arithmetic syntax error');
  };

  if (toks.length === 0) return 0;
  const result = level(0);
  if (i !== toks.length) throw new ArithError('arithmetic syntax error');
  return result;
}
