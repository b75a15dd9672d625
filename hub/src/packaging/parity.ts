import { loadOrt } from './load-ort.ts';

/**
 * Run an ONNX model's first output on one float32 input with onnxruntime-web: the runtime the SDK
 * uses on devices, so the hub checks the very bytes it will ship.
 * @example const probs = await runOnnx(bytes, 'input', x, [rows, width]);
 */
export async function runOnnx(
  bytes: Uint8Array,
  inputName: string,
  data: Float32Array,
  dims: readonly number[],
): Promise<Float32Array> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const outputName = session.outputNames[0]!;
    const results = await session.run({ [inputName]: new ort.Tensor('float32', data, dims) });
    const output = results[outputName]!;
    const values = Float32Array.from(output.data as Float32Array);
    output.dispose();
    return values;
  } finally {
    await session.release();
  }
}

/**
 * Largest absolute element-wise difference; Infinity when the lengths differ (never "equal").
 * @example maxAbsDiff(new Float32Array([1, 2]), new Float32Array([1, 2.5])) // 0.5
 */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    // NaN never compares greater, so test for it explicitly: a NaN output is a parity failure.
    if (Number.isNaN(d)) return Infinity;
    if (d > max) max = d;
  }
  return max;
}
