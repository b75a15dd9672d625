import { describe, expect, it } from 'vitest';
import type { RawRecord } from '@outpost/shared';
import { compileExpression, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, parseExpression, truthValue, type ExpressionValue } from './index.ts';
import { errorOf } from '../../test-support/errors.ts';

const row: RawRecord = {
  a: 5,
  b: '10',
  s: ' Hello ',
  n: null,
  e: '',
  na: 'NA',
  t: true,
  f: 'false',
  x: 'abc',
  z: 0,
  'Beak Length (mm)': 39.1,
};
const columns = [...Object.keys(row), 'absent'];
const evaluate = (source: string, r: RawRecord = row) => compileExpression(source, columns).evaluate(r);


// [expression, expected value] against `row` above.
const CASES: [string, ExpressionValue][] = [
  // precedence and associativity
  ['1 + 2 * 3', 7],
  ['(1 + 2) * 3', 9],
  ['10 - 4 - 3', 3],
  ['12 / 4 / 3', 1],
  ['7 % 4', 3],
  ['-2 * 3', -6],
  ['- -2', 2],
  ['a - -1', 6],
  ['2 * 3 > 5 and 1 + 1 == 2', true],
  ['true or false and false', true],
  ['not true or true', true],
  ['not a == 5', false],
  ['(a < b) == true', true],
  ['1.5e1', 15],
  ['.5', 0.5],
  // arithmetic edge cases give null
  ['1 / 0', null],
  ['5 % 0', null],
  ['x + 1', null],
  ['n + 1', null],
  ['a + b', 15],
  // numbers against strings
  ['b > a', true], // '10' vs 5 numerically; as text '10' < '5'
  ['b == 10', true],
  ["b == '10.0'", false], // two strings compare as text
  ['x == 5', false],
  ['x != 5', true],
  ['x < 5', null],
  ["'apple' < 'banana'", true],
  ["s == 'Hello'", true], // cells are trimmed
  ['`Beak Length (mm)` > 39', true],
  ['`Beak Length (mm)` * 10 == 391', true],
  // booleans
  ['t == true', true],
  ["t == 'TRUE'", true],
  ['f == false', true],
  ['t == 1', true],
  // missing values and three-valued logic
  ['n is null', true],
  ['e is null', true],
  ['na is null', true],
  ['absent is null', true],
  ['a is not null', true],
  ['n is not null', false],
  ['n == null', null],
  ['null == null', null],
  ['n > 1', null],
  ['not (n > 1)', null],
  ['n > 1 and false', false],
  ['false and n > 1', false],
  ['n > 1 and true', null],
  ['n > 1 or true', true],
  ['n > 1 or false', null],
  ['(1 / 0) is null', true],
  // in / not in
  ['a in [1, 5, 9]', true],
  ["a in ['5']", true],
  ['a in [1, 2]', false],
  ['a not in [1, 5]', false],
  ['a not in [1, 2]', true],
  ['a in [1, null]', null],
  ['a in [5, null]', true],
  ['a not in [1, null]', null],
  ['n in [1]', null],
  ['a in []', false],
  ["lower(x) in ['abc', 'def']", true],
  // functions
  ['len(s)', 5],
  ['len(a)', 1],
  ['len(n)', null],
  ['upper(x)', 'ABC'],
  ["lower('AbC')", 'abc'],
  ['abs(-3)', 3],
  ['abs(b - 20)', 10],
  ['abs(x)', null],
  ['coalesce(n, e, 7)', 7],
  ['coalesce(a, 7)', 5],
  ['coalesce(n, absent)', null],
  // string escapes
  ["'it\\'s' == \"it's\"", true],
  ["'a\\\\b'", 'a\\b'],
  ["'tab\\there'", 'tab\there'],
  ['z', 0],
];

describe('compileExpression: evaluation', () => {
  it.each(CASES)('%s → %j', (source, expected) => {
    expect(evaluate(source)).toStrictEqual(expected);
  });

  it('lists the columns it reads, once each, in order of mention', () => {
    expect(compileExpression('b > a and `Beak Length (mm)` > a or b is null', columns).columns).toEqual(['b', 'a', 'Beak Length (mm)']);
  });

  it('reads values typed (JSON) and as text (CSV) alike', () => {
    const e = compileExpression('`Body Mass (g)` >= 4000 and Sex == "MALE"', ['Body Mass (g)', 'Sex']);
    expect(e.evaluate({ 'Body Mass (g)': 4200, Sex: 'MALE' })).toBe(true);
    expect(e.evaluate({ 'Body Mass (g)': '4200', Sex: ' MALE ' })).toBe(true);
    expect(e.evaluate({ 'Body Mass (g)': 'NA', Sex: 'MALE' })).toBe(null);
  });
});

describe('truthValue', () => {
  it.each([
    [true, true],
    [null, null],
    [0, false],
    [2, true],
    ['TRUE', true],
    ['false', false],
    ['0', false],
    ['1.5', true],
    ['yes', null],
  ] as [ExpressionValue, boolean | null][])('%j → %j', (v, expected) => {
    expect(truthValue(v)).toBe(expected);
  });
});

// [source, exact message]
const BAD: [string, string][] = [
  ['', 'expected an expression at 0, found end of input'],
  ['(a > 1', "expected ')' at 6"],
  ['a >', 'expected an expression at 3, found end of input'],
  ['a > 1)', "unexpected ')' at 5"],
  ['a b', "unexpected 'b' at 2"],
  ["a == 'x' 'y'", 'unexpected string at 9'],
  ['a = 1', "unexpected '=' at 2; use '==' to compare"],
  ['a # 1', "unexpected character '#' at 2"],
  ['a.constructor', "unexpected character '.' at 1"],
  ["'abc", 'unterminated string starting at 0'],
  ["a == 'x\\", 'unterminated string starting at 5'],
  ['`Beak', 'unterminated quoted column starting at 0'],
  ['`` > 1', 'empty quoted column at 0'],
  ['12abc', 'malformed number at 0'],
  ['1.2.3', 'malformed number at 0'],
  ['a < b < 3', "comparisons cannot be chained at 6; use 'and'"],
  ['a == 1 != true', "comparisons cannot be chained at 7; use 'and'"],
  ['foo(a)', "unknown function 'foo' at 0; functions: len, lower, upper, abs, coalesce"],
  ['len(a, b)', 'len() takes 1 argument, got 2 at 0'],
  ['coalesce(a)', 'coalesce() takes at least 2 arguments, got 1 at 0'],
  ['len(a', "expected ',' or ')' at 5"],
  ['a in 1', "expected '[' at 5"],
  ['a in [1, 2', "expected ',' or ']' at 10"],
  ['a is 1', "expected 'null' at 5"],
  ['a not b', "expected 'in' after 'not' at 6"],
  ['a and or b', "expected an expression at 6, found 'or'"],
];

describe('compileExpression: errors', () => {
  it.each(BAD)('%j → %s', (source, message) => {
    const e = errorOf(() => compileExpression(source, columns));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toBe(message);
  });

  it('names an unknown column with its offset and the known columns', () => {
    const e = errorOf(() => compileExpression('a > 1 and speed > 2', ['a', 'Beak Length (mm)']));
    expect(e.message).toBe("unknown column 'speed' at 10; known columns: a, Beak Length (mm)");
    expect(e.issues).toEqual([{ column: 'speed', message: e.message }]);
  });

  it('lists at most 30 known columns', () => {
    const many = Array.from({ length: 45 }, (_, i) => `c${i}`);
    expect(errorOf(() => compileExpression('nope', many)).message).toMatch(/known columns: c0, c1, .*, c29, … and 15 more$/);
  });

  it('limits the length', () => {
    const long = `a == '${'x'.repeat(MAX_EXPRESSION_LENGTH)}'`;
    expect(errorOf(() => parseExpression(long)).message).toBe(`expression is ${long.length} characters; the limit is ${MAX_EXPRESSION_LENGTH}`);
    expect(() => parseExpression('a'.repeat(MAX_EXPRESSION_LENGTH))).not.toThrow();
  });

  it('limits the nesting depth, whatever nests', () => {
    const parens = (k: number) => `${'('.repeat(k)}1${')'.repeat(k)}`;
    expect(evaluate(parens(MAX_EXPRESSION_DEPTH - 1))).toBe(1);
    expect(errorOf(() => parseExpression(parens(MAX_EXPRESSION_DEPTH))).message).toBe(`expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels at ${MAX_EXPRESSION_DEPTH}`);
    expect(() => parseExpression(`${'not '.repeat(100)}true`)).toThrow(/nests deeper than 64/);
    expect(() => parseExpression(`${'-'.repeat(100)}1`)).toThrow(/nests deeper than 64/);
    expect(() => parseExpression(`${'abs('.repeat(100)}1${')'.repeat(100)}`)).toThrow(/nests deeper than 64/);
    expect(() => parseExpression(`a in ${'['.repeat(70)}`)).toThrow(/nests deeper than 64|expected an expression/);
  });

  it('parses a long flat chain without deep recursion', () => {
    const chain = Array.from({ length: 400 }, () => 'a').join(' + ');
    expect(evaluate(chain)).toBe(2000);
    const ands = Array.from({ length: 200 }, () => 'a>1').join(' and ');
    expect(evaluate(ands)).toBe(true);
  });
});

describe('compileExpression: nothing but columns is reachable', () => {
  it.each(['constructor', '__proto__', 'process', 'this', 'globalThis', 'eval', 'prototype', 'toString', 'hasOwnProperty'])('%s is an unknown column', (name) => {
    expect(errorOf(() => compileExpression(`${name} is null`, ['a'])).message).toBe(`unknown column '${name}' at 0; known columns: a`);
  });

  it.each(['constructor(a)', 'eval(a)', 'require(a)', 'toString(a)', '__proto__(a)'])('%s is an unknown function', (source) => {
    expect(errorOf(() => compileExpression(source, ['a'])).message).toMatch(/^unknown function '\w+' at 0;/);
  });

  it('reads only own properties, so a column named like a prototype member is just a cell', () => {
    const e = compileExpression('constructor is null and toString is null', ['constructor', 'toString']);
    expect(e.evaluate({})).toBe(true);
    const proto = compileExpression('__proto__ == 5', ['__proto__']);
    expect(proto.evaluate(JSON.parse('{"__proto__": 5}') as RawRecord)).toBe(true);
    expect(proto.evaluate({})).toBe(null);
  });
});
