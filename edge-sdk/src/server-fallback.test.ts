import { describe, expect, test } from 'vitest';
import { loggedInput } from './server-fallback.ts';

describe('loggedInput', () => {
  test('copies the record without its undefined fields', () => {
    const record = { a: 1, b: undefined, c: 'x', d: null };
    const copy = loggedInput(record);
    record.a = 2;
    expect(copy).toEqual({ a: 1, c: 'x', d: null });
    expect('b' in copy).toBe(false);
  });
});
