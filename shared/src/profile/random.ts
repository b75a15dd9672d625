/**
 * A tiny seeded PRNG (mulberry32) for the sketches' coin flips. Why not Math.random: a profile must
 * be reproducible (same rows in the same order, same seed → the same numbers, on the hub and in a
 * browser), and the generator's whole state is one 32-bit integer, so it travels inside the
 * sketch's JSON state and a restored sketch flips the same coins it would have flipped.
 */

/** A seeded source of uniform numbers in [0, 1). `state()` is the integer to resume from. */
export interface Random {
  next(): number;
  state(): number;
}

/**
 * @example
 * const rng = createRandom(42);
 * const u = rng.next(); // in [0, 1)
 * const again = createRandom(rng.state()); // continues the same sequence
 */
export function createRandom(seed: number): Random {
  let a = seed | 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    state: () => a,
  };
}
