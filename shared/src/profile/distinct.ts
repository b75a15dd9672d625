/**
 * Distinct-value counting: exact (a Set of canonical strings) up to `exactLimit` distinct values,
 * then HyperLogLog (Flajolet, Fusy, Gandouet, Meunier, "HyperLogLog: the analysis of a near-optimal
 * cardinality estimation algorithm", 2007, http://algo.inria.fr/flajolet/Publications/FlFuGaMe07.pdf)
 * with precision p = 14: 16 384 one-byte registers (16 KiB), relative standard error 1.04/√2^14 ≈ 0.81 %.
 * The estimate is Ertl's (see `estimate`), which includes the small-range (linear counting) and
 * large-range corrections without the classic estimator's bias where it switches between them.
 * Why both: most columns of a tabular data set have few distinct values, and for those an exact
 * answer costs less memory than the 16 KiB of registers.
 *
 * The hash is 32-bit MurmurHash3, so hash collisions bias the estimate low by about n/2^33:
 * 0.1 % at 10^7 distinct values, 1.2 % at 10^8; a 64-bit hash would be needed beyond that.
 *
 * Switching is lossless for HLL: registers built from the Set equal the registers the stream would
 * have built (HLL ignores repeats and order), so merge(a, b) gives exactly the registers of one
 * pass over a ∪ b, and the result does not depend on chunking.
 */
import { base64UrlDecode, base64UrlEncode } from '../encoding.ts';
import { murmur3 } from './hash.ts';

export const HLL_PRECISION = 14;
const M = 1 << HLL_PRECISION;
/** Size of the dense HyperLogLog state: one byte per register. */
export const HLL_REGISTER_BYTES = M;
const RANK_BITS = 32 - HLL_PRECISION;
/** Relative standard error of the HyperLogLog estimate, 1.04/√m. */
export const HLL_STANDARD_ERROR = 1.04 / Math.sqrt(M);
export const DEFAULT_DISTINCT_EXACT_LIMIT = 10_000;

/** JSON form: `values` in exact mode, else `registers` (base64url of 2^14 bytes). */
export interface DistinctState {
  exactLimit: number;
  values: string[] | null;
  registers: string | null;
}

export interface DistinctCount {
  value: number;
  /** true: `value` is the exact count; false: a HyperLogLog estimate (±0.81 % standard error). */
  exact: boolean;
}

export interface DistinctCounter {
  /** Add one value in canonical form (the caller decides that 1 and "1.0" are the same value). */
  add(value: string): void;
  merge(other: DistinctCounter): void;
  state(): DistinctState;
  result(): DistinctCount;
}

/**
 * @example
 * const d = createDistinctCounter({ exactLimit: 10_000 });
 * for (const v of ['a', 'b', 'a']) d.add(v);
 * d.result(); // { value: 2, exact: true }
 */
export function createDistinctCounter(options: { exactLimit?: number } = {}): DistinctCounter {
  return build({ exactLimit: options.exactLimit ?? DEFAULT_DISTINCT_EXACT_LIMIT, values: [], registers: null });
}

/**
 * Restore from `state()` (trusted shape: validate stored input first, see state-schema.ts).
 * @example const again = distinctCounterFromState(JSON.parse(JSON.stringify(counter.state())));
 */
export function distinctCounterFromState(state: DistinctState): DistinctCounter {
  return build(state);
}

function build(from: DistinctState): DistinctCounter {
  const exactLimit = from.exactLimit;
  if (!Number.isInteger(exactLimit) || exactLimit < 0) throw new RangeError(`exactLimit must be a non-negative integer, got ${exactLimit}`);
  let set: Set<string> | null = from.values ? new Set(from.values) : null;
  let registers: Uint8Array | null = null;
  if (from.registers !== null) {
    registers = base64UrlDecode(from.registers);
    if (registers.length !== M) throw new RangeError(`HyperLogLog registers must be ${M} bytes, got ${registers.length}`);
    if (registers.some((r) => r > RANK_BITS + 1)) throw new RangeError(`HyperLogLog registers must be at most ${RANK_BITS + 1}`);
  } else if (!set) throw new RangeError('distinct state needs values or registers');

  const toRegisters = (values: Iterable<string>, into = new Uint8Array(M)): Uint8Array => {
    for (const v of values) addHash(into, murmur3(v));
    return into;
  };

  const self: DistinctCounter = {
    add(value) {
      if (set) {
        set.add(value);
        if (set.size > exactLimit) {
          registers = toRegisters(set);
          set = null;
        }
      } else addHash(registers!, murmur3(value));
    },
    merge(other) {
      const o = other.state();
      if (set && o.values) {
        for (const v of o.values) self.add(v);
        return;
      }
      if (set) {
        registers = toRegisters(set);
        set = null;
      }
      const theirs = o.values ? toRegisters(o.values) : base64UrlDecode(o.registers!);
      const mine = registers!;
      for (let i = 0; i < M; i++) if (theirs[i]! > mine[i]!) mine[i] = theirs[i]!;
    },
    state: () => ({
      exactLimit,
      values: set ? [...set] : null,
      registers: set ? null : base64UrlEncode(registers!),
    }),
    result: () => (set ? { value: set.size, exact: true } : { value: Math.round(estimate(registers!)), exact: false }),
  };
  return self;
}

function addHash(registers: Uint8Array, h: number): void {
  const index = h >>> RANK_BITS;
  // Position of the first 1 in the remaining bits, counted from 1; all zero → RANK_BITS + 1.
  const rank = Math.min(Math.clz32(h << HLL_PRECISION) + 1, RANK_BITS + 1);
  if (rank > registers[index]!) registers[index] = rank;
}

/**
 * Ertl's improved estimator (arXiv:1702.01284, Algorithm 6) over the register histogram. Why not the
 * 2007 paper's raw estimate with its linear-counting switch at E ≤ 2.5·m: measured here, that switch
 * leaves a +1.5–2 % bias at 40–45 thousand distinct values (2.5 standard errors), which HLL++ fixes
 * with empirical bias tables. Ertl's σ term is linear counting done right (it reduces to
 * m·ln(m/V) when most registers are empty) and his τ term replaces the 32-bit large-range
 * correction, so the estimate is unbiased over the whole range with no tables.
 * @example estimate(new Uint8Array(HLL_REGISTER_BYTES)) // 0
 */
export function estimate(registers: Uint8Array): number {
  const histogram = new Array<number>(RANK_BITS + 2).fill(0);
  for (let i = 0; i < M; i++) histogram[registers[i]!]!++;
  let z = M * tau(1 - histogram[RANK_BITS + 1]! / M);
  for (let k = RANK_BITS; k >= 1; k--) z = 0.5 * (z + histogram[k]!);
  z += M * sigma(histogram[0]! / M);
  return (M * M) / (2 * Math.LN2 * z);
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const previous = z;
    z += x * y;
    y += y;
    if (z === previous) return z;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const previous = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (z === previous) return z / 3;
  }
}
