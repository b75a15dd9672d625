/**
 * Tokenizer of the row-predicate language (expression.ts has the grammar). Hand-written so every
 * error can name the character offset where it happened; nothing here ever reaches eval/Function.
 */
import { OutpostError } from '@outpost/shared';

export type TokenKind = 'number' | 'string' | 'ident' | 'quoted' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Operator or identifier text; the decoded text of a string or a backtick-quoted column. */
  text: string;
  /** Numbers only. */
  value?: number;
  /** 0-based character offset of the token's first character. */
  offset: number;
}

/** Every expression error: message ends with the offset, e.g. `expected ')' at 14`. */
export function syntaxError(message: string): OutpostError {
  return new OutpostError('VALIDATION_FAILED', message, { issues: [{ message }] });
}

// Longest first, so `<=` wins over `<`.
const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', ','] as const;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r' };
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/;

/**
 * @example tokenize("`Body Mass (g)` > 4000").map((t) => t.kind); // ['quoted', 'op', 'number', 'eof']
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[\d.]/.test(c)) {
      const m = NUMBER.exec(source.slice(i));
      if (!m) throw syntaxError(`unexpected character '${c}' at ${i}`);
      // `12abc` is a typo, not the number 12 followed by a column.
      const after = source[i + m[0].length];
      if (after !== undefined && (IDENT_PART.test(after) || after === '.')) throw syntaxError(`malformed number at ${start}`);
      tokens.push({ kind: 'number', text: m[0], value: Number(m[0]), offset: start });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      let text = '';
      i++;
      for (;;) {
        const d = source[i];
        if (d === undefined) throw syntaxError(`unterminated string starting at ${start}`);
        i++;
        if (d === c) break;
        if (d === '\\') {
          const e = source[i];
          if (e === undefined) throw syntaxError(`unterminated string starting at ${start}`);
          // \n \t \r are control characters; any other escaped character stands for itself (\\ \' \").
          text += ESCAPES[e] ?? e;
          i++;
        } else text += d;
      }
      tokens.push({ kind: 'string', text, offset: start });
    } else if (c === '`') {
      // Backticks quote column names with spaces or parentheses; a name cannot contain a backtick.
      const end = source.indexOf('`', i + 1);
      if (end < 0) throw syntaxError(`unterminated quoted column starting at ${start}`);
      if (end === i + 1) throw syntaxError(`empty quoted column at ${start}`);
      tokens.push({ kind: 'quoted', text: source.slice(i + 1, end), offset: start });
      i = end + 1;
    } else if (IDENT_START.test(c)) {
      while (i < source.length && IDENT_PART.test(source[i]!)) i++;
      tokens.push({ kind: 'ident', text: source.slice(start, i), offset: start });
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (op === undefined) {
        if (c === '=') throw syntaxError(`unexpected '=' at ${i}; use '==' to compare`);
        throw syntaxError(`unexpected character '${c}' at ${i}`);
      }
      tokens.push({ kind: 'op', text: op, offset: start });
      i += op.length;
    }
  }
  tokens.push({ kind: 'eof', text: '', offset: source.length });
  return tokens;
}
