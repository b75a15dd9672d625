import { describe, expect, it } from 'vitest';
import { diffDatasets } from './index.ts';
import { csv, json } from './test-data.ts';
import { errorOf } from '../../test-support/errors.ts';


describe('diffDatasets: schema', async () => {
  it('reports added, removed and retyped columns in column order', async () => {
    const from = await csv('id,mass,sex,island\n1,3750,MALE,Torgersen\n');
    const to = await csv('id,mass,island,year,note\n1,heavy,Torgersen,2007,x\n');
    expect(diffDatasets(from, to).schema).toEqual({
      added: [
        { name: 'year', type: 'integer' },
        { name: 'note', type: 'categorical' },
      ],
      removed: [{ name: 'sex', type: 'categorical' }],
      typeChanged: [{ name: 'mass', from: 'integer', to: 'categorical' }],
    });
  });
});

describe('diffDatasets: key mode', async () => {
  const from = await csv('id,species,mass\n1,Adelie,3750\n2,Adelie,3800\n3,Gentoo,5000\n4,Chinstrap,3500\n');
  const to = await csv('id,species,mass\n4,Chinstrap,3500\n2,Adelie,3900\n5,Gentoo,5200\n1,Adelie,3750.0\n');

  it('matches rows by key and reports exact added, removed and changed samples', async () => {
    expect(diffDatasets(from, to, { key: 'id' })).toEqual({
      // 3750.0 makes the column a number; the value still equals 3750.
      schema: { added: [], removed: [], typeChanged: [{ name: 'mass', from: 'integer', to: 'number' }] },
      mode: 'key',
      key: 'id',
      counts: { from: 4, to: 4, added: 1, removed: 1, changed: 1, unchanged: 2 },
      samples: {
        added: [{ row: 3, values: { id: '5', species: 'Gentoo', mass: '5200' } }],
        removed: [{ row: 3, values: { id: '3', species: 'Gentoo', mass: '5000' } }],
        changed: [{ key: '2', fromRow: 2, toRow: 2, changes: [{ column: 'mass', from: '3800', to: '3900' }] }],
      },
    });
  });

  it('compares CSV strings with JSON numbers by value, and missing with empty', async () => {
    const a = await csv('id,bill,sex\n1,39.10,\n2,40,MALE\n');
    const b = await json([
      { id: 1, bill: 39.1, sex: null },
      { id: 2, bill: 40, sex: ' MALE ' },
    ]);
    const diff = diffDatasets(a, b, { key: 'id' });
    expect(diff.counts).toEqual({ from: 2, to: 2, added: 0, removed: 0, changed: 0, unchanged: 2 });
  });

  it('ignores columns only one version has when deciding a row changed', async () => {
    const a = await csv('id,mass,sex\n1,3750,MALE\n');
    const b = await csv('id,mass,year\n1,3750,2007\n');
    const diff = diffDatasets(a, b, { key: 'id' });
    expect(diff.counts.changed).toBe(0);
    expect(diff.counts.unchanged).toBe(1);
    expect(diff.schema.added).toEqual([{ name: 'year', type: 'integer' }]);
  });

  it('compares as numbers in a column that turned categorical, and reports stored values', async () => {
    const a = await csv('id,mass\n1,39.10\n2,40\n');
    const b = await csv('id,mass\n1,39.1\n2,unknown\n');
    const diff = diffDatasets(a, b, { key: 'id' });
    expect(diff.schema.typeChanged).toEqual([{ name: 'mass', from: 'number', to: 'categorical' }]);
    expect(diff.samples.changed).toEqual([{ key: '2', fromRow: 2, toRow: 2, changes: [{ column: 'mass', from: '40', to: 'unknown' }] }]);
  });

  it('reports a cell that became missing with null', async () => {
    const diff = diffDatasets(await json([{ id: 'a', x: 1 }]), await json([{ id: 'a' }, { id: 'b', x: 2 }]), { key: 'id' });
    expect(diff.samples.changed).toEqual([{ key: 'a', fromRow: 1, toRow: 1, changes: [{ column: 'x', from: 1, to: null }] }]);
  });

  it('refuses a key column missing from a version, with issue path "key"', async () => {
    const to = await csv('ident,mass\n1,2\n');
    const err = errorOf(() => diffDatasets(from, to, { key: 'id' }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.issues).toEqual([{ path: 'key', message: `key column "id" is not a column of the 'to' version` }]);
  });

  it('refuses duplicate and missing keys, naming the version, row and key value', async () => {
    const a = await csv('id,mass\n7,1\n8,2\n7,3\n');
    const b = await csv('id,mass\n7,1\n,2\n');
    const err = errorOf(() => diffDatasets(a, b, { key: 'id' }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe(`key "id" does not identify rows: 'from' row 3 repeats key "7" (first at row 1); 'to' row 2 has no key value`);
    expect(err.issues).toEqual([
      { path: 'from', row: 3, column: 'id', message: `'from' row 3 repeats key "7" (first at row 1)` },
      { path: 'to', row: 2, column: 'id', message: `'to' row 2 has no key value` },
    ]);
  });

  it('treats keys that differ only in encoding as duplicates', async () => {
    const [a, b] = [await csv('id\n1\n1.0\n'), await csv('id\n1\n')];
    const err = errorOf(() => diffDatasets(a, b, { key: 'id' }));
    expect(err.issues?.[0]).toMatchObject({ path: 'from', row: 2 });
  });

  it('names the first few problems and counts the rest', async () => {
    const many = await csv(`id\n${Array.from({ length: 30 }, () => '1').join('\n')}\n`);
    const one = await csv('id\n1\n');
    const err = errorOf(() => diffDatasets(many, one, { key: 'id' }));
    expect(err.message).toMatch(/row 4 repeats key "1" \(first at row 1\); and 26 more$/);
    expect(err.issues).toHaveLength(10);
  });
});

describe('diffDatasets: identical versions and limits', async () => {
  it('calls identical versions all unchanged in both modes, whatever the encoding', async () => {
    const a = await csv('id,bill,species\n1,39.10,Adelie\n2,,Gentoo\n');
    const b = await json([
      { species: 'Adelie', id: 1, bill: 39.1 },
      { species: 'Gentoo', id: 2, bill: null },
    ]);
    const counts = { from: 2, to: 2, added: 0, removed: 0, changed: 0, unchanged: 2 };
    expect(diffDatasets(a, b, { key: 'id' }).counts).toEqual(counts);
    expect(diffDatasets(a, b).counts).toEqual(counts);
  });

  it('keeps at most sampleLimit samples per list, the first in row order, with exact counts', async () => {
    const a = await csv(`id,v\n${Array.from({ length: 10 }, (_, i) => `${i},0`).join('\n')}\n`);
    const b = await csv(`id,v\n${Array.from({ length: 10 }, (_, i) => `${i + 5},${i + 5 < 10 ? 1 : 0}`).join('\n')}\n`);
    const diff = diffDatasets(a, b, { key: 'id', sampleLimit: 2 });
    expect(diff.counts).toEqual({ from: 10, to: 10, added: 5, removed: 5, changed: 5, unchanged: 0 });
    expect(diff.samples.added.map((s) => s.row)).toEqual([6, 7]);
    expect(diff.samples.removed.map((s) => s.row)).toEqual([1, 2]);
    expect(diff.samples.changed.map((s) => s.key)).toEqual(['5', '6']);
    expect(diffDatasets(a, b, { sampleLimit: 0 }).samples).toEqual({ added: [], removed: [], changed: [] });
  });

  it('defaults to 20 samples and refuses a bad sampleLimit', async () => {
    const a = await csv(`v\n${Array.from({ length: 25 }, (_, i) => i).join('\n')}\n`);
    expect(diffDatasets(a, await csv('v\n-1\n')).samples.removed).toHaveLength(20);
    expect(errorOf(() => diffDatasets(a, a, { sampleLimit: -1 })).issues).toEqual([{ path: 'sampleLimit', message: 'sampleLimit must be a non-negative integer, got -1' }]);
  });
});
