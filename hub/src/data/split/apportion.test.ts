import { describe, expect, it } from 'vitest';
import { allocateSizes, apportion, assignInOrder } from './apportion.ts';

const DEFAULT = { train: 0.7, validation: 0.15, test: 0.15 };

describe('apportion (largest remainder)', () => {
  it.each([
    { n: 344, fractions: DEFAULT, expected: { train: 241, validation: 52, test: 51 } },
    { n: 10, fractions: DEFAULT, expected: { train: 7, validation: 2, test: 1 } },
    { n: 10, fractions: { train: 0.7, validation: 0.2, test: 0.1 }, expected: { train: 7, validation: 2, test: 1 } },
    { n: 10, fractions: { train: 0.3, validation: 0.3, test: 0.4 }, expected: { train: 3, validation: 3, test: 4 } },
    { n: 7, fractions: { train: 1, validation: 0, test: 0 }, expected: { train: 7, validation: 0, test: 0 } },
    { n: 3, fractions: { train: 0.9, validation: 0.05, test: 0.05 }, expected: { train: 3, validation: 0, test: 0 } },
    { n: 0, fractions: DEFAULT, expected: { train: 0, validation: 0, test: 0 } },
  ])('$n rows × $fractions', ({ n, fractions, expected }) => {
    expect(apportion(n, fractions)).toEqual(expected);
  });

  it('breaks equal remainders by priority, then in part order', () => {
    expect(apportion(2, { train: 0.5, validation: 0.25, test: 0.25 })).toEqual({ train: 1, validation: 1, test: 0 });
    expect(apportion(2, { train: 0.5, validation: 0.25, test: 0.25 }, (p) => (p === 'test' ? 1 : 0))).toEqual({
      train: 1,
      validation: 0,
      test: 1,
    });
  });

  it('keeps every count within 1 of its quota and the sum exact', () => {
    for (let n = 0; n < 200; n++) {
      const counts = apportion(n, { train: 0.6, validation: 0.25, test: 0.15 });
      expect(counts.train + counts.validation + counts.test).toBe(n);
      expect(Math.abs(counts.train - n * 0.6)).toBeLessThan(1);
      expect(Math.abs(counts.test - n * 0.15)).toBeLessThan(1);
    }
  });
});

describe('allocateSizes', () => {
  it('gives every non-zero part at least one row', () => {
    expect(allocateSizes(3, { train: 0.9, validation: 0.05, test: 0.05 })).toEqual({ train: 1, validation: 1, test: 1 });
    expect(allocateSizes(2, { train: 0.9, validation: 0.1, test: 0 })).toEqual({ train: 1, validation: 1, test: 0 });
  });
});

describe('assignInOrder', () => {
  it('lays the order out train, validation, test', () => {
    expect(assignInOrder([2, 0, 1], { train: 1, validation: 1, test: 1 })).toEqual(['validation', 'test', 'train']);
  });
});
