// A window of live values, one column at a time, folded into what the drift tests need: counts
// per reference bin or category (and, against a small reference, per reference value for exact
// KS), never the values themselves — memory stays O(bins) however long the window.
import { isMissing, parseNumber, type ColumnProfile, type RawValue } from '@outpost/shared';
import { ksCounter, ksReference, type KsCounts, type KsReference } from './ks.ts';

/** What was wrong with the values of a column, counted. */
export interface ValueCounts {
  /** Values the tests used. */
  n: number;
  /** Absent, null or empty: including records that lack the feature (wrong-length inputs). */
  missing: number;
  nan: number;
  /** ±Infinity. */
  infinite: number;
  /** A value of the wrong type: text that is not a number in a numeric column, say. */
  wrongType: number;
  /** Numeric values outside the reference's [min, max]. */
  outOfRange: number;
  /** Categories the reference's top list does not have. */
  newCategory: number;
}

const zeroCounts = (): ValueCounts => ({ n: 0, missing: 0, nan: 0, infinite: 0, wrongType: 0, outOfRange: 0, newCategory: 0 });

/** A numeric column's reference as the accumulator needs it. */
export interface NumericReference {
  profile: ColumnProfile & { numeric: NonNullable<ColumnProfile['numeric']> };
  /** The reference's raw values (small references only): exact KS, and exact counts of few distinct values. */
  ks?: KsReference;
}

export function numericReference(profile: ColumnProfile, sample: ArrayLike<number> | undefined): NumericReference | undefined {
  if (!profile.numeric) return undefined;
  const ref: NumericReference = { profile: profile as NumericReference['profile'] };
  if (sample && sample.length > 0) ref.ks = ksReference(sample);
  return ref;
}

/**
 * Folds a numeric column's values: per reference histogram bin (equal width, so a value's bin is
 * arithmetic, not a search), below and above the reference range (with the sum of those values,
 * so distances know where that mass sits), and per reference value when there is a sample.
 * @example const acc = numericAccumulator(ref); acc.addAll(values); acc.result();
 */
export function numericAccumulator(ref: NumericReference) {
  const { min, max, histogram } = ref.profile.numeric;
  const bins = histogram.counts.length;
  // One slot past the last bin takes x = max (the last bin is closed); folded back in result().
  const counts = new Uint32Array(bins + 1);
  // addAll() takes values two at a time into two tallies: neighbours often share a bin, and two
  // increments of one counter back to back wait on each other's store.
  const counts2 = new Uint32Array(bins + 1);
  const width = bins > 0 && max > min ? (max - min) / bins : 0;
  const inv = width > 0 ? 1 / width : 0;
  const c = zeroCounts();
  let below = 0;
  let above = 0;
  let sumBelow = 0;
  let sumAbove = 0;
  const ks = ref.ks ? ksCounter(ref.ks) : undefined;

  function add(x: number): void {
    if (x >= min && x <= max) {
      counts[((x - min) * inv) | 0]!++;
    } else if (x < min) {
      if (x === -Infinity) return void c.infinite++;
      below++;
      sumBelow += x;
    } else if (x > max) {
      if (x === Infinity) return void c.infinite++;
      above++;
      sumAbove += x;
    } else return void c.nan++;
    c.n++;
    ks?.add(x);
  }

  return {
    add,
    addAll(xs: ArrayLike<number>): void {
      // The hot loop of a window: inlined bin arithmetic, the rare cases through add().
      // Locals, not the closure's: V8 keeps them in registers through the loop.
      const n0 = xs.length;
      const lo = min;
      const hi = max;
      const scale = inv;
      const into = counts;
      const into2 = counts2;
      let inRange = 0;
      let i = 0;
      for (; i + 1 < n0; i += 2) {
        const x = xs[i]!;
        const y = xs[i + 1]!;
        // Non-negative, so truncation is the floor; x = max lands in the spare slot.
        if (x >= lo && x <= hi) {
          into[((x - lo) * scale) | 0]!++;
          inRange++;
        } else add(x);
        if (y >= lo && y <= hi) {
          into2[((y - lo) * scale) | 0]!++;
          inRange++;
        } else add(y);
      }
      if (i < n0) {
        const x = xs[i]!;
        if (x >= lo && x <= hi) {
          into[((x - lo) * scale) | 0]!++;
          inRange++;
        } else add(x);
      }
      c.n += inRange;
      if (ks) for (let i = 0; i < n0; i++) if (xs[i]! >= min && xs[i]! <= max) ks.add(xs[i]!);
    },
    /** A raw value from a record: parsed as the feature encoder does; missing and wrong types counted. */
    addRaw(v: RawValue | undefined): void {
      if (typeof v === 'number') return add(v); // NaN and ±Infinity are counted as such, not as missing
      if (v === undefined || isMissing(v)) return void c.missing++;
      if (typeof v === 'boolean') return void c.wrongType++;
      const x = parseNumber(v);
      if (x === undefined) return void c.wrongType++;
      add(x);
    },
    result(): NumericWindow {
      c.outOfRange = below + above;
      return {
        kind: 'numeric',
        counts: { ...c },
        bins: Array.from(counts.subarray(0, bins), (n, i) => n + counts2[i]! + (i === bins - 1 ? counts[bins]! + counts2[bins]! : 0)),
        below,
        above,
        meanBelow: below > 0 ? sumBelow / below : null,
        meanAbove: above > 0 ? sumAbove / above : null,
        ...(ks ? { ks: ks.counts() } : {}),
      };
    },
  };
}

/** A numeric column's window, folded. */
export interface NumericWindow {
  kind: 'numeric';
  counts: ValueCounts;
  /** Per reference histogram bin. */
  bins: number[];
  below: number;
  above: number;
  meanBelow: number | null;
  meanAbove: number | null;
  ks?: KsCounts;
}

/** The category a reference's values outside its top list are pooled under. */
export const OTHER = '(other)';

/**
 * Folds a categorical column's values per reference category. Values outside the reference's
 * top list are counted as new categories and kept by name (a few hundred at most: the console
 * names them), pooled under OTHER for the tests.
 */
export function categoricalAccumulator(profile: ColumnProfile, limit = 200) {
  const known = new Set((profile.categorical?.top ?? []).map((t) => t.value));
  const counts = new Map<string, number>();
  const c = zeroCounts();
  let unnamed = 0;
  function add(value: string): void {
    c.n++;
    if (!known.has(value)) {
      c.newCategory++;
      if (!counts.has(value) && counts.size >= known.size + limit) return void unnamed++;
    }
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return {
    add,
    addRaw(v: RawValue | undefined): void {
      if (typeof v === 'number' && !Number.isFinite(v)) return void (Number.isNaN(v) ? c.nan++ : c.infinite++);
      if (v === undefined || isMissing(v)) return void c.missing++;
      add(String(v).trim());
    },
    result(): CategoricalWindow {
      return { kind: 'categorical', counts: { ...c }, values: counts, unnamedNew: unnamed };
    },
  };
}

/** A categorical column's window, folded. */
export interface CategoricalWindow {
  kind: 'categorical';
  counts: ValueCounts;
  /** Count per category seen (new ones included, up to a limit). */
  values: Map<string, number>;
  /** New categories past the naming limit. */
  unnamedNew: number;
}

export type ColumnWindow = NumericWindow | CategoricalWindow;
