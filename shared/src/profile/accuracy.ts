/**
 * The `accuracy` statements of a profile: which bounds are in force for this data, in words, with
 * the numbers filled in. Why words and not only flags: a reader of the console or of a stored
 * reference profile should not need the source to know what "approximate" means.
 */
import { HLL_STANDARD_ERROR } from './distinct.ts';
import type { DistinctCounter } from './distinct.ts';
import type { QuantileSketch } from './quantiles.ts';
import type { TopK } from './top-k.ts';
import type { ProfilerOptions } from './types.ts';

interface Described {
  readonly name: string;
  readonly distinct: DistinctCounter;
  readonly quantiles?: QuantileSketch;
  readonly topK?: TopK;
}

const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;
const list = (names: string[]): string => names.map((n) => JSON.stringify(n)).join(', ');

/**
 * @example describeAccuracy(columns, options).distinct // 'exact: every column has at most 10000 distinct values'
 */
export function describeAccuracy(columns: readonly Described[], options: Required<ProfilerOptions>): { quantiles: string; distinct: string; topK: string } {
  return { quantiles: quantiles(columns, options), distinct: distinct(columns, options), topK: topK(columns, options) };
}

function quantiles(columns: readonly Described[], { quantileK: k }: Required<ProfilerOptions>): string {
  const sketches = columns.filter((c) => c.quantiles).map((c) => ({ name: c.name, q: c.quantiles! }));
  if (sketches.length === 0) return 'no numeric columns';
  const definition = 'nearest-rank quantiles (the smallest value with at least ⌈p·n⌉ values at or below it)';
  const approximate = sketches.filter((s) => !s.q.exact());
  if (approximate.length === 0) return `exact: ${definition} and histograms from all values (every numeric column has at most ${3 * k} values)`;
  const worst = approximate
    .map((s) => ({ ...s, t: s.q.rankErrorBound(), share: s.q.rankErrorBound() / s.q.count() }))
    .reduce((a, b) => (b.share > a.share ? b : a));
  return (
    `${definition} from a KLL sketch (k = ${k}), exact for columns with at most ${3 * k} values; ` +
    `approximate for ${list(approximate.map((s) => s.name))}: with probability ≥ 99 % each quantile's rank is within ±t of ⌈p·n⌉ ` +
    `and each histogram bin count within ±2t, where t ≤ ${pct(worst.share)} of the column's values ` +
    `(largest: ${JSON.stringify(worst.name)}, t = ${Math.ceil(worst.t)} of ${worst.q.count()})`
  );
}

function distinct(columns: readonly Described[], { distinctExactLimit: limit }: Required<ProfilerOptions>): string {
  const estimated = columns.filter((c) => !c.distinct.result().exact).map((c) => c.name);
  if (estimated.length === 0) return `exact: every column has at most ${limit} distinct values`;
  return (
    `exact up to ${limit} distinct values; HyperLogLog estimate (p = 14, relative standard error ${pct(HLL_STANDARD_ERROR)}, ` +
    `within ±${pct(3 * HLL_STANDARD_ERROR)} with probability ≈ 99.7 %) for ${list(estimated)}`
  );
}

function topK(columns: readonly Described[], { categoryLimit: m }: Required<ProfilerOptions>): string {
  const summaries = columns.filter((c) => c.topK).map((c) => ({ name: c.name, t: c.topK!.state() }));
  if (summaries.length === 0) return 'no categorical columns';
  const approximate = summaries.filter((s) => !s.t.exact);
  if (approximate.length === 0) return `exact: every categorical column has at most ${m} distinct values`;
  const bounds = approximate.map((s) => `${JSON.stringify(s.name)} ±${Math.floor(s.t.total / m)}`).join(', ');
  return (
    `exact up to ${m} distinct values; Space-Saving with ${m} counters beyond: each count may overstate the true count ` +
    `by at most n/${m} and never understates it: ${bounds}`
  );
}
