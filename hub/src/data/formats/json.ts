import { OutpostError } from '@outpost/shared';
import type { RawRecord } from '@outpost/shared';
import { createRowCollector, type RowPolicy } from './bad-rows.ts';
import type { ReadResult, RowError } from './types.ts';

/** A JSON array of flat objects; row N is the array's N-th element (1-based). */
export function readJsonArray(text: string, policy: RowPolicy): ReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    throw new OutpostError('INVALID_DATASET', `malformed JSON: ${message}`, { issues: [{ message }], cause: e });
  }
  if (!Array.isArray(value)) throw new OutpostError('INVALID_DATASET', 'JSON datasets must be an array of objects, one per row');
  const rows = createRowCollector('JSON', policy);
  value.forEach((item: unknown, i) => collect(rows, item, i + 1, ''));
  return rows.finish();
}

/**
 * One JSON object per line. Blank lines are ignored, and row N is the N-th non-blank line (1-based),
 * so that rows count the same way as in the other formats; each problem's message also names the
 * physical line, which is what an editor shows.
 */
export function readNdjson(text: string, policy: RowPolicy): ReadResult {
  const rows = createRowCollector('NDJSON', policy);
  let row = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim(); // also drops the \r of CRLF
    if (line === '') return;
    row++;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (e) {
      rows.reject([{ row, message: `line ${i + 1}: not valid JSON (${(e as Error).message})` }]);
      return;
    }
    collect(rows, item, row, `line ${i + 1}: `);
  });
  return rows.finish();
}

/** Accept a flat object whose values are strings, numbers, booleans or null; reject anything else. */
function collect(rows: ReturnType<typeof createRowCollector>, item: unknown, row: number, prefix: string): void {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    rows.reject([{ row, message: `${prefix}each row must be an object` }]);
    return;
  }
  const problems: RowError[] = [];
  for (const [column, v] of Object.entries(item)) {
    if (v !== null && typeof v === 'object') problems.push({ row, column, message: `${prefix}values must be strings, numbers, booleans or null` });
  }
  if (problems.length > 0) rows.reject(problems);
  else rows.accept(item as RawRecord);
}
