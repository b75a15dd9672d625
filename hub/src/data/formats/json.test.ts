import { describe, expect, it } from 'vitest';
import { readRows } from './index.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('readRows: JSON', () => {
  it('reads an array of flat objects, keeping value types', async () => {
    expect(await readRows(bytes('\uFEFF[{"a":1,"b":"x","c":true},{"a":null,"b":"","c":false}]'), 'json')).toEqual({
      rows: [
        { a: 1, b: 'x', c: true },
        { a: null, b: '', c: false },
      ],
      skipped: 0,
      errors: [],
    });
  });

  const bad = '[{"a":1},{"a":{"b":2},"c":[1]},"x",{"a":3},7]';

  it('fails on nested values and non-objects, naming row and column', async () => {
    const err = await readRows(bytes(bad), 'json').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'INVALID_DATASET',
      message: 'malformed JSON: row 2, column "a": values must be strings, numbers, booleans or null (and 2 more rows)',
      issues: [
        { row: 2, column: 'a', message: 'values must be strings, numbers, booleans or null' },
        { row: 2, column: 'c', message: 'values must be strings, numbers, booleans or null' },
        { row: 3, message: 'each row must be an object' },
        { row: 5, message: 'each row must be an object' },
      ],
    });
  });

  it('skips and counts bad rows with skipBadRows, reporting the first N problems', async () => {
    expect(await readRows(bytes(bad), 'json', { skipBadRows: true, maxReportedErrors: 1 })).toEqual({
      rows: [{ a: 1 }, { a: 3 }],
      skipped: 3,
      errors: [{ row: 2, column: 'a', message: 'values must be strings, numbers, booleans or null' }],
    });
  });

  it('refuses a document that does not parse, that is not an array, or that has no rows', async () => {
    await expect(readRows(bytes('[{"a":1},'), 'json', { skipBadRows: true })).rejects.toMatchObject({
      code: 'INVALID_DATASET',
      message: expect.stringMatching(/^malformed JSON: /),
    });
    await expect(readRows(bytes('{"a":1}'), 'json')).rejects.toThrow('JSON datasets must be an array of objects, one per row');
    await expect(readRows(bytes('[]'), 'json')).rejects.toThrow('the dataset has no rows');
  });
});

describe('readRows: NDJSON', () => {
  it('reads one object per line, ignoring blank lines and CRLF', async () => {
    expect((await readRows(bytes('{"a":1,"b":"x"}\r\n\r\n  {"a":2,"b":null}  \n'), 'ndjson')).rows).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: null },
    ]);
  });

  // Rows count non-blank lines: row 2 is line 3, row 3 is line 4, row 4 is line 5.
  const bad = '{"a":1}\n\n{"a":\n[1,2]\n{"a":{"b":1}}\n{"a":4}\n';

  it('fails on a line that does not parse or is not a flat object, naming row and line', async () => {
    const err = await readRows(bytes(bad), 'ndjson').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'INVALID_DATASET',
      message: expect.stringMatching(/^malformed NDJSON: row 2: line 3: not valid JSON \(.+\) \(and 2 more rows\)$/),
      issues: [
        { row: 2, message: expect.stringMatching(/^line 3: not valid JSON/) },
        { row: 3, message: 'line 4: each row must be an object' },
        { row: 4, column: 'a', message: 'line 5: values must be strings, numbers, booleans or null' },
      ],
    });
  });

  it('skips and counts bad lines with skipBadRows', async () => {
    const { rows, skipped, errors } = await readRows(bytes(bad), 'ndjson', { skipBadRows: true });
    expect(rows).toEqual([{ a: 1 }, { a: 4 }]);
    expect(skipped).toBe(3);
    expect(errors.map((e) => e.row)).toEqual([2, 3, 4]);
  });

  it('refuses a file with no rows', async () => {
    await expect(readRows(bytes('\n  \n'), 'ndjson')).rejects.toThrow('the dataset has no rows');
  });

  it('refuses a negative maxReportedErrors', async () => {
    await expect(readRows(bytes('{"a":1}'), 'ndjson', { maxReportedErrors: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
