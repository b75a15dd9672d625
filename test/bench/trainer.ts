// The hub's trainer (hub/src/training/tfjs-trainer.ts) beside raw tfjs model.fit on the same model and
// data, then the ONNX it exports, run in onnxruntime-web, beside tfjs predict with the same weights.
// This bench imports hub modules directly: it measures one component in this process, not the
// system over HTTP, so it reaches past the public faces on purpose (as parquet-read.ts mirrors one).
import type * as Tf from '@tensorflow/tfjs';
import { encodeRecords, inputWidth, type RawRecord } from '@outpost/shared';
import { createTfjsTrainer } from '../../hub/src/training/tfjs-trainer.ts';
import { fitFeatureSpec, labelledRowIndices } from '../../hub/src/training/fit-features.ts';
import { splitIndices } from '../../hub/src/training/split.ts';
import { applyGraphTransforms, graphTransformsOf } from '../../hub/src/packaging/graph-transforms.ts';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig, type TrainResult } from '../../hub/src/training/types.ts';
import { timeInference, type InferenceTimes } from './trainer-infer.ts';
import { denseClassifier, median, type Encoded } from './trainer-model.ts';
import { penguinsJson } from '../support/penguins.ts';

/** Penguins (344 rows) repeated row for row up to this many, so one epoch is 500 batches of 32. */
export const ROWS = 20_000;
const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, label: 'Species' };

/** The training and validation splits the hub's train() builds from these rows: its split, its feature spec, its encoder. */
export function encodeLikeHub(rows: readonly RawRecord[]): { train: Encoded; validation: Encoded } {
  const labelled = labelledRowIndices(rows, config.label);
  const split = splitIndices(labelled.length, config.validationFraction, config.seed, config.testFraction ?? 0);
  const trainRows = split.train.map((i) => labelled[i]!);
  const spec = fitFeatureSpec(rows, config, { fitIndices: trainRows });
  if (spec.label.task === 'regression') throw new Error('the trainer bench trains a classifier');
  const classes = spec.label.classes;
  const encode = (indices: number[]): Encoded => {
    const y = new Float32Array(indices.length * classes.length);
    indices.forEach((r, i) => {
      y[i * classes.length + classes.indexOf(String(rows[r]![config.label]).trim())] = 1;
    });
    // What the network sees: the shared encoding, then the transforms the exported graph applies itself.
    const encoded = encodeRecords(spec, indices.map((i) => rows[i]!));
    const transforms = graphTransformsOf(spec);
    return { rows: indices.length, width: inputWidth(spec), classes: classes.length, x: transforms ? applyGraphTransforms(transforms, encoded) : encoded, encoded, y };
  };
  return { train: encode(trainRows), validation: encode(split.validation.map((i) => labelled[i]!)) };
}

/**
 * Raw tfjs: build, compile and model.fit on tensors made once, outside the clock, evaluating the
 * validation rows after each epoch as the hub does for its learning curve. Milliseconds.
 */
async function rawFit(tf: typeof Tf, x: Tf.Tensor2D, y: Tf.Tensor2D, validation: [Tf.Tensor2D, Tf.Tensor2D], data: Encoded, epochs: number): Promise<number> {
  const t0 = performance.now();
  const model = denseClassifier(tf, data.width, config.hiddenUnits, data.classes);
  const optimizer = tf.train.adam(config.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  try {
    const history = await model.fit(x, y, { epochs, batchSize: config.batchSize, shuffle: true, verbose: 0, validationData: validation });
    const loss = history.history.loss?.at(-1);
    if (typeof loss !== 'number' || !Number.isFinite(loss)) throw new Error(`raw model.fit diverged: loss ${String(loss)}`);
    return performance.now() - t0;
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

/**
 * The hub: train() from raw rows, which also encodes, predicts both splits, writes ONNX and checks
 * parity; with an epoch listener, as its training job always has (the learning curve's validation pass).
 */
async function hubTrain(rows: readonly RawRecord[], epochs: number): Promise<{ ms: number; result: TrainResult }> {
  const t0 = performance.now();
  const result = await createTfjsTrainer().train(rows, { ...config, epochs }, { onEpoch: () => {} });
  const ms = performance.now() - t0;
  if (result.metrics.trainRows + result.metrics.validationRows + result.metrics.testRows !== rows.length) throw new Error(`hub split ${result.metrics.trainRows} + ${result.metrics.validationRows} + ${result.metrics.testRows} rows, expected ${rows.length}`);
  return { ms, result };
}

export interface TrainerBench {
  rows: number;
  trainRows: number;
  width: number;
  batchesPerEpoch: number;
  epochs: readonly [number, number];
  reps: number;
  /** Median ms per epoch, as (t(E2) − t(E1)) / (E2 − E1) per repetition. */
  hubEpochMs: number;
  rawEpochMs: number;
  /** Median of t(E1) − E1 × epoch: the hub's encode + predict + ONNX + parity; raw's build + compile. */
  hubFixedMs: number;
  rawFixedMs: number;
  inference: InferenceTimes;
}

/**
 * Per-epoch time of the hub's trainer and of raw model.fit, `reps` interleaved repetitions of E1 and E2
 * epochs each; then inference on the hub's last model.
 */
export async function benchTrainer(reps = Number(process.env.BENCH_TRAINER_REPS ?? 5), epochs: readonly [number, number] = [1, 4]): Promise<TrainerBench> {
  const penguins = JSON.parse(new TextDecoder().decode(penguinsJson())) as RawRecord[];
  const rows = Array.from({ length: ROWS }, (_, i) => penguins[i % penguins.length]!);
  const { train: data, validation } = encodeLikeHub(rows);
  // The hub's tfjs, as tfjs-trainer.ts sets it up: prod mode, pure-JS CPU backend. One module
  // instance serves both sides (the hub's import() resolves to the same package).
  const tf = await import('@tensorflow/tfjs');
  tf.enableProdMode();
  await tf.setBackend('cpu');
  const x = tf.tensor2d(data.x, [data.rows, data.width]);
  const y = tf.tensor2d(data.y, [data.rows, data.classes]);
  const held: [Tf.Tensor2D, Tf.Tensor2D] = [tf.tensor2d(validation.x, [validation.rows, validation.width]), tf.tensor2d(validation.y, [validation.rows, validation.classes])];
  const [e1, e2] = epochs;
  const hub: [number, number][] = [];
  const raw: [number, number][] = [];
  let last: TrainResult | undefined;
  try {
    // Warm-up: tfjs kernels, onnxruntime-web's wasm (the hub's parity check) and the JIT.
    await hubTrain(rows, 1);
    await rawFit(tf, x, y, held, data, 1);
    for (let r = 0; r < reps; r++) {
      const h1 = await hubTrain(rows, e1);
      const h2 = await hubTrain(rows, e2);
      hub.push([h1.ms, h2.ms]);
      last = h2.result;
      raw.push([await rawFit(tf, x, y, held, data, e1), await rawFit(tf, x, y, held, data, e2)]);
    }
  } finally {
    tf.dispose([x, y, ...held]);
  }
  if (last?.input.shape[1] !== data.width) throw new Error(`hub input width ${String(last?.input.shape[1])}, bench encoded ${data.width}`);
  const perEpoch = (ts: [number, number][]) => median(ts.map(([t1, t2]) => (t2 - t1) / (e2 - e1)));
  const fixed = (ts: [number, number][], epochMs: number) => median(ts.map(([t1]) => t1 - e1 * epochMs));
  const hubEpochMs = perEpoch(hub);
  const rawEpochMs = perEpoch(raw);
  return {
    rows: ROWS,
    trainRows: data.rows,
    width: data.width,
    batchesPerEpoch: Math.ceil(data.rows / config.batchSize),
    epochs,
    reps,
    hubEpochMs,
    rawEpochMs,
    hubFixedMs: fixed(hub, hubEpochMs),
    rawFixedMs: fixed(raw, rawEpochMs),
    inference: await timeInference(tf, last, data),
  };
}
