import { describe, expect, it } from 'vitest';
import { toRawValue } from './index.ts';

describe('toRawValue', () => {
  it.each<[string, unknown, unknown]>([
    ['string', 'x', 'x'],
    ['number', 1.5, 1.5],
    ['boolean', false, false],
    ['null', null, null],
    ['undefined', undefined, null],
    ['safe bigint', -(2n ** 53n - 1n), -(2 ** 53 - 1)],
    ['unsafe bigint', 2n ** 53n, '9007199254740992'],
    ['Date', new Date(Date.UTC(2024, 0, 2)), '2024-01-02T00:00:00.000Z'],
    ['invalid Date', new Date(Number.NaN), null],
    ['binary', new Uint8Array([104, 105]), 'aGk='],
    ['list with a bigint and a Date', [1n, new Date(0)], '[1,"1970-01-01T00:00:00.000Z"]'],
    ['struct with binary', { b: new Uint8Array([255]) }, '{"b":"/w=="}'],
    ['typed array', new Float32Array([0.5, 2]), '[0.5,2]'],
    ['map', new Map([['k', 1n]]), '{"k":1}'],
  ])('%s', (_name, value, expected) => {
    expect(toRawValue(value)).toEqual(expected);
  });

  it('encodes large binary values', () => {
    const big = new Uint8Array(100_000).fill(65);
    expect(toRawValue(big)).toBe(btoa('A'.repeat(100_000)));
  });
});
