// The drift statistics against SciPy's (scipy-reference.py), within 1e-6, on seeded data with
// known shifts and without. With python3 and SciPy on the machine (they are on this project's
// machines) SciPy answers live, and the committed scipy-fixture.json must match it; without them
// the fixture stands in (UPDATE_SCIPY_FIXTURE=1 rewrites it).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProfiler, createRandom, type DatasetProfile } from '@outpost/shared';
import { driftWindow, type ColumnDrift } from './index.ts';
import { kolmogorovSf, ksCounter, ksPValue, ksReference, ksStatistic } from './ks.ts';
import { benjaminiHochberg, chiSquare, jensenShannon, psi, wasserstein, zTest } from './tests.ts';
import { erfc, gammaQ } from './special.ts';

const here = import.meta.dirname;
const FIXTURE = join(here, 'scipy-fixture.json');
const rng = createRandom(20261127);
const normal = (mean = 0, sd = 1) => {
  const u = Math.max(rng.next(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
};
const draw = (n: number, f: () => number) => Array.from({ length: n }, f);
const counts = (k: number, n: number, weights: number[]) => {
  const out = new Array<number>(k).fill(0);
  const total = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    let u = rng.next() * total;
    let j = 0;
    while (u >= weights[j]! && j < k - 1) u -= weights[j++]!;
    out[j]!++;
  }
  return out;
};

type Case = { kind: string; [k: string]: unknown };
type Check = { name: string; case: Case; ours: Record<string, number | number[]> };
const checks: Check[] = [];

function ks(name: string, ref: number[], cur: number[]) {
  const r = ksReference(ref);
  const c = ksCounter(r);
  c.addAll(cur);
  const d = ksStatistic(r, c.counts());
  checks.push({ name, case: { kind: 'ks', ref, cur }, ours: { statistic: d, pValue: ksPValue(d, ref.length, cur.length) } });
  return d;
}
ks('KS exact, same distribution, 200 vs 150', draw(200, () => normal()), draw(150, () => normal()));
ks('KS exact, equal sizes (the square method), shift 0.5', draw(200, () => normal()), draw(200, () => normal(0.5)));
ks('KS exact, 1000 vs 3000, small shift and wider spread', draw(1000, () => normal()), draw(3000, () => normal(0.1, 1.2)));
ks('KS exact, ties on both sides', draw(300, () => Math.round(normal() * 2)), draw(250, () => Math.round(normal(0.3) * 2)));
ks('KS exact, current outside the reference range on both ends', draw(120, () => normal()), draw(90, () => normal(0, 4)));
ks('KS exact, 10 vs 7 values', draw(10, () => normal()), draw(7, () => normal(1)));
{
  // Past 10,000 values: the statistic as SciPy's; the p-value from the limiting distribution.
  const ref = draw(800, () => normal());
  const cur = draw(20_000, () => normal(0.05));
  const r = ksReference(ref);
  const c = ksCounter(r);
  c.addAll(cur);
  const d = ksStatistic(r, c.counts());
  checks.push({ name: 'KS statistic, 800 vs 20,000', case: { kind: 'ks', ref, cur }, ours: { statistic: d } });
  const en = (800 * 20_000) / 20_800;
  checks.push({ name: 'KS asymptotic p-value: Kolmogorov sf of √en·D', case: { kind: 'kolmogorov', x: Math.sqrt(en) * d }, ours: { sf: ksPValue(d, 800, 20_000) } });
}
for (const x of [0.3, 0.8, 1.0, 1.36, 2.5]) checks.push({ name: `Kolmogorov sf(${x})`, case: { kind: 'kolmogorov', x }, ours: { sf: kolmogorovSf(x) } });

for (const [name, obs, exp] of [
  ['chi-square, no shift', counts(4, 500, [4, 3, 2, 1]), counts(4, 800, [4, 3, 2, 1])],
  ['chi-square, shifted', counts(4, 500, [1, 2, 3, 4]), counts(4, 800, [4, 3, 2, 1])],
  ['chi-square, many categories', counts(12, 3000, [5, 1, 1, 2, 3, 1, 1, 1, 2, 2, 1, 1]), counts(12, 900, [5, 1, 1, 2, 3, 1, 1, 1, 2, 2, 1, 1.5])],
] as const) {
  const r = chiSquare(obs, exp);
  checks.push({ name, case: { kind: 'chi', obs, exp }, ours: { statistic: r.statistic, pValue: r.pValue } });
}
for (const [ones1, n1, ones2, n2] of [[30, 100, 50, 100], [5, 40, 6, 45], [480, 1000, 130, 400]]) {
  const r = zTest(ones1!, n1!, ones2!, n2!);
  checks.push({ name: `Z-test ${ones1}/${n1} vs ${ones2}/${n2}`, case: { kind: 'z', ones1, n1, ones2, n2 }, ours: { statistic: r.statistic, pValue: r.pValue } });
}
{
  const points = [-3.2, -2, -1, 0, 1, 2, 3, 4.7];
  const u = [0, 10, 40, 80, 60, 20, 5, 0];
  for (const [name, v] of [['no shift', [0, 9, 41, 78, 62, 21, 4, 0]], ['shift right, mass above the range', [0, 2, 10, 30, 70, 60, 30, 25]], ['mass below the range', [40, 20, 30, 40, 30, 10, 2, 0]]] as const) {
    checks.push({ name: `Wasserstein, ${name}`, case: { kind: 'wasserstein', points, u, v, norm: 1.3 }, ours: { distance: wasserstein(points, u, [...v], 1.3) } });
    checks.push({ name: `Jensen–Shannon, ${name}`, case: { kind: 'js', p: u, q: v }, ours: { distance: jensenShannon(u, [...v]) } });
    checks.push({ name: `PSI, ${name}`, case: { kind: 'psi', ref: u, cur: v }, ours: { psi: psi(u, [...v]) } });
  }
}
{
  const p = [0.01, 0.04, 0.03, 0.2, 0.5, 0.0001, 0.049, 0.8];
  checks.push({ name: 'Benjamini–Hochberg', case: { kind: 'bh', p }, ours: { adjusted: benjaminiHochberg(p) } });
}

// Through the engine: a feature of a small reference folded from records, tested by KS, is SciPy's ks_2samp on the raw values.
const profileOf = (rows: Array<Record<string, number | string>>, columns: Array<{ name: string; type: 'numeric' | 'categorical' }>): DatasetProfile => {
  const p = createProfiler(columns);
  for (const r of rows) p.add(r);
  return p.result();
};
{
  const refX = draw(600, () => normal(10, 2));
  const curX = draw(400, () => normal(10.6, 2));
  const ref = { features: profileOf(refX.map((x) => ({ x })), [{ name: 'x', type: 'numeric' }]), outputs: profileOf([], []), sample: { rows: 600, columns: { x: refX } } };
  const w = driftWindow(ref);
  for (const x of curX) w.add({ x }, null);
  const column = w.report().columns[0]!;
  checks.push({ name: 'engine: KS through driftWindow', case: { kind: 'ks', ref: refX, cur: curX }, ours: { statistic: column.statistic!, pValue: column.pValue! } });
}
{
  // Through the engine: a categorical feature whose window has a category the reference never had
  // (chi-square), and a binary one (Z-test), from records; the counts SciPy gets are the report's histogram's.
  const pick = (xs: string[], w: number[]) => xs[counts(xs.length, 1, w).indexOf(1)]!;
  const cities = ['Lyon', 'Paris', 'Nice'];
  const refRows = Array.from({ length: 500 }, () => ({ city: pick(cities, [5, 3, 2]), member: pick(['no', 'yes'], [2, 1]) }));
  const ref = { features: profileOf(refRows, [{ name: 'city', type: 'categorical' }, { name: 'member', type: 'categorical' }]), outputs: profileOf([], []) };
  const w = driftWindow(ref);
  for (let i = 0; i < 400; i++) w.add({ city: pick([...cities, 'Brest'], [4, 3, 2, 1]), member: pick(['no', 'yes'], [1, 1]) }, null);
  const [city, member] = w.report().columns as [ColumnDrift, ColumnDrift];
  const hc = city.histogram as Extract<ColumnDrift['histogram'], { kind: 'categories' }>;
  if (city.test !== 'chi_square' || hc.values.at(-1) !== 'Brest' || hc.reference.at(-1) !== 0) throw new Error(`expected chi-square with the unseen 'Brest' last: ${city.test} ${hc.values}`);
  checks.push({ name: 'engine: chi-square through driftWindow, a category unseen in the reference', case: { kind: 'chi_unseen', obs: hc.current, exp: hc.reference }, ours: { statistic: city.statistic!, pValue: city.pValue! } });
  const hm = member.histogram as Extract<ColumnDrift['histogram'], { kind: 'categories' }>;
  if (member.test !== 'z' || hm.values.length !== 2) throw new Error(`expected a Z-test over two categories: ${member.test} ${hm.values}`);
  const [r0, r1] = hm.reference as [number, number];
  const [c0, c1] = hm.current as [number, number];
  checks.push({ name: 'engine: Z-test through driftWindow, a binary feature', case: { kind: 'z', ones1: r1, n1: r0 + r1, ones2: c1, n2: c0 + c1 }, ours: { statistic: member.statistic!, pValue: member.pValue! } });
}

// The special functions under the p-values (special.ts), over both of gammaQ's branches and erfc's sign.
for (const [a, x] of [[0.5, 0.1], [0.5, 3], [1, 2], [1.5, 0.7], [2, 10], [5, 4.9], [5, 6.1], [10.5, 30], [50, 45], [0.5, 40]] as const) {
  checks.push({ name: `gammaincc(${a}, ${x})`, case: { kind: 'gammaincc', a, x }, ours: { q: gammaQ(a, x) } });
}
for (const x of [-2, -0.3, 0, 0.2, 1, 1.96, 3.5, 6]) checks.push({ name: `erfc(${x})`, case: { kind: 'erfc', x }, ours: { erfc: erfc(x) } });

function scipyAnswers(): { scipy: string; answers: Array<Record<string, number | number[]>> } | undefined {
  try {
    const out = execFileSync('python3', [join(here, 'scipy-reference.py')], { input: JSON.stringify(checks.map((c) => c.case)), maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
    return JSON.parse(out.toString()) as ReturnType<typeof scipyAnswers>;
  } catch (e) {
    console.warn(`SciPy not available (${(e as Error).message.split('\n')[0]}): comparing with scipy-fixture.json`);
    return undefined;
  }
}

describe('drift statistics agree with SciPy within 1e-6', () => {
  const live = scipyAnswers();
  const fixture = { names: checks.map((c) => c.name), ...(live ?? { scipy: '', answers: [] }) };
  if (live && process.env.UPDATE_SCIPY_FIXTURE) writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 1)}\n`);
  const committed = JSON.parse(readFileSync(FIXTURE, 'utf8')) as typeof fixture;
  const expected = live ?? committed;

  if (live) {
    it('the committed fixture is SciPy\'s answer to these very cases', () => {
      expect(committed.names).toEqual(fixture.names);
      committed.answers.forEach((a, i) => {
        for (const [k, v] of Object.entries(a)) expect(v, `${committed.names[i]} ${k}`).toEqual(live.answers[i]![k]);
      });
    });
  }

  it.each(checks.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const { ours } = checks[i]!;
    const theirs = expected.answers[i]!;
    for (const [key, value] of Object.entries(ours)) {
      const want = theirs[key];
      const got = Array.isArray(value) ? value : [value];
      const exp = Array.isArray(want) ? want : [want!];
      expect(got).toHaveLength(exp.length);
      got.forEach((g, j) => expect(Math.abs(g - exp[j]!), `${key}[${j}]: ours ${g}, SciPy ${exp[j]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(exp[j]!))));
    }
  });

  it('covers shifted and unshifted data: some p-values are tiny, some are not', () => {
    const ps = checks.flatMap((c) => (typeof c.ours.pValue === 'number' ? [c.ours.pValue] : []));
    expect(ps.some((p) => p < 1e-6)).toBe(true);
    expect(ps.some((p) => p > 0.2)).toBe(true);
  });
});
