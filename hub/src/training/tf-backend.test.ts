import { describe, it, expect } from 'vitest';
import type * as Tf from '@tensorflow/tfjs';
import { loadTf, DEFAULT_TRAIN_BACKEND, TRAIN_BACKENDS, type TrainBackend } from './tf-backend.ts';
import { createRng } from './split.ts';
import { rejectionOf } from '../test-support/errors.ts';

// Synthetic rows (seeded): 256 × 10 inputs, 3 classes from a linear rule. Small enough that a
// training here takes tens of milliseconds on either backend.
const ROWS = 256;
const WIDTH = 10;
const CLASSES = 3;
const data = (() => {
  const rng = createRng(7);
  const x = Float32Array.from({ length: ROWS * WIDTH }, () => rng() * 2 - 1);
  const y = new Float32Array(ROWS * CLASSES);
  for (let r = 0; r < ROWS; r++) {
    const s = x[r * WIDTH]! + 0.5 * x[r * WIDTH + 1]!;
    y[r * CLASSES + (s < -0.3 ? 0 : s < 0.3 ? 1 : 2)] = 1;
  }
  return { x, y };
})();

/** The trainer's loop in small: seeded Glorot kernels, Adam, trainOnBatch over seeded batches. The weights' bytes. */
async function train(tf: typeof Tf, seed: number): Promise<Uint8Array> {
  const rng = createRng(seed);
  const nextSeed = () => Math.floor(rng() * 2 ** 31);
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [WIDTH], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }) }));
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }) }));
  const optimizer = tf.train.adam(0.01);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  try {
    for (let epoch = 0; epoch < 4; epoch++) {
      const start = Math.floor(rng() * 32);
      for (let r = start; r + 32 <= ROWS; r += 32) {
        const xb = tf.tensor2d(data.x.subarray(r * WIDTH, (r + 32) * WIDTH), [32, WIDTH]);
        const yb = tf.tensor2d(data.y.subarray(r * CLASSES, (r + 32) * CLASSES), [32, CLASSES]);
        await model.trainOnBatch(xb, yb);
        tf.dispose([xb, yb]);
      }
    }
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const bytes = new Uint8Array(weights.reduce((n, w) => n + w.byteLength, 0));
    let offset = 0;
    for (const w of weights) {
      bytes.set(new Uint8Array(w.buffer, w.byteOffset, w.byteLength), offset);
      offset += w.byteLength;
    }
    return bytes;
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

const asFloats = (bytes: Uint8Array) => new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);

describe('loadTf', () => {
  it('starts wasm leaving the process error handlers as they were (its glue adds rethrowing ones)', async () => {
    const count = () => [process.listeners('uncaughtException').length, process.listeners('unhandledRejection').length];
    const before = count();
    await loadTf('wasm');
    await loadTf('cpu');
    expect(count()).toEqual(before);
  });

  it('makes each backend active, in prod mode, with one wasm thread', async () => {
    for (const backend of TRAIN_BACKENDS) {
      const tf = await loadTf(backend);
      expect(tf.getBackend()).toBe(backend);
      expect(tf.env().getBool('PROD')).toBe(true);
      const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
      expect(Array.from(await product.data())).toEqual([19, 22, 43, 50]);
      tf.dispose(product);
    }
    expect((await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount()).toBe(1);
    expect(TRAIN_BACKENDS).toContain(DEFAULT_TRAIN_BACKEND);
  });

  it('on wasm, the same seed gives the same weights, byte for byte; close to cpu\'s', async () => {
    const wasm = await loadTf('wasm');
    const a = await train(wasm, 42);
    const b = await train(wasm, 42);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const other = await train(wasm, 43);
    expect(Buffer.from(a).equals(Buffer.from(other))).toBe(false);

    const cpu = await train(await loadTf('cpu'), 42);
    const diff = asFloats(a).reduce((m, v, i) => Math.max(m, Math.abs(v - asFloats(cpu)[i]!)), 0);
    // Same algorithm, different kernels: float32 rounding apart, nothing more.
    expect(diff).toBeLessThan(1e-3);
  });

  it('switches back and forth, each backend giving its own weights again', async () => {
    const first = {} as Record<TrainBackend, Buffer>;
    for (const backend of ['cpu', 'wasm', 'cpu', 'wasm', 'cpu'] as const) {
      const tf = await loadTf(backend);
      expect(tf.getBackend()).toBe(backend);
      const bytes = Buffer.from(await train(tf, 42));
      first[backend] ??= bytes;
      expect(bytes.equals(first[backend])).toBe(true);
    }
  });

  it('rejects a backend it does not know', async () => {
    const error = await rejectionOf(loadTf('webgl' as TrainBackend));
    expect(error).toMatchObject({ code: 'TRAINING_FAILED' });
  });
});
