import { describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { Bool, Float64, Int64, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { RawRecord } from '@outpost/shared';
import { bytesSource, type ByteSource } from '../../blobs/byte-source.ts';
import { CHUNK_ROWS } from './chunks.ts';
import { openRows } from './index.ts';

const encode = (s: string) => new TextEncoder().encode(s);

/** A source that hands its bytes over in tiny pieces, splitting lines and UTF-8 sequences. */
function trickleSource(bytes: Uint8Array, piece: number): ByteSource {
  return {
    ...bytesSource(bytes),
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.byteLength; i += piece) c.enqueue(bytes.slice(i, i + piece));
          c.close();
        },
      }),
  };
}

async function chunksOf(source: ByteSource, format: Parameters<typeof openRows>[1], options = {}) {
  const reader = await openRows(source, format, options);
  const chunks: RawRecord[][] = [];
  for await (const chunk of reader.chunks()) chunks.push(chunk);
  return { reader, chunks, rows: chunks.flat() };
}

describe('openRows: a chunk at a time', () => {
  it('hands CSV rows on in order, in chunks of at most CHUNK_ROWS', async () => {
    const n = 2 * CHUNK_ROWS + 7;
    const text = `i,name\n${Array.from({ length: n }, (_, i) => `${i},"n ${i}"`).join('\n')}\n`;
    const { chunks, rows } = await chunksOf(trickleSource(encode(text), 4093), 'csv');
    expect(chunks.map((c) => c.length)).toEqual([CHUNK_ROWS, CHUNK_ROWS, 7]);
    expect(rows.map((r) => Number(r.i))).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(rows[n - 1]).toEqual({ i: String(n - 1), name: `n ${n - 1}` });
  });

  it('reads NDJSON whose lines and UTF-8 characters are split between stream pieces', async () => {
    const lines = ['{"city":"Zürich","n":1}', '', '{"city":"København","n":2}\r', '{"city":"東京","n":3}'];
    for (const piece of [1, 2, 3, 7]) {
      const { rows } = await chunksOf(trickleSource(encode(lines.join('\n')), piece), 'ndjson');
      expect(rows, `pieces of ${piece} bytes`).toEqual([
        { city: 'Zürich', n: 1 },
        { city: 'København', n: 2 },
        { city: '東京', n: 3 },
      ]);
    }
  });

  it('fails at the end of a streamed read on bad rows (all counted), or skips them and says how many', async () => {
    const text = `a,b\n${Array.from({ length: 30_000 }, (_, i) => (i % 10_000 === 5 ? '1' : `${i},x`)).join('\n')}\n`;
    await expect(chunksOf(trickleSource(encode(text), 65_536), 'csv')).rejects.toThrow('malformed CSV: row 6: expected 2 fields, got 1 (and 2 more rows)');
    const { reader, rows } = await chunksOf(trickleSource(encode(text), 65_536), 'csv', { skipBadRows: true });
    expect(rows).toHaveLength(29_997);
    expect(reader.summary()).toMatchObject({ skipped: 3, errors: [{ row: 6 }, { row: 10_006 }, { row: 20_006 }] });
  });

  it('reads Parquet one row group at a time and takes column types from its schema', async () => {
    const n = 2_500;
    const file = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: Array.from({ length: n }, (_, i) => BigInt(i)), type: 'INT64' },
        { name: 'at', data: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 60_000)), type: 'TIMESTAMP' },
        { name: 'mass', data: Array.from({ length: n }, (_, i) => i / 2), type: 'DOUBLE' },
        { name: 'ok', data: Array.from({ length: n }, (_, i) => i % 2 === 0), type: 'BOOLEAN' },
        { name: 'species', data: Array.from({ length: n }, (_, i) => ['Adelie', 'Gentoo'][i % 2]!), type: 'STRING' },
        { name: 'meta', data: Array.from({ length: n }, () => ({ a: 1 })), type: 'JSON' },
      ],
      rowGroupSize: 1_000,
    });
    const { reader, chunks, rows } = await chunksOf(bytesSource(new Uint8Array(file)), 'parquet');
    expect(reader.schema).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'at', type: 'datetime' },
      { name: 'mass', type: 'number' },
      { name: 'ok', type: 'boolean' },
      { name: 'species', type: 'categorical' },
      { name: 'meta', type: 'text' },
    ]);
    expect(chunks.map((c) => c.length)).toEqual([1_000, 1_000, 500]);
    expect(rows[2_499]).toEqual({ id: 2_499, at: new Date(Date.UTC(2024, 0, 1) + 2_499 * 60_000).toISOString(), mass: 1_249.5, ok: false, species: 'Gentoo', meta: '{"a":1}' });
  });

  it('reads Arrow one record batch at a time, from a stream, with column types from its schema', async () => {
    const batch = (from: number) =>
      new Table({
        id: vectorFromArray([BigInt(from), BigInt(from + 1)], new Int64()),
        at: vectorFromArray([new Date(from * 1000), null], new TimestampMillisecond()),
        x: vectorFromArray([from / 2, null], new Float64()),
        ok: vectorFromArray([true, false], new Bool()),
        tag: vectorFromArray(['a', 'b'], new Utf8()),
      }).batches[0]!;
    const first = batch(0);
    const table = new Table(first.schema, [first, batch(2), batch(4)]);
    for (const type of ['stream', 'file'] as const) {
      const { reader, chunks, rows } = await chunksOf(trickleSource(tableToIPC(table, type), 13), 'arrow');
      expect(reader.schema?.map((c) => `${c.name}:${c.type}`)).toEqual(['id:integer', 'at:datetime', 'x:number', 'ok:boolean', 'tag:categorical']);
      expect(chunks.map((c) => c.length)).toEqual([2, 2, 2]);
      expect(rows.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(rows[2]).toEqual({ id: 2, at: new Date(2000).toISOString(), x: 1, ok: true, tag: 'a' });
    }
  });
});
