import { describe, expect, it } from 'vitest';
import { diffDatasets } from './index.ts';
import { csv, json } from './test-data.ts';

describe('diffDatasets: row-hash mode', async () => {
  it('compares multisets: a row twice in `to` and once in `from` is one addition', async () => {
    const from = await csv('a,b\nx,1\ny,2\ny,2\nz,3\n');
    const to = await csv('a,b\ny,2\nx,1\nx,1\nq,9\n');
    expect(diffDatasets(from, to)).toEqual({
      schema: { added: [], removed: [], typeChanged: [] },
      mode: 'row-hash',
      counts: { from: 4, to: 4, added: 2, removed: 2, changed: 0, unchanged: 2 },
      samples: {
        added: [
          { row: 3, values: { a: 'x', b: '1' } },
          { row: 4, values: { a: 'q', b: '9' } },
        ],
        // The first 'y,2' (row 2) matched; the second did not.
        removed: [
          { row: 3, values: { a: 'y', b: '2' } },
          { row: 4, values: { a: 'z', b: '3' } },
        ],
        changed: [],
      },
    });
  });

  it('calls an edited row a removal plus an addition', async () => {
    const diff = diffDatasets(await csv('a,b\nx,1\n'), await csv('a,b\nx,2\n'));
    expect(diff.counts).toMatchObject({ added: 1, removed: 1, changed: 0, unchanged: 0 });
  });

  it('fingerprints only shared columns, in name order, so column order and new columns do not matter', async () => {
    const from = await csv('b,a,gone\n1,x,p\n2,y,q\n');
    const to = await json([
      { a: 'y', b: 2, extra: true },
      { a: 'x', b: 1.0, extra: false },
    ]);
    const diff = diffDatasets(from, to);
    expect(diff.counts).toMatchObject({ added: 0, removed: 0, unchanged: 2 });
    expect(diff.schema.removed).toEqual([{ name: 'gone', type: 'categorical' }]);
  });

  it('cannot be fooled by values that contain separators', async () => {
    const diff = diffDatasets(await json([{ a: 'x","y', b: 'z' }]), await json([{ a: 'x', b: 'y","z' }]));
    expect(diff.counts).toMatchObject({ added: 1, removed: 1, unchanged: 0 });
  });

  it('treats a column named __proto__ as data in samples', async () => {
    const diff = diffDatasets(await csv('__proto__,v\n1,2\n'), await csv('__proto__,v\n1,3\n'));
    expect(Object.keys(diff.samples.added[0]!.values)).toEqual(['__proto__', 'v']);
    expect(Object.getPrototypeOf(diff.samples.added[0]!.values)).toBe(Object.prototype);
  });
});
