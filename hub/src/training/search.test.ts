import { describe, expect, it } from 'vitest';
import { halvingRungs, planTrials, SearchSpaceSchema, topTrials } from './search.ts';
import { errorOf } from '../test-support/errors.ts';

describe('planTrials', () => {
  it('grids every combination of the listed values', () => {
    const trials = planTrials(SearchSpaceSchema.parse({ hiddenUnits: [0, 8, 16], learningRate: [0.01, 0.1] }), { method: 'grid' }, 1);
    expect(trials).toHaveLength(6);
    expect(new Set(trials.map((t) => `${t.hiddenUnits}/${t.learningRate}`)).size).toBe(6);
  });

  it('draws seeded random trials: log-uniform ranges, whole numbers where a setting is one', () => {
    const space = SearchSpaceSchema.parse({ learningRate: { min: 0.001, max: 0.1, log: true }, hiddenUnits: { min: 4, max: 32 }, batchSize: [16, 32] });
    const a = planTrials(space, { method: 'random', trials: 200 }, 7);
    expect(planTrials(space, { method: 'random', trials: 200 }, 7)).toEqual(a);
    expect(planTrials(space, { method: 'random', trials: 200 }, 8)).not.toEqual(a);
    expect(a.every((t) => t.learningRate! >= 0.001 && t.learningRate! <= 0.1)).toBe(true);
    expect(a.every((t) => Number.isInteger(t.hiddenUnits) && t.hiddenUnits! >= 4 && t.hiddenUnits! <= 32)).toBe(true);
    // Log-uniform: about half the draws below the geometric middle 0.01.
    const below = a.filter((t) => t.learningRate! < 0.01).length;
    expect(below).toBeGreaterThan(70);
    expect(below).toBeLessThan(130);
  });

  it('varies dropout and L2 as real numbers', () => {
    const trials = planTrials(SearchSpaceSchema.parse({ dropout: { min: 0, max: 0.5 }, l2: { min: 1e-6, max: 1e-2, log: true } }), { method: 'random', trials: 20 }, 3);
    expect(trials.every((t) => t.dropout! >= 0 && t.dropout! <= 0.5 && t.l2! >= 1e-6 && t.l2! <= 1e-2)).toBe(true);
    expect(trials.some((t) => !Number.isInteger(t.dropout! * 100))).toBe(true);
  });

  it('refuses impossible plans, naming the field', () => {
    expect(errorOf(() => planTrials(SearchSpaceSchema.parse({ learningRate: { min: 0.01, max: 0.1 } }), { method: 'grid' }, 1)).issues?.[0]?.path).toBe('space.learningRate');
    expect(errorOf(() => planTrials(SearchSpaceSchema.parse({ hiddenUnits: Array.from({ length: 20 }, (_, i) => i), batchSize: Array.from({ length: 20 }, (_, i) => i + 1) }), { method: 'grid' }, 1)).message).toMatch(/400 points; at most 200/);
    expect(errorOf(() => planTrials(SearchSpaceSchema.parse({ epochs: [5, 10] }), { method: 'halving', trials: 4, minEpochs: 2, maxEpochs: 8, eta: 2 }, 1)).issues?.[0]?.path).toBe('space.epochs');
    expect(SearchSpaceSchema.safeParse({}).success).toBe(false);
    expect(SearchSpaceSchema.safeParse({ activation: ['relu'] }).success).toBe(false);
    // Values the trainer would refuse are refused before any trial trains.
    const tooMuch = errorOf(() => planTrials(SearchSpaceSchema.parse({ dropout: { min: 0, max: 0.95 } }), { method: 'random', trials: 3 }, 1));
    expect(tooMuch.issues?.[0]).toMatchObject({ path: 'space.dropout', message: 'dropout must be in [0, 0.9), the space has 0.95' });
    expect(errorOf(() => planTrials(SearchSpaceSchema.parse({ l2: [0, -1] }), { method: 'grid' }, 1)).issues?.[0]?.path).toBe('space.l2');
    expect(SearchSpaceSchema.safeParse({ learningRate: { min: 0, max: 1, log: true } }).success).toBe(false);
  });
});

describe('successive halving', () => {
  it('keeps 1/eta of the trials for eta× the epochs, up to maxEpochs', () => {
    expect(halvingRungs({ method: 'halving', trials: 9, minEpochs: 5, maxEpochs: 45, eta: 3 })).toEqual([{ trials: 9, epochs: 5 }, { trials: 3, epochs: 15 }, { trials: 1, epochs: 45 }]);
    expect(halvingRungs({ method: 'halving', trials: 8, minEpochs: 10, maxEpochs: 30, eta: 2 })).toEqual([{ trials: 8, epochs: 10 }, { trials: 4, epochs: 20 }, { trials: 2, epochs: 30 }]);
  });

  it('ranks by score, ties to the earlier trial, never a missing score', () => {
    const ranked = topTrials([{ id: 'a', score: 0.9 }, { id: 'b', score: null }, { id: 'c', score: 0.95 }, { id: 'd', score: 0.9 }], 3);
    expect(ranked.map((t) => t.id)).toEqual(['c', 'a', 'd']);
  });
});
