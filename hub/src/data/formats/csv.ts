import { parse } from 'csv-parse/sync';
import { OutpostError } from '@outpost/shared';
import type { RawValue } from '@outpost/shared';
import { createRowCollector, type RowPolicy } from './bad-rows.ts';
import type { ReadResult } from './types.ts';

/**
 * Delimited text with a header line. Rows are 1-based data rows: the header and empty lines are not
 * rows, and a quoted field may span several lines. Values are trimmed strings; a row whose field count
 * differs from the header's is malformed. An unclosed or broken quote cannot be recovered from and
 * always fails, naming the data row and the line where the parser stopped.
 */
export function readDelimited(text: string, delimiter: string, label: string, policy: RowPolicy): ReadResult {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      // Collect ragged rows ourselves, so that one bad row can be reported with the others or skipped.
      relax_column_count: true,
      // A quote inside an unquoted field (5'11") is kept as text rather than failing the file.
      relax_quotes: true,
    }) as string[][];
  } catch (e) {
    const err = e as Error & { lines?: number; records?: number };
    // `records` counts the records completed before the failure, header included: the broken one is the next data row.
    const row = typeof err.records === 'number' && err.records > 0 ? err.records : undefined;
    const where = [row === undefined ? ' header' : ` row ${row}`, typeof err.lines === 'number' ? ` (line ${err.lines})` : ''].join('');
    throw new OutpostError('INVALID_DATASET', `malformed ${label}:${where}: ${err.message}`, {
      issues: [{ ...(row === undefined ? {} : { row }), message: err.message }],
      cause: e,
    });
  }

  const header = records[0] ?? [];
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new OutpostError('INVALID_DATASET', `malformed ${label}: the header names column ${JSON.stringify(name)} twice`);
    seen.add(name);
  }

  const rows = createRowCollector(label, policy);
  for (let i = 1; i < records.length; i++) {
    const fields = records[i]!;
    if (fields.length !== header.length) {
      rows.reject([{ row: i, message: `expected ${header.length} fields, got ${fields.length}` }]);
      continue;
    }
    // fromEntries defines own properties: a column named __proto__ stays data.
    const row: Record<string, RawValue> = Object.fromEntries(header.map((name, c) => [name, fields[c]]));
    rows.accept(row);
  }
  return rows.finish();
}

/** A delimiter csv-parse can split on without ambiguity. */
export function checkDelimiter(delimiter: string): string {
  if ([...delimiter].length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new OutpostError('INVALID_INPUT', `delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
  }
  return delimiter;
}
