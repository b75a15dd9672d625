import { describe, it, expect } from 'vitest';
import { createRng, shuffleInPlace, splitIndices } from './split.ts';

describe('createRng', () => {
  it('is reproducible per seed and stays in [0, 1)', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createRng(43)()).not.toBe(xs[0]);
  });
});

describe('shuffleInPlace', () => {
  it('permutes', () => {
    const out = shuffleInPlace([...Array(50).keys()], createRng(1));
    expect([...out].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
    expect(out).not.toEqual([...Array(50).keys()]);
  });
});

describe('splitIndices', () => {
  it.each([
    [344, 0.2, 69],
    [10, 0.2, 2],
    [10, 0, 1],
    [2, 0.9, 1],
    [3, 0.99, 2],
    [1, 0.5, 0],
    [0, 0.2, 0],
  ])('%i rows at %f hold out %i', (count, fraction, held) => {
    const { train, validation } = splitIndices(count, fraction, 7);
    expect(validation).toHaveLength(held);
    expect([...train, ...validation].sort((x, y) => x - y)).toEqual([...Array(count).keys()]);
  });

  it('depends only on the seed', () => {
    expect(splitIndices(100, 0.2, 5)).toEqual(splitIndices(100, 0.2, 5));
    expect(splitIndices(100, 0.2, 5).validation).not.toEqual(splitIndices(100, 0.2, 6).validation);
  });
});
