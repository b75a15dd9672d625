import { describe, expect, it } from 'vitest';
import { parseDataset } from './parse.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('parseDataset', () => {
  it('reads CSV with a BOM, CRLF and quoted fields, and infers column types and missing counts', async () => {
    const { rows, columns } = await parseDataset(bytes('\uFEFFname,size,note\r\n"Smith, J",1.5,"say ""hi"""\r\nLee,,x\r\n'), 'csv');
    expect(rows).toEqual([
      { name: 'Smith, J', size: '1.5', note: 'say "hi"' },
      { name: 'Lee', size: '', note: 'x' },
    ]);
    expect(columns).toEqual([
      { name: 'name', type: 'categorical', missing: 0, firstNonNumeric: { row: 1, value: 'Smith, J' } },
      { name: 'size', type: 'numeric', missing: 1 },
      { name: 'note', type: 'categorical', missing: 0, firstNonNumeric: { row: 1, value: 'say "hi"' } },
    ]);
  });

  it('names the row of a ragged CSV line', async () => {
    await expect(parseDataset(bytes('a,b\n1,2\n3,4\n5\n'), 'csv')).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_DATASET', issues: [expect.objectContaining({ row: 3 })] }),
    );
  });

  it('names the row and column of a JSON value that is not a scalar', async () => {
    await expect(parseDataset(bytes('[{"a":1},{"a":{"b":2}}]'), 'json')).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_DATASET', issues: [expect.objectContaining({ row: 2, column: 'a' })] }),
    );
  });

  it('refuses malformed JSON and an empty dataset', async () => {
    await expect(parseDataset(bytes('[{"a":1},'), 'json')).rejects.toThrow(expect.objectContaining({ code: 'INVALID_DATASET' }));
    await expect(parseDataset(bytes('a,b\n'), 'csv')).rejects.toThrow(/no rows/);
  });
});

describe('type overrides', () => {
  it('forces a numeric column categorical, and refuses numeric for a column with text, naming the first value', async () => {
    const { columns } = await parseDataset(bytes('a,b\n1,x\n2,y\n'), 'csv', { types: { a: 'categorical' } });
    expect(columns[0]).toEqual({ name: 'a', type: 'categorical', missing: 0 });
    await expect(parseDataset(bytes('a,b\n1,x\n2,y\n'), 'csv', { types: { b: 'numeric' } })).rejects.toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', issues: [expect.objectContaining({ column: 'b', row: 1, message: 'b cannot be numeric: row 1 has "x"' })] }),
    );
    await expect(parseDataset(bytes('a\n1\n'), 'csv', { types: { z: 'numeric' } })).rejects.toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'types.z' })] }));
  });
});
