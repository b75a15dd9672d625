import { describe, expect, it } from 'vitest';
import { createRandom } from './random.ts';
import { zipf } from './test-data.ts';
import { createTopK, topKFromState, type TopK } from './top-k.ts';

function topKOf(values: readonly string[], capacity?: number): TopK {
  const t = createTopK(capacity === undefined ? {} : { capacity });
  for (const v of values) t.add(v);
  return t;
}

function exactCounts(values: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Brute-force top k: count desc, then value asc. */
function bruteTop(values: readonly string[], k: number) {
  return [...exactCounts(values)]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([value, count]) => ({ value, count }));
}

function zipfStream(n: number, categories: number, seed: number): string[] {
  const next = zipf(categories, 1.1, createRandom(seed));
  return Array.from({ length: n }, () => `c${next()}`);
}

/** Every reported count is an upper bound at most n/m above the truth, and nothing above n/m is missed. */
function expectWithinBound(t: TopK, values: readonly string[], m: number): void {
  const truth = exactCounts(values);
  const n = values.length;
  const s = t.state();
  const listed = new Map(s.entries.map(([v, c, e]) => [v, { c, e }]));
  for (const [v, { c, e }] of listed) {
    const trueCount = truth.get(v) ?? 0;
    expect(c).toBeGreaterThanOrEqual(trueCount);
    expect(c - trueCount).toBeLessThanOrEqual(e);
    expect(e).toBeLessThanOrEqual(n / m);
  }
  for (const [v, c] of truth) if (c > n / m) expect(listed.has(v)).toBe(true);
  // The top 20 as reported: counts within the bound of the true top 20's.
  const top = t.result(20).top;
  const trueTop = bruteTop(values, 20);
  top.forEach((entry, i) => expect(Math.abs(entry.count - trueTop[i]!.count)).toBeLessThanOrEqual(n / m));
}

describe('top-k', () => {
  it('is exact while there are at most `capacity` distinct values', () => {
    const values = zipfStream(50_000, 1000, 1);
    const t = topKOf(values);
    const r = t.result(25);
    expect(r.exact).toBe(true);
    expect(r.top).toEqual(bruteTop(values, 25));
    expect(r.otherCount).toBe(values.length - r.top.reduce((s, e) => s + e.count, 0));
    expect(topKOf(['b', 'a', 'b', 'c']).result(1)).toEqual({ top: [{ value: 'b', count: 2 }], otherCount: 2, exact: true });
  });

  it('switches to Space-Saving at capacity + 1 distinct values and keeps its n/m bound (Zipf, 5 000 categories)', () => {
    for (const [n, m] of [[200_000, 1000], [100_000, 100]] as const) {
      const values = zipfStream(n, 5000, n + m);
      const t = topKOf(values, m);
      expect(t.result().exact).toBe(false);
      expectWithinBound(t, values, m);
    }
  });

  it('merges exact summaries into one pass over the union', () => {
    const a = zipfStream(10_000, 300, 2);
    const b = zipfStream(10_000, 300, 3);
    const merged = topKOf(a);
    merged.merge(topKOf(b));
    expect(merged.result(50)).toEqual(topKOf([...a, ...b]).result(50));
    expect(merged.result().exact).toBe(true);
  });

  it('merges approximate and mixed summaries within the bound for the combined n', () => {
    const m = 200;
    const parts = [zipfStream(60_000, 5000, 4), zipfStream(500, 100, 5), zipfStream(90_000, 5000, 6), zipfStream(30_000, 150, 7)];
    const merged = parts.map((p) => topKOf(p, m)).reduce((acc, t) => (acc.merge(t), acc));
    const all = parts.flat();
    expect(merged.result().exact).toBe(false);
    expect(merged.state().total).toBe(all.length);
    expectWithinBound(merged, all, m);
    // Merging two exact summaries whose union overflows is approximate, within the bound.
    const x = topKOf(zipfStream(5000, 150, 8), m);
    x.merge(topKOf(zipfStream(5000, 150, 9).map((v) => `other-${v}`), m));
    expect(x.result().exact).toBe(false);
    expectWithinBound(x, [...zipfStream(5000, 150, 8), ...zipfStream(5000, 150, 9).map((v) => `other-${v}`)], m);
    expect(() => topKOf(['a'], 10).merge(topKOf(['a'], 20))).toThrow(RangeError);
  });

  it('resumes from JSON exactly where it left off, in both modes', () => {
    const values = zipfStream(40_000, 5000, 10);
    for (const cut of [100, 25_000]) {
      const first = topKOf(values.slice(0, cut), 300);
      const resumed = topKFromState(JSON.parse(JSON.stringify(first.state())));
      for (const v of values.slice(cut)) resumed.add(v);
      expect(resumed.state()).toEqual(topKOf(values, 300).state());
    }
  });
});

describe('top-k: addCount', () => {
  it('equals that many single adds while exact, and keeps the Space-Saving bounds beyond', () => {
    const one = createTopK({ capacity: 4 });
    const many = createTopK({ capacity: 4 });
    for (const [v, n] of [['a', 3], ['b', 1], ['a', 2], ['c', 5]] as const) {
      for (let i = 0; i < n; i++) one.add(v);
      many.addCount(v, n);
    }
    expect(many.state()).toEqual(one.state());

    // Past capacity: every true count lies within [count − error, count], and the total is kept.
    const t = createTopK({ capacity: 3 });
    const truth = new Map<string, number>();
    const rng = createRandom(11);
    for (let i = 0; i < 2_000; i++) {
      const v = `v${Math.floor(rng.next() ** 3 * 20)}`;
      const n = 1 + Math.floor(rng.next() * 5);
      truth.set(v, (truth.get(v) ?? 0) + n);
      t.addCount(v, n);
    }
    const state = t.state();
    expect(state.exact).toBe(false);
    expect(state.total).toBe([...truth.values()].reduce((a, b) => a + b, 0));
    for (const [v, count, error] of state.entries) {
      expect(truth.get(v)!).toBeLessThanOrEqual(count);
      expect(truth.get(v)!).toBeGreaterThanOrEqual(count - error);
    }
  });
});
