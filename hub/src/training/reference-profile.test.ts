import { describe, expect, it } from 'vitest';
import { REFERENCE_SAMPLE_MAX_ROWS, type FeatureSpec, type RawRecord } from '@outpost/shared';
import { referenceProfile } from './reference-profile.ts';

const spec: FeatureSpec = {
  features: [
    { name: 'x', kind: 'numeric', mean: 0, std: 1 },
    { name: 'c', kind: 'categorical', categories: ['a', 'b'], mode: 'a' },
  ],
  label: { name: 'y', task: 'regression' },
};
const rows = (n: number): RawRecord[] => Array.from({ length: n }, (_, i) => ({ x: i % 7 === 0 ? null : String(i / 4), c: i % 2 ? 'a' : 'b' }));

describe('referenceProfile', () => {
  it("keeps a small reference's finite numeric values, features and outputs, in row order, skipping missing cells", () => {
    const data = rows(20);
    const train = [3, 0, 5, 7, 9];
    const outputs = Float32Array.from([0.5, 1.5, 2.5, 3.5, 4.5]);
    const profile = referenceProfile(spec, data, train, outputs);
    expect(profile.sample).toEqual({ rows: 5, columns: { x: [0.75, 1.25, 2.25], prediction: [0.5, 1.5, 2.5, 3.5, 4.5] } });
    expect(profile.features.rowCount).toBe(5);
  });

  it(`keeps no sample past ${REFERENCE_SAMPLE_MAX_ROWS} rows (Evidently's KS rule stops there; the profiles stand for it)`, () => {
    const n = REFERENCE_SAMPLE_MAX_ROWS + 1;
    const profile = referenceProfile(spec, rows(n), Array.from({ length: n }, (_, i) => i), new Float32Array(n));
    expect(profile.sample).toBeUndefined();
    expect(profile.features.rowCount).toBe(n);
    expect(referenceProfile(spec, rows(n), Array.from({ length: n - 1 }, (_, i) => i), new Float32Array(n - 1)).sample?.rows).toBe(n - 1);
  });
});
