import { describe, expect, it } from 'vitest';
import { encodeRecords, FeatureSpecSchema, type FeatureSpec } from '@outpost/shared';
import { applyGraphTransforms, graphTransformsOf } from './graph-transforms.ts';
import { writeDenseClassifierOnnx } from './onnx-writer.ts';
import { runOnnx } from './parity.ts';

// One of each: standardized, min-max (clipped), logged, a categorical passing through, and an old-style standardized column.
const spec: FeatureSpec = FeatureSpecSchema.parse({
  features: [
    { name: 'a', kind: 'numeric', mean: 10, std: 4, inGraph: true },
    { name: 'b', kind: 'numeric', transform: 'minmax', mean: 5, std: 2, min: 2, max: 7, inGraph: true },
    { name: 'c', kind: 'numeric', transform: 'log', mean: 8, std: 0.5, fill: 2980, inGraph: true },
    { name: 'd', kind: 'categorical', categories: ['x', 'y'], mode: 'x' },
    { name: 'e', kind: 'numeric', mean: 1, std: 2 },
  ],
  label: { name: 'v', task: 'regression' },
});
const rows = [
  { a: 14, b: 4.5, c: 3000, d: 'y', e: 3 },
  { a: -2, b: 9, c: -5, d: 'x', e: 1 },
  { a: null, b: 1, c: null, d: null, e: null },
];

describe('feature transforms in the ONNX graph', () => {
  it('the encoding sends raw numbers (or the fill) for them, and transforms the rest as before', () => {
    const x = encodeRecords(spec, rows);
    expect(Array.from(x.subarray(0, 6))).toEqual([14, 4.5, 3000, 0, 1, 1]);
    // Missing: the raw mean (a), the raw fill (c); the old-style column e is standardized by the encoding.
    expect(Array.from(x.subarray(12, 18))).toEqual([10, 1, 2980, 1, 0, 0]);
  });

  it('computes in the graph what the trainer computes, and what the transforms mean', async () => {
    const t = graphTransformsOf(spec)!;
    const x = encodeRecords(spec, rows);
    const expected = applyGraphTransforms(t, x);
    expect(expected[0]).toBeCloseTo((14 - 10) / 4, 6);
    expect(expected[1]).toBeCloseTo((4.5 - 2) / 5, 6);
    expect(expected[2]).toBeCloseTo((Math.log1p(3000) - 8) / 0.5, 5);
    expect([expected[6 + 1], expected[12 + 1]]).toEqual([1, 0]); // min-max clips to [0, 1]
    expect(expected[6 + 2]).toBeCloseTo((0 - 8) / 0.5, 6); // negatives log as 0
    expect(Array.from(expected.subarray(3, 6))).toEqual(Array.from(x.subarray(3, 6))); // passed through

    // Through onnxruntime-web: an identity layer after the prefix shows what the prefix computed.
    const width = 6;
    const kernel = new Float32Array(width * width);
    for (let i = 0; i < width; i++) kernel[i * width + i] = 1;
    const bytes = writeDenseClassifierOnnx({ inputName: 'input', outputName: 'value', inputWidth: width, transforms: t, layers: [{ in: width, out: width, activation: 'linear', kernel, bias: new Float32Array(width) }] });
    const got = await runOnnx(bytes, 'input', x, [rows.length, width]);
    got.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-6));
  });

  it('has nothing to do for a spec without them (older and uploaded specs)', () => {
    expect(graphTransformsOf({ ...spec, features: spec.features.filter((f) => !(f.kind === 'numeric' && f.inGraph)) })).toBeNull();
    expect(FeatureSpecSchema.safeParse({ ...spec, features: [{ name: 'z', kind: 'numeric', transform: 'bucketize', edges: [1], mean: 0, std: 1, inGraph: true }] }).success).toBe(false);
  });
});
