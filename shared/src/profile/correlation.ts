/**
 * Pearson correlation between every pair of numeric columns, one pass, mergeable. For each pair it
 * keeps co-moments over the rows where both values are present (pairwise-complete, like pandas'
 * DataFrame.corr), updated Welford-style on values shifted by the pair's first observation and
 * merged with Chan's formula; see moments.ts for why (raw sums cancel, unshifted means round).
 * Cost: 8 numbers and O(1) work per pair per row, so c columns cost O(c²) per row.
 */

/** JSON form: for each pair i ≤ j (row-major), [n, shiftX, shiftY, meanX − shiftX, meanY − shiftY, m2X, m2Y, coMoment]. */
export interface CorrelationState {
  columns: number;
  pairs: number[];
}

export interface Correlation {
  /** One value per column, NaN where missing. */
  add(values: ArrayLike<number>): void;
  /** `length` rows given as one array per column (NaN: missing); the same state as adding them row by row. */
  addColumns(values: readonly ArrayLike<number>[], length: number): void;
  merge(other: Correlation): void;
  state(): CorrelationState;
  /** columns × columns, symmetric; null where undefined (fewer than 2 complete pairs, or a constant side). */
  result(): (number | null)[][];
}

const WIDTH = 8;

/** Numbers kept per pair of columns. */
export const PAIR_WIDTH = WIDTH;

/** @example pairCount(4) // 10: the pairs i ≤ j, diagonal included */
export function pairCount(columns: number): number {
  return (columns * (columns + 1)) / 2;
}

/**
 * @example
 * const c = createCorrelation(2);
 * c.add([1, 2]); c.add([2, 4]); c.add([3, NaN]); c.add([4, 8]);
 * c.result(); // [[1, 1], [1, 1]]
 */
export function createCorrelation(columns: number): Correlation {
  return correlationFromState({ columns, pairs: new Array<number>(pairCount(columns) * WIDTH).fill(0) });
}

/**
 * Restore from `state()` (trusted shape: validate stored input first, see state-schema.ts).
 * @example const again = correlationFromState(JSON.parse(JSON.stringify(correlation.state())));
 */
export function correlationFromState(from: CorrelationState): Correlation {
  const columns = from.columns;
  if (!Number.isInteger(columns) || columns < 0 || from.pairs.length !== pairCount(columns) * WIDTH) {
    throw new RangeError(`correlation state for ${columns} columns needs ${pairCount(columns) * WIDTH} numbers, got ${from.pairs.length}`);
  }
  const s = Float64Array.from(from.pairs);
  return {
    add(values) {
      let p = 0;
      for (let i = 0; i < columns; i++) {
        const x = values[i]!;
        if (x !== x) {
          p += (columns - i) * WIDTH;
          continue;
        }
        for (let j = i; j < columns; j++, p += WIDTH) {
          const y = values[j]!;
          if (y !== y) continue;
          const n = (s[p] = s[p]! + 1);
          if (n === 1) {
            s[p + 1] = x;
            s[p + 2] = y;
          }
          const u = x - s[p + 1]!;
          const w = y - s[p + 2]!;
          const du = u - s[p + 3]!;
          const dw = w - s[p + 4]!;
          const mu = (s[p + 3] = s[p + 3]! + du / n);
          const mw = (s[p + 4] = s[p + 4]! + dw / n);
          s[p + 5] = s[p + 5]! + du * (u - mu);
          s[p + 6] = s[p + 6]! + dw * (w - mw);
          s[p + 7] = s[p + 7]! + du * (w - mw);
        }
      }
    },
    addColumns(cols, length) {
      // Pair by pair over all rows: each pair's accumulator is independent, so the order of pairs
      // within a row does not matter and the result is the same as row by row.
      let p = 0;
      for (let i = 0; i < columns; i++) {
        const xs = cols[i]!;
        for (let j = i; j < columns; j++, p += WIDTH) {
          const ys = cols[j]!;
          let n = s[p]!, sx = s[p + 1]!, sy = s[p + 2]!, mu = s[p + 3]!, mw = s[p + 4]!, m2u = s[p + 5]!, m2w = s[p + 6]!, co = s[p + 7]!;
          for (let r = 0; r < length; r++) {
            const x = xs[r]!;
            const y = ys[r]!;
            if (x !== x || y !== y) continue;
            n++;
            if (n === 1) {
              sx = x;
              sy = y;
            }
            const u = x - sx;
            const w = y - sy;
            const du = u - mu;
            const dw = w - mw;
            mu += du / n;
            mw += dw / n;
            m2u += du * (u - mu);
            m2w += dw * (w - mw);
            co += du * (w - mw);
          }
          s[p] = n;
          s[p + 1] = sx;
          s[p + 2] = sy;
          s[p + 3] = mu;
          s[p + 4] = mw;
          s[p + 5] = m2u;
          s[p + 6] = m2w;
          s[p + 7] = co;
        }
      }
    },
    merge(other) {
      const o = other.state();
      if (o.columns !== columns) throw new RangeError(`cannot merge correlations over ${columns} and ${o.columns} columns`);
      for (let p = 0; p < s.length; p += WIDTH) {
        const nb = o.pairs[p]!;
        if (nb === 0) continue;
        const na = s[p]!;
        if (na === 0) {
          s[p + 1] = o.pairs[p + 1]!;
          s[p + 2] = o.pairs[p + 2]!;
        }
        const n = na + nb;
        const dx = o.pairs[p + 1]! - s[p + 1]! + (o.pairs[p + 3]! - s[p + 3]!);
        const dy = o.pairs[p + 2]! - s[p + 2]! + (o.pairs[p + 4]! - s[p + 4]!);
        const f = (na * nb) / n;
        s[p] = n;
        s[p + 3] = s[p + 3]! + (dx * nb) / n;
        s[p + 4] = s[p + 4]! + (dy * nb) / n;
        s[p + 5] = s[p + 5]! + o.pairs[p + 5]! + dx * dx * f;
        s[p + 6] = s[p + 6]! + o.pairs[p + 6]! + dy * dy * f;
        s[p + 7] = s[p + 7]! + o.pairs[p + 7]! + dx * dy * f;
      }
    },
    state: () => ({ columns, pairs: Array.from(s) }),
    result() {
      const out = Array.from({ length: columns }, () => new Array<number | null>(columns).fill(null));
      let p = 0;
      for (let i = 0; i < columns; i++) {
        for (let j = i; j < columns; j++, p += WIDTH) {
          const m2x = s[p + 5]!;
          const m2y = s[p + 6]!;
          let r: number | null = null;
          if (s[p]! >= 2 && m2x > 0 && m2y > 0) r = i === j ? 1 : Math.max(-1, Math.min(1, s[p + 7]! / (Math.sqrt(m2x) * Math.sqrt(m2y))));
          out[i]![j] = r;
          out[j]![i] = r;
        }
      }
      return out;
    },
  };
}
