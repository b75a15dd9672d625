/**
 * Category frequencies: exact counts while a column has at most `capacity` distinct values, then
 * Space-Saving (Metwally, Agrawal, El Abbadi, "Efficient Computation of Frequent and Top-k Elements
 * in Data Streams", ICDT 2005) with the same `capacity` counters. Why: a categorical column usually
 * has a handful of levels (exact and cheap), but an id-like column must not grow memory with n.
 *
 * Exact mode is Space-Saving before its first eviction, so the switch loses nothing. After it, with
 * n values added and m = capacity counters: every reported count is an upper bound and
 * count − n/m ≤ true count ≤ count; every value whose true count exceeds n/m is monitored.
 * Merging follows Cafaro et al. ("Parallel Space Saving", 2016): counts add, and a value missing
 * from one side is charged that side's smallest counter (its most possible count there), so the
 * merged summary keeps the same n/m guarantee for the combined n.
 */

/** JSON form. `entries` are [value, count, error] (error: how much `count` may overstate). */
export interface TopKState {
  capacity: number;
  total: number;
  exact: boolean;
  entries: [string, number, number][];
}

export interface TopKResult {
  /** Most frequent first; ties by value. */
  top: { value: string; count: number }[];
  /** Values added that are not in `top` (total − Σ top counts, at least 0). */
  otherCount: number;
  exact: boolean;
}

export interface TopK {
  add(value: string): void;
  /** `value` seen `count` times (weighted Space-Saving: the same bounds as `count` single adds). */
  addCount(value: string, count: number): void;
  merge(other: TopK): void;
  state(): TopKState;
  /** The `k` most frequent values (default 20). */
  result(k?: number): TopKResult;
}

export const DEFAULT_TOP_K_CAPACITY = 1000;

/**
 * @example
 * const t = createTopK({ capacity: 1000 });
 * for (const v of ['Adelie', 'Gentoo', 'Adelie']) t.add(v);
 * t.result(1); // { top: [{ value: 'Adelie', count: 2 }], otherCount: 1, exact: true }
 */
export function createTopK(options: { capacity?: number } = {}): TopK {
  return topKFromState({ capacity: options.capacity ?? DEFAULT_TOP_K_CAPACITY, total: 0, exact: true, entries: [] });
}

/**
 * Restore from `state()` (trusted shape: validate stored input first, see state-schema.ts).
 * @example const again = topKFromState(JSON.parse(JSON.stringify(topK.state())));
 */
export function topKFromState(from: TopKState): TopK {
  const capacity = from.capacity;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`top-k capacity must be a positive integer, got ${capacity}`);
  if (from.entries.length > capacity) throw new RangeError(`top-k state has ${from.entries.length} entries for capacity ${capacity}`);
  let total = from.total;
  // Exact mode: value → count, in first-seen order.
  let counts: Map<string, number> | null = null;
  // Space-Saving mode: slots in a min-heap by count.
  let summary: SpaceSaving | null = null;
  const load = (entries: readonly (readonly [string, number, number])[], exact: boolean): void => {
    if (exact) {
      counts = new Map(entries.map(([v, c]) => [v, c]));
      summary = null;
    } else {
      summary = new SpaceSaving(entries);
      counts = null;
    }
  };
  load(from.entries, from.exact);

  const entries = (): [string, number, number][] =>
    counts ? [...counts].map(([v, c]) => [v, c, 0]) : summary!.entries();

  return {
    add(value) {
      this.addCount(value, 1);
    },
    addCount(value, n) {
      total += n;
      if (counts) {
        const c = counts.get(value);
        if (c !== undefined) counts.set(value, c + n);
        else if (counts.size < capacity) counts.set(value, n);
        else {
          load(entries(), false);
          summary!.add(value, n);
        }
      } else summary!.add(value, n);
    },
    merge(other) {
      const o = other.state();
      if (o.capacity !== capacity) throw new RangeError(`cannot merge top-k summaries with capacity ${capacity} and ${o.capacity}`);
      const mine = entries();
      const exact = counts !== null;
      // The most a value a summary does not list can have occurred there: 0 if exact, else its smallest counter.
      const floor = (list: [string, number, number][], isExact: boolean): number =>
        isExact || list.length === 0 ? 0 : Math.min(...list.map((e) => e[1]));
      const myFloor = floor(mine, exact);
      const theirFloor = floor(o.entries, o.exact);
      const merged = new Map<string, [string, number, number]>();
      for (const [v, c, e] of mine) merged.set(v, [v, c + theirFloor, e + theirFloor]);
      for (const [v, c, e] of o.entries) {
        const m = merged.get(v);
        if (m) merged.set(v, [v, m[1] - theirFloor + c, m[2] - theirFloor + e]);
        else merged.set(v, [v, c + myFloor, e + myFloor]);
      }
      let list = [...merged.values()];
      const keepsAll = list.length <= capacity;
      if (!keepsAll) list = list.sort(byCountThenValue).slice(0, capacity);
      total += o.total;
      load(list, exact && o.exact && keepsAll);
    },
    state: () => ({ capacity, total, exact: counts !== null, entries: entries() }),
    result(k = 20) {
      const top = entries()
        .sort(byCountThenValue)
        .slice(0, k)
        .map(([value, count]) => ({ value, count }));
      const shown = top.reduce((s, t) => s + t.count, 0);
      return { top, otherCount: Math.max(0, total - shown), exact: counts !== null };
    },
  };
}

function byCountThenValue(a: readonly [string, number, number], b: readonly [string, number, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/** Space-Saving counters with a binary min-heap on count, so an eviction costs O(log m). */
class SpaceSaving {
  private readonly slotOf = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly counts: number[] = [];
  private readonly errors: number[] = [];
  /** heap[i] = slot; position[slot] = i. */
  private readonly heap: number[] = [];
  private readonly position: number[] = [];

  constructor(entries: readonly (readonly [string, number, number])[]) {
    entries.forEach(([v, c, e], slot) => {
      this.slotOf.set(v, slot);
      this.values.push(v);
      this.counts.push(c);
      this.errors.push(e);
      this.heap.push(slot);
      this.position.push(slot);
    });
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  add(value: string, n: number): void {
    let slot = this.slotOf.get(value);
    if (slot === undefined) {
      // Replace the least counted value; the newcomer may have occurred up to that many times.
      slot = this.heap[0]!;
      this.slotOf.delete(this.values[slot]!);
      this.slotOf.set(value, slot);
      this.values[slot] = value;
      this.errors[slot] = this.counts[slot]!;
    }
    this.counts[slot]! += n;
    this.siftDown(this.position[slot]!);
  }

  /** In heap order, so a restored summary evicts exactly as this one would. */
  entries(): [string, number, number][] {
    return this.heap.map((slot) => [this.values[slot]!, this.counts[slot]!, this.errors[slot]!]);
  }

  private siftDown(i: number): void {
    const { heap, counts, position } = this;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const child = r < n && counts[heap[r]!]! < counts[heap[l]!]! ? r : l;
      if (counts[heap[child]!]! >= counts[heap[i]!]!) return;
      const a = heap[i]!;
      const b = heap[child]!;
      heap[i] = b;
      heap[child] = a;
      position[b] = i;
      position[a] = child;
      i = child;
    }
  }
}
