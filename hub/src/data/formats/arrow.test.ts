import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  Binary, DateDay, Dictionary, Field, Float64, Int32, Int64, List, Struct, Table, TimestampMicrosecond, TimestampMillisecond, Utf8,
  tableToIPC, vectorFromArray,
} from 'apache-arrow';
import { readRows } from './index.ts';

// vega-datasets exports only its JS entry, not data/: find the file beside it.
const datasets = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');

const table = new Table({
  id: vectorFromArray([1n, 2n ** 60n, null], new Int64()),
  species: vectorFromArray(['Adelie', null, 'Adelie'], new Dictionary(new Utf8(), new Int32())),
  at: vectorFromArray([new Date('2024-01-02T03:04:05.006Z'), null, new Date(0)], new TimestampMillisecond()),
  at_us: vectorFromArray([new Date('2024-01-02T03:04:05.006Z'), null, null], new TimestampMicrosecond()),
  day: vectorFromArray([new Date('2024-01-02T00:00:00Z'), new Date(0), null], new DateDay()),
  mass: vectorFromArray([3750.5, null, 4000], new Float64()),
  tags: vectorFromArray([[1, 2], null, []], new List(new Field('item', new Int32(), true))),
  pos: vectorFromArray([{ n: 3n, s: 'x' }, null, { n: 2n ** 60n, s: null }], new Struct([new Field('n', new Int64(), true), new Field('s', new Utf8(), true)])),
  blob: vectorFromArray([new Uint8Array([1, 2, 255]), null, new Uint8Array()], new Binary()),
});

const expected = [
  { id: 1, species: 'Adelie', at: '2024-01-02T03:04:05.006Z', at_us: '2024-01-02T03:04:05.006Z', day: '2024-01-02T00:00:00.000Z', mass: 3750.5, tags: '[1,2]', pos: '{"n":3,"s":"x"}', blob: 'AQL/' },
  { id: '1152921504606846976', species: null, at: null, at_us: null, day: '1970-01-01T00:00:00.000Z', mass: null, tags: null, pos: null, blob: null },
  { id: null, species: 'Adelie', at: '1970-01-01T00:00:00.000Z', at_us: null, day: null, mass: 4000, tags: '[]', pos: '{"n":"1152921504606846976","s":null}', blob: '' },
];

describe('readRows: Arrow IPC', () => {
  it.each(['file', 'stream'] as const)('reads the %s format, normalizing Int64, dictionaries, timestamps, nested and binary cells', async (kind) => {
    expect(await readRows(tableToIPC(table, kind), 'arrow')).toEqual({ rows: expected, skipped: 0, errors: [] });
  });

  it('reads the real flights-200k.arrow', async () => {
    const bytes = new Uint8Array(readFileSync(join(datasets, 'flights-200k.arrow')));
    const start = performance.now();
    const { rows } = await readRows(bytes, 'arrow');
    console.log(`flights-200k.arrow: ${(bytes.byteLength / 1e6).toFixed(1)} MB, ${rows.length} rows read in ${(performance.now() - start).toFixed(0)} ms`);
    expect(rows).toHaveLength(200_000);
    expect(Object.keys(rows[0]!)).toEqual(['delay', 'distance', 'time']);
    // The same values as the first and last rows of flights-200k.json (time is a Float32 there).
    expect(rows[0]).toEqual({ delay: 0, distance: 1452, time: 0 });
    expect(rows[1]).toEqual({ delay: 171, distance: 2227, time: 0 });
    expect(rows[199_999]).toEqual({ delay: 0, distance: 1452, time: Math.fround(23.983333333333334) });
  });

  it('refuses a file that does not parse, or has no rows', async () => {
    await expect(readRows(new TextEncoder().encode('delay,distance\n1,2\n'), 'arrow')).rejects.toMatchObject({
      code: 'INVALID_DATASET',
      message: expect.stringMatching(/^unreadable Arrow IPC file: .+/),
    });
    await expect(readRows(new Uint8Array(), 'arrow')).rejects.toThrow('the dataset has no rows');
    await expect(readRows(tableToIPC(table.slice(0, 0)), 'arrow')).rejects.toThrow('the dataset has no rows');
  });
});
