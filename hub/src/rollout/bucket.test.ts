import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, inSlice, versionByWeights } from './bucket.ts';

/** A seeded generator (mulberry32) for the property checks: the same cases on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const installIds = (n: number, seed: number) => {
  const r = random(seed);
  return Array.from({ length: n }, () => Array.from({ length: 16 }, () => Math.floor(r() * 36).toString(36)).join(''));
};

describe('device buckets', () => {
  it('are the first 4 bytes of SHA-256(salt:model:installId), big-endian, mod 10000', async () => {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('s4lt-s4lt:species:install-0001')));
    const expected = (((digest[0]! << 24) >>> 0) + (digest[1]! << 16) + (digest[2]! << 8) + digest[3]!) % 10_000;
    expect(await bucketOf('s4lt-s4lt', 'species', 'install-0001')).toBe(expected);
  });

  it('are stable: the same install, model and salt always give the same bucket; another salt or model reshuffles', async () => {
    const ids = installIds(300, 1);
    const first = await Promise.all(ids.map((id) => bucketOf('salt-one', 'species', id)));
    const again = await Promise.all(ids.map((id) => bucketOf('salt-one', 'species', id)));
    expect(again).toEqual(first);
    for (const b of first) expect(Number.isInteger(b) && b >= 0 && b < BUCKETS).toBe(true);
    const salted = await Promise.all(ids.map((id) => bucketOf('salt-two', 'species', id)));
    const otherModel = await Promise.all(ids.map((id) => bucketOf('salt-one', 'mass', id)));
    // Independent shuffles: almost no device keeps its bucket.
    expect(salted.filter((b, i) => b === first[i]).length).toBeLessThan(5);
    expect(otherModel.filter((b, i) => b === first[i]).length).toBeLessThan(5);
  });

  it('nest as percentages grow: a device in the slice at p stays in it at every q ≥ p (never flips back)', async () => {
    const r = random(7);
    const ids = installIds(500, 2);
    const buckets = await Promise.all(ids.map((id) => bucketOf('nest-salt', 'species', id)));
    for (let trial = 0; trial < 2000; trial++) {
      const p = Math.round(r() * 10_000) / 100;
      const q = Math.min(100, p + Math.round(r() * 10_000) / 100);
      for (const b of buckets.slice(0, 25 + (trial % 50))) {
        if (inSlice(b, p)) expect(inSlice(b, q), `bucket ${b}: in at ${p} %, out at ${q} %`).toBe(true);
      }
    }
    // A staged schedule only ever adds devices.
    const stages = [1, 10, 50, 100];
    for (let i = 1; i < stages.length; i++) {
      const before = buckets.filter((b) => inSlice(b, stages[i - 1]!));
      expect(before.every((b) => inSlice(b, stages[i]!))).toBe(true);
    }
    expect(buckets.every((b) => inSlice(b, 100))).toBe(true);
  });

  it('spread devices evenly: each tenth of the buckets holds about a tenth of 20,000 devices, and 10 % gets about 10 %', async () => {
    const ids = installIds(20_000, 3);
    const buckets = await Promise.all(ids.map((id) => bucketOf('spread-salt', 'species', id)));
    const deciles = new Array<number>(10).fill(0);
    for (const b of buckets) deciles[Math.floor(b / 1000)]!++;
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.001 critical value.
    const expected = ids.length / 10;
    const chi2 = deciles.reduce((a, n) => a + (n - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.9);
    const tenPercent = buckets.filter((b) => inSlice(b, 10)).length / ids.length;
    expect(tenPercent).toBeGreaterThan(0.09);
    expect(tenPercent).toBeLessThan(0.11);
    expect(buckets.filter((b) => inSlice(b, 1)).length / ids.length).toBeCloseTo(0.01, 2);
  });

  it('split fixed weights into consecutive ranges, in version order', () => {
    const w = { '3': 20, '1': 50, '2': 30 };
    expect(versionByWeights(0, w)).toBe(1);
    expect(versionByWeights(4999, w)).toBe(1);
    expect(versionByWeights(5000, w)).toBe(2);
    expect(versionByWeights(7999, w)).toBe(2);
    expect(versionByWeights(8000, w)).toBe(3);
    expect(versionByWeights(9999, w)).toBe(3);
    expect(versionByWeights(9999, { '1': 33.33, '2': 66.67 })).toBe(2);
  });
});
