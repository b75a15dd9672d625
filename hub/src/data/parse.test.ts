import { describe, expect, it } from 'vitest';
import { parseDataset } from './parse.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('parseDataset', () => {
  it('reads CSV with a BOM, CRLF and quoted fields, and infers column types and missing counts', () => {
    const { rows, columns } = parseDataset(bytes('\uFEFFname,size,note\r\n"Smith, J",1.5,"say ""hi"""\r\nLee,,x\r\n'), 'csv');
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

  it('names the row of a ragged CSV line', () => {
    expect(() => parseDataset(bytes('a,b\n1,2\n3,4\n5\n'), 'csv')).toThrow(
      expect.objectContaining({ code: 'INVALID_DATASET', issues: [expect.objectContaining({ row: 3 })] }),
    );
  });

  it('names the row and column of a JSON value that is not a scalar', () => {
    expect(() => parseDataset(bytes('[{"a":1},{"a":{"b":2}}]'), 'json')).toThrow(
      expect.objectContaining({ code: 'INVALID_DATASET', issues: [expect.objectContaining({ row: 2, column: 'a' })] }),
    );
  });

  it('refuses malformed JSON and an empty dataset', () => {
    expect(() => parseDataset(bytes('[{"a":1},'), 'json')).toThrow(expect.objectContaining({ code: 'INVALID_DATASET' }));
    expect(() => parseDataset(bytes('a,b\n'), 'csv')).toThrow(/no rows/);
  });
});
