/**
 * The profiler's public shapes. DatasetProfile is what the hub stores and serves (its zod twin is
 * ../profile-schema.ts, checked to stay identical); ProfilerState is the resumable sketch state.
 */
import type { CorrelationState } from './correlation.ts';
import type { DistinctState } from './distinct.ts';
import type { MomentsState } from './moments.ts';
import type { QuantileSketchState } from './quantiles.ts';
import type { TopKState } from './top-k.ts';

/** numeric: numbers; datetime: ISO 8601 dates profiled as epoch milliseconds (shared/datetime.ts); categorical: anything else. */
export type ProfileColumnType = 'numeric' | 'categorical' | 'datetime';

export interface ProfileColumn {
  name: string;
  type: ProfileColumnType;
}

/** Every option with its default; see the module named for the accuracy it buys. */
export interface ProfilerOptions {
  /** Distinct values counted exactly per column before HyperLogLog takes over (distinct.ts). Default 10 000. */
  distinctExactLimit?: number;
  /** Categories counted exactly per column before Space-Saving with this many counters takes over (top-k.ts). Default 1 000. */
  categoryLimit?: number;
  /** Categories listed in a column's `top`. Default 20. */
  topK?: number;
  /** Equal-width histogram bins (histogram.ts). Default 20. */
  histogramBins?: number;
  /** KLL size parameter (quantiles.ts): exact up to 3k values, rank error ≤ 3.5·n/k. Default 200. */
  quantileK?: number;
  /** Seed of the quantile sketches' coin: same rows, same order, same seed → same profile. Default 1. */
  seed?: number;
}

export type QuantileKey = 'p1' | 'p5' | 'p25' | 'p50' | 'p75' | 'p95' | 'p99';

export interface ColumnProfile {
  name: string;
  type: ProfileColumnType;
  /** Rows seen. */
  count: number;
  /** null, undefined, '', 'NA', 'NaN', 'null' or NaN (features.ts isMissing). */
  missing: number;
  /** Numeric (datetime) column: present values that are not numbers (not ISO 8601 dates). */
  typeMismatches: number;
  distinct: { value: number; exact: boolean };
  /** Numeric or datetime column with at least one value (datetimes in epoch ms). std is the population standard deviation. */
  numeric?: {
    min: number;
    max: number;
    mean: number;
    std: number;
    /** Nearest-rank: the smallest value with at least ⌈p·n⌉ values ≤ it. */
    quantiles: Record<QuantileKey, number>;
    quantilesExact: boolean;
    histogram: { edges: number[]; counts: number[]; exact: boolean };
  };
  categorical?: { top: { value: string; count: number }[]; otherCount: number; exact: boolean };
}

export interface DatasetProfile {
  rowCount: number;
  columns: ColumnProfile[];
  /** Pairwise-complete Pearson correlations between numeric columns; null where undefined. */
  correlations: { columns: string[]; pearson: (number | null)[][] };
  /** Human-readable statement of the bounds in force for this profile. */
  accuracy: { quantiles: string; distinct: string; topK: string };
}

export interface ColumnState {
  name: string;
  type: ProfileColumnType;
  missing: number;
  typeMismatches: number;
  distinct: DistinctState;
  /** Numeric and datetime columns. */
  moments?: MomentsState;
  quantiles?: QuantileSketchState;
  /** Categorical columns. */
  topK?: TopKState;
}

export interface ProfilerState {
  version: 1;
  options: Required<ProfilerOptions>;
  rowCount: number;
  columns: ColumnState[];
  correlation: CorrelationState;
}
