import { describe, expect, it } from 'vitest';
import { agreement, resolveLabels } from './agreement.ts';

const labels = (labeler: string, values: string) => [...values].map((label, i) => ({ row: i + 1, labeler, label }));

describe("Cohen's kappa", () => {
  it('matches a hand computation (Wikipedia example: 50 items, 20+15 agree)', () => {
    // A said yes 25 times; B said yes 30 times; both yes 20, both no 15: pₒ = 0.7, pₑ = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.4.
    const a = 'y'.repeat(20) + 'y'.repeat(5) + 'n'.repeat(10) + 'n'.repeat(15);
    const b = 'y'.repeat(20) + 'n'.repeat(5) + 'y'.repeat(10) + 'n'.repeat(15);
    const [pair] = agreement([...labels('ana', a), ...labels('bo', b)]);
    expect(pair).toMatchObject({ labelers: ['ana', 'bo'], rows: 50, observed: 0.7 });
    expect(pair!.kappa).toBeCloseTo(0.4, 12);
  });

  it('counts only rows both labeled, and gives null when chance agreement is certain', () => {
    const [pair] = agreement([...labels('ana', 'aab'), { row: 1, labeler: 'bo', label: 'a' }, { row: 2, labeler: 'bo', label: 'a' }]);
    expect(pair).toMatchObject({ rows: 2, observed: 1, kappa: null });
    expect(agreement(labels('solo', 'ab'))).toEqual([]);
  });

  it('is 1 for perfect agreement and negative for systematic disagreement', () => {
    expect(agreement([...labels('a', 'xyxy'), ...labels('b', 'xyxy')])[0]!.kappa).toBe(1);
    expect(agreement([...labels('a', 'xyxy'), ...labels('b', 'yxyx')])[0]!.kappa).toBe(-1);
  });
});

describe('resolveLabels', () => {
  it('takes the majority, and the earliest label on a tie', () => {
    const at = (row: number, labeler: string, label: string, createdAt: number) => ({ row, labeler, label, createdAt });
    const resolved = resolveLabels([at(1, 'rules', 'x', 1), at(1, 'ana', 'y', 2), at(1, 'bo', 'y', 3), at(2, 'rules', 'x', 1), at(2, 'ana', 'y', 2)]);
    expect([...resolved]).toEqual([
      [1, 'y'],
      [2, 'x'],
    ]);
  });
});
