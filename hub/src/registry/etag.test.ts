import { describe, expect, it } from 'vitest';
import { etagMatches } from './etag.ts';

describe('etagMatches', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['"abc"', true],
    ['W/"abc"', true],
    ['"zzz", "abc"', true],
    ['*', true],
    ['"abcd"', false],
    ['abc', false],
    ['"ab"', false],
  ])('If-None-Match %s → %s', (header, match) => {
    expect(etagMatches(header, 'abc')).toBe(match);
  });
});
