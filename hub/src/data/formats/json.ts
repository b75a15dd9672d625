import { OutpostError } from '@outpost/shared';
import type { RawRecord } from '@outpost/shared';
import { createRowCollector, type RowCollector, type RowPolicy } from './bad-rows.ts';
import { CHUNK_ROWS } from './chunks.ts';
import { chunksOf, readAll, type ByteSource } from '../../blobs/byte-source.ts';
import type { RowError, RowReader } from './types.ts';

/**
 * A JSON array of flat objects; row N is the array's N-th element (1-based). The document is parsed
 * whole (JSON.parse needs all of it), so its size is bounded by the upload limit: NDJSON streams.
 */
export function streamJsonArray(source: ByteSource, policy: RowPolicy): RowReader {
  const rows = createRowCollector('JSON', policy);
  let summary: ReturnType<typeof rows.finish> | undefined;
  return {
    async *chunks() {
      let value: unknown;
      try {
        value = JSON.parse(new TextDecoder('utf-8').decode(await readAll(source)));
      } catch (e) {
        const message = (e as Error).message;
        throw new OutpostError('INVALID_DATASET', `malformed JSON: ${message}`, { issues: [{ message }], cause: e });
      }
      if (!Array.isArray(value)) throw new OutpostError('INVALID_DATASET', 'JSON datasets must be an array of objects, one per row');
      for (let i = 0; i < value.length; i++) {
        collect(rows, value[i], i + 1, '');
        if (rows.pending() >= CHUNK_ROWS) yield rows.take();
      }
      if (rows.pending() > 0) yield rows.take();
      summary = rows.finish();
    },
    summary: () => summary ?? { skipped: 0, errors: [] },
  };
}

/**
 * One JSON object per line, read as it streams in. Blank lines are ignored, and row N is the N-th
 * non-blank line (1-based), so that rows count the same way as in the other formats; each
 * problem's message also names the physical line, which is what an editor shows.
 */
export function streamNdjson(source: ByteSource, policy: RowPolicy): RowReader {
  const rows = createRowCollector('NDJSON', policy);
  let summary: ReturnType<typeof rows.finish> | undefined;
  let row = 0;
  let lineNumber = 0;
  const line = (raw: string) => {
    lineNumber++;
    const text = raw.trim(); // also drops the \r of CRLF
    if (text === '') return;
    row++;
    let item: unknown;
    try {
      item = JSON.parse(text);
    } catch (e) {
      rows.reject([{ row, message: `line ${lineNumber}: not valid JSON (${(e as Error).message})` }]);
      return;
    }
    collect(rows, item, row, `line ${lineNumber}: `);
  };
  return {
    async *chunks() {
      const decoder = new TextDecoder('utf-8');
      let tail = '';
      for await (const bytes of chunksOf(source.stream())) {
        const lines = (tail + decoder.decode(bytes, { stream: true })).split('\n');
        tail = lines.pop()!;
        for (const l of lines) line(l);
        if (rows.pending() >= CHUNK_ROWS) yield rows.take();
      }
      line(tail + decoder.decode());
      if (rows.pending() > 0) yield rows.take();
      summary = rows.finish();
    },
    summary: () => summary ?? { skipped: 0, errors: [] },
  };
}

/** Accept a flat object whose values are strings, numbers, booleans or null; reject anything else. */
function collect(rows: RowCollector, item: unknown, row: number, prefix: string): void {
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
