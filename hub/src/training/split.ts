/**
 * mulberry32: a 32-bit seeded PRNG, uniform in [0, 1). Tiny, fast and good enough for shuffles;
 * written here so a training run's randomness depends on nothing but its seed.
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 * @example const rng = createRng(42); rng(); // 0.6011037519201636
 */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher–Yates shuffle, in place; returns the array.
 * @example shuffleInPlace([0, 1, 2, 3], createRng(1));
 */
export function shuffleInPlace<T>(items: T[], rng: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

export interface Split {
  /** Row indices to train on, in shuffled order. */
  train: number[];
  /** Held-out row indices, in shuffled order. */
  validation: number[];
}

/**
 * Seeded train/validation split of `count` rows. Holds out round(count × fraction) rows, but at least
 * one (the parity check needs rows the model has not seen) and never all of them.
 * @example splitIndices(10, 0.2, 42) // { train: [8 indices], validation: [2 indices] }
 */
export function splitIndices(count: number, validationFraction: number, seed: number): Split {
  const order = shuffleInPlace(
    Array.from({ length: count }, (_, i) => i),
    createRng(seed),
  );
  const held = count < 2 ? 0 : Math.min(count - 1, Math.max(1, Math.round(count * validationFraction)));
  return { train: order.slice(held), validation: order.slice(0, held) };
}
