import type * as Tf from '@tensorflow/tfjs';
import { OutpostError, encodeRecords, inputWidth, isMissing, parseNumber, sha256Hex, type Task } from '@outpost/shared';
import { dummyClassifierReport, dummyRegressorReport, evaluateBySlice, evaluateClassifier, evaluateRegressor } from './evaluation/index.ts';
import type { FeatureSpec, RawRecord } from '@outpost/shared';
import { writeDenseClassifierOnnx, type DenseLayer } from '../packaging/onnx-writer.ts';
import { applyGraphTransforms, graphTransformsOf, type GraphTransforms } from '../packaging/graph-transforms.ts';
import { maxAbsDiff, runOnnx as runOnnxWeb } from '../packaging/parity.ts';
import { checkTrainConfig } from './check-config.ts';
import { loadTf } from './tf-backend.ts';
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
const PROBABILITIES_OUTPUT = 'probabilities';
const VALUE_OUTPUT = 'value';

/**
 * A Trainer on TensorFlow.js, on the backend the config names (tf-backend.ts): same rows + config
 * give the same weights and the same ONNX bytes — on any machine with 'cpu', on any x86-64 with 'wasm'.
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
      const head = createHead(spec.label, rows, trainRows);
      // Transforms the ONNX graph applies itself: the network trains on what that prefix computes.
      const transforms = graphTransformsOf(spec);
      const train = encode(spec, head, rows, trainRows, transforms);
      const validation = encode(spec, head, rows, validationRows, transforms);
      const test = encode(spec, head, rows, testRows, transforms);

      // Absent in runs from before backends could be chosen: the CPU backend they trained on.
      const tf = await loadTf(config.backend ?? 'cpu');
      const fitted = await fit(tf, spec, head, train, validation, test, config, hooks);
      // What the exported model outputs: probabilities, or values in the label's units (computed in float32 as the ONNX does).
      const outputs = { train: head.toOutput(fitted.outputs.train), validation: head.toOutput(fitted.outputs.validation), test: head.toOutput(fitted.outputs.test) };
      const onTrain = scoreOutputs(head, fitted.outputs.train, outputs.train, train);
      if (!Number.isFinite(onTrain.loss)) {
        const message = `training diverged (loss ${onTrain.loss}); lower the learning rate`;
        throw new OutpostError('TRAINING_FAILED', message);
      }
      const onValidation = scoreOutputs(head, fitted.outputs.validation, outputs.validation, validation);
      const evaluation = evaluate(head, rows, { train, validation, test }, outputs, testRows, config.sliceBy);
      const metrics: TrainMetrics = {
        trainRows: train.rows,
        validationRows: validation.rows,
        testRows: test.rows,
        trainLoss: onTrain.loss,
        validationLoss: onValidation.loss,
        ...headlineMetrics(onTrain, onValidation, evaluation),
        ...(fitted.epochsRun !== undefined ? { epochsRun: fitted.epochsRun, bestEpoch: fitted.bestEpoch } : {}),
      };

      const width = inputWidth(spec);
      const outputName = head.task === 'regression' ? VALUE_OUTPUT : PROBABILITIES_OUTPUT;
      const onnx = writeDenseClassifierOnnx({
        inputName: INPUT_NAME,
        outputName,
        inputWidth: width,
        layers: fitted.layers,
        ...(head.rescale ? { rescale: head.rescale } : {}),
        ...(transforms ? { transforms } : {}),
      });
      // The check that matters: the bytes devices will run reproduce what was just measured.
      // On the encoding a device makes (raw numbers where the graph transforms them).
      const onnxOut = await runOnnx(onnx, INPUT_NAME, validation.encoded, [validation.rows, width]);
      const parity = compareOutputs(head, onnxOut, outputs.validation);
      const measured = head.task === 'regression' ? parity.maxRelDiff! : parity.maxAbsDiff;
      if (!(measured <= parityTolerance)) {
        throw new OutpostError(
          'TRAINING_FAILED',
          `exported ONNX model disagrees with tfjs by ${measured}${head.task === 'regression' ? ' (relative)' : ''} on the validation rows (tolerance ${parityTolerance})`,
        );
      }
      return {
        onnx,
        features: spec,
        input: { name: INPUT_NAME, shape: [-1, width], type: 'float32' },
        output: { name: outputName, shape: [-1, head.units], type: 'float32' },
        metrics,
        parity: { rows: validation.rows, ...parity },
        evaluation,
        reference: referenceProfile(spec, rows, trainRows, outputs.train),
        lineage: {
          splitHash: await sha256Hex(new TextEncoder().encode(JSON.stringify({ train: trainRows, validation: validationRows, ...(testRows.length > 0 ? { test: testRows } : {}) }))),
          featuresHash: await sha256Hex(new TextEncoder().encode(JSON.stringify(spec))),
        },
        system: { tfjs: tf.version.tfjs, backend: tf.getBackend() },
      };
    },
  };
}

/**
 * What the network learns and outputs for the task.
 * - classification: softmax over the classes, cross-entropy on one-hot targets;
 * - regression: one linear unit, mean squared error on the label standardized with the training
 *   rows' mean and deviation; the export rescales to the label's units (`rescale`).
 */
interface Head {
  task: Task;
  /** Output numbers per row. */
  units: number;
  activation: 'softmax' | 'linear';
  loss: 'categoricalCrossentropy' | 'meanSquaredError';
  /** The truth of one row: its class index, or its value. */
  truth(row: RawRecord): number;
  /** The training target of a truth: `units` numbers from `out[offset]`. */
  target(truth: number, out: Float32Array, offset: number): void;
  /** Network output → what the exported model outputs. */
  toOutput(raw: Float32Array): Float32Array;
  classes: readonly string[];
  rescale?: { scale: number; shift: number };
}

function createHead(label: FeatureSpec['label'], rows: readonly RawRecord[], trainRows: readonly number[]): Head {
  if (label.task === 'regression') {
    const values = trainRows.map((i) => parseNumber(rows[i]![label.name])!);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) || 1;
    // float32, as the ONNX graph stores them; then y = fround(fround(z · scale) + shift) is exactly its Mul and Add.
    const scale = Math.fround(std);
    const shift = Math.fround(mean);
    return {
      task: 'regression',
      units: 1,
      activation: 'linear',
      loss: 'meanSquaredError',
      truth: (row) => parseNumber(row[label.name])!,
      target: (truth, out, offset) => {
        out[offset] = (truth - mean) / std;
      },
      toOutput: (raw) => raw.map((z) => Math.fround(Math.fround(z * scale) + shift)),
      classes: [],
      rescale: { scale: std, shift: mean },
    };
  }
  const classIndex = new Map(label.classes.map((c, i) => [c, i]));
  return {
    task: 'classification',
    units: label.classes.length,
    activation: 'softmax',
    loss: 'categoricalCrossentropy',
    truth: (row) => classIndex.get(String(row[label.name]).trim())!,
    target: (truth, out, offset) => {
      out[offset + truth] = 1;
    },
    toOutput: (raw) => raw,
    classes: label.classes,
  };
}

interface Encoded {
  rows: number;
  /** Row-major [rows, width]: the network's input (after the graph's transforms). */
  x: Float32Array;
  /** The shared encoding of the rows, as the exported model takes it. */
  encoded: Float32Array;
  /** Row-major [rows, head.units]: the training targets. */
  y: Float32Array;
  /** Per row: the class index, or the label's value. */
  truth: Float64Array;
}

function encode(spec: FeatureSpec, head: Head, rows: readonly RawRecord[], indices: readonly number[], transforms: GraphTransforms | null): Encoded {
  const truth = Float64Array.from(indices, (i) => head.truth(rows[i]!));
  const y = new Float32Array(indices.length * head.units);
  truth.forEach((t, r) => head.target(t, y, r * head.units));
  const encoded = encodeRecords(spec, indices.map((i) => rows[i]!));
  return { rows: indices.length, x: transforms ? applyGraphTransforms(transforms, encoded) : encoded, encoded, y, truth };
}

/** Train, then read back the weights and both splits' probabilities; every tensor is disposed. */
async function fit(
  tf: typeof Tf,
  spec: FeatureSpec,
  head: Head,
  train: Encoded,
  validation: Encoded,
  test: Encoded,
  config: TrainConfig,
  hooks: TrainHooks,
): Promise<{ layers: DenseLayer[]; epochsRun?: number; bestEpoch?: number; outputs: { train: Float32Array; validation: Float32Array; test: Float32Array } }> {
  const width = inputWidth(spec);
  const units = head.units;
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
  const activation = config.activation ?? 'relu';
  hidden.forEach((units, i) => {
    const layer = tf.layers.dense({
      ...(i === 0 ? { inputShape: [width] } : {}),
      units,
      activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
      ...regularizer,
    });
    dense.push(layer);
    model.add(layer);
    if (dropout > 0) model.add(seededDropout(tf, dropout, dropoutRng));
  });
  const output = tf.layers.dense({
    ...(hidden.length > 0 ? {} : { inputShape: [width] }),
    units,
    activation: head.activation,
    kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
    ...regularizer,
  });
  dense.push(output);
  model.add(output);
  const optimizer = tf.train.adam(config.learningRate);
  model.compile({ optimizer, loss: head.loss });
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
          const yb = tf.tensor2d(gatherRows(train.y, units, batch), [batch.length, units]);
          try {
            lossSum += (await model.trainOnBatch(xb, yb)) as number * batch.length;
          } finally {
            tf.dispose([xb, yb]);
          }
        }
        epochsRun = epoch + 1;
        let held: Score | undefined;
        if (hooks.onEpoch || stopping) {
          const raw = await predict(tf, model, validation, width);
          held = scoreOutputs(head, raw, head.toOutput(raw), validation);
        }
        if (hooks.onEpoch) {
          // The learning curve: the epoch's mean training loss, and a forward pass over the validation rows.
          const { loss: validationLoss, accuracy: validationAccuracy, rmse: validationRmse } = held!;
          await hooks.onEpoch({ epoch: epoch + 1, loss: lossSum / Math.max(1, train.rows), validationLoss, ...(head.task === 'regression' ? { validationRmse } : { validationAccuracy }) });
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
        activation: i === dense.length - 1 ? head.activation : activation,
      };
    });
    return {
      layers,
      ...(best ? { epochsRun, bestEpoch: best.epoch } : {}),
      outputs: {
        train: await predict(tf, model, train, width),
        validation: await predict(tf, model, validation, width),
        test: await predict(tf, model, test, width),
      },
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
 * class, or the training mean) on test, and test by slice of `sliceBy` (training/evaluation/).
 * `outputs` are what the exported model outputs (probabilities, or values in the label's units).
 */
function evaluate(
  head: Head,
  rows: readonly RawRecord[],
  data: { train: Encoded; validation: Encoded; test: Encoded },
  outputs: { validation: Float32Array; test: Float32Array },
  testRows: readonly number[],
  sliceBy: string | undefined,
): TrainEvaluation {
  const { train, validation, test } = data;
  const sliceValues = sliceBy === undefined ? null : testRows.map((r) => (isMissing(rows[r]![sliceBy]) ? null : String(rows[r]![sliceBy]).trim()));
  if (head.task === 'regression') {
    const report = (actual: readonly number[], predicted: readonly number[]) => evaluateRegressor({ actual, predicted });
    const validationReport = report(Array.from(validation.truth), Array.from(outputs.validation));
    if (test.rows === 0) return { task: 'regression', validation: validationReport, test: null, baseline: null, slices: null };
    return {
      task: 'regression',
      validation: validationReport,
      test: report(Array.from(test.truth), Array.from(outputs.test)),
      baseline: dummyRegressorReport(Array.from(train.truth), Array.from(test.truth)),
      slices: sliceValues
        ? { column: sliceBy!, slices: evaluateBySlice(sliceValues, (idx) => report(idx.map((i) => test.truth[i]!), idx.map((i) => outputs.test[i]!))) }
        : null,
    };
  }
  const classes = head.classes;
  const k = classes.length;
  const rowsOf = (p: Float32Array, n: number) => Array.from({ length: n }, (_, r) => p.subarray(r * k, (r + 1) * k));
  const report = (d: Encoded, p: Float32Array) => evaluateClassifier({ labels: Array.from(d.truth), probabilities: rowsOf(p, d.rows), classes });
  if (test.rows === 0) return { task: 'classification', validation: report(validation, outputs.validation), test: null, baseline: null, slices: null };
  const testProbs = rowsOf(outputs.test, test.rows);
  return {
    task: 'classification',
    validation: report(validation, outputs.validation),
    test: report(test, outputs.test),
    baseline: dummyClassifierReport(Array.from(train.truth), Array.from(test.truth), classes),
    slices: sliceValues
      ? { column: sliceBy!, slices: evaluateBySlice(sliceValues, (idx) => evaluateClassifier({ labels: idx.map((i) => test.truth[i]!), probabilities: idx.map((i) => testProbs[i]!), classes })) }
      : null,
  };
}

/** The run's headline numbers beside the losses: accuracy, or RMSE/MAE/R²; on test with the baseline's when there are test rows. */
function headlineMetrics(onTrain: Score, onValidation: Score, evaluation: TrainEvaluation): Partial<TrainMetrics> {
  if (evaluation.task === 'regression') {
    const { test, baseline } = evaluation;
    return {
      trainRmse: onTrain.rmse!,
      validationRmse: onValidation.rmse!,
      validationMae: evaluation.validation.mae,
      validationR2: evaluation.validation.r2,
      ...(test && baseline ? { testMae: test.mae, testRmse: test.rmse, testR2: test.r2, baselineRmse: baseline.rmse, baselineMae: baseline.mae } : {}),
    };
  }
  const { test, baseline } = evaluation;
  return {
    trainAccuracy: onTrain.accuracy!,
    validationAccuracy: onValidation.accuracy!,
    ...(test && baseline ? { testAccuracy: test.accuracy, testMacroF1: test.macro.f1, testLogLoss: test.logLoss, baselineAccuracy: baseline.accuracy } : {}),
  };
}

/** The ONNX model's outputs against tfjs's: largest absolute difference; for regression also the relative one, |a − b| / max(1, |b|). */
function compareOutputs(head: Head, onnx: Float32Array, tfjs: Float32Array): { maxAbsDiff: number; maxRelDiff?: number } {
  const maxAbs = maxAbsDiff(onnx, tfjs);
  if (head.task !== 'regression') return { maxAbsDiff: maxAbs };
  let maxRel = onnx.length === tfjs.length ? 0 : Infinity;
  for (let i = 0; i < onnx.length && maxRel !== Infinity; i++) {
    const d = Math.abs(onnx[i]! - tfjs[i]!) / Math.max(1, Math.abs(tfjs[i]!));
    maxRel = Number.isNaN(d) ? Infinity : Math.max(maxRel, d);
  }
  return { maxAbsDiff: maxAbs, maxRelDiff: maxRel };
}

function gatherRows(x: Float32Array, width: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(x.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

interface Score {
  /** What training minimizes: cross-entropy, or the MSE of the standardized label. */
  loss: number;
  /** Classification. */
  accuracy?: number;
  /** Regression, in the label's units. */
  rmse?: number;
}

/**
 * Scores of the network's raw outputs (`raw`) and the exported outputs (`out`) against the truth.
 * Classification: mean categorical cross-entropy (clipped like Keras, epsilon 1e-7) and accuracy.
 * Regression: MSE on the standardized label (as Keras computes the loss) and RMSE in the label's units.
 */
function scoreOutputs(head: Head, raw: Float32Array, out: Float32Array, data: Encoded): Score {
  const n = data.rows;
  // No rows (e.g. validationFraction 0): 0 rather than NaN, which JSON turns into null.
  if (n === 0) return head.task === 'regression' ? { loss: 0, rmse: 0 } : { loss: 0, accuracy: 0 };
  if (head.task === 'regression') {
    let loss = 0;
    let squared = 0;
    for (let r = 0; r < n; r++) {
      loss += (raw[r]! - data.y[r]!) ** 2;
      squared += (out[r]! - data.truth[r]!) ** 2;
    }
    return { loss: loss / n, rmse: Math.sqrt(squared / n) };
  }
  const classes = head.units;
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < n; r++) {
    const row = out.subarray(r * classes, (r + 1) * classes);
    const truth = data.truth[r]!;
    const p = Math.min(Math.max(row[truth]!, 1e-7), 1 - 1e-7);
    loss -= Math.log(p);
    let best = 0;
    for (let c = 1; c < classes; c++) if (row[c]! > row[best]!) best = c;
    if (best === truth) correct++;
  }
  return { loss: loss / n, accuracy: correct / n };
}
