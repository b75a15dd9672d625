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

describe('splitIndices with a test part', () => {
  it('holds back test rows from one shuffle, disjoint from train and validation; without a test part it is the old split', () => {
    const three = splitIndices(344, 0.2, 42, 0.15);
    expect([three.train.length, three.validation.length, three.test.length]).toEqual([223, 69, 52]);
    expect(new Set([...three.train, ...three.validation, ...three.test]).size).toBe(344);
    const two = splitIndices(344, 0.2, 42);
    expect(two.test).toEqual([]);
    expect(two.validation).toEqual(three.validation);
    expect([...two.train].sort((a, b) => a - b)).toEqual([...three.train, ...three.test].sort((a, b) => a - b));
    expect(splitIndices(3, 0.5, 1, 0.5).train.length).toBeGreaterThanOrEqual(1);
  });
});
