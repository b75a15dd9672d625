// tfjs' two training backends side by side, in this process: pure-JS 'cpu' and 'wasm' (XNNPACK,
// WebAssembly SIMD, one thread), loaded as the hub loads them (hub/src/training/tf-backend.ts).
// Per epoch of the hub's training loop (its seeded initializers, its shuffles, trainOnBatch over
// batches it gathers itself) on the trainer bench's data, for the hub's default model and a larger
// one; then predict latency at batch 1 and batch 1000. Every repetition trains from the same seed,
// so the final weights double as a determinism check: one hash per backend, or the bench fails.
import { createHash } from 'node:crypto';
import type * as Tf from '@tensorflow/tfjs';
import { type RawRecord } from '@outpost/shared';
import { loadTf, TRAIN_BACKENDS, type TrainBackend } from '../../hub/src/training/tf-backend.ts';
import { createRng, shuffleInPlace } from '../../hub/src/training/split.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../hub/src/training/types.ts';
import { encodeLikeHub, ROWS } from './trainer.ts';
import { median, type Encoded } from './trainer-model.ts';
import { penguinsJson } from '../support/penguins.ts';

/** The models timed: the hub's default (hiddenUnits 16) and a larger one. */
const ARCHITECTURES: readonly (readonly number[])[] = [[DEFAULT_TRAIN_CONFIG.hiddenUnits], [64, 64]];

export interface TrainOptions {
  hidden: readonly number[];
  epochs: number;
  seed: number;
  batchSize: number;
  learningRate: number;
}

/**
 * The hub's fit loop (tfjs-trainer.ts), without its validation pass: dense relu layers → softmax,
 * Glorot-uniform kernels seeded from `seed`, Adam, one trainOnBatch per batch of rows gathered in a
 * seeded shuffle order. Returns the model (the caller disposes it) and each epoch's milliseconds.
 */
export async function trainDense(tf: typeof Tf, data: Encoded, options: TrainOptions): Promise<{ model: Tf.Sequential; epochMs: number[] }> {
  const { hidden, epochs, seed, batchSize, learningRate } = options;
  const rng = createRng(seed ^ 0x5bd1e995);
  const nextSeed = () => Math.floor(rng() * 2 ** 31);
  const model = tf.sequential();
  [...hidden, data.classes].forEach((units, i) => {
    model.add(tf.layers.dense({
      ...(i === 0 ? { inputShape: [data.width] } : {}),
      units,
      activation: i === hidden.length ? 'softmax' : 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
    }));
  });
  const optimizer = tf.train.adam(learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const order = Array.from({ length: data.rows }, (_, i) => i);
  const epochMs: number[] = [];
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const t0 = performance.now();
      shuffleInPlace(order, rng);
      for (let start = 0; start < order.length; start += batchSize) {
        const batch = order.slice(start, start + batchSize);
        const xb = tf.tensor2d(gatherRows(data.x, data.width, batch), [batch.length, data.width]);
        const yb = tf.tensor2d(gatherRows(data.y, data.classes, batch), [batch.length, data.classes]);
        try {
          await model.trainOnBatch(xb, yb);
        } finally {
          tf.dispose([xb, yb]);
        }
      }
      epochMs.push(performance.now() - t0);
    }
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
  return { model, epochMs };
}

/** `cpu`, or `wasm (SIMD, 1 thread)`: which of its binaries tfjs-backend-wasm loaded, with how many threads. */
async function describeBackend(tf: typeof Tf): Promise<string> {
  if (tf.getBackend() !== 'wasm') return tf.getBackend();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  const threads = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
  return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`;
}

function gatherRows(source: Float32Array, width: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(source.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

/** SHA-256 of a model's weights, little-endian float32 bytes in layer order. */
export function weightsHash(model: Tf.LayersModel): string {
  const hash = createHash('sha256');
  for (const w of model.getWeights()) hash.update(new Uint8Array((w.dataSync() as Float32Array).slice().buffer));
  return hash.digest('hex');
}

export interface BackendFigures {
  /** Median ms per training epoch (epochs after the first of each run). */
  epochMs: number;
  /** Median ms of one predict call with read-back, at batch 1 and batch 1000. */
  predict1Ms: number;
  predict1000Ms: number;
  /** The final weights' SHA-256 (hex), the same in every repetition. */
  weights: string;
}

export interface TrainerBackendsBench {
  trainRows: number;
  width: number;
  classes: number;
  batchesPerEpoch: number;
  epochs: number;
  reps: number;
  /** What each backend ran as: for wasm, its binary (SIMD or not) and XNNPACK threads. */
  describe: Record<TrainBackend, string>;
  models: { hidden: readonly number[]; byBackend: Record<TrainBackend, BackendFigures> }[];
  seconds: number;
}

/**
 * For each architecture: `reps` interleaved repetitions of an `epochs`-epoch run on each backend
 * (after one warm-up run each), then predict latency, calls alternating between the backends in blocks.
 */
export async function benchTrainerBackends(reps = Number(process.env.BENCH_BACKEND_REPS ?? 3), epochs = 3): Promise<TrainerBackendsBench> {
  const started = performance.now();
  const penguins = JSON.parse(new TextDecoder().decode(penguinsJson())) as RawRecord[];
  const rows = Array.from({ length: ROWS }, (_, i) => penguins[i % penguins.length]!);
  const { train: data } = encodeLikeHub(rows);
  const base = { epochs, seed: DEFAULT_TRAIN_CONFIG.seed, batchSize: DEFAULT_TRAIN_CONFIG.batchSize, learningRate: DEFAULT_TRAIN_CONFIG.learningRate };
  const describe = {} as Record<TrainBackend, string>;
  for (const backend of TRAIN_BACKENDS) describe[backend] = await describeBackend(await loadTf(backend));

  const models: TrainerBackendsBench['models'] = [];
  for (const hidden of ARCHITECTURES) {
    const epochMs: Record<TrainBackend, number[]> = { cpu: [], wasm: [] };
    const hashes: Record<TrainBackend, Set<string>> = { cpu: new Set(), wasm: new Set() };
    const trained = {} as Record<TrainBackend, Tf.Sequential>;
    try {
      for (const backend of TRAIN_BACKENDS) {
        const tf = await loadTf(backend);
        (await trainDense(tf, data, { ...base, hidden, epochs: 1 })).model.dispose();
      }
      for (let r = 0; r < reps; r++) {
        // Alternate which backend goes first, so drift (thermal, GC) falls on both.
        for (const backend of r % 2 ? [...TRAIN_BACKENDS].reverse() : TRAIN_BACKENDS) {
          const tf = await loadTf(backend);
          const run = await trainDense(tf, data, { ...base, hidden });
          epochMs[backend].push(...run.epochMs.slice(1));
          hashes[backend].add(weightsHash(run.model));
          trained[backend]?.dispose();
          trained[backend] = run.model;
        }
      }
      for (const backend of TRAIN_BACKENDS) {
        if (hashes[backend].size !== 1) throw new Error(`${backend}: ${reps} runs from seed ${base.seed} gave ${hashes[backend].size} different weights`);
      }
      const p1 = await timePredict(trained, data, 1, 40, 25);
      const p1000 = await timePredict(trained, data, 1000, 10, 5);
      const byBackend = {} as Record<TrainBackend, BackendFigures>;
      for (const backend of TRAIN_BACKENDS) {
        byBackend[backend] = { epochMs: median(epochMs[backend]), predict1Ms: p1[backend], predict1000Ms: p1000[backend], weights: [...hashes[backend]][0]! };
      }
      models.push({ hidden, byBackend });
    } finally {
      for (const backend of TRAIN_BACKENDS) {
        await loadTf(backend);
        trained[backend]?.dispose();
      }
    }
  }
  return {
    trainRows: data.rows,
    width: data.width,
    classes: data.classes,
    batchesPerEpoch: Math.ceil(data.rows / base.batchSize),
    epochs,
    reps,
    describe,
    models,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Median ms per predict call (input tensor made, output read back) of each backend's model: `blocks`
 * rounds of `calls` calls per backend in turn, after one warm-up block each. Distinct inputs per call.
 */
async function timePredict(models: Record<TrainBackend, Tf.Sequential>, data: Encoded, batch: number, blocks: number, calls: number): Promise<Record<TrainBackend, number>> {
  const inputs = Array.from({ length: 12 }, (_, k) => data.x.subarray(k * batch * data.width, (k + 1) * batch * data.width));
  const ms: Record<TrainBackend, number[]> = { cpu: [], wasm: [] };
  for (let block = -1; block < blocks; block++) {
    for (const backend of TRAIN_BACKENDS) {
      const tf = await loadTf(backend);
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        const out = tf.tidy(() => models[backend].predict(tf.tensor2d(inputs[i % inputs.length]!, [batch, data.width])) as Tf.Tensor);
        await out.data();
        out.dispose();
        if (block >= 0) ms[backend].push(performance.now() - t0);
      }
    }
  }
  return { cpu: median(ms.cpu), wasm: median(ms.wasm) };
}
