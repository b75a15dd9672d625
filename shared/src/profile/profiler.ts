/**
 * Dataset profiling in one pass with bounded memory: per column, missing and mistyped counts,
 * distinct values, and either numeric statistics (moments, quantiles, histogram) or category
 * frequencies, plus Pearson correlations between numeric columns. Every part is a mergeable
 * sketch, so chunks or workers can profile separately and `merge`, and `state()` is plain JSON for
 * storage (e.g. a reference profile for drift monitoring). Accuracy of each part is in its module:
 * moments.ts, quantiles.ts, histogram.ts, distinct.ts, top-k.ts, correlation.ts.
 */
import { OutpostError } from '../errors.ts';
import { parseDateTime } from '../datetime.ts';
import { isMissing, parseNumber, type RawRecord, type RawValue } from '../features.ts';
import { createCorrelation, correlationFromState } from './correlation.ts';
import { createDistinctCounter, distinctCounterFromState, DEFAULT_DISTINCT_EXACT_LIMIT, type DistinctCounter } from './distinct.ts';
import { hashPair } from './hash.ts';
import { DEFAULT_HISTOGRAM_BINS, histogramFromSketch } from './histogram.ts';
import { createMoments, type Moments } from './moments.ts';
import { createQuantileSketch, DEFAULT_QUANTILE_K, quantileSketchFromState, type QuantileSketch } from './quantiles.ts';
import { describeAccuracy } from './accuracy.ts';
import { parseProfilerState } from './state-schema.ts';
import { createTopK, DEFAULT_TOP_K_CAPACITY, topKFromState, type TopK } from './top-k.ts';
import type { ColumnProfile, ColumnState, DatasetProfile, ProfileColumn, ProfilerOptions, ProfilerState, QuantileKey } from './types.ts';

export const QUANTILE_LEVELS: Readonly<Record<QuantileKey, number>> = { p1: 0.01, p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 };

export interface Profiler {
  /** Profile one row; a column absent from the row counts as missing. */
  add(row: RawRecord): void;
  /**
   * Profile `length` rows given column by column (what a columnar reader has), with the same result
   * as adding them row by row; a column absent from `batch` is missing in every row.
   */
  addColumns(batch: ReadonlyMap<string, ArrayLike<RawValue>>, length: number): void;
  /** Fold in a profiler over other rows of the same columns and options. Throws RangeError otherwise. */
  merge(other: Profiler): void;
  /** JSON-serialisable; `profilerFromState` resumes from it. */
  state(): ProfilerState;
  result(): DatasetProfile;
}

const DEFAULTS: Required<ProfilerOptions> = {
  distinctExactLimit: DEFAULT_DISTINCT_EXACT_LIMIT,
  categoryLimit: DEFAULT_TOP_K_CAPACITY,
  topK: 20,
  histogramBins: DEFAULT_HISTOGRAM_BINS,
  quantileK: DEFAULT_QUANTILE_K,
  seed: 1,
};

const SKETCH_OPTIONS = ['distinctExactLimit', 'categoryLimit', 'quantileK'] as const;

interface Column {
  readonly name: string;
  readonly type: ProfileColumn['type'];
  missing: number;
  typeMismatches: number;
  readonly distinct: DistinctCounter;
  readonly moments?: Moments;
  readonly quantiles?: QuantileSketch;
  readonly topK?: TopK;
}

/**
 * @example
 * const profiler = createProfiler([{ name: 'Species', type: 'categorical' }, { name: 'Body Mass (g)', type: 'numeric' }]);
 * for (const row of rows) profiler.add(row);
 * const profile = profiler.result(); // profile.columns[1].numeric?.quantiles.p50
 */
export function createProfiler(columns: readonly ProfileColumn[], options: ProfilerOptions = {}): Profiler {
  const o = { ...DEFAULTS, ...options };
  const names = new Set<string>();
  for (const c of columns) {
    if (c.type !== 'numeric' && c.type !== 'categorical' && c.type !== 'datetime') throw new RangeError(`column ${c.name}: unknown type ${String(c.type)}`);
    if (names.has(c.name)) throw new RangeError(`column ${c.name} is listed twice`);
    names.add(c.name);
  }
  return fromState({
    version: 1,
    options: o,
    rowCount: 0,
    columns: columns.map((c, i) => ({
      name: c.name,
      type: c.type,
      missing: 0,
      typeMismatches: 0,
      distinct: createDistinctCounter({ exactLimit: o.distinctExactLimit }).state(),
      ...(c.type !== 'categorical'
        ? { moments: createMoments().state(), quantiles: createQuantileSketch({ k: o.quantileK, seed: hashPair(o.seed, i) }).state() }
        : { topK: createTopK({ capacity: o.categoryLimit }).state() }),
    })),
    correlation: createCorrelation(columns.filter((c) => c.type === 'numeric').length).state(),
  });
}

/**
 * Resume from `state()`, e.g. after JSON storage. Throws OutpostError('VALIDATION_FAILED') naming
 * the first problem when `state` is not a profiler state.
 * @example const again = profilerFromState(JSON.parse(JSON.stringify(profiler.state())));
 */
export function profilerFromState(state: unknown): Profiler {
  const s = parseProfilerState(state);
  try {
    return fromState(s);
  } catch (e) {
    throw new OutpostError('VALIDATION_FAILED', `invalid profiler state: ${(e as Error).message}`, { cause: e });
  }
}

function columnFromState(c: ColumnState): Column {
  return {
    name: c.name,
    type: c.type,
    missing: c.missing,
    typeMismatches: c.typeMismatches,
    distinct: distinctCounterFromState(c.distinct),
    ...(c.type !== 'categorical'
      ? { moments: createMoments(c.moments), quantiles: quantileSketchFromState(c.quantiles!) }
      : { topK: topKFromState(c.topK!) }),
  };
}

function fromState(s: ProfilerState): Profiler {
  const options = s.options;
  let rowCount = s.rowCount;
  const columns = s.columns.map(columnFromState);
  const correlation = correlationFromState(s.correlation);
  const numeric = columns.filter((c) => c.type === 'numeric');
  const values = new Float64Array(numeric.length);

  /** One present-or-missing value of a column; returns the number a numeric column took (NaN if none). */
  const addValue = (c: Column, raw: RawValue | undefined): number => {
    const missing = isMissing(raw);
    if (c.type === 'categorical') {
      if (missing) c.missing++;
      else {
        const s = typeof raw === 'string' ? raw.trim() : String(raw);
        c.topK!.add(s);
        c.distinct.add(s);
      }
      return NaN;
    }
    // A datetime column takes ISO 8601 strings, or numbers as epoch milliseconds (a columnar reader's dates).
    const x = missing ? undefined : c.type === 'numeric' ? parseNumber(raw!) : typeof raw === 'number' ? raw : parseDateTime(raw!);
    if (x !== undefined) {
      c.moments!.add(x);
      c.quantiles!.add(x);
      c.distinct.add(String(x));
      return x;
    }
    if (missing) c.missing++;
    else c.typeMismatches++;
    return NaN;
  };

  return {
    add(row) {
      rowCount++;
      let v = 0;
      for (const c of columns) {
        const x = addValue(c, row[c.name]);
        if (c.type === 'numeric') values[v++] = x;
      }
      if (numeric.length > 0) correlation.add(values);
    },
    addColumns(batch, length) {
      rowCount += length;
      // Column by column (each sketch stays hot), keeping numeric columns' numbers for the
      // correlations. Distinct values are gathered per batch first, so the distinct counter and the
      // top-k see each value once per batch (with its count) instead of once per row.
      const taken = numeric.map(() => new Float64Array(length));
      let v = 0;
      for (const c of columns) {
        const column = batch.get(c.name);
        if (!column) {
          c.missing += length;
          if (c.type === 'numeric') taken[v++]!.fill(NaN);
          continue;
        }
        if (c.type === 'categorical') {
          // Counted by raw value first (one lookup per row); each distinct raw value is then
          // checked for missing and trimmed once, and values equal after trimming are summed.
          const raws = new Map<RawValue | undefined, number>();
          for (let i = 0; i < length; i++) {
            const raw = column[i];
            raws.set(raw, (raws.get(raw) ?? 0) + 1);
          }
          const seen = new Map<string, number>();
          for (const [raw, count] of raws) {
            if (isMissing(raw)) {
              c.missing += count;
              continue;
            }
            const s = typeof raw === 'string' ? raw.trim() : String(raw);
            seen.set(s, (seen.get(s) ?? 0) + count);
          }
          for (const [s, count] of seen) {
            c.topK!.addCount(s, count);
            c.distinct.add(s);
          }
          continue;
        }
        const out = c.type === 'numeric' ? taken[v++]! : new Float64Array(length);
        const seen = new Set<number>();
        let previous = NaN; // runs of one value (sorted or clustered columns) touch the set once
        for (let i = 0; i < length; i++) {
          const raw = column[i];
          const x = typeof raw === 'number' && raw === raw && (c.type !== 'numeric' || Number.isFinite(raw)) ? raw : isMissing(raw) ? NaN : c.type === 'numeric' ? (parseNumber(raw!) ?? NaN) : (parseDateTime(raw!) ?? NaN);
          out[i] = x;
          if (x === x) {
            c.quantiles!.add(x);
            if (x !== previous) seen.add((previous = x));
          } else if (isMissing(raw)) c.missing++;
          else c.typeMismatches++;
        }
        c.moments!.addMany(out);
        for (const x of seen) c.distinct.add(String(x));
      }
      if (taken.length > 0) correlation.addColumns(taken, length);
    },
    merge(other) {
      const s = other.state();
      // Only these shape the sketches; topK and histogramBins shape the result, and sketches with
      // different seeds merge fine (quantiles.ts accounts for the coins either way).
      const mismatch = SKETCH_OPTIONS.find((k) => s.options[k] !== options[k]);
      if (mismatch) throw new RangeError(`cannot merge profilers with different ${mismatch} (${options[mismatch]} and ${s.options[mismatch]})`);
      if (s.columns.length !== columns.length || s.columns.some((c, i) => c.name !== columns[i]!.name || c.type !== columns[i]!.type)) {
        throw new RangeError('cannot merge profilers over different columns');
      }
      rowCount += s.rowCount;
      s.columns.map(columnFromState).forEach((o, i) => {
        const c = columns[i]!;
        c.missing += o.missing;
        c.typeMismatches += o.typeMismatches;
        c.distinct.merge(o.distinct);
        if (c.moments) c.moments.merge(o.moments!);
        if (c.quantiles) c.quantiles.merge(o.quantiles!);
        if (c.topK) c.topK.merge(o.topK!);
      });
      correlation.merge(correlationFromState(s.correlation));
    },
    state: () => ({
      version: 1,
      options: { ...options },
      rowCount,
      columns: columns.map((c): ColumnState => ({
        name: c.name,
        type: c.type,
        missing: c.missing,
        typeMismatches: c.typeMismatches,
        distinct: c.distinct.state(),
        ...(c.moments ? { moments: c.moments.state(), quantiles: c.quantiles!.state() } : { topK: c.topK!.state() }),
      })),
      correlation: correlation.state(),
    }),
    result: () => ({
      rowCount,
      columns: columns.map((c) => columnProfile(c, rowCount, options)),
      correlations: { columns: numeric.map((c) => c.name), pearson: correlation.result() },
      accuracy: describeAccuracy(columns, options),
    }),
  };
}

function columnProfile(c: Column, rowCount: number, options: Required<ProfilerOptions>): ColumnProfile {
  const profile: ColumnProfile = {
    name: c.name,
    type: c.type,
    count: rowCount,
    missing: c.missing,
    typeMismatches: c.typeMismatches,
    distinct: c.distinct.result(),
  };
  const summary = c.moments?.summary();
  if (summary && c.quantiles) {
    const q = c.quantiles;
    const quantiles = Object.fromEntries(
      Object.entries(QUANTILE_LEVELS).map(([key, p]) => [key, q.quantile(p)!]),
    ) as Record<QuantileKey, number>;
    profile.numeric = {
      min: summary.min,
      max: summary.max,
      mean: summary.mean,
      std: summary.std,
      quantiles,
      quantilesExact: q.exact(),
      histogram: histogramFromSketch(q, options.histogramBins)!,
    };
  }
  if (c.topK) profile.categorical = c.topK.result(options.topK);
  return profile;
}
