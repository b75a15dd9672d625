// The first-run check that WebGPU computes what WASM computes for this model (pure: no onnxruntime).

/**
 * Largest allowed difference, relative to the WASM value (absolute below 1): |webgpu − wasm| ≤
 * SELF_TEST_TOLERANCE · max(1, |wasm|). float32 GPU kernels reorder sums; 1e-4 allows that and
 * catches a broken kernel or driver, whose errors are orders of magnitude larger.
 */
export const SELF_TEST_TOLERANCE = 1e-4;

/**
 * The inputs both providers run: the zero vector and a seeded pseudo-random vector in [-2, 2)
 * (mulberry32, seed 0x5eed), each one row of `width` columns. Deterministic, so every device tests alike.
 * @example selfTestInputs(4) // [Float32Array [0,0,0,0], Float32Array [-0.68, 1.9, …]]
 */
export function selfTestInputs(width: number): Float32Array[] {
  let state = 0x5eed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return [new Float32Array(width), Float32Array.from({ length: width }, () => next() * 4 - 2)];
}

/**
 * Compare one self-test output: undefined when WebGPU matches WASM, else the mismatch reason.
 * @example compareOutputs(Float32Array.of(0.5), Float32Array.of(0.52)).mismatch // 'self-test mismatch: max diff 2.0e-2 at output 0 …'
 */
export function compareOutputs(webgpu: ArrayLike<number>, wasm: ArrayLike<number>): { maxDiff: number; mismatch?: string } {
  if (webgpu.length !== wasm.length) return { maxDiff: Infinity, mismatch: `self-test mismatch: ${webgpu.length} values from webgpu, ${wasm.length} from wasm` };
  let maxDiff = 0;
  let worst = 0;
  let at = 0;
  for (let i = 0; i < wasm.length; i++) {
    const diff = Math.abs(webgpu[i]! - wasm[i]!);
    if (Number.isNaN(diff)) return { maxDiff: NaN, mismatch: `self-test mismatch: max diff NaN at output ${i} (webgpu ${webgpu[i]}, wasm ${wasm[i]})` };
    const relative = diff / Math.max(1, Math.abs(wasm[i]!));
    if (relative > worst) [worst, at] = [relative, i];
    maxDiff = Math.max(maxDiff, diff);
  }
  if (worst <= SELF_TEST_TOLERANCE) return { maxDiff };
  return { maxDiff, mismatch: `self-test mismatch: max diff ${maxDiff.toExponential(1)} at output ${at} (webgpu ${webgpu[at]}, wasm ${wasm[at]}; tolerance ${SELF_TEST_TOLERANCE} relative)` };
}

/**
 * The model's input width from onnxruntime's input metadata (`[batch, width]`): the last dimension
 * when it is a number, else undefined (the self-test cannot build an input, and WASM is used).
 */
export function inputWidthOf(shape: ReadonlyArray<number | string> | undefined): number | undefined {
  const last = shape?.[shape.length - 1];
  return typeof last === 'number' && Number.isInteger(last) && last > 0 ? last : undefined;
}
