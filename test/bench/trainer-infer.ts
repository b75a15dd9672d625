// Inference on the hub's exported model: its ONNX bytes in onnxruntime-web (Node, wasm, 1 thread, as
// hub/src/packaging/parity.ts runs them) beside tfjs predict on a tfjs model given the same weights,
// read back out of those ONNX initializers. Same weights, so the outputs must agree (1e-4).
import type * as Tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { modelProtoType } from '../../hub/src/packaging/onnx-proto.ts';
import type { TrainResult } from '../../hub/src/training/types.ts';
import { denseClassifier, median, type Encoded } from './trainer-model.ts';

/** Distinct input batches the timing cycles through (so no call sees the input of the one before). */
const SLICES = 12;
const TOLERANCE = 1e-4;

export interface Side {
  calls: number;
  medianMs: number;
  p99Ms: number;
}
export interface InferenceTimes {
  batch1: { ort: Side; tfjs: Side };
  batch1000: { ort: Side; tfjs: Side };
  /** Largest |onnxruntime − tfjs| over the batch-1000 probabilities. */
  maxAbsDiff: number;
}

interface OnnxInitializer {
  name: string;
  dims: number[];
  raw_data: Uint8Array;
}

/** Dense kernels and biases by name (dense{i}.kernel [in, out], dense{i}.bias [out]), little-endian float32. */
function onnxWeights(bytes: Uint8Array): Map<string, { dims: number[]; values: Float32Array }> {
  const type = modelProtoType();
  const model = type.toObject(type.decode(bytes), { longs: Number }) as { graph: { initializer: OnnxInitializer[] } };
  return new Map(
    model.graph.initializer.map((t) => {
      const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
      const values = Float32Array.from({ length: t.raw_data.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
      return [t.name, { dims: t.dims, values }];
    }),
  );
}

/** The hub's architecture in tfjs, with the hub's trained weights. */
function tfjsTwin(tf: typeof Tf, result: TrainResult, data: Encoded): Tf.Sequential {
  const weights = onnxWeights(result.onnx);
  const hidden = weights.get('dense0.bias')?.values.length;
  if (hidden === undefined || [...weights.keys()].filter((k) => k.startsWith('dense')).length !== 4) throw new Error(`expected the ONNX to hold 2 dense layers, found initializers ${[...weights.keys()].join(', ')}`);
  const model = denseClassifier(tf, data.width, hidden, data.classes);
  model.layers.forEach((layer, i) => {
    const kernel = weights.get(`dense${i}.kernel`)!;
    const bias = weights.get(`dense${i}.bias`)!;
    const tensors = [tf.tensor2d(kernel.values, kernel.dims as [number, number]), tf.tensor1d(bias.values)];
    layer.setWeights(tensors); // copies into the layer's variables
    tf.dispose(tensors);
  });
  return model;
}

const side = (ms: number[]): Side => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { calls: ms.length, medianMs: median(ms), p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]! };
};

/** Median latency of each, call by call, input wrapping and output read-back included on both sides. */
export async function timeInference(tf: typeof Tf, result: TrainResult | undefined, data: Encoded): Promise<InferenceTimes> {
  if (!result) throw new Error('no hub training result to time inference on');
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(result.onnx, { executionProviders: ['wasm'] });
  const model = tfjsTwin(tf, result, data);
  const inputName = result.input.name;
  const outputName = result.output.name;
  const w = data.width;
  const raw = data.encoded ?? data.x;
  const runOrt = async (x: Float32Array, n: number) => {
    const out = await session.run({ [inputName]: new ort.Tensor('float32', x, [n, w]) });
    const tensor = out[outputName]!;
    const probs = tensor.data as Float32Array;
    tensor.dispose();
    return probs;
  };
  const runTf = async (x: Float32Array, n: number) => {
    const out = tf.tidy(() => model.predict(tf.tensor2d(x, [n, w])) as Tf.Tensor);
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  };
  /** Warm-up, then `calls` calls of each, alternating which goes first; per-call milliseconds. */
  const time = async (n: number, calls: number, warmup: number) => {
    // ORT takes the shared encoding (its graph applies the input transforms); tfjs, the network's input.
    const slice = (a: Float32Array, k: number) => a.slice(k * n * w, (k + 1) * n * w);
    const inputs = Array.from({ length: SLICES }, (_, k) => ({ raw: slice(raw, k), net: slice(data.x, k) }));
    const o: number[] = [];
    const t: number[] = [];
    const once = async (run: typeof runOrt, x: Float32Array, into?: number[]) => {
      const t0 = performance.now();
      await run(x, n);
      into?.push(performance.now() - t0);
    };
    for (let i = 0; i < warmup + calls; i++) {
      const x = inputs[i % inputs.length]!;
      const keep = i >= warmup;
      if (i % 2) {
        await once(runOrt, x.raw, keep ? o : undefined);
        await once(runTf, x.net, keep ? t : undefined);
      } else {
        await once(runTf, x.net, keep ? t : undefined);
        await once(runOrt, x.raw, keep ? o : undefined);
      }
    }
    return { ort: side(o), tfjs: side(t) };
  };
  try {
    if (data.rows < SLICES * 1000) throw new Error(`need ${SLICES * 1000} encoded rows for batch-1000 inputs, have ${data.rows}`);
    const diff = maxAbsDiff(await runOrt(raw.subarray(0, 1000 * w), 1000), await runTf(data.x.subarray(0, 1000 * w), 1000));
    if (!(diff <= TOLERANCE)) throw new Error(`onnxruntime-web and tfjs disagree by ${diff} on the batch of 1000 with the same weights (tolerance ${TOLERANCE})`);
    const calls1 = Number(process.env.BENCH_CALLS ?? 2000);
    return { batch1: await time(1, calls1, 200), batch1000: await time(1000, 50, 5), maxAbsDiff: diff };
  } finally {
    model.dispose();
    await session.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) return Infinity;
    max = Math.max(max, d);
  }
  return max;
}
