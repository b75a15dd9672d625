/**
 * A small, safe expression language for row predicates: hand-written tokenizer and Pratt parser
 * (expression-tokens.ts, expression-parser.ts) compiled here to closures. Never eval/Function:
 * an identifier can only name a column of the dataset (checked at compile time) or one of five
 * functions, and there is no member access, so `constructor`, `__proto__`, `process` or `this` are
 * nothing but unknown columns.
 *
 * Keywords (and, or, not, in, is, null, true, false) are lower-case; a column with such a name, or
 * with spaces or parentheses, is written in backticks: `Beak Length (mm)`.
 *
 * Semantics, SQL-like:
 * - A missing cell (features.ts isMissing: absent, null, '', 'NA', 'NaN', 'null', NaN) is null;
 *   strings are trimmed.
 * - `==` and the orderings: null on either side gives null. A number against a numeric-looking string
 *   (or a boolean, as 1/0) compares numerically; against any other string, `==` is false, `!=` true and
 *   the orderings null. Two strings compare by code units. A boolean against a string equals it when
 *   the string is 'true'/'false' in any case.
 * - Arithmetic takes numbers and numeric-looking strings, else gives null; so do division or `%` by
 *   zero and any non-finite result.
 * - `and`/`or`/`not` are three-valued (Kleene) and short-circuit. A value used as a truth value:
 *   booleans as they are, numbers true unless 0, strings 'true'/'false' (any case) or numeric; anything
 *   else is null.
 * - `x in [a, b]` is true when x equals an item, else null if x or an item is null, else false;
 *   `not in` is its negation. `is null` / `is not null` are never null.
 * - len, lower, upper work on the value's text; abs on numbers; coalesce(a, b, …) is the first non-null.
 */
import { isMissing, OutpostError, parseNumber, type RawRecord } from '@outpost/shared';
import { parseExpression, type BinaryOp, type ExpressionNode, type ExpressionValue } from './expression-parser.ts';

export { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, parseExpression, type ExpressionNode, type ExpressionValue } from './expression-parser.ts';

export interface CompiledExpression {
  readonly source: string;
  /** Columns the expression reads, in order of first mention. */
  readonly columns: readonly string[];
  evaluate(row: RawRecord): ExpressionValue;
}

type Evaluator = (row: RawRecord) => ExpressionValue;

/** How many known columns an unknown-column message lists before "… and N more". */
const LISTED_COLUMNS = 30;

/**
 * Parse and check `source` against the dataset's columns. Throws OutpostError('VALIDATION_FAILED')
 * with the character offset of a syntax error or of the first unknown column.
 * @example
 * const e = compileExpression('`Body Mass (g)` > 3000 and Sex in ["MALE", "FEMALE"]', columns);
 * e.evaluate({ 'Body Mass (g)': 3750, Sex: 'MALE' }); // true
 */
export function compileExpression(source: string, columns: readonly string[]): CompiledExpression {
  const tree = parseExpression(source);
  const known = new Set(columns);
  const used: string[] = [];
  const evaluate = compile(tree, (name, offset) => {
    if (!known.has(name)) {
      const message = `unknown column '${name}' at ${offset}; known columns: ${listColumns(columns)}`;
      throw new OutpostError('VALIDATION_FAILED', message, { issues: [{ column: name, message }] });
    }
    if (!used.includes(name)) used.push(name);
  });
  return { source, columns: used, evaluate };
}

/** The known columns for an error message, the first 30 and a count of the rest. */
export function listColumns(columns: readonly string[]): string {
  const more = columns.length - LISTED_COLUMNS;
  return columns.slice(0, LISTED_COLUMNS).join(', ') + (more > 0 ? `, … and ${more} more` : '') || '(none)';
}

/**
 * The truth value of an expression result (see the module comment); a row predicate holds only on `true`.
 * @example truthValue('TRUE'); // true
 */
export function truthValue(v: ExpressionValue): boolean | null {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const lower = v.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  const n = parseNumber(v);
  return n === undefined ? null : n !== 0;
}

function compile(node: ExpressionNode, onColumn: (name: string, offset: number) => void): Evaluator {
  const sub = (n: ExpressionNode) => compile(n, onColumn);
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'column': {
      onColumn(node.name, node.offset);
      const name = node.name;
      // Own properties only: a row is a plain object, and `row['constructor']` would find Object's.
      return (row) => {
        const v = Object.hasOwn(row, name) ? row[name] : undefined;
        if (v === undefined || isMissing(v)) return null;
        return typeof v === 'string' ? v.trim() : v;
      };
    }
    case 'not': {
      const operand = sub(node.operand);
      return (row) => {
        const t = truthValue(operand(row));
        return t === null ? null : !t;
      };
    }
    case 'negate': {
      const operand = sub(node.operand);
      return (row) => finite(-(toNumber(operand(row)) ?? NaN));
    }
    case 'and':
    case 'or': {
      const left = sub(node.left);
      const right = sub(node.right);
      // The side that decides: false for `and`, true for `or`.
      const decisive = node.kind === 'or';
      return (row) => {
        const l = truthValue(left(row));
        if (l === decisive) return decisive;
        const r = truthValue(right(row));
        if (r === decisive) return decisive;
        return l === null || r === null ? null : !decisive;
      };
    }
    case 'is_null': {
      const operand = sub(node.operand);
      const negated = node.negated;
      return (row) => (operand(row) === null) !== negated;
    }
    case 'in': {
      const operand = sub(node.operand);
      const items = node.list.map(sub);
      const negated = node.negated;
      return (row) => {
        const x = operand(row);
        if (x === null) return null;
        let unknown = false;
        for (const item of items) {
          const eq = equals(x, item(row));
          if (eq === true) return !negated;
          if (eq === null) unknown = true;
        }
        return unknown ? null : negated;
      };
    }
    case 'binary': {
      const left = sub(node.left);
      const right = sub(node.right);
      const op = binary(node.op);
      return (row) => op(left(row), right(row));
    }
    case 'call': {
      const args = node.args.map(sub);
      const first = args[0]!;
      switch (node.fn) {
        case 'len':
          return (row) => mapText(first(row), (s) => s.length);
        case 'lower':
          return (row) => mapText(first(row), (s) => s.toLowerCase());
        case 'upper':
          return (row) => mapText(first(row), (s) => s.toUpperCase());
        case 'abs':
          return (row) => finite(Math.abs(toNumber(first(row)) ?? NaN));
        case 'coalesce':
          return (row) => {
            for (const a of args) {
              const v = a(row);
              if (v !== null) return v;
            }
            return null;
          };
      }
    }
  }
}

function binary(op: BinaryOp): (a: ExpressionValue, b: ExpressionValue) => ExpressionValue {
  switch (op) {
    case '+':
      return arithmetic((x, y) => x + y);
    case '-':
      return arithmetic((x, y) => x - y);
    case '*':
      return arithmetic((x, y) => x * y);
    case '/':
      return arithmetic((x, y) => (y === 0 ? NaN : x / y));
    case '%':
      return arithmetic((x, y) => (y === 0 ? NaN : x % y));
    case '==':
      return equals;
    case '!=':
      return (a, b) => {
        const eq = equals(a, b);
        return eq === null ? null : !eq;
      };
    case '<':
      return ordering((c) => c < 0);
    case '<=':
      return ordering((c) => c <= 0);
    case '>':
      return ordering((c) => c > 0);
    case '>=':
      return ordering((c) => c >= 0);
  }
}

function arithmetic(f: (x: number, y: number) => number) {
  return (a: ExpressionValue, b: ExpressionValue): ExpressionValue => {
    const x = toNumber(a);
    const y = toNumber(b);
    return x === undefined || y === undefined ? null : finite(f(x, y));
  };
}

function ordering(test: (c: number) => boolean) {
  return (a: ExpressionValue, b: ExpressionValue): ExpressionValue => {
    const c = compare(a, b);
    return c === null ? null : test(c);
  };
}

function equals(a: ExpressionValue, b: ExpressionValue): boolean | null {
  if (a === null || b === null) return null;
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b.toLowerCase();
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a.toLowerCase();
  const c = compare(a, b);
  // Incomparable non-null values (5 and 'abc') are simply different.
  return c === null ? false : c === 0;
}

/** Sign of a − b, or null when there is no order between them. */
function compare(a: ExpressionValue, b: ExpressionValue): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = parseNumber(a);
    const y = parseNumber(b);
    return x === undefined || y === undefined ? null : x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}

function toNumber(v: ExpressionValue): number | undefined {
  return v === null ? undefined : parseNumber(v);
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function mapText(v: ExpressionValue, f: (s: string) => ExpressionValue): ExpressionValue {
  return v === null ? null : f(String(v));
}
