import { describe, expect, it } from 'vitest';
import { createMoments, type Moments } from './moments.ts';
import { createRandom } from './random.ts';
import { distributions } from './test-data.ts';

function twoPass(xs: readonly number[]) {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const m2 = xs.reduce((s, x) => s + (x - mean) ** 2, 0);
  return { mean, std: Math.sqrt(m2 / xs.length), sampleStd: Math.sqrt(m2 / (xs.length - 1)), min: Math.min(...xs), max: Math.max(...xs) };
}

const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

function of(xs: readonly number[]): Moments {
  const m = createMoments();
  for (const x of xs) m.add(x);
  return m;
}

const datasets: Record<string, number[]> = {
  ...Object.fromEntries(Object.entries(distributions).map(([name, make]) => [name, make(11, 50_000)])),
  // A large offset next to a small spread: where Σx² − (Σx)²/n loses every digit.
  offset: distributions.normal!(3, 50_000).map((x) => 1e9 + x),
  tiny: [42],
};

describe('moments', () => {
  it.each(Object.keys(datasets))('matches a two-pass computation within 1e-9 relative (%s)', (name) => {
    const xs = datasets[name]!;
    const s = of(xs).summary()!;
    const expected = twoPass(xs);
    expect(s.count).toBe(xs.length);
    close(s.mean, expected.mean);
    close(s.std, expected.std);
    if (xs.length > 1) close(s.sampleStd!, expected.sampleStd);
    else expect(s.sampleStd).toBeNull();
    expect(s.min).toBe(expected.min);
    expect(s.max).toBe(expected.max);
  });

  it('merges chunks into what one pass gives (within 1e-9), in any grouping', () => {
    const xs = datasets.offset!;
    const rng = createRandom(5);
    const cuts = [0, ...Array.from({ length: 6 }, () => Math.floor(rng.next() * xs.length)).sort((a, b) => a - b), xs.length];
    const parts = cuts.slice(1).map((end, i) => of(xs.slice(cuts[i], end)));
    const merged = createMoments();
    for (const p of parts) merged.merge(p);
    const one = of(xs).summary()!;
    const m = merged.summary()!;
    expect(m.count).toBe(one.count);
    close(m.mean, one.mean);
    close(m.std, one.std);
    expect([m.min, m.max]).toEqual([one.min, one.max]);
    // Merging an empty one changes nothing; merging into an empty one copies.
    const empty = createMoments();
    empty.merge(parts[0]!);
    expect(empty.state()).toEqual(parts[0]!.state());
    parts[0]!.merge(createMoments());
    expect(empty.state()).toEqual(parts[0]!.state());
  });

  it('round-trips its state through JSON, empty included', () => {
    const m = of(datasets.normal!);
    const again = createMoments(JSON.parse(JSON.stringify(m.state())));
    expect(again.summary()).toEqual(m.summary());
    const empty = createMoments(JSON.parse(JSON.stringify(createMoments().state())));
    expect(empty.summary()).toBeNull();
    empty.add(-3);
    expect(empty.summary()).toMatchObject({ count: 1, min: -3, max: -3, mean: -3, std: 0 });
  });
});

describe('moments: addMany', () => {
  it('matches adding one at a time, across batches and around NaN, to rounding', () => {
    const rng = createRandom(4);
    const xs = Array.from({ length: 10_000 }, (_, i) => (i % 97 === 0 ? NaN : 1e9 + rng.next() * 1e3));
    const one = createMoments();
    xs.forEach((x) => { if (x === x) one.add(x); });
    const many = createMoments();
    for (let i = 0; i < xs.length; i += 3_333) many.addMany(xs.slice(i, i + 3_333));
    many.addMany([NaN]);
    const [a, b] = [one.summary()!, many.summary()!];
    expect(b).toMatchObject({ count: a.count, min: a.min, max: a.max });
    expect(Math.abs(b.mean - a.mean) / a.mean).toBeLessThan(1e-15);
    expect(Math.abs(b.std - a.std) / a.std).toBeLessThan(1e-12);
  });
});
