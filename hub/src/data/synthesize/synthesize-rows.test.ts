import { createProfiler, type ColumnProfile, type DatasetProfile, type QuantileKey } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { PENGUIN_COLUMNS, penguins } from '../../test-support/penguins.ts';
import { OTHER_CATEGORY, synthesizeRows } from './index.ts';

function profileOf(rows: readonly Record<string, unknown>[]): DatasetProfile {
  const p = createProfiler(PENGUIN_COLUMNS);
  for (const r of rows) p.add(r as Parameters<typeof p.add>[0]);
  return p.result();
}

const original = profileOf(penguins);
const synthetic = synthesizeRows(original, { rows: 20_000, seed: 7 });
const resynth = profileOf(synthetic);

const pairs = original.columns.map((o, i) => ({ name: o.name, type: o.type, o, s: resynth.columns[i]! }));
const numericPairs = pairs.filter((p) => p.type === 'numeric');
const categoricalPairs = pairs.filter((p) => p.type === 'categorical');

function shares(c: ColumnProfile): Map<string, number> {
  const present = c.count - c.missing;
  return new Map((c.categorical?.top ?? []).map((t) => [t.value, t.count / present]));
}

describe('synthesizeRows on penguins (20 000 rows)', () => {
  it('profiles the expected columns', () => {
    expect(numericPairs.map((p) => p.name)).toHaveLength(4);
    expect(categoricalPairs.map((p) => p.name)).toEqual(['Species', 'Island', 'Sex']);
    expect(resynth.rowCount).toBe(20_000);
  });

  it.each(pairs)('$name: missing rate within ±1 point', ({ o, s }) => {
    expect(Math.abs(s.missing / s.count - o.missing / o.count)).toBeLessThanOrEqual(0.01);
  });

  it.each(categoricalPairs)('$name: category shares within ±1.5 points, no (other) when otherCount is 0', ({ o, s }) => {
    const want = shares(o);
    const got = shares(s);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [value, share] of want) expect(Math.abs(got.get(value)! - share)).toBeLessThanOrEqual(0.015);
    expect(got.has(OTHER_CATEGORY)).toBe(false);
  });

  it.each(numericPairs)('$name: mean within 2 %, std within 5 %, range inside the original', ({ o, s }) => {
    const a = o.numeric!;
    const b = s.numeric!;
    expect(Math.abs(b.mean - a.mean) / Math.abs(a.mean)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(b.std - a.std) / a.std).toBeLessThanOrEqual(0.05);
    expect(b.min).toBeGreaterThanOrEqual(a.min);
    expect(b.max).toBeLessThanOrEqual(a.max);
  });

  it.each(numericPairs)('$name: the 7 quantiles within 3 % of the original range', ({ o, s }) => {
    const a = o.numeric!;
    const b = s.numeric!;
    const width = a.max - a.min;
    for (const key of Object.keys(a.quantiles) as QuantileKey[]) {
      expect(Math.abs(b.quantiles[key] - a.quantiles[key]), key).toBeLessThanOrEqual(0.03 * width);
    }
  });

  it('rounds integer-valued columns and keeps real-valued ones at full precision', () => {
    const values = (name: string) => synthetic.map((r) => r[name]).filter((v): v is number => typeof v === 'number');
    // Flipper length and body mass are whole numbers in the data; beak sizes have one decimal.
    expect(values('Flipper Length (mm)').every(Number.isInteger)).toBe(true);
    expect(values('Body Mass (g)').every(Number.isInteger)).toBe(true);
    expect(values('Beak Length (mm)').some((v) => !Number.isInteger(v * 10))).toBe(true);
  });

  it('is deterministic: same seed → identical rows, other seed → different rows', () => {
    const again = synthesizeRows(original, { rows: 20_000, seed: 7 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(synthetic));
    const other = synthesizeRows(original, { rows: 20_000, seed: 8 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(synthetic));
  });

  it('keeps profile column order as key order', () => {
    expect(Object.keys(synthetic[0]!)).toEqual(PENGUIN_COLUMNS.map((c) => c.name));
  });
});

describe('synthesizeRows: dates and integers', () => {
  it('draws datetime columns as ISO 8601 strings within the observed range, and integer columns whole', () => {
    const p = createProfiler([{ name: 'at', type: 'datetime' }, { name: 'n', type: 'numeric' }]);
    for (let i = 0; i < 500; i++) p.add({ at: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(), n: i + 0.5 });
    const rows = synthesizeRows(p.result(), { rows: 2_000, seed: 3, types: { at: 'datetime', n: 'integer' } });
    const times = rows.map((r) => r.at as string);
    expect(times.every((t) => typeof t === 'string' && new Date(t).toISOString() === t)).toBe(true);
    const ms = times.map((t) => Date.parse(t));
    expect(Math.min(...ms)).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 1));
    expect(Math.max(...ms)).toBeLessThanOrEqual(Date.UTC(2024, 0, 1) + 499 * 3_600_000);
    expect(rows.every((r) => Number.isInteger(r.n))).toBe(true);
  });
});
