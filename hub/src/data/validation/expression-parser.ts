/**
 * Pratt parser of the row-predicate language: tokens (expression-tokens.ts) → AST. Precedence, lowest
 * first: `or`, `and`, `not`, comparisons (`== != < <= > >= in, not in, is [not] null`), `+ -`,
 * `* / %`, unary `-`. `not` sits below the comparisons as in SQL and Python, so
 * `not a == 1` is `not (a == 1)`; comparisons do not chain (`a < b < c` is an error, not
 * `(a < b) < c`).
 */
import { syntaxError, tokenize, type Token } from './expression-tokens.ts';

export type ExpressionValue = string | number | boolean | null;
export type FunctionName = 'len' | 'lower' | 'upper' | 'abs' | 'coalesce';
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=';

export type ExpressionNode =
  | { kind: 'literal'; value: ExpressionValue }
  | { kind: 'column'; name: string; offset: number }
  | { kind: 'not' | 'negate'; operand: ExpressionNode }
  | { kind: 'binary'; op: BinaryOp; left: ExpressionNode; right: ExpressionNode }
  | { kind: 'and' | 'or'; left: ExpressionNode; right: ExpressionNode }
  | { kind: 'in'; negated: boolean; operand: ExpressionNode; list: ExpressionNode[] }
  | { kind: 'is_null'; negated: boolean; operand: ExpressionNode }
  | { kind: 'call'; fn: FunctionName; args: ExpressionNode[] };

/** Bounds that keep a hostile expression cheap to parse and shallow to evaluate. */
export const MAX_EXPRESSION_LENGTH = 2_000;
export const MAX_EXPRESSION_DEPTH = 64;

// Arity [min, max]. A Map, not an object, so `constructor(x)` can never find Object.prototype's.
const FUNCTIONS = new Map<string, readonly [number, number]>([
  ['len', [1, 1]],
  ['lower', [1, 1]],
  ['upper', [1, 1]],
  ['abs', [1, 1]],
  ['coalesce', [2, Infinity]],
]);
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false']);

// Binding power: an infix operator binds when its power exceeds the caller's minimum.
const Prec = { Lowest: 0, Or: 1, And: 2, Compare: 4, Sum: 5, Product: 6 } as const;
type Prec = (typeof Prec)[keyof typeof Prec];
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

/**
 * Syntax only; expression.ts `compileExpression` also checks the columns.
 * Throws OutpostError('VALIDATION_FAILED') whose message ends with the character offset.
 * @example parseExpression('a > 1 and b is not null').kind; // 'and'
 */
export function parseExpression(source: string): ExpressionNode {
  if (source.length > MAX_EXPRESSION_LENGTH) throw syntaxError(`expression is ${source.length} characters; the limit is ${MAX_EXPRESSION_LENGTH}`);
  const tokens = tokenize(source);
  let pos = 0;
  let depth = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isOp = (t: Token, text: string) => t.kind === 'op' && t.text === text;
  const isWord = (t: Token, text: string) => t.kind === 'ident' && t.text === text;
  const describe = (t: Token) => (t.kind === 'eof' ? 'end of input' : t.kind === 'string' ? 'string' : t.kind === 'quoted' ? `\`${t.text}\`` : `'${t.text}'`);
  const expect = (text: string): void => {
    const t = next();
    if (!isOp(t, text)) throw syntaxError(`expected '${text}' at ${t.offset}`);
  };

  // Every recursive entry counts, so parentheses, prefixes, lists and arguments all deepen it,
  // while a flat chain `a + b + c …` is a loop and stays shallow.
  function expression(min: Prec): ExpressionNode {
    if (++depth > MAX_EXPRESSION_DEPTH) throw syntaxError(`expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels at ${peek().offset}`);
    let left = prefix();
    let compared = false;
    for (;;) {
      const t = peek();
      const prec = infixPrecedence(t);
      if (prec === undefined || prec <= min) break;
      // Only a comparison made in this loop chains; `(a < b) == true` is fine.
      if (prec === Prec.Compare && compared) throw syntaxError(`comparisons cannot be chained at ${t.offset}; use 'and'`);
      compared = prec === Prec.Compare;
      left = infix(left, prec);
    }
    depth--;
    return left;
  }

  function prefix(): ExpressionNode {
    const t = next();
    if (t.kind === 'number') return { kind: 'literal', value: t.value! };
    if (t.kind === 'string') return { kind: 'literal', value: t.text };
    if (t.kind === 'quoted') return { kind: 'column', name: t.text, offset: t.offset };
    if (isOp(t, '(')) {
      const inner = expression(Prec.Lowest);
      expect(')');
      return inner;
    }
    if (isOp(t, '-')) return { kind: 'negate', operand: expression(Prec.Product) };
    if (t.kind === 'ident') {
      if (t.text === 'null') return { kind: 'literal', value: null };
      if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true' };
      // Binds looser than comparisons, tighter than `and`.
      if (t.text === 'not') return { kind: 'not', operand: expression(Prec.And) };
      if (KEYWORDS.has(t.text)) throw syntaxError(`expected an expression at ${t.offset}, found '${t.text}'`);
      if (isOp(peek(), '(')) return call(t);
      return { kind: 'column', name: t.text, offset: t.offset };
    }
    throw syntaxError(`expected an expression at ${t.offset}, found ${describe(t)}`);
  }

  function call(name: Token): ExpressionNode {
    const arity = FUNCTIONS.get(name.text);
    if (!arity) throw syntaxError(`unknown function '${name.text}' at ${name.offset}; functions: ${[...FUNCTIONS.keys()].join(', ')}`);
    next(); // (
    const args = list(')');
    const [lo, hi] = arity;
    if (args.length < lo || args.length > hi) {
      const want = hi === Infinity ? `at least ${lo} arguments` : `${lo} argument${lo === 1 ? '' : 's'}`;
      throw syntaxError(`${name.text}() takes ${want}, got ${args.length} at ${name.offset}`);
    }
    return { kind: 'call', fn: name.text as FunctionName, args };
  }

  /** Comma-separated expressions up to `close`, which it consumes; the opener is already read. */
  function list(close: ')' | ']'): ExpressionNode[] {
    const items: ExpressionNode[] = [];
    if (isOp(peek(), close)) {
      next();
      return items;
    }
    for (;;) {
      items.push(expression(Prec.Lowest));
      const t = next();
      if (isOp(t, close)) return items;
      if (!isOp(t, ',')) throw syntaxError(`expected ',' or '${close}' at ${t.offset}`);
    }
  }

  function infix(left: ExpressionNode, prec: Prec): ExpressionNode {
    const t = next();
    if (t.kind === 'op') {
      const right = expression(prec);
      return { kind: 'binary', op: t.text as BinaryOp, left, right };
    }
    if (t.text === 'and' || t.text === 'or') return { kind: t.text, left, right: expression(prec) };
    if (t.text === 'is') {
      const negated = isWord(peek(), 'not');
      if (negated) next();
      const n = next();
      if (!isWord(n, 'null')) throw syntaxError(`expected 'null' at ${n.offset}`);
      return { kind: 'is_null', negated, operand: left };
    }
    // `in` or `not in`
    const negated = t.text === 'not';
    if (negated && !isWord(next(), 'in')) throw syntaxError(`expected 'in' after 'not' at ${tokens[pos - 1]!.offset}`);
    const open = next();
    if (!isOp(open, '[')) throw syntaxError(`expected '[' at ${open.offset}`);
    if (++depth > MAX_EXPRESSION_DEPTH) throw syntaxError(`expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels at ${open.offset}`);
    const items = list(']');
    depth--;
    return { kind: 'in', negated, operand: left, list: items };
  }

  const tree = expression(Prec.Lowest);
  const rest = peek();
  if (rest.kind !== 'eof') throw syntaxError(`unexpected ${describe(rest)} at ${rest.offset}`);
  return tree;
}

function infixPrecedence(t: Token): Prec | undefined {
  if (t.kind === 'op') {
    if (t.text === '+' || t.text === '-') return Prec.Sum;
    if (t.text === '*' || t.text === '/' || t.text === '%') return Prec.Product;
    if (COMPARE.has(t.text)) return Prec.Compare;
    return undefined;
  }
  if (t.kind !== 'ident') return undefined;
  if (t.text === 'or') return Prec.Or;
  if (t.text === 'and') return Prec.And;
  if (t.text === 'in' || t.text === 'is' || t.text === 'not') return Prec.Compare;
  return undefined;
}
