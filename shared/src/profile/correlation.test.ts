import { describe, expect, it } from 'vitest';
import { correlationFromState, createCorrelation, type Correlation } from './correlation.ts';
import { createRandom } from './random.ts';
import { normal } from './test-data.ts';

/** Rows of 4 columns: x, y = 2x + noise offset by 1e9, z independent, c constant; ~10 % missing each. */
function rows(n: number, seed: number): number[][] {
  const rng = createRandom(seed);
  return Array.from({ length: n }, () => {
    const x = normal(rng);
    const row = [x, 1e9 + 2 * x + normal(rng), normal(rng), 7];
    return row.map((v) => (rng.next() < 0.1 ? NaN : v));
  });
}

/** Two-pass Pearson over the rows where both are present. */
function pearson(data: readonly number[][], i: number, j: number): number | null {
  const pairs = data.filter((r) => !Number.isNaN(r[i]!) && !Number.isNaN(r[j]!)).map((r) => [r[i]!, r[j]!] as const);
  if (pairs.length < 2) return null;
  const mx = pairs.reduce((s, p) => s + p[0], 0) / pairs.length;
  const my = pairs.reduce((s, p) => s + p[1], 0) / pairs.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

function correlationOf(data: readonly number[][]): Correlation {
  const c = createCorrelation(data[0]?.length ?? 0);
  for (const r of data) c.add(r);
  return c;
}

function expectMatches(actual: (number | null)[][], data: readonly number[][]): void {
  const cols = data[0]!.length;
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < cols; j++) {
      const expected = pearson(data, i, j);
      const got = actual[i]![j]!;
      if (expected === null) expect(got).toBeNull();
      else expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9);
    }
  }
}

describe('correlation', () => {
  it('matches a two-pass pairwise-complete computation within 1e-9, null for a constant column', () => {
    const data = rows(50_000, 1);
    const r = correlationOf(data).result();
    expectMatches(r, data);
    expect(r[0]![1]!).toBeGreaterThan(0.85);
    expect(r[3]).toEqual([null, null, null, null]);
    expect(r[0]![0]).toBe(1);
  });

  it('is null with fewer than two complete pairs', () => {
    const c = createCorrelation(2);
    c.add([1, NaN]);
    c.add([NaN, 2]);
    c.add([3, 4]);
    expect(c.result()).toEqual([[1, null], [null, 1]]);
  });

  it('merges chunks into one pass over all rows (within 1e-9)', () => {
    const data = rows(30_000, 2);
    const merged = createCorrelation(4);
    merged.merge(createCorrelation(4)); // empty into empty
    for (const [a, b] of [[0, 1], [1, 12_000], [12_000, 30_000]] as const) merged.merge(correlationOf(data.slice(a, b)));
    merged.merge(createCorrelation(4));
    expectMatches(merged.result(), data);
    expect(() => merged.merge(createCorrelation(3))).toThrow(RangeError);
  });

  it('round-trips its state through JSON', () => {
    const data = rows(1000, 3);
    const c = correlationOf(data);
    const again = correlationFromState(JSON.parse(JSON.stringify(c.state())));
    expect(again.result()).toEqual(c.result());
    expect(() => correlationFromState({ columns: 3, pairs: [1, 2] })).toThrow(RangeError);
  });
});
