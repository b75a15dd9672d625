import { describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bytesSource } from '../../blobs/byte-source.ts';
import { openRows, readRows } from './index.ts';

describe('readRows: Parquet', () => {
  it('reads typed columns with nulls, normalizing INT64, timestamps, binary and JSON cells', async () => {
    const file = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: [1n, 2n ** 60n, null], type: 'INT64' },
        { name: 'at', data: [new Date('2024-01-02T03:04:05.006Z'), null, new Date(0)], type: 'TIMESTAMP' },
        { name: 'species', data: ['Adelie', null, 'Gentoo'], type: 'STRING' },
        { name: 'male', data: [true, false, null], type: 'BOOLEAN' },
        { name: 'mass', data: [3750.5, null, 4000], type: 'DOUBLE' },
        { name: 'count', data: [1, 2, null], type: 'INT32' },
        { name: 'blob', data: [new Uint8Array([1, 2, 255]), null, new Uint8Array([])], type: 'BYTE_ARRAY' },
        { name: 'meta', data: [{ a: 1 }, null, [1, 'x']], type: 'JSON' },
      ],
    });
    // Read from a view into a larger buffer, as a request body may be.
    const padded = new Uint8Array(file.byteLength + 8);
    padded.set(new Uint8Array(file), 4);
    expect(await readRows(padded.subarray(4, 4 + file.byteLength), 'parquet')).toEqual({
      rows: [
        { id: 1, at: '2024-01-02T03:04:05.006Z', species: 'Adelie', male: true, mass: 3750.5, count: 1, blob: 'AQL/', meta: '{"a":1}' },
        { id: '1152921504606846976', at: null, species: null, male: false, mass: null, count: 2, blob: null, meta: null },
        { id: null, at: '1970-01-01T00:00:00.000Z', species: 'Gentoo', male: null, mass: 4000, count: null, blob: '', meta: '[1,"x"]' },
      ],
      skipped: 0,
      errors: [],
    });
  });

  it('refuses a file that does not parse, with the reader message', async () => {
    const err = await readRows(new TextEncoder().encode('a,b\n1,2\n'), 'parquet').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_DATASET', message: expect.stringMatching(/^unreadable Parquet file: .+/) });
    await expect(readRows(new Uint8Array(), 'parquet')).rejects.toMatchObject({ code: 'INVALID_DATASET' });
  });
});

describe('readRows: Parquet codecs without WebAssembly (as on Workers)', () => {
  it('decodes SNAPPY with hyparquet’s JS decoder and ZSTD with fzstd', async () => {
    const snappy = parquetWriteBuffer({ columnData: [{ name: 'word', data: Array.from({ length: 500 }, (_, i) => `word-${i % 7}`), type: 'STRING' }], codec: 'SNAPPY' });
    const { rows } = await readRows(new Uint8Array(snappy), 'parquet');
    expect(rows).toHaveLength(500);
    expect(rows[8]).toEqual({ word: 'word-1' });

    // vega's flights-3m.parquet is ZSTD: its first row group is enough to prove the codec.
    const file = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data', 'flights-3m.parquet');
    const reader = await openRows(bytesSource(new Uint8Array(await readFile(file))), 'parquet');
    for await (const batch of reader.batches!()) {
      expect(batch.length).toBe(272_727);
      expect(batch.rows()[0]).toEqual({ date: '2001-01-01T00:01:00.000Z', delay: 33, distance: 2176, origin: 'LAS', destination: 'PHL' });
      break;
    }
  });
});
