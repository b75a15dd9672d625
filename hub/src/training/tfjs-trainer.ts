import type * as Tf from '@tensorflow/tfjs';
import { OutpostError, encodeRecords, inputWidth, isMissing, sha256Hex } from '@outpost/shared';
import { dummyClassifierReport, evaluateBySlice, evaluateClassifier } from './evaluation/index.ts';
import type { FeatureSpec, RawRecord } from '@outpost/shared';
import { writeDenseClassifierOnnx, type DenseLayer } from '../packaging/onnx-writer.ts';
import { maxAbsDiff, runOnnx as runOnnxWeb } from '../packaging/parity.ts';
import { checkTrainConfig } from './check-config.ts';
import { referenceProfile } from './reference-profile.ts';
import { fitFeatureSpec, labelledRowIndices } from './fit-features.ts';
import { createRng, shuffleInPlace, splitIndices } from './split.ts';
import type { TrainConfig, TrainEvaluation, TrainHooks, TrainMetrics, TrainResult, Trainer } from './types.ts';

export interface TfjsTrainerOptions {
  /** Largest |onnxruntime − tfjs| probability accepted on the validation rows; default 1e-5. */
  parityTolerance?: number;
  /** Runs the exported model; default onnxruntime-web (what devices run). Tests swap it. */
  runOnnx?: typeof runOnnxWeb;
}

const INPUT_NAME = 'input';
const OUTPUT_NAME = 'probabilities';

/**
 * A Trainer on TensorFlow.js (pure-JS CPU backend): same rows + config give the same weights and
 * the same ONNX bytes, on any machine.
 * @example const result = await createTfjsTrainer().train(rows, { ...DEFAULT_TRAIN_CONFIG, label: 'Species' });
 */
export function createTfjsTrainer(options: TfjsTrainerOptions = {}): Trainer {
  const { parityTolerance = 1e-5, runOnnx = runOnnxWeb } = options;
  return {
    async train(rows: readonly RawRecord[], config: TrainConfig, hooks: TrainHooks = {}): Promise<TrainResult> {
      checkTrainConfig(config);
      const labelled = labelledRowIndices(rows, config.label);
      const split = splitIndices(labelled.length, config.validationFraction, config.seed, config.testFraction ?? 0);
      const trainRows = split.train.map((i) => labelled[i]!);
      const validationRows = split.validation.map((i) => labelled[i]!);
      const testRows = split.test.map((i) => labelled[i]!);
      if (config.sliceBy !== undefined && !rows.some((r) => Object.hasOwn(r, config.sliceBy!))) {
        throw new OutpostError('VALIDATION_FAILED', `sliceBy: no column ${config.sliceBy}`, { issues: [{ path: 'sliceBy', column: config.sliceBy, message: 'not a column of the dataset' }] });
      }
      const spec = fitFeatureSpec(rows, config, { fitIndices: trainRows });
      const train = encode(spec, rows, trainRows);
      const validation = encode(spec, rows, validationRows);
      const test = encode(spec, rows, testRows);

      const tf = await loadTf();
      const { layers, epochsRun, bestEpoch, trainProbs, validationProbs, testProbs } = await fit(tf, spec, train, validation, test, config, hooks);
      const classes = spec.label.classes.length;
      const onTrain = scores(trainProbs, train.labels, classes);
      const onValidation = scores(validationProbs, validation.labels, classes);
      const evaluation = evaluate(spec, rows, { train, validation, test }, { validation: validationProbs, test: testProbs }, testRows, config.sliceBy);
      const metrics: TrainMetrics = {
        trainRows: train.rows,
        validationRows: validation.rows,
        testRows: test.rows,
        trainLoss: onTrain.loss,
        trainAccuracy: onTrain.accuracy,
        validationLoss: onValidation.loss,
        validationAccuracy: onValidation.accuracy,
        ...(evaluation.test
          ? { testAccuracy: evaluation.test.accuracy, testMacroF1: evaluation.test.macro.f1, testLogLoss: evaluation.test.logLoss, baselineAccuracy: evaluation.baseline!.accuracy }
          : {}),
        ...(epochsRun !== undefined ? { epochsRun, bestEpoch } : {}),
      };
      if (!Number.isFinite(metrics.trainLoss)) {
        const message = `training diverged (loss ${metrics.trainLoss}); lower the learning rate`;
        throw new OutpostError('TRAINING_FAILED', message);
      }

      const width = inputWidth(spec);
      const onnx = writeDenseClassifierOnnx({
        inputName: INPUT_NAME,
        outputName: OUTPUT_NAME,
        inputWidth: width,
        layers,
      });
      // The check that matters: the bytes devices will run reproduce what was just measured.
      const onnxProbs = await runOnnx(onnx, INPUT_NAME, validation.x, [validation.rows, width]);
      const diff = maxAbsDiff(onnxProbs, validationProbs);
      if (!(diff <= parityTolerance)) {
        throw new OutpostError(
          'TRAINING_FAILED',
          `exported ONNX model disagrees with tfjs by ${diff} on the validation rows (tolerance ${parityTolerance})`,
        );
      }
      return {
        onnx,
        features: spec,
        input: { name: INPUT_NAME, shape: [-1, width], type: 'float32' },
        output: { name: OUTPUT_NAME, shape: [-1, classes], type: 'float32' },
        metrics,
        parity: { rows: validation.rows, maxAbsDiff: diff },
        evaluation,
        reference: referenceProfile(spec, rows, trainRows, trainProbs),
        lineage: {
          splitHash: await sha256Hex(new TextEncoder().encode(JSON.stringify({ train: trainRows, validation: validationRows, ...(testRows.length > 0 ? { test: testRows } : {}) }))),
          featuresHash: await sha256Hex(new TextEncoder().encode(JSON.stringify(spec))),
        },
        system: { tfjs: tf.version.tfjs, backend: tf.getBackend() },
      };
    },
  };
}

let tfModule: Promise<typeof Tf> | undefined;

/** tfjs, loaded on first training (not at hub start-up) and set to its CPU backend once. */
function loadTf(): Promise<typeof Tf> {
  tfModule ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    // Prod mode skips per-op debug checks and silences the "install tfjs-node" banner: tfjs-node
    // downloads native binaries at install time, which this stack does not allow.
    tf.enableProdMode();
    // The CPU backend: plain JS float32 arithmetic, so the same seed gives the same bits everywhere.
    await tf.setBackend('cpu');
    return tf;
  })().catch((e: unknown) => {
    tfModule = undefined;
    throw e;
  });
  return tfModule;
}

interface Encoded {
  rows: number;
  /** Row-major [rows, width]. */
  x: Float32Array;
  /** Class index per row. */
  labels: Int32Array;
}

function encode(spec: FeatureSpec, rows: readonly RawRecord[], indices: readonly number[]): Encoded {
  const classIndex = new Map(spec.label.classes.map((c, i) => [c, i]));
  return {
    rows: indices.length,
    x: encodeRecords(spec, indices.map((i) => rows[i]!)),
    labels: Int32Array.from(indices, (i) => classIndex.get(String(rows[i]![spec.label.name]).trim())!),
  };
}

/** Train, then read back the weights and both splits' probabilities; every tensor is disposed. */
async function fit(
  tf: typeof Tf,
  spec: FeatureSpec,
  train: Encoded,
  validation: Encoded,
  test: Encoded,
  config: TrainConfig,
  hooks: TrainHooks,
): Promise<{ layers: DenseLayer[]; epochsRun?: number; bestEpoch?: number; trainProbs: Float32Array; validationProbs: Float32Array; testProbs: Float32Array }> {
  const width = inputWidth(spec);
  const classes = spec.label.classes.length;
  // A stream apart from the split's (seeded with `seed`): initializer seeds, then epoch shuffles.
  const rng = createRng(config.seed ^ 0x5bd1e995);
  const nextSeed = () => Math.floor(rng() * 2 ** 31);

  const model = tf.sequential();
  const hidden = hiddenLayers(config);
  const dropout = config.dropout ?? 0;
  // Masks come from a stream of their own, so dropout leaves initializer seeds and shuffles as they were.
  const dropoutRng = createRng(config.seed ^ 0x27d4eb2f);
  const regularizer = (config.l2 ?? 0) > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: config.l2! }) } : {};
  // The dense layers alone are exported: dropout is training-only and absent from the ONNX graph.
  const dense: Tf.layers.Layer[] = [];
  hidden.forEach((units, i) => {
    const layer = tf.layers.dense({
      ...(i === 0 ? { inputShape: [width] } : {}),
      units,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
      ...regularizer,
    });
    dense.push(layer);
    model.add(layer);
    if (dropout > 0) model.add(seededDropout(tf, dropout, dropoutRng));
  });
  const output = tf.layers.dense({
    ...(hidden.length > 0 ? {} : { inputShape: [width] }),
    units: classes,
    activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
    ...regularizer,
  });
  dense.push(output);
  model.add(output);
  const optimizer = tf.train.adam(config.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  try {
    // Our own loop rather than model.fit: fit's `shuffle` uses Math.random, so it is not reproducible.
    const order = Array.from({ length: train.rows }, (_, i) => i);
    const stopping = config.earlyStopping;
    let best: { epoch: number; loss: number; weights: Tf.Tensor[] } | undefined;
    let epochsRun = 0;
    try {
      for (let epoch = 0; epoch < config.epochs; epoch++) {
        shuffleInPlace(order, rng);
        let lossSum = 0;
        for (let start = 0; start < order.length; start += config.batchSize) {
          const batch = order.slice(start, start + config.batchSize);
          const xb = tf.tensor2d(gatherRows(train.x, width, batch), [batch.length, width]);
          const yb = tf.tensor2d(oneHot(train.labels, classes, batch), [batch.length, classes]);
          try {
            lossSum += (await model.trainOnBatch(xb, yb)) as number * batch.length;
          } finally {
            tf.dispose([xb, yb]);
          }
        }
        epochsRun = epoch + 1;
        const held = hooks.onEpoch || stopping ? scores(await predict(tf, model, validation, width), validation.labels, classes) : undefined;
        if (hooks.onEpoch) {
          // The learning curve: the epoch's mean training loss, and a forward pass over the validation rows.
          await hooks.onEpoch({ epoch: epoch + 1, loss: lossSum / Math.max(1, train.rows), validationLoss: held!.loss, validationAccuracy: held!.accuracy });
        }
        if (stopping) {
          if (!best || held!.loss < best.loss - (stopping.minDelta ?? 0)) {
            // Keep copies (getWeights returns the live variables), to restore the best epoch before export.
            if (best) tf.dispose(best.weights);
            best = { epoch: epoch + 1, loss: held!.loss, weights: model.getWeights().map((w) => w.clone()) };
          } else if (epoch + 1 - best.epoch >= stopping.patience) {
            break;
          }
        }
        // Let the hub answer requests between epochs: a long run must not freeze the server.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      if (best) model.setWeights(best.weights);
    } finally {
      if (best) tf.dispose(best.weights);
    }
    const layers = dense.map((layer, i): DenseLayer => {
      const [kernel, bias] = layer.getWeights();
      const [inUnits, outUnits] = kernel!.shape as [number, number];
      return {
        // getWeights returns the live variables: copy, never dispose.
        kernel: Float32Array.from(kernel!.dataSync()),
        bias: Float32Array.from(bias!.dataSync()),
        in: inUnits,
        out: outUnits,
        activation: i === dense.length - 1 ? 'softmax' : 'relu',
      };
    });
    return {
      layers,
      ...(best ? { epochsRun, bestEpoch: best.epoch } : {}),
      trainProbs: await predict(tf, model, train, width),
      validationProbs: await predict(tf, model, validation, width),
      testProbs: await predict(tf, model, test, width),
    };
  } finally {
    model.dispose();
    // compile() does not take ownership of an optimizer instance: its Adam moments are ours to free.
    optimizer.dispose();
  }
}

/** Hidden layer widths: `layers` when given, else `hiddenUnits` (0: none, a softmax regression). */
function hiddenLayers(config: TrainConfig): number[] {
  return config.layers ?? (config.hiddenUnits > 0 ? [config.hiddenUnits] : []);
}

/**
 * Inverted dropout whose masks are drawn from `rng` (one draw per activation, per training batch).
 * Not tf.layers.dropout: with a seed, tfjs re-seeds its generator on every call, so each batch
 * would get the very same mask; without one it is not reproducible. Identity at inference.
 */
function seededDropout(tf: typeof Tf, rate: number, rng: () => number): Tf.layers.Layer {
  class SeededDropout extends tf.layers.Layer {
    static className = 'OutpostSeededDropout';
    override call(inputs: Tf.Tensor | Tf.Tensor[], kwargs: { training?: boolean }): Tf.Tensor {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      if (!kwargs['training']) return x;
      const mask = new Float32Array(x.size);
      const keep = 1 - rate;
      for (let i = 0; i < mask.length; i++) mask[i] = rng() < keep ? 1 / keep : 0;
      return tf.tidy(() => tf.mul(x, tf.tensor(mask, x.shape)));
    }
  }
  return new SeededDropout({});
}

async function predict(tf: typeof Tf, model: Tf.Sequential, data: Encoded, width: number): Promise<Float32Array> {
  if (data.rows === 0) return new Float32Array(0);
  const out = tf.tidy(() => model.predict(tf.tensor2d(data.x, [data.rows, width])) as Tf.Tensor);
  try {
    return Float32Array.from(await out.data());
  } finally {
    out.dispose();
  }
}

/**
 * The reports a run keeps: validation, held-back test, the dummy baseline (most frequent training
 * class) on test, and test by slice of `sliceBy` (training/evaluation/).
 */
function evaluate(
  spec: FeatureSpec,
  rows: readonly RawRecord[],
  data: { train: Encoded; validation: Encoded; test: Encoded },
  probs: { validation: Float32Array; test: Float32Array },
  testRows: readonly number[],
  sliceBy: string | undefined,
): TrainEvaluation {
  const classes = spec.label.classes;
  const k = classes.length;
  const rowsOf = (p: Float32Array, n: number) => Array.from({ length: n }, (_, r) => p.subarray(r * k, (r + 1) * k));
  const report = (labels: Int32Array, p: Float32Array) => evaluateClassifier({ labels: Array.from(labels), probabilities: rowsOf(p, labels.length), classes });
  const { test } = data;
  if (test.rows === 0) return { validation: report(data.validation.labels, probs.validation), test: null, baseline: null, slices: null };
  const testProbs = rowsOf(probs.test, test.rows);
  const sliceValues = sliceBy === undefined ? null : testRows.map((r) => (isMissing(rows[r]![sliceBy]) ? null : String(rows[r]![sliceBy]).trim()));
  return {
    validation: report(data.validation.labels, probs.validation),
    test: report(test.labels, probs.test),
    baseline: dummyClassifierReport(Array.from(data.train.labels), Array.from(test.labels), classes),
    slices: sliceValues
      ? { column: sliceBy!, slices: evaluateBySlice(sliceValues, (idx) => evaluateClassifier({ labels: idx.map((i) => test.labels[i]!), probabilities: idx.map((i) => testProbs[i]!), classes })) }
      : null,
  };
}

function gatherRows(x: Float32Array, width: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(x.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

function oneHot(labels: Int32Array, classes: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * classes);
  rows.forEach((r, i) => {
    out[i * classes + labels[r]!] = 1;
  });
  return out;
}

/** Mean categorical cross-entropy (clipped like Keras, epsilon 1e-7) and accuracy of predicted probabilities. */
function scores(probs: Float32Array, labels: Int32Array, classes: number): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < labels.length; r++) {
    const row = probs.subarray(r * classes, (r + 1) * classes);
    const p = Math.min(Math.max(row[labels[r]!]!, 1e-7), 1 - 1e-7);
    loss -= Math.log(p);
    let best = 0;
    for (let c = 1; c < classes; c++) if (row[c]! > row[best]!) best = c;
    if (best === labels[r]) correct++;
  }
  const n = labels.length;
  // No rows (impossible with ≥2 classes, but cheap to be exact): 0 rather than NaN, which JSON turns into null.
  return { loss: n ? loss / n : 0, accuracy: n ? correct / n : 0 };
}
