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
      { name: 'size', type: 'number', missing: 1 },
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

describe('column types', () => {
  it('infers integer, number, boolean, datetime and categorical from the values', async () => {
    const csv = 'i,n,b,d,c,e\n1,1.5,true,2024-01-02,x,\n-2,3,FALSE,2024-01-03T10:00Z,7,\n,1e3, false ,,y,\n';
    const { columns } = await parseDataset(bytes(csv), 'csv');
    expect(columns.map((c) => [c.name, c.type, c.missing])).toEqual([
      ['i', 'integer', 1],
      ['n', 'number', 0],
      ['b', 'boolean', 0],
      ['d', 'datetime', 1],
      ['c', 'categorical', 0],
      ['e', 'number', 3],
    ]);
    expect(columns.find((c) => c.name === 'c')?.firstNonNumeric).toEqual({ row: 1, value: 'x' });
  });

  it('takes JSON booleans and numbers as what they are, and a column absent from some objects as missing there', async () => {
    const { columns } = await parseDataset(bytes('[{"a":1,"b":true},{"a":2.5},{"c":"2024-05-01","a":3}]'), 'json');
    expect(columns.map((c) => [c.name, c.type, c.missing])).toEqual([
      ['a', 'number', 0],
      ['b', 'boolean', 2],
      ['c', 'datetime', 2],
    ]);
  });

  it('applies overrides, and refuses a type the values do not fit, naming the column and first offending value', async () => {
    const { columns } = await parseDataset(bytes('a,b\n1,x\n2,y\n'), 'csv', { types: { a: 'categorical', b: 'text' } });
    expect(columns.map((c) => c.type)).toEqual(['categorical', 'text']);
    await expect(parseDataset(bytes('a,b\n1,x\n2,y\n'), 'csv', { types: { b: 'number' } })).rejects.toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', issues: [expect.objectContaining({ column: 'b', row: 1, message: 'b cannot be number: row 1 has "x"' })] }),
    );
    await expect(parseDataset(bytes('a\n1\n2.5\n'), 'csv', { types: { a: 'integer' } })).rejects.toThrow('a cannot be integer: row 2 has "2.5"');
    await expect(parseDataset(bytes('a\n2024-01-01\n2024-02-30\n'), 'csv', { types: { a: 'datetime' } })).rejects.toThrow('a cannot be datetime: row 2 has "2024-02-30"');
    await expect(parseDataset(bytes('a\n1\n'), 'csv', { types: { z: 'number' } })).rejects.toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'types.z' })] }));
  });
});
