import { describe, expect, it } from 'vitest';
import { binaryRocAuc, oneVsRestRocAuc } from './roc-auc.ts';
import { near, randomClassification } from './test-data.ts';

/** All (positive, negative) pairs, O(n²): 1 when the positive scores higher, 1/2 on a tie. */
function bruteAuc(scores: readonly number[], positive: readonly boolean[]): number | null {
  let pairs = 0;
  let count = 0;
  scores.forEach((sp, i) => {
    if (!positive[i]) return;
    scores.forEach((sn, j) => {
      if (positive[j]) return;
      count++;
      pairs += sp > sn ? 1 : sp === sn ? 0.5 : 0;
    });
  });
  return count === 0 ? null : pairs / count;
}

describe('binaryRocAuc', () => {
  it('counts ties as 1/2 (hand-checked)', () => {
    // positives 0.4, 0.8, 0.6; negatives 0.1, 0.4, 0.6.
    // 0.4 beats 0.1, ties 0.4 → 1.5; 0.8 beats all three → 3; 0.6 beats 0.1 and 0.4, ties 0.6 → 2.5.
    // (1.5 + 3 + 2.5) / (3 · 3) = 7/9
    const scores = [0.1, 0.4, 0.4, 0.8, 0.6, 0.6];
    const positive = [false, false, true, true, false, true];
    expect(binaryRocAuc(scores, positive)).toBe(7 / 9);
    // The JSDoc example.
    expect(binaryRocAuc([0.1, 0.4, 0.4, 0.8], [false, false, true, true])).toBe(0.875);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, 1/2 for a constant score, null with one side empty', () => {
    expect(binaryRocAuc([0.1, 0.2, 0.9], [false, true, true])).toBe(1);
    expect(binaryRocAuc([0.9, 0.2, 0.1], [false, true, true])).toBe(0);
    expect(binaryRocAuc([0.5, 0.5, 0.5, 0.5], [false, true, true, false])).toBe(0.5);
    expect(binaryRocAuc([0.1, 0.2], [true, true])).toBeNull();
    expect(binaryRocAuc([0.1, 0.2], [false, false])).toBeNull();
    expect(binaryRocAuc([], [])).toBeNull();
  });

  it('agrees with counting every pair, on random data full of ties', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { labels, probabilities } = randomClassification(seed, 50 + seed * 7, 2 + (seed % 4));
      for (let c = 0; c < probabilities[0]!.length; c++) {
        const scores = probabilities.map((row) => row[c]!);
        const positive = labels.map((y) => y === c);
        const fast = binaryRocAuc(scores, positive);
        const brute = bruteAuc(scores, positive);
        if (brute === null) expect(fast).toBeNull();
        else expect(near(fast!, brute)).toBe(true);
      }
    }
  });
});

describe('oneVsRestRocAuc', () => {
  it('averages over the classes where AUC is defined', () => {
    // Class 2 never occurs → null; the macro mean is over classes 0 and 1 only.
    const r = oneVsRestRocAuc([0, 1, 0], [[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.5, 0.1, 0.4]], 3);
    expect(r.perClass).toEqual([1, 1, null]);
    expect(r.macro).toBe(1);
    expect(oneVsRestRocAuc([0, 0], [[1, 0], [1, 0]], 2)).toEqual({ perClass: [null, null], macro: null });
  });
});
