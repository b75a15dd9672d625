import { describe, expect, it } from 'vitest';
import { readRows } from './index.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('readRows: CSV and TSV', () => {
  it('reads a header, a BOM, CRLF, quoted fields (with commas, quotes, line breaks) and trims values', async () => {
    const csv = '\uFEFFname, size ,note\r\n"Smith, J",1.5,"say ""hi"""\r\n\r\n  Lee ,,"two\r\nlines"\r\n';
    expect(await readRows(bytes(csv), 'csv')).toEqual({
      rows: [
        { name: 'Smith, J', size: '1.5', note: 'say "hi"' },
        { name: 'Lee', size: '', note: 'two\r\nlines' },
      ],
      skipped: 0,
      errors: [],
    });
  });

  it('keeps a quote inside an unquoted field as text', async () => {
    expect((await readRows(bytes('name,height\nAna,5\'11"\n'), 'csv')).rows).toEqual([{ name: 'Ana', height: '5\'11"' }]);
  });

  it('reads TSV with tabs, and CSV with a custom delimiter', async () => {
    expect((await readRows(bytes('a\tb\n1,5\t"x\ty"\n'), 'tsv')).rows).toEqual([{ a: '1,5', b: 'x\ty' }]);
    expect((await readRows(bytes('a;b\n1,5;2\n'), 'csv', { delimiter: ';' })).rows).toEqual([{ a: '1,5', b: '2' }]);
    // the delimiter option is for CSV only
    expect((await readRows(bytes('a\tb\n1\t2\n'), 'tsv', { delimiter: ';' })).rows).toEqual([{ a: '1', b: '2' }]);
  });

  it.each([',,', '"', '\n', ''])('refuses the delimiter %j', async (delimiter) => {
    await expect(readRows(bytes('a,b\n1,2\n'), 'csv', { delimiter })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  // Data rows 2, 4, 5, 6 and 7 have the wrong number of fields; the empty line is not a row.
  const ragged = 'a,b,c\n1,2,3\n4,5\n6,7,8\n\n9\n10,11,12,13\n14,15\n16\n17,18,19\n';

  it('fails on ragged rows, naming the first and counting the others, with the first N as issues', async () => {
    const err = await readRows(bytes(ragged), 'csv', { maxReportedErrors: 3 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'INVALID_DATASET',
      message: 'malformed CSV: row 2: expected 3 fields, got 2 (and 4 more rows)',
      issues: [
        { row: 2, message: 'expected 3 fields, got 2' },
        { row: 4, message: 'expected 3 fields, got 1' },
        { row: 5, message: 'expected 3 fields, got 4' },
      ],
    });
  });

  it('reports 20 issues by default', async () => {
    const text = `a,b\n${'1\n'.repeat(30)}`;
    const err = await readRows(bytes(text), 'csv').catch((e: unknown) => e);
    expect(err).toMatchObject({ message: 'malformed CSV: row 1: expected 2 fields, got 1 (and 29 more rows)' });
    expect((err as { issues: unknown[] }).issues).toHaveLength(20);
  });

  it('skips and counts ragged rows with skipBadRows, still reporting the first N', async () => {
    const { rows, skipped, errors } = await readRows(bytes(ragged), 'csv', { skipBadRows: true, maxReportedErrors: 2 });
    expect(rows).toEqual([
      { a: '1', b: '2', c: '3' },
      { a: '6', b: '7', c: '8' },
      { a: '17', b: '18', c: '19' },
    ]);
    expect(skipped).toBe(5);
    expect(errors).toEqual([
      { row: 2, message: 'expected 3 fields, got 2' },
      { row: 4, message: 'expected 3 fields, got 1' },
    ]);
  });

  it('fails with the report when every row is bad, even with skipBadRows', async () => {
    await expect(readRows(bytes('a,b\n1\n'), 'csv', { skipBadRows: true })).rejects.toMatchObject({
      code: 'INVALID_DATASET',
      message: 'malformed CSV: row 1: expected 2 fields, got 1',
    });
  });

  it('fails on a broken quote naming the data row and the line, skipBadRows or not', async () => {
    for (const skipBadRows of [false, true]) {
      const err = await readRows(bytes('a,b\n1,2\n"3,4\n5,6\n'), 'csv', { skipBadRows }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INVALID_DATASET', issues: [{ row: 2 }] });
      expect((err as Error).message).toMatch(/^malformed CSV: row 2 \(line 4\): Quote Not Closed/);
    }
    await expect(readRows(bytes('a,b\n1,"2"x\n'), 'csv')).rejects.toThrow(/^malformed CSV: row 1 \(line 2\): Invalid Closing Quote/);
  });

  it('refuses a header that names a column twice', async () => {
    await expect(readRows(bytes('a,b,a\n1,2,3\n'), 'csv')).rejects.toMatchObject({
      code: 'INVALID_DATASET',
      message: 'malformed CSV: the header names column "a" twice',
    });
  });

  it.each(['', 'a,b\n', '\uFEFF\r\n\r\n'])('refuses a file without data rows: %j', async (text) => {
    await expect(readRows(bytes(text), 'csv')).rejects.toMatchObject({ code: 'INVALID_DATASET', message: 'the dataset has no rows' });
  });
});
