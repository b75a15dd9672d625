import { describe, expect, it } from 'vitest';
import { createRng } from '../../training/split.ts';
import { allocateSizes } from './apportion.ts';
import { splitGroups } from './group.ts';
import { splitRandom } from './random.ts';
import { SPLIT_PARTS, type SplitPart } from './schema.ts';
import { splitStratified } from './stratified.ts';
import { splitTime } from './time.ts';

const count = (assignment: readonly SplitPart[]) =>
  Object.fromEntries(SPLIT_PARTS.map((p) => [p, assignment.filter((a) => a === p).length]));

describe('splitRandom', () => {
  it('never puts a row in a zero-fraction part', () => {
    expect(count(splitRandom(50, { train: 0.8, validation: 0, test: 0.2 }, 3))).toEqual({ train: 40, validation: 0, test: 10 });
  });
});

describe('splitStratified', () => {
  it('keeps each class within ±1 row of its share, over many class sizes', () => {
    const classes = Array.from({ length: 40 }, (_, c) => Array.from<string>({ length: c + 1 }).fill(`c${c}`)).flat();
    const fractions = { train: 0.6, validation: 0.25, test: 0.15 };
    const assignment = splitStratified(classes, fractions, 9);
    for (let c = 0; c < 40; c++) {
      const mine = assignment.filter((_, i) => classes[i] === `c${c}`);
      for (const part of SPLIT_PARTS) {
        expect(Math.abs(mine.filter((p) => p === part).length - (c + 1) * fractions[part])).toBeLessThan(1);
      }
    }
  });
});

describe('splitTime', () => {
  it('orders by time, stable for ties', () => {
    expect(splitTime([30, 10, 20], { train: 0.34, validation: 0.33, test: 0.33 })).toEqual(['test', 'train', 'validation']);
  });
});

describe('splitGroups', () => {
  // 300 groups of 1–9 rows, sizes from a seeded generator.
  const rng = createRng(5);
  const groups = Array.from({ length: 300 }, (_, g) => Array.from<string>({ length: 1 + Math.floor(rng() * 9) }).fill(`g${g}`)).flat();
  const fractions = { train: 0.7, validation: 0.15, test: 0.15 };

  it('keeps groups whole and ends near each target', () => {
    const assignment = splitGroups(groups, fractions, 42);
    const partOf = new Map<string, SplitPart>();
    groups.forEach((g, i) => {
      expect(partOf.get(g) ?? assignment[i]).toBe(assignment[i]);
      partOf.set(g, assignment[i]!);
    });
    const targets = allocateSizes(groups.length, fractions);
    const sizes = count(assignment);
    for (const part of SPLIT_PARTS) {
      // No overshoot by a whole group (largest is 9); what one part lacks the others hold.
      expect(sizes[part]! - targets[part]).toBeLessThan(9);
      expect(targets[part] - sizes[part]!).toBeLessThan(2 * 9);
    }
  });

  it('gives every non-zero part a group when there are enough groups', () => {
    for (let seed = 0; seed < 20; seed++) {
      expect(new Set(splitGroups(['a', 'a', 'a', 'a', 'b', 'c', 'c', 'd'], fractions, seed))).toEqual(new Set(SPLIT_PARTS));
    }
    expect(count(splitGroups(['a', 'b', 'c', 'd'], { train: 0.5, validation: 0.5, test: 0 }, 1)).test).toBe(0);
  });

  it('with as many groups as parts: largest group to the largest target', () => {
    expect(splitGroups(['s', 'm', 'm', 'l', 'l', 'l'], fractions, 7)).toEqual(['test', 'validation', 'validation', 'train', 'train', 'train']);
  });
});
