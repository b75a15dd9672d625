// The drift report of one window against a reference: a test per column chosen as Evidently's
// automatic selection does, p-values corrected across columns, effect sizes, PSI beside every test,
// a minimum-sample guard, and the dataset-level drift share. Pure: no Hono, no database.
import type { ColumnProfile } from '@outpost/shared';
import { OTHER, type CategoricalWindow, type ColumnWindow, type NumericWindow, type ValueCounts } from './columns.ts';
import { ksPValue, ksStatistic, type KsReference } from './ks.ts';
import { benjaminiHochberg, bonferroni, chiSquare, jensenShannon, psi, wasserstein, zTest } from './tests.ts';

export type DriftTest = 'ks' | 'chi_square' | 'z' | 'wasserstein' | 'jensen_shannon';

export interface DriftOptions {
  /** Fewer usable current values than this: 'insufficient data', no verdict. Default 30. */
  minSamples?: number;
  /** Reference rows up to which p-value tests are used (Evidently: 1000). */
  smallReferenceRows?: number;
  /** Drift when p < this (KS, chi-square, Z). Default 0.05. */
  pThreshold?: number;
  /** Drift when the distance ≥ this (Wasserstein, Jensen–Shannon). Default 0.1. */
  distanceThreshold?: number;
  /** Which p-value decides the verdict: raw (as Evidently), Bonferroni or Benjamini–Hochberg. Default 'none'. */
  correction?: 'none' | 'bonferroni' | 'bh';
  /** The dataset drifts when at least this share of its tested columns drift (Evidently's drift_share). Default 0.5. */
  driftShare?: number;
  /** Per column: another test or threshold. */
  columns?: Record<string, { test?: DriftTest; threshold?: number }>;
}

export const DRIFT_DEFAULTS = { minSamples: 30, smallReferenceRows: 1000, pThreshold: 0.05, distanceThreshold: 0.1, correction: 'none', driftShare: 0.5 } as const;

/** One column of the reference: its profile, the reference's row count, and its sorted raw values when kept (numeric, small references). */
export interface ReferenceColumn {
  profile: ColumnProfile;
  rows: number;
  ks?: KsReference;
}

export interface ColumnDrift {
  column: string;
  kind: 'numeric' | 'categorical';
  test: DriftTest | null;
  /** D, χ², z, or the distance; null without a verdict. */
  statistic: number | null;
  pValue: number | null;
  pValueBonferroni: number | null;
  pValueBH: number | null;
  threshold: number;
  /** KS: D; chi-square: Cohen's w; Z: Cohen's h; distances: the distance. */
  effectSize: number | null;
  psi: number | null;
  drifted: boolean | null;
  verdict: 'drift' | 'no drift' | 'insufficient data';
  /** Why there is no verdict. */
  reason?: string;
  counts: ValueCounts;
  /** Each count of `counts` over all the column's values in the window (0 when there were none). */
  rates: { missing: number; nan: number; infinite: number; wrongType: number; outOfRange: number; newCategory: number };
  /** Reference and current over the same bins, for the console. */
  histogram:
    | { kind: 'bins'; edges: number[]; reference: number[]; current: number[]; below: number; above: number }
    | { kind: 'categories'; values: string[]; reference: number[]; current: number[] };
}

export interface DriftReport {
  columns: ColumnDrift[];
  /** Over the columns with a verdict: how many drifted, their share, and whether that share reaches driftShare. */
  dataset: { tested: number; driftedColumns: number; share: number | null; driftShare: number; drifted: boolean | null };
  options: Required<Omit<DriftOptions, 'columns'>>;
}

/**
 * Compare each current column with its reference.
 * @example computeDrift({ reference: { x: { profile, rows: 800, ks } }, current: { x: acc.result() } })
 */
export function computeDrift(input: { reference: Record<string, ReferenceColumn>; current: Record<string, ColumnWindow>; options?: DriftOptions }): DriftReport {
  const o = { ...DRIFT_DEFAULTS, ...input.options };
  const columns = Object.entries(input.current).map(([name, window]) => {
    const ref = input.reference[name];
    return ref ? judge(name, ref, window, o, input.options?.columns?.[name]) : undefined;
  }).filter((c): c is ColumnDrift => c !== undefined);

  // Corrections across the columns that have a p-value.
  const tested = columns.filter((c) => c.pValue !== null);
  const ps = tested.map((c) => c.pValue!);
  const bonf = bonferroni(ps);
  const bh = benjaminiHochberg(ps);
  tested.forEach((c, i) => {
    c.pValueBonferroni = bonf[i]!;
    c.pValueBH = bh[i]!;
    const p = o.correction === 'bonferroni' ? c.pValueBonferroni : o.correction === 'bh' ? c.pValueBH : c.pValue!;
    c.drifted = p < c.threshold;
    c.verdict = c.drifted ? 'drift' : 'no drift';
  });
  const judged = columns.filter((c) => c.drifted !== null);
  const drifted = judged.filter((c) => c.drifted).length;
  const share = judged.length > 0 ? drifted / judged.length : null;
  const { columns: _perColumn, ...options } = o as typeof o & { columns?: unknown };
  return {
    columns,
    dataset: { tested: judged.length, driftedColumns: drifted, share, driftShare: o.driftShare, drifted: share === null ? null : share >= o.driftShare },
    options: options as DriftReport['options'],
  };
}

function judge(name: string, ref: ReferenceColumn, w: ColumnWindow, o: Required<Omit<DriftOptions, 'columns'>>, override: { test?: DriftTest; threshold?: number } | undefined): ColumnDrift {
  const all = w.counts.n + w.counts.missing + w.counts.nan + w.counts.infinite + w.counts.wrongType;
  const rate = (k: number) => (all > 0 ? k / all : 0);
  const c = w.counts;
  const base = {
    column: name,
    kind: w.kind,
    pValueBonferroni: null,
    pValueBH: null,
    counts: { ...c },
    rates: { missing: rate(c.missing), nan: rate(c.nan), infinite: rate(c.infinite), wrongType: rate(c.wrongType), outOfRange: c.n > 0 ? c.outOfRange / c.n : 0, newCategory: c.n > 0 ? c.newCategory / c.n : 0 },
  };
  const h = w.kind === 'numeric' ? numericHistogram(ref.profile, w) : categoryHistogram(ref.profile, w);
  const refTotal = h.reference.reduce((a, b) => a + b, 0);
  const small = ref.rows <= o.smallReferenceRows;
  // Counts per category: a categorical column's, or a small reference's few numeric values (lowCardinality).
  const categories = lowCardinality(ref, w) ?? [h.reference, h.current];
  const test = override?.test ?? chooseTest(ref, w, small, categories[0].length);
  const pTest = test === 'ks' || test === 'chi_square' || test === 'z';
  const threshold = override?.threshold ?? (pTest ? o.pThreshold : o.distanceThreshold);
  const none = (reason: string): ColumnDrift => ({ ...base, test, statistic: null, pValue: null, threshold, effectSize: null, psi: null, drifted: null, verdict: 'insufficient data', reason, histogram: h });
  if (c.n < o.minSamples) return none(`${c.n} usable value${c.n === 1 ? '' : 's'} in the window, fewer than ${o.minSamples}`);
  if (refTotal === 0) return none('the reference has no values in this column');
  if (test === 'ks' && !(ref.ks && w.kind === 'numeric' && w.ks)) return none('KS needs the reference\'s raw values (kept for references of ≤ 1000 rows)');
  if (test === 'z' && categories[0].length !== 2) return none('the Z-test needs exactly two categories');

  const psiValue = psi(h.reference, h.current);
  const result = (statistic: number, pValue: number | null, effectSize: number): ColumnDrift => {
    const drifted = pValue === null ? statistic >= threshold : null; // p-value verdicts wait for the corrections
    return { ...base, test, statistic, pValue, threshold, effectSize, psi: psiValue, drifted, verdict: drifted === null ? 'no drift' : drifted ? 'drift' : 'no drift', histogram: h };
  };
  switch (test) {
    case 'ks': {
      const d = ksStatistic(ref.ks!, (w as NumericWindow).ks!);
      return result(d, ksPValue(d, ref.ks!.n, c.n), d);
    }
    case 'chi_square': {
      const [expected, observed] = categories;
      const r = chiSquare(observed, expected);
      return result(r.statistic, r.pValue, r.effectSize);
    }
    case 'z': {
      const [expected, observed] = categories;
      const r = zTest(expected[1]!, expected[0]! + expected[1]!, observed[1]!, observed[0]! + observed[1]!);
      return result(r.statistic, r.pValue, r.effectSize);
    }
    case 'wasserstein': {
      const nh = h as Extract<ColumnDrift['histogram'], { kind: 'bins' }>;
      const { points, reference, current } = wassersteinPoints(nh, w as NumericWindow);
      const std = ref.profile.numeric?.std ?? 0;
      const distance = wasserstein(points, reference, current, Math.max(std, 0.001));
      return result(distance, null, distance);
    }
    case 'jensen_shannon': {
      const distance = jensenShannon(h.reference, h.current);
      return result(distance, null, distance);
    }
  }
}

/** Evidently's automatic choice; numeric columns with ≤ 5 distinct reference values count as categorical. */
function chooseTest(ref: ReferenceColumn, w: ColumnWindow, small: boolean, categories: number): DriftTest {
  const categorical = w.kind === 'categorical' || ref.profile.distinct.value <= 5;
  if (!small) return categorical ? 'jensen_shannon' : 'wasserstein';
  if (!categorical) return 'ks';
  return categories <= 2 ? 'z' : 'chi_square';
}

/** A low-cardinality numeric column of a small reference: counts per distinct reference value, and the current's other values pooled. */
function lowCardinality(ref: ReferenceColumn, w: ColumnWindow): [number[], number[]] | undefined {
  if (w.kind !== 'numeric' || !ref.ks || !w.ks) return undefined;
  const expected = Array.from(ref.ks.atOrBelow, (c, j) => c - (j > 0 ? ref.ks!.atOrBelow[j - 1]! : 0));
  const observed = Array.from(w.ks.equal);
  const others = w.ks.between.reduce((a, b) => a + b, 0);
  if (others > 0) {
    expected.push(0);
    observed.push(others);
  }
  return [expected, observed];
}

function numericHistogram(profile: ColumnProfile, w: NumericWindow): Extract<ColumnDrift['histogram'], { kind: 'bins' }> {
  const hist = profile.numeric?.histogram;
  return { kind: 'bins', edges: hist?.edges ?? [], reference: hist ? [0, ...hist.counts, 0] : [], current: hist ? [w.below, ...w.bins, w.above] : [], below: w.below, above: w.above };
}

/** The reference's top categories (and OTHER for the rest), then the current's new categories, most frequent first. */
function categoryHistogram(profile: ColumnProfile, w: CategoricalWindow): Extract<ColumnDrift['histogram'], { kind: 'categories' }> {
  const top = profile.categorical?.top ?? [];
  const otherCount = profile.categorical?.otherCount ?? 0;
  const values = top.map((t) => t.value);
  const reference = top.map((t) => t.count);
  const current = values.map((v) => w.values.get(v) ?? 0);
  const known = new Set(values);
  const fresh = [...w.values].filter(([v]) => !known.has(v)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (otherCount > 0) {
    // The reference's rarer categories are unnamed: a current value outside its top list may be one of them.
    values.push(OTHER);
    reference.push(otherCount);
    current.push(fresh.reduce((n, [, k]) => n + k, 0) + w.unnamedNew);
  } else {
    for (const [v, k] of fresh) {
      values.push(v);
      reference.push(0);
      current.push(k);
    }
    if (w.unnamedNew > 0) {
      values.push(OTHER);
      reference.push(0);
      current.push(w.unnamedNew);
    }
  }
  return { kind: 'categories', values, reference, current };
}

/**
 * The points W₁ is computed on: the reference bins' midpoints, plus where the current's values
 * below and above the reference range sit on average (the reference has no mass there).
 */
function wassersteinPoints(h: Extract<ColumnDrift['histogram'], { kind: 'bins' }>, w: NumericWindow): { points: number[]; reference: number[]; current: number[] } {
  const mids = h.edges.slice(0, -1).map((e, i) => (e + h.edges[i + 1]!) / 2);
  const points: number[] = [];
  const reference: number[] = [];
  const current: number[] = [];
  if (w.meanBelow !== null) {
    points.push(w.meanBelow);
    reference.push(0);
    current.push(w.below);
  }
  mids.forEach((m, i) => {
    points.push(m);
    reference.push(h.reference[i + 1]!);
    current.push(h.current[i + 1]!);
  });
  if (w.meanAbove !== null) {
    points.push(w.meanAbove);
    reference.push(0);
    current.push(w.above);
  }
  return { points, reference, current };
}
