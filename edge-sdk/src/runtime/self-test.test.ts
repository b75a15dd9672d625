import { describe, expect, test } from 'vitest';
import { SELF_TEST_TOLERANCE, compareOutputs, inputWidthOf, selfTestInputs } from './self-test.ts';

describe('self-test inputs', () => {
  test('the zero vector and a seeded vector in [-2, 2), the same on every call', () => {
    const [zero, seeded] = selfTestInputs(6);
    expect(Array.from(zero!)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(seeded).toHaveLength(6);
    expect(Array.from(seeded!).every((v) => v >= -2 && v < 2)).toBe(true);
    expect(new Set(seeded).size).toBe(6); // not a constant
    expect(Array.from(selfTestInputs(6)[1]!)).toEqual(Array.from(seeded!));
  });
});

describe('compareOutputs', () => {
  test.each([
    { name: 'equal', gpu: [0.25, 0.75], cpu: [0.25, 0.75], ok: true },
    { name: 'float32 reordering noise', gpu: [0.1000001, 0.8999999], cpu: [0.1, 0.9], ok: true },
    { name: 'just within, absolute below 1', gpu: [0.5 + 0.9 * SELF_TEST_TOLERANCE], cpu: [0.5], ok: true },
    { name: 'relative above 1', gpu: [1000.05], cpu: [1000], ok: true },
    { name: 'beyond the tolerance', gpu: [0.5, 0.502], cpu: [0.5, 0.5], ok: false, reason: /max diff 2\.0e-3 at output 1/ },
    { name: 'relative beyond, large values', gpu: [1000.2], cpu: [1000], ok: false, reason: /at output 0/ },
    { name: 'NaN from webgpu', gpu: [NaN], cpu: [0.5], ok: false, reason: /max diff NaN/ },
    { name: 'different lengths', gpu: [1, 2], cpu: [1, 2, 3], ok: false, reason: /2 values from webgpu, 3 from wasm/ },
  ])('$name', ({ gpu, cpu, ok, reason }) => {
    const verdict = compareOutputs(Float32Array.from(gpu), Float32Array.from(cpu));
    expect(verdict.mismatch === undefined).toBe(ok);
    if (reason) expect(verdict.mismatch).toMatch(reason);
  });

  test('the max diff is the largest over all outputs', () => {
    expect(compareOutputs([0.1, 0.20003, 0.3], [0.1, 0.2, 0.30001]).maxDiff).toBeCloseTo(3e-5, 9);
  });
});

test.each([
  { shape: ['batch', 4], width: 4 },
  { shape: [1, 7], width: 7 },
  { shape: ['batch', 'features'], width: undefined },
  { shape: [], width: undefined },
  { shape: undefined, width: undefined },
])('input width of $shape is $width', ({ shape, width }) => {
  expect(inputWidthOf(shape)).toBe(width);
});
