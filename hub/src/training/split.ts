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
  /** Held-out row indices for early checks, curves and parity, in shuffled order. */
  validation: number[];
  /** Held-back row indices, seen only by the final evaluation and the acceptance gates. */
  test: number[];
}

/**
 * Seeded train/validation/test split of `count` rows, from one shuffle: validation is the first
 * round(count × validationFraction) rows of it (at least one: the parity check needs rows the model
 * has not seen, never all), test the next round(count × testFraction), train the rest (at least
 * one). With testFraction 0 the split is the one runs made before there was a test part.
 * @example splitIndices(20, 0.2, 42, 0.1) // { train: [14 indices], validation: [4], test: [2] }
 */
export function splitIndices(count: number, validationFraction: number, seed: number, testFraction = 0): Split {
  const order = shuffleInPlace(
    Array.from({ length: count }, (_, i) => i),
    createRng(seed),
  );
  const held = count < 2 ? 0 : Math.min(count - 1, Math.max(1, Math.round(count * validationFraction)));
  const tested = Math.min(count - held - 1, Math.max(0, Math.round(count * testFraction)));
  return { train: order.slice(held + Math.max(0, tested)), validation: order.slice(0, held), test: order.slice(held, held + Math.max(0, tested)) };
}
